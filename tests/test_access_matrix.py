"""Every role × every URL of the project × in scope / out of scope.

The URLs come from the resolver, so a new page or endpoint fails `test_every_url_is_in_the_matrix`
until it is classified below. The expected scope is written out by hand from the rules in
bihuan/orgs/scope.py (deliberately not computed by calling it):

- prosecutor, assistant, clerk: the cases they handle and their team's;
- department head: the department's, plus the same line of work in the procuratorates below;
- chief, deputy chief, committee member, case manager: the procuratorate and those below it;
- editing never reaches another procuratorate; a prosecutor edits only their own cases, an
  assistant or clerk their team's;
- investigators and the three administrators (三员) see no case data.
"""

import json
import re
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authtoken.models import Token

from bihuan.cases.access import can_edit_case
from bihuan.cases.models import Case, Suspect
from bihuan.documents.models import Document
from bihuan.events.models import Event
from tests import factories as f
from tests.documents_helpers import add_document

# --- the expected scope, by hand ----------------------------------------------------------------
# world: case_a (county, team A, pros_a), case_b (county, team B, pros_b), case_city (the city's
# criminal department), case_other (the other county); `line` is a county case in a department
# of another line of work (not criminal), and `far` a case of a procuratorate in another tree, so
# that every role has something out of scope.
CASES = ("a", "b", "city", "other", "line", "far")
VIEW = {
    "pros_a": {"a"},
    "pros_a2": {"a"},  # same team as pros_a
    "pros_b": {"b"},
    "assistant_a": {"a"},
    "clerk_b": {"b"},
    "head": {"a", "b"},  # the department's; `line` is another department
    "cm": {"a", "b", "line"},
    "deputy": {"a", "b", "line"},
    "chief": {"a", "b", "line"},
    "city_chief": {"a", "b", "city", "other", "line"},
    "city_head": {"a", "b", "city", "other"},  # own department, plus the criminal departments below
    "other_chief": {"other"},
    "committee": {"a", "b", "line"},  # a member of the county's 检察委员会 holding no other role
    "investigator": set(),
    "sysadmin": set(),
    "secadmin": set(),
    "auditadmin": set(),
}
EDIT = {
    "pros_a": {"a"},
    "pros_a2": set(),  # reads the team's cases, edits only their own
    "pros_b": {"b"},
    "assistant_a": {"a"},
    "clerk_b": {"b"},
    "head": {"a", "b"},
    "cm": {"a", "b", "line"},
    "deputy": {"a", "b", "line"},
    "chief": {"a", "b", "line"},
    "city_chief": {"city"},  # reads the counties, never edits them
    "city_head": {"city"},
    "other_chief": {"other"},
    "committee": set(),  # membership reads, it does not edit
    "investigator": set(),
    "sysadmin": set(),
    "secadmin": set(),
    "auditadmin": set(),
}
NO_CASE_ROLES = {"investigator", "sysadmin", "secadmin", "auditadmin"}
ROLES = list(VIEW)
ANONYMOUS = "anonymous"


# --- the URLs of the project, classified ---------------------------------------------------------

