"""The built-in rule catalogue: every rule has a case that hits and a near miss that does not,
each checked through both evaluators (SQL and memory; report rules through report_hits); the
catalogue loads and checks, and syncs into `Rule` rows once without overwriting an
administrator's changes."""

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from bihuan.cases.models import Suspect
from bihuan.lib import idnumber
from bihuan.patrol import builtin
from bihuan.patrol.builtin import BuiltinRuleError, load_builtin, sync_builtin_rules
from bihuan.patrol.lang import compile_rule, load_case, memory_hits, report_hits, sql_hits
from bihuan.patrol.models import Category, Rule
from tests.patrol_rule_helpers import (
    RECEIVED,
    TODAY,
    Unit,
    charge,
    document,
    due,
    hearing,
    link,
    make_unit,
    measure,
    recorded_request,
    reported,
    suspect,
    tag,
)

Builder = Callable[[Unit, bool], tuple[int | None, str]]
BUILDERS: dict[str, Builder] = {}
NP = "np_discretionary"


def rule(code: str) -> Callable[[Builder], Builder]:
    def register(builder: Builder) -> Builder:
        BUILDERS[code] = builder
        return builder

    return register


def on_case(case) -> tuple[int, str]:
    return case.pk, f"case:{case.pk}"


def on_suspect(person) -> tuple[int, str]:
    return person.case_id, f"suspect:{person.pk}"


def on_measure(row) -> tuple[int, str]:
    return row.suspect.case_id, f"measure:{row.pk}"


def on_link(row) -> tuple[int, str]:
    return row.case_id, f"link:{row.pk}"


def concluded(u: Unit, outcome: str = "prosecute", closed: date = date(2024, 4, 1), **fields):
    return u.case(stage="concluded", outcome=outcome, closed_date=closed, **fields)


# card


@rule("KK-001")
def _(u, hit):
    return on_case(u.case(department=None if hit else u.department))


@rule("KK-002")
def _(u, hit):
    return on_case(u.case(stage="reviewing", prosecutor=None if hit else u.prosecutor))


@rule("KK-003")
def _(u, hit):
    return on_case(concluded(u, outcome="" if hit else "prosecute"))


@rule("KK-004")
def _(u, hit):
    return on_case(concluded(u, closed=None if hit else date(2024, 4, 1)))


@rule("KK-005")
def _(u, hit):
    return on_suspect(suspect(concluded(u), outcome="" if hit else "prosecute"))


@rule("KK-006")
def _(u, hit):
    return on_suspect(suspect(u.case(), plea=True, outcome="prosecute", rec_kind="" if hit else "fixed"))


@rule("KK-007")
def _(u, hit):
    person = suspect(
        u.case(), rec_kind="range", rec_penalty="fixed_term", rec_term_min=6, rec_term_max=None if hit else 12
    )
    return on_suspect(person)


@rule("KK-008")
def _(u, hit):
    signed = None if hit else date(2024, 3, 20)
    return on_suspect(suspect(u.case(), plea=True, outcome="prosecute", plea_signed_date=signed))


@rule("KK-009")
def _(u, hit):
    return on_suspect(suspect(u.case(), judgment_date=date(2024, 5, 20), verdict="" if hit else "guilty"))


@rule("KK-010")
def _(u, hit):
    return on_suspect(suspect(u.case(), verdict="guilty", court_penalty="" if hit else "fixed_term"))


@rule("KK-011")
def _(u, hit):
    return on_suspect(suspect(u.case(), verdict="guilty", rec_kind="fixed", rec_adopted=None if hit else True))


# identity


@rule("SF-001")
def _(u, hit):
    valid = idnumber.make("371002", date(1990, 5, 17), 7, "M")
    wrong = valid[:-1] + ("1" if valid[-1] == "0" else "0")
    return on_suspect(suspect(u.case(), id_number=wrong if hit else valid))


