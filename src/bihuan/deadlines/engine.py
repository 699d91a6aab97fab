"""The statutory deadline engine (期限): which period runs, when it ends, and why.

Pure functions over dates and `CaseFacts`; the only database access is `case_facts()`, which
builds the facts of one case. The rules are those of domain-rules §1 and §7.1–7.2:

- counting: the start day is not counted (CPL 105); months per SPC-Interp 202 (`lib.periods`);
- 审查逮捕: 7 days if the suspect is detained, else 15 days, 20 if 重大复杂 (CPL 91, Rule 282);
- 审查起诉: 1 month from receipt (CPL 172, Rule 351), +15 days on an approved extension starting
  the day after the original due date; restarted in full on each re-transfer after 退回补充侦查
  (CPL 175, Rule 346) and from the receipt at the new procuratorate on 改变管辖 (CPL 172 para 2,
  Rule 351 para 2); 速裁 10 days, 15 if the likely sentence exceeds one year (CPL 172, Rule 273);
- 退回补充侦查: 1 month for the investigators, at most twice, counted across a change of
  jurisdiction (CPL 175, Rule 350);
- suspended intervals (精神病鉴定 Rule 222, the CPL 170 decision period Rule 143) push the due
  date back by their length, both ends included;
- a due date on a non-working day moves to the next working day, unless a suspect is in custody
  on that day (CPL 105). Only the final due date moves: an extension starts the day after the
  unshifted original due date (domain-rules §1.1 item 4).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from django.utils import timezone

from bihuan.cases.choices import CUSTODIAL_MEASURES, CaseType, DueKind, LikelySentence, LinkKind, Procedure, Stage
from bihuan.cases.models import Case, CoerciveMeasure, ProceduralLink
from bihuan.deadlines.calendar import WorkCalendar, uncovered_note
from bihuan.lib.periods import HALF_MONTH_DAYS, add_days, add_months, is_month_end

ARREST_REVIEW = DueKind.ARREST_REVIEW.value
PROSECUTION_REVIEW = DueKind.PROSECUTION_REVIEW.value
FAST = DueKind.FAST.value
SUPPLEMENTARY = DueKind.SUPPLEMENTARY.value

# CPL 175 para 3: 补充侦查以二次为限.
MAX_RETURNS = 2
NO_PERIOD_STAGES = frozenset({Stage.REGISTERED.value, Stage.CONCLUDED.value, Stage.ARCHIVED.value})
# CPL 172 / Rule 273: 可能判处的有期徒刑超过一年的 → 15 days under 速裁.
OVER_ONE_YEAR = frozenset(
    {LikelySentence.UP_TO_3Y.value, LikelySentence.UNDER_10Y.value, LikelySentence.TEN_PLUS.value}
)

_RETURN = LinkKind.SUPPLEMENTARY_INVESTIGATION.value
_EXTENSION = LinkKind.EXTENSION.value
_JURISDICTION = LinkKind.JURISDICTION_CHANGE.value
_SUSPENSION = LinkKind.SUSPENSION.value
_ARREST_CASE = CaseType.ARREST_REVIEW.value
_FAST_PROCEDURE = Procedure.FAST.value


# The sources behind the article codes of `Step.basis` (domain-rules §0).
SOURCES = {
    "CPL": "《刑事诉讼法》",
    "Rule": "《人民检察院刑事诉讼规则》",
    "SPC-Interp": "《最高人民法院关于适用〈中华人民共和国刑事诉讼法〉的解释》",
}


@cache
def cite(basis: str) -> str:
    """ "CPL 172; Rule 351" → "《刑事诉讼法》第172条；《人民检察院刑事诉讼规则》第351条"."""
    cited: list[str] = []
    last = ""
    for code in basis.split("; ") if basis else ():
        source, _, number = code.rpartition(" ")
        if source == last:
            cited[-1] += f"、第{number}条"
        else:
            cited.append(f"{SOURCES[source]}第{number}条")
        last = source
    return "；".join(cited)


@dataclass(frozen=True, slots=True)
class Step:
    """One line of the explanation of a due date, with the article it applies."""

    text: str
    basis: str = ""

    def __str__(self) -> str:
        return f"{self.text}（{self.basis}）" if self.basis else self.text

    @property
    def citation(self) -> str:
        """The basis as a person reads it: 《刑事诉讼法》第172条；《人民检察院刑事诉讼规则》第351条."""
        return cite(self.basis)


@dataclass(frozen=True, slots=True)
class Period:
    """A running statutory period: its kind (a `DueKind` value), start, due date and explanation."""

    kind: str
    start: date
    due: date
    steps: tuple[Step, ...]


class PeriodRefused(Exception):
    """The law does not allow the requested period; the message gives the reason in Chinese."""


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the statutory period of one case depends on, detached from the database."""

    case_type: str
    procedure: str
    stage: str
    received_date: date
    is_major_complex: bool
    likely_sentence: str
    # (LinkKind value, seq, start_date, end_date), sorted by start_date.
    links: tuple[tuple[str, int, date, date | None], ...]
    # Intervals in which any suspect is held under a custodial measure (CUSTODIAL_MEASURES).
    custody: tuple[tuple[date, date | None], ...]
    # 审查逮捕: a suspect was already held when the request arrived (CPL 91 para 3).
    detained_at_receipt: bool