# How each URL answers GET, by what it shows:
CASE_PAGE = "case page"  # a page about one case/suspect: 200 in scope, 404 otherwise
CASE_API = "case api"  # the same over the API: 403 for roles without case data
CASE_LIST_PAGE = "case list page"  # 200 with exactly the visible cases; 403 without case data
CASE_LIST_API = "case list api"
SECADMIN_PAGE = "secadmin page"  # roles (安全管理员): 200 for them, 403 for everyone else
AUDIT_PAGE = "audit page"  # the audit log (审计管理员)
AUDIT_POST = "audit action"  # POST only (asked with POST)
EVERYONE = "every logged-in person"
LOGIN_PAGE = "login"
POST_ONLY = "post only"
PUBLIC_DOC = "public documentation"  # the API schema and its viewers: no case data in them
CASE_ACTION = "case action"  # POST-only action on one case: GET answers 405; scope is tested with the action
OWN_ITEM = "own item"  # one of the person's own things (a notification): anyone else's is 404
CASE_ROLE_PAGE = "case role page"  # a tool for the roles with case data that shows no case: 403 for the others
# 业务报表: read by the roles that read a whole procuratorate's or a department's cases; entered
# and imported by case managers only (bihuan/bizreports/access.py).
REPORT_PAGE = "business report page"  # 200 for REPORT_READERS, 403 for everyone else
REPORT_ENTRY_PAGE = "business report entry"  # 200 for REPORT_ENTERERS, 403 for everyone else
REPORT_READERS = {"head", "cm", "deputy", "chief", "city_chief", "city_head", "other_chief", "committee"}
REPORT_ENTERERS = {"cm"}
# patrol: 电子巡逻车 (bihuan/patrol/access.py): the office, the leaders, the department heads and
# the prosecutors read it (a prosecutor their own cases' findings); the playground is the case
# managers'. A finding, notice or rule the matrix names does not exist: 404 to readers.
PATROL_PAGE = "patrol page"  # patrol: 200 for PATROL_READERS, 403 for everyone else
PATROL_OFFICE_PAGE = "patrol office page"  # patrol: 200 for PATROL_OFFICE, 403 for everyone else
PATROL_OBJECT = "patrol object"  # patrol: 404 for PATROL_READERS (missing), 403 for everyone else
PATROL_READERS = {  # patrol
    "pros_a",
    "pros_a2",
    "pros_b",
    "head",
    "cm",
    "deputy",
    "chief",
    "city_chief",
    "city_head",
    "other_chief",
    "committee",
}
PATROL_OFFICE = {"cm"}  # patrol
# 受理台: the case-management office works it, the chief and deputy chiefs read it
# (bihuan/intake/access.py); registering a case is the office's alone.
INTAKE_DESK_PAGE = "intake desk"  # 200 for INTAKE_DESK_READERS, 403 for everyone else
INTAKE_ENTRY_PAGE = "intake entry"  # 200 for INTAKE_CLERKS, 403 for everyone else
INTAKE_DESK_READERS = {"cm", "deputy", "chief", "city_chief", "other_chief"}
INTAKE_CLERKS = {"cm"}
# 分案 work (bihuan/triage/access.py): department heads and the case-management office.
ASSIGN_PAGE = "assignment page"  # 200 for ASSIGNERS, 403 for everyone else
ASSIGNERS = {"head", "city_head", "cm"}
API_ACTION = "api action"  # POST-only endpoint: GET answers 405; 401 anonymous, 403 without case data
# 本单位案件码 (bihuan/casecode/reviews.py): investigators read their agency's case codes and nothing else.
AGENCY_PAGE = "agency page"  # 200 for investigators, 403 for everyone else
AGENCY_CASE_PAGE = "agency case page"  # one code of the investigator's agency: 404 for anyone else, like missing
# 案件码 QR link: the public scan page needs no login; a forged token answers 404 to everyone
# (valid, expired and revoked tokens: tests/test_casecode_scan.py). The QR files of a case answer
# 404 while it has no live link (the matrix cases have none), 302 anonymous.
PUBLIC_TOKEN_PAGE = "public token page"
CASE_LINK_FILE = "case link file"

