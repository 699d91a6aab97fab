"""The registry of indicators: domain-rules §7.3 (defaults), §2.2 (案-件比) and §2.3 (sources).

Each indicator is a numerator and a denominator (`Part`), each a signed sum of *measures*. A
measure is one set-based aggregate — a COUNT of rows, or a SUM over them — on one *basis*: the
rows it counts (suspects 人, cases 件, procedural links 次, matters 案) and the date that places a
row in a period. `facts.refresh_facts` evaluates every measure per case and date into the fact
table (`models.CaseFact`, one column per measure); the engine (`engine.py`) sums those columns over
the scope and periods in ONE aggregate query, and the drill-down lists the rows of the same
measure definitions here, so a figure and its list come from one formula.

Adding an indicator: add its measures to MEASURES (reuse existing ones) — a new measure is a new
column of the fact table: `bihuan makemigrations indicators`, then `bihuan indicators
--refresh-facts` — and an `Indicator` to INDICATORS. Pages, drill-down, the console command and the
docs table read the registry.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q
from django.db.models.functions import Coalesce

from bihuan.cases.choices import (
    NON_PROSECUTION,
    CaseType,
    LinkKind,
    MeasureKind,
    Outcome,
    RecommendationKind,
    Track,
    Verdict,
)
from bihuan.cases.models import CoerciveMeasure


class Basis(Enum):
    """What a measure counts, and which date puts a row into a period (domain-rules §7.3: "period
    = the 审结 date of the stage named, unless stated")."""

    SUSPECT_CLOSED = ("suspect", "case__", "case__closed_date", "所在案件的审结日期")
    SUSPECT_JUDGED = ("suspect", "case__", "judgment_date", "判决日期")
    CASE_CLOSED = ("case", "", "closed_date", "审结日期")
    LINK_OF_CLOSED = ("link", "case__", "case__closed_date", "所在案件的审结日期")
    # One row per matter (统一受案号): the matter's last case, once every case of it is concluded.
    MATTER_CONCLUDED = ("case", "", "closed_date", "该案最后一个检察环节的审结日期")

    def __init__(self, model: str, case_prefix: str, date_field: str, date_label: str) -> None:
        self.model = model  # "suspect", "case" or "link"
        self.case_prefix = case_prefix  # from the counted row to its Case
        self.date_field = date_field
        self.date_label = date_label


@dataclass(frozen=True)
class Measure:
    """One aggregate over the rows of a basis: COUNT(*) of the rows matching `where`, or, when
    `total` is set, SUM(total) over them (an integer: days, or extra links)."""

    basis: Basis
    where: Q
    total: object = None  # an integer expression to sum (or MATTER_LINKS); None counts rows


PROSECUTION = Q(case__case_type=CaseType.PROSECUTION_REVIEW)
ARREST = Q(case__case_type=CaseType.ARREST_REVIEW)
# 起诉人数 counts everyone prosecuted, including those whose prosecution was later withdrawn
# (the workflow turns their outcome from 起诉 into 撤回起诉, Rule 424).
PROSECUTED = (Outcome.PROSECUTE, Outcome.WITHDRAWN)
RECOMMENDED = (RecommendationKind.FIXED, RecommendationKind.RANGE)
# In arrest custody (逮捕) on the day the case was concluded (诉前羁押, domain-rules §2.3 S8).
ARRESTED_AT_CLOSE = Exists(
    CoerciveMeasure.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("case__closed_date")),
        suspect_id=OuterRef("pk"),
        kind=MeasureKind.ARREST,
        start_date__lte=OuterRef("case__closed_date"),
    )
)


class DaysBetween(Func):
    """Calendar days from the second date to the first, as an integer: native date subtraction
    on PostgreSQL (no interval arithmetic), julianday() on SQLite (no Python function per row)."""

    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="CAST(julianday(%(expressions)s) AS INTEGER)", arg_joiner=") - julianday("
        )


