"""Shared data of the case-code tests."""

from bihuan.cases.models import Case
from tests import factories as f

# The tests' "now": a Wednesday.
NOW = "2024-03-06 10:00 +0800"


def arrest_case(world) -> Case:
    """A 审查逮捕 case of team A handled by pros_a: it takes a code."""
    return f.make_case(
        world.county,
        department=world.county_dept,
        team=world.team_a,
        prosecutor=world.people["pros_a"],
        case_type="arrest_review",
        name="周某某盗窃案",
    )
