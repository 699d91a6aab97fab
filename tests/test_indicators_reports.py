"""The eight standing reports (报表) on the indicators' hand-built county data set
(tests/test_indicators_engine.py describes it), first quarter of 2025, the county alone, by team.
Every expected figure is worked out by hand in the comments.

Besides the data set, the world's own open cases count: case_a (team A) and case_b (team B), both
received 2024-03-05 and still open. This module adds:

- running periods (CaseDue) on 2025-04-10: case_a due 04-12 (即将到期, 5 days' lead), case_b due
  04-10 (今日到期), P5 due 04-05 (已超期);
- an open 退回补充侦查 of P5 (team B) from 2025-03-20;
- coercive measures: 取保候审 王一 (P5, B) 2025-02-05, 监视居住 周三 (A2, B) 2025-01-17,
  指定居所监视居住 孙四 (P1, A) 2025-02-01, 取保候审 吴三 (P3, B) 2025-04-02 (after Q1).
"""

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from bihuan.casecode.models import OfficeSetting
from bihuan.cases.models import CoerciveMeasure, ProceduralLink
from bihuan.deadlines.models import CaseDue
from bihuan.indicators.access import Scope
from bihuan.indicators.periods import month, quarter
from bihuan.indicators.reports import BY_SLUG, REPORTS, build, drill, uncased_findings
from bihuan.patrol.models import CloseReason, Finding, FindingStatus, Notice, Reply, Rule, Severity, Verification
from tests import factories as f
from tests import test_indicators_engine as dataset
from tests.test_casecode_stats import evaluate

Q1 = dataset.Q1
TODAY = date(2025, 4, 10)
QUARTER = {"year": "2025", "period": "q1"}
ZONE = ZoneInfo("Asia/Shanghai")


def _due(case, day):
    CaseDue.objects.update_or_create(
        case=case,
        defaults={
            "due_date": day,
            "due_kind": "prosecution_review",
            "org_id": case.org_id,
            "department_id": case.department_id,
            "team_id": case.team_id,
            "prosecutor_id": case.prosecutor_id,
        },
    )


base = dataset.data  # the indicators' hand-built data set, as a fixture of this module


@pytest.fixture
def data(base, time_machine):
    time_machine.move_to(datetime.combine(TODAY, time(9, 0), tzinfo=ZONE), tick=False)
    world, c, s = base.world, base.cases, base.suspects
    CaseDue.objects.update(due_date=None, due_kind="")
    _due(world.case_a, date(2025, 4, 12))
    _due(world.case_b, date(2025, 4, 10))
    _due(c["P5"], date(2025, 4, 5))
    ProceduralLink.objects.create(case=c["P5"], kind="supplementary", start_date=date(2025, 3, 20))
    for name, kind, start in (
        ("王一", "bail", date(2025, 2, 5)),
        ("周三", "residence", date(2025, 1, 17)),
        ("孙四", "designated_residence", date(2025, 2, 1)),
        ("吴三", "bail", date(2025, 4, 2)),
    ):
        CoerciveMeasure.objects.create(suspect=s[name], kind=kind, start_date=start)
    return base


def county(world) -> Scope:
    return Scope("org", world.county)


def figures(data, slug, scope=None, by="team", period=Q1):
    """{"A": [...], "B": [...], "total": [...]}: the cells' texts of team A, team B and the total."""
    world = data.world
    table = build(BY_SLUG[slug], scope or county(world), period, by, user=world.people["chief"], today=TODAY)
    names = {str(world.team_a.pk): "A", str(world.team_b.pk): "B"} if by == "team" else {}
    result = {names.get(line.group, line.group): [cell.text for cell in line.cells] for line in table.lines}
    result["total"] = [cell.text for cell in table.total.cells]
    return result