#
# Building blocks: each appends its explanation lines and returns the due date
#


# The rule lines never vary: one shared object each, so that a bulk run allocates only the
# lines with dates in them.
ARREST_DETAINED = Step("审查逮捕：犯罪嫌疑人已被拘留，应当在收到提请批准逮捕书后七日以内作出决定", "CPL 91; Rule 282")
ARREST_MAJOR = Step("审查逮捕：犯罪嫌疑人未被拘留，重大、复杂的案件不得超过二十日", "Rule 282")
ARREST_FREE = Step("审查逮捕：犯罪嫌疑人未被拘留，应当在收到提请批准逮捕书后十五日以内作出决定", "Rule 282")
PROSECUTION_RULE = Step("审查起诉：应当在一个月以内作出决定", "CPL 172; Rule 351")
FAST_LONG = Step("速裁程序：可能判处的有期徒刑超过一年的，十五日以内作出是否起诉的决定", "CPL 172; Rule 273")
FAST_SHORT = Step("速裁程序：应当在十日以内作出是否起诉的决定", "CPL 172; Rule 273")


@cache
def _month(start: date) -> tuple[date, Step]:
    """One month from `start` and its arithmetic line (SPC-Interp 202); memoized per date."""
    due = add_months(start, 1)
    text = f"{start} 起算，一个月期满为 {due}"
    if due.day < start.day:
        text += "（次月无同日，取月末）"
    elif is_month_end(start) and due.day != start.day:
        text += "（起算日为月末，至次月最后一日）"
    return due, Step(text, "SPC-Interp 202")


@cache
def _days(start: date, n: int) -> tuple[date, Step]:
    """`n` days from `start`, the start day not counted (CPL 105); memoized."""
    due = add_days(start, n)
    return due, Step(f"{start} 起算（当日不计入），{n}日期满为 {due}", "CPL 105")


def _arrest_review(received: date, detained: bool, major_complex: bool, steps: list[Step]) -> date:
    if detained:
        rule, n = ARREST_DETAINED, 7
    elif major_complex:
        rule, n = ARREST_MAJOR, 20
    else:
        rule, n = ARREST_FREE, 15
    due, arithmetic = _days(received, n)
    steps += (rule, arithmetic)
    return due


def _prosecution_review(start: date, steps: list[Step]) -> date:
    due, arithmetic = _month(start)
    steps += (PROSECUTION_RULE, arithmetic)
    return due


@cache
def _extension(due: date) -> tuple[date, Step]:
    """15 days (half a month, SPC-Interp 202) from the day after the original due date."""
    extended = add_days(due, HALF_MONTH_DAYS)
    text = f"重大、复杂案件经批准延长审查起诉期限十五日：自 {add_days(due, 1)} 起至 {extended}"
    return extended, Step(text, "CPL 172; Rule 351")


def _fast(start: date, over_one_year: bool, steps: list[Step]) -> date:
    due, arithmetic = _days(start, 15 if over_one_year else 10)
    steps += (FAST_LONG if over_one_year else FAST_SHORT, arithmetic)
    return due


def _supplementary(start: date, seq: int | None, steps: list[Step]) -> date:
    which = f"第{seq}次" if seq else ""
    due, arithmetic = _month(start)
    steps += (Step(f"{which}退回补充侦查：侦查机关应当在一个月以内补充侦查完毕", "CPL 175; Rule 346"), arithmetic)
    return due


