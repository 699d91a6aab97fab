"""The two evaluators agree: on generated cases (suspects with random nullable fields, measures,
charges, links, documents with extracted fields and corrections, tags) and generated rules over the whole
vocabulary, `sql_hits` over all cases equals the union of `memory_hits` of each case, and the
details read by SQL equal those the memory evaluator gives."""

from datetime import date

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bihuan.cases.models import Case, Charge, CoerciveMeasure, ProceduralLink, Suspect, SuspectCharge, Tag
from bihuan.documents.models import Document, ExtractedField
from bihuan.lib import idnumber
from bihuan.patrol.lang import compile_rule, load_case, memory_hits, sql_details, sql_hits
from bihuan.patrol.lang.schema import BOOL, DATE, ENTITIES, INT, SUBJECTS, TEXT
from tests import factories as f

TODAY = date(2024, 6, 15)
DATES = [date(2024, 1, 31), date(2024, 3, 1), date(2024, 5, 20), date(2024, 6, 15), date(1990, 5, 17)]
INTS = [0, 1, 2, 3, 12]
TEXTS = [
    "",
    "张某",
    "李某",
    "M",
    "F",
    "bail",
    "junior",
    "1990-05-17",
    "2024-03-01",
    "男",
    "取保候审@2024-03-01",
    "133之一",
]
NAMES = ["张某", "李某", "王某"]
ID_NUMBERS = [
    "",
    "11010519491231002X",
    "110105194912310021",
    "11010519900517001",
    "1101051990051700AX",
    idnumber.make("371002", date(1990, 5, 17), 3, "M"),
]
FIELD_NAMES = ["name", "birth_date", "gender", "id_number", "charge", "measure", "article"]
# Charges whose article_no is plain (264), has a 之N (133-1) or is no 刑法 article (D1).
CHARGES = ["盗窃罪", "危险驾驶罪", "骗购外汇罪"]
DOC_KINDS = ["indictment", "measure"]
TAGS = ["重大敏感", "涉黑涉恶"]
COMPARISONS = ["eq", "ne", "lt", "le", "gt", "ge"]
LITERALS = {DATE: DATES, INT: INTS, TEXT: TEXTS, BOOL: [True, False]}

# Data


maybe_date = st.one_of(st.none(), st.sampled_from(DATES))
suspects = st.fixed_dictionaries(
    {
        "name": st.sampled_from(NAMES),
        "gender": st.sampled_from(["M", "F"]),
        "birth_date": maybe_date,
        "id_number": st.sampled_from(ID_NUMBERS),
        "education": st.sampled_from(["", "junior", "college"]),
        "is_minor": st.booleans(),
        "plea": st.booleans(),
        "rec_kind": st.sampled_from(["", "fixed"]),
        "rec_term_min": st.one_of(st.none(), st.sampled_from(INTS)),
        "court_term": st.one_of(st.none(), st.sampled_from(INTS)),
        "rec_adopted": st.one_of(st.none(), st.booleans()),
        "measures": st.lists(
            st.fixed_dictionaries(
                {
                    "kind": st.sampled_from(["bail", "arrest"]),
                    "start_date": st.sampled_from(DATES),
                    "end_date": maybe_date,
                }
            ),
            max_size=2,
        ),
        "charges": st.lists(st.sampled_from(CHARGES), unique=True, max_size=2),
    }
)
documents = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(DOC_KINDS),
        "signed_date": maybe_date,
        "fields": st.lists(
            st.fixed_dictionaries(
                {
                    "name": st.sampled_from(FIELD_NAMES),
                    "group": st.integers(0, 2),
                    "value": st.sampled_from(TEXTS + NAMES),
                    "corrected": st.one_of(st.none(), st.sampled_from(TEXTS)),
                }
            ),
            max_size=4,
        ),
    }
)
cases = st.lists(
    st.fixed_dictionaries(
        {
            "procedure": st.sampled_from(["ordinary", "fast"]),
            "received": st.sampled_from(DATES[:4]),
            "closed_date": maybe_date,
            "is_major_complex": st.booleans(),
            "suspects": st.lists(suspects, max_size=3),
            "links": st.lists(
                st.fixed_dictionaries(
                    {
                        "kind": st.sampled_from(["supplementary", "extension"]),
                        "start_date": st.sampled_from(DATES),
                        "end_date": maybe_date,
                        "approver": st.sampled_from(["", "张某"]),
                    }
                ),
                max_size=2,
            ),
            "documents": st.lists(documents, max_size=2),
            "tags": st.lists(st.sampled_from(TAGS), unique=True, max_size=2),
        }
    ),
    min_size=1,
    max_size=3,
)


