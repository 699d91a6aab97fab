"""The default triage standard and risk rules (an administrator edits them afterwards).

Weihai (威海) set its simple-case standard by procedure, parties, case type and the likely
sentence, and classed 24 categories of cases as simple (seed 004). The seed does not name the 24;
the default list below is 24 common light crimes (故意伤害 only where the injury is 轻伤, i.e. the
likely sentence is at most 3 years, Criminal Law art. 234). 速裁 follows Rule 437 (likely sentence of
at most 3 years, 认罪认罚).
"""

from django.db import migrations

MAFIA, SENSITIVE, GROUP, DEPUTY, CPPCC = "涉黑涉恶", "重大敏感", "群体性", "人大代表", "政协委员"
LIGHT = ["le1", "le3"]  # likely sentence of at most 3 years
OVER_3 = ["lt10", "ge10"]

SIMPLE_CHARGES = [
    "危险驾驶罪",
    "盗窃罪",
    "交通肇事罪",
    "帮助信息网络犯罪活动罪",
    "诈骗罪",
    "寻衅滋事罪",
    "开设赌场罪",
    "赌博罪",
    "掩饰、隐瞒犯罪所得、犯罪所得收益罪",
    "非法持有毒品罪",
    "容留他人吸毒罪",
    "妨害公务罪",
    "袭警罪",
    "信用卡诈骗罪",
    "拒不支付劳动报酬罪",
    "非法狩猎罪",
    "非法捕捞水产品罪",
    "滥伐林木罪",
    "抢夺罪",
    "故意毁坏财物罪",
    "拒不执行判决、裁定罪",
    "妨害信用卡管理罪",
    "非法侵入住宅罪",
]
INJURY = "故意伤害罪"


def cond(feature, op, value):
    return {"feature": feature, "op": op, "value": value}


TRACK_RULES = [
    ("涉黑涉恶案件", "涉黑涉恶案件案情复杂、社会危害大，按繁案精细审查。", [cond("tags", "contains_any", [MAFIA])], "complex"),
    ("重大敏感案件", "重大敏感案件社会关注度高，按繁案审查。", [cond("tags", "contains_any", [SENSITIVE])], "complex"),
    ("重大复杂案件", "案卡标记为重大、复杂的案件（CPL 172 可延长审查起诉期限），按繁案审查。", [cond("is_major_complex", "eq", True)], "complex"),
    ("共同犯罪案件", "犯罪嫌疑人两人以上，需分别审查各人罪责，按繁案审查。", [cond("suspect_count", "gt", 1)], "complex"),
    ("可能判处三年以上有期徒刑", "可能判处三年以上有期徒刑的案件不属轻罪，按繁案审查。", [cond("likely_sentence", "in", OVER_3)], "complex"),
    ("速裁程序案件", "适用速裁程序的案件（Rule 437：可能判处三年以下有期徒刑、认罪认罚），由快审团队办理。", [cond("procedure", "eq", "fast")], "simple"),
    (
        "认罪认罚轻罪案件",
        "犯罪嫌疑人认罪认罚且可能判处三年以下有期徒刑的轻罪案件，由快审团队办理。",
        [cond("all_plea", "eq", True), cond("likely_sentence", "in", LIGHT)],
        "simple",
    ),
    (
        "故意伤害（轻伤）案件",
        "故意伤害致人轻伤、可能判处三年以下有期徒刑的案件（刑法第二百三十四条第一款），属简案类别。",
        [cond("main_charge", "eq", INJURY), cond("likely_sentence", "in", LIGHT)],
        "simple",
    ),
    (
        "简案类别罪名",
        "移送案由属本院确定的简案类别（常见轻罪，连同故意伤害（轻伤）共24类），由快审团队办理。",
        [cond("main_charge", "in", SIMPLE_CHARGES)],
        "simple",
    ),
    ("其他案件", "不符合简案标准的案件，按繁案审查。", [], "complex"),
]

RISK_RULES = [
    ("涉黑涉恶", "涉黑涉恶案件风险等级为高。", [cond("tags", "contains_any", [MAFIA])], "high"),
    ("重大敏感", "重大敏感案件风险等级为高。", [cond("tags", "contains_any", [SENSITIVE])], "high"),
    ("群体性事件", "涉及群体性事件的案件风险等级为高。", [cond("tags", "contains_any", [GROUP])], "high"),
    ("涉未成年人", "犯罪嫌疑人为未成年人的案件风险等级为高，须落实未成年人特别程序。", [cond("has_minor", "eq", True)], "high"),
    ("涉人大代表、政协委员", "犯罪嫌疑人为人大代表或政协委员的案件风险等级为高。", [cond("tags", "contains_any", [DEPUTY, CPPCC])], "high"),
    ("可能判处十年以上有期徒刑", "可能判处十年以上有期徒刑、无期徒刑或死刑的案件风险等级为高。", [cond("likely_sentence", "eq", "ge10")], "high"),
    ("在押且不认罪认罚", "有在押犯罪嫌疑人不认罪认罚，风险等级为中。", [cond("custody_without_plea", "eq", True)], "medium"),
    ("共同犯罪", "犯罪嫌疑人两人以上的案件风险等级为中。", [cond("suspect_count", "gt", 1)], "medium"),
    ("重大复杂", "案卡标记为重大、复杂的案件风险等级为中。", [cond("is_major_complex", "eq", True)], "medium"),
    ("可能判处三年以上有期徒刑", "可能判处三年以上不满十年有期徒刑的案件风险等级为中。", [cond("likely_sentence", "eq", "lt10")], "medium"),
    ("其他案件", "未命中以上规则的案件风险等级为低。", [], "low"),
]


def load_standard(apps, schema_editor):
    Charge = apps.get_model("cases", "Charge")
    Tag = apps.get_model("cases", "Tag")
    TriageRule = apps.get_model("triage", "TriageRule")
    names = [*SIMPLE_CHARGES, INJURY]
    missing = set(names) - set(Charge.objects.filter(name__in=names).values_list("name", flat=True))
    if missing:
        raise RuntimeError(f"charges missing from the catalogue: {sorted(missing)}")
    for tag in (MAFIA, SENSITIVE, GROUP, DEPUTY, CPPCC):
        Tag.objects.get_or_create(name=tag)
    if TriageRule.objects.exists():
        return
    for kind, rules in (("track", TRACK_RULES), ("risk", RISK_RULES)):
        for position, (name, explanation, conditions, outcome) in enumerate(rules, start=1):
            TriageRule.objects.create(
                kind=kind,
                position=position * 10,
                name=name,
                explanation=explanation,
                conditions=conditions,
                outcome=outcome,
            )


class Migration(migrations.Migration):
    dependencies = [("triage", "0001_triage_standard_and_ledger"), ("cases", "0006_suspension_link")]
    operations = [migrations.RunPython(load_standard, migrations.RunPython.noop)]
