"""The OpenAPI schema: kept in the repository, valid, and true to what the API answers."""

import re
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from jsonschema import Draft202012Validator
from rest_framework.test import APIClient

from bihuan.cases.models import Case
from tests import factories as f
from tests.test_api_cases import api_as, fill_card

CASES, CASE, SUSPECTS, SUSPECT = "/api/v1/cases/", "/api/v1/cases/{id}/", "/api/v1/suspects/", "/api/v1/suspects/{id}/"
COMMITTED = Path(__file__).resolve().parent.parent / "docs" / "openapi.yaml"


def generated_schema() -> str:
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    return out.getvalue()


def test_the_committed_schema_is_the_generated_one(db):
    """If this fails, run `bihuan spectacular --file docs/openapi.yaml` and commit the result."""
    assert COMMITTED.read_text(encoding="utf-8") == generated_schema()


def test_the_schema_is_served(db):
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")
    assert response.status_code == 200
    assert yaml.safe_load(response.content) == yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_docs_pages_load_every_asset_from_the_application(db, url):
    page = APIClient().get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    assert not re.search(r"https?://", html), "no CDN: the procuratorate network has no internet"
    for asset in assets:
        if asset.startswith("/static/"):
            assert APIClient().get(asset).status_code == 200, asset
        else:
            assert asset.startswith("/api/schema/"), asset


#
# Real responses against the schema's components
#


def json_schema(node):
    """OpenAPI 3.0 schema objects as JSON Schema: `nullable` becomes a null alternative, and
    objects with declared properties admit no undeclared ones (so the schema is complete)."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: json_schema(value) for key, value in node.items()}
    if "properties" in node and "additionalProperties" not in node:
        node["additionalProperties"] = False
    if node.pop("nullable", False):
        node = {"anyOf": [node, {"type": "null"}]}
    return node


@pytest.fixture(scope="module")
def openapi() -> dict:
    return yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))


class ResponseChecker:
    """Validates responses against the schema and remembers which operations were covered."""

    def __init__(self, openapi: dict):
        self.openapi = openapi
        self.components = json_schema(openapi["components"])
        self.covered: set[tuple[str, str, str]] = set()

    def __call__(self, response, path: str, status: int):
        method = response.request["REQUEST_METHOD"].lower()
        operation = self.openapi["paths"][path][method]
        declared = operation["responses"][str(status)]["content"]["application/json"]["schema"]
        assert response.status_code == status, response.content
        schema = {"components": self.components, **json_schema(declared)}
        errors = sorted(Draft202012Validator(schema).iter_errors(response.json()), key=str)
        assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
        self.covered.add((path, method, str(status)))

    def all_operations(self) -> set[tuple[str, str, str]]:
        return {
            (path, method, status)
            for path, operations in self.openapi["paths"].items()
            for method, operation in operations.items()
            for status in operation["responses"]
        }


def test_every_documented_answer_matches_the_schema(world, openapi):
    check = ResponseChecker(openapi)
    suspect = fill_card(world.case_a)
    # A case with nothing filled in, so that nulls and blank enumerations are checked too.
    f.make_case(world.county, team=world.team_a, prosecutor=world.people["pros_a"], name="空白案件")
    editor, reader = api_as(world.people["pros_a"]), api_as(world.people["city_chief"])
    case_url, suspect_url = f"/api/v1/cases/{world.case_a.pk}/", f"/api/v1/suspects/{suspect.pk}/"

    check(editor.get("/api/v1/cases/?page_size=1"), CASES, 200)
    check(editor.get("/api/v1/cases/?stage=nonsense"), CASES, 400)
    check(APIClient().get("/api/v1/cases/"), CASES, 401)
    check(api_as(world.people["sysadmin"]).get("/api/v1/cases/"), CASES, 403)

    check(editor.get(case_url), CASE, 200)
    check(reader.get(case_url), CASE, 200)
    check(APIClient().get(case_url), CASE, 401)
    check(api_as(world.people["investigator"]).get(case_url), CASE, 403)
    check(editor.get(f"/api/v1/cases/{world.case_b.pk}/"), CASE, 404)

    version = Case.objects.get(pk=world.case_a.pk).row_version
    check(editor.patch(case_url, {"row_version": version, "risk_level": "high"}, format="json"), CASE, 200)
    check(editor.patch(case_url, {"row_version": version, "risk_level": "low"}, format="json"), CASE, 409)
    check(editor.patch(case_url, {"row_version": 0}, format="json"), CASE, 400)
    check(APIClient().patch(case_url, {"row_version": 1}, format="json"), CASE, 401)
    check(reader.patch(case_url, {"row_version": version + 1, "name": "改"}, format="json"), CASE, 403)
    check(editor.patch(f"/api/v1/cases/{world.case_b.pk}/", {"row_version": 1}, format="json"), CASE, 404)

    check(editor.get("/api/v1/suspects/"), SUSPECTS, 200)
    check(editor.get("/api/v1/suspects/?case=x"), SUSPECTS, 400)
    check(APIClient().get("/api/v1/suspects/"), SUSPECTS, 401)
    check(api_as(world.people["auditadmin"]).get("/api/v1/suspects/"), SUSPECTS, 403)

    check(editor.get(suspect_url), SUSPECT, 200)
    check(APIClient().get(suspect_url), SUSPECT, 401)
    check(api_as(world.people["secadmin"]).get(suspect_url), SUSPECT, 403)
    check(api_as(world.people["pros_b"]).get(suspect_url), SUSPECT, 404)

    # The intake operations are checked the same way in tests/test_intake_api.py.
    assert check.covered == {op for op in check.all_operations() if not op[0].startswith("/api/v1/intake/")}


def test_the_checker_catches_an_undocumented_field(world, openapi):
    """The validation above can fail: a field the schema does not declare is an error."""
    check = ResponseChecker(openapi)
    response = api_as(world.people["pros_a"]).get("/api/v1/cases/")
    response.json()["results"][0]["undeclared"] = 1
    with pytest.raises(AssertionError, match="undeclared"):
        check(response, CASES, 200)
