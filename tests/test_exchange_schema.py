"""The shipped JSON Schema agrees with the choices, the model fields and the canonical defaults."""

import json
import re
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from bihuan.cases.models import Case, Charge, CoerciveMeasure, ProceduralLink, Suspect, Tag
from bihuan.documents.models import Document
from bihuan.exchange import records as r
from bihuan.exchange.checks import SCHEMA, schema_problems
from bihuan.lib import idnumber
from bihuan.orgs.models import Agency, Department, Team, User

CASE = SCHEMA["properties"]
SUSPECT = SCHEMA["$defs"]["suspect"]["properties"]
RECOMMENDATION = SUSPECT["sentencing_recommendation"]["properties"]
COURT = SUSPECT["court_result"]["properties"]
MEASURE = SUSPECT["measures"]["items"]["properties"]
LINK = SCHEMA["$defs"]["link"]["properties"]
DOCUMENT = SCHEMA["$defs"]["document"]["properties"]

ENUMERATIONS = [
    (CASE["case_type"], r.CASE_TYPE),
    (CASE["procedure"], r.PROCEDURE),
    (CASE["track"], r.TRACK),
    (CASE["risk_level"], r.RISK_LEVEL),
    (CASE["stage"], r.STAGE),
    (CASE["outcome"], r.OUTCOME),
    (SUSPECT["gender"], r.GENDER),
    (SUSPECT["education"], r.EDUCATION),
    (SUSPECT["outcome"], r.OUTCOME),
    (RECOMMENDATION["kind"], r.RECOMMENDATION_KIND),
    (RECOMMENDATION["penalty"], r.PENALTY),
    (COURT["verdict"], r.VERDICT),
    (COURT["penalty"], r.PENALTY),
    (MEASURE["kind"], r.MEASURE_KIND),
    (LINK["kind"], r.LINK_KIND),
    (DOCUMENT["kind"], r.DOCUMENT_KIND),
]

LENGTHS = [
    (CASE["dept_case_no"], Case, "dept_case_no"),
    (CASE["name"], Case, "name"),
    (CASE["department"], Department, "name"),
    (CASE["team"], Team, "name"),
    (CASE["prosecutor"], User, "username"),
    (CASE["source_agency"], Agency, "name"),
    (CASE["charge"], Charge, "name"),
    (CASE["tags"]["items"], Tag, "name"),
    (SUSPECT["charges"]["items"]["properties"]["name"], Charge, "name"),
    (MEASURE["deciding_body"], CoerciveMeasure, "deciding_body"),
    (MEASURE["place"], CoerciveMeasure, "place"),
    (LINK["approver"], ProceduralLink, "approver"),
    (LINK["note"], ProceduralLink, "note"),
    (DOCUMENT["number"], Document, "number"),
    (DOCUMENT["title"], Document, "title"),
    *[
        (SUSPECT[name], Suspect, name)
        for name in (
            "name",
            "former_name",
            "alias",
            "ethnicity",
            "occupation",
            "employer",
            "household_address",
            "address",
            "prior_record",
        )
    ],
]


def test_the_schema_is_a_valid_draft_2020_12_schema():
    Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize(("node", "labels"), ENUMERATIONS)
def test_enumerations_are_the_labels_of_the_choices(node, labels):
    assert sorted(node["enum"]) == sorted(labels.code)


@pytest.mark.parametrize(("node", "model", "name"), LENGTHS)
def test_lengths_are_those_of_the_columns(node, model, name):
    assert node["maxLength"] == model._meta.get_field(name).max_length


MISSING = object()


def default_of(node: dict) -> object:
    if "default" in node:
        return node["default"]
    if "$ref" in node:
        return SCHEMA["$defs"][node["$ref"].removeprefix("#/$defs/")].get("default", MISSING)
    return MISSING


def test_the_documented_defaults_are_what_an_absent_key_becomes():
    suspect = {
        "seq": 1,
        "name": "张某某",
        "gender": "男",
        "sentencing_recommendation": {"kind": "确定刑"},
        "court_result": {"verdict": "有罪"},
        "measures": [{"kind": "逮捕", "start_date": "2024-01-01"}],
    }
    raw = {
        "format": "bihuan.case/1",
        "dept_case_no": "环检刑诉受[2024]371002000001号",
        "unified_case_no": "37100220240000001",
        "name": "某案",
        "case_type": "审查起诉",
        "org_code": "371002",
        "received_date": "2024-01-02",
        "suspects": [suspect],
        "links": [{"kind": "上诉", "start_date": "2024-02-01"}],
        "documents": [{"kind": "起诉书"}],
    }
    assert schema_problems(raw) == []
    done = r.complete(raw)
    done_suspect = done["suspects"][0]
    checked = 0
    for properties, given, completed in [
        (CASE, raw, done),
        (SUSPECT, suspect, done_suspect),
        (RECOMMENDATION, suspect["sentencing_recommendation"], done_suspect["sentencing_recommendation"]),
        (COURT, suspect["court_result"], done_suspect["court_result"]),
        (MEASURE, suspect["measures"][0], done_suspect["measures"][0]),
        (LINK, raw["links"][0], done["links"][0]),
        (DOCUMENT, raw["documents"][0], done["documents"][0]),
    ]:
        for key, node in properties.items():
            if key not in given and default_of(node) is not MISSING:
                assert completed[key] == default_of(node), key
                checked += 1
    assert checked > 40


def test_the_examples_of_the_documentation_conform():
    text = (Path(__file__).resolve().parent.parent / "docs" / "exchange-format.md").read_text(encoding="utf-8")
    examples = [json.loads(block) for block in re.findall(r"```json\n(.*?)```", text, flags=re.DOTALL)]
    assert len(examples) == 2
    for example in examples:
        assert schema_problems(example) == []
        for suspect in example.get("suspects", []):
            assert idnumber.validate(suspect["id_number"], date.fromisoformat(suspect["birth_date"])) == []
