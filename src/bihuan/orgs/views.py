from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bihuan.orgs.models import User


@permission_required("orgs.manage_roles", raise_exception=True)
def role_list(request: HttpRequest) -> HttpResponse:
    return render(request, "orgs/roles.html", {"people": User.objects.prefetch_related("roles")})