@rule("SF-002")
def _(u, hit):
    in_id = date(1990, 5, 18) if hit else date(1990, 5, 17)
    return on_suspect(suspect(u.case(), birth=date(1990, 5, 17), id_number=idnumber.make("371002", in_id, 7, "M")))


@rule("SF-003")
def _(u, hit):
    number = idnumber.make("371002", date(1990, 5, 17), 7, "F" if hit else "M")
    return on_suspect(suspect(u.case(), gender="M", id_number=number))


@rule("SF-004")
def _(u, hit):
    return on_suspect(suspect(u.case(), birth=date(2008, 1, 1), is_minor=not hit))


# document: the indictment's person fields against the card. The suspect is the card's second
# (the first was not prosecuted) and the indictment's first: persons are matched by name.


def indictment_person(u: Unit, fields: dict, **card) -> Suspect:
    case = u.case()
    suspect(case, "李某某", outcome=NP)
    person = suspect(case, outcome="prosecute", **card)
    person_fields = {k: [(x, 1) for x in v] if isinstance(v, list) else (v, 1) for k, v in fields.items()}
    document(case, "indictment", signed=date(2024, 4, 1), name=("张某某", 1), **person_fields)
    return person


@rule("WS-001")
def _(u, hit):
    case = u.case()
    suspect(case, "李某某", outcome=NP)
    person = suspect(case, outcome="prosecute")
    document(case, "indictment", name=("张某" if hit else "张某某", 1))
    return on_suspect(person)


@rule("WS-002")
def _(u, hit):
    return on_suspect(indictment_person(u, {"gender": "女" if hit else "男"}, gender="M"))


@rule("WS-003")
def _(u, hit):
    return on_suspect(
        indictment_person(u, {"birth_date": "1990-07-17" if hit else "1990-05-17"}, birth=date(1990, 5, 17))
    )


@rule("WS-004")
def _(u, hit):
    number = idnumber.make("371002", date(1990, 5, 17), 7, "M")
    other = idnumber.make("371002", date(1990, 5, 17), 9, "M")
    return on_suspect(indictment_person(u, {"id_number": other if hit else number}, id_number=number))


@rule("WS-005")
def _(u, hit):
    return on_suspect(indictment_person(u, {"ethnicity": "回族" if hit else "汉族"}, ethnicity="汉族"))


@rule("WS-006")
def _(u, hit):
    return on_suspect(indictment_person(u, {"education": "高中" if hit else "初中"}, education="junior"))


@rule("WS-007")
def _(u, hit):
    person = indictment_person(u, {"charge": "诈骗罪" if hit else "盗窃罪"})
    charge(person, "盗窃罪")
    return on_suspect(person)


@rule("WS-008")
def _(u, hit):
    person = indictment_person(u, {"custody_status": "在押"})
    measure(person, "bail" if hit else "arrest", date(2024, 2, 1))
    return on_suspect(person)


@rule("WS-009")
def _(u, hit):
    person = indictment_person(u, {"custody_status": "取保候审"})
    measure(person, "arrest" if hit else "bail", date(2024, 2, 1))
    return on_suspect(person)


@rule("WS-010")
def _(u, hit):
    case = u.case()
    person = suspect(case, plea=True, outcome="prosecute")
    document(case, "plea_agreement", name=("李某某" if hit else "张某某", 1))
    return on_suspect(person)


@rule("WS-011")
def _(u, hit):
    return on_suspect(indictment_person(u, {} if hit else {"plea": "是"}, plea=True))


@rule("WS-012")
def _(u, hit):
    return on_suspect(indictment_person(u, {"plea": "是"}, plea=not hit))


@rule("WS-013")
def _(u, hit):
    return on_suspect(indictment_person(u, {"recommendation_kind": "幅度刑" if hit else "确定刑"}, rec_kind="fixed"))


@rule("WS-014")
def _(u, hit):
    person = indictment_person(u, {"plea": "是"}, plea=True)
    if not hit:
        document(person.case, "sentencing", recommendation=("有期徒刑一年", 1))
    return on_suspect(person)


