from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from bihuan.orgs.actions import do_set_roles
from bihuan.orgs.forms import PeopleFilterForm, RolesForm
from bihuan.orgs.models import Organisation, User

PAGE_SIZE = 50


def _managed_orgs(user: User) -> QuerySet[Organisation]:
    """A security administrator manages the people of their procuratorate and those below it."""
    if user.org_id is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(path__startswith=user.org.path)


def _managed_people(user: User) -> QuerySet[User]:
    """People of the managed procuratorates, and investigators of their police agencies."""
    orgs = _managed_orgs(user)
    return User.objects.filter(Q(org__in=orgs) | Q(org__isnull=True, agency__org__in=orgs))


@permission_required("orgs.manage_roles", raise_exception=True)
def role_list(request: HttpRequest) -> HttpResponse:
    orgs = _managed_orgs(request.user)
    form = PeopleFilterForm(request.GET, orgs=orgs)
    people = _managed_people(request.user)
    if form.is_valid():
        if form.cleaned_data["org"]:
            people = people.filter(org=form.cleaned_data["org"])
        if q := form.cleaned_data["q"].strip():
            people = people.filter(Q(full_name__contains=q) | Q(username__contains=q))
    people = people.select_related("org", "department", "team", "agency").prefetch_related("roles")
    page = Paginator(people.order_by("org__path", "department_id", "username"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "orgs/roles.html", {"form": form, "page": page})


@permission_required("orgs.manage_roles", raise_exception=True)
def role_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _managed_people(request.user).select_related("org").filter(pk=person_id).first()
    if person is None:
        raise Http404("人员不存在")
    if person.pk == request.user.pk:
        # 三员分立: no administrator grants themselves roles.
        raise PermissionDenied("不能调整本人的角色")
    if request.method == "POST":
        form = RolesForm(request.POST)
        if form.is_valid():
            do_set_roles(person, form.cleaned_data["roles"], actor=request.user)
            messages.success(request, f"已保存 {person} 的角色。")
            return redirect("orgs:roles")
    else:
        form = RolesForm(initial={"roles": sorted(person.role_codes)})
    return render(request, "orgs/role_edit.html", {"form": form, "person": person})
