"""`bihuan gencases`: determinism, the record shape, valid identities, ordered dates, the shares
of the synthetic mix, matters of two stages, the 起诉书 text, and the command itself."""

import io
import json
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from jsonschema import Draft202012Validator

from bihuan.exchange import gen_data
from bihuan.exchange.gen_text import cn_date, cn_int, cn_months
from bihuan.exchange.generate import DEFAULT_START, charge_articles, dumps, generate_records
from bihuan.lib import idnumber
from bihuan.lib.periods import add_months
from bihuan.orgs.demo import DEMO_ORGS

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "src/bihuan/exchange/schema/case.schema.json"
SAMPLE = 5000


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return list(generate_records(SAMPLE, 20240305))


def lines(count: int, seed: int, **kwargs) -> list[str]:
    return [dumps(r) for r in generate_records(count, seed, **kwargs)]


def prosecution_reviews(records: list[dict], *, concluded: bool = True) -> list[dict]:
    return [r for r in records if r["case_type"] == "审查起诉" and (r["closed_date"] is not None) == concluded]


def share(part: int, whole: int) -> float:
    return part / whole


#
# Determinism and shape
#


def test_same_seed_gives_the_same_lines_and_another_seed_others():
    assert lines(300, 7) == lines(300, 7)
    assert lines(300, 7) != lines(300, 8)


def test_it_yields_exactly_the_count_asked():
    for count in (0, 1, 2, 37):
        assert len(list(generate_records(count, 1))) == count


def test_received_dates_span_two_years_before_start(records):
    received = sorted(r["received_date"] for r in records)
    assert received[0] >= "2024-11-01"
    assert received[-1] <= DEFAULT_START.isoformat()
    later = list(generate_records(50, 1, start=date(2030, 1, 1)))
    assert all("2028-01-01" <= r["received_date"] <= "2030-01-01" for r in later)


def test_every_line_is_json_in_canonical_key_order_and_matches_the_schema(records):
    if not SCHEMA_PATH.exists():
        pytest.skip(f"the exchange JSON Schema {SCHEMA_PATH} does not exist yet")
    validator = Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    for record in records:
        line = dumps(record)
        assert "\n" not in line
        assert json.loads(line) == record
        assert json.dumps(record, ensure_ascii=False, separators=(",", ":")) == line
        errors = [e.message for e in validator.iter_errors(record)]
        assert errors == [], (record["dept_case_no"], errors)
    assert list(records[0]) == [
        "format", "dept_case_no", "unified_case_no", "name", "case_type", "org_code", "department", "team",
        "prosecutor", "source_agency", "charge", "received_date", "procedure", "track", "risk_level",
        "major_complex", "tags", "stage", "outcome", "closed_date", "summary", "suspects", "links", "documents",
    ]  # fmt: skip


def test_lists_are_in_canonical_order(records):
    for record in records:
        assert record["tags"] == sorted(record["tags"])
        assert [s["seq"] for s in record["suspects"]] == list(range(1, len(record["suspects"]) + 1))
        links = [(link["start_date"], link["kind"], link["seq"]) for link in record["links"]]
        assert links == sorted(links)
        for suspect in record["suspects"]:
            starts = [(m["start_date"], m["kind"]) for m in suspect["measures"]]
            assert starts == sorted(starts)
            assert suspect["charges"][0]["main"] is True
            others = [c["name"] for c in suspect["charges"][1:]]
            assert others == sorted(others) and not any(c["main"] for c in suspect["charges"][1:])


def test_numbers_follow_domain_rules_and_belong_to_the_demo_directory(records):
    orgs = {o.code: o for o in DEMO_ORGS}
    prosecutors = {p.username: (o.code, p.team) for o in DEMO_ORGS for p in o.people if "prosecutor" in p.roles}
    articles = charge_articles()
    dept_numbers = set()
    for r in records:
        org = orgs[r["org_code"]]
        business = "刑捕" if r["case_type"] == "审查逮捕" else "刑诉"
        year = r["received_date"][:4]
        assert r["dept_case_no"].startswith(f"{org.short_name}检{business}受[{year}]{org.code}")
        assert len(r["dept_case_no"]) == len(f"{org.short_name}检{business}受[{year}]") + 12 + 1
        assert r["unified_case_no"][:6] == org.code and len(r["unified_case_no"]) == 17
        dept_numbers.add(r["dept_case_no"])
        assert r["charge"] in articles
        assert all(c["name"] in articles for s in r["suspects"] for c in s["charges"])
        if r["prosecutor"] is None:
            assert r["team"] is None and r["stage"] == "受理"
        else:
            assert prosecutors[r["prosecutor"]] == (org.code, r["team"])
        assert r["source_agency"] in org.agencies
    assert len(dept_numbers) == len(records)


