from bihuan.bizreports.access import reads_reports
from bihuan.indicators.access import reads_indicators
from bihuan.web.panels import NavItem


def nav(user) -> list[NavItem]:
    """案件质量指标 for every role that works with case data (each sees only their own scope)."""
    if not reads_indicators(user):
        return []
    return [
        NavItem("indicators:overview", "案件质量指标", "indicators", order=55),
        NavItem("indicators:dashboards", "指标看板", "indicators", order=56),
        NavItem("indicators:report_index", "统计报表", "indicators", order=57),
        # The comparison with the business reports, for those who read them.
        *([NavItem("indicators:compare", "报表比对", "indicators", order=58)] if reads_reports(user) else []),
    ]
