"""Seed the default targets of the 红黄蓝 table and the weights of the 团队贡献度系数.

Targets (indicator, value, direction, yellow band, basis):
- 认罪认罚从宽制度适用率 ≥ 85 %, 确定刑量刑建议占比 ≥ 90 %, 量刑建议采纳率 ≥ 95 %: the levels the
  SPP reported as reached nationally (domain-rules §2.3, S7: ">85%", ">90%", ">95%"); yellow
  within 5, 5 and 3 percentage points (a local choice).
- 案-件比 ≤ 1 : 1.87, the national 刑事检察 figure of 2019 (domain-rules §2.2); yellow up to
  1 : 2.07 (a local choice).
- 审查起诉平均办案天数 ≤ 30 days, the basic period of one month (CPL 172, domain-rules §7.2);
  yellow up to 45 days, the period with one extension.
- 审查起诉平均办案天数（简案）≤ 10.7 days, the level 威海 reached with 繁简分流 (seed 004); yellow up
  to 15 days, the longest 速裁 period (domain-rules §7.2).

Weights of the 团队贡献度系数 (seed 004 names the coefficient, not its weights: these are local
choices the 系统管理员 changes in the admin): 简案 1.0, 繁案 2.0, 未分流 1.0; 重大复杂 +1.0,
风险等级高 +0.5, 风险等级中 +0.
"""

from decimal import Decimal

from django.db import migrations

# Written out here, not imported, so that the migration keeps its meaning if the defaults change.
TARGETS = (
    ("plea_rate", "85", "higher", "5", "最高检公布的全国水平“>85%”（domain-rules §2.3，S7）"),
    ("fixed_recommendation_share", "90", "higher", "5", "最高检公布的全国水平“>90%”（domain-rules §2.3，S7）"),
    ("recommendation_adoption_rate", "95", "higher", "3", "最高检公布的全国水平“>95%”（domain-rules §2.3，S7）"),
    ("case_ratio", "1.87", "lower", "0.2", "2019 年全国刑事检察案-件比 1 : 1.87（domain-rules §2.2）"),
    ("review_days", "30", "lower", "15", "审查起诉期限一个月，延长后一个半月（刑事诉讼法第一百七十二条）"),
    ("review_days_simple", "10.7", "lower", "4.3", "威海繁简分流后简案审查期限 10.7 天；黄色上限 15 天为速裁最长期限"),
)
WEIGHTS = (
    ("simple", "1", "每件简案"),
    ("complex", "2", "每件繁案"),
    ("unsorted", "1", "每件未分流案件"),
    ("major_complex", "1", "重大复杂案件另加"),
    ("risk_medium", "0", "风险等级中另加"),
    ("risk_high", "0.5", "风险等级高另加"),
)


def add_defaults(apps, schema_editor):
    Target = apps.get_model("indicators", "Target")
    for indicator, value, direction, tolerance, note in TARGETS:
        Target.objects.get_or_create(
            indicator=indicator,
            defaults={"value": Decimal(value), "direction": direction, "tolerance": Decimal(tolerance), "note": note},
        )
    Weight = apps.get_model("indicators", "ContributionWeight")
    for factor, weight, note in WEIGHTS:
        Weight.objects.get_or_create(factor=factor, defaults={"weight": Decimal(weight), "note": note})


def remove_defaults(apps, schema_editor):
    apps.get_model("indicators", "Target").objects.filter(indicator__in=[t[0] for t in TARGETS]).delete()
    apps.get_model("indicators", "ContributionWeight").objects.filter(factor__in=[w[0] for w in WEIGHTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_dashboard_targets_weights")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