def _suspend(due: date, suspensions: Sequence[tuple[date, date, bool]], steps: list[Step]) -> date:
    """Push the due date back by each suspended interval, both ends included (Rule 222, Rule 143).
    An interval still open runs to the date given as its end and says so."""
    for start, end, ongoing in suspensions:
        length = (end - start).days + 1
        due = add_days(due, length)
        if ongoing:
            text = f"{start} 起不计入办案期限，尚未结束，暂计至 {end}（{length}日），期满日顺延至 {due}"
        else:
            text = f"{start} 至 {end} 不计入办案期限（{length}日），期满日顺延至 {due}"
        steps.append(Step(text, "Rule 222; Rule 143"))
    return due


def _roll_forward(due: date, held: Callable[[date], bool], calendar: WorkCalendar, steps: list[Step]) -> date:
    """Move a due date on a non-working day to the next working day, except in custody (CPL 105)."""
    if not calendar.covers(due.year):
        steps.append(Step(uncovered_note(due.year), "CPL 105"))
    if calendar.is_workday(due):
        return due
    reason = calendar.rest_reason(due)
    if held(due):
        steps.append(Step(f"{due} 为{reason}，但犯罪嫌疑人在押，期满日不因节假日延长", "CPL 105"))
        return due
    shifted = calendar.next_workday(due)
    steps.append(Step(f"{due} 为{reason}，顺延至 {shifted}", "CPL 105"))
    if shifted.year != due.year and not calendar.covers(shifted.year):
        steps.append(Step(uncovered_note(shifted.year), "CPL 105"))
    return shifted


def _never(_: date) -> bool:
    return False


def _always(_: date) -> bool:
    return True


#
# One period from explicit inputs (the calculator and `bihuan duedate`)
#


def compute(
    stage: str,
    received: date,
    *,
    in_custody: bool | Callable[[date], bool] = False,
    major_complex: bool = False,
    likely_over_1y: bool = False,
    extended: bool = False,
    suspensions: Sequence[tuple[date, date]] = (),
    calendar: WorkCalendar,
) -> Period:
    """The period of `stage` (a DueKind value) starting on `received`.

    `in_custody` is a bool or a callable telling whether a suspect is held on a given day; for
    审查逮捕 being held on the day of receipt means detained (7 days, CPL 91). It also decides
    the CPL 105 holiday roll-forward on the due date.
    """
    held = in_custody if callable(in_custody) else (_always if in_custody else _never)
    if extended and stage != PROSECUTION_REVIEW:
        raise ValueError("延长审查起诉期限仅适用于审查起诉（刑事诉讼法第一百七十二条）。")
    for start, end in suspensions:
        if end < start:
            raise ValueError(f"不计入办案期限的期间 {start} 至 {end} 结束日期早于起始日期。")
    steps: list[Step] = []
    if stage == ARREST_REVIEW:
        due = _arrest_review(received, held(received), major_complex, steps)
    elif stage == PROSECUTION_REVIEW:
        due = _prosecution_review(received, steps)
        if extended:
            due, line = _extension(due)
            steps.append(line)
    elif stage == FAST:
        due = _fast(received, likely_over_1y, steps)
    elif stage == SUPPLEMENTARY:
        due = _supplementary(received, None, steps)
    else:
        raise ValueError(f"未知的期限种类：{stage}")
    due = _suspend(due, [(start, end, False) for start, end in suspensions], steps)
    due = _roll_forward(due, held, calendar, steps)
    return Period(stage, received, due, tuple(steps))


#
# The running period of a case, from its history
#


@cache
def _receipt(received: date) -> Step:
    return Step(f"{received} 收到移送审查起诉的案件", "CPL 172; Rule 351")


def _held_by(custody: tuple[tuple[date, date | None], ...]) -> Callable[[date], bool]:
    if not custody:
        return _never

    def held(d: date) -> bool:
        return any(start <= d and (end is None or d <= end) for start, end in custody)

    return held


def count_returns(facts: CaseFacts) -> int:
    """退回补充侦查 so far, before and after any change of jurisdiction together (Rule 350)."""
    return sum(1 for link in facts.links if link[0] == _RETURN)


def check_new_return(facts: CaseFacts) -> None:
    """Refuse a third 退回补充侦查 (CPL 175 para 3: 以二次为限; Rule 350)."""
    if count_returns(facts) >= MAX_RETURNS:
        raise PeriodRefused(
            "本案已退回补充侦查二次，补充侦查以二次为限，不得再次退回补充侦查"
            "（刑事诉讼法第一百七十五条；改变管辖前后退回补充侦查的次数合并计算，"
            "《人民检察院刑事诉讼规则》第三百五十条）。"
        )


