from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bihuan.cases.access import access_case, visible_cases


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/list.html", {"cases": visible_cases(request.user)[:50]})


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    return render(request, "cases/detail.html", {"case": access_case(request.user, case_id)})