CASE_DAYS = DaysBetween(F("closed_date"), F("received_date"))
# Days out for 退回补充侦查: from the return to the re-transfer (still out: to the conclusion).
DAYS_OUT = DaysBetween(Coalesce("end_date", "case__closed_date"), F("start_date"))
# The links of all cases of the matter of the kinds configured for 案-件比 (domain-rules §2.2).
MATTER_LINKS = "matter_links"
IS_PROSECUTION_CASE = Q(case_type=CaseType.PROSECUTION_REVIEW)
RETURN = Q(kind=LinkKind.SUPPLEMENTARY_INVESTIGATION)

MEASURES: dict[str, Measure] = {
    # Suspects of the cases concluded in the period.
    "closed_persons": Measure(Basis.SUSPECT_CLOSED, PROSECUTION),
    "plea_persons": Measure(Basis.SUSPECT_CLOSED, PROSECUTION & Q(plea=True)),
    "prosecuted": Measure(Basis.SUSPECT_CLOSED, PROSECUTION & Q(outcome__in=PROSECUTED)),
    "not_prosecuted": Measure(Basis.SUSPECT_CLOSED, PROSECUTION & Q(outcome__in=NON_PROSECUTION)),
    "arrested_at_close": Measure(
        Basis.SUSPECT_CLOSED,
        PROSECUTION & Q(outcome__in=(*PROSECUTED, *NON_PROSECUTION)) & Q(ARRESTED_AT_CLOSE),
    ),
    "withdrawn": Measure(Basis.SUSPECT_CLOSED, PROSECUTION & Q(outcome=Outcome.WITHDRAWN)),
    "recommended": Measure(Basis.SUSPECT_CLOSED, PROSECUTION & Q(rec_kind__in=RECOMMENDED)),
    "recommended_fixed": Measure(Basis.SUSPECT_CLOSED, PROSECUTION & Q(rec_kind=RecommendationKind.FIXED)),
    "arrest_approved": Measure(Basis.SUSPECT_CLOSED, ARREST & Q(outcome=Outcome.ARREST_APPROVED)),
    "arrest_refused": Measure(Basis.SUSPECT_CLOSED, ARREST & Q(outcome=Outcome.ARREST_REFUSED)),
    # Suspects judged in the period.
    "judged": Measure(Basis.SUSPECT_JUDGED, PROSECUTION),
    "acquitted": Measure(Basis.SUSPECT_JUDGED, PROSECUTION & Q(verdict=Verdict.NOT_GUILTY)),
    "judged_recommended": Measure(Basis.SUSPECT_JUDGED, PROSECUTION & Q(rec_kind__in=RECOMMENDED)),
    "adopted": Measure(Basis.SUSPECT_JUDGED, PROSECUTION & Q(rec_kind__in=RECOMMENDED, rec_adopted=True)),
    # Cases concluded in the period.
    "closed_cases": Measure(Basis.CASE_CLOSED, Q()),
    "fast_track_cases": Measure(Basis.CASE_CLOSED, Q(team__is_fast_track=True)),
    "closed_prosecution": Measure(Basis.CASE_CLOSED, IS_PROSECUTION_CASE),
    "closed_simple": Measure(Basis.CASE_CLOSED, IS_PROSECUTION_CASE & Q(track=Track.SIMPLE)),
    "closed_complex": Measure(Basis.CASE_CLOSED, IS_PROSECUTION_CASE & Q(track=Track.COMPLEX)),
    "gross_days": Measure(Basis.CASE_CLOSED, IS_PROSECUTION_CASE, CASE_DAYS),
    "gross_days_simple": Measure(Basis.CASE_CLOSED, IS_PROSECUTION_CASE & Q(track=Track.SIMPLE), CASE_DAYS),
    "gross_days_complex": Measure(Basis.CASE_CLOSED, IS_PROSECUTION_CASE & Q(track=Track.COMPLEX), CASE_DAYS),
    # Procedural links of the 审查起诉 cases concluded in the period.
    "returns": Measure(Basis.LINK_OF_CLOSED, PROSECUTION & RETURN),
    "extensions": Measure(Basis.LINK_OF_CLOSED, PROSECUTION & Q(kind=LinkKind.EXTENSION)),
    "days_out": Measure(Basis.LINK_OF_CLOSED, PROSECUTION & RETURN, DAYS_OUT),
    "days_out_simple": Measure(Basis.LINK_OF_CLOSED, PROSECUTION & RETURN & Q(case__track=Track.SIMPLE), DAYS_OUT),
    "days_out_complex": Measure(Basis.LINK_OF_CLOSED, PROSECUTION & RETURN & Q(case__track=Track.COMPLEX), DAYS_OUT),
    # Matters whose last procuratorate stage concluded in the period, and their extra links: the
    # fact table keeps the matter's links per kind, the engine sums the kinds in force
    # (models.ExtraLink), so that editing the list needs no recomputation.
    "matters": Measure(Basis.MATTER_CONCLUDED, Q()),
    "extra_links": Measure(Basis.MATTER_CONCLUDED, Q(), MATTER_LINKS),
}
# The measures stored as one column each of the fact table (models.CaseFact).
FACT_MEASURES: tuple[str, ...] = tuple(name for name, measure in MEASURES.items() if measure.total is not MATTER_LINKS)