def build(org, specs: list[dict]) -> None:
    tags = {name: Tag.objects.get_or_create(name=name)[0] for name in TAGS}
    for spec in specs:
        case = f.make_case(
            org,
            procedure=spec["procedure"],
            received=spec["received"],
            closed_date=spec["closed_date"],
            is_major_complex=spec["is_major_complex"],
        )
        case.tags.add(*(tags[name] for name in spec["tags"]))
        for person in spec["suspects"]:
            fields = {k: v for k, v in person.items() if k not in ("name", "birth_date", "measures", "charges")}
            suspect = f.make_suspect(case, person["name"], **fields)
            # The factory needs a birth date for its ID number; the card may have none.
            Suspect.objects.filter(pk=suspect.pk).update(birth_date=person["birth_date"])
            for measure in person["measures"]:
                CoerciveMeasure.objects.create(suspect=suspect, **measure)
            for name in person["charges"]:
                SuspectCharge.objects.create(suspect=suspect, charge=Charge.objects.get(name=name))
        for seq, link in enumerate(spec["links"], start=1):
            ProceduralLink.objects.create(case=case, seq=seq, **link)
        for document in spec["documents"]:
            row = Document.objects.create(case=case, kind=document["kind"], signed_date=document["signed_date"])
            for field in document["fields"]:
                ExtractedField.objects.create(
                    document=row,
                    name=field["name"],
                    group=field["group"],
                    value=field["value"],
                    corrected_value=field["corrected"],
                    start=0,
                    end=1,
                )


# Rules


def refs(names: dict[str, str], kind: str | None = None) -> list[str]:
    return [
        f"{name}.{field.name}"
        for name, entity in names.items()
        for field in ENTITIES[entity].fields.values()
        if kind is None or field.type == kind
    ]


def field_of(path: str, names: dict[str, str]):
    name, field = path.split(".")
    return ENTITIES[names[name]].fields[field]


@st.composite
def values(draw, names: dict[str, str], kind: str, depth: int):
    """An expression of the given type."""
    options = ["ref", "literal"]
    if kind == DATE:
        options += ["today", "add_days"]
    if kind == TEXT:
        options += ["label", "text", "id"] + (["concat"] if depth > 0 else [])
    if kind == INT and depth > 0 and _collections(names):
        options.append("count")
    choice = draw(st.sampled_from(options))
    if choice == "ref" and refs(names, kind):
        return draw(st.sampled_from(refs(names, kind)))
    if choice == "today":
        return {"today": {"months": draw(st.integers(-2, 1)), "days": draw(st.integers(-3, 3))}}
    if choice == "add_days":
        return {"add_days": [draw(values(names, DATE, 0)), draw(st.integers(-40, 40))]}
    if choice == "label":
        labelled = [path for path in refs(names, TEXT) if field_of(path, names).choices]
        if labelled:
            return {"label": draw(st.sampled_from(labelled))}
    if choice == "text":
        return {"text": draw(st.sampled_from([*refs(names, DATE), *refs(names, INT), {"today": {"days": 1}}]))}
    if choice == "id":
        return {draw(st.sampled_from(["id_birth", "id_gender"])): draw(st.sampled_from(refs(names, TEXT)))}
    if choice == "concat":
        return {"concat": draw(st.lists(values(names, TEXT, depth - 1), min_size=2, max_size=3))}
    if choice == "count":
        return {"count": draw(source(names, depth - 1))}
    literal = draw(st.sampled_from(LITERALS[kind]))
    return literal.isoformat() if isinstance(literal, date) else literal


@st.composite
def fitted(draw, names: dict[str, str], expr, literal):
    """A text literal compared with a choice field (or its label) is one of its values (labels):
    the checker refuses others."""
    if not isinstance(literal, str) or literal in refs(names):
        return literal
    if isinstance(expr, str) and expr in refs(names) and field_of(expr, names).choices:
        return draw(st.sampled_from(list(field_of(expr, names).choices)))
    if isinstance(expr, dict) and "label" in expr:
        return draw(st.sampled_from(list(field_of(expr["label"], names).choices.values())))
    return literal


