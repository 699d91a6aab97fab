"""Case numbers (domain-rules §7.6).

部门受案号: `{院简称}检{业务简称}受[{YYYY}]{6-digit unit code}{6-digit sequence}号`;
统一受案号: 17 digits = unit code + year + 7-digit sequence, shared by the cases of one matter.
Printed documents use 〔〕 where data uses []; both are accepted on input.
"""

import re

from bihuan.cases.choices import BUSINESS_ABBREVIATION, CaseType
from bihuan.cases.models import NumberSequence
from bihuan.orgs.models import Organisation

DEPT_CASE_NO = re.compile(
    r"^(?P<prefix>[\u4e00-\u9fffA-Za-z0-9·\-]*)受\[(?P<year>[12]\d{3})\](?P<code>\d{6})(?P<seq>\d{6})号$"
)
UNIFIED_CASE_NO = re.compile(r"^(?P<code>\d{6})(?P<year>\d{4})(?P<seq>\d{7})$")
UNIFIED_SERIES = "tysah"


def normalise_dept_case_no(text: str) -> str:
    """Accept 〔〕［］ and spaces as typed or printed, return the stored form with []."""
    text = re.sub(r"\s+", "", text)
    return text.replace("〔", "[").replace("〕", "]").replace("［", "[").replace("］", "]")


def take_numbers(org_id: int, series: str, year: int, count: int = 1) -> int:
    """Reserve the next `count` consecutive numbers of a series of a unit and year under a row
    lock (the caller holds the transaction); return the first."""
    seq, _ = NumberSequence.objects.get_or_create(org_id=org_id, series=series, year=year)
    seq = NumberSequence.objects.select_for_update().get(pk=seq.pk)
    first = seq.last + 1
    seq.last += count
    seq.save(update_fields=["last"])
    return first


def next_dept_case_no(org: Organisation, case_type: CaseType, year: int) -> str:
    business = BUSINESS_ABBREVIATION[CaseType(case_type)]
    number = take_numbers(org.pk, business, year)
    return f"{org.short_name}检{business}受[{year}]{org.code}{number:06d}号"


def next_unified_case_no(org: Organisation, year: int) -> str:
    number = take_numbers(org.pk, UNIFIED_SERIES, year)
    return f"{org.code}{year}{number:07d}"


def advance_sequences(numbers: list[tuple[str, str]]) -> None:
    """Move the series past numbers that arrived from outside (loadcases), so that numbers
    generated later never collide with loaded ones. `numbers` holds (部门受案号, 统一受案号)."""
    highest: dict[tuple[str, str, int], int] = {}
    for dept_no, unified_no in numbers:
        m = DEPT_CASE_NO.match(dept_no)
        if m:
            business = next((b for b in BUSINESS_ABBREVIATION.values() if m["prefix"].endswith(b)), None)
            if business:
                key = (m["code"], business, int(m["year"]))
                highest[key] = max(highest.get(key, 0), int(m["seq"]))
        u = UNIFIED_CASE_NO.match(unified_no)
        if u:
            key = (u["code"], UNIFIED_SERIES, int(u["year"]))
            highest[key] = max(highest.get(key, 0), int(u["seq"]))
    orgs = {o.code: o for o in Organisation.objects.filter(code__in={k[0] for k in highest})}
    wanted = {(orgs[code].pk, series, year): value for (code, series, year), value in highest.items() if code in orgs}
    if not wanted:
        return
    # One locked read, one insert of the missing series and one update of those that moved on.
    existing = {
        (s.org_id, s.series, s.year): s
        for s in NumberSequence.objects.select_for_update().filter(
            org_id__in={k[0] for k in wanted}, series__in={k[1] for k in wanted}, year__in={k[2] for k in wanted}
        )
    }
    NumberSequence.objects.bulk_create(
        [
            NumberSequence(org_id=org_id, series=series, year=year, last=value)
            for (org_id, series, year), value in wanted.items()
            if (org_id, series, year) not in existing
        ]
    )
    moved = []
    for key, seq in existing.items():
        if key in wanted and wanted[key] > seq.last:
            seq.last = wanted[key]
            moved.append(seq)
    NumberSequence.objects.bulk_update(moved, ["last"])
