"""Navigation for the page layout: which menu entries the current person may open."""

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    nav = []
    if user.has_perm("cases.browse"):
        nav += [("web:workbench", "工作台"), ("cases:list", "案件列表")]
    if user.has_perm("orgs.manage_roles"):
        nav.append(("orgs:roles", "角色管理"))
    if user.has_perm("events.view_event"):
        nav.append(("events:list", "审计日志"))
    if user.has_perm("orgs.change_user"):
        nav.append(("admin:index", "系统配置"))
    if user.has_perm("cases.browse"):
        nav.append(("api-docs", "接口文档"))
    return {"nav": nav}
