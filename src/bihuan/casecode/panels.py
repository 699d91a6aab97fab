"""Menu entries, workbench panels and case-page panels of the case code (see bihuan.web.panels).
Each part of the app supplies its own; this module only gathers them."""

from bihuan.casecode import views, views_review, views_share, views_stats
from bihuan.web.panels import NavItem, Panel

PARTS = (views, views_share, views_review, views_stats)


def nav(user) -> list[NavItem]:
    return [item for part in PARTS for item in part.nav_items(user)]


def workbench(request) -> list[Panel]:
    return [panel for part in PARTS for panel in part.workbench_panels(request)]


def case_panels(request, case) -> list[Panel]:
    return [panel for part in PARTS for panel in part.case_panels(request, case)]
