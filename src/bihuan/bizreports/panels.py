from bihuan.bizreports.access import reads_reports
from bihuan.web.panels import NavItem


def nav(user) -> list[NavItem]:
    """业务报表 for those who read a procuratorate's or a department's figures."""
    if not reads_reports(user):
        return []
    return [NavItem("bizreports:list", "业务报表", "bizreports", order=60)]