def test_report_1_intake_and_conclusion(data):
    # received in Q1: P1 (01-05) and P4 (03-01) in team A, A2 (01-10) and P5 (02-01) in team B.
    # concluded in Q1: A P1, P4 (审查起诉); B A2 (审查逮捕), P3 (审查起诉).
    # open on 03-31: A case_a; B P5, case_b.
    # 案-件比: A M1 (last stage P1; 不批捕复议, 退补, 延长, 上诉 = 4 links) and M4 (0): 6 件 / 2 案;
    # B M2 (0) and M3 (退补 ×2, 延长, 撤回起诉 = 4): 6 / 2.
    assert figures(data, "intake") == {
        "A": ["2", "2", "0", "2", "1", "6", "2", "1 : 3.00"],
        "B": ["2", "2", "1", "1", "2", "6", "2", "1 : 3.00"],
        "total": ["4", "4", "1", "3", "3", "12", "4", "1 : 3.00"],
    }


def test_report_2_review_days_and_running_periods(data):
    # A: P1 40 − 15 = 25 days, P4 10 days, both 简案: 35 / 2 = 17.5. B: P3 129 − 60 = 69, 繁案.
    # Today 04-10: case_a due 04-12 (soon), case_b due today, P5 overdue since 04-05.
    assert figures(data, "deadlines") == {
        "A": ["2", "17.5 天", "17.5 天", "—", "1", "1", "0", "0"],
        "B": ["1", "69.0 天", "—", "69.0 天", "2", "0", "1", "1"],
        "total": ["3", "34.7 天", "17.5 天", "69.0 天", "3", "1", "1", "1"],
    }


def test_report_3_returns_and_extensions(data):
    # A: P1 (one return, one extension) and P4. B: P3 (returns seq 1 and 2, one extension);
    # P5 (B, open) is out since 03-20.
    assert figures(data, "returns") == {
        "A": ["2", "1", "1", "0", "50.0%", "1", "50.0%", "0"],
        "B": ["1", "2", "1", "1", "200.0%", "1", "100.0%", "1"],
        "total": ["3", "3", "2", "1", "100.0%", "2", "66.7%", "1"],
    }


def test_report_4_plea_and_sentencing_recommendations(data):
    # A: 孙三 (认罚, 确定刑), 孙四 (幅度刑), 郑一 (认罚, 确定刑); judged in Q1: 孙三 (adopted).
    # B: 吴一, 吴二 (认罚, 确定刑), 吴三; judged in Q1: 吴二 (not adopted), 冯一 (P6, adopted).
    assert figures(data, "plea") == {
        "A": ["3", "2", "66.7%", "3", "2", "66.7%", "1", "1", "100.0%"],
        "B": ["3", "2", "66.7%", "2", "2", "100.0%", "2", "1", "50.0%"],
        "total": ["6", "4", "66.7%", "5", "4", "80.0%", "3", "2", "66.7%"],
    }


def test_report_5_coercive_measures_and_pretrial_detention(data):
    # Started in Q1: 逮捕 郑一 (A, 02-20); 取保 王一 (B); 监视居住 周三 (B), 孙四 (A, 指定居所).
    # Arrested on the closing day: A 孙三, 郑一 of 3; B 吴三 of 3.
    assert figures(data, "measures") == {
        "A": ["1", "0", "1", "3", "2", "66.7%"],
        "B": ["0", "1", "1", "3", "1", "33.3%"],
        "total": ["1", "1", "2", "6", "3", "50.0%"],
    }


def test_report_6_no_arrest_and_non_prosecution_by_kind(data):
    # 审查逮捕 concluded in Q1: A2 (B) only: 周三 refused of 3; team A none ("—").
    # 不起诉: A 孙四 相对 of 3; B 吴三 存疑 of 3.
    assert figures(data, "declined") == {
        "A": ["0", "0", "—", "3", "1", "0", "1", "0", "0", "33.3%"],
        "B": ["3", "1", "33.3%", "3", "1", "0", "0", "1", "0", "33.3%"],
        "total": ["3", "1", "33.3%", "6", "2", "0", "1", "1", "0", "33.3%"],
    }