URLS = {
    "cases:list": CASE_LIST_PAGE,
    "cases:detail": CASE_PAGE,
    "v1:case-list": CASE_LIST_API,
    "v1:case-detail": CASE_API,
    "v1:suspect-list": CASE_LIST_API,
    "v1:suspect-detail": CASE_API,
    "orgs:roles": SECADMIN_PAGE,
    "orgs:role_edit": SECADMIN_PAGE,
    "events:list": AUDIT_PAGE,
    "events:verify": AUDIT_POST,
    "web:workbench": EVERYONE,
    "web:password_change": EVERYONE,
    "web:login": LOGIN_PAGE,
    "web:logout": POST_ONLY,
    "api-schema": PUBLIC_DOC,
    "api-docs": PUBLIC_DOC,
    "api-redoc": PUBLIC_DOC,
    "notifications:list": EVERYONE,
    "notifications:mark_all_read": POST_ONLY,
    "notifications:open": OWN_ITEM,
    # intake
    "intake:desk": INTAKE_DESK_PAGE,
    "intake:register": INTAKE_ENTRY_PAGE,
    "intake:case": CASE_PAGE,
    "intake:materials": CASE_ACTION,
    "intake:accept": CASE_ACTION,
    "intake:fulfil": CASE_ACTION,
    "intake:form_docx": CASE_PAGE,
    "v1:intake-list": API_ACTION,
    "v1:intake-accept": API_ACTION,
    # triage
    "triage:standard": EVERYONE,
    "triage:ledger": CASE_ROLE_PAGE,
    "triage:queue": CASE_ROLE_PAGE,
    "triage:bulk_reassign": ASSIGN_PAGE,
    "triage:workload": ASSIGN_PAGE,
    "triage:pause": POST_ONLY,
    "triage:resume": POST_ONLY,
    "triage:run": CASE_ACTION,
    "triage:override_risk": CASE_ACTION,
    "triage:assign": CASE_ACTION,
    "triage:designate": CASE_ACTION,
    "triage:reassign": CASE_ACTION,
    # workflow
    "workflow:authority": EVERYONE,
    "workflow:inbox": EVERYONE,
    "workflow:committee": EVERYONE,
    "workflow:start_review": CASE_ACTION,
    "workflow:propose": CASE_ACTION,
    "workflow:submit": CASE_ACTION,
    "workflow:decide": CASE_ACTION,
    "workflow:record_decision": CASE_ACTION,
    "workflow:re_transfer": CASE_ACTION,
    "workflow:suspension": CASE_ACTION,
    "workflow:suspension_end": CASE_ACTION,
    "workflow:jurisdiction": CASE_ACTION,
    "workflow:archive": CASE_ACTION,
    "workflow:hearing": CASE_ACTION,
    "workflow:discussion": CASE_ACTION,
    "workflow:joint_meeting": CASE_ACTION,
    "workflow:committee_check": CASE_ACTION,
    "workflow:committee_decide": CASE_ACTION,
    "workflow:duty": CASE_ACTION,
    "workflow:mediation": CASE_ACTION,
    # deadlines
    "deadlines:board": CASE_LIST_PAGE,
    "deadlines:home": CASE_LIST_PAGE,
    "deadlines:calculator": CASE_ROLE_PAGE,
    # documents
    "documents:case": CASE_PAGE,
    "documents:upload": CASE_ACTION,
    "documents:detail": CASE_PAGE,
    "documents:download": CASE_PAGE,
    "documents:correct": CASE_ACTION,
    "documents:reextract": CASE_ACTION,
    "documents:delete": CASE_ACTION,
    # bizreports
    "bizreports:list": REPORT_PAGE,
    "bizreports:cases": REPORT_PAGE,
    "bizreports:batches": REPORT_PAGE,
    "bizreports:import": REPORT_ENTRY_PAGE,
    "bizreports:enter": REPORT_ENTRY_PAGE,
    # casecode: scoring
    "casecode:list": CASE_ROLE_PAGE,  # the evaluated cases in scope (none in the matrix's data)
    "casecode:case": CASE_PAGE,
    "casecode:score": CASE_PAGE,  # in scope: the form for the handler, the notice for other readers
    "casecode:score_preview": CASE_ACTION,
    # casecode: sharing and scanning
    "casecode:scan": PUBLIC_TOKEN_PAGE,
    "casecode:share_png": CASE_LINK_FILE,
    "casecode:share_svg": CASE_LINK_FILE,
    "casecode:share_notice": CASE_PAGE,
    "casecode:share_issue": CASE_ACTION,
    "casecode:share_revoke": CASE_ACTION,
    # casecode: investigators, reviews, reminders, intake gate
    "casecode:agency": AGENCY_PAGE,
    "casecode:agency_case": AGENCY_CASE_PAGE,
    "casecode:review_file": CASE_ACTION,
    "casecode:review_decide": CASE_ACTION,
    "casecode:consultation": CASE_ACTION,
    "casecode:due": INTAKE_DESK_PAGE,
    "casecode:gate": INTAKE_ENTRY_PAGE,
    "casecode:gate_decide": CASE_ACTION,
    "casecode:gate_notice": CASE_PAGE,
    # casecode: statistics
    "casecode:stats": CASE_ROLE_PAGE,  # figures over the person's own scope only
    "casecode:stats_export": CASE_ROLE_PAGE,
    "casecode:stats_cases": CASE_ROLE_PAGE,
    # indicators
    # The figures of the person's own scope (a scope out of it answers 404, tests/test_indicators_pages.py).
    "indicators:overview": CASE_ROLE_PAGE,
    "indicators:cases": CASE_ROLE_PAGE,
    # indicators: reports
    # The person's own scope only, like the indicators (tests/test_indicators_reports.py).
    "indicators:report_index": CASE_ROLE_PAGE,
    "indicators:report_export": CASE_ROLE_PAGE,
    "indicators:report_cases": CASE_ROLE_PAGE,
    **{
        f"indicators:report_{slug}": CASE_ROLE_PAGE
        for slug in ("intake", "deadlines", "returns", "plea", "measures", "declined", "patrol", "casecode")
    },
    # indicators: dashboards
    # The person's own scope only, like the indicators (tests/test_indicators_dashboards.py).
    "indicators:dashboards": CASE_ROLE_PAGE,
    "indicators:dashboard_targets": CASE_ROLE_PAGE,
    "indicators:dashboard_teams": CASE_ROLE_PAGE,
    "indicators:dashboard_contribution": CASE_ROLE_PAGE,
    "indicators:dashboard_cases": CASE_ROLE_PAGE,
    # indicators: reported figures against the cases
    "indicators:compare": REPORT_PAGE,  # the readers of business reports; a scope out of reach answers 404
    # patrol: board and findings
    "patrol:board": PATROL_PAGE,
    "patrol:run": POST_ONLY,
    "patrol:findings": PATROL_PAGE,
    "patrol:finding": PATROL_OBJECT,
    "patrol:false_alarm": CASE_ACTION,
    "patrol:reopen": CASE_ACTION,
    "patrol:dispute": CASE_ACTION,
    # patrol: notice register (reply and verification: tests/test_patrol_pages.py)
    "patrol:notices": PATROL_PAGE,
    "patrol:notice": PATROL_OBJECT,
    "patrol:notice_docx": PATROL_OBJECT,
    "patrol:reply": CASE_ACTION,
    "patrol:verify": CASE_ACTION,
    # patrol: rule catalogue and playground
    "patrol:rules": PATROL_PAGE,
    "patrol:rule": PATROL_OBJECT,
    "patrol:rule_enable": CASE_ACTION,
    "patrol:playground": PATROL_OFFICE_PAGE,
    # patrol: figures
    "patrol:stats": PATROL_PAGE,
    "patrol:stats_export": PATROL_PAGE,
    "patrol:stats_cases": PATROL_PAGE,
}
# Object parameters and the object they name; `pk` takes its meaning from the route.
PARAM_OBJECTS = {
    "case_id": "case",
    "suspect_id": "suspect",
    "person_id": "person",
    "notification_id": "notification",
    "signed": "token",
    "finding_id": "patrol finding",  # patrol
    "notice_id": "patrol notice",  # patrol
    "rule_id": "patrol rule",  # patrol
}
PK_OBJECTS = {"api/v1/cases/": "case", "api/v1/suspects/": "suspect", "api/v1/intake/": "case"}
# Routes naming an object of a case by both ids; the matrix fills them with (case id, object id).
CASE_CHILD_PARAMS = {("case_id", "document_id"): "document"}
# The Django admin is the system administrator's configuration area; no case or suspect model
# is registered there (tests/test_security.py checks that and the 三员 separation).
EXCLUDED_PREFIXES = ("admin/",)


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    params: tuple[str, ...]

    @property
    def kind(self) -> str | None:
        return URLS.get(self.name)

    @property
    def object(self) -> str | None:
        """What the route's one parameter names; None for no parameter, several, or an unknown one."""
        if self.params in CASE_CHILD_PARAMS:
            return CASE_CHILD_PARAMS[self.params]
        if len(self.params) != 1:
            return None
        (param,) = self.params
        if param == "pk":
            return next((obj for prefix, obj in PK_OBJECTS.items() if self.route.startswith(prefix)), None)
        return PARAM_OBJECTS.get(param)

    def url(self, object_id: int | tuple[int, ...] | None = None) -> str:
        """The route with every parameter set to `object_id`, or to the ids of a tuple in order."""
        ids = iter(object_id if isinstance(object_id, tuple) else ())
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda _: str(next(ids, object_id)), self.route)
        return "/" + path


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner or namespace)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name or ""
            yield Route(
                name.removeprefix("api:"), prefix + str(pattern.pattern), tuple(pattern.pattern.regex.groupindex)
            )


