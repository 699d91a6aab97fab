from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.http import urlencode

from bihuan.cases.access import visible_cases
from bihuan.cases.choices import Stage
from bihuan.orgs.choices import RoleCode
from bihuan.orgs.scope import ORG_WIDE_ROLES, reads_cases
from bihuan.web.forms import PasswordChangeForm
from bihuan.web.panels import workbench_panels

RECENT = 10


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "web/password_change.html"
    form_class = PasswordChangeForm
    success_url = "/"
    extra_context = {"max_age_days": settings.PASSWORD_MAX_AGE_DAYS}

    def form_valid(self, form):
        messages.success(self.request, "密码已修改。")
        return super().form_valid(form)


def my_cases(user):
    """The cases the workbench counts, with the list filter that opens the same cases:
    the procuratorate for chiefs and case managers, the department for heads, otherwise the
    person's own cases (or their team's, for assistants and clerks)."""
    cases = visible_cases(user)
    if user.has_role(*ORG_WIDE_ROLES):
        return "本院案件", cases.filter(org_id=user.org_id), {"org": user.org_id}
    if user.has_role(RoleCode.DEPT_HEAD) and user.department_id:
        return "本部门案件", cases.filter(department_id=user.department_id), {"department": user.department_id}
    if user.has_role(RoleCode.PROSECUTOR):
        return "我承办的案件", cases.filter(prosecutor_id=user.pk), {"prosecutor": user.pk}
    return "本团队案件", cases.filter(team_id=user.team_id) if user.team_id else cases.none(), {}


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not reads_cases(user):
        return render(request, "web/workbench_duties.html", {"duties": _duties(user)})
    title, cases, list_filter = my_cases(user)
    counts = cases.aggregate(total=Count("id"), **{s.value: Count("id", filter=Q(stage=s)) for s in Stage})
    stages = [(s.value, s.label, counts[s.value]) for s in Stage]
    recent = cases.select_related("org", "prosecutor", "charge").order_by("-received_date", "-id")[:RECENT]
    return render(
        request,
        "web/workbench.html",
        {
            "title": title,
            "total": counts["total"],
            "stages": stages,
            "recent": recent,
            "list_filter": QueryDict(urlencode(list_filter)),
            "panels": workbench_panels(request),
        },
    )


def _duties(user) -> list[tuple[str, str, str]]:
    """What a person without case data may do here: (title, explanation, url name)."""
    duties = []
    if user.has_role(RoleCode.SYSADMIN):
        duties.append(("系统配置", "维护检察院、部门、办案团队、侦查机关、人员账号、罪名与案件标签。", "admin:index"))
    if user.has_role(RoleCode.SECADMIN):
        duties.append(("角色管理", "为人员分配或调整角色。安全管理员不能调整本人的角色。", "orgs:roles"))
    if user.has_role(RoleCode.AUDITADMIN):
        duties.append(
            ("审计日志", "查阅全程留痕记录，按操作人、操作类型、日期与案件筛选，并校验哈希链。", "events:list")
        )
    return duties