def test_breakdowns_by_prosecutor_and_the_tree_with_the_unassigned(data):
    world = data.world
    by_person = figures(data, "intake", by="prosecutor")
    # pros_a handles team A's cases, pros_b team B's.
    assert by_person[str(world.people["pros_a"].pk)] == ["2", "2", "0", "2", "1", "6", "2", "1 : 3.00"]
    # The city with the counties below, by procuratorate: C1 (city, no team) concluded 01-20.
    tree = figures(data, "intake", scope=Scope("tree", world.city), by="org")
    assert tree[str(world.city.pk)][:5] == ["1", "1", "0", "1", "1"]  # and world.case_city is open
    assert tree[str(world.county.pk)] == ["4", "4", "1", "3", "3", "12", "4", "1 : 3.00"]
    # The city alone by team: C1 has no team.
    city = figures(data, "intake", scope=Scope("org", world.city))
    assert city["none"][:4] == ["1", "1", "0", "1"]


def test_a_month_counts_only_its_days(data):
    # February: received P5 (B); concluded P1 (A).
    assert figures(data, "intake", period=month(2025, 2))["total"][:4] == ["1", "1", "0", "1"]


def test_every_number_opens_exactly_its_cases(data):
    world = data.world
    chief = world.people["chief"]
    c = data.cases

    def cases(slug, column, group=""):
        _, found = drill(
            BY_SLUG[slug], column, county(world), Q1, user=chief, today=TODAY, by="team" if group else None, group=group
        )
        return {case.name for case in found}

    team_b = str(world.team_b.pk)
    assert cases("intake", "received", team_b) == {c["A2"].name, c["P5"].name}
    assert cases("intake", "open_at_end") == {c["P5"].name, world.case_a.name, world.case_b.name}
    assert cases("deadlines", "overdue") == {c["P5"].name}
    assert cases("returns", "second_returns") == {c["P3"].name}
    assert cases("measures", "residence", team_b) == {c["A2"].name}
    assert cases("declined", "np_evidence") == {c["P3"].name}
    # Indicator figures: the engine's own drill-down sets, narrowed to the team.
    assert cases("plea", "recommendation_adoption_rate.denominator", team_b) == {c["P3"].name, c["P6"].name}
    assert cases("declined", "no_arrest_rate.value") == {c["A2"].name}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(user, slug, **params):
    return client_for(user).get(f"/indicators/reports/{slug}/", {**QUARTER, **params})


def test_page_links_every_number_to_its_cases(data):
    world = data.world
    chief = world.people["chief"]
    body = page(chief, "returns", scope=f"org:{world.county.code}", by="team").content.decode()
    assert "报表3 退补与延长" in body and "2025年第1季度" in body and "按办案团队" in body
    assert "口径" in body and "第一次退回补充侦查" in body  # the definitions of the columns
    links = re.findall(r'href="/indicators/reports/cases/\?([^"]+)"', body)
    assert len(links) == 3 * 8  # two teams and the total, eight columns
    # The 二退 of team B opens P3.
    second = next(
        link
        for link in links
        if "column=second_returns" in link and f"group={world.team_b.pk}" in link.replace("&amp;", "&")
    )
    listing = client_for(chief).get(f"/indicators/reports/cases/?{second.replace('&amp;', '&')}")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert data.cases["P3"].name in text and data.cases["P1"].name not in text
    params = parse_qs(second.replace("&amp;", "&"))
    assert params["report"] == ["returns"] and params["period"] == ["q1"] and params["by"] == ["team"]


def test_the_index_lists_the_eight_reports_and_the_menu_has_it(data):
    body = client_for(data.world.people["head"]).get("/indicators/reports/").content.decode()
    for report in REPORTS:
        assert f'href="/indicators/reports/{report.slug}/"' in body and report.title in body
    assert 'href="/indicators/reports/"' in body  # the menu entry 报表


def test_print_layout(data):
    body = page(data.world.people["chief"], "intake").content.decode()
    assert "indicators/report.css" in body and "window.print()" in body
    with open(finders.find("indicators/report.css"), encoding="utf-8") as handle:
        style = handle.read()
    assert "@media print" in style and "size: A4 landscape" in style and ".sidebar" in style


