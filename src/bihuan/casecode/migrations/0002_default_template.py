"""The default scoring table of domain-rules §7.4: 100 points in two dimensions, ten items, five
of them with a veto (seed 001 case 6: 10 个评分项, 5 个一票否决项)."""

from decimal import Decimal

from django.db import migrations

DEFAULT_ITEMS = [
    ("犯罪构成", "主体身份", 10, "身份不明"),
    ("犯罪构成", "刑事责任能力与年龄", 10, "刑事责任能力未查清"),
    ("犯罪构成", "主观方面", 10, ""),
    ("犯罪构成", "客观行为与危害结果", 15, "关键事实无证据证实"),
    ("犯罪构成", "因果关系", 5, ""),
    ("犯罪构成", "证据合法性", 10, "存在应当排除的非法证据"),
    ("量刑情节", "自首立功坦白", 10, ""),
    ("量刑情节", "前科累犯", 10, ""),
    ("量刑情节", "认罪认罚与退赔谅解", 10, ""),
    ("量刑情节", "涉案财物", 10, "涉案财物去向不明"),
]


def create(apps, schema_editor):
    ScoreTemplate = apps.get_model("casecode", "ScoreTemplate")
    ScoreItem = apps.get_model("casecode", "ScoreItem")
    template = ScoreTemplate.objects.create(
        name="“案件码”量化评分表", version=1, red_below=Decimal(70), green_from=Decimal(90), is_active=True,
        note="默认评分表（犯罪构成 60 分、量刑情节 40 分）",
    )
    ScoreItem.objects.bulk_create(
        ScoreItem(template=template, order=i, dimension=d, name=n, max_points=Decimal(p), veto=v)
        for i, (d, n, p, v) in enumerate(DEFAULT_ITEMS, start=1)
    )


def remove(apps, schema_editor):
    apps.get_model("casecode", "ScoreTemplate").objects.filter(version=1, name="“案件码”量化评分表").delete()


class Migration(migrations.Migration):
    dependencies = [("casecode", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
