"""Builders for the patrol loop tests: the shared world with the built-in catalogue switched off
and three small rules of our own, one per severity, each hitting one known case."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bihuan.patrol.actions import do_save_rule
from bihuan.patrol.models import Rule

TZ = ZoneInfo("Asia/Shanghai")
# The patrol day of the tests: a Monday morning, Beijing time.
PATROL_DAY = datetime(2024, 6, 3, 9, 0, tzinfo=TZ)

SUMMARY_SHOWN = {"label": "简要案情", "value": "case.summary", "source": "案卡"}


def make_rule(code: str, severity: str, definition: dict, *, reply_days: int = 10, case_types=()) -> Rule:
    return do_save_rule(
        None,
        actor=None,
        fields={
            "code": code,
            "name": f"测试规则{code}",
            "category": "card",
            "basis": "《人民检察院刑事诉讼规则》第六百六十五条",
            "severity": severity,
            "reply_days": reply_days,
            "case_types": list(case_types),
            "message": f"测试问题{code}",
            "definition": definition,
            "enabled": True,
        },
    )


def blank_summary_of(case_name: str) -> dict:
    """A case named so, with no 简要案情."""
    return {"all": [{"eq": ["case.name", case_name]}, {"blank": "case.summary"}]}


@dataclass
class Rules:
    minor: Rule  # case_a (county, handled by pros_a): a prompt
    serious: Rule  # case_b's suspect 李某某 (county): a notice to the county department
    grave: Rule  # case_city (city): a notice reported to the city's 检察长


def make_rules() -> Rules:
    """Switch the built-in catalogue off and add one rule of each severity."""
    Rule.objects.update(enabled=False)
    minor = make_rule(
        "T-MIN",
        "minor",
        {"subject": "case", "when": blank_summary_of("张某某危险驾驶案"), "show": [SUMMARY_SHOWN]},
    )
    serious = make_rule(
        "T-SER",
        "serious",
        {
            "subject": "suspect",
            "when": {"all": [{"eq": ["suspect.name", "李某某"]}, {"blank": "case.summary"}]},
            "show": [{"label": "案卡姓名", "value": "suspect.name", "source": "案卡"}, SUMMARY_SHOWN],
        },
    )
    grave = make_rule(
        "T-GRV",
        "grave",
        {"subject": "case", "when": blank_summary_of("王某某故意伤害案"), "show": [SUMMARY_SHOWN]},
        reply_days=7,
    )
    return Rules(minor, serious, grave)
