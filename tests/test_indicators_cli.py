"""`bihuan indicators`: every indicator of a procuratorate, as a table or as JSON."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests import test_indicators_engine as dataset

data = dataset.data  # the hand-built data set, as a fixture of this module


def run(*args: str) -> str:
    out = StringIO()
    call_command("indicators", *args, stdout=out)
    return out.getvalue()


def test_json_output_of_the_county(data):
    result = json.loads(run("--org", "371002", "--from", "2025-01-01", "--to", "2025-03-31", "--json"))
    assert (result["org"], result["from"], result["to"], result["include_lower"]) == (
        "371002",
        "2025-01-01",
        "2025-03-31",
        False,
    )
    by_code = {row["code"]: row for row in result["indicators"]}
    assert len(by_code) == 15
    # By hand, as in tests/test_indicators_engine.py: 4 matters, 8 extra links; 2 of 6 not prosecuted.
    ratio = by_code["case_ratio"]
    assert (ratio["numerator"], ratio["denominator"], ratio["value"], ratio["display"]) == (12, 4, 3.0, "1 : 3.00")
    assert by_code["non_prosecution_rate"]["numerator"] == 2
    assert by_code["non_prosecution_rate"]["denominator"] == 6
    assert by_code["non_prosecution_rate"]["value"] == 33.3
    assert by_code["non_prosecution_rate"]["value_unit"] == "%"
    assert by_code["review_days"]["value"] == 34.7
    assert by_code["review_days"]["numerator_unit"] == "天"


def test_include_lower_and_zero_denominators(data):
    alone = {
        r["code"]: r
        for r in json.loads(run("--org", "371000", "--from", "2025-01-01", "--to", "2025-03-31", "--json"))[
            "indicators"
        ]
    }
    # The city alone: C1 only (陈一 法定不起诉); nothing was judged: no value.
    assert (alone["non_prosecution_rate"]["numerator"], alone["non_prosecution_rate"]["denominator"]) == (1, 1)
    assert alone["acquittal_rate"]["value"] is None
    assert alone["acquittal_rate"]["display"] == "—"
    tree = json.loads(run("--org", "371000", "--from", "2025-01-01", "--to", "2025-03-31", "--include-lower", "--json"))
    assert tree["include_lower"] is True
    rate = next(r for r in tree["indicators"] if r["code"] == "non_prosecution_rate")
    assert (rate["numerator"], rate["denominator"], rate["display"]) == (3, 7, "42.9%")


def test_human_table(data):
    text = run("--org", "371002", "--from", "2025-01-01", "--to", "2025-03-31")
    assert "2025年第1季度" in text
    assert "不起诉率\t不起诉人数 2人\t起诉人数 + 不起诉人数 6人\t33.3%" in text


def test_errors(data):
    with pytest.raises(CommandError, match="未找到单位编码"):
        run("--org", "999999", "--from", "2025-01-01", "--to", "2025-03-31")
    with pytest.raises(CommandError, match="不能早于"):
        run("--org", "371002", "--from", "2025-03-01", "--to", "2025-01-31")
    with pytest.raises(CommandError, match="日期格式"):
        run("--org", "371002", "--from", "2025/03/01", "--to", "2025-03-31")
    with pytest.raises(CommandError, match="缺少参数：--org、--to"):
        run("--from", "2025-01-01")