@dataclass(frozen=True)
class Part:
    """A numerator or denominator: a signed sum of measures. Its drill-down lists the rows of
    its first measure (the cases, or for 人 the persons, that make it up)."""

    label: str  # what is counted, in Chinese: 不起诉人数
    unit: str  # 人, 件, 次, 天 or 案
    terms: tuple[tuple[int, str], ...]  # (+1 or -1, measure name)

    @property
    def measures(self) -> list[Measure]:
        return [MEASURES[name] for _, name in self.terms]

    @property
    def drill_measure(self) -> Measure:
        return MEASURES[self.terms[0][1]]

    @property
    def lists_persons(self) -> bool:
        return self.drill_measure.basis.model == "suspect"


def part(label: str, unit: str, *names: str, minus: tuple[str, ...] = ()) -> Part:
    return Part(label, unit, tuple((1, name) for name in names) + tuple((-1, name) for name in minus))


class Kind(Enum):
    """How the value is formed and shown."""

    RATE = "rate"  # numerator ÷ denominator × 100, one decimal, "20.1%"
    RATIO = "ratio"  # numerator ÷ denominator, two decimals, "1 : 1.87" (案-件比)
    MEAN = "mean"  # numerator ÷ denominator, one decimal, "30.6 天"


EMPTY = "—"  # a zero denominator gives no value


@dataclass(frozen=True)
class Indicator:
    code: str  # ASCII, stable: URLs, the console's JSON and other apps use it
    name: str
    kind: Kind
    numerator: Part
    denominator: Part
    formula: str  # the 口径 in words, shown beside every figure
    date_basis: str  # which date places a row into the period
    source: str  # where the definition comes from

    def value(self, numerator: int, denominator: int) -> Decimal | None:
        """The rounded value (percent for a rate), or None for a zero denominator."""
        if not denominator:
            return None
        if self.kind is Kind.RATE:
            return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        places = Decimal("0.01") if self.kind is Kind.RATIO else Decimal("0.1")
        return (Decimal(numerator) / Decimal(denominator)).quantize(places, ROUND_HALF_UP)

    def display(self, value: Decimal | None) -> str:
        """The value as the pages and reports show it; "—" for none."""
        if value is None:
            return EMPTY
        if self.kind is Kind.RATE:
            return f"{value}%"
        if self.kind is Kind.RATIO:
            return f"1 : {value}"
        return f"{value} 天"

    @property
    def value_unit(self) -> str:
        return {Kind.RATE: "%", Kind.RATIO: "件/案", Kind.MEAN: "天"}[self.kind]


