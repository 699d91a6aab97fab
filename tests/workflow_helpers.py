"""Driving the workflow in tests: through the pages (as a person does) and through the actions."""

import re
from datetime import date

from django.db.models import F
from django.test import Client

from bihuan.cases.actions import do_update_case
from bihuan.cases.models import Case, Tag
from bihuan.events.models import Event
from bihuan.workflow import actions
from bihuan.workflow.models import ApprovalRequest, DecisionType

TOKEN = re.compile(r'name="submit_token" value="([^"]+)"')


def fresh(case: Case) -> Case:
    """The case as stored, with its running period as `due_date` / `due_kind` (None when none runs)."""
    return Case.objects.annotate(due_date=F("due__due_date"), due_kind=F("due__due_kind")).get(pk=case.pk)


def assigned(case: Case) -> Case:
    """The case as triage leaves it: 分案 done, the prosecutor may start."""
    return do_update_case(case, {"stage": "assigned"}, actor=None, expected_version=fresh(case).row_version)


def reviewing(case: Case) -> Case:
    case = assigned(case)
    actions.do_start_review(case, actor=case.prosecutor, seen=case.row_version)
    return fresh(case)


def tag(case: Case, name: str = "重大敏感") -> None:
    case.tags.add(Tag.objects.get_or_create(name=name)[0])


def decision(code: str) -> DecisionType:
    return DecisionType.objects.get(code=code)


def propose(case: Case, code: str, opinion: str = "事实清楚，证据确实充分") -> ApprovalRequest:
    case = fresh(case)
    request = actions.do_propose(
        case, actor=case.prosecutor, decision_type=decision(code), opinion=opinion, seen=case.row_version
    )
    case = fresh(case)
    actions.do_submit(request, actor=case.prosecutor, seen=case.row_version)
    return ApprovalRequest.objects.get(pk=request.pk)


def approve(request: ApprovalRequest, user, reason: str = "") -> None:
    actions.do_decide_step(request, actor=user, verdict="approve", reason=reason, seen=fresh(request.case).row_version)


def record(request: ApprovalRequest, on: date = date(2024, 3, 20)) -> None:
    case = fresh(request.case)
    actions.do_record_decision(request, actor=case.prosecutor, decided_on=on, seen=case.row_version)


class Browser:
    """A logged-in person using the case page's forms: each POST carries the version and a
    token taken from the page, as the browser would."""

    def __init__(self, user) -> None:
        self.user = user
        self.client = Client()
        self.client.force_login(user)

    def page(self, case: Case) -> str:
        response = self.client.get(case.get_absolute_url())
        assert response.status_code == 200
        return response.content.decode()

    def token(self, case: Case) -> str:
        return TOKEN.search(self.page(case)).group(1)

    def post(self, case: Case, action: str, data: dict | None = None, *, token: str | None = None, version=None):
        payload = {
            "row_version": fresh(case).row_version if version is None else version,
            "submit_token": token or self.token(case),
            **(data or {}),
        }
        return self.client.post(f"/workflow/cases/{case.pk}/{action}/", payload, follow=True)


def events(case: Case) -> int:
    return Event.objects.filter(case_id=case.pk).exclude(action="case.read").count()
