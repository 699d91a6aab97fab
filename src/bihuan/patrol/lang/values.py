"""What both evaluators share: the compiled rule, the detail of one hit, the patrol day's
arithmetic, the Python side of the ID-number functions and how values are written in a finding."""

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bihuan.cases.choices import Gender
from bihuan.lib import idnumber
from bihuan.patrol.lang.check import RuleError, Tree, analyse

# 18 characters: 17 digits and a digit or X (GB 11643); only then are digits read or cast.
ID_FORMAT = r"^[0-9]{17}[0-9Xx]$"
_ID_FORMAT = re.compile(ID_FORMAT.strip("^$"))
# How a document field's several values are written in a finding.
JOIN = "、"


@dataclass(frozen=True)
class Compiled:
    """A checked rule, ready for either evaluator."""

    tree: Tree
    case_types: tuple[str, ...] = ()

    @property
    def subject(self) -> str:
        return self.tree.subject


@dataclass
class Detail:
    """One hit: its key, the scope of the case (or reporting unit), what it is about in words and
    the compared values with their sources."""

    key: str
    case_id: int | None
    org_id: int
    department_id: int | None
    team_id: int | None
    prosecutor_id: int | None
    subject_text: str
    values: list[dict] = field(default_factory=list)


def compile_rule(definition: dict, *, case_types: Sequence[str] = ()) -> Compiled:
    """Check a definition; raise RuleError with every problem, or return it compiled. Non-empty
    `case_types` restrict the rule to cases of those types."""
    tree, errors = analyse(definition)
    if errors:
        raise RuleError(errors)
    return Compiled(tree, tuple(case_types))


def shift(today: date, months: int = 0, days: int = 0) -> date:
    """`today` moved by whole months (the same day, or the month's last day when it has fewer:
    2024-01-31 + 1 month = 2024-02-29), then by days."""
    index = today.year * 12 + today.month - 1 + months
    year, month = divmod(index, 12)
    day = min(today.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day) + timedelta(days=days)


def id_well_formed(number: Any) -> bool:
    return isinstance(number, str) and _ID_FORMAT.fullmatch(number) is not None


def id_invalid(number: str | None) -> bool:
    """Present and not a valid 公民身份号码 (GB 11643: 17 digits, ISO 7064 MOD 11-2 check)."""
    if number is None or number == "":
        return False
    return not (id_well_formed(number) and idnumber.check_char(number[:17]) == number[17].upper())


def id_birth(number: str | None) -> str | None:
    """Digits 7–14 of a well-formed number as YYYY-MM-DD text (not checked to be a real day)."""
    if not id_well_formed(number):
        return None
    return f"{number[6:10]}-{number[10:12]}-{number[12:14]}"


def id_gender(number: str | None) -> str | None:
    """男 or 女 from the 17th digit of a well-formed number (odd: male)."""
    if not id_well_formed(number):
        return None
    return Gender(idnumber.gender_of(number)).label


def written(value: Any) -> str:
    """A value as a finding shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def subject_text(subject: str, row: dict) -> str:
    """The hit's subject in words, from the columns both evaluators read (see SUBJECT_COLUMNS)."""
    if subject == "case":
        return "本案"
    if subject == "suspect":
        return f"第{row['seq']}名犯罪嫌疑人 {row['name']}"
    if subject == "measure":
        return f"{row['suspect_name']} {row['kind_label']}（{written(row['start_date'])}起）"
    return f"{row['kind_label']} 第{row['seq']}次"
