"""Template helpers shared by the pages: event changes in Chinese, months as years and months."""

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.html import format_html

from bihuan.events.models import Event
from bihuan.lib.masking import mask_id_number
from bihuan.web.submit import FIELD, issue_token

register = template.Library()


def _field(object_type: str, name: str):
    try:
        return apps.get_model(object_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None


def _shown(field, value) -> str:
    if value is None or value == "" or value == []:
        return "（空）"
    choices = {}
    if field is not None and field.many_to_many:
        choices = dict(field.related_model._meta.pk.flatchoices)
    elif field is not None and field.choices:
        choices = dict(field.flatchoices)
    if isinstance(value, list):
        return "、".join(str(choices.get(v, v)) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(choices.get(value, value))


@register.filter
def change_rows(event: Event) -> list[tuple[str, str, str]]:
    """(field label, before, after) for each changed field of an event; before is "" when the
    field had no value yet."""
    rows = []
    for name, pair in (event.changes or {}).items():
        field = _field(event.object_type, name)
        label = str(field.verbose_name) if field is not None and hasattr(field, "verbose_name") else name
        before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        # A value set for the first time (a new record) has no "before" to show.
        rows.append((label, "" if before is None else _shown(field, before), _shown(field, after)))
    return rows


@register.filter
def term(months: int | None) -> str:
    """A term in months as the judgment writes it: 14 → 1年2个月."""
    if months is None:
        return ""
    years, rest = divmod(months, 12)
    parts = [f"{years}年"] if years else []
    if rest or not years:
        parts.append(f"{rest}个月")
    return "".join(parts)


@register.filter
def in_custody_on(suspect, day) -> bool:
    return suspect.in_custody(day)


@register.filter
def mask_id(number: str) -> str:
    return mask_id_number(number) if number else ""


@register.simple_tag(takes_context=True)
def render_panel(context, panel):
    """A feature's panel (bihuan.web.panels), rendered inside the page's context (so the page's
    case, request and user are there, and the context processors do not run again)."""
    template = context.template.engine.get_template(panel.template)
    with context.push(**panel.context):
        return template.render(context)


@register.simple_tag(takes_context=True)
def submit_token(context):
    """A hidden once-only token for a form that changes something (bihuan.web.submit)."""
    token = issue_token(context["request"])
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, token)