def _collections(names: dict[str, str]) -> list[str]:
    return [f"{name}.{c}" for name, entity in names.items() for c in ENTITIES[entity].collections]


@st.composite
def source(draw, names: dict[str, str], depth: int):
    path = draw(st.sampled_from(_collections(names)))
    owner, collection = path.split(".")
    name = f"n{len(names)}"
    inner = {**names, name: ENTITIES[names[owner]].collections[collection].entity}
    spec = {"from": path, "as": name}
    if draw(st.booleans()):
        spec["where"] = draw(conditions(inner, depth))
    return spec


@st.composite
def conditions(draw, names: dict[str, str], depth: int):
    options = ["compare", "compare", "in", "blank", "id_invalid"]
    if "case" in names:
        options += ["doc", "doc"]
    if depth > 0:
        options += ["not", "all", "any", "exists", "exists"]
    choice = draw(st.sampled_from(options))
    if choice == "compare":
        kind = draw(st.sampled_from([DATE, INT, TEXT, BOOL]))
        op = draw(st.sampled_from(["eq", "ne"] if kind == BOOL else COMPARISONS))
        left, right = draw(values(names, kind, depth)), draw(values(names, kind, depth))
        return {op: [draw(fitted(names, right, left)), draw(fitted(names, left, right))]}
    if choice == "in":
        kind = draw(st.sampled_from([DATE, INT, TEXT]))
        expr = draw(values(names, kind, depth))
        listed = draw(st.lists(st.sampled_from(LITERALS[kind]), min_size=1, max_size=3))
        literals = [v.isoformat() if isinstance(v, date) else v for v in listed]
        return {"in": [expr, [draw(fitted(names, expr, literal)) for literal in literals]]}
    if choice == "blank":
        kind = draw(st.sampled_from([DATE, INT, TEXT, BOOL]))
        return {draw(st.sampled_from(["blank", "present"])): draw(values(names, kind, depth))}
    if choice == "id_invalid":
        return {"id_invalid": draw(st.sampled_from(refs(names, TEXT)))}
    if choice == "doc":
        group = draw(st.sampled_from([0, 1, 2, *refs(names, INT)]))
        reference = {"doc": {"kind": draw(st.sampled_from(DOC_KINDS)), "name": draw(st.sampled_from(FIELD_NAMES))}}
        reference["doc"]["group"] = group
        if draw(st.booleans()):
            return {draw(st.sampled_from(["blank", "present"])): reference}
        other = draw(values(names, TEXT, depth))
        pair = [reference, other] if draw(st.booleans()) else [other, reference]
        return {draw(st.sampled_from(COMPARISONS)): pair}
    if choice == "not":
        return {"not": draw(conditions(names, depth - 1))}
    if choice in ("all", "any"):
        return {choice: draw(st.lists(conditions(names, depth - 1), min_size=1, max_size=3))}
    return {"exists": draw(source(names, depth - 1))}


@st.composite
def rules(draw):
    subject = draw(st.sampled_from(["case", "suspect", "measure", "link"]))
    names = {name: name for name in SUBJECTS[subject].names}
    show = [
        {"label": "值", "value": draw(values(names, kind, 1)), "source": "案卡"}
        for kind in draw(st.lists(st.sampled_from([DATE, INT, TEXT, BOOL]), max_size=2))
    ]
    return {"subject": subject, "when": draw(conditions(names, 2)), "show": show}


class Rollback(Exception):
    pass


@pytest.fixture
def org(db):
    return f.make_org("371002", parent=f.make_org("371000"))


@settings(
    # No shrinking: each example writes cases, and shrinking one took minutes. The failing
    # rule and cases are printed as generated.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(specs=cases, definitions=st.lists(rules(), min_size=4, max_size=4))
def test_sql_and_memory_agree(org, specs, definitions):
    # Each example's cases are rolled back, so the next one starts from the empty database.
    try:
        with transaction.atomic():
            build(org, specs)
            snapshots = [load_case(pk) for pk in Case.objects.values_list("pk", flat=True)]
            for definition in definitions:
                compiled = compile_rule(definition)
                keys = sql_hits(compiled, today=TODAY)
                in_memory = {}
                for snapshot in snapshots:
                    in_memory.update(memory_hits(compiled, snapshot, today=TODAY))
                assert keys == set(in_memory), definition
                assert sql_details(compiled, keys, today=TODAY) == in_memory, definition
            raise Rollback
    except Rollback:
        pass
