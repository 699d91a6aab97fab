"""A small world of case cards with hand-counted March 2024 figures, and report-file builders."""

import csv
import io
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook

from bihuan.cases.models import Case, ProceduralLink
from tests import factories as f


def link(case: Case, kind: str, start: date, *, suspect=None, seq: int = 1) -> ProceduralLink:
    # The case app has no action for procedural links yet; the workflow will add one.
    return ProceduralLink.objects.create(case=case, suspect=suspect, kind=kind, seq=seq, start_date=start)


@dataclass
class Small:
    world: object
    second_dept: object
    cases: dict


# The figures of the county (whole procuratorate) for March 2024, counted by hand from `small`
# below, including the world's case_a and case_b (county, received 2024-03-05, still open).
MARCH_COUNTY = {
    "SLDB": 1,  # A1 (3-02); A2 was received in February
    "SLQS": 5,  # P2 (3-15), P3 (3-31), P4 (3-01), case_a and case_b (3-05)
    "SJDB": 2,  # A1 (3-08), A2 (3-01)
    "SJDBR": 3,  # A1's two suspects, A2's one
    "PZDB": 2,
    "BPZDB": 1,
    "SJQS": 2,  # P1 (3-20), P2 (3-30); P4 concluded on 4-01
    "SJQSR": 4,  # P1's three, P2's one
    "QS": 2,
    "BQS": 2,
    "BQSFD": 0,
    "BQSXD": 1,
    "BQSCY": 1,
    "BQSFTJ": 0,
    "TB": 1,  # P2's return on 3-18; P1's return on 2-10 is February's
    "YC": 1,  # P1's extension from 3-05
    "RZRF": 3,
    "LXJY": 2,
    "QDXLX": 1,
    "CHQS": 3,  # P5's named defendant; P6's link names nobody: its two withdrawn defendants
}
# The second department alone: P2.
MARCH_SECOND_DEPT = {"SLQS": 1, "SJQS": 1, "SJQSR": 1, "BQS": 1, "BQSCY": 1, "TB": 1}


def build_small(world) -> Small:
    county, d1 = world.county, world.county_dept
    d2 = f.make_department(county, "第二检察部")
    arrest = "arrest_review"
    c = {}
    c["A1"] = f.make_case(
        county,
        department=d1,
        case_type=arrest,
        received=date(2024, 3, 2),
        closed_date=date(2024, 3, 8),
        name="甲某某盗窃案",
    )
    f.make_suspect(c["A1"], "甲某某", outcome="arrest_approved")
    f.make_suspect(c["A1"], "乙某某", outcome="arrest_refused")
    c["A2"] = f.make_case(
        county, department=d1, case_type=arrest, received=date(2024, 2, 27), closed_date=date(2024, 3, 1)
    )
    f.make_suspect(c["A2"], "丙某某", outcome="arrest_approved")
    c["P1"] = f.make_case(
        county,
        department=d1,
        received=date(2024, 1, 10),
        closed_date=date(2024, 3, 20),
        outcome="prosecute",
        name="丁某某诈骗案",
    )
    f.make_suspect(c["P1"], "丁某某", outcome="prosecute", plea=True, rec_kind="fixed")
    f.make_suspect(c["P1"], "戊某某", outcome="prosecute", plea=True, rec_kind="range")
    f.make_suspect(c["P1"], "己某某", outcome="np_discretionary", plea=True)
    link(c["P1"], "supplementary", date(2024, 2, 10))
    link(c["P1"], "extension", date(2024, 3, 5))
    c["P2"] = f.make_case(
        county,
        department=d2,
        received=date(2024, 3, 15),
        closed_date=date(2024, 3, 30),
        outcome="np_evidence",
        name="庚某某故意伤害案",
    )
    f.make_suspect(c["P2"], "庚某某", outcome="np_evidence")
    link(c["P2"], "supplementary", date(2024, 3, 18))
    c["P3"] = f.make_case(county, department=d1, received=date(2024, 3, 31))
    c["P4"] = f.make_case(county, department=d1, received=date(2024, 3, 1), closed_date=date(2024, 4, 1))
    c["P5"] = f.make_case(
        county, department=d1, received=date(2023, 12, 1), closed_date=date(2024, 1, 15), outcome="prosecute"
    )
    withdrawn = f.make_suspect(c["P5"], "辛某某", outcome="withdrawn")
    f.make_suspect(c["P5"], "壬某某", outcome="prosecute")
    link(c["P5"], "withdrawal", date(2024, 3, 12), suspect=withdrawn)
    c["P6"] = f.make_case(
        county, department=d1, received=date(2023, 11, 1), closed_date=date(2024, 2, 1), outcome="prosecute"
    )
    f.make_suspect(c["P6"], "癸某某", outcome="withdrawn")
    f.make_suspect(c["P6"], "子某某", outcome="withdrawn")
    link(c["P6"], "withdrawal", date(2024, 3, 20))
    # Another procuratorate's case of the same month counts only there.
    c["O1"] = f.make_case(
        world.other_county, received=date(2024, 3, 3), closed_date=date(2024, 3, 10), outcome="prosecute"
    )
    f.make_suspect(c["O1"], "丑某某", outcome="prosecute")
    return Small(world, d2, c)


# Report files


def csv_bytes(rows: list[list], *, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def named(data: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


LONG_HEADER = ["院代码", "部门", "年", "月", "项目", "数值"]