def indictment_links(u: Unit, kind: str, hit: bool) -> tuple[int, str]:
    case = u.case()
    document(case, "indictment", **{kind: "2024-03-20/2024-04-04"})
    link(case, kind, date(2024, 3, 20), date(2024, 4, 4))
    if hit:
        link(case, kind, date(2024, 4, 20), date(2024, 5, 4), seq=2)
    return on_case(case)


@rule("WS-015")
def _(u, hit):
    return indictment_links(u, "supplementary", hit)


@rule("WS-016")
def _(u, hit):
    return indictment_links(u, "extension", hit)


@rule("WS-017")
def _(u, hit):
    case = concluded(u, outcome=NP)
    document(case, "non_prosecution", decision="存疑不起诉" if hit else "相对不起诉")
    return on_case(case)


@rule("WS-018")
def _(u, hit):
    case = u.case()
    document(case, "indictment", received_date="2024-03-06" if hit else RECEIVED.isoformat())
    return on_case(case)


# document: the dates of 退补/延长, the measures, the articles and the term against the card


@rule("WS-019")
def _(u, hit):
    case = u.case()
    document(case, "indictment", supplementary="2024-03-20/2024-04-04", extension="2024-04-10/2024-05-24")
    link(case, "supplementary", date(2024, 3, 20), date(2024, 4, 4))
    # The same dates as the document's 退补, but an extension's: the kind must agree too.
    link(case, "extension", date(2024, 4, 10) if not hit else date(2024, 4, 11), date(2024, 5, 24), seq=2)
    return on_case(case)


@rule("WS-020")
def _(u, hit):
    case = u.case()
    document(case, "indictment", signed=date(2024, 5, 10), supplementary="2024-03-20/2024-04-04")
    row = link(case, "supplementary", date(2024, 3, 20), date(2024, 4, 5) if hit else date(2024, 4, 4))
    # Still running, or ended after the document: not expected in it.
    link(case, "supplementary", date(2024, 5, 1), date(2024, 5, 20), seq=2)
    link(case, "supplementary", date(2024, 5, 30), seq=3)
    return on_link(row)


@rule("WS-021")
def _(u, hit):
    person = indictment_person(u, {"measure": ["刑事拘留@2024-01-10", "逮捕@2024-01-20" if hit else "逮捕@2024-01-21"]})
    measure(person, "detention", date(2024, 1, 10), date(2024, 1, 21))
    measure(person, "arrest", date(2024, 1, 21))
    return on_suspect(person)


@rule("WS-022")
def _(u, hit):
    person = indictment_person(u, {"measure": "逮捕@2024-01-21"})
    row = measure(person, "detention" if hit else "arrest", date(2024, 1, 21))
    # Taken on the document's day: not expected in it.
    measure(person, "bail", date(2024, 4, 1))
    return on_measure(row)


@rule("WS-023")
def _(u, hit):
    case = u.case()
    person = suspect(case, outcome="prosecute")
    # The principal charge (盗窃罪, 264) must be cited; the secondary one named in the document
    # (危险驾驶罪, 133之一) is not asked for.
    cited = ["133之一", "67"] if hit else ["264", "67"]
    document(case, "indictment", name=("张某某", 1), charge=[("盗窃罪", 1), ("危险驾驶罪", 1)], article=cited)
    charge(person, "盗窃罪")
    charge(person, "危险驾驶罪", main=False)
    # Further card charges the indictment does not bring, one under no 刑法 article
    # (骗购外汇罪: a decision of the NPC Standing Committee): neither asks for a citation.
    charge(person, "诈骗罪", main=False)
    charge(person, "骗购外汇罪", main=False)
    return on_suspect(person)


@rule("WS-024")
def _(u, hit):
    fields = {"recommendation_term_min": "12", "recommendation_term_max": "24" if hit else "18"}
    return on_suspect(indictment_person(u, fields, rec_term_min=12, rec_term_max=18))


