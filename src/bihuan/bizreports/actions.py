"""Writes to the business-report store: an import of a report file and a manual entry. Each is
one transaction; each batch written appends one audit event."""

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO

from django.db import transaction
from django.db.models import Case, Q, Value, When

from bihuan.bizreports.access import check_may_enter
from bihuan.bizreports.importer import MAX_FILE_BYTES, FigureRow, ParsedReport, parse_report
from bihuan.bizreports.items import BY_CODE
from bihuan.bizreports.models import BatchSource, ReportBatch, ReportFigure
from bihuan.events.actions import EventSpec, record_many
from bihuan.orgs.models import Department, Organisation, User


@dataclass
class StoreResult:
    batches: list[ReportBatch] = field(default_factory=list)
    written: int = 0  # figures new or changed
    unchanged: int = 0  # figures equal to the current ones, not written again


@dataclass
class ImportResult:
    parsed: ParsedReport
    stored: StoreResult
    refused: bool = False  # all-or-nothing import with bad lines: nothing written
    earlier: ReportBatch | None = None  # an earlier batch of the same file

    def summary(self) -> str:
        if self.refused:
            return f"文件有 {self.parsed.rejected_lines} 行有误，按“全部或不导入”未写入任何数据。"
        text = (
            f"写入 {self.stored.written} 条报表数，未变 {self.stored.unchanged} 条，"
            f"拒绝 {self.parsed.rejected_lines} 行。"
        )
        if not self.stored.written:
            text += "报表数与现有数据一致，未作任何修改。"
        if self.earlier is not None:
            text += f"该文件已于 {self.earlier.at:%Y-%m-%d %H:%M} 导入过（批次 {self.earlier.pk}）。"
        return text


def _current(org: Organisation, rows: list[FigureRow]) -> dict[tuple, ReportFigure]:
    months = Q()
    for year, month in {(r.year, r.month) for r in rows}:
        months |= Q(year=year, month=month)
    current = ReportFigure.objects.filter(months, org=org, is_current=True)
    return {(org.pk, f.department_id, f.year, f.month, f.item): f for f in current}


def _store(
    rows: list[FigureRow], *, source: str, actor: User | None, file_name: str = "", sha256: str = "", rejected: int = 0
) -> tuple[StoreResult, list[EventSpec]]:
    """Write the rows that change a current figure, one batch per procuratorate; the figures
    they replace stay as history (is_current False, superseded_by the new one).

    1. Read the current figures of the rows' months; a row equal to one is left alone.
    2. Create the batch, retire the replaced figures, insert the new ones (one statement each).
    3. Point each replaced figure at its successor (one UPDATE).
    """
    result = StoreResult()
    events = []
    by_org: dict[int, list[FigureRow]] = defaultdict(list)
    for row in rows:
        by_org[row.org.pk].append(row)
    for org_rows in by_org.values():
        org = org_rows[0].org
        current = _current(org, org_rows)
        changed = [r for r in org_rows if r.key not in current or current[r.key].value != r.value]
        result.unchanged += len(org_rows) - len(changed)
        if not changed:
            continue
        batch = ReportBatch.objects.create(
            org=org,
            source=source,
            file_name=file_name[:200],
            sha256=sha256,
            imported_by=actor,
            rows_accepted=len(changed),
            rows_unchanged=len(org_rows) - len(changed),
            rows_rejected=rejected,
        )
        replaced = {r.key: current[r.key] for r in changed if r.key in current}
        ReportFigure.objects.filter(pk__in=[f.pk for f in replaced.values()]).update(is_current=False)
        new = ReportFigure.objects.bulk_create(
            ReportFigure(
                org=org,
                department=r.department,
                year=r.year,
                month=r.month,
                item=r.item.code,
                value=r.value,
                batch=batch,
                entered_by=actor,
            )
            for r in changed
        )
        successor = {r.key: figure.pk for r, figure in zip(changed, new, strict=True)}
        if replaced:
            ReportFigure.objects.filter(pk__in=[f.pk for f in replaced.values()]).update(
                superseded_by=Case(*(When(pk=f.pk, then=Value(successor[key])) for key, f in replaced.items()))
            )
        result.batches.append(batch)
        result.written += len(changed)
        events.append(
            EventSpec(
                action=f"bizreports.{source}",
                object_type=ReportBatch._meta.label_lower,
                object_id=batch.pk,
                actor=actor,
                org_code=org.code,
                summary=_summary(batch, changed, replaced),
                changes=_changes(batch, changed, replaced),
            )
        )
    return result, events


def _summary(batch: ReportBatch, changed: list[FigureRow], replaced: dict) -> str:
    what = f"{batch.get_source_display()}业务报表" + (f"「{batch.file_name}」" if batch.file_name else "")
    months = "、".join(sorted({f"{r.year}年{r.month}月" for r in changed}))
    return f"{what}（{months}）：新增 {len(changed) - len(replaced)} 条，替换 {len(replaced)} 条报表数"


def _changes(batch: ReportBatch, changed: list[FigureRow], replaced: dict) -> dict:
    """Each written figure, before and after, keyed "2024年3月 第一检察部 起诉（人）"."""
    changes = {}
    for r in changed:
        unit = r.department.name if r.department else "全院"
        before = replaced[r.key].value if r.key in replaced else None
        changes[f"{r.year}年{r.month}月 {unit} {r.item.label}"] = [before, r.value]
    if batch.sha256:
        changes["sha256"] = [None, batch.sha256]
    return changes


@transaction.atomic
def do_import_report(
    file: IO[bytes],
    actor: User | None,
    *,
    org: Organisation | None = None,
    all_or_nothing: bool = False,
) -> ImportResult:
    """Import a report file (CSV or XLSX, layouts in docs/business-reports.md).

    A case manager (`actor`) imports for their own procuratorate only; the console (actor None)
    for `org`, or for any procuratorate when `org` is None. Bad lines are reported and none of a
    bad line is written; with `all_or_nothing`, one bad line stops the whole file. Raises
    ReportFileError for a file that cannot be read at all.
    """
    allowed = actor.org if actor is not None else org
    if actor is not None:
        check_may_enter(actor, actor.org)
    # One byte over the limit is enough for the importer to refuse the file.
    data = file.read(MAX_FILE_BYTES + 1)
    parsed = parse_report(data, getattr(file, "name", "") or "", allowed)
    earlier = ReportBatch.objects.filter(sha256=parsed.sha256, **({"org": allowed} if allowed else {})).first()
    if all_or_nothing and parsed.errors:
        return ImportResult(parsed, StoreResult(), refused=True, earlier=earlier)
    stored, events = _store(
        parsed.rows,
        source=parsed.source,
        actor=actor,
        file_name=PurePath(parsed.file_name).name,
        sha256=parsed.sha256,
        rejected=parsed.rejected_lines,
    )
    record_many(events)
    return ImportResult(parsed, stored, earlier=earlier)


@transaction.atomic
def do_enter_figures(
    org: Organisation,
    department: Department | None,
    year: int,
    month: int,
    values: dict[str, int],
    actor: User,
) -> StoreResult:
    """Manual entry by the case-management office: `values` maps item codes to figures; an
    item left out keeps its current figure. Only the changed figures are written."""
    check_may_enter(actor, org)
    if department is not None and department.org_id != org.pk:
        raise ValueError("部门不属于该检察院")
    rows = [FigureRow(0, org, department, year, month, BY_CODE[code], value) for code, value in values.items()]
    stored, events = _store(rows, source=BatchSource.MANUAL, actor=actor)
    record_many(events)
    return stored