def project_routes() -> list[Route]:
    return [r for r in _walk(get_resolver().url_patterns) if not r.route.startswith(EXCLUDED_PREFIXES)]


ROUTES = project_routes()


def routes(*kinds: str) -> list[Route]:
    return [r for r in ROUTES if r.kind in kinds]


def test_every_url_is_in_the_matrix():
    """A new URL must be classified here before it ships: who may open it, and which object it names."""
    unclassified = [f"{r.route} ({r.name or 'unnamed'})" for r in ROUTES if r.kind is None]
    assert not unclassified, f"URLs missing from the access matrix (add them to URLS): {unclassified}"
    unknown = [f"{r.route} {r.params}" for r in ROUTES if r.params and r.object is None]
    assert not unknown, f"URL parameters the matrix cannot fill (add to PARAM_OBJECTS/PK_OBJECTS): {unknown}"
    objectless = [r.route for r in routes(CASE_PAGE, CASE_API) if r.object not in ("case", "suspect", "document")]
    assert not objectless, f"case pages must name a case, a suspect or a case's document: {objectless}"
    names = {r.name for r in ROUTES}
    assert not set(URLS) - names, f"classified URLs that no longer exist: {sorted(set(URLS) - names)}"
    # The matrix exercises at least the case page, the API and both list kinds.
    assert {"cases:detail", "v1:case-detail", "v1:suspect-detail", "cases:list", "v1:case-list"} <= names