def test_charge_names_are_official_catalogue_names():
    articles = charge_articles()
    assert {c.name for c in gen_data.CHARGES} <= set(articles)
    assert articles["走私、贩卖、运输、制造毒品罪"] == "第三百四十七条"


#
# Identities and dates
#


def test_id_numbers_are_valid_and_agree_with_birth_date_and_gender(records):
    for r in records:
        for s in r["suspects"]:
            birth = date.fromisoformat(s["birth_date"])
            assert idnumber.validate(s["id_number"], birth) == []
            assert idnumber.gender_of(s["id_number"]) == ("M" if s["gender"] == "男" else "F")
            assert s["id_number"][:6] in {code for code, *_ in gen_data.REGIONS}
            assert s["name"].endswith("某")


def test_minors_are_14_to_17_and_adults_at_least_18(records):
    for r in records:
        received = date.fromisoformat(r["received_date"])
        for s in r["suspects"]:
            birth = date.fromisoformat(s["birth_date"])
            age = received.year - birth.year - ((received.month, received.day) < (birth.month, birth.day))
            if s["minor"]:
                assert 14 <= age <= 18
            else:
                assert age >= 18


def test_dates_are_ordered(records):
    for r in records:
        received, closed = r["received_date"], r["closed_date"]
        as_of = closed or DEFAULT_START.isoformat()
        assert received <= DEFAULT_START.isoformat()
        if closed:
            assert closed >= received
        for link in r["links"]:
            assert link["start_date"] >= received
            assert link["end_date"] is None or link["end_date"] >= link["start_date"]
        for s in r["suspects"]:
            assert s["birth_date"] < received
            if s["plea_signed_date"]:
                assert received <= s["plea_signed_date"] <= as_of
            if s["court_result"]:
                assert s["court_result"]["judgment_date"] > closed
            for m in s["measures"]:
                assert m["start_date"] <= as_of
                assert m["end_date"] is None or m["start_date"] <= m["end_date"] <= DEFAULT_START.isoformat()
        for d in r["documents"]:
            assert d["signed_date"] == closed


def test_statutory_periods_hold_most_of_the_time_and_break_sometimes(records):
    arrests = [r for r in records if r["case_type"] == "审查逮捕" and r["closed_date"]]
    days = [(date.fromisoformat(r["closed_date"]) - date.fromisoformat(r["received_date"])).days for r in arrests]
    late = sum(d > 7 for d in days)
    assert 0 < late < 0.05 * len(arrests)
    plain = [r for r in prosecution_reviews(records) if r["procedure"] != "速裁程序" and not r["links"]]
    over = sum(
        date.fromisoformat(r["closed_date"]) > add_months(date.fromisoformat(r["received_date"]), 1) for r in plain
    )
    assert 0 < over < 0.05 * len(plain)


#
# Shares of the mix
#


def test_charge_and_organisation_shares(records):
    charges = Counter(r["charge"] for r in records)
    assert 0.18 <= share(charges["危险驾驶罪"], SAMPLE) <= 0.26
    assert 0.10 <= share(charges["盗窃罪"], SAMPLE) <= 0.18
    assert [name for name, _ in charges.most_common(2)] == ["危险驾驶罪", "盗窃罪"]
    city = sum(r["org_code"] == "371000" for r in records)
    assert 0.15 <= share(city, SAMPLE) <= 0.25


def test_plea_rate_among_suspects_of_concluded_prosecution_reviews(records):
    suspects = [s for r in prosecution_reviews(records) for s in r["suspects"]]
    assert 0.85 <= share(sum(s["plea"] for s in suspects), len(suspects)) <= 0.90
    assert all(s["plea_signed_date"] for s in suspects if s["plea"])


def test_procedure_shares_and_fast_track_rules(records):
    reviews = [r for r in records if r["case_type"] == "审查起诉"]
    procedures = Counter(r["procedure"] for r in reviews)
    assert 0.30 <= share(procedures["速裁程序"], len(reviews)) <= 0.40
    assert 0.22 <= share(procedures["简易程序"], len(reviews)) <= 0.38
    fast = [r for r in prosecution_reviews(records) if r["procedure"] == "速裁程序"]
    assert all(s["plea"] for r in fast for s in r["suspects"])
    assert all(
        s["sentencing_recommendation"]["term_max"] <= 36
        for r in fast
        for s in r["suspects"]
        if s["sentencing_recommendation"]
    )
    minors = [r for r in reviews if any(s["minor"] for s in r["suspects"])]
    assert minors and share(sum(r["procedure"] == "速裁程序" for r in minors), len(minors)) < 0.1
    assert all("未成年人" in r["tags"] for r in minors)


