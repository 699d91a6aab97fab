"""The catalogue of monthly report items (业务报表项目): what each statistic counts and how the
case cards give the same number.

Every item names its basis — which rows of the case card are counted (cases 件, suspects 人 or
procedural links 次) and which date puts a row into a month (domain-rules §7.3: the 受理日期 for
received figures, the 审结日期 for concluded figures, the start date of the link for 退补 and
延长) — and a filter on those rows. `figures.py` turns them into a few aggregate queries.
"""

from dataclasses import dataclass
from datetime import date
from enum import Enum

from django.db.models import Exists, OuterRef, Q

from bihuan.cases.choices import NON_PROSECUTION, CaseType, LinkKind, Outcome, RecommendationKind
from bihuan.cases.models import ProceduralLink


class Basis(Enum):
    """What an item counts, and which date places it in a month."""

    CASE_RECEIVED = ("case", "受理日期")
    CASE_CLOSED = ("case", "审结日期")
    SUSPECT_CLOSED = ("suspect", "所在案件的审结日期")
    LINK_STARTED = ("link", "程序环节起始（决定）日期")
    SUSPECT_WITHDRAWN = ("suspect", "撤回起诉环节起始日期")

    def __init__(self, counted: str, date_label: str) -> None:
        self.counted = counted
        self.date_label = date_label

    def period_q(self, first: date, after: date) -> Q:
        """Rows of the month [first, after)."""
        if self is Basis.CASE_RECEIVED:
            return Q(received_date__gte=first, received_date__lt=after)
        if self is Basis.CASE_CLOSED:
            return Q(closed_date__gte=first, closed_date__lt=after)
        if self is Basis.SUSPECT_CLOSED:
            return Q(case__closed_date__gte=first, case__closed_date__lt=after)
        if self is Basis.LINK_STARTED:
            return Q(start_date__gte=first, start_date__lt=after)
        # A withdrawal link names the defendant it concerns; one naming nobody concerns every
        # defendant of the case whose outcome is 撤回起诉. The month's links (index link_kind_date)
        # narrow the suspects to their cases first.
        links = ProceduralLink.objects.filter(kind=LinkKind.WITHDRAWAL, start_date__gte=first, start_date__lt=after)
        named = links.filter(case_id=OuterRef("case_id"), suspect_id=OuterRef("pk"))
        unnamed = links.filter(case_id=OuterRef("case_id"), suspect__isnull=True)
        return Q(case_id__in=links.values("case_id")) & (
            Q(Exists(named)) | Q(Exists(unnamed), outcome=Outcome.WITHDRAWN)
        )


@dataclass(frozen=True)
class ReportItem:
    code: str
    name: str
    unit: str  # 件, 人 or 次
    basis: Basis
    where: Q  # on the counted rows (Case, Suspect or ProceduralLink)
    definition: str

    @property
    def label(self) -> str:
        """The name as a report prints it: 起诉（人）."""
        return f"{self.name}（{self.unit}）"


ARREST = CaseType.ARREST_REVIEW
PROSECUTION = CaseType.PROSECUTION_REVIEW
IN_ARREST_CASE = Q(case__case_type=ARREST)
IN_PROSECUTION_CASE = Q(case__case_type=PROSECUTION)

