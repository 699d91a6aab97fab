"""Triage in the menu, the 繁简分流 card on the case page, and the 分案 panel of the workbench."""

from bihuan.cases.choices import RiskLevel
from bihuan.orgs.scope import reads_cases
from bihuan.triage.access import (
    can_assign_anywhere,
    can_designate,
    can_triage,
    eligible_prosecutors,
    visible_assignments,
    workload_rows,
)
from bihuan.triage.choices import RuleKind
from bihuan.web.panels import NavItem, Panel

RECENT = 8


def nav(user) -> list[NavItem]:
    items = [NavItem("triage:standard", "繁简分流标准", "triage", order=31)]
    if reads_cases(user):
        items.insert(0, NavItem("triage:ledger", "分案台账", "triage", order=30))
    return items


def case_panels(request, case) -> list[Panel]:
    """繁简分流: the track and the rule that made it, the risk level and its rule, the override
    history, the assignments; the forms only for those who may use them."""
    user = request.user
    decisions = {}
    for decision in case.triage_decisions.order_by("-id")[:10]:
        decisions.setdefault(decision.kind, decision)
    may_triage = can_triage(user, case)
    may_designate = can_designate(user, case)
    context = {
        "track_decision": decisions.get(RuleKind.TRACK),
        "risk_decision": decisions.get(RuleKind.RISK),
        "overrides": case.risk_overrides.select_related("by")[:5],
        "assignments": case.assignments.select_related("prosecutor", "by")[:5],
        "may_triage": may_triage,
        "may_designate": may_designate,
        "risk_levels": RiskLevel.choices,
        "candidates": eligible_prosecutors(case.department_id).select_related("team")
        if (may_triage or may_designate) and case.department_id
        else [],
    }
    return [Panel("triage/_case_panel.html", context, column="aside", order=20)]


def workbench(request) -> list[Panel]:
    """For department heads and the case-management office: recent assignments and workloads."""
    user = request.user
    if not can_assign_anywhere(user):
        return []
    context = {
        "recent_assignments": visible_assignments(user).select_related("case", "prosecutor")[:RECENT],
        "workloads": workload_rows(user),
    }
    return [Panel("triage/_workbench_panel.html", context, order=40)]
