"""The patrol language: checking definitions, and every operator through both evaluators (the SQL
compiler over all cases and the memory evaluator over each case's snapshot) on hand-built cases."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bihuan.bizreports.actions import do_enter_figures
from bihuan.cases.models import Case, Charge, CoerciveMeasure, ProceduralLink, Suspect, SuspectCharge, Tag
from bihuan.documents.extract.fields import Text, criminal_law_articles
from bihuan.documents.models import Document, ExtractedField
from bihuan.patrol.lang import (
    RuleError,
    check_definition,
    compile_rule,
    load_case,
    memory_hits,
    report_hits,
    sql_details,
    sql_hits,
)
from bihuan.patrol.lang.values import shift
from bihuan.workflow.models import ApprovalRequest, DecisionType, PublicHearing
from tests import factories as f
from tests.bizreports_helpers import build_small

TODAY = date(2024, 6, 15)


def hits(definition: dict, *, today: date = TODAY, case_types=()) -> set[str]:
    """The hits of a rule over every case; both evaluators must give the same keys and details."""
    compiled = compile_rule(definition, case_types=case_types)
    keys = sql_hits(compiled, today=today)
    in_memory = {}
    for case_id in Case.objects.values_list("pk", flat=True):
        in_memory.update(memory_hits(compiled, load_case(case_id), today=today))
    assert keys == set(in_memory)
    assert sql_details(compiled, keys, today=today) == in_memory
    return keys


def suspect_rule(when: dict, show: list | None = None) -> dict:
    return {"subject": "suspect", "when": when, "show": show or []}


def doc(case: Case, kind: str, fields: dict, *, groups: dict | None = None, signed: date | None = None) -> Document:
    """A document of the case with its extracted fields; `groups` maps a person's number to theirs."""
    document = Document.objects.create(case=case, kind=kind, number="测检〔2024〕1号", signed_date=signed)
    for group, values in [(0, fields), *(groups or {}).items()]:
        for name, value in values.items():
            ExtractedField.objects.create(document=document, name=name, group=group, value=value, start=0, end=1)
    return document


@pytest.fixture
def cases(world):
    """Case A: one suspect, fully filled; case B: two suspects, the second with gaps."""
    a = f.make_case(world.county, department=world.county_dept, received=date(2024, 3, 1), name="甲案")
    a1 = f.make_suspect(a, "张某", birth=date(1990, 5, 17), id_number="11010519491231002X", education="junior")
    b = f.make_case(world.county, department=world.county_dept, received=date(2024, 5, 20), procedure="fast")
    b1 = f.make_suspect(b, "李某", birth=date(1985, 1, 2), gender="F")
    b2 = f.make_suspect(b, "王某", id_number="", is_minor=True)
    Suspect.objects.filter(pk=b2.pk).update(birth_date=None)  # the factory always gives one
    Case.objects.filter(pk__in=[world.case_a.pk, world.case_b.pk, world.case_city.pk, world.case_other.pk]).delete()
    return {"a": a, "a1": a1, "b": b, "b1": b1, "b2": b2}


# Checking


