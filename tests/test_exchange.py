"""The exchange format: loadcases ↔ dumpcases round trip, idempotency, changes, bad lines."""

import copy
import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from bihuan.cases.models import Case, Charge, NumberSequence, Suspect, Tag
from bihuan.cases.numbering import next_dept_case_no
from bihuan.events.models import Event
from bihuan.exchange import load as load_module
from bihuan.exchange.load import load_jsonl
from bihuan.exchange.records import canonical, dump_records, to_line
from bihuan.lib import idnumber
from bihuan.orgs.models import Agency
from tests import factories as f

# A number whose check character is X, written in lower case by the records below.
X_NUMBER = next(
    number
    for number in (idnumber.make("371002", date(1990, 5, 17), k, "M") for k in range(1, 1000, 2))
    if number.endswith("X")
)
CHARGES = {"危险驾驶罪": "133-1.01", "盗窃罪": "264.01", "故意伤害罪": "234.01", "诈骗罪": "266.01"}


@pytest.fixture
def units(db):
    """A city with two counties; the county 371002 has 第一检察部, 快审团队 and hc_pros1."""
    city = f.make_org("371000")
    county = f.make_org("371002", parent=city)
    other = f.make_org("371082", parent=city)
    department = f.make_department(county)
    team = f.make_team(department, "快审团队", fast_track=True)
    f.make_department(other)
    f.make_person(["prosecutor"], org=county, department=department, team=team, username="hc_pros1")
    f.make_person(["prosecutor"], org=other, username="rc_pros1")
    f.make_agency(county, "威海市公安局环翠分局")
    for name, code in CHARGES.items():
        Charge.objects.get_or_create(name=name, defaults={"code": code, "article": "", "article_no": "", "chapter": ""})
    return county


def full_record(n: int = 1, **changes) -> dict:
    """A 审查起诉 case with everything the format carries."""
    record = {
        "format": "bihuan.case/1",
        "dept_case_no": f"测02检刑诉受[2024]371002{n:06d}号",
        "unified_case_no": f"371002202400{n:05d}",
        "name": f"张某某等{n}人盗窃、故意伤害案",
        "case_type": "审查起诉",
        "org_code": "371002",
        "department": "第一检察部",
        "team": "快审团队",
        "prosecutor": "hc_pros1",
        "source_agency": "威海市公安局环翠分局",
        "charge": "盗窃罪",
        "received_date": "2024-03-05",
        "procedure": "普通程序",
        "track": "繁案",
        "risk_level": "中",
        "major_complex": True,
        "tags": ["群体性", "涉黑涉恶"],
        "stage": "审结",
        "outcome": "起诉",
        "closed_date": "2024-05-20",
        "summary": "2024年1月，张某某伙同李某某……",
        "suspects": [
            {
                "seq": 2,
                "name": "李某某",
                "former_name": "",
                "alias": "小李",
                "gender": "女",
                "birth_date": "2001-02-03",
                "id_number": idnumber.make("371002", date(2001, 2, 3), 20 + n, "F"),
                "ethnicity": "汉族",
                "education": "不详",
                "occupation": "无业",
                "employer": "",
                "household_address": "山东省威海市",
                "address": "山东省威海市环翠区",
                "minor": False,
                "prior_record": "",
                "charges": [{"name": "盗窃罪", "main": True}],
                "outcome": "相对不起诉",
                "plea": True,
                "plea_signed_date": "2024-04-01",
                "sentencing_recommendation": None,
                "court_result": None,
                "measures": [
                    {
                        "kind": "取保候审",
                        "deciding_body": "威海市公安局环翠分局",
                        "start_date": "2024-02-01",
                        "end_date": None,
                        "place": "",
                    }
                ],
            },
            {
                "seq": 1,
                "name": "张某某",
                "former_name": "张某",
                "alias": "",
                "gender": "男",
                "birth_date": "1990-05-17",
                "id_number": X_NUMBER.lower(),
                "ethnicity": "汉族",
                "education": "初中",
                "occupation": "无固定职业",
                "employer": "",
                "household_address": "山东省威海市环翠区",
                "address": "山东省威海市环翠区",
                "minor": False,
                "prior_record": "2019年因盗窃被判处拘役四个月",
                "charges": [{"name": "故意伤害罪", "main": False}, {"name": "盗窃罪", "main": True}],
                "outcome": "起诉",
                "plea": True,
                "plea_signed_date": "2024-04-02",
                "sentencing_recommendation": {
                    "kind": "幅度刑",
                    "penalty": "有期徒刑",
                    "term_min": 12,
                    "term_max": 18,
                    "probation": False,
                    "fine": "5000",
                },
                "court_result": {
                    "verdict": "有罪",
                    "judgment_date": "2024-06-30",
                    "penalty": "有期徒刑",
                    "term": 14,
                    "probation": False,
                    "fine": "5000.00",
                    "adopted": True,
                },
                "measures": [
                    {
                        "kind": "逮捕",
                        "deciding_body": "测02人民检察院",
                        "start_date": "2024-01-20",
                        "end_date": None,
                        "place": "威海市看守所",
                    },
                    {
                        "kind": "刑事拘留",
                        "deciding_body": "威海市公安局环翠分局",
                        "start_date": "2024-01-10",
                        "end_date": "2024-01-19",
                        "place": "威海市看守所",
                    },
                ],
            },
        ],
        "links": [
            {
                "kind": "延长审查起诉期限",
                "seq": 1,
                "start_date": "2024-05-06",
                "end_date": "2024-05-20",
                "approver": "李立新",
                "note": "",
                "suspect_seq": None,
            },
            {
                "kind": "退回补充侦查",
                "seq": 1,
                "start_date": "2024-03-20",
                "end_date": "2024-04-18",
                "approver": "李立新",
                "note": "补充张某某前科材料",
                "suspect_seq": 1,
            },
        ],
        "documents": [
            {
                "kind": "起诉书",
                "number": "测02检刑诉〔2024〕12号",
                "title": "起诉书",
                "signed_date": "2024-05-19",
                "text": "被告人张某某，男，1990年5月17日出生……",
            },
            {
                "kind": "起诉意见书",
                "number": "威环公刑诉字〔2024〕88号",
                "title": "起诉意见书",
                "signed_date": "2024-03-04",
                "text": "犯罪嫌疑人张某某……",
            },
        ],
    }
    record.update(changes)
    return record