ITEMS: tuple[ReportItem, ...] = (
    ReportItem(
        "SLDB",
        "受理审查逮捕案件",
        "件",
        Basis.CASE_RECEIVED,
        Q(case_type=ARREST),
        "受理日期在本月的审查逮捕案件数（每个部门受案号计一件）。",
    ),
    ReportItem(
        "SLQS",
        "受理审查起诉案件",
        "件",
        Basis.CASE_RECEIVED,
        Q(case_type=PROSECUTION),
        "受理日期在本月的审查起诉案件数；退回补充侦查后重新移送的不另计。",
    ),
    ReportItem(
        "SJDB",
        "审查逮捕审结案件",
        "件",
        Basis.CASE_CLOSED,
        Q(case_type=ARREST),
        "审结日期在本月的审查逮捕案件数。",
    ),
    ReportItem(
        "SJDBR",
        "审查逮捕审结",
        "人",
        Basis.SUSPECT_CLOSED,
        IN_ARREST_CASE,
        "审结日期在本月的审查逮捕案件的犯罪嫌疑人人数。",
    ),
    ReportItem(
        "PZDB",
        "批准逮捕",
        "人",
        Basis.SUSPECT_CLOSED,
        IN_ARREST_CASE & Q(outcome=Outcome.ARREST_APPROVED),
        "审结日期在本月的审查逮捕案件中，处理结果为批准逮捕的人数（刑事诉讼法第八十一条）。",
    ),
    ReportItem(
        "BPZDB",
        "不批准逮捕",
        "人",
        Basis.SUSPECT_CLOSED,
        IN_ARREST_CASE & Q(outcome=Outcome.ARREST_REFUSED),
        "审结日期在本月的审查逮捕案件中，处理结果为不批准逮捕的人数（刑事诉讼法第九十条）。",
    ),
    ReportItem(
        "SJQS",
        "审结审查起诉案件",
        "件",
        Basis.CASE_CLOSED,
        Q(case_type=PROSECUTION),
        "审结日期在本月的审查起诉案件数。",
    ),
    ReportItem(
        "SJQSR",
        "审查起诉审结",
        "人",
        Basis.SUSPECT_CLOSED,
        IN_PROSECUTION_CASE,
        "审结日期在本月的审查起诉案件的犯罪嫌疑人人数（认罪认罚从宽制度适用率的分母）。",
    ),
    ReportItem(
        "QS",
        "起诉",
        "人",
        Basis.SUSPECT_CLOSED,
        IN_PROSECUTION_CASE & Q(outcome=Outcome.PROSECUTE),
        "审结日期在本月的审查起诉案件中，决定提起公诉的人数（刑事诉讼法第一百七十六条）。",
    ),
    ReportItem(
        "BQS",
        "不起诉",
        "人",
        Basis.SUSPECT_CLOSED,
        IN_PROSECUTION_CASE & Q(outcome__in=NON_PROSECUTION),
        "审结日期在本月的审查起诉案件中，决定不起诉的人数，含法定、相对、存疑和附条件不起诉。",
    ),
    ReportItem(
        "BQSFD",
        "法定不起诉",
        "人",
        Basis.SUSPECT_CLOSED,
        IN_PROSECUTION_CASE & Q(outcome=Outcome.NP_STATUTORY),
        "其中依刑事诉讼法第一百七十七条第一款不起诉的人数。",
    ),
    ReportItem(
        "BQSXD",
        "相对不起诉",
        "人",
        Basis.SUSPECT_CLOSED,
        IN_PROSECUTION_CASE & Q(outcome=Outcome.NP_DISCRETIONARY),
        "其中依刑事诉讼法第一百七十七条第二款不起诉的人数。",
    ),
    ReportItem(
        "BQSCY",
        "存疑不起诉",
        "人",
        Basis.SUSPECT_CLOSED,
        IN_PROSECUTION_CASE & Q(outcome=Outcome.NP_EVIDENCE),
        "其中依刑事诉讼法第一百七十五条第四款不起诉的人数。",
    ),
    ReportItem(
        "BQSFTJ",
        "附条件不起诉",
        "人",
        Basis.SUSPECT_CLOSED,
        IN_PROSECUTION_CASE & Q(outcome=Outcome.NP_CONDITIONAL),
        "其中依刑事诉讼法第二百八十二条对未成年犯罪嫌疑人作出附条件不起诉决定的人数。",
    ),
    ReportItem(
        "TB",
        "退回补充侦查",
        "次",
        Basis.LINK_STARTED,
        Q(kind=LinkKind.SUPPLEMENTARY_INVESTIGATION),
        "退回补充侦查决定日期在本月的次数，一案每退回一次计一次（刑事诉讼法第一百七十五条第二款）。",
    ),
    ReportItem(
        "YC",
        "延长审查起诉期限",
        "次",
        Basis.LINK_STARTED,
        Q(kind=LinkKind.EXTENSION),
        "延长审查起诉期限起始日期在本月的次数，每延长一次计一次（刑事诉讼法第一百七十二条第一款）。",
    ),
    ReportItem(
        "RZRF",
        "认罪认罚适用",
        "人",
        Basis.SUSPECT_CLOSED,
        IN_PROSECUTION_CASE & Q(plea=True),
        "审结日期在本月的审查起诉案件中，适用认罪认罚从宽制度的人数（刑事诉讼法第十五条、第一百七十四条）。",
    ),
    ReportItem(
        "LXJY",
        "提出量刑建议",
        "人",
        Basis.SUSPECT_CLOSED,
        IN_PROSECUTION_CASE & Q(rec_kind__in=[RecommendationKind.FIXED, RecommendationKind.RANGE]),
        "审结日期在本月的审查起诉案件中，提出量刑建议的人数（刑事诉讼法第一百七十六条第二款）。",
    ),
    ReportItem(
        "QDXLX",
        "确定刑量刑建议",
        "人",
        Basis.SUSPECT_CLOSED,
        IN_PROSECUTION_CASE & Q(rec_kind=RecommendationKind.FIXED),
        "其中提出确定刑量刑建议的人数（规则第二百七十五条）。",
    ),
    ReportItem(
        "CHQS",
        "撤回起诉",
        "人",
        Basis.SUSPECT_WITHDRAWN,
        IN_PROSECUTION_CASE,
        "撤回起诉环节起始日期在本月的被告人人数；环节未指明被告人的，计该案处理结果为撤回起诉的被告人"
        "（规则第四百二十四条）。",
    ),
)

BY_CODE: dict[str, ReportItem] = {item.code: item for item in ITEMS}
# Import files may name an item by its code, its name, or its name with the unit.
BY_NAME: dict[str, ReportItem] = {
    **{item.name: item for item in ITEMS},
    **{item.label: item for item in ITEMS},
    **{f"{item.name}({item.unit})": item for item in ITEMS},
}
CHOICES = [(item.code, item.label) for item in ITEMS]


def find_item(text: str) -> ReportItem | None:
    """The item a report cell names, by code (any case) or by Chinese name."""
    text = text.strip()
    return BY_CODE.get(text.upper()) or BY_NAME.get(text)