def current_period(facts: CaseFacts, calendar: WorkCalendar, today: date | None = None) -> Period | None:
    """The statutory period running for the case now, or None (not yet received, concluded).

    `today` only matters for a suspension still open: it counts up to that day.
    """
    if facts.stage in NO_PERIOD_STAGES:
        return None
    held = _held_by(facts.custody)
    steps: list[Step] = []
    if facts.case_type == _ARREST_CASE:
        due = _arrest_review(facts.received_date, facts.detained_at_receipt, facts.is_major_complex, steps)
        due = _roll_forward(due, held, calendar, steps)
        return Period(ARREST_REVIEW, facts.received_date, due, tuple(steps))

    start = facts.received_date
    steps.append(_receipt(start))
    extended = False
    suspensions: list[tuple[date, date, bool]] = []
    returns = 0
    for link_kind, _seq, link_start, link_end in facts.links:
        if link_kind == _RETURN:
            returns += 1
            if returns > MAX_RETURNS:
                steps.append(Step(f"第{returns}次退回补充侦查超过二次的限制", "CPL 175; Rule 350"))
            if link_end is None:
                # The case is with the investigators: their month runs (CPL 175).
                steps.append(Step(f"{link_start} 退回补充侦查，审查起诉期限停止计算", "CPL 175"))
                due = _supplementary(link_start, returns, steps)
                due = _roll_forward(due, held, calendar, steps)
                return Period(SUPPLEMENTARY, link_start, due, tuple(steps))
            start, extended, suspensions = link_end, False, []
            steps.append(
                Step(
                    f"{link_start} 第{returns}次退回补充侦查，{link_end} 补充侦查完毕重新移送，审查起诉期限重新计算",
                    "CPL 175; Rule 346",
                )
            )
        elif link_kind == _JURISDICTION:
            # The receipt at the new procuratorate is the link's end; until it is recorded, the
            # decision date stands in for it.
            start, extended, suspensions = link_end or link_start, False, []
            steps.append(Step(f"{start} 改变管辖后的人民检察院收到案件，审查起诉期限重新计算", "CPL 172; Rule 351"))
        elif link_kind == _EXTENSION:
            extended = True
        elif link_kind == _SUSPENSION:
            if link_end is None:
                suspensions.append((link_start, max(link_start, today or timezone.localdate()), True))
            else:
                suspensions.append((link_start, link_end, False))

    # 速裁 has no extension (CPL 172 gives it 10 or 15 days); an extension link only lengthens
    # the ordinary one-month review.
    if facts.procedure == _FAST_PROCEDURE:
        kind = FAST
        due = _fast(start, facts.likely_sentence in OVER_ONE_YEAR, steps)
    else:
        kind = PROSECUTION_REVIEW
        due = _prosecution_review(start, steps)
        if extended:
            due, line = _extension(due)
            steps.append(line)
    due = _suspend(due, suspensions, steps)
    due = _roll_forward(due, held, calendar, steps)
    return Period(kind, start, due, tuple(steps))


def build_facts(
    *,
    case_type: str,
    procedure: str,
    stage: str,
    received_date: date,
    is_major_complex: bool,
    likely_sentence: str,
    links: tuple[tuple[str, int, date, date | None], ...],
    custody: tuple[tuple[date, date | None], ...],
) -> CaseFacts:
    """CaseFacts from a case's columns, its links (sorted by start) and its custody intervals;
    being held on the day of receipt counts as detained for 审查逮捕 (CPL 91 para 3)."""
    return CaseFacts(
        case_type=case_type,
        procedure=procedure,
        stage=stage,
        received_date=received_date,
        is_major_complex=is_major_complex,
        likely_sentence=likely_sentence,
        links=links,
        custody=custody,
        detained_at_receipt=_held_by(custody)(received_date),
    )


def case_facts(case: Case) -> CaseFacts:
    """The facts of one case, read from the database (two queries)."""
    links = tuple(
        ProceduralLink.objects.filter(case_id=case.pk)
        .order_by("start_date", "id")
        .values_list("kind", "seq", "start_date", "end_date")
    )
    custody = tuple(
        CoerciveMeasure.objects.filter(suspect__case_id=case.pk, kind__in=CUSTODIAL_MEASURES)
        .order_by("start_date", "id")
        .values_list("start_date", "end_date")
    )
    return build_facts(
        case_type=case.case_type,
        procedure=case.procedure,
        stage=case.stage,
        received_date=case.received_date,
        is_major_complex=case.is_major_complex,
        likely_sentence=case.likely_sentence,
        links=links,
        custody=custody,
    )
