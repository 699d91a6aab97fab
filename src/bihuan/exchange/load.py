"""Loading an exchange-format file (`bihuan loadcases`), a batch of lines at a time.

1. Parse: each line is decoded, parsed, checked against the JSON Schema and completed
   (records.complete); a later line repeating a 部门受案号 is rejected.
2. Check: the records are checked against the directory (units, people, charges, ID numbers,
   dates) and compared, in canonical form, with the cases stored under their 部门受案号: each is
   new, changed or unchanged.
3. Write: the new and changed records go to the database in one transaction
   (actions.do_load_batch). Should the database refuse the batch, its records are written one
   at a time, so that only the record at fault is rejected.

Loading is idempotent: a record equal to its stored case writes nothing.
"""

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TextIO

from django.db import DatabaseError
from tqdm import tqdm

from bihuan.cases.models import Case
from bihuan.cases.numbering import normalise_dept_case_no
from bihuan.exchange.actions import Change, do_load_batch
from bihuan.exchange.checks import WHOLE_LINE, Problem, record_problems, schema_problems
from bihuan.exchange.directory import Directory
from bihuan.exchange.records import complete, dump_rows, ordered

BATCH = 1000
PROGRESS_FROM = 5000  # lines; smaller files load without a progress bar


@dataclass(frozen=True)
class LineError:
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"第 {self.line} 行 字段 {self.field}: {self.reason}"


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0  # lines
    errors: list[LineError] = field(default_factory=list)

    def summary(self) -> str:
        return f"新增 {self.created} 件，更新 {self.updated} 件，未变 {self.unchanged} 件，拒绝 {self.rejected} 行"


@dataclass
class Batch:
    lines: int  # read, blank ones included
    records: list[tuple[int, dict]] = field(default_factory=list)  # completed, schema-valid
    rejected: list[tuple[int, list[Problem]]] = field(default_factory=list)


def _count_lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))


def _chunks(path: Path, size: int) -> Iterator[list[tuple[int, bytes]]]:
    with path.open("rb") as f:
        numbered = enumerate(f, 1)
        while chunk := list(islice(numbered, size)):
            yield chunk


class _Parser:
    """Step 1; remembers the line of each 部门受案号 across batches."""

    def __init__(self) -> None:
        self.first_line: dict[str, int] = {}

    def parse(self, lines: list[tuple[int, bytes]]) -> Batch:
        batch = Batch(len(lines))
        for number, data in lines:
            if not data.strip():
                continue
            raw, problems = self._line(number, data)
            if problems:
                batch.rejected.append((number, problems))
            else:
                batch.records.append((number, complete(raw)))
        return batch

    def _line(self, number: int, data: bytes) -> tuple[object, list[Problem]]:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return None, [(WHOLE_LINE, "不是 UTF-8 编码的文本")]
        try:
            raw = json.loads((text.lstrip("\ufeff") if number == 1 else text).rstrip("\r\n"))
        except json.JSONDecodeError as exc:
            return None, [(WHOLE_LINE, f"不是合法的 JSON：{exc.msg}（第 {exc.colno} 列）")]
        problems = schema_problems(raw)
        if isinstance(raw, dict) and isinstance(raw.get("dept_case_no"), str):
            key = normalise_dept_case_no(raw["dept_case_no"])
            first = self.first_line.setdefault(key, number)
            if first != number:
                problems.append(("dept_case_no", f"部门受案号 {key} 与第 {first} 行重复，以第 {first} 行为准"))
        return raw, problems


class _Writer:
    """Steps 2 and 3, and the report."""

    def __init__(self, *, dry_run: bool, stderr: TextIO) -> None:
        self.dry_run = dry_run
        self.stderr = stderr
        self.report = LoadReport()
        self.directory = Directory()

    def store(self, batch: Batch) -> None:
        """Check, compare and write a batch; report its rejected lines in line order."""
        rejected = batch.rejected
        self.directory.prime(r for _, r in batch.records)
        checked = []
        for number, record in batch.records:
            problems = record_problems(record, self.directory)
            if problems:
                rejected.append((number, problems))
            else:
                checked.append((number, ordered(record)))
        new, changed = self._compare(checked)
        if self.dry_run:
            self.report.created += len(new)
            self.report.updated += len(changed)
        else:
            rejected += self._write(new, changed)
        for number, problems in sorted(rejected, key=lambda item: item[0]):
            self.report.rejected += 1
            for field_name, reason in problems:
                error = LineError(number, field_name, reason)
                self.report.errors.append(error)
                tqdm.write(str(error), file=self.stderr)

    def _compare(self, checked: list[tuple[int, dict]]) -> tuple[list, list]:
        """Split the records into new and changed ones; count the unchanged."""
        numbers = [r["dept_case_no"] for _, r in checked]
        keys = dict(Case.objects.filter(dept_case_no__in=numbers).values_list("dept_case_no", "pk"))
        stored = {}
        if keys:
            stored = {r["dept_case_no"]: r for _, r in dump_rows(Case.objects.filter(pk__in=keys.values()))}
        new, changed = [], []
        for number, record in checked:
            before = stored.get(record["dept_case_no"])
            if before is None:
                new.append((number, record))
            elif before == record:
                self.report.unchanged += 1
            else:
                changed.append((number, Change(keys[record["dept_case_no"]], before, record)))
        return new, changed

    def _write(self, new: list, changed: list) -> list[tuple[int, list[Problem]]]:
        """Write the batch; return the lines the database refused."""
        try:
            self._commit(new, changed)
            return []
        except DatabaseError:
            pass
        # Find the record the database refused: write the batch again one record at a time.
        refused = []
        for one_new, one_changed in [([item], []) for item in new] + [([], [item]) for item in changed]:
            try:
                self._commit(one_new, one_changed)
            except DatabaseError as exc:
                number = (one_new or one_changed)[0][0]
                refused.append((number, [(WHOLE_LINE, f"数据库拒绝写入：{exc}")]))
        return refused

    def _commit(self, new: list, changed: list) -> None:
        if not new and not changed:
            return
        learned = do_load_batch([r for _, r in new], [c for _, c in changed], self.directory)
        # Only now, with the batch committed, may later batches use the rows it created.
        self.directory.agencies.update(learned.agencies)
        self.directory.tags.update(learned.tags)
        self.report.created += len(new)
        self.report.updated += len(changed)


def load_jsonl(
    path: str | Path,
    *,
    dry_run: bool = False,
    progress: bool = True,
    stderr: TextIO = sys.stderr,
    batch_size: int = BATCH,
) -> LoadReport:
    """Load a JSON Lines file of cases; report every rejected line on `stderr` as
    `第 N 行 字段 <field>: <reason>`. With `dry_run`, check everything and write nothing."""
    path = Path(path)
    parser, writer = _Parser(), _Writer(dry_run=dry_run, stderr=stderr)
    total = _count_lines(path) if progress else 0
    with tqdm(total=total, disable=total < PROGRESS_FROM, file=stderr, unit="行", desc="导入案件") as bar:
        for lines in _chunks(path, batch_size):
            batch = parser.parse(lines)
            writer.store(batch)
            bar.update(batch.lines)
    return writer.report
