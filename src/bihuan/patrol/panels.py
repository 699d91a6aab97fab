"""Menu entry (电子巡逻车), the workbench panel (巡查提示) and the case-page panel of the patrol
(see bihuan.web.panels)."""

from datetime import timedelta

from django.db.models import F, Q
from django.utils import timezone

from bihuan.patrol.access import NAV_ROLES, may_dispute, visible_findings
from bihuan.patrol.models import FindingStatus
from bihuan.web.panels import NavItem, Panel

PANEL_ROWS = 10
RECENT_DAYS = 30  # closed findings the case page still shows


def nav(user) -> list[NavItem]:
    if not user.is_authenticated or not user.has_role(*NAV_ROLES):
        return []
    return [NavItem("patrol:board", "电子巡逻车", "patrol", order=44)]


def workbench(request) -> list[Panel]:
    """巡查提示: the open findings of the cases the person handles."""
    user = request.user
    if not user.is_authenticated:
        return []
    mine = visible_findings(user).filter(prosecutor_id=user.pk).exclude(status=FindingStatus.CLOSED)
    rows = list(mine.select_related("rule", "case", "notice").order_by("reply_due", "id")[:PANEL_ROWS])
    if not rows:
        return []
    return [Panel("patrol/_workbench.html", {"patrol_rows": rows, "patrol_total": mine.count()}, order=11)]


def case_panels(request, case) -> list[Panel]:
    """The case's open findings and those closed in the last RECENT_DAYS days, with 申辩 on prompts."""
    user = request.user
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    rows = list(
        visible_findings(user)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=since), case_id=case.pk)
        .select_related("rule", "notice")
        .order_by(F("closed_at").desc(nulls_first=True), "-opened_at", "-id")
    )
    if not rows:
        return []
    for row in rows:
        row.may_dispute = may_dispute(user, row)
    return [Panel("patrol/_case_panel.html", {"patrol_rows": rows}, column="main", order=35)]
