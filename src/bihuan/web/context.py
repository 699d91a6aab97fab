"""Layout context: the menu entries the current person may open, and who they are."""

from django.http import HttpRequest
from django.urls import reverse

from bihuan.web.panels import nav_items


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    nav = [("web:workbench", "工作台", "web")]
    if user.has_perm("cases.browse"):
        nav.append(("cases:list", "案件列表", "cases"))
    if user.has_perm("orgs.manage_roles"):
        nav.append(("orgs:roles", "角色管理", "orgs"))
    if user.has_perm("events.view_event"):
        nav.append(("events:list", "审计日志", "events"))
    if user.has_perm("orgs.change_user"):
        nav.append(("admin:index", "系统配置", "admin"))
    nav.extend((item.url_name, item.label, item.key) for item in nav_items(user))
    if user.has_perm("cases.browse"):
        nav.append(("api-docs", "接口文档", "api"))
    match = getattr(request, "resolver_match", None)
    current, view = (match.namespace, match.view_name) if match else ("", "")
    # The entry of the page itself is marked; failing that, the entry of its app whose address
    # is the longest start of the page's (/indicators/dashboards/ for /indicators/dashboards/teams/).
    active = next((u for u, _, _ in nav if u == view), None)
    if active is None:
        paths = {u: reverse(u) for u, _, key in nav if key == current}
        starts = [u for u, path in paths.items() if request.path.startswith(path)]
        active = max(starts, key=lambda u: len(paths[u]), default=None)
    return {
        "nav": [{"url_name": u, "label": label, "active": u == active} for u, label, _ in nav],
        "unit_name": user.org.name if user.org_id else (user.agency.name if user.agency_id else ""),
    }
