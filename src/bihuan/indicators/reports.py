"""The eight standing reports (八张报表, seed 004 Fenghua) as our own set: for a scope and a month or
quarter, one row per unit below the scope (department, team, prosecutor or procuratorate) and a
total row, each number linked to the cases behind it.

A report is a list of columns of three kinds:

- `Tally`: a count of our own — rows of one source (cases, suspects, procedural links, coercive
  measures, running periods, case codes, evaluations) in the scope matching a condition. Every
  tally of a source is one conditional aggregate query grouped by the unit column, whatever the
  number of cases (`_tallies`);
- `Part`: an indicator's numerator, denominator or value from the engine (`engine.compute_by`);
- `Mean`: a tally's sum divided by another tally (days to green), or with `scale` 100 a count
  divided by another as a percentage (整改率).

The total row is the sum of the unit rows (each counted row belongs to exactly one unit), so a page
costs one query per source plus the engine's queries and one for the unit names.

Drill-down (`drill`): the cases of a column, within the scope and period, of one unit (or all):
for a tally the cases of its counted rows, for an indicator part `engine.drill_cases`, so that the
list is exactly what the number counts.

Report 7 (流程监控与整改) counts the patrol's findings and notices (`bihuan.patrol`, with the
conditions of `bihuan.patrol.stats`); findings on report figures have no case, so the drill-down
also lists the counted findings without a case (`uncased_findings`). Report 8 (案件码) counts from
`bihuan.casecode.stats`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from operator import or_
from urllib.parse import urlencode

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.urls import reverse

from bihuan.casecode import stats
from bihuan.casecode.models import CaseCode, Colour, Deduction, Evaluation
from bihuan.cases.choices import NON_PROSECUTION, CaseType, LinkKind, MeasureKind, Outcome
from bihuan.cases.models import Case, CoerciveMeasure, ProceduralLink, Suspect
from bihuan.deadlines.alerts import Urgency, lead_text, urgency_q
from bihuan.deadlines.models import RUNNING, CaseDue
from bihuan.indicators.access import Scope
from bihuan.indicators.definitions import BY_CODE, EMPTY, DaysBetween
from bihuan.indicators.engine import GROUPS, compute, compute_by, drill_cases
from bihuan.indicators.engine import Figure as EngineFigure
from bihuan.indicators.periods import Period
from bihuan.orgs.models import Department, Organisation, Team, User
from bihuan.patrol.models import CloseReason, Finding, Notice, Reply, Severity, Verification
from bihuan.patrol.stats import CORRECTED, closed_q, on_days

# The units a scope's rows are broken down by, first the default (engine.GROUPS names the columns).
BREAKDOWNS = {"org": "检察院", "department": "承办部门", "team": "办案团队", "prosecutor": "承办检察官"}
BY_SCOPE_KIND = {
    "tree": ("org", "department", "prosecutor"),
    "org": ("department", "team", "prosecutor"),
    "dept": ("team", "prosecutor"),
    "team": ("prosecutor",),
    "person": (),
}
UNASSIGNED = "（未分配）"
TOTAL = "合计"


@dataclass(frozen=True)
class On:
    """What a tally's condition may depend on: the period, today (running periods), the viewer."""

    period: Period
    today: date
    user: User

    @property
    def code_filters(self) -> stats.Filters:
        """The case-code statistics' filters for the period (the scope is applied on top)."""
        return stats.Filters(start=self.period.start, end=self.period.end)


# The unit a scope of one team or one person is limited by.
SCOPE_UNIT = {"team": "team", "person": "prosecutor"}


@dataclass(frozen=True)
class Source:
    """A source of tallies: the model, the path to its scope columns (the case's, or the row's own
    copies: prefix ""), the column giving the case's id, and the units the row does not carry,
    taken from its case instead (a notice names a procuratorate and a department only)."""

    model: type
    prefix: str
    case: str
    via_case: tuple[str, ...] = ()

    def _prefix(self, unit: str) -> str:
        return "case__" if unit in self.via_case else self.prefix

    def scope_q(self, scope: Scope) -> Q:
        return scope.case_q(self._prefix(SCOPE_UNIT.get(scope.kind, "")))

    def unit(self, by: str) -> str:
        """The column of the unit `by` a row is counted under."""
        return self._prefix(by) + GROUPS[by]


