"""Scoring extraction against hand-checked expectations (used by the tests and bench/extraction.py).

An expectation file is JSON: {"kind": "indictment", "doc": {name: value or [values]},
"persons": [{name: value or [values]}, …]}; persons are groups 1, 2, … in order.
"""

import json
import re
from collections import Counter
from pathlib import Path

from bihuan.documents.extract.fields import Field
from bihuan.lib.cnnum import DATE_RE, article_number, cn_to_int, make_date, to_halfwidth

Triple = tuple[str, int, str]


def expected_triples(expectation: dict) -> Counter[Triple]:
    """The (name, group, value) triples an expectation file lists."""
    out: Counter[Triple] = Counter()
    sections = [(0, expectation.get("doc", {}))]
    sections += [(i, person) for i, person in enumerate(expectation.get("persons", []), 1)]
    for group, values in sections:
        for name, value in values.items():
            for item in value if isinstance(value, list) else [value]:
                out[(name, group, item)] += 1
    return out


def load_set(folder: Path) -> list[tuple[str, str, dict]]:
    """(file stem, text, expectation) for every NN.txt with its NN.json in a folder."""
    items = []
    for path in sorted(folder.glob("*.txt")):
        expectation = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        items.append((path.stem, path.read_text(encoding="utf-8"), expectation))
    return items


def score(pairs: list[tuple[list[Field], dict]]) -> dict[str, dict[str, int]]:
    """True positives, false positives and false negatives per field name over many documents."""
    table: dict[str, dict[str, int]] = {}
    for fields, expectation in pairs:
        got = Counter((f.name, f.group, f.value) for f in fields)
        want = expected_triples(expectation)
        for key in got | want:
            row = table.setdefault(key[0], {"tp": 0, "fp": 0, "fn": 0})
            hit = min(got[key], want[key])
            row["tp"] += hit
            row["fp"] += got[key] - hit
            row["fn"] += want[key] - hit
    return table


def span_agrees(f: Field, raw: str) -> bool:
    """Whether the raw text of a field's span says what its normalised value says."""
    half = to_halfwidth(raw)
    if f.name in ("transfer_date", "received_date", "notified_date", "signed_date", "birth_date"):
        m = DATE_RE.fullmatch(half.strip())
        if m is not None:
            return str(make_date(*m.groups())) == f.value
        # 同年3月11日 / 同月16日 depend on an earlier date: the written month and day must agree.
        written = [cn_to_int(n) for n in re.findall(r"\d+|[〇一二三四五六七八九十]+", half)]
        return half.startswith(("同年", "同月")) and written == [int(x) for x in f.value.split("-")][-len(written) :]
    if f.name in ("extension", "supplementary"):
        first = DATE_RE.match(half)
        return first is not None and str(make_date(*first.groups())) == f.value[:10]
    if f.name == "measure":
        kind = f.value.split("@")[0]
        return half in (kind, kind.removeprefix("刑事"))
    if f.name == "article":
        return article_number(half).replace("条", "") == f.value
    if f.name == "id_number":
        return half.upper() == f.value
    if f.name == "doc_number":
        return re.sub(r"\s|[〔〕\[\]［］()（）第]", "", half) == re.sub(r"[〔〕（）()]", "", f.value)
    if f.name == "plea":
        return "认罪" in raw
    if f.name in ("recommendation_term_min", "recommendation_term_max"):
        return bool(re.match(r"(?:有期徒刑|拘役|管制)", half))
    if f.name in ("self_reported", "recommendation_kind", "decision", "custody_status", "round", "measure_kind"):
        return bool(raw.strip())
    return re.sub(r"\s", "", half) == f.value
