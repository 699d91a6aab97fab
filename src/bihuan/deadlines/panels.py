"""The deadlines app's menu entries, workbench panel and case-page panel."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.http import urlencode

from bihuan.cases.choices import DueKind
from bihuan.cases.models import Case
from bihuan.deadlines.alerts import ALERTING, urgency_of, urgency_q
from bihuan.deadlines.calendar import WorkCalendar
from bihuan.deadlines.engine import case_facts, current_period
from bihuan.deadlines.models import with_due
from bihuan.orgs.scope import reads_cases
from bihuan.web.paging import capped_count
from bihuan.web.panels import NavItem, Panel
from bihuan.web.views import my_cases

# The workbench counts up to this many cases per urgency ("1,000+").
COUNT_CAP = 1_000


def nav(user) -> list[NavItem]:
    if not reads_cases(user):
        return []
    # 在办案件 is the home page of the case-handling roles (the Weihai system's 首页).
    return [
        NavItem("deadlines:home", "在办案件", "deadlines", order=0),
        NavItem("deadlines:board", "期限预警", "deadlines", order=2),
        NavItem("deadlines:calculator", "期限计算器", "deadlines", order=3),
    ]


def workbench(request: HttpRequest) -> list[Panel]:
    """The person's own cases due soon, today and overdue, each count opening the board."""
    user = request.user
    if not reads_cases(user):
        return []
    title, cases, list_filter = my_cases(user)
    today = timezone.localdate()
    stats = [
        (
            u.value,
            u.label,
            capped_count(with_due(cases).filter(urgency_q(u, today)), COUNT_CAP),
            urlencode({**list_filter, "urgency": u.value}),
        )
        for u in ALERTING
    ]
    context = {"title": title, "stats": stats, "cap": COUNT_CAP, "all_query": urlencode(list_filter)}
    return [Panel("deadlines/_workbench.html", context, order=10)]


def case_panels(request: HttpRequest, case: Case) -> list[Panel]:
    """办案期限: the running period with its explanation (domain-rules §7.1: every due date explains itself)."""
    today = timezone.localdate()
    period = current_period(case_facts(case), WorkCalendar.load(), today)
    context = {"period": period, "today": today}
    if period is not None:
        context["kind_label"] = DueKind(period.kind).label
        context["urgency"] = urgency_of(period.due, period.kind, today)
        context["days_left"] = (period.due - today).days
        context["days_overdue"] = (today - period.due).days
    return [Panel("deadlines/_case_panel.html", context, column="aside", order=10)]