@pytest.mark.parametrize(
    ("definition", "error"),
    [
        ({"subject": "suspect", "when": {"ne": ["suspect.birthday", 1]}}, "when.ne[0]：未知字段 suspect.birthday"),
        ({"subject": "case", "when": {"eq": ["suspect.name", "x"]}}, "when.eq[0]：未绑定的名称 suspect"),
        ({"subject": "case", "when": {"like": ["case.name", "x"]}}, "when：未知条件 like"),
        ({"subject": "case", "when": {"all": [{"eq": ["case.name"]}]}}, "when.all[0].eq：eq 需要 2 个操作数"),
        (
            {"subject": "case", "when": {"exists": {"from": "case.victims", "as": "v"}}},
            "when.exists.from：未知集合 case.victims",
        ),
        ({"subject": "judge", "when": {}}, "subject：未知对象 'judge'"),
        ({"subject": "case", "when": {"eq": [{"upper": "case.name"}, "x"]}}, "when.eq[0]：未知表达式 upper"),
        ({"subject": "case", "when": {"eq": ["case.received_date", 3]}}, "when.eq：类型不一致：日期 与 数值"),
        ({"subject": "case", "when": {"eq": ["case.closed_date", None]}}, "when.eq：与 null 比较总为假"),
        ({"subject": "case", "when": {"lt": ["case.received_date", "2024-02-30"]}}, "when.lt[1]：日期应写作"),
        ({"subject": "case", "when": {"label": "case.name"}}, "when：未知条件 label"),
        ({"subject": "case", "when": {"eq": [{"label": "case.name"}, "x"]}}, "when.eq[0].label：label 只能用于有选项"),
        (
            {"subject": "case", "when": {"eq": [{"doc": {"kind": "indictment", "name": "shoe_size"}}, "x"]}},
            "when.eq[0].doc.name：未知文书字段 shoe_size",
        ),
        (
            {"subject": "report", "when": {"eq": [{"doc": {"kind": "indictment", "name": "name"}}, "x"]}},
            "when.eq[0].doc：doc 只能用于有案件的规则",
        ),
        (
            {"subject": "case", "when": {"exists": {"from": "case.suspects", "as": "case"}}},
            "when.exists.as：名称 case 已绑定",
        ),
        ({"subject": "case", "when": {"in": ["case.stage", []]}}, "when.in[1]：in 的第二个操作数应为非空"),
        ({"subject": "case", "when": {"eq": [{"first": {}}, 1]}}, "when.eq[0].first：first 只能用于 show"),
        ({"subject": "case", "when": {"any": []}}, "when.any：any 需要非空的条件列表"),
        ({"subject": "case", "when": {"lt": ["case.is_major_complex", True]}}, "when.lt：lt 不能比较是/否"),
        ({"subject": "measure", "when": {"eq": ["measure.kind", "bal"]}}, "when.eq[1]：measure.kind 没有取值 'bal'"),
        (
            {"subject": "suspect", "when": {"id_invalid": {"id_birth": "suspect.id_number"}}},
            "when.id_invalid：公民身份号码函数只能用于字段",
        ),
        (
            {"subject": "case", "when": {"in": [{"label": "case.procedure"}, ["速裁程序", "快速"]]}},
            "when.in[1][1]：case.procedure 没有标签 '快速'",
        ),
        ({"subject": "case", "when": {"eq": [{"concat": ["case.name"]}, "x"]}}, "when.eq[0].concat：concat 需要至少 2"),
        (
            {"subject": "case", "when": {"eq": [{"concat": ["case.name", "case.received_date"]}, "x"]}},
            "when.eq[0].concat[1]：应为文本，实为日期",
        ),
        (
            {
                "subject": "case",
                "when": {"eq": [{"concat": ["case.name", {"doc": {"kind": "indictment", "name": "name"}}]}, "x"]},
            },
            "when.eq[0].concat[1].doc：doc 只能直接用作比较",
        ),
    ],
)
def test_a_bad_definition_is_refused_with_the_place_of_each_error(definition, error):
    errors = check_definition(definition)
    assert any(message.startswith(error) for message in errors), errors
    with pytest.raises(RuleError) as raised:
        compile_rule(definition)
    assert raised.value.errors == errors


def test_every_error_is_reported_not_only_the_first():
    definition = {
        "subject": "suspect",
        "when": {"all": [{"eq": ["suspect.nam", "x"]}, {"gt": ["case.due", 1]}]},
        "show": [{"label": "x", "value": "suspect.age"}],
    }
    assert check_definition(definition) == [
        "when.all[0].eq[0]：未知字段 suspect.nam",
        "when.all[1].gt[0]：未知字段 case.due",
        "show[0].value：未知字段 suspect.age",
    ]


def test_the_catalogue_example_checks():
    definition = {
        "subject": "suspect",
        "when": {
            "ne": [
                {"doc": {"kind": "indictment", "name": "birth_date", "group": "suspect.seq"}},
                {"text": "suspect.birth_date"},
            ]
        },
        "show": [
            {"label": "案卡出生日期", "value": "suspect.birth_date", "source": "案卡"},
            {
                "label": "起诉书出生日期",
                "value": {"doc": {"kind": "indictment", "name": "birth_date", "group": "suspect.seq"}},
                "source": "起诉书",
            },
        ],
    }
    assert check_definition(definition) == []
    assert compile_rule(definition).subject == "suspect"


# Operators, on both evaluators