# --- the data ------------------------------------------------------------------------------------


@dataclass
class Objects:
    cases: dict[str, Case]
    suspects: dict[str, Suspect]
    documents: dict[str, Document]
    missing_case: int
    missing_suspect: int
    missing_person: int
    missing_document: int


@pytest.fixture
def objects(world, settings, tmp_path) -> Objects:
    far_root = f.make_org("372000")
    far = f.make_case(far_root, department=f.make_department(far_root), name="钱某某寻衅滋事案")
    # The world has no one who is only a committee member; the matrix adds one.
    world.people.setdefault("committee", f.make_person(["committee"], org=world.county))
    other_line = f.make_department(world.county, "第八检察部", "other")
    line = f.make_case(world.county, department=other_line, name="孙某某非法占用农用地案")
    cases = {
        "a": world.case_a,
        "b": world.case_b,
        "city": world.case_city,
        "other": world.case_other,
        "line": line,
        "far": far,
    }
    for key, name in (("city", "王某某"), ("other", "赵某某"), ("line", "孙某某"), ("far", "钱某某")):
        f.make_suspect(cases[key], name)
    suspects = {key: case.suspects.get() for key, case in cases.items()}
    # One uploaded document (with its file) per case, for the document routes.
    settings.DATA_DIR = tmp_path / "data"
    uploader = world.people["pros_a"]
    documents = {
        key: add_document(case, uploader, data=f"{case.name}\n起诉书正文".encode()) for key, case in cases.items()
    }
    return Objects(
        cases,
        suspects,
        documents,
        missing_case=max(c.pk for c in cases.values()) + 1000,
        missing_suspect=max(s.pk for s in suspects.values()) + 1000,
        missing_person=max(p.pk for p in world.people.values()) + 1000,
        missing_document=max(d.pk for d in documents.values()) + 1000,
    )


