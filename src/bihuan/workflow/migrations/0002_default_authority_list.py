"""The default authority list (权力清单): who approves each decision before it is recorded.

Sources (the system administrator may change every entry in the admin):
- 起诉: seed 004 (威海) — the 承办检察官 decides within his authority, the 部门主任 审核把关
  ("部门主任要做到……审核把关"); the 2019 Rule leaves the approver to the 检察官权力清单.
- 不起诉: 法定不起诉 Rule 365, 相对不起诉 Rule 370, 存疑不起诉 Rule 367 — 经检察长批准; 附条件
  不起诉 (CPL 282) follows the same chain ([U]: approver as for the other 不起诉). The 分管副
  检察长 hears the report and signs on (seed 004 "听定签") before the 检察长.
- 批准逮捕 / 不批准逮捕: CPL 87 — 人民检察院审查批准逮捕犯罪嫌疑人由检察长决定.
- 延长审查起诉期限: domain-rules §7.2 — 检察长 (Rule-2012 Art. 386; open question §6.6).
- 退回补充侦查: [U] 检察官 decides with the 部门主任's 审核 (common 权力清单 practice).
- 撤回起诉: Rule 424 — 经检察长批准.
- Public hearing before 不捕/不诉 in 重大敏感 cases: seed 004 (荣成).
"""

from django.db import migrations

PROSECUTION = "prosecution_review"
ARREST = "arrest_review"
HEAD, DEPUTY, CHIEF = "dept_head", "deputy_chief", "chief"

DEFAULTS = [
    # code, name, case type, phase, outcome, link kind, hearing gate, basis, chain
    ("prosecute", "起诉", PROSECUTION, "review", "prosecute", "", False,
     "威海“查核判督”：检察官决定，部门主任审核把关；《刑事诉讼法》第一百七十六条", [HEAD]),
    ("np_statutory", "法定不起诉", PROSECUTION, "review", "np_statutory", "", True,
     "《刑事诉讼法》第一百七十七条第一款；《人民检察院刑事诉讼规则》第三百六十五条：经检察长批准", [HEAD, DEPUTY, CHIEF]),
    ("np_discretionary", "相对不起诉", PROSECUTION, "review", "np_discretionary", "", True,
     "《刑事诉讼法》第一百七十七条第二款；《人民检察院刑事诉讼规则》第三百七十条：经检察长批准", [HEAD, DEPUTY, CHIEF]),
    ("np_evidence", "存疑不起诉", PROSECUTION, "review", "np_evidence", "", True,
     "《刑事诉讼法》第一百七十五条第四款；《人民检察院刑事诉讼规则》第三百六十七条：经检察长批准", [HEAD, DEPUTY, CHIEF]),
    ("np_conditional", "附条件不起诉", PROSECUTION, "review", "np_conditional", "", True,
     "《刑事诉讼法》第二百八十二条（未成年人）；审批人同其他不起诉（待确认）", [HEAD, DEPUTY, CHIEF]),
    ("supplementary", "退回补充侦查", PROSECUTION, "review", "", "supplementary", False,
     "《刑事诉讼法》第一百七十五条；《人民检察院刑事诉讼规则》第三百四十六条；以二次为限", [HEAD]),
    ("extension", "延长审查起诉期限", PROSECUTION, "review", "", "extension", False,
     "《刑事诉讼法》第一百七十二条：重大、复杂案件可以延长十五日；经检察长批准（领域规则7.2）", [HEAD, CHIEF]),
    ("withdrawal", "撤回起诉", PROSECUTION, "after_prosecution", "withdrawn", "withdrawal", False,
     "《人民检察院刑事诉讼规则》第四百二十四条：经检察长批准", [HEAD, DEPUTY, CHIEF]),
    ("arrest_approved", "批准逮捕", ARREST, "review", "arrest_approved", "", False,
     "《刑事诉讼法》第八十七条：审查批准逮捕由检察长决定", [HEAD, CHIEF]),
    ("arrest_refused", "不批准逮捕", ARREST, "review", "arrest_refused", "", True,
     "《刑事诉讼法》第八十七条、第九十条：由检察长决定", [HEAD, CHIEF]),
]


def add_defaults(apps, schema_editor):
    DecisionType = apps.get_model("workflow", "DecisionType")
    ChainStep = apps.get_model("workflow", "ChainStep")
    for position, (code, name, case_type, phase, outcome, link, hearing, basis, chain) in enumerate(DEFAULTS):
        decision, _ = DecisionType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "case_type": case_type,
                "phase": phase,
                "outcome": outcome,
                "link_kind": link,
                "requires_hearing": hearing,
                "basis": basis,
                "position": position,
            },
        )
        for step, role in enumerate(chain, start=1):
            ChainStep.objects.get_or_create(decision_type=decision, position=step, defaults={"role": role})


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_authority_list_and_records")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