def test_comparisons_on_fields_and_literals(cases):
    a1, b1, b2 = (f"suspect:{cases[k].pk}" for k in ("a1", "b1", "b2"))
    assert hits(suspect_rule({"eq": ["suspect.gender", "F"]})) == {b1}
    assert hits(suspect_rule({"ne": ["suspect.gender", "F"]})) == {a1, b2}
    assert hits(suspect_rule({"lt": ["suspect.birth_date", "1990-05-17"]})) == {b1}
    assert hits(suspect_rule({"le": ["suspect.birth_date", "1990-05-17"]})) == {a1, b1}
    assert hits(suspect_rule({"gt": ["suspect.seq", 1]})) == {b2}
    assert hits(suspect_rule({"ge": ["case.received_date", "2024-05-20"]})) == {b1, b2}
    assert hits(suspect_rule({"eq": ["suspect.is_minor", True]})) == {b2}
    assert hits(suspect_rule({"in": ["suspect.name", ["张某", "王某"]]})) == {a1, b2}
    assert hits(suspect_rule({"gt": ["suspect.birth_date", "case.received_date"]})) == set()
    # Text is ordered by code point (张 U+5F20 < 李 U+674E < 王 U+738B), not by pinyin.
    assert hits(suspect_rule({"lt": ["suspect.name", "李某"]})) == {a1}


def test_a_null_side_makes_every_comparison_false_and_not_is_plain(cases):
    b2 = f"suspect:{cases['b2'].pk}"
    everyone = {f"suspect:{cases[k].pk}" for k in ("a1", "b1", "b2")}
    for op in ("eq", "ne", "lt", "le", "gt", "ge"):
        assert b2 not in hits(suspect_rule({op: ["suspect.birth_date", "2000-01-01"]}))
        assert b2 in hits(suspect_rule({"not": {op: ["suspect.birth_date", "2000-01-01"]}}))
    assert hits(suspect_rule({"in": ["suspect.birth_date", ["1990-05-17"]]})) == {f"suspect:{cases['a1'].pk}"}
    assert b2 in hits(suspect_rule({"not": {"in": ["suspect.birth_date", ["1990-05-17"]]}}))
    # "" is a value, not a null: only blank treats it as blank.
    assert hits(suspect_rule({"eq": ["suspect.id_number", ""]})) == {b2}
    assert hits(suspect_rule({"blank": "suspect.id_number"})) == {b2}
    assert hits(suspect_rule({"blank": "suspect.birth_date"})) == {b2}
    assert hits(suspect_rule({"present": "suspect.birth_date"})) == everyone - {b2}
    assert hits(suspect_rule({"any": [{"blank": "suspect.birth_date"}, {"eq": ["suspect.gender", "F"]}]})) == {
        b2,
        f"suspect:{cases['b1'].pk}",
    }


def test_today_add_days_label_and_text(cases):
    a, b = f"case:{cases['a'].pk}", f"case:{cases['b'].pk}"
    case_rule = lambda when: {"subject": "case", "when": when}  # noqa: E731
    # 2024-06-15 less 3 months and 1 day: 2024-03-14.
    assert hits(case_rule({"lt": ["case.received_date", {"today": {"months": -3, "days": -1}}]})) == {a}
    assert hits(case_rule({"eq": [{"add_days": ["case.received_date", 80]}, "2024-05-20"]})) == {a}
    assert hits(case_rule({"eq": [{"add_days": ["case.received_date", -1]}, "2024-05-19"]})) == {b}
    assert hits(case_rule({"eq": [{"label": "case.procedure"}, "速裁程序"]})) == {b}
    assert hits(case_rule({"eq": [{"text": "case.received_date"}, "2024-03-01"]})) == {a}
    assert hits(case_rule({"eq": [{"text": {"add_days": ["case.received_date", 31]}}, "2024-04-01"]})) == {a}
    a1 = f"suspect:{cases['a1'].pk}"
    assert hits(suspect_rule({"eq": [{"label": "suspect.education"}, "初中"]})) == {a1}
    assert hits(suspect_rule({"eq": [{"text": "suspect.seq"}, "2"]})) == {f"suspect:{cases['b2'].pk}"}