def client_for(world, role: str) -> Client:
    client = Client()
    if role != ANONYMOUS:
        user = world.people[role]
        client.force_login(user)
        token, _ = Token.objects.get_or_create(user=user)
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client


def object_id(objects: Objects, route: Route, key: str) -> int | tuple[int, int]:
    if route.object == "case":
        return objects.cases[key].pk
    if route.object == "document":
        return objects.cases[key].pk, objects.documents[key].pk
    return objects.suspects[key].pk


def missing_id(objects: Objects, route: Route) -> int | tuple[int, int]:
    return {
        "case": objects.missing_case,
        "suspect": objects.missing_suspect,
        "person": objects.missing_person,
        "document": (objects.missing_case, objects.missing_document),
    }[route.object]


CSRF_TOKEN = re.compile(r"\b[A-Za-z0-9]{64}\b")  # masked per response, in forms and hx-headers


def comparable(response, *ids: int | tuple[int, ...]) -> str:
    """A response body with the per-request CSRF token and the requested ids blanked out."""
    body = CSRF_TOKEN.sub("TOKEN", response.content.decode())
    for value in ids:
        for one in value if isinstance(value, tuple) else (value,):
            body = body.replace(f"/{one}/", "/ID/")
    return body


def anonymous_status(route: Route) -> int:
    return 401 if route.route.startswith("api/v1/") else 302


def expected_object_status(route: Route, role: str, key: str) -> int:
    if role == ANONYMOUS:
        return anonymous_status(route)
    if route.kind == CASE_API and role in NO_CASE_ROLES:
        return 403
    return 200 if key in VIEW[role] else 404


# --- the matrix ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [*ROLES, ANONYMOUS])
def test_case_objects(world, objects, role):
    """Every page and endpoint about one case or suspect, for every case in and out of scope."""
    client = client_for(world, role)
    wrong = []
    for route in routes(CASE_PAGE, CASE_API):
        missing = missing_id(objects, route)
        absent = client.get(route.url(missing))
        if absent.status_code != expected_object_status(route, role, "(none)"):
            wrong.append(f"{route.url(missing)} (missing): {absent.status_code}")
        for key in CASES:
            ident = object_id(objects, route, key)
            response = client.get(route.url(ident))
            expected = expected_object_status(route, role, key)
            if response.status_code != expected:
                wrong.append(f"{route.url(ident)} (case {key}): {response.status_code}, expected {expected}")
            elif expected == 404 and comparable(response, ident) != comparable(absent, missing):
                wrong.append(f"{route.url(ident)} (case {key}): 404 differs from a missing object's")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def listed_case_keys(objects: Objects, route: Route, response) -> set[str]:
    """Which of the test cases a list response shows."""
    by_id = {case.pk: key for key, case in objects.cases.items()}
    if route.kind == CASE_LIST_PAGE:
        ids = {int(m) for m in re.findall(r'href="/cases/(\d+)/"', response.content.decode())}
    else:
        rows = json.loads(response.content)["results"]
        ids = {row["case"]["id"] if isinstance(row.get("case"), dict) else row["id"] for row in rows}
    return {by_id[i] for i in ids if i in by_id}