def test_returns_extensions_and_outcomes(records):
    concluded = prosecution_reviews(records)
    returns = [sum(link["kind"] == "退回补充侦查" for link in r["links"]) for r in concluded]
    assert 0.05 <= share(sum(n >= 1 for n in returns), len(concluded)) <= 0.11
    assert 0.005 <= share(sum(n == 2 for n in returns), len(concluded)) <= 0.03
    assert max(returns) == 2
    extended = sum(any(link["kind"] == "延长审查起诉期限" for link in r["links"]) for r in concluded)
    assert 0.03 <= share(extended, len(concluded)) <= 0.08
    outcomes = Counter(r["outcome"] for r in concluded)
    assert 0.75 <= share(outcomes["起诉"], len(concluded)) <= 0.85
    not_prosecuted = sum(v for k, v in outcomes.items() if k.endswith("不起诉"))
    assert 0.10 <= share(not_prosecuted, len(concluded)) <= 0.20
    arrests = Counter(r["outcome"] for r in records if r["case_type"] == "审查逮捕" and r["closed_date"])
    assert 0.70 <= share(arrests["批准逮捕"], arrests.total()) <= 0.80


def test_returned_and_extended_periods(records):
    for r in records:
        for link in r["links"]:
            start = date.fromisoformat(link["start_date"])
            if link["kind"] == "退回补充侦查" and link["end_date"]:
                assert date.fromisoformat(link["end_date"]) <= add_months(start, 1)
            if link["kind"] == "延长审查起诉期限":
                assert (date.fromisoformat(link["end_date"]) - start).days == 14
                assert r["major_complex"] is True


def test_recommendations_and_court_results(records):
    suspects = [s for r in prosecution_reviews(records) for s in r["suspects"] if s["outcome"] == "起诉"]
    recommended = [s for s in suspects if s["sentencing_recommendation"]]
    assert all(s["sentencing_recommendation"] for s in suspects if s["plea"])
    fixed = sum(s["sentencing_recommendation"]["kind"] == "确定刑" for s in recommended)
    assert 0.85 <= share(fixed, len(recommended)) <= 0.97
    judged = [s for s in recommended if s["court_result"] and s["court_result"]["adopted"] is not None]
    assert 0.92 <= share(sum(s["court_result"]["adopted"] for s in judged), len(judged)) <= 0.99
    drunk = [s for s in recommended if s["charges"][0]["name"] == "危险驾驶罪"]
    assert all(s["sentencing_recommendation"]["penalty"] == "拘役" for s in drunk)
    assert all(1 <= s["sentencing_recommendation"]["term_max"] <= 6 for s in drunk)


def test_custody_follows_the_arrest_decision(records):
    for r in records:
        if r["case_type"] != "审查逮捕" or not r["closed_date"]:
            continue
        for s in r["suspects"]:
            kinds = [m["kind"] for m in s["measures"]]
            assert kinds[0] == "刑事拘留"
            assert kinds[1] == ("逮捕" if s["outcome"] == "批准逮捕" else "取保候审")
            org_name = next(o.name for o in DEMO_ORGS if o.code == r["org_code"])
            decided_by = org_name if s["outcome"] == "批准逮捕" else r["source_agency"]
            assert s["measures"][1]["deciding_body"] == decided_by
            assert s["measures"][0]["place"].endswith("看守所")


#
# Matters and documents
#


def test_two_stage_matters_share_the_unified_number_and_the_suspects(records):
    matters = defaultdict(list)
    for r in records:
        matters[r["unified_case_no"]].append(r)
    pairs = [cases for cases in matters.values() if len(cases) == 2]
    assert all(len(cases) <= 2 for cases in matters.values())
    custody = sum(r["case_type"] == "审查逮捕" for r in records)
    assert 0.25 <= share(len(pairs), custody) <= 0.45
    for arrest, prosecution in pairs:
        assert (arrest["case_type"], prosecution["case_type"]) == ("审查逮捕", "审查起诉")
        assert arrest["org_code"] == prosecution["org_code"]
        assert arrest["closed_date"] < prosecution["received_date"]
        assert [(s["name"], s["id_number"]) for s in arrest["suspects"]] == [
            (s["name"], s["id_number"]) for s in prosecution["suspects"]
        ]
        assert arrest["dept_case_no"] != prosecution["dept_case_no"]


def test_open_cases_are_recent_and_carry_no_outcome(records):
    open_cases = [r for r in records if r["closed_date"] is None]
    assert open_cases
    assert min(r["received_date"] for r in open_cases) >= "2026-07-01"
    for r in open_cases:
        assert r["outcome"] == "" and r["documents"] == []
        assert r["stage"] not in ("审结", "归档")
        assert all(s["outcome"] == "" and s["court_result"] is None for s in r["suspects"])
    unassigned = [r for r in open_cases if r["prosecutor"] is None]
    assert unassigned and all(r["stage"] == "受理" and r["track"] == "" for r in unassigned)