def test_excel_export_reads_back(data):
    world = data.world
    response = client_for(world.people["chief"]).get(
        "/indicators/reports/export/",
        {"report": "declined", "scope": f"org:{world.county.code}", "by": "team", **QUARTER},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="report6-declined-2025q1.xlsx"'
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["不捕不诉", "口径说明"]
    sheet = book["不捕不诉"]
    assert sheet["A1"].value == f"报表6 不捕不诉 · {world.county.name}（本院） · 2025年第1季度 · 按办案团队"
    header = [cell.value for cell in sheet[2]]
    assert header[:4] == ["办案团队", "批准逮捕人数 + 不批准逮捕人数（人）", "不批准逮捕人数（人）", "不捕率（%）"]
    assert header[6] == "法定不起诉（人）"
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["合计"] == (3, 1, 33.3, 6, 2, 0, 1, 1, 0, 33.3)
    team_a = rows[f"{world.county.short_name}·{world.team_a.name}"]
    assert team_a[:3] == (0, 0, None)  # no arrest review: an empty cell, not a zero rate
    notes = [row for row in book["口径说明"].iter_rows(min_row=3, values_only=True)]
    assert notes[0][0] == "批准逮捕人数 + 不批准逮捕人数" and "审查逮捕案件的审结日期" in notes[0][2]


#
# Report 7: 流程监控与整改, on hand-made findings and notices of the data set's cases (first quarter
# of 2025, today 2025-04-10; times are local, Asia/Shanghai)
#


def local(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


def _finding(rule, case, severity, opened, *, notice=None, closed=None, reason="", **unit):
    """A finding on `case` with the case's scope columns, or on a report figure (`unit`)."""
    if case is not None:
        unit = {name: getattr(case, name) for name in ("org", "department", "team", "prosecutor")}
    return Finding.objects.create(
        rule=rule,
        subject=f"case:{case.pk}" if case else f"report:{unit['org'].pk}:2025-03:intake",
        case=case,
        severity=severity,
        message=f"问题{opened:%m%d}",
        opened_at=opened,
        last_seen_at=opened,
        reply_due=opened.date() + timedelta(days=10),
        notice=notice,
        status=FindingStatus.CLOSED if closed else FindingStatus.OPEN,
        closed_at=closed,
        close_reason=reason,
        **unit,
    )


def _notice(number, case, issued, due, *, severity=Severity.SERIOUS, replied=None, late=False, **unit):
    notice = Notice.objects.create(
        number=number,
        org=case.org if case else unit["org"],
        department=case.department if case else unit["department"],
        case=case,
        severity=severity,
        reported_to_chief=severity == Severity.GRAVE,
        issued_at=issued,
        reply_due=due,
    )
    if replied:
        Reply.objects.create(
            notice=notice,
            findings_checked="已核查",
            outcome="rectified",
            replied_by=case.prosecutor,
            replied_at=replied,
            late=late,
        )
    return notice


@pytest.fixture
def patrolled(data):
    """Team A: F1 on P1 (轻微, found 01-10, verified 02-01); F2 on P4 (较重, found 02-15, notice N1
    due 02-26 and answered late 03-01, resolved 04-05 — after the quarter); F5 on case_a (轻微,
    found 2024-11-01, resolved 03-31 23:30, the quarter's last evening).
    Team B: F3 on P5 (严重, found 03-10, notice N2 reported to the chief, due 03-21, no reply,
    open); F4 on case_b (轻微, found 2024-12-20, a false alarm on 01-05); notice N4 on P3 (issued
    2024-12-28, due 01-07, answered on time 01-06); notice N5 on case_b (issued 2024-12-30, due
    01-09, answered late 01-12); F7 on P3 (轻微, found 04-01 00:30 — after the quarter).
    Notice N6 on P1 (A): issued 2024-12-31, due 01-10, answered in time 01-08, the office did not
    accept the reply on 01-13 (new due date 01-23), answered again late on 01-27.
    No team: F6 on the county's report figures (较重, found 03-31, notice N3 without a case, due
    04-10, open)."""
    world, c = data.world, data.cases
    rules = {
        severity: Rule.objects.create(
            code=f"T7-{severity}",
            name=f"规则{severity}",
            category="card",
            basis="《人民检察院刑事诉讼规则》第六百六十四条",
            severity=severity,
            message="问题",
            definition={},
        )
        for severity in Severity
    }
    minor, serious, grave = rules[Severity.MINOR], rules[Severity.SERIOUS], rules[Severity.GRAVE]
    n1 = _notice("N1", c["P4"], local(date(2025, 2, 16)), date(2025, 2, 26), replied=local(date(2025, 3, 1)), late=True)
    n2 = _notice("N2", c["P5"], local(date(2025, 3, 11)), date(2025, 3, 21), severity=Severity.GRAVE)
    office = {"org": world.county, "department": world.county_dept}
    n3 = _notice("N3", None, local(date(2025, 3, 31)), date(2025, 4, 10), **office)
    _notice("N4", c["P3"], local(date(2024, 12, 28)), date(2025, 1, 7), replied=local(date(2025, 1, 6)))
    n6 = _notice("N6", c["P1"], local(date(2024, 12, 31)), date(2025, 1, 10), replied=local(date(2025, 1, 8)))
    Verification.objects.create(
        notice=n6, closed=False, note="未整改", verified_by=world.people["cm"], verified_at=local(date(2025, 1, 13))
    )
    Notice.objects.filter(pk=n6.pk).update(reply_due=date(2025, 1, 23))
    Reply.objects.create(
        notice=n6,
        findings_checked="再次核查",
        outcome="rectified",
        replied_by=c["P1"].prosecutor,
        replied_at=local(date(2025, 1, 27)),
        late=True,
    )
    _notice(
        "N5", world.case_b, local(date(2024, 12, 30)), date(2025, 1, 9), replied=local(date(2025, 1, 12)), late=True
    )
    verified, resolved = CloseReason.VERIFIED, CloseReason.RESOLVED
    found = {
        "F1": _finding(
            minor, c["P1"], "minor", local(date(2025, 1, 10)), closed=local(date(2025, 2, 1)), reason=verified
        ),
        "F2": _finding(
            serious,
            c["P4"],
            "serious",
            local(date(2025, 2, 15)),
            notice=n1,
            closed=local(date(2025, 4, 5)),
            reason=resolved,
        ),
        "F3": _finding(grave, c["P5"], "grave", local(date(2025, 3, 10)), notice=n2),
        "F4": _finding(
            minor,
            world.case_b,
            "minor",
            local(date(2024, 12, 20)),
            closed=local(date(2025, 1, 5)),
            reason=CloseReason.FALSE_ALARM,
        ),
        "F5": _finding(
            minor,
            world.case_a,
            "minor",
            local(date(2024, 11, 1)),
            closed=local(date(2025, 3, 31), 23, 30),
            reason=resolved,
        ),
        "F6": _finding(serious, None, "serious", local(date(2025, 3, 31)), notice=n3, **office),
        "F7": _finding(minor, c["P3"], "minor", local(date(2025, 4, 1), 0, 30)),
    }
    data.findings = found
    return data


def test_report_7_findings_notices_and_rectification(patrolled):
    # Columns: 发现问题, 轻微, 较重, 严重, 通知书, 报告检察长, 逾期未回复, 已整改销号, 误报, 期末未整改, 整改率.
    # A: found F1, F2 (轻微 1, 较重 1); N1 issued, due 02-26 and answered late; N6 (issued in
    #    2024) due 01-23 after the office overruled its timely reply, answered late; rectified in Q1 F1
    #    (02-01) and F5 (03-31 23:30); open on 03-31: F2 (closed 04-05); 整改率: of F1, F2 only F1
    #    was rectified by 03-31: 1 / 2.
    # B: found F3 (严重); N2 issued, to the chief; unanswered: N2 (due 03-21, no reply, past) and
    #    N5 (due 01-09, late); false alarm F4; open F3; 整改率 0 / 1. N4 answered in time; F7 is April's.
    # No team: F6 (较重) and its notice N3 (no case, so no team); N3 is due 04-10, after Q1; open.
    # Total: 4 found, 整改率 1 / 4.
    assert figures(patrolled, "patrol") == {
        "A": ["2", "1", "1", "0", "1", "0", "2", "2", "0", "1", "50.0%"],
        "B": ["1", "0", "0", "1", "1", "1", "2", "0", "1", "1", "0.0%"],
        "none": ["1", "0", "1", "0", "1", "0", "0", "0", "0", "1", "0.0%"],
        "total": ["4", "1", "2", "1", "3", "1", "4", "2", "1", "3", "25.0%"],
    }


def test_report_7_other_scopes_periods_and_today(patrolled):
    world = patrolled.world
    # By department: one department holds everything, the report notice N3 included (its own
    # department), so its row is the total.
    by_department = figures(patrolled, "patrol", by="department")
    assert by_department[str(world.county_dept.pk)] == by_department["total"]
    # Team B's own report: its cases' notices (N2, N5), not the report notice N3.
    team_b = figures(patrolled, "patrol", scope=Scope("team", world.county, team=world.team_b), by="prosecutor")
    assert team_b["total"] == ["1", "0", "0", "1", "1", "1", "2", "0", "1", "1", "0.0%"]
    assert team_b[str(world.people["pros_b"].pk)] == team_b["total"]
    # The city with the counties below: the county's row is the county's total.
    tree = figures(patrolled, "patrol", scope=Scope("tree", world.city), by="org")
    assert tree[str(world.county.pk)] == ["4", "1", "2", "1", "3", "1", "4", "2", "1", "3", "25.0%"]
    # April: F7 found (轻微); F2 rectified 04-05; N3 due 04-10 is today, not yet past; still open at
    # 04-30: F3, F6, F7. Nothing found in May … but the open ones still count.
    assert figures(patrolled, "patrol", by=None, period=month(2025, 4))["total"] == [
        "1", "1", "0", "0", "0", "0", "0", "1", "0", "3", "0.0%"
    ]  # fmt: skip
    # On 03-21, N2's due day, N2 is not yet unanswered: only N5 is.
    team_scope = Scope("team", world.county, team=world.team_b)
    table = build(BY_SLUG["patrol"], team_scope, Q1, None, user=world.people["chief"], today=date(2025, 3, 21))
    assert table.total.cells[6].text == "1"
    # An empty period: zeros, and the rate "—" (no finding).
    empty = figures(patrolled, "patrol", by=None, period=month(2024, 6))["total"]
    assert empty == ["0"] * 10 + ["—"]


def test_report_7_numbers_open_their_cases_and_report_findings(patrolled):
    world, c, found = patrolled.world, patrolled.cases, patrolled.findings
    chief = world.people["chief"]
    report = BY_SLUG["patrol"]

    def cases(column, group=""):
        by = "team" if group else None
        _, rows = drill(report, column, county(world), Q1, user=chief, today=TODAY, by=by, group=group)
        return {case.name for case in rows}

    def uncased(column, group=""):
        by = "team" if group else None
        rows = uncased_findings(report, column, county(world), Q1, user=chief, today=TODAY, by=by, group=group)
        return set(rows)

    team_a, team_b = str(world.team_a.pk), str(world.team_b.pk)
    assert cases("found", team_a) == {c["P1"].name, c["P4"].name}
    assert cases("found_grave") == {c["P5"].name}
    assert cases("unanswered", team_b) == {c["P5"].name, world.case_b.name}
    assert cases("unanswered", team_a) == {c["P4"].name, c["P1"].name}  # N6: its timely reply overruled
    assert cases("rectified") == {c["P1"].name, world.case_a.name}
    assert cases("false_alarms", team_b) == {world.case_b.name}
    assert cases("open_at_end") == {c["P4"].name, c["P5"].name}  # and F6, which has no case
    assert cases("rectified_by_end") == {c["P1"].name}  # what the 整改率 links to
    # The report figure's finding: listed as a finding, under no team; its notice's too.
    assert cases("open_at_end", "none") == set()
    assert uncased("open_at_end", "none") == {found["F6"]}
    assert uncased("notices") == {found["F6"]}
    assert uncased("found", team_a) == set() and uncased("found") == {found["F6"]}

    table = build(report, county(world), Q1, "team", user=chief, today=TODAY)
    rate = parse_qs(table.total.cells[-1].url.split("?", 1)[1])
    assert rate["column"] == ["rectified_by_end"]
    listing = client_for(chief).get(
        "/indicators/reports/cases/",
        {"report": "patrol", "column": "open_at_end", "by": "team", "group": "none", **QUARTER},
    )
    text = listing.content.decode()
    assert listing.status_code == 200 and "业务报表问题（无案件）" in text and found["F6"].message in text
    assert c["P5"].name not in text  # team B's case is not in the unassigned row
    whole = (
        client_for(chief)
        .get("/indicators/reports/cases/", {"report": "patrol", "column": "open_at_end", **QUARTER})
        .content.decode()
    )
    assert c["P4"].name in whole and c["P5"].name in whole and found["F6"].message in whole
    # Other reports' lists have no such section.
    other = client_for(chief).get("/indicators/reports/cases/", {"report": "intake", "column": "received", **QUARTER})
    assert "业务报表问题" not in other.content.decode()


def test_report_7_page_excel_and_print(patrolled):
    world = patrolled.world
    chief = world.people["chief"]
    body = page(chief, "patrol", by="team").content.decode()
    assert "报表7 流程监控与整改" in body and "window.print()" in body
    # The 口径 of the columns and the notes on how notices are counted.
    assert "期间发现且期末前已整改的件次 ÷ 发现问题件次" in body and "归入“未分配”" in body
    assert len(re.findall(r'href="/indicators/reports/cases/\?[^"]*report=patrol', body)) == 4 * 11
    export = client_for(chief).get("/indicators/reports/export/", {"report": "patrol", "by": "team", **QUARTER})
    assert export["Content-Disposition"] == 'attachment; filename="report7-patrol-2025q1.xlsx"'
    book = load_workbook(BytesIO(export.content))
    assert book.sheetnames == ["流程监控与整改", "口径说明"]
    sheet = book["流程监控与整改"]
    header = [cell.value for cell in sheet[2]]
    assert header[:2] == ["办案团队", "发现问题（件次）"] and header[-1] == "整改率（%）"
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["合计"] == (4, 1, 2, 1, 3, 1, 4, 2, 1, 3, 25)
    assert rows["（未分配）"] == (1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0)
    assert rows[f"{world.county.short_name}·{world.team_a.name}"][-1] == 50
    notes = {row[0]: row[2] for row in book["口径说明"].iter_rows(min_row=3, values_only=True)}
    assert "期间发现且期末前已整改的件次 ÷ 发现问题件次" in notes["整改率"]
    assert "在期限内没有书面回复" in notes["逾期未回复（红灯）"]


def test_a_prosecutor_sees_their_own_report_only(data):
    world = data.world
    pros_a = world.people["pros_a"]
    own = page(pros_a, "intake")
    assert own.status_code == 200
    body = own.content.decode()
    # By default the prosecutor's own cases, one row: P1, P4 received and concluded, case_a open.
    assert (
        "（承办检察官）" in body and 'data-group="total"' in body and 'data-group="' + str(world.team_a.pk) not in body
    )
    assert page(pros_a, "intake", scope=f"team:{world.team_a.pk}").status_code == 200
    for scope in (f"team:{world.team_b.pk}", f"person:{world.people['pros_b'].pk}", f"org:{world.county.code}"):
        assert page(pros_a, "intake", scope=scope).status_code == 404
        drill_url = "/indicators/reports/cases/"
        response = client_for(pros_a).get(
            drill_url, {"report": "intake", "column": "received", "scope": scope, **QUARTER}
        )
        assert response.status_code == 404
        export = client_for(pros_a).get("/indicators/reports/export/", {"report": "intake", "scope": scope, **QUARTER})
        assert export.status_code == 404


@pytest.mark.parametrize("role", ["investigator", "sysadmin"])
def test_roles_without_case_data_are_refused(data, role):
    assert page(data.world.people[role], "intake").status_code == 403


def test_unknown_reports_columns_and_units_are_refused(data):
    world = data.world
    client = client_for(world.people["chief"])
    base = {"report": "intake", "scope": f"org:{world.county.code}", **QUARTER}
    assert client.get("/indicators/reports/cases/", {**base, "column": "nothing"}).status_code == 404
    by_org = {**base, "column": "received", "by": "org", "group": "1"}  # no such breakdown of one office
    assert client.get("/indicators/reports/cases/", by_org).status_code == 400
    assert client.get("/indicators/reports/export/", {**base, "report": "nothing"}).status_code == 404


def test_a_city_report_costs_a_fixed_number_of_queries(data, django_assert_max_num_queries):
    """Set-based: a page costs the same few queries whatever the number of cases."""
    world = data.world
    client = client_for(world.people["city_chief"])
    params = {"scope": f"tree:{world.city.code}", "by": "prosecutor", **QUARTER}

    def counted() -> list[int]:
        result = []
        for report in REPORTS:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(report.get_absolute_url(), params).status_code == 200
            result.append(len(queries))
        return result

    # The first request also reads the session and caches the menu; the engine reads the tree's
    # procuratorates' ids before summing the fact table.
    assert max(counted()) <= 21
    before = counted()
    for n in range(5):  # more cases, prosecutors and suspects in the period
        unit = {"department": world.county_dept, "team": world.team_b}
        person = f.make_person(["prosecutor"], org=world.county, **unit)
        case = f.make_case(world.county, **unit, prosecutor=person, received=date(2025, 2, n + 1))
        f.make_suspect(case, f"新{n}")
    assert counted() == before


#
# Report 8: 案件码, on a few evaluated cases (the scoring of tests/test_casecode_stats.py)
#


@pytest.fixture
def coded(world, time_machine):
    time_machine.move_to(datetime.combine(date(2026, 3, 31), time(9, 0), tzinfo=ZONE), tick=False)
    for org in (world.city, world.county):
        OfficeSetting.objects.create(org=org, all_cases=True)
    p = world.people
    a, b = world.case_a, world.case_b
    evaluate(a, p["pros_a"], date(2026, 1, 10), ("主体身份", 10, True))  # red
    evaluate(a, p["pros_a"], date(2026, 2, 5), ("主观方面", 10, False), ("因果关系", 5, False))  # yellow 85
    evaluate(a, p["pros_a"], date(2026, 3, 1), ("因果关系", 5, False))  # green 95
    evaluate(b, p["pros_b"], date(2025, 12, 20), ("主观方面", 10, False), ("因果关系", 5, False))  # yellow
    evaluate(
        b,
        p["pros_b"],
        date(2026, 1, 15),
        ("客观行为与危害结果", 15, False),
        ("主观方面", 10, False),
        ("前科累犯", 10, False),
    )  # red 65
    evaluate(world.case_city, p["city_chief"], date(2026, 2, 1))  # the city: outside the county
    return world


def test_report_8_case_codes(coded):
    world = coded
    table = build(
        BY_SLUG["casecode"],
        Scope("org", world.county),
        quarter(2026, 1),
        "team",
        user=world.people["chief"],
        today=date(2026, 3, 31),
    )
    cells = {line.group: [cell.text for cell in line.cells] for line in table.lines}
    # case_a (A): evaluated, now green; 转码 red→yellow, yellow→green (the first evaluation is no
    # change); turned green 03-01 after red since 01-10: 50 days; no re-evaluation due.
    assert cells[str(world.team_a.pk)] == ["1", "0", "0", "1", "2", "1", "50.0 天", "0"]
    # case_b (B): red since 01-15 (yellow before: a 转码); red is re-evaluated every 7 days: overdue.
    assert cells[str(world.team_b.pk)] == ["1", "1", "0", "0", "1", "0", "—", "1"]
    assert [cell.text for cell in table.total.cells] == ["2", "1", "0", "1", "3", "1", "50.0 天", "1"]
    # Deductions of Q1 2026 in the county: 主观方面 twice (a 02-05, b 01-15: 20 points), 因果关系
    # twice (a 02-05, 03-01: 10 points), then once each 客观行为与危害结果 (15), 主体身份 (10, veto),
    # 前科累犯 (10); the 2025 evaluation of b does not count.
    assert [(item["name"], item["n"], item["points"]) for item in table.items] == [
        ("主观方面", 2, Decimal(20)),
        ("因果关系", 2, Decimal(10)),
        ("客观行为与危害结果", 1, Decimal(15)),
        ("主体身份", 1, Decimal(10)),
        ("前科累犯", 1, Decimal(10)),
    ]
    body = (
        client_for(world.people["chief"])
        .get("/indicators/reports/casecode/", {"year": "2026", "period": "q1", "by": "team"})
        .content.decode()
    )
    assert "高频扣分项" in body and "column=item" in body