SOURCES = {
    "case": Source(Case, "", "pk"),
    "suspect": Source(Suspect, "case__", "case_id"),
    "link": Source(ProceduralLink, "case__", "case_id"),
    "measure": Source(CoerciveMeasure, "suspect__case__", "suspect__case_id"),
    # A running period carries copies of its case's scope columns (indexed with the due date).
    "due": Source(CaseDue, "", "case_id"),
    "code": Source(CaseCode, "case__", "case_id"),
    "evaluation": Source(Evaluation, "case__", "case_id"),
    # A finding carries its case's scope columns (or the reporting unit's, for a report figure).
    "finding": Source(Finding, "", "case_id"),
    # A notice: its own procuratorate and department; team and prosecutor are its case's, so a
    # notice on report figures (no case) counts under no team and no prosecutor.
    "notice": Source(Notice, "", "case_id", via_case=("team", "prosecutor")),
}


@dataclass(frozen=True)
class Tally:
    """A count of our own: rows of `source` in the scope matching `where(on)`; with `total`, the sum
    of that integer expression over them instead (shown only through a `Mean`)."""

    key: str
    label: str
    unit: str
    definition: str  # the 口径 in words, with the date basis
    source: str
    where: Callable[[On], Q]
    total: object = None
    shown: bool = True


@dataclass(frozen=True)
class Part:
    """An indicator's numerator, denominator or value (part "value"), from the engine."""

    code: str
    part: str  # "numerator", "denominator" or "value"
    key: str = ""

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", f"{self.code}.{self.part}")

    @property
    def indicator(self):
        return BY_CODE[self.code]

    @property
    def label(self) -> str:
        if self.part == "value":
            return self.indicator.name
        return getattr(self.indicator, self.part).label

    @property
    def unit(self) -> str:
        if self.part == "value":
            return self.indicator.value_unit
        return getattr(self.indicator, self.part).unit

    @property
    def definition(self) -> str:
        indicator = self.indicator
        if self.part == "value":
            return f"{indicator.formula}按{indicator.date_basis}归属统计期间。"
        part = getattr(indicator, self.part)
        side = "分子" if self.part == "numerator" else "分母"
        return f"{indicator.name}的{side}：{part.label}；按{indicator.date_basis}归属统计期间。"

    shown = True


@dataclass(frozen=True)
class Mean:
    """The tally `total` divided by the count tally `over` (times `scale`), one decimal: a mean in
    天, or with scale 100 a percentage; links to the tally `link` (by default `over`)."""

    key: str
    label: str
    definition: str
    total: str
    over: str
    unit: str = "天"
    scale: int = 1
    link: str = ""

    shown = True

    @property
    def opens(self) -> str:
        return self.link or self.over


Column = Tally | Part | Mean