def test_indictments_carry_the_defendants_number_and_law(records):
    indicted = [r for r in records if r["documents"]]
    assert indicted
    articles = charge_articles()
    for r in indicted:
        (document,) = r["documents"]
        text = document["text"]
        assert document["kind"] == "起诉书" and document["number"] in text
        assert document["number"].startswith(f"{r['dept_case_no'][0]}检刑诉〔{document['signed_date'][:4]}〕")
        for s in r["suspects"]:
            assert (f"被告人{s['name']}" in text) == (s["outcome"] == "起诉")
        assert f"触犯了《中华人民共和国刑法》{articles[r['charge']]}" in text
        assert f"应当以{r['charge']}追究其刑事责任" in text
        assert "经依法审查查明：" in text and "\n此致\n" in text and text.endswith("。")
        for link in r["links"]:
            if link["kind"] in ("退回补充侦查", "延长审查起诉期限"):
                start = date.fromisoformat(link["start_date"])
                assert f"自{start.year}年{start.month}月{start.day}日至" in text
        if any(s["plea"] for s in r["suspects"] if s["outcome"] == "起诉"):
            assert "认罪认罚具结书" in text
    lengths = sorted(len(r["documents"][0]["text"]) for r in indicted)
    assert 600 <= lengths[len(lengths) // 2] <= 1200


def test_a_few_indictments_disagree_with_the_card(records):
    """About 1 % carry a planted birth date, term or transfer date that differs from the card."""
    disagreeing = 0
    indicted = [r for r in records if r["documents"]]
    for r in indicted:
        text = r["documents"][0]["text"]
        received = date.fromisoformat(r["received_date"])
        births = [date.fromisoformat(s["birth_date"]) for s in r["suspects"] if s["outcome"] == "起诉"]
        printed = all(f"{b.year}年{b.month}月{b.day}日出生" in text for b in births)
        transferred = f"于{received.year}年{received.month}月{received.day}日向本院移送起诉" in text
        terms = all(
            cn_months(s["sentencing_recommendation"]["term_min"]) in text
            for s in r["suspects"]
            if s["sentencing_recommendation"] and s["sentencing_recommendation"]["term_min"]
        )
        disagreeing += not (printed and transferred and terms)
    assert 0 < disagreeing < 0.03 * len(indicted)


def test_chinese_numerals():
    assert [cn_int(n) for n in (0, 7, 10, 15, 20, 105, 1010, 3000)] == [
        "零", "七", "十", "十五", "二十", "一百零五", "一千零一十", "三千",
    ]  # fmt: skip
    assert [cn_int(n) for n in (10000, 15000, 120000, 100500, 2305000)] == [
        "一万", "一万五千", "十二万", "十万零五百", "二百三十万五千",
    ]  # fmt: skip
    assert [cn_months(n) for n in (2, 12, 18, 30)] == ["二个月", "一年", "一年六个月", "二年六个月"]
    assert cn_date(date(2024, 3, 19)) == "二〇二四年三月十九日"
    assert cn_date(date(2030, 12, 31)) == "二〇三〇年十二月三十一日"


#
# The command
#


def test_the_command_writes_the_same_file_twice_and_to_stdout(tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    call_command("gencases", "--cases", "120", "--seed", "9", "--out", str(first), stdout=io.StringIO())
    call_command("gencases", "--cases", "120", "--seed", "9", "--out", str(second), stdout=io.StringIO())
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == "".join(line + "\n" for line in lines(120, 9)).encode()
    out = io.StringIO()
    call_command("gencases", "--cases", "5", "--seed", "9", "--out", "-", stdout=out)
    assert out.getvalue().splitlines() == lines(5, 9)


def test_the_command_takes_a_start_date(tmp_path):
    path = tmp_path / "c.jsonl"
    call_command("gencases", "--cases", "40", "--out", str(path), "--start", "2025-06-30", stdout=io.StringIO())
    received = [json.loads(line)["received_date"] for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(received) == 40 and max(received) <= "2025-06-30" and min(received) >= "2023-06-30"


@pytest.mark.django_db
def test_generated_cases_pass_the_loader_checks(tmp_path):
    """Every generated line is accepted by `loadcases` against the demo directory."""
    from bihuan.demo.directory import build_directory

    build_directory()
    path = tmp_path / "cases.jsonl"
    call_command("gencases", "--cases", "400", "--seed", "3", "--out", str(path), stdout=io.StringIO())
    out, err = io.StringIO(), io.StringIO()
    call_command("loadcases", str(path), "--dry-run", stdout=out, stderr=err)
    assert err.getvalue() == ""
    assert "拒绝 0 行" in out.getvalue()