# dates


@rule("RQ-001")
def _(u, hit):
    return on_case(concluded(u, closed=date(2024, 3, 1) if hit else RECEIVED))


@rule("RQ-002")
def _(u, hit):
    case = u.case()
    document(case, "indictment", signed=date(2024, 3, 4) if hit else RECEIVED)
    return on_case(case)


@rule("RQ-003")
def _(u, hit):
    case = concluded(u, closed=date(2024, 4, 1))
    document(case, "indictment", signed=date(2024, 4, 2) if hit else date(2024, 4, 1))
    return on_case(case)


@rule("RQ-004")
def _(u, hit):
    case = u.case()
    document(case, "extension", signed=TODAY + timedelta(days=1) if hit else TODAY)
    return on_case(case)


@rule("RQ-005")
def _(u, hit):
    case = concluded(u, closed=date(2024, 4, 1))
    return on_suspect(suspect(case, judgment_date=date(2024, 3, 31) if hit else date(2024, 4, 1)))


@rule("RQ-006")
def _(u, hit):
    return on_suspect(suspect(u.case(), plea=True, plea_signed_date=date(2024, 3, 4) if hit else RECEIVED))


@rule("RQ-007")
def _(u, hit):
    person = suspect(u.case())
    return on_measure(measure(person, "bail", date(2024, 2, 1), date(2024, 1, 31) if hit else date(2024, 2, 1)))


@rule("RQ-008")
def _(u, hit):
    end = date(2024, 3, 19) if hit else date(2024, 3, 20)
    return on_link(link(u.case(), "supplementary", date(2024, 3, 20), end))


@rule("RQ-009")
def _(u, hit):
    case = u.case()
    document(case, "indictment", transfer_date="2024-03-06" if hit else RECEIVED.isoformat())
    return on_case(case)


@rule("RQ-010")
def _(u, hit):
    case = u.case()
    document(case, "supplementary", signed=date(2024, 4, 6) if hit else date(2024, 4, 5))
    due(case, date(2024, 4, 5))
    return on_case(case)


# deadlines


@rule("QX-001")
def _(u, hit):
    case = u.case()
    due(case, TODAY + timedelta(days=3 if hit else 4))
    return on_case(case)


@rule("QX-002")
def _(u, hit):
    case = u.case()
    suspect(case)
    due(case, TODAY - timedelta(days=1) if hit else TODAY)
    return on_case(case)


@rule("QX-003")
def _(u, hit):
    case = u.case()
    measure(suspect(case), "arrest" if hit else "bail", date(2024, 3, 1))
    due(case, TODAY - timedelta(days=1))
    return on_case(case)


@rule("QX-004")
def _(u, hit):
    return on_link(link(u.case(), "extension", date(2024, 4, 5), date(2024, 4, 19), approver="" if hit else "王某"))


@rule("QX-005")
def _(u, hit):
    case = u.case()
    row = link(case, "extension", date(2024, 4, 5), date(2024, 4, 19), approver="王某")
    recorded_request(case, "supplementary" if hit else "extension", u.prosecutor)
    return on_link(row)


@rule("QX-006")
def _(u, hit):
    return on_link(link(u.case(), "supplementary", date(2024, 5, 9) if hit else date(2024, 5, 10)))


@rule("QX-007")
def _(u, hit):
    return on_link(link(u.case(), "extension", date(2024, 4, 5), date(2024, 4, 20) if hit else date(2024, 4, 19)))


@rule("QX-008")
def _(u, hit):
    return on_case(concluded(u, procedure="fast", closed=date(2024, 3, 21) if hit else date(2024, 3, 20)))


@rule("QX-009")
def _(u, hit):
    closed = date(2024, 3, 16) if hit else date(2024, 3, 15)
    return on_case(concluded(u, procedure="fast", likely_sentence="le1", closed=closed))


# coercive measures