def test_concat_joins_texts_and_is_null_when_a_part_is(cases):
    a1, b2 = f"suspect:{cases['a1'].pk}", f"suspect:{cases['b2'].pk}"
    CoerciveMeasure.objects.create(suspect=cases["a1"], kind="bail", start_date=date(2024, 3, 5))
    written = {"concat": [{"label": "suspect.gender"}, "@", {"text": "suspect.birth_date"}]}
    assert hits(suspect_rule({"eq": [written, "男@1990-05-17"]})) == {a1}
    # b2 has no birth date: the whole text is null, so blank and never equal or unequal.
    assert hits(suspect_rule({"blank": written})) == {b2}
    assert hits(suspect_rule({"ne": [written, "男@1990-05-17"]})) == {f"suspect:{cases['b1'].pk}"}
    measure = {"concat": [{"label": "m.kind"}, "@", {"text": "m.start_date"}]}
    rule = suspect_rule(
        {"exists": {"from": "suspect.measures", "as": "m", "where": {"eq": [measure, "取保候审@2024-03-05"]}}},
        [{"label": "措施", "value": {"first": {"from": "suspect.measures", "as": "m", "value": measure}}}],
    )
    assert hits(rule) == {a1}
    compiled = compile_rule(rule)
    assert memory_hits(compiled, load_case(cases["a"].pk), today=TODAY)[a1].values[0]["value"] == "取保候审@2024-03-05"
    shown = compile_rule(suspect_rule({"present": "suspect.name"}, [{"label": "出生", "value": written}]))
    details = sql_details(shown, sql_hits(shown, today=TODAY), today=TODAY)
    assert details[b2].values[0]["value"] == ""


def test_a_charge_article_is_written_as_the_extraction_writes_it(cases):
    """Every charge of the catalogue: its article as `criminal_law_articles` reads the catalogue's
    article text (第一百三十三条之一 → 133之一); null for one that is no 刑法 article (D1)."""
    person = cases["a1"]
    SuspectCharge.objects.bulk_create(SuspectCharge(suspect=person, charge=c) for c in Charge.objects.all())
    expected = {}
    for charge in Charge.objects.all():
        text = Text(f"《中华人民共和国刑法》{charge.article}")
        articles = [field.value for field in criminal_law_articles(text, 0, len(text.norm))]
        expected[charge.name] = articles[0] if charge.article.startswith("第") else None
    assert len(expected) > 400 and expected["危险驾驶罪"] == "133之一" and expected["骗购外汇罪"] is None
    (suspect,) = load_case(cases["a"].pk).case["@suspects"]
    assert {row["name"]: row["article"] for row in suspect["@charges"]} == expected
    cited = lambda value: {"from": "suspect.charges", "as": "c", "where": {"eq": ["c.article", value]}}  # noqa: E731
    assert hits(suspect_rule({"exists": cited("133之一")})) == {f"suspect:{person.pk}"}
    assert hits(suspect_rule({"exists": cited("133-1")})) == set()
    no_article = {"from": "suspect.charges", "as": "c", "where": {"blank": "c.article"}}
    assert hits(suspect_rule({"exists": no_article})) == {f"suspect:{person.pk}"}


