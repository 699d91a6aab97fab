"""`bihuan casecode list` and `bihuan casecode qr`."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from bihuan.casecode.actions import DeductionInput, InquiryInput, do_evaluate, do_issue_link
from bihuan.casecode.models import ShareToken
from bihuan.casecode.sharing import current_link, link_url
from tests import factories as f
from tests.test_casecode_share import decode_png, scored_case, template_items


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("casecode", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def coded(world):
    """A yellow case (87) in the county, a green one (100) in the city, a red one (veto) in the
    other county, and an unscored case of the same kind."""
    yellow = scored_case(world)
    items = template_items()
    pros = world.people["pros_a"]
    green = f.make_case(world.city, department=world.city_dept, prosecutor=pros, case_type="arrest_review")
    do_evaluate(green, actor=pros, deductions=[])
    red = f.make_case(world.other_county, prosecutor=pros, case_type="arrest_review")
    identity = items["主体身份"].pk
    do_evaluate(
        red,
        actor=pros,
        deductions=[DeductionInput(identity, Decimal(10), "身份不明", veto=True)],
        inquiries=[InquiryInput(identity, "身份不明", "查明身份", "比对指纹", "尽快查明")],
    )
    f.make_case(world.county, prosecutor=pros, case_type="arrest_review")  # not scored
    return {"yellow": yellow, "green": green, "red": red}


def test_list_json_gives_every_evaluated_case(coded):
    out, _ = run("list", "--json")
    rows = json.loads(out)
    by_number = {row["dept_case_no"]: row for row in rows}
    assert set(by_number) == {case.dept_case_no for case in coded.values()}
    shown = {key: by_number[case.dept_case_no] for key, case in coded.items()}
    assert {key: (row["score"], row["colour"], row["org"]) for key, row in shown.items()} == {
        "yellow": (87.0, "yellow", "371002"),
        "green": (100.0, "green", "371000"),
        "red": (90.0, "red", "371082"),  # a veto makes it red whatever the score
    }
    assert shown["yellow"]["reevaluate_by"] is not None and shown["green"]["reevaluate_by"] is None
    assert shown["yellow"]["evaluated_at"].startswith(str(coded["yellow"].code.current.evaluated_at.year))


def test_list_filters_by_colour_and_procuratorate(coded):
    assert [r["dept_case_no"] for r in json.loads(run("list", "--colour", "red", "--json")[0])] == [
        coded["red"].dept_case_no
    ]
    # The city's code takes in the counties below it.
    assert len(json.loads(run("list", "--org", "371000", "--json")[0])) == 3
    assert [r["dept_case_no"] for r in json.loads(run("list", "--org", "371002", "--json")[0])] == [
        coded["yellow"].dept_case_no
    ]
    assert json.loads(run("list", "--colour", "green", "--org", "371082", "--json")[0]) == []
    with pytest.raises(CommandError, match="没有单位编码为 999999"):
        run("list", "--org", "999999")


def test_list_without_json_is_a_table(coded):
    out, _ = run("list", "--colour", "yellow")
    lines = out.splitlines()
    assert "部门受案号" in lines[0] and "得分" in lines[0]
    assert coded["yellow"].dept_case_no in lines[1] and "87.0" in lines[1] and "黄码" in lines[1]
    assert lines[-1] == "共 1 件已评分案件。"


def test_qr_writes_the_live_link_and_issues_one_when_needed(coded, world, tmp_path, settings):
    settings.SITE_URL = "http://testserver"
    case = coded["yellow"]
    out_file = tmp_path / "code.png"
    # No live link: one is issued in the handling prosecutor's name.
    out, err = run("qr", case.dept_case_no, "--out", str(out_file))
    link = current_link(case)
    assert link is not None and link.created_by == world.people["pros_a"]
    assert "已生成新链接" in err and str(out_file) in out
    url = decode_png(out_file.read_bytes())
    assert url == link_url(link)
    page = Client().get(url.removeprefix("http://testserver"))
    assert page.status_code == 200 and case.dept_case_no in page.content.decode()
    # With a live link, the same link again; the printed 〔〕 form of the number is accepted.
    printed = case.dept_case_no.replace("[", "〔").replace("]", "〕")
    run("qr", printed, "--out", str(out_file))
    assert decode_png(out_file.read_bytes()) == link_url(link)
    assert ShareToken.objects.filter(case=case).count() == 1
    # A revoked link is replaced by a new one.
    fresh = do_issue_link(case, actor=world.people["pros_a"])
    run("qr", case.dept_case_no, "--out", str(out_file))
    assert decode_png(out_file.read_bytes()) == link_url(fresh)


def test_qr_refuses_unknown_and_unscored_cases(coded, world, tmp_path):
    out_file = tmp_path / "code.png"
    with pytest.raises(CommandError, match="没有部门受案号"):
        run("qr", "不存在的案号", "--out", str(out_file))
    with pytest.raises(CommandError, match="尚未评分"):
        run("qr", world.case_a.dept_case_no, "--out", str(out_file))
    with pytest.raises(CommandError, match="没有用户名"):
        run("qr", coded["green"].dept_case_no, "--out", str(out_file), "--user", "nobody")
    assert not out_file.exists()
