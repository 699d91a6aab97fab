"""The 期限计算器 inputs, shared by the calculator page and `bihuan duedate`."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from bihuan.deadlines.calendar import WorkCalendar
from bihuan.deadlines.engine import ARREST_REVIEW, FAST, PROSECUTION_REVIEW, SUPPLEMENTARY, Period, compute

# The stages by the names a person uses (the command line takes these).
STAGE_NAMES = {"审查逮捕": ARREST_REVIEW, "审查起诉": PROSECUTION_REVIEW, "速裁": FAST, "补充侦查": SUPPLEMENTARY}
STAGE_CHOICES = [(value, name) for name, value in STAGE_NAMES.items()]


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(f"日期“{text.strip()}”格式不正确，应为 YYYY-MM-DD，例如 2024-03-01。") from None


def parse_suspensions(text: str) -> list[tuple[date, date]]:
    """Intervals not counted (Rule 222, Rule 143), one `起始:结束` per line or separated by
    commas, both days included."""
    intervals = []
    for item in text.replace("，", ",").replace("\n", ",").split(","):
        if not item.strip():
            continue
        start_text, colon, end_text = item.replace("：", ":").partition(":")
        if not colon:
            raise ValidationError(f"不计入期间“{item.strip()}”应写作 起始日期:结束日期，例如 2024-03-01:2024-03-10。")
        start, end = parse_date(start_text), parse_date(end_text)
        if end < start:
            raise ValidationError(f"不计入期间 {start} 至 {end} 的结束日期早于起始日期。")
        intervals.append((start, end))
    return intervals


class DeadlineCalculatorForm(forms.Form):
    stage = forms.ChoiceField(label="期限种类", choices=STAGE_CHOICES, initial=PROSECUTION_REVIEW)
    received = forms.DateField(
        label="起算日期",
        help_text="收到案件（提请批准逮捕书、退回补充侦查决定）之日，当日不计入",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "请输入正确的日期，格式为 YYYY-MM-DD。", "required": "请填写起算日期。"},
    )
    in_custody = forms.BooleanField(
        label="犯罪嫌疑人在押", required=False, help_text="审查逮捕：已被拘留（七日）；在押的期满日不因节假日延长"
    )
    major_complex = forms.BooleanField(label="重大、复杂案件", required=False, help_text="审查逮捕未拘留的为二十日")
    likely_over_1y = forms.BooleanField(label="可能判处一年以上有期徒刑", required=False, help_text="速裁为十五日")
    extended = forms.BooleanField(label="已批准延长审查起诉期限", required=False, help_text="延长十五日")
    suspensions = forms.CharField(
        label="不计入办案期限的期间",
        required=False,
        help_text="精神病鉴定等，每行一段：起始日期:结束日期（两端均计入）",
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "2024-03-01:2024-03-10"}),
    )

    def clean_suspensions(self) -> list[tuple[date, date]]:
        return parse_suspensions(self.cleaned_data["suspensions"])

    def clean(self) -> dict:
        data = super().clean()
        if data.get("extended") and data.get("stage") != PROSECUTION_REVIEW:
            self.add_error("extended", "延长审查起诉期限仅适用于审查起诉。")
        if data.get("likely_over_1y") and data.get("stage") != FAST:
            self.add_error("likely_over_1y", "可能判处一年以上有期徒刑仅影响速裁期限，请选择速裁。")
        return data

    def period(self, calendar: WorkCalendar) -> Period:
        data = self.cleaned_data
        return compute(
            data["stage"],
            data["received"],
            in_custody=data["in_custody"],
            major_complex=data["major_complex"],
            likely_over_1y=data["likely_over_1y"],
            extended=data["extended"],
            suspensions=data["suspensions"],
            calendar=calendar,
        )
