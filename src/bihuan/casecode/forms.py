"""The scoring form: per item of the template in force, the points deducted, the veto (where the
item has one), the reason, and a new 补充侦查提纲 item (问题, 目的, 事项, 要求). The rules on what
may be deducted live in actions.do_evaluate; the form only reads the numbers and texts."""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.forms import BoundField

from bihuan.casecode.actions import DeductionInput, InquiryInput
from bihuan.casecode.models import Evaluation, InquiryItem, ScoreItem, ScoreTemplate

INQUIRY_PARTS = (("problem", "存在问题"), ("purpose", "补侦目的"), ("matters", "补侦事项"), ("requirement", "补侦要求"))
TEXT = {"rows": 2}


@dataclass
class Row:
    """One scoring item on the form, with its fields and the case's open 补充侦查提纲 items on it."""

    item: ScoreItem
    points: BoundField
    veto: BoundField | None
    reason: BoundField
    inquiry: list[BoundField]
    open_items: list[InquiryItem]


class EvaluationForm(forms.Form):
    note = forms.CharField(label="评估意见", required=False, widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args, template: ScoreTemplate, open_items=(), previous: Evaluation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        self.items = list(template.items.all())
        self.open_items = list(open_items)
        for item in self.items:
            prefix = f"i{item.pk}"
            self.fields[f"{prefix}_points"] = forms.DecimalField(
                label="扣分",
                required=False,
                max_digits=5,
                decimal_places=1,
                # The range is do_evaluate's rule; the browser only gets a hint.
                widget=forms.NumberInput(attrs={"min": 0, "max": item.max_points, "aria-label": f"{item.name}扣分"}),
            )
            if item.veto:
                self.fields[f"{prefix}_veto"] = forms.BooleanField(
                    label="一票否决",
                    required=False,
                    widget=forms.CheckboxInput(attrs={"aria-label": f"{item.name}：{item.veto}"}),
                )
            self.fields[f"{prefix}_reason"] = forms.CharField(
                label="扣分理由",
                required=False,
                widget=forms.Textarea(attrs={**TEXT, "aria-label": f"{item.name}扣分理由"}),
            )
            for part, label in INQUIRY_PARTS:
                self.fields[f"{prefix}_{part}"] = forms.CharField(
                    label=label, required=False, widget=forms.Textarea(attrs=TEXT)
                )
        if previous is not None and not self.is_bound:
            self._start_from(previous)

    def _start_from(self, previous: Evaluation) -> None:
        """A re-evaluation starts from the last deductions, matched by item name (the template in
        force may be a newer version)."""
        by_name = {item.name: item for item in self.items}
        for deduction in previous.deductions.select_related("item"):
            item = by_name.get(deduction.item.name)
            if item is None:
                continue
            self.initial[f"i{item.pk}_points"] = deduction.points or None
            self.initial[f"i{item.pk}_reason"] = deduction.reason
            if item.veto:
                self.initial[f"i{item.pk}_veto"] = deduction.veto

    def rows(self) -> list[Row]:
        open_by_name: dict[str, list[InquiryItem]] = {}
        for inquiry in self.open_items:
            open_by_name.setdefault(inquiry.item.name, []).append(inquiry)
        rows = []
        for item in self.items:
            prefix = f"i{item.pk}"
            rows.append(
                Row(
                    item=item,
                    points=self[f"{prefix}_points"],
                    veto=self[f"{prefix}_veto"] if item.veto else None,
                    reason=self[f"{prefix}_reason"],
                    inquiry=[self[f"{prefix}_{part}"] for part, _ in INQUIRY_PARTS],
                    open_items=open_by_name.get(item.name, []),
                )
            )
        return rows

    def _values(self) -> dict:
        """The cleaned values of a bound form (after is_valid), the initial ones of a fresh form."""
        return self.cleaned_data if self.is_bound else self.initial

    def deductions(self) -> list[DeductionInput]:
        """The items the prosecutor filled in (points, veto or a reason); do_evaluate judges them."""
        values = self._values()
        found = []
        for item in self.items:
            prefix = f"i{item.pk}"
            points = values.get(f"{prefix}_points") or Decimal(0)
            veto = bool(values.get(f"{prefix}_veto"))
            reason = values.get(f"{prefix}_reason") or ""
            if points or veto or reason.strip():
                found.append(DeductionInput(item_id=item.pk, points=points, reason=reason, veto=veto))
        return found

    def inquiries(self) -> list[InquiryInput]:
        """The new 补充侦查提纲 items: any item with one of its four parts written."""
        found = []
        for item in self.items:
            parts = {part: self.cleaned_data.get(f"i{item.pk}_{part}", "") for part, _ in INQUIRY_PARTS}
            if any(text.strip() for text in parts.values()):
                found.append(InquiryInput(item_id=item.pk, **parts))
        return found