def test_today_moves_by_months_to_the_month_end():
    assert shift(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert shift(date(2024, 3, 31), -1, 1) == date(2024, 3, 1)
    assert shift(date(2024, 12, 15), 1) == date(2025, 1, 15)
    assert shift(date(2024, 1, 15), -13) == date(2022, 12, 15)


def test_a_document_field_is_existential_in_a_comparison(cases):
    a, b = cases["a"], cases["b"]
    a1, b1, b2 = (f"suspect:{cases[k].pk}" for k in ("a1", "b1", "b2"))
    # Case A's indictment writes the birth date right; case B's has two, the second wrong for person 2.
    doc(a, "indictment", {"doc_number": "1"}, groups={1: {"birth_date": "1990-05-17"}})
    doc(b, "indictment", {}, groups={1: {"birth_date": "1985-01-02"}, 2: {"birth_date": "2001-01-01"}})
    rule = suspect_rule(
        {
            "ne": [
                {"doc": {"kind": "indictment", "name": "birth_date", "group": "suspect.seq"}},
                {"text": "suspect.birth_date"},
            ]
        }
    )
    assert hits(rule) == set()  # person 2 of B has no birth date on the card: a null side
    assert hits(
        suspect_rule(
            {"eq": [{"doc": {"kind": "indictment", "name": "birth_date", "group": "suspect.seq"}}, "2001-01-01"]}
        )
    ) == {b2}
    # Some value differs: a second indictment of A with another date makes A's person 1 a hit.
    second = doc(a, "indictment", {}, groups={1: {"birth_date": "1990-05-18"}})
    assert hits(rule) == {a1}
    # A correction is the effective value.
    field = second.extracted_fields.get()
    field.corrected_value = "1990-05-17"
    field.save(update_fields=["corrected_value"])
    assert hits(rule) == set()
    # No document of the kind, no value: false either way.
    assert (
        hits(suspect_rule({"eq": [{"doc": {"kind": "judgment", "name": "name", "group": "suspect.seq"}}, "张某"]}))
        == set()
    )
    assert (
        hits(suspect_rule({"ne": [{"doc": {"kind": "judgment", "name": "name", "group": "suspect.seq"}}, "张某"]}))
        == set()
    )
    present = {"present": {"doc": {"kind": "indictment", "name": "birth_date", "group": "suspect.seq"}}}
    assert hits(suspect_rule(present)) == {a1, b1, b2}
    assert hits({"subject": "case", "when": {"present": {"doc": {"kind": "indictment", "name": "doc_number"}}}}) == {
        f"case:{a.pk}"
    }


def test_show_values_and_subject_texts(cases):
    doc(cases["a"], "indictment", {}, groups={1: {"name": "张某"}})
    doc(cases["a"], "indictment", {}, groups={1: {"name": "张某某"}})
    compiled = compile_rule(
        suspect_rule(
            {"eq": ["suspect.name", "张某"]},
            [
                {"label": "出生日期", "value": "suspect.birth_date", "source": "案卡"},
                {"label": "文化程度", "value": {"label": "suspect.education"}, "source": "案卡"},
                {
                    "label": "起诉书姓名",
                    "value": {"doc": {"kind": "indictment", "name": "name", "group": "suspect.seq"}},
                    "source": "起诉书",
                },
                {"label": "同案人数", "value": {"count": {"from": "case.suspects", "as": "s"}}, "source": "案卡"},
                {"label": "未成年", "value": "suspect.is_minor", "source": "案卡"},
            ],
        )
    )
    (detail,) = memory_hits(compiled, load_case(cases["a"].pk), today=TODAY).values()
    assert detail.subject_text == "第1名犯罪嫌疑人 张某"
    assert (detail.case_id, detail.department_id) == (cases["a"].pk, cases["a"].department_id)
    assert [v["value"] for v in detail.values] == ["1990-05-17", "初中", "张某、张某某", "1", "否"]
    assert sql_details(compiled, {detail.key}, today=TODAY) == {detail.key: detail}


def test_measure_and_link_subjects(cases):
    a1, b1 = cases["a1"], cases["b1"]
    bail = CoerciveMeasure.objects.create(suspect=a1, kind="bail", start_date=date(2023, 5, 1))
    CoerciveMeasure.objects.create(suspect=b1, kind="bail", start_date=date(2024, 1, 5), end_date=date(2024, 2, 1))
    over_a_year = {
        "subject": "measure",
        "when": {
            "all": [
                {"eq": ["measure.kind", "bail"]},
                {"blank": "measure.end_date"},
                {"lt": [{"add_days": ["measure.start_date", 365]}, {"today": {}}]},
            ]
        },
    }
    assert hits(over_a_year) == {f"measure:{bail.pk}"}
    (detail,) = sql_details(compile_rule(over_a_year), {f"measure:{bail.pk}"}, today=TODAY).values()
    assert detail.subject_text == "张某 取保候审（2023-05-01起）"
    link = ProceduralLink.objects.create(case=cases["b"], kind="extension", seq=1, start_date=date(2024, 6, 1))
    unapproved = {"subject": "link", "when": {"all": [{"eq": ["link.kind", "extension"]}, {"blank": "link.approver"}]}}
    assert hits(unapproved) == {f"link:{link.pk}"}
    (detail,) = sql_details(compile_rule(unapproved), {f"link:{link.pk}"}, today=TODAY).values()
    assert detail.subject_text == "延长审查起诉期限 第1次"


def test_exists_count_and_nested_exists_see_every_outer_name(world, cases):
    a, b = cases["a"], cases["b"]
    CoerciveMeasure.objects.create(suspect=cases["a1"], kind="arrest", start_date=date(2024, 3, 2))
    CoerciveMeasure.objects.create(suspect=cases["b1"], kind="arrest", start_date=date(2024, 5, 1))
    # A measure that started before the case was received, of a suspect whose birth date
    # differs from the case's first document field value: two outer names (case, s) inside.
    doc(a, "measure", {"signed_date": "2024-03-02"})
    doc(b, "measure", {"signed_date": "2024-05-02"})
    nested = {
        "subject": "case",
        "when": {
            "exists": {
                "from": "case.suspects",
                "as": "s",
                "where": {
                    "exists": {
                        "from": "s.measures",
                        "as": "m",
                        "where": {
                            "all": [
                                {"lt": ["m.start_date", "case.received_date"]},
                                {"present": "s.birth_date"},
                                {"ne": [{"doc": {"kind": "measure", "name": "signed_date"}}, {"text": "m.start_date"}]},
                            ]
                        },
                    }
                },
            }
        },
    }
    assert hits(nested) == {f"case:{b.pk}"}
    # count: cases with two or more suspects, and cases without any measure document.
    assert hits({"subject": "case", "when": {"ge": [{"count": {"from": "case.suspects", "as": "s"}}, 2]}}) == {
        f"case:{b.pk}"
    }
    minors = {"count": {"from": "case.suspects", "as": "s", "where": {"eq": ["s.is_minor", True]}}}
    assert hits({"subject": "case", "when": {"eq": [minors, 0]}}) == {f"case:{a.pk}"}
    assert hits({"subject": "case", "when": {"ne": [1, minors]}}) == {f"case:{a.pk}"}
    assert hits({"subject": "case", "when": {"le": [minors, 1]}}) == {f"case:{a.pk}", f"case:{b.pk}"}
    assert hits({"subject": "case", "when": {"lt": [1, minors]}}) == set()
    # A count whose rows are compared with the case (a correlated count).
    before = {"count": {"from": "s.measures", "as": "m", "where": {"lt": ["m.start_date", "case.received_date"]}}}
    assert hits(suspect_rule({"gt": [{"count": before["count"] | {"from": "suspect.measures"}}, 0]})) == {
        f"suspect:{cases['b1'].pk}"
    }
    # tags, requests, hearings, documents and charges as collections.
    sensitive, _ = Tag.objects.get_or_create(name="重大敏感")
    b.tags.add(sensitive)
    tagged = {"exists": {"from": "case.tags", "as": "g", "where": {"eq": ["g.name", "重大敏感"]}}}
    assert hits({"subject": "case", "when": tagged}) == {f"case:{b.pk}"}
    np = DecisionType.objects.create(
        code="np_x", name="相对不起诉", case_type="prosecution_review", outcome="np_discretionary"
    )
    ApprovalRequest.objects.create(
        case=b, decision_type=np, proposed_by=world.people["pros_a"], opinion="x", status="recorded"
    )
    no_hearing = {
        "all": [
            tagged,
            {"exists": {"from": "case.requests", "as": "r", "where": {"eq": ["r.outcome", "np_discretionary"]}}},
            {"not": {"exists": {"from": "case.hearings", "as": "h"}}},
        ]
    }
    assert hits({"subject": "case", "when": no_hearing}) == {f"case:{b.pk}"}
    PublicHearing.objects.create(
        case=b,
        held_on=date(2024, 6, 1),
        host=world.people["head"],
        topic="t",
        conclusion="c",
        recorded_by=world.people["cm"],
    )
    assert hits({"subject": "case", "when": no_hearing}) == set()
    signed = {"exists": {"from": "case.documents", "as": "d", "where": {"eq": ["d.signed_date", "2024-01-01"]}}}
    assert hits({"subject": "case", "when": signed}) == set()
    first = {"first": {"from": "case.suspects", "as": "s", "where": {"eq": ["s.gender", "F"]}, "value": "s.name"}}
    compiled = compile_rule(
        {"subject": "case", "when": {"eq": ["case.procedure", "fast"]}, "show": [{"label": "女", "value": first}]}
    )
    (detail,) = sql_details(compiled, {f"case:{b.pk}"}, today=TODAY).values()
    assert detail.values == [{"label": "女", "value": "李某", "source": ""}]


def test_case_types_and_case_ids_restrict_the_rule(world, cases):
    arrest = f.make_case(world.county, case_type="arrest_review", received=date(2024, 6, 1))
    everything = {"subject": "case", "when": {"present": "case.name"}}
    assert hits(everything, case_types=["arrest_review"]) == {f"case:{arrest.pk}"}
    compiled = compile_rule(everything)
    assert sql_hits(compiled, today=TODAY, case_ids=[cases["a"].pk]) == {f"case:{cases['a'].pk}"}


def test_the_due_date_is_read_through_the_case(cases):
    due = Case.objects.filter(pk=cases["a"].pk).values_list("due__due_date", flat=True).get()
    assert due is not None
    rule = suspect_rule({"eq": ["case.due_date", due.isoformat()]})
    assert hits(rule) == {f"suspect:{cases['a1'].pk}"}


@pytest.mark.parametrize(
    ("number", "invalid", "birth", "gender"),
    [
        ("11010519491231002X", False, "1949-12-31", "女"),
        ("11010519491231002x", False, "1949-12-31", "女"),
        ("110105194912310021", True, "1949-12-31", "女"),
        ("110105194912310031", True, "1949-12-31", "男"),
        ("11010519491231002", True, None, None),
        ("1101051949123100２X", True, None, None),
        ("ABCDEFGHIJKLMNOPQR", True, None, None),
        ("", False, None, None),
    ],
)
def test_id_number_checks(world, number, invalid, birth, gender):
    case = f.make_case(world.county)
    suspect = f.make_suspect(case, "赵某", id_number=number)
    key = f"suspect:{suspect.pk}"
    assert (key in hits(suspect_rule({"id_invalid": "suspect.id_number"}))) is invalid
    rule = suspect_rule(
        {"present": "suspect.name"},
        [
            {"label": "出生", "value": {"id_birth": "suspect.id_number"}},
            {"label": "性别", "value": {"id_gender": "suspect.id_number"}},
        ],
    )
    detail = sql_details(compile_rule(rule), {key}, today=TODAY)[key]
    assert [v["value"] for v in detail.values] == [birth or "", gender or ""]
    assert hits(rule)
    if birth:
        assert key in hits(suspect_rule({"eq": [{"id_birth": "suspect.id_number"}, birth]}))


def test_sql_hits_is_one_query_and_the_snapshot_a_handful(cases):
    rule = compile_rule(
        suspect_rule({"exists": {"from": "suspect.measures", "as": "m", "where": {"eq": ["m.kind", "bail"]}}})
    )
    with CaptureQueriesContext(connection) as queries:
        sql_hits(rule, today=TODAY)
    assert len(queries) == 1
    assert "ORDER BY" not in queries[0]["sql"]
    with CaptureQueriesContext(connection) as queries:
        load_case(cases["b"].pk)
    assert len(queries) <= 10


def test_report_rules_compare_the_reported_figures_with_the_cases(world):
    small = build_small(world)
    do_enter_figures(world.county, None, 2024, 3, {"QS": 2, "BQS": 5}, world.people["cm"])
    differs = {
        "subject": "report",
        "when": {"ne": ["report.value", "report.counted"]},
        "show": [
            {"label": "报表数", "value": "report.value", "source": "业务报表"},
            {"label": "案卡数", "value": "report.counted", "source": "案卡"},
        ],
    }
    compiled = compile_rule(differs)
    found = report_hits(compiled, today=date(2024, 4, 10), months=2)
    key = f"report:{world.county.pk}:0:2024-03:BQS"
    assert set(found) == {key}
    detail = found[key]
    assert detail.subject_text == "本院 2024年3月 不起诉（人）" or detail.subject_text.startswith("本院 2024年3月")
    assert [v["value"] for v in detail.values] == ["5", "2"]
    assert (detail.case_id, detail.org_id) == (None, world.county.pk)
    # Out of the period, or of the organisations asked for: nothing.
    assert report_hits(compiled, today=date(2024, 6, 10), months=2) == {}
    assert report_hits(compiled, today=date(2024, 4, 10), org_ids=[small.world.other_county.pk]) == {}
    with pytest.raises(ValueError):
        sql_hits(compiled, today=TODAY)
    with pytest.raises(ValueError):
        report_hits(compile_rule({"subject": "case", "when": {"present": "case.name"}}), today=TODAY)
