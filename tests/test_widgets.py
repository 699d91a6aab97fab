import re

from django import forms

from bihuan.web.widgets import FastSelect

CHOICES = [("", "全部"), ("a", "甲 <b>"), ("b&c", "乙")]


def options(html: str) -> list[tuple[str, bool, str]]:
    found = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)
    return [(value, bool(selected), label) for value, selected, label in found]


def test_fast_select_renders_what_django_renders():
    for value in ("", "a", "b&c", None):
        fast = FastSelect(choices=CHOICES).render("x", value, attrs={"id": "id_x"})
        slow = forms.Select(choices=CHOICES).render("x", value, attrs={"id": "id_x"})
        assert options(fast) == options(slow)
        assert 'name="x"' in fast and 'id="id_x"' in fast
    assert "&lt;b&gt;" in FastSelect(choices=CHOICES).render("x", "a")


def test_values_model_choice_field_offers_labels_and_cleans_to_the_object(db):
    from bihuan.cases.models import Charge
    from bihuan.web.widgets import ValuesModelChoiceField

    field = ValuesModelChoiceField(
        queryset=Charge.objects.all(), label_field="name", required=False, empty_label="全部"
    )
    drunk = Charge.objects.get(name="危险驾驶罪")
    choices = list(field.choices)
    assert choices[0] == ("", "全部")
    assert (drunk.pk, "危险驾驶罪") in choices
    assert len(choices) == Charge.objects.count() + 1
    assert field.clean(str(drunk.pk)) == drunk
