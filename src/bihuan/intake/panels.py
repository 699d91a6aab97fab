"""The intake desk in the menu, and the 受理 panel on the case page."""

from django.utils import timezone

from bihuan.cases.choices import Stage
from bihuan.intake.access import reads_desk
from bihuan.intake.checks import elements, intake_record
from bihuan.web.panels import NavItem, Panel


def nav(user) -> list[NavItem]:
    return [NavItem("intake:desk", "受理台", "intake", order=5)] if reads_desk(user) else []


def case_panels(request, case) -> list[Panel]:
    """受理: status, materials and 先收后补 items, for a case registered or accepted at the desk."""
    record = intake_record(case)
    if record is None and case.stage != Stage.REGISTERED:
        return []
    context = {
        "intake": record,
        "intake_elements": elements(case),
        "intake_deferred": record.deferred.select_related("element") if record else [],
        "intake_today": timezone.localdate(),
    }
    return [Panel("intake/_panel.html", context, column="aside", order=10)]