@rule("CS-001")
def _(u, hit):
    return on_measure(measure(suspect(u.case()), "bail", date(2023, 6, 9) if hit else date(2023, 6, 10)))


@rule("CS-002")
def _(u, hit):
    start = date(2023, 12, 9) if hit else date(2023, 12, 10)
    return on_measure(measure(suspect(u.case()), "designated_residence", start))


@rule("CS-003")
def _(u, hit):
    return on_measure(measure(suspect(u.case()), "bail", date(2023, 6, 25) if hit else date(2023, 6, 26)))


@rule("CS-004")
def _(u, hit):
    case = u.case(case_type="arrest_review")
    row = measure(suspect(case), "arrest", date(2024, 2, 1))
    if hit:
        document(case, "measure", measure_kind="取保候审")
    else:
        document(case, "measure", measure_kind="逮捕")
    return on_measure(row)


@rule("CS-005")
def _(u, hit):
    case = concluded(u, outcome=NP, closed=date(2024, 4, 1))
    person = suspect(case, outcome=NP)
    return on_measure(measure(person, "arrest", date(2024, 2, 1), date(2024, 4, 2) if hit else date(2024, 4, 1)))


@rule("CS-006")
def _(u, hit):
    case = concluded(u, case_type="arrest_review", outcome="arrest_refused", closed=date(2024, 3, 10))
    person = suspect(case, outcome="arrest_refused")
    return on_measure(measure(person, "detention", date(2024, 3, 3), None if hit else date(2024, 3, 10)))


@rule("CS-007")
def _(u, hit):
    case = concluded(u, case_type="arrest_review", outcome="arrest_approved", closed=date(2024, 3, 10))
    person = suspect(case, outcome="arrest_approved")
    measure(person, "detention" if hit else "arrest", date(2024, 3, 3))
    return on_suspect(person)


# procedure


@rule("CX-001")
def _(u, hit):
    return on_suspect(suspect(u.case(procedure="fast"), is_minor=hit))


@rule("CX-002")
def _(u, hit):
    case = u.case(procedure="fast")
    suspect(case, plea=True)
    suspect(case, "李某某", plea=not hit)
    return on_case(case)


@rule("CX-003")
def _(u, hit):
    return on_case(u.case(procedure="fast", likely_sentence="lt10" if hit else "le3"))


@rule("CX-004")
def _(u, hit):
    case = concluded(u, outcome=NP, closed=date(2024, 4, 1))
    tag(case, "重大敏感")
    hearing(case, date(2024, 4, 2) if hit else date(2024, 3, 28), u.prosecutor)
    return on_case(case)


@rule("CX-005")
def _(u, hit):
    case = concluded(u, outcome="prosecute")
    recorded_request(case, NP if hit else "prosecute", u.prosecutor)
    return on_case(case)


@rule("CX-006")
def _(u, hit):
    case = u.case()
    row = link(case, "supplementary", date(2024, 4, 1), date(2024, 4, 30), seq=2)
    recorded_request(case, "supplementary", u.prosecutor)
    if not hit:
        recorded_request(case, "supplementary", u.prosecutor, date(2024, 4, 1))
    return on_link(row)


@rule("CX-007")
def _(u, hit):
    case = u.case()
    for seq in range(1, 4 if hit else 3):
        link(case, "supplementary", date(2024, 3, seq * 8), date(2024, 3, seq * 8 + 5), seq=seq)
    return on_case(case)


@rule("CX-008")
def _(u, hit):
    return on_suspect(suspect(concluded(u, outcome="np_conditional"), outcome="np_conditional", is_minor=not hit))


@rule("CX-009")
def _(u, hit):
    case = concluded(u, outcome=NP)
    document(case, "indictment" if hit else "non_prosecution")
    return on_case(case)


@rule("CX-010")
def _(u, hit):
    case = concluded(u, outcome="prosecute")
    document(case, "non_prosecution" if hit else "indictment")
    return on_case(case)


