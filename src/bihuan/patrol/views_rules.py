"""规则目录 and 规则试运行: every rule with its hits and false alarms, a rule's definition and
recent findings, enabling and disabling (the case-management office), and the playground that
runs a draft rule over all cases before it is saved (disabled) and enabled from the catalogue."""

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bihuan.cases.choices import CaseType
from bihuan.cases.filters import scope_orgs
from bihuan.cases.models import Case
from bihuan.patrol import actions
from bihuan.patrol.access import (
    RULES_ONLY,
    access_rule,
    may_edit_rules,
    require_office,
    require_reader,
    visible_findings,
)
from bihuan.patrol.forms import PlaygroundForm, SaveRuleForm
from bihuan.patrol.models import CloseReason, FindingStatus, Rule
from bihuan.patrol.views import REFUSALS, refusal_text
from bihuan.web.submit import REPEATED, consume_token

RECENT_FINDINGS = 20
SHOWN_HITS = 50  # hits of a draft rule the playground lists


def type_labels(rule: Rule) -> str:
    """The case types a rule applies to, in Chinese; 全部 when it applies to every type."""
    return "、".join(CaseType(t).label for t in rule.case_types if t in CaseType.values) or "全部"


def rule_counts(findings) -> dict[int, dict]:
    """Per rule: open findings, all findings, false alarms, and the false-alarm rate (of the
    findings the office has judged or closed)."""
    rows = findings.values("rule").annotate(
        open=Count("pk", filter=~Q(status=FindingStatus.CLOSED)),
        total=Count("pk"),
        false_alarms=Count("pk", filter=Q(close_reason=CloseReason.FALSE_ALARM)),
    )
    counts = {}
    for row in rows.order_by():
        row["rate"] = round(100 * row["false_alarms"] / row["total"], 1) if row["total"] else None
        counts[row["rule"]] = row
    return counts


@login_required
@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    """Every rule with code, name, category, severity, basis, case types, enabled, hit counts
    and false alarms (counted over the findings the person may read)."""
    user = request.user
    require_reader(user)
    counts = rule_counts(visible_findings(user))
    rules = list(Rule.objects.all())
    for rule in rules:
        rule.counts = counts.get(rule.pk)
        rule.type_labels = type_labels(rule)
    return render(request, "patrol/rules.html", {"rules": rules, "may_edit": may_edit_rules(user)})


@login_required
@require_GET
def rule_page(request: HttpRequest, rule_id: int) -> HttpResponse:
    user = request.user
    rule = access_rule(user, rule_id)
    findings = visible_findings(user).filter(rule=rule)
    context = {
        "rule": rule,
        "type_labels": type_labels(rule),
        "definition": json.dumps(rule.definition, ensure_ascii=False, indent=2),
        "counts": rule_counts(findings).get(rule.pk),
        "recent": list(findings.select_related("case", "department").order_by("-id")[:RECENT_FINDINGS]),
        "may_edit": may_edit_rules(user),
    }
    return render(request, "patrol/rule.html", context)


@login_required
@require_POST
def rule_enable(request: HttpRequest, rule_id: int) -> HttpResponse:
    """启用 / 停用 (the case-management office); stopping a rule closes its open findings."""
    rule = access_rule(request.user, rule_id)
    if not may_edit_rules(request.user):
        raise PermissionDenied(RULES_ONLY)
    if not consume_token(request):
        messages.info(request, REPEATED)
        return redirect("patrol:rule", rule.pk)
    enabled = request.POST.get("enabled") == "1"
    actions.do_set_rule_enabled(rule, actor=request.user, enabled=enabled)
    messages.success(request, f"已{'启用' if enabled else '停用'}规则 {rule.code}。")
    return redirect("patrol:rule", rule.pk)


def _in_scope(result, org_ids: set[int]):
    """The playground's hits and units narrowed to the procuratorates the person reads: a draft
    rule runs over every case, but shows only what the person may see. Each shown hit carries its
    case's name (one query for the page)."""
    details = [d for d in result.details if d.org_id in org_ids][:SHOWN_HITS]
    names = dict(Case.objects.filter(pk__in={d.case_id for d in details}).values_list("pk", "name"))
    rows = [(d, names.get(d.case_id)) for d in details]
    units = [u for u in result.units if u.org.pk in org_ids]
    return rows, units


@login_required
@require_http_methods(["GET", "POST"])
def playground(request: HttpRequest) -> HttpResponse:
    """规则试运行: a draft definition (JSON or YAML) and case types → its errors with their
    places, or its hits over all cases (count, per unit, the first hits with their values);
    保存为规则 saves it disabled through `do_save_rule`."""
    user = request.user
    require_office(user)
    context: dict[str, Any] = {"may_edit": may_edit_rules(user)}
    if request.method == "GET":
        context.update(form=PlaygroundForm(), save_form=SaveRuleForm())
        return render(request, "patrol/playground.html", context)
    form = PlaygroundForm(request.POST)
    save_form = SaveRuleForm(request.POST) if "save" in request.POST else SaveRuleForm()
    context.update(form=form, save_form=save_form)
    if form.is_valid():
        definition, case_types = form.cleaned_data["definition"], form.cleaned_data["case_types"]
        if "save" in request.POST and context["may_edit"]:
            saved = _save(request, save_form, definition, case_types)
            if saved is not None:
                return redirect("patrol:rule", saved.pk)
        else:
            try:
                result = actions.try_rule(definition, case_types=case_types, today=timezone.localdate())
            except ValidationError as exc:
                context["errors"] = exc.messages
            else:
                details, units = _in_scope(result, set(scope_orgs(user).values_list("pk", flat=True)))
                context.update(result=result, details=details, units=units)
    template = "patrol/_playground_result.html" if request.headers.get("HX-Request") else "patrol/playground.html"
    return render(request, template, context)


def _save(request: HttpRequest, save_form: SaveRuleForm, definition: dict, case_types: list[str]) -> Rule | None:
    """保存为规则: a new rule, disabled until the office enables it in the catalogue."""
    if not save_form.is_valid():
        return None
    if not consume_token(request):
        messages.info(request, REPEATED)
        return None
    fields = {**save_form.cleaned_data, "definition": definition, "case_types": case_types, "enabled": False}
    try:
        rule = actions.do_save_rule(None, actor=request.user, fields=fields)
    except REFUSALS as exc:
        save_form.add_error(None, refusal_text(exc))
        return None
    messages.success(request, f"规则 {rule.code} 已保存（未启用），请核对后在规则目录中启用。")
    return rule