@dataclass(frozen=True)
class Report:
    slug: str
    number: int
    title: str
    summary: str
    columns: tuple[Column, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def url_name(self) -> str:
        """The page's URL name, without the namespace (indicators/urls.py: one path per report)."""
        return f"report_{self.slug}"

    def get_absolute_url(self) -> str:
        return reverse(f"indicators:{self.url_name}")

    @property
    def shown_columns(self) -> list[Column]:
        return [column for column in self.columns if column.shown]

    @property
    def codes(self) -> list[str]:
        """The indicators the report's columns take from the engine."""
        return list(dict.fromkeys(column.code for column in self.columns if isinstance(column, Part)))

    def column(self, key: str) -> Column | None:
        return next((column for column in self.columns if column.key == key), None)


#
# The conditions of the tallies (domain-rules §2.3, §7.3; CPL articles cited where they define)
#

PROSECUTION = Q(case_type=CaseType.PROSECUTION_REVIEW)
ARREST = Q(case_type=CaseType.ARREST_REVIEW)


def _received(on: On) -> Q:
    return on.period.q("received_date")


def _closed(on: On) -> Q:
    return on.period.q("closed_date")


def _open_at_end(on: On) -> Q:
    """Received by the period's last day and not concluded by then."""
    end = on.period.end
    return Q(received_date__lte=end) & (Q(closed_date__isnull=True) | Q(closed_date__gt=end))


def _return_of_closed(on: On) -> Q:
    """退回补充侦查 links of the 审查起诉 cases concluded in the period (CPL 175(2))."""
    return Q(kind=LinkKind.SUPPLEMENTARY_INVESTIGATION, case__case_type=CaseType.PROSECUTION_REVIEW) & on.period.q(
        "case__closed_date"
    )


def _measure(*kinds: str) -> Callable[[On], Q]:
    return lambda on: Q(kind__in=kinds) & on.period.q("start_date")


def _non_prosecution(outcome: str) -> Callable[[On], Q]:
    return lambda on: Q(case__case_type=CaseType.PROSECUTION_REVIEW, outcome=outcome) & on.period.q("case__closed_date")


def _evaluated(on: On) -> Q:
    """Codes of the cases evaluated at least once in the period (`stats.evaluated_codes`)."""
    return Q(pk__in=stats.evaluated_codes(on.user, on.code_filters).values("pk"))


def _coloured(colour: str) -> Callable[[On], Q]:
    return lambda on: _evaluated(on) & Q(colour=colour)


def _changed(on: On) -> Q:
    """Evaluations of the period whose colour differs from the case's previous evaluation (转码)."""
    before = Evaluation.objects.filter(case_id=OuterRef("case_id"), seq=OuterRef("seq") - 1).exclude(
        colour=OuterRef("colour")
    )
    return Q(pk__in=stats.period_evaluations(on.user, on.code_filters).values("pk")) & Q(Exists(before))


def _overdue_code(on: On) -> Q:
    return Q(pk__in=stats.overdue_codes(on.user, on.code_filters, on.today).values("pk"))


def _opened(on: On) -> Q:
    """Findings opened (发现) on a day of the period."""
    return on_days("opened_at", on.period.start, on.period.end)


def _found(severity: str) -> Callable[[On], Q]:
    return lambda on: _opened(on) & Q(severity=severity)


def _closed_as(*reasons: str) -> Callable[[On], Q]:
    return lambda on: closed_q(reasons, on.period.start, on.period.end)


def _open_finding_at_end(on: On) -> Q:
    """Findings opened by the period's last day and not closed by then (a closed finding is never
    reopened: only a replied prompt is, before it closes)."""
    after = on.period.end + timedelta(days=1)
    return on_days("opened_at", None, on.period.end) & (Q(closed_at__isnull=True) | on_days("closed_at", after, None))


def _rectified_by_end(on: On) -> Q:
    """Findings opened in the period and closed as rectified by the period's last day (整改率)."""
    return _opened(on) & closed_q(CORRECTED, None, on.period.end)


def _unanswered(on: On) -> Q:
    """Notices whose reply was due on a day of the period and that were answered late or, the due
    date past, not at all (Rule 665: 10 日以内书面回复; the light turns red): no reply in time that
    still stands — a reply the office did not accept (核查未通过) sets a new due date, and only a
    reply after it answers that."""
    overruled = Verification.objects.filter(
        notice_id=OuterRef("notice_id"), closed=False, verified_at__gt=OuterRef("replied_at")
    )
    in_time = Reply.objects.filter(notice=OuterRef("pk"), late=False).exclude(Exists(overruled))
    return on.period.q("reply_due") & Q(reply_due__lt=on.today) & ~Exists(in_time)


def _today_note(text: str) -> str:
    return f"{text}（截至今日，与所选期间无关）"


def _parts(code: str, *parts: str) -> tuple[Part, ...]:
    return tuple(Part(code, part) for part in parts)


ALL_PARTS = ("denominator", "numerator", "value")

REPORTS: tuple[Report, ...] = (
    Report(
        "intake",
        1,
        "受理与审结",
        "期间内受理、审结的案件，期末在办的案件，以及案-件比。",
        (
            Tally("received", "受理件数", "件", "受理日期在期间内的审查逮捕、审查起诉案件数。", "case", _received),
            Tally("closed", "审结件数", "件", "审结日期在期间内的案件数。", "case", _closed),
            Tally(
                "closed_arrest",
                "其中审查逮捕",
                "件",
                "审结件数中的审查逮捕案件。",
                "case",
                lambda on: _closed(on) & ARREST,
            ),
            Tally(
                "closed_prosecution",
                "其中审查起诉",
                "件",
                "审结件数中的审查起诉案件。",
                "case",
                lambda on: _closed(on) & PROSECUTION,
            ),
            Tally(
                "open_at_end",
                "期末在办件数",
                "件",
                "受理日期不晚于期末、期末尚未审结的案件数。",
                "case",
                _open_at_end,
            ),
            *_parts("case_ratio", "numerator", "denominator", "value"),
        ),
    ),
    Report(
        "deadlines",
        2,
        "办案期限与超期",
        "审查起诉平均办案天数（繁简分列），以及目前运行中的办案期限和超期情况。",
        (
            Part("review_days", "denominator"),
            Part("review_days", "value"),
            Part("review_days_simple", "value"),
            Part("review_days_complex", "value"),
            Tally(
                "running",
                "期限运行中件数",
                "件",
                _today_note("办案期限正在计算（未审结、未中止）的案件数"),
                "due",
                lambda on: RUNNING,
            ),
            Tally(
                "due_soon",
                "即将到期件数",
                "件",
                _today_note(f"期限即将届满的案件数（{lead_text()}）"),
                "due",
                lambda on: urgency_q(Urgency.SOON, on.today),
            ),
            Tally(
                "due_today",
                "今日到期件数",
                "件",
                _today_note("期限于今日届满的案件数"),
                "due",
                lambda on: urgency_q(Urgency.TODAY, on.today),
            ),
            Tally(
                "overdue",
                "已超期件数",
                "件",
                _today_note("期限届满日早于今日而仍在办理的案件数"),
                "due",
                lambda on: urgency_q(Urgency.OVERDUE, on.today),
            ),
        ),
        notes=("办案期限按刑事诉讼法第九十一条、第一百七十二条等计算，见“期限”页面；平均办案天数扣除退补在外天数。",),
    ),
    Report(
        "returns",
        3,
        "退补与延长",
        "审查起诉审结案件的退回补充侦查（一退、二退）和延长审查起诉期限。",
        (
            Part("supplementary_investigation_rate", "denominator"),
            Part("supplementary_investigation_rate", "numerator"),
            Tally(
                "first_returns",
                "其中一退",
                "次",
                "退补次数中的第一次退回补充侦查（刑事诉讼法第一百七十五条第二款）；按所在案件的审结日期归属。",
                "link",
                lambda on: _return_of_closed(on) & Q(seq=1),
            ),
            Tally(
                "second_returns",
                "其中二退",
                "次",
                "退补次数中的第二次退回补充侦查；按所在案件的审结日期归属。",
                "link",
                lambda on: _return_of_closed(on) & Q(seq=2),
            ),
            Part("supplementary_investigation_rate", "value"),
            Part("extension_rate", "numerator"),
            Part("extension_rate", "value"),
            Tally(
                "out_now",
                "退补在外件数",
                "件",
                _today_note("已退回补充侦查、尚未重新移送的未审结案件数"),
                "link",
                lambda on: Q(
                    kind=LinkKind.SUPPLEMENTARY_INVESTIGATION, end_date__isnull=True, case__closed_date__isnull=True
                ),
            ),
        ),
    ),
    Report(
        "plea",
        4,
        "认罪认罚与量刑建议",
        "认罪认罚从宽制度适用率、确定刑量刑建议占比和量刑建议采纳率。",
        (
            *_parts("plea_rate", *ALL_PARTS),
            *_parts("fixed_recommendation_share", *ALL_PARTS),
            *_parts("recommendation_adoption_rate", *ALL_PARTS),
        ),
    ),
    Report(
        "measures",
        5,
        "强制措施与诉前羁押",
        "期间内决定（起始）的逮捕、取保候审、监视居住，以及诉前羁押率。",
        (
            Tally(
                "arrests",
                "逮捕",
                "人次",
                "起始日期在期间内的逮捕措施（人次）。",
                "measure",
                _measure(MeasureKind.ARREST),
            ),
            Tally(
                "bail",
                "取保候审",
                "人次",
                "起始日期在期间内的取保候审措施（人次）。",
                "measure",
                _measure(MeasureKind.BAIL),
            ),
            Tally(
                "residence",
                "监视居住",
                "人次",
                "起始日期在期间内的监视居住措施（人次），含指定居所监视居住。",
                "measure",
                _measure(MeasureKind.RESIDENCE, MeasureKind.DESIGNATED_RESIDENCE),
            ),
            *_parts("pretrial_detention_rate", *ALL_PARTS),
        ),
        notes=("强制措施按所涉犯罪嫌疑人所在案件归属承办单位、部门、团队和检察官。",),
    ),
    Report(
        "declined",
        6,
        "不捕不诉",
        "不批准逮捕、不起诉的人数和比率，不起诉按种类分列。",
        (
            *_parts("no_arrest_rate", *ALL_PARTS),
            *_parts("non_prosecution_rate", "denominator", "numerator"),
            *(
                Tally(
                    f"np_{outcome.value[3:]}",
                    Outcome(outcome).label,
                    "人",
                    f"不起诉人数中的{Outcome(outcome).label}；按审查起诉审结日期归属。",
                    "suspect",
                    _non_prosecution(outcome),
                )
                for outcome in NON_PROSECUTION
            ),
            Part("non_prosecution_rate", "value"),
        ),
    ),
    Report(
        "patrol",
        7,
        "流程监控与整改",
        "电子巡逻车（流程监控）发现的问题、发出的流程监控通知书及回复，和问题的整改销号（domain-rules §7.5）。",
        (
            Tally(
                "found",
                "发现问题",
                "件次",
                "发现时间在期间内的巡查问题，每个问题计一件次（同一对象同一规则未销号前只计一次）。",
                "finding",
                _opened,
            ),
            Tally(
                "found_minor",
                "其中轻微（口头提示）",
                "件次",
                "发现问题中情节轻微、以口头提示处理的（《人民检察院刑事诉讼规则》第六百六十五条）。",
                "finding",
                _found(Severity.MINOR),
            ),
            Tally(
                "found_serious",
                "其中较重",
                "件次",
                "发现问题中情节较重、应发送《案件流程监控通知书》的。",
                "finding",
                _found(Severity.SERIOUS),
            ),
            Tally(
                "found_grave",
                "其中严重",
                "件次",
                "发现问题中情节严重、发送通知书并同时报告检察长的。",
                "finding",
                _found(Severity.GRAVE),
            ),
            Tally(
                "notices",
                "流程监控通知书",
                "份",
                "发出时间在期间内的《案件流程监控通知书》份数（含同时报告检察长的）。",
                "notice",
                lambda on: on_days("issued_at", on.period.start, on.period.end),
            ),
            Tally(
                "notices_chief",
                "其中报告检察长",
                "份",
                "流程监控通知书中同时报告检察长的。",
                "notice",
                lambda on: on_days("issued_at", on.period.start, on.period.end) & Q(reported_to_chief=True),
            ),
            Tally(
                "unanswered",
                "逾期未回复（红灯）",
                "份",
                "回复期限在期间内、且在期限内没有书面回复的通知书：逾期回复的，和期限已过（早于今日）仍未回复的；"
                "核查未通过的，按重新确定的回复期限和其后的回复计。",
                "notice",
                _unanswered,
            ),
            Tally(
                "rectified",
                "已整改销号",
                "件次",
                "销号时间在期间内、经核查整改到位或经再次巡查问题已消除而销号的问题（不论何时发现）。",
                "finding",
                _closed_as(*CORRECTED),
            ),
            Tally(
                "false_alarms",
                "误报",
                "件次",
                "销号时间在期间内、经案件管理部门认定为误报而销号的问题。",
                "finding",
                _closed_as(CloseReason.FALSE_ALARM),
            ),
            Tally(
                "open_at_end",
                "期末未整改",
                "件次",
                "发现时间不晚于期末、期末尚未销号的问题（含期间以前发现的）。",
                "finding",
                _open_finding_at_end,
            ),
            Tally(
                "rectified_by_end",
                "期间发现且期末前已整改",
                "件次",
                "发现时间在期间内、且在期末以前经核查整改到位或问题已消除而销号的问题。",
                "finding",
                _rectified_by_end,
                shown=False,
            ),
            Mean(
                "rectification_rate",
                "整改率",
                "期间内发现的问题中，至期末已整改销号（核查整改到位或问题已消除）的比例：期间发现且期末前已整改的"
                "件次 ÷ 发现问题件次 × 100%；误报、规则停用而销号的和期末仍未整改的都不计入分子。期间内销号而"
                "期间以前发现的问题计入“已整改销号”，不计入本比例。",
                total="rectified_by_end",
                over="found",
                unit="%",
                scale=100,
                link="rectified_by_end",
            ),
        ),
        notes=(
            "问题按其所在案件（业务报表问题按报表单位）的检察院、部门、团队和承办检察官归属，取问题记录上的单位。",
            "通知书按其检察院和办案部门归属；按团队、检察官分列时取通知书所涉案件的团队和承办检察官，"
            "针对业务报表数据的通知书没有案件，归入“未分配”，也不计入某一团队或检察官的报表。",
            "时间按本地日期归属统计期间。业务报表问题没有案件，点击数字时单独列出这些问题。",
        ),
    ),
    Report(
        "casecode",
        8,
        "案件码",
        "期间内评分案件的当前颜色、转码、转为绿码及其用时、逾期未重新评估（domain-rules §7.4）。",
        (
            Tally(
                "evaluated",
                "评分件数",
                "件",
                "期间内评分至少一次的案件数，按评分时间归属。",
                "code",
                _evaluated,
            ),
            *(
                Tally(
                    f"code_{colour.value}",
                    f"当前{colour.label}",
                    "件",
                    f"评分件数中当前为{colour.label}的案件数。",
                    "code",
                    _coloured(colour),
                )
                for colour in (Colour.RED, Colour.YELLOW, Colour.GREEN)
            ),
            Tally(
                "changes",
                "转码次数",
                "次",
                "期间内的评分中，颜色与该案上一次评分不同的次数。",
                "evaluation",
                _changed,
            ),
            Tally(
                "turned_green",
                "转为绿码件数",
                "件",
                "期间内由红码或黄码转为绿码的案件数。",
                "code",
                lambda on: stats.turned_green_q(on.code_filters),
            ),
            Tally(
                "green_days",
                "转绿码天数合计",
                "天",
                "转为绿码的案件自首次红黄码至转为绿码的天数之和。",
                "code",
                lambda on: stats.turned_green_q(on.code_filters),
                total=DaysBetween(F("turned_green_on"), F("first_non_green_on")),
                shown=False,
            ),
            Mean(
                "days_to_green",
                "平均转绿天数",
                "转为绿码的案件自首次红黄码之日至转为绿码之日的平均天数。",
                total="green_days",
                over="turned_green",
            ),
            Tally(
                "code_overdue",
                "逾期未重新评估",
                "件",
                _today_note("未审结案件中应重新评估日期已过而未重新评估的数量（红码每 7 日、黄码每 15 日）"),
                "code",
                _overdue_code,
            ),
        ),
    ),
)
BY_SLUG = {report.slug: report for report in REPORTS}


#
# Computing a report
#


@dataclass(frozen=True)
class Cell:
    text: str
    value: object  # the number for the workbook (int, Decimal or None)
    url: str = ""


@dataclass(frozen=True)
class Line:
    label: str
    cells: list[Cell]
    group: str = ""  # the unit's id, "none" (unassigned), or "" for the total row


@dataclass
class Table:
    report: Report
    scope: Scope
    period: Period
    by: str | None
    lines: list[Line]
    total: Line
    items: list[dict] = field(default_factory=list)  # report 8: frequent deduction items

    @property
    def by_label(self) -> str:
        return BREAKDOWNS[self.by] if self.by else ""

    @property
    def caption(self) -> str:
        parts = [f"报表{self.report.number} {self.report.title}", self.scope.label, self.period.label]
        if self.by:
            parts.append(f"按{self.by_label}")
        return " · ".join(parts)


def breakdowns(scope: Scope) -> tuple[str, ...]:
    return BY_SCOPE_KIND[scope.kind]


def _tallies(tallies: Iterable[Tally], scope: Scope, on: On, by: str | None) -> dict[int | None, dict[str, int]]:
    """Every tally, per unit of `by` (or under None): one conditional aggregate per source."""
    per_source: dict[str, list[Tally]] = {}
    for tally in tallies:
        per_source.setdefault(tally.source, []).append(tally)
    results: dict[int | None, dict[str, int]] = {}
    for source, members in per_source.items():
        origin = SOURCES[source]
        wheres = {tally.key: tally.where(on) for tally in members}
        aggregates = {
            tally.key: Sum(tally.total, filter=wheres[tally.key])
            if tally.total is not None
            else Count("pk", filter=wheres[tally.key])
            for tally in members
        }
        rows = origin.model.objects.filter(origin.scope_q(scope)).filter(reduce(or_, wheres.values()))
        if by is None:
            grouped = [{"group": None, **rows.aggregate(**aggregates)}]
        else:
            grouped = rows.order_by().values(group=F(origin.unit(by))).annotate(**aggregates)
        for row in grouped:
            slot = results.setdefault(row["group"], {})
            slot.update({tally.key: int(row[tally.key] or 0) for tally in members})
    return results


def _labels(by: str, ids: Iterable[int]) -> dict[int, str]:
    ids = [pk for pk in ids if pk is not None]
    if by == "org":
        return dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
    if by == "department":
        rows = Department.objects.filter(pk__in=ids).values_list("pk", "org__short_name", "name")
    elif by == "team":
        rows = Team.objects.filter(pk__in=ids).values_list("pk", "department__org__short_name", "name")
    else:
        rows = User.objects.filter(pk__in=ids).values_list("pk", "org__short_name", "full_name")
    return {pk: f"{org}·{name}" for pk, org, name in rows}


def _mean(total: int, over: int, scale: int = 1) -> Decimal | None:
    if not over:
        return None
    return (Decimal(total * scale) / Decimal(over)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def drill_query(table: Table, column: Column, group: str) -> str:
    """The query string of the drill-down of one cell."""
    params = {
        "report": table.report.slug,
        "column": column.opens if isinstance(column, Mean) else column.key,
        "scope": table.scope.token,
        **period_params(table.period),
    }
    if group:
        params.update(by=table.by, group=group)
    return urlencode(params)


def period_params(period: Period) -> dict[str, object]:
    """The picker's parameters naming the month ("m3") or quarter ("q1") of the year."""
    if period.months == 3:
        return {"year": period.start.year, "period": f"q{(period.start.month + 2) // 3}"}
    return {"year": period.start.year, "period": f"m{period.start.month}"}


def _cells(table: Table, counts: dict[str, int], figures: dict[str, EngineFigure], group: str) -> list[Cell]:
    url = reverse("indicators:report_cases")
    cells = []
    for column in table.report.shown_columns:
        link = f"{url}?{drill_query(table, column, group)}"
        if isinstance(column, Tally):
            n = counts.get(column.key, 0)
            cells.append(Cell(str(n), n, link))
        elif isinstance(column, Mean):
            value = _mean(counts.get(column.total, 0), counts.get(column.over, 0), column.scale)
            text = EMPTY if value is None else f"{value}%" if column.unit == "%" else f"{value} {column.unit}"
            cells.append(Cell(text, value, link))
        else:
            figure = figures[column.code]
            if column.part == "value":
                cells.append(Cell(figure.display, figure.value, link))
            else:
                n = getattr(figure, column.part)
                cells.append(Cell(str(n), n, link))
    return cells


def _figures(report: Report, scope: Scope, period: Period, by: str | None) -> dict[int | None, dict[str, EngineFigure]]:
    """The engine's figures of the report's indicators, per unit of `by` (or under None)."""
    indicators = [BY_CODE[code] for code in report.codes]
    if not indicators:
        return {}
    if by is None:
        return {None: compute(scope, [period], indicators)[0]}
    return {group: per[0] for group, per in compute_by(scope, [period], by, indicators).items()}


def _group_key(group: int | None) -> str:
    return "none" if group is None else str(group)


def build(report: Report, scope: Scope, period: Period, by: str | None, *, user: User, today: date) -> Table:
    """The report for the scope and period, a row per unit of `by` (a breakdown of the scope, or
    None for the total alone) and the total row (the sum of the units)."""
    if by is not None and by not in breakdowns(scope):
        raise ValueError(f"unknown breakdown for {scope.kind}: {by}")
    table = Table(report, scope, period, by, [], Line(TOTAL, []))
    on = On(period, today, user)
    tallies = [column for column in report.columns if isinstance(column, Tally)]
    counts = _tallies(tallies, scope, on, by)
    figures = _figures(report, scope, period, by)
    if by is not None:
        zero = {code: EngineFigure(BY_CODE[code], period, 0, 0) for code in report.codes}
        labels = _labels(by, set(counts) | set(figures))
        lines = [
            Line(
                UNASSIGNED if group is None else labels.get(group, UNASSIGNED),
                _cells(table, counts.get(group, {}), {**zero, **figures.get(group, {})}, _group_key(group)),
                _group_key(group),
            )
            for group in set(counts) | set(figures)
        ]
        table.lines = sorted(lines, key=lambda line: (line.group == "none", line.label))
    total_counts = {tally.key: sum(per.get(tally.key, 0) for per in counts.values()) for tally in tallies}
    total_figures = {
        code: EngineFigure(
            BY_CODE[code],
            period,
            sum(per[code].numerator for per in figures.values()),
            sum(per[code].denominator for per in figures.values()),
        )
        for code in report.codes
    }
    table.total = Line(TOTAL, _cells(table, total_counts, total_figures, ""))
    if report.slug == "casecode":
        table.items = frequent_items(scope, on)
    return table


def _scoped_evaluations(scope: Scope, on: On) -> QuerySet[Evaluation]:
    return stats.period_evaluations(on.user, on.code_filters).filter(scope.case_q("case__"))


def frequent_items(scope: Scope, on: On, limit: int = stats.TOP_ITEMS) -> list[dict]:
    """Report 8: the deduction items most often deducted in the scope's evaluations of the period
    ({name, n, points, vetoes}), as `stats.top_items` counts them."""
    return list(
        Deduction.objects.filter(evaluation__in=_scoped_evaluations(scope, on))
        .values(name=F("item__name"))
        .annotate(n=Count("pk"), points=Sum("points"), vetoes=Count("pk", filter=Q(veto=True)))
        .order_by("-n", "-points", "name")[:limit]
    )


#
# The cases behind a number
#


def _known_unit(scope: Scope, by: str | None, group: str) -> bool:
    """Whether `by` and `group` (an id, or "none" for the unassigned) name a unit of the scope's
    breakdowns, or the whole scope (no `by`)."""
    return not by or (by in breakdowns(scope) and (group == "none" or group.isdigit()))


def _unit_filter(by: str | None, group: str, column: str) -> Q:
    """The rows of one unit by their `column`; Q() for the whole scope."""
    if not by:
        return Q()
    if group == "none":
        return Q(**{f"{column}__isnull": True})
    return Q(**{column: int(group)})


def _unit_title(by: str | None, group: str, title: str) -> str:
    if not by:
        return title
    if group == "none":
        return f"{UNASSIGNED}{BREAKDOWNS[by]} · {title}"
    return f"{_labels(by, [int(group)]).get(int(group), '')} · {title}"


def _counted_rows(tally: Tally, scope: Scope, on: On, by: str | None, group: str) -> QuerySet:
    """The rows of a tally's source it counts, of one unit (by the row's own unit column, as the
    tally groups them) or the whole scope."""
    origin = SOURCES[tally.source]
    unit = _unit_filter(by, group, origin.unit(by) if by else "")
    return origin.model.objects.filter(origin.scope_q(scope), tally.where(on), unit)


def drill(
    report: Report,
    column_key: str,
    scope: Scope,
    period: Period,
    *,
    user: User,
    today: date,
    by: str | None = None,
    group: str = "",
    item: str = "",
) -> tuple[str, QuerySet[Case]] | None:
    """(title, cases) behind a column of the report for one unit (`by`, `group`: an id or "none")
    or the whole scope; for report 8, `column_key` "item" with `item` names a deduction item.
    None when the column or unit does not exist. Not yet limited to the viewer's cases."""
    on = On(period, today, user)
    if report.slug == "casecode" and column_key == "item" and item:
        deductions = Deduction.objects.filter(evaluation__in=_scoped_evaluations(scope, on), item__name=item)
        return f"“{item}”被扣分的案件", Case.objects.filter(pk__in=deductions.values("evaluation__case_id"))
    column = report.column(column_key)
    if column is None or isinstance(column, Mean) or not _known_unit(scope, by, group):
        return None
    title = _unit_title(by, group, f"{column.label}（{column.unit}）")
    if isinstance(column, Tally):
        rows = _counted_rows(column, scope, on, by, group)
        return title, Case.objects.filter(pk__in=rows.values(SOURCES[column.source].case))
    cases = drill_cases(column.code, "numerator" if column.part == "value" else column.part, scope, period)
    return title, cases.filter(_unit_filter(by, group, GROUPS[by] if by else ""))


def uncased_findings(
    report: Report,
    column_key: str,
    scope: Scope,
    period: Period,
    *,
    user: User,
    today: date,
    by: str | None = None,
    group: str = "",
) -> QuerySet[Finding]:
    """Report 7: the findings a column counts that have no case (findings on report figures, or
    the findings of a notice on them), listed beside the column's cases. Not yet limited to the
    viewer's findings; empty for the other columns."""
    column = report.column(column_key)
    if not isinstance(column, Tally) or column.source not in ("finding", "notice") or not _known_unit(scope, by, group):
        return Finding.objects.none()
    rows = _counted_rows(column, scope, On(period, today, user), by, group)
    if column.source == "notice":
        return Finding.objects.filter(notice__in=rows.filter(case__isnull=True))
    return rows.filter(case__isnull=True)