@rule("CX-011")
def _(u, hit):
    case = u.case()
    document(case, "indictment", notified_date="2024-03-09" if hit else "2024-03-08")
    return on_case(case)


@rule("CX-012")
def _(u, hit):
    case = concluded(u, outcome="np_conditional", likely_sentence="le3" if hit else "le1")
    return on_suspect(suspect(case, outcome="np_conditional", is_minor=True))


# judgment


def judged(u: Unit, **fields) -> tuple[int, str]:
    fields.setdefault("verdict", "guilty")
    fields.setdefault("rec_penalty", "fixed_term")
    fields.setdefault("court_penalty", "fixed_term")
    return on_suspect(suspect(concluded(u), outcome="prosecute", judgment_date=date(2024, 5, 20), **fields))


@rule("PJ-001")
def _(u, hit):
    return judged(u, rec_adopted=True, rec_kind="fixed", rec_term_min=12, court_term=14 if hit else 12)


@rule("PJ-002")
def _(u, hit):
    return judged(u, rec_adopted=True, rec_kind="fixed", court_penalty="criminal_detention" if hit else "fixed_term")


@rule("PJ-003")
def _(u, hit):
    return judged(u, rec_adopted=True, rec_kind="range", rec_term_min=12, rec_term_max=18, court_term=19 if hit else 18)


@rule("PJ-004")
def _(u, hit):
    return judged(u, rec_adopted=True, rec_kind="fixed", rec_probation=True, court_probation=not hit)


@rule("PJ-005")
def _(u, hit):
    return judged(u, rec_adopted=False, rec_kind="fixed", rec_term_min=12, court_term=12 if hit else 10)


@rule("PJ-006")
def _(u, hit):
    return judged(u, court_probation=True, court_term=37 if hit else 36)


@rule("PJ-007")
def _(u, hit):
    return judged(u, rec_kind="fixed", rec_probation=True, rec_term_min=37 if hit else 36)


# report figures against the cards: one case received in June 2024 gives SLQS = 1


def reported_received(u: Unit, value: int) -> tuple[None, str]:
    u.case(received=date(2024, 6, 3))
    reported(u.org, 2024, 6, "SLQS", value)
    return None, f"report:{u.org.pk}:0:2024-06:SLQS"


@rule("BB-001")
def _(u, hit):
    return reported_received(u, 2 if hit else 1)


@rule("BB-002")
def _(u, hit):
    return reported_received(u, 0 if hit else 1)


CATALOGUE = {spec["code"]: spec for spec in load_builtin()}


def test_every_builtin_rule_has_a_hit_and_a_near_miss():
    assert set(BUILDERS) == set(CATALOGUE)


@pytest.mark.parametrize("hit", [True, False], ids=["hit", "near_miss"])
@pytest.mark.parametrize("code", sorted(BUILDERS))
def test_builtin_rule(db, code, hit):
    spec = CATALOGUE[code]
    compiled = compile_rule(spec["definition"], case_types=spec["case_types"])
    case_id, key = BUILDERS[code](make_unit(), hit)
    expected = {key} if hit else set()
    if compiled.subject == "report":
        assert set(report_hits(compiled, today=TODAY)) == expected
        return
    memory = memory_hits(compiled, load_case(case_id), today=TODAY)
    assert set(memory) == expected
    assert sql_hits(compiled, today=TODAY, case_ids=[case_id]) == expected
    if hit:
        assert [value["label"] for value in memory[key].values] == [
            item["label"] for item in spec["definition"]["show"]
        ]


@pytest.mark.parametrize("cited", [["264"], ["266"]])
def test_ws023_asks_for_the_main_charge_article_even_when_the_document_names_another_charge(db, cited):
    spec = CATALOGUE["WS-023"]
    compiled = compile_rule(spec["definition"], case_types=spec["case_types"])
    case = make_unit().case()
    person = suspect(case, outcome="prosecute")
    document(case, "indictment", name=("张某某", 1), charge=("诈骗罪", 1), article=cited)
    charge(person, "盗窃罪")
    expected = {f"suspect:{person.pk}"} if cited == ["266"] else set()
    assert set(memory_hits(compiled, load_case(case.pk), today=TODAY)) == expected
    assert sql_hits(compiled, today=TODAY, case_ids=[case.pk]) == expected


