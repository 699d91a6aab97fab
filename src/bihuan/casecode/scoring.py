"""Score and colour of an evaluation (domain-rules §7.4), pure: no database.

Score = the template's total points − the points deducted. Colour: any veto (一票否决) → red;
otherwise score < `red_below` → red, score < `green_from` → yellow, else green (defaults 70 and
90: "<70 红码, 70–<90 黄码, ≥90 绿码"; seed 001 case 6 leaves the exact boundaries open, §7.4 fixes
them so).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from bihuan.casecode.models import Colour

# Re-evaluation intervals: red cases every 7 days (一周一评估), yellow every 15 (半月一评估).
REEVALUATE_EVERY = {Colour.RED: timedelta(days=7), Colour.YELLOW: timedelta(days=15)}


@dataclass(frozen=True)
class Result:
    score: Decimal
    colour: str
    vetoed: bool


def colour_of(score: Decimal, vetoed: bool, red_below: Decimal, green_from: Decimal) -> str:
    if vetoed or score < red_below:
        return Colour.RED
    if score < green_from:
        return Colour.YELLOW
    return Colour.GREEN


def evaluate(
    total: Decimal, deductions: Iterable[tuple[Decimal, bool]], red_below: Decimal, green_from: Decimal
) -> Result:
    """`deductions`: (points deducted, veto) per item."""
    deductions = list(deductions)
    score = total - sum((points for points, _ in deductions), Decimal(0))
    vetoed = any(veto for _, veto in deductions)
    return Result(score, colour_of(score, vetoed, red_below, green_from), vetoed)


def reevaluate_by(colour: str, on: date) -> date | None:
    """The day a re-evaluation is due after an evaluation of `colour` on `on`; None for green."""
    every = REEVALUATE_EVERY.get(Colour(colour))
    return on + every if every else None