@pytest.mark.parametrize("role", [*ROLES, ANONYMOUS])
def test_case_lists(world, objects, role):
    """List pages and endpoints show exactly the cases in scope; without case data they refuse."""
    client = client_for(world, role)
    wrong = []
    for route in routes(CASE_LIST_PAGE, CASE_LIST_API):
        response = client.get(route.url())
        if role == ANONYMOUS:
            expected = anonymous_status(route)
        else:
            expected = 403 if role in NO_CASE_ROLES else 200
        if response.status_code != expected:
            wrong.append(f"{route.url()}: {response.status_code}, expected {expected}")
        elif expected == 200 and listed_case_keys(objects, route, response) != VIEW[role]:
            wrong.append(f"{route.url()}: shows {sorted(listed_case_keys(objects, route, response))}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def other_object_id(world, objects: Objects, route: Route) -> int | None:
    """The object a non-case URL names: a real person, someone else's item that must stay hidden,
    and for a case action a real case (its GET answers 405 whoever asks)."""
    if route.object == "person":
        return world.people["pros_a"].pk
    if route.object == "case":
        return objects.cases["a"].pk
    if route.object == "document":
        return objects.cases["a"].pk, objects.documents["a"].pk
    if route.object is not None:
        return 10**9
    return None


def other_page_status(route: Route, role: str) -> set[int] | None:
    """The statuses a page that is not about case data may answer; None where any will do.
    AUDIT_POST routes are asked with POST, all others with GET."""
    if route.kind == PUBLIC_DOC:
        return None
    if route.kind in (POST_ONLY, CASE_ACTION):
        return {302, 405} if role == ANONYMOUS else {405}
    if route.kind == OWN_ITEM:
        return {302} if role == ANONYMOUS else {404}
    if route.kind == LOGIN_PAGE:
        return {200} if role == ANONYMOUS else {302}
    if route.kind == ASSIGN_PAGE:
        return {302} if role == ANONYMOUS else {200} if role in ASSIGNERS else {403}
    if route.kind == CASE_ROLE_PAGE:
        return {302} if role == ANONYMOUS else {403} if role in NO_CASE_ROLES else {200}
    if route.kind in (INTAKE_DESK_PAGE, INTAKE_ENTRY_PAGE):
        allowed = INTAKE_DESK_READERS if route.kind == INTAKE_DESK_PAGE else INTAKE_CLERKS
        return {302} if role == ANONYMOUS else {200} if role in allowed else {403}
    if route.kind == PUBLIC_TOKEN_PAGE:
        return {404}
    if route.kind == CASE_LINK_FILE:
        return {302} if role == ANONYMOUS else {404}
    if route.kind == AGENCY_PAGE:
        return {302} if role == ANONYMOUS else {200} if role == "investigator" else {403}
    if route.kind == AGENCY_CASE_PAGE:
        return {302} if role == ANONYMOUS else {404}
    if route.kind in (PATROL_PAGE, PATROL_OFFICE_PAGE):  # patrol
        allowed = PATROL_READERS if route.kind == PATROL_PAGE else PATROL_OFFICE
        return {302} if role == ANONYMOUS else {200} if role in allowed else {403}
    if route.kind == PATROL_OBJECT:  # patrol
        return {302} if role == ANONYMOUS else {404} if role in PATROL_READERS else {403}
    if route.kind == API_ACTION:
        return {401} if role == ANONYMOUS else {403} if role in NO_CASE_ROLES else {405}
    if route.kind in (REPORT_PAGE, REPORT_ENTRY_PAGE):
        allowed = REPORT_READERS if route.kind == REPORT_PAGE else REPORT_ENTERERS
        return {302} if role == ANONYMOUS else {200} if role in allowed else {403}
    owner = {SECADMIN_PAGE: "secadmin", AUDIT_PAGE: "auditadmin", AUDIT_POST: "auditadmin"}.get(route.kind)
    if role == ANONYMOUS:
        # To the login page, or refused outright where a role is required.
        return {302} if owner is None else {302, 403}
    return {200} if owner in (None, role) else {403}


def case_markers(objects: Objects, keys) -> list[str]:
    """Strings only those cases' data contains: case names and numbers, suspect names and ID numbers."""
    markers = []
    for key in keys:
        case, suspect = objects.cases[key], objects.suspects[key]
        markers += [case.name, case.dept_case_no, suspect.id_number]
    return markers


@pytest.mark.parametrize("role", [*ROLES, ANONYMOUS])
def test_other_pages_show_no_case_data_out_of_scope(world, objects, role):
    """Every other page answers as classified and shows no case outside the person's scope
    (the audit log, the audit administrator's one page, records every action by design)."""
    client = client_for(world, role)
    hidden = case_markers(objects, [k for k in CASES if k not in VIEW.get(role, set())])
    wrong = []
    other = [r for r in ROUTES if r.kind not in (CASE_PAGE, CASE_API, CASE_LIST_PAGE, CASE_LIST_API)]
    for route in other:
        url = route.url(other_object_id(world, objects, route))
        response = client.post(url) if route.kind == AUDIT_POST else client.get(url)
        expected = other_page_status(route, role)
        if expected is not None and response.status_code not in expected:
            wrong.append(f"{url}: {response.status_code}, expected {sorted(expected)}")
        if response.status_code >= 500:
            wrong.append(f"{url}: server error")
        if route.kind == AUDIT_PAGE:
            continue
        leaked = [m for m in hidden if m in response.content.decode(errors="replace")]
        if leaked:
            wrong.append(f"{url} shows out-of-scope case data: {leaked}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def test_person_pages_name_a_missing_person_like_any_other(world, objects):
    client = client_for(world, "secadmin")
    for route in [r for r in ROUTES if r.object == "person"]:
        assert client.get(route.url(objects.missing_person)).status_code == 404, route.route


# --- the write side ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_may_edit_which_case(world, objects, role):
    user = world.people[role]
    editable = {key for key, case in objects.cases.items() if can_edit_case(user, case)}
    assert editable == EDIT[role]
    assert EDIT[role] <= VIEW[role]


def patch_status(role: str, key: str | None) -> int:
    """The status of a PATCH to case `key` (None: a case that does not exist)."""
    if role == ANONYMOUS:
        return 401
    if role in NO_CASE_ROLES:
        return 403
    if key not in VIEW[role]:
        return 404
    return 200 if key in EDIT[role] else 403


@pytest.mark.parametrize("role", [*ROLES, ANONYMOUS])
def test_api_patch_follows_the_edit_scope(world, objects, role):
    """PATCH /api/v1/cases/<id>/: edits what the role may edit; refuses, writing nothing, elsewhere."""
    client = client_for(world, role)
    wrong = []
    for key in (*CASES, None):
        case_id = objects.cases[key].pk if key else objects.missing_case
        version = Case.objects.filter(pk=case_id).values_list("row_version", flat=True).first() or 1
        events_before = Event.objects.count()
        summary = f"{role} 修改简要案情"
        response = client.patch(
            f"/api/v1/cases/{case_id}/",
            data=json.dumps({"row_version": version, "summary": summary}),
            content_type="application/json",
        )
        expected = (
            patch_status(role, key) if key else (401 if role == ANONYMOUS else 403 if role in NO_CASE_ROLES else 404)
        )
        if response.status_code != expected:
            wrong.append(f"case {key}: {response.status_code}, expected {expected}")
            continue
        written = Case.objects.filter(pk=case_id, summary=summary).exists()
        if written != (expected == 200):
            wrong.append(f"case {key}: written={written} with status {expected}")
        if expected != 200 and Event.objects.count() != events_before:
            wrong.append(f"case {key}: a refused PATCH appended events")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