def test_catalogue_loads_checks_and_covers_every_category():
    rules = load_builtin()
    assert len(rules) >= 40
    assert {r["category"] for r in rules} == set(Category.values)
    assert {r["severity"] for r in rules} == {"minor", "serious", "grave"}
    prefixes: dict[str, set[str]] = {}
    for spec in rules:
        prefixes.setdefault(spec["category"], set()).add(spec["code"].split("-")[0])
        assert spec["basis"].startswith("《") and spec["reply_days"] == 10
    assert all(len(codes) == 1 for codes in prefixes.values())


def test_a_bad_builtin_rule_is_a_loud_error_naming_file_and_code(tmp_path, monkeypatch):
    (tmp_path / builtin.RULES_DIR).mkdir()
    (tmp_path / builtin.RULES_DIR / "card.yaml").write_text(
        "- code: KK-900\n  name: 坏规则\n  category: card\n  basis: 《刑事诉讼法》第一条\n  severity: minor\n"
        "  message: 坏\n  subject: case\n  when: {blank: case.nothing}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(builtin.resources, "files", lambda package: tmp_path)
    with pytest.raises(BuiltinRuleError, match=r"card\.yaml KK-900：when\.blank：未知字段 case\.nothing"):
        load_builtin()


def test_duplicate_codes_are_refused(tmp_path, monkeypatch):
    (tmp_path / builtin.RULES_DIR).mkdir()
    text = (
        "- code: KK-900\n  name: 规则\n  category: card\n  basis: 《刑事诉讼法》第一条\n  severity: minor\n"
        "  message: 提示\n  subject: case\n  when: {blank: case.department}\n"
    )
    (tmp_path / builtin.RULES_DIR / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / builtin.RULES_DIR / "b.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(builtin.resources, "files", lambda package: tmp_path)
    with pytest.raises(BuiltinRuleError, match="b.yaml KK-900：编号与 a.yaml 中的规则重复"):
        load_builtin()


def test_sync_creates_the_rules_once(db):
    Rule.objects.all().delete()
    created, updated = sync_builtin_rules()
    assert (created, updated) == (len(CATALOGUE), 0)
    row = Rule.objects.get(code="CS-001")
    assert row.builtin and not row.customised and row.version == 1
    assert row.definition == CATALOGUE["CS-001"]["definition"] and row.severity == "grave"
    assert sync_builtin_rules() == (0, 0)
    assert Rule.objects.filter(builtin=True).count() == len(CATALOGUE)


def test_sync_updates_builtin_rows_and_bumps_the_version_when_the_definition_changes(db):
    Rule.objects.all().delete()
    sync_builtin_rules()
    Rule.objects.filter(code="KK-001").update(definition={"subject": "case", "when": {"blank": "case.team"}})
    Rule.objects.filter(code="KK-002").update(name="旧名称")
    assert sync_builtin_rules() == (0, 2)
    changed, renamed = Rule.objects.get(code="KK-001"), Rule.objects.get(code="KK-002")
    assert changed.definition == CATALOGUE["KK-001"]["definition"] and changed.version == 2
    assert renamed.name == CATALOGUE["KK-002"]["name"] and renamed.version == 1


def test_sync_leaves_a_customised_rule_alone(db):
    Rule.objects.all().delete()
    sync_builtin_rules()
    Rule.objects.filter(code="CS-001").update(severity="serious", customised=True, enabled=False)
    assert sync_builtin_rules() == (0, 0)
    row = Rule.objects.get(code="CS-001")
    assert row.severity == "serious" and not row.enabled and row.version == 1