def minimal_record(n: int, **changes) -> dict:
    """Only the required keys: an open 审查逮捕 case."""
    record = {
        "format": "bihuan.case/1",
        "dept_case_no": f"测02检刑捕受〔2024〕371002{n:06d}号",
        "unified_case_no": f"371002202400{n:05d}",
        "name": f"王某某诈骗案{n}",
        "case_type": "审查逮捕",
        "org_code": "371002",
        "received_date": "2024-02-10",
    }
    record.update(changes)
    return record


def write(tmp_path, lines: list, name: str = "cases.jsonl"):
    path = tmp_path / name
    text = "".join((line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n" for line in lines)
    path.write_text(text, encoding="utf-8")
    return path


def load(path, **kwargs):
    err = io.StringIO()
    report = load_jsonl(path, stderr=err, **kwargs)
    return report, err.getvalue()


def dumped(records: list[dict]) -> list[dict]:
    keys = [canonical(r)["dept_case_no"] for r in records]
    return list(dump_records(Case.objects.filter(dept_case_no__in=keys)))


#
# Round trip and idempotency
#


def test_dump_after_load_gives_the_canonical_records(units, tmp_path):
    records = [full_record(1), minimal_record(2), full_record(3, suspects=[], links=[], documents=[])]
    report, err = load(write(tmp_path, records))
    assert (report.created, report.updated, report.unchanged, report.rejected) == (3, 0, 0, 0), err
    assert dumped(records) == [canonical(r) for r in records]


def test_canonical_form_sorts_lists_and_fills_defaults(units):
    record = canonical(full_record(1))
    assert [s["seq"] for s in record["suspects"]] == [1, 2]
    first = record["suspects"][0]
    assert [c["name"] for c in first["charges"]] == ["盗窃罪", "故意伤害罪"]
    assert [m["kind"] for m in first["measures"]] == ["刑事拘留", "逮捕"]
    assert first["id_number"] == X_NUMBER
    assert first["sentencing_recommendation"]["fine"] == "5000.00"
    assert record["suspects"][1]["education"] == ""
    assert [x["kind"] for x in record["links"]] == ["退回补充侦查", "延长审查起诉期限"]
    assert [d["kind"] for d in record["documents"]] == ["起诉意见书", "起诉书"]
    assert record["tags"] == sorted(["群体性", "涉黑涉恶"])
    minimal = canonical(minimal_record(2))
    assert minimal["dept_case_no"] == "测02检刑捕受[2024]371002000002号"
    assert (minimal["procedure"], minimal["track"], minimal["risk_level"], minimal["stage"]) == (
        "普通程序",
        "",
        "低",
        "受理",
    )
    assert (minimal["suspects"], minimal["links"], minimal["documents"], minimal["tags"]) == ([], [], [], [])


def test_dumpcases_writes_canonical_lines(units, tmp_path):
    records = [full_record(1), minimal_record(2)]
    load(write(tmp_path, records))
    out = io.StringIO()
    call_command("dumpcases", stdout=out, stderr=io.StringIO())
    assert out.getvalue().splitlines() == [to_line(canonical(r)) for r in records]
    target = tmp_path / "out.jsonl"
    call_command("dumpcases", "--out", str(target), stderr=io.StringIO())
    assert target.read_text(encoding="utf-8") == out.getvalue()


def test_dumpcases_filters_by_unit_subtree_and_date(units, tmp_path):
    county_case = minimal_record(1)
    later = minimal_record(2, received_date="2024-06-01")
    city_case = minimal_record(3, dept_case_no="测00检刑捕受[2024]371000000003号", org_code="371000")
    load(write(tmp_path, [county_case, later, city_case]))

    def keys(*args):
        out = io.StringIO()
        call_command("dumpcases", *args, stdout=out, stderr=io.StringIO())
        return [json.loads(line)["dept_case_no"] for line in out.getvalue().splitlines()]

    assert len(keys("--org", "371000")) == 3
    assert keys("--org", "371002") == [canonical(county_case)["dept_case_no"], canonical(later)["dept_case_no"]]
    assert keys("--org", "371002", "--since", "2024-03-01") == [canonical(later)["dept_case_no"]]


def test_second_load_of_the_same_file_changes_nothing_and_says_so(units, tmp_path):
    path = write(tmp_path, [full_record(1), minimal_record(2)])
    load(path)
    events = Event.objects.count()
    out = io.StringIO()
    call_command("loadcases", str(path), stdout=out, stderr=io.StringIO())
    assert "新增 0 件，更新 0 件，未变 2 件，拒绝 0 行" in out.getvalue()
    assert "未作任何修改" in out.getvalue()
    assert Event.objects.count() == events


def test_brackets_are_stored_square(units, tmp_path):
    record = minimal_record(5)
    load(write(tmp_path, [record]))
    assert Case.objects.filter(dept_case_no="测02检刑捕受[2024]371002000005号").exists()
    square = dict(record, dept_case_no="测02检刑捕受[2024]371002000005号")
    report, _ = load(write(tmp_path, [square], "square.jsonl"))
    assert (report.created, report.unchanged) == (0, 1)


def test_a_changed_record_updates_the_case_and_logs_the_change(units, tmp_path):
    record = full_record(1)
    load(write(tmp_path, [record]))
    case = Case.objects.get(dept_case_no=canonical(record)["dept_case_no"])
    suspect_ids = set(case.suspects.values_list("pk", flat=True))
    changed = copy.deepcopy(record)
    changed["name"] = "张某某盗窃案"
    changed["risk_level"] = "高"
    changed["documents"] = changed["documents"][:1]
    report, err = load(write(tmp_path, [changed], "changed.jsonl"))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0), err
    assert dumped([changed]) == [canonical(changed)]
    case.refresh_from_db()
    assert case.row_version == 2
    # Suspects did not change, so their rows stay.
    assert set(case.suspects.values_list("pk", flat=True)) == suspect_ids
    event = Event.objects.filter(action="case.load.update").get()
    assert event.case_id == case.pk
    assert set(event.changes) == {"name", "risk_level", "documents"}
    assert event.changes["name"] == [canonical(record)["name"], "张某某盗窃案"]
    assert "案件名称" in event.summary

    moved = copy.deepcopy(changed)
    moved["suspects"][1]["address"] = "山东省荣成市"
    moved["links"] = moved["links"][1:]
    report, _ = load(write(tmp_path, [moved], "moved.jsonl"))
    assert report.updated == 1
    assert dumped([moved]) == [canonical(moved)]
    assert Event.objects.filter(action="case.load.update").count() == 2


def test_new_agencies_and_tags_are_created_with_events(units, tmp_path):
    record = minimal_record(1, source_agency="荣成市公安局", tags=["重大敏感"])
    report, err = load(write(tmp_path, [record, minimal_record(2, source_agency="荣成市公安局")]))
    assert report.created == 2, err
    agency = Agency.objects.get(name="荣成市公安局")
    assert (agency.kind, agency.org) == ("police", units)
    assert Tag.objects.filter(name="重大敏感").exists()
    assert Event.objects.filter(action="agency.create", object_id=str(agency.pk)).count() == 1
    assert Event.objects.filter(action="case.load.create").count() == 2


def test_loaded_numbers_move_the_sequences(units, tmp_path):
    load(write(tmp_path, [full_record(41)]))
    assert next_dept_case_no(units, "prosecution_review", 2024).endswith("371002000042号")
    assert NumberSequence.objects.get(org=units, series="tysah", year=2024).last == 41


def test_query_count_does_not_grow_with_the_batch(units, tmp_path):
    def queries(first: int, count: int) -> int:
        path = write(tmp_path, [full_record(n) for n in range(first, first + count)], f"q{first}.jsonl")
        with CaptureQueriesContext(connection) as ctx:
            report, err = load(path)
        assert report.created == count, err
        return len(ctx.captured_queries)

    queries(100, 3)  # creates the tags
    # Batches small enough for one INSERT per table even on SQLite (at most 999 parameters).
    assert queries(200, 3) == queries(300, 12)


#
# Bad lines
#


def test_every_bad_line_is_reported_and_the_good_ones_load(units, tmp_path):
    good = full_record(1)
    wrong_check = full_record(4)
    number = wrong_check["suspects"][1]["id_number"].upper()
    wrong_check["suspects"][1]["id_number"] = number[:17] + ("1" if number[17] != "1" else "2")
    wrong_birth = full_record(5)
    wrong_birth["suspects"][0]["birth_date"] = "2001-02-04"
    unknown_charge = full_record(8)
    unknown_charge["suspects"][1]["charges"].append({"name": "不存在罪", "main": False})
    lines = [
        good,  # 1
        '{"format": "bihuan.case/1", "dept_case_no": ',  # 2
        minimal_record(3, track="快", extra=1, received_date="2024/02/10"),  # 3
        wrong_check,  # 4
        wrong_birth,  # 5
        minimal_record(6, dept_case_no="测99检刑捕受[2024]371099000006号", org_code="371099"),  # 6
        minimal_record(7, prosecutor="rc_pros1", team="快审团队"),  # 7
        unknown_charge,  # 8
        minimal_record(9, closed_date="2024-02-09"),  # 9
        full_record(1, name="重复的案件"),  # 10
        minimal_record(11),  # 11
        "",  # 12: a blank line is no case
        ["not", "an", "object"],  # 13
    ]
    report, err = load(write(tmp_path, lines))
    assert (report.created, report.rejected) == (2, 10)
    found = {(e.line, e.field) for e in report.errors}
    assert {
        (2, "（整行）"),
        (3, "track"),
        (3, "extra"),
        (3, "received_date"),
        (4, "suspects[1].id_number"),
        (5, "suspects[0].id_number"),
        (6, "org_code"),
        (7, "prosecutor"),
        (7, "team"),
        (8, "suspects[1].charges[2].name"),
        (9, "closed_date"),
        (10, "dept_case_no"),
        (13, "（整行）"),
    } <= found
    assert "第 2 行 字段 （整行）: 不是合法的 JSON" in err
    assert '第 3 行 字段 track: 取值 "快" 不在允许的取值中' in err
    assert "第 3 行 字段 extra: 不是交换格式中的字段" in err
    assert "第 4 行 字段 suspects[1].id_number: 公民身份号码校验码错误（GB 11643）" in err
    assert "第 5 行 字段 suspects[0].id_number: 公民身份号码中的出生日期 2001-02-03 与出生日期 2001-02-04 不一致" in err
    assert "第 6 行 字段 org_code: 单位编码 371099 不存在" in err
    assert "第 7 行 字段 prosecutor: rc_pros1 不是" in err
    assert "第 7 行 字段 team: 填写了办案团队，但未填写承办部门" in err
    assert "第 8 行 字段 suspects[1].charges[2].name: 罪名目录中没有“不存在罪”" in err
    assert "第 9 行 字段 closed_date: 审结日期 2024-02-09 早于受理日期 2024-02-10" in err
    assert "第 10 行 字段 dept_case_no: 部门受案号 测02检刑诉受[2024]371002000001号 与第 1 行重复" in err
    assert err.index("第 2 行") < err.index("第 13 行")
    # A bad record writes nothing; the good ones load.
    assert set(Case.objects.values_list("dept_case_no", flat=True)) == {
        canonical(good)["dept_case_no"],
        canonical(minimal_record(11))["dept_case_no"],
    }
    assert Case.objects.get(dept_case_no=canonical(good)["dept_case_no"]).name == good["name"]
    assert Suspect.objects.count() == 2


def test_more_bad_values(units, tmp_path):
    gender = full_record(1)
    gender["suspects"][0]["gender"] = "男"
    measures = full_record(2)
    measures["suspects"][1]["measures"][1]["end_date"] = "2024-01-09"
    dup_seq = full_record(3)
    dup_seq["suspects"][0]["seq"] = 1
    lines = [
        gender,
        measures,
        dup_seq,
        minimal_record(4, department="第九检察部"),
        minimal_record(5, received_date="2024-02-30"),
        {k: v for k, v in minimal_record(6).items() if k != "name"},
        minimal_record(7, dept_case_no="测02检刑捕受[2024]371082000007号"),
        minimal_record(8, unified_case_no="3710022024"),
        minimal_record(9, prosecutor="nobody"),
    ]
    report, err = load(write(tmp_path, lines))
    assert report.rejected == 9, err
    found = {(e.line, e.field) for e in report.errors}
    assert {
        (1, "suspects[0].id_number"),
        (2, "suspects[1].measures[1].end_date"),
        (3, "suspects[1].seq"),
        (4, "department"),
        (5, "received_date"),
        (6, "name"),
        (7, "dept_case_no"),
        (8, "unified_case_no"),
        (9, "prosecutor"),
    } <= found
    assert "性别“男”不一致" in err
    assert "2024-02-30 不是有效的日期" in err
    assert "第 6 行 字段 name: 缺少必填字段" in err
    assert Case.objects.count() == 0


def test_loadcases_exits_non_zero_when_a_line_is_rejected(units, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    call_command("loadcases", str(write(tmp_path, [minimal_record(1)])), stdout=out, stderr=err)
    assert "新增 1 件，更新 0 件，未变 0 件，拒绝 0 行" in out.getvalue()
    with pytest.raises(SystemExit) as exit_info:
        call_command("loadcases", str(write(tmp_path, ["{", minimal_record(2)], "bad.jsonl")), stdout=out, stderr=err)
    assert exit_info.value.code == 1
    assert "新增 1 件，更新 0 件，未变 0 件，拒绝 1 行" in out.getvalue()
    assert "第 1 行 字段 （整行）: 不是合法的 JSON" in err.getvalue()


def test_dry_run_checks_everything_and_writes_nothing(units, tmp_path):
    path = write(tmp_path, [full_record(1), minimal_record(2, source_agency="新机关", tags=["新标签"]), "{"])
    before = (Case.objects.count(), Event.objects.count(), Agency.objects.count(), Tag.objects.count())
    report, err = load(path, dry_run=True)
    assert (report.created, report.rejected) == (2, 1)
    assert "第 3 行" in err
    assert (Case.objects.count(), Event.objects.count(), Agency.objects.count(), Tag.objects.count()) == before
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("loadcases", str(path), "--dry-run", stdout=out, stderr=io.StringIO())
    assert out.getvalue().startswith("试运行，未写入数据库：新增 2 件")


def test_a_record_the_database_refuses_is_rejected_alone(units, tmp_path, monkeypatch):
    real = load_module.do_load_batch

    def refusing(new, changed, directory, **kwargs):
        if any(r["name"] == "数据库不收的案件" for r in new):
            raise DatabaseError("value too long")
        return real(new, changed, directory, **kwargs)

    monkeypatch.setattr(load_module, "do_load_batch", refusing)
    lines = [minimal_record(1), minimal_record(2, name="数据库不收的案件"), minimal_record(3)]
    report, err = load(write(tmp_path, lines))
    assert (report.created, report.rejected) == (2, 1)
    assert "第 2 行 字段 （整行）: 数据库拒绝写入：value too long" in err
    assert Case.objects.count() == 2


def test_a_progress_bar_runs_on_long_files_only(units, tmp_path, monkeypatch):
    path = write(tmp_path, [minimal_record(n) for n in range(1, 5)])
    _, quiet = load(path)
    assert quiet == ""
    monkeypatch.setattr(load_module, "PROGRESS_FROM", 4)
    _, err = load(path, batch_size=2)
    assert "导入案件" in err
    assert "4/4" in err


def test_a_byte_order_mark_and_crlf_line_ends_are_tolerated(units, tmp_path):
    path = tmp_path / "windows.jsonl"
    lines = [json.dumps(minimal_record(n), ensure_ascii=False) for n in (1, 2)]
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    report, err = load(path)
    assert (report.created, report.rejected) == (2, 0), err


def test_a_line_that_is_not_utf8_is_rejected(units, tmp_path):
    path = tmp_path / "gbk.jsonl"
    path.write_bytes(json.dumps(minimal_record(1), ensure_ascii=False).encode("gbk") + b"\n")
    report, err = load(path)
    assert report.rejected == 1
    assert "第 1 行 字段 （整行）: 不是 UTF-8 编码的文本" in err