SOURCE_73 = "《检察机关案件质量主要评价指标》；本系统默认口径见 domain-rules §7.3"
CLOSED_PROSECUTION = "审查起诉案件的审结日期"
DAYS_FORMULA = (
    "审查起诉案件（受理日期至审结日期的自然日数 − 退回补充侦查在外天数）之和 ÷ 审结案件数；"
    "在外天数自退回之日至重新移送之日。"
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "case_ratio",
        "案-件比",
        Kind.RATIO,
        part("件数", "件", "matters", "extra_links"),
        part("案数", "案", "matters"),
        "以统一受案号计“案”：最后一个检察环节在统计期间内审结的案数；件数 = 案数 + 这些案的额外环节数"
        "（每次退回补充侦查、每次延长审查起诉期限及系统管理员配置的其他环节）。显示为 1 : 件数/案数。",
        "该案最后一个检察环节的审结日期",
        "最高人民检察院案管办关于“案-件比”的说明（domain-rules §2.2）；默认额外环节见 §7.3",
    ),
    Indicator(
        "non_prosecution_rate",
        "不起诉率",
        Kind.RATE,
        part("不起诉人数", "人", "not_prosecuted"),
        part("起诉人数 + 不起诉人数", "人", "prosecuted", "not_prosecuted"),
        "不起诉人数 ÷（起诉人数 + 不起诉人数）；不起诉含法定、相对、存疑和附条件不起诉，起诉含其后撤回起诉的。",
        CLOSED_PROSECUTION,
        "最高人民检察院主要办案数据（domain-rules §2.3 S7）；§7.3",
    ),
    Indicator(
        "no_arrest_rate",
        "不捕率",
        Kind.RATE,
        part("不批准逮捕人数", "人", "arrest_refused"),
        part("批准逮捕人数 + 不批准逮捕人数", "人", "arrest_approved", "arrest_refused"),
        "不批准逮捕人数 ÷（批准逮捕人数 + 不批准逮捕人数）。",
        "审查逮捕案件的审结日期",
        "最高人民检察院主要办案数据（domain-rules §2.3 S7）；§7.3",
    ),
    Indicator(
        "plea_rate",
        "认罪认罚从宽制度适用率",
        Kind.RATE,
        part("适用认罪认罚的审结人数", "人", "plea_persons"),
        part("审查起诉审结人数", "人", "closed_persons"),
        "适用认罪认罚从宽制度的审结人数 ÷ 同期审查起诉审结人数（刑事诉讼法第十五条）。",
        CLOSED_PROSECUTION,
        "最高人民检察院主要办案数据（domain-rules §2.3 S7）；§7.3",
    ),
    Indicator(
        "fixed_recommendation_share",
        "确定刑量刑建议占比",
        Kind.RATE,
        part("提出确定刑量刑建议人数", "人", "recommended_fixed"),
        part("提出量刑建议人数", "人", "recommended"),
        "提出确定刑量刑建议人数 ÷ 提出量刑建议人数（刑事诉讼法第一百七十六条第二款）。",
        CLOSED_PROSECUTION,
        "最高人民检察院主要办案数据（domain-rules §2.3 S7）；§7.3",
    ),
    Indicator(
        "recommendation_adoption_rate",
        "量刑建议采纳率",
        Kind.RATE,
        part("法院采纳人数", "人", "adopted"),
        part("已判决且提出量刑建议人数", "人", "judged_recommended"),
        "法院采纳量刑建议人数 ÷ 已判决且提出量刑建议人数（刑事诉讼法第二百零一条）。",
        "判决日期",
        "最高人民检察院主要办案数据（domain-rules §2.3 S7）；§7.3",
    ),
    Indicator(
        "pretrial_detention_rate",
        "诉前羁押率",
        Kind.RATE,
        part("审结时处于逮捕羁押状态的人数", "人", "arrested_at_close"),
        part("起诉人数 + 不起诉人数", "人", "prosecuted", "not_prosecuted"),
        "审结之日处于逮捕羁押状态的起诉、不起诉人数 ÷（起诉人数 + 不起诉人数）。",
        CLOSED_PROSECUTION,
        "孙长永对最高人民检察院口径的说明（domain-rules §2.3 S8）；§7.3",
    ),
    Indicator(
        "supplementary_investigation_rate",
        "退回补充侦查率",
        Kind.RATE,
        part("退回补充侦查次数", "次", "returns"),
        part("审查起诉审结案件数", "件", "closed_prosecution"),
        "审结案件的退回补充侦查次数（一退、二退各计一次）÷ 审查起诉审结案件数（刑事诉讼法第一百七十五条第二款）。",
        CLOSED_PROSECUTION,
        "domain-rules §2.3（口径待确认）；§7.3",
    ),
    Indicator(
        "extension_rate",
        "延长审查起诉期限率",
        Kind.RATE,
        part("延长审查起诉期限次数", "次", "extensions"),
        part("审查起诉审结案件数", "件", "closed_prosecution"),
        "审结案件的延长审查起诉期限次数 ÷ 审查起诉审结案件数（刑事诉讼法第一百七十二条第一款）。",
        CLOSED_PROSECUTION,
        "domain-rules §2.3（口径待确认）；§7.3",
    ),
    Indicator(
        "review_days",
        "审查起诉平均办案天数",
        Kind.MEAN,
        part("办案天数合计", "天", "gross_days", minus=("days_out",)),
        part("审查起诉审结案件数", "件", "closed_prosecution"),
        DAYS_FORMULA,
        CLOSED_PROSECUTION,
        "最高人民检察院“个案平均审查起诉时间”（domain-rules §2.1、§2.3）；§7.3",
    ),
    Indicator(
        "review_days_simple",
        "审查起诉平均办案天数（简案）",
        Kind.MEAN,
        part("简案办案天数合计", "天", "gross_days_simple", minus=("days_out_simple",)),
        part("简案审结案件数", "件", "closed_simple"),
        "同上，仅繁简分流为简案的案件。" + DAYS_FORMULA,
        CLOSED_PROSECUTION,
        "domain-rules §7.3",
    ),
    Indicator(
        "review_days_complex",
        "审查起诉平均办案天数（繁案）",
        Kind.MEAN,
        part("繁案办案天数合计", "天", "gross_days_complex", minus=("days_out_complex",)),
        part("繁案审结案件数", "件", "closed_complex"),
        "同上，仅繁简分流为繁案的案件。" + DAYS_FORMULA,
        CLOSED_PROSECUTION,
        "domain-rules §7.3",
    ),
    Indicator(
        "fast_track_share",
        "快审团队办案占比",
        Kind.RATE,
        part("快审团队审结案件数", "件", "fast_track_cases"),
        part("审结案件数", "件", "closed_cases"),
        "由快审团队办理的审结案件数 ÷ 全部审结案件数（审查逮捕和审查起诉）。",
        "案件的审结日期",
        "domain-rules §7.3",
    ),
    Indicator(
        "withdrawal_rate",
        "撤回起诉率",
        Kind.RATE,
        part("撤回起诉人数", "人", "withdrawn"),
        part("起诉人数", "人", "prosecuted"),
        "起诉后又撤回起诉的人数 ÷ 起诉人数（规则第四百二十四条）；按审查起诉审结日期归属期间，撤回在其后发生的也计入。",
        CLOSED_PROSECUTION,
        "domain-rules §2.3（口径待确认）；§7.3",
    ),
    Indicator(
        "acquittal_rate",
        "无罪判决率",
        Kind.RATE,
        part("判决无罪人数", "人", "acquitted"),
        part("判决人数", "人", "judged"),
        "判决无罪人数 ÷ 判决人数。",
        "判决日期",
        "domain-rules §2.3（口径待确认）；§7.3",
    ),
)

BY_CODE: dict[str, Indicator] = {indicator.code: indicator for indicator in INDICATORS}
PARTS = ("numerator", "denominator")
