"""The case-code colour in the default triage standard (seed 001 case 6: 案件受理后，以“案件码”预警
级别为依据实行繁简分流，“绿码”案件快速办理，“黄码”“红码”案件精细化办理), as two editable rules:
red and yellow go to the careful track before any simple-case rule is tried; green goes to the fast
track when no complex-case rule (涉黑涉恶, 重大敏感, 共同犯罪 …) applies. Also the tag that marks a
提前介入 case, which takes a code."""

from django.db import migrations

RULES = [
    (
        55,
        "红码、黄码案件",
        "移送时案件码为红码或黄码，证据质量尚有欠缺，按繁案精细化办理（“案件码”分类管控）。",
        [{"feature": "case_code", "op": "in", "value": ["red", "yellow"]}],
        "complex",
    ),
    (
        95,
        "绿码案件",
        "移送时案件码为绿码，且不属于繁案情形，由快审团队快速办理（“案件码”分类管控）。",
        [{"feature": "case_code", "op": "eq", "value": "green"}],
        "simple",
    ),
]


def add(apps, schema_editor):
    TriageRule = apps.get_model("triage", "TriageRule")
    apps.get_model("cases", "Tag").objects.get_or_create(name="提前介入")
    for position, name, explanation, conditions, outcome in RULES:
        if not TriageRule.objects.filter(kind="track", name=name).exists():
            TriageRule.objects.create(
                kind="track", position=position, name=name, explanation=explanation, conditions=conditions, outcome=outcome
            )


def remove(apps, schema_editor):
    apps.get_model("triage", "TriageRule").objects.filter(kind="track", name__in=[r[1] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("casecode", "0002_default_template"), ("triage", "0002_default_standard")]
    operations = [migrations.RunPython(add, remove)]
