"""The default elements each case type must bring to intake; the 系统管理员 edits them later.

Sources (shared/data/law):
- Rule 157: on receipt the case-management office checks (1) jurisdiction from the transferred
  legal documents, (2) that the case file materials are complete and in order, (3) money and
  objects against the transfer list, (4) whether the suspect is present and the coercive
  measures taken, (5) that the case came within the time limit.
- Rule 158: complete → registered and sent on with the 案件受理登记表; incomplete → the
  transferring unit is asked to deliver the missing materials; a suspect at large → not accepted
  until present (except co-defendants present).
- CPL 162: 起诉意见书 with 案卷材料 and 证据; para 2: a voluntary confession is recorded and sent.
- CPL 87: 提请批准逮捕书 with 案卷材料 and 证据.
- CPL 123: interrogations recorded in cases that may bring life imprisonment or death and in
  other major cases.
"""

from django.db import migrations

R157 = "《人民检察院刑事诉讼规则》第一百五十七条"
CARD = [
    ("犯罪嫌疑人", "suspects", f"{R157}第（四）项"),
    ("犯罪嫌疑人身份信息", "identity", f"{R157}第（四）项、第三百三十条"),
    ("移送单位", "agency", f"{R157}第（一）项"),
    ("移送案由", "charge", f"{R157}第（一）项"),
    ("强制措施", "measures", f"{R157}第（四）项"),
]
COMMON = [
    ("强制措施法律文书", "measure", f"{R157}第（四）项"),
    ("讯问犯罪嫌疑人录音录像", "serious", "《刑事诉讼法》第一百二十三条"),
]
DEFAULTS = {
    "prosecution_review": [
        ("起诉意见书", "always", f"《刑事诉讼法》第一百六十二条第一款；{R157}第（二）项"),
        ("案卷材料", "always", f"《刑事诉讼法》第一百六十二条第一款；{R157}第（二）项"),
        ("证据材料", "always", "《刑事诉讼法》第一百六十二条第一款"),
        *COMMON,
        ("认罪认罚相关材料", "plea", "《刑事诉讼法》第一百六十二条第二款"),
    ],
    "arrest_review": [
        ("提请批准逮捕书", "always", f"《刑事诉讼法》第八十七条；{R157}第（二）项"),
        ("案卷材料", "always", f"《刑事诉讼法》第八十七条；{R157}第（二）项"),
        ("证据材料", "always", "《刑事诉讼法》第八十七条"),
        *COMMON,
    ],
}


def add_defaults(apps, schema_editor):
    RequiredMaterial = apps.get_model("intake", "RequiredMaterial")
    rows = []
    for case_type, materials in DEFAULTS.items():
        position = 0
        for name, condition, basis in materials:
            position += 10
            rows.append(
                RequiredMaterial(
                    case_type=case_type, name=name, kind="material", condition=condition, basis=basis, position=position
                )
            )
        for name, check, basis in CARD:
            position += 10
            rows.append(
                RequiredMaterial(
                    case_type=case_type, name=name, kind="card", card_check=check, basis=basis, position=position
                )
            )
    RequiredMaterial.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_intake_records")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
