"""巡查成效: the seed's figures of the patrol over a period and a scope (seed 004: 监控案件 2200 件,
发出提示 800 余条, 书面通知 130 份, 纠正案卡错误 1700 余项), each with its 口径 and the list behind it.

- 监控案件 (cases watched): the cases in scope received on or before the last day of the period
  and not closed before its first day — every case open at some time in the period, which the
  patrol checks on each change and each nightly run;
- 发出提示 (prompts sent): the 轻微 findings opened in the period (Rule 665: 口头提示);
- 书面通知 (written notices): the 案件流程监控通知书 issued in the period;
- 纠正问题 (corrections made): the findings closed in the period as rectified — verified by the
  case-management office after the department's reply, or found gone by a later patrol;
- 误报 (false alarms): the findings closed in the period as false alarms.

All counts are set-based, over the rows the viewer may read (`access.patrol_view_q`).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from bihuan.cases.models import Case
from bihuan.indicators.excel import Sheet
from bihuan.indicators.periods import Period
from bihuan.orgs.models import Department, Organisation, User
from bihuan.patrol.access import patrol_view_q, visible_findings, visible_notices
from bihuan.patrol.models import CloseReason, Finding, FindingStatus, Notice, Severity

# Findings closed as rectified (纠正).
CORRECTED = (CloseReason.VERIFIED, CloseReason.RESOLVED)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def on_days(field: str, start: date | None, end: date | None) -> Q:
    """Rows whose datetime `field` falls on local days `start` to `end` (both included; either
    may be open)."""
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": _midnight(start)})
    if end is not None:
        q &= Q(**{f"{field}__lt": _midnight(end + timedelta(days=1))})
    return q


@dataclass(frozen=True)
class Scope:
    """Which units the figures cover, inside what the viewer may read; None means all of it."""

    org: Organisation | None = None  # with the procuratorates below it
    department: Department | None = None

    def q(self, prefix: str = "") -> Q:
        q = Q()
        if self.org is not None:
            q &= Q(**{f"{prefix}org__path__startswith": self.org.path})
        if self.department is not None:
            q &= Q(**{f"{prefix}department": self.department})
        return q

    @property
    def label(self) -> str:
        parts = [f"{self.org.name}（含下级院）" if self.org else "全部可查看的单位"]
        if self.department is not None:
            parts.append(str(self.department))
        return " · ".join(parts)


def watched_cases(user: User, scope: Scope, period: Period) -> QuerySet[Case]:
    """监控案件: the cases in scope open at some time in the period."""
    open_in_period = Q(received_date__lte=period.end) & (Q(closed_date__isnull=True) | Q(closed_date__gte=period.start))
    return Case.objects.filter(patrol_view_q(user), scope.q(), open_in_period)


def prompts_sent(user: User, scope: Scope, period: Period) -> QuerySet[Finding]:
    return visible_findings(user).filter(
        scope.q(), on_days("opened_at", period.start, period.end), severity=Severity.MINOR
    )


def notices_issued(user: User, scope: Scope, period: Period) -> QuerySet[Notice]:
    return visible_notices(user).filter(scope.q(), on_days("issued_at", period.start, period.end))


def closed_q(reasons, start: date | None, end: date | None) -> Q:
    """Findings closed for one of `reasons` on local days `start` to `end` (shared with report 7,
    `bihuan.indicators.reports`)."""
    return on_days("closed_at", start, end) & Q(status=FindingStatus.CLOSED, close_reason__in=reasons)


def closed_as(user: User, scope: Scope, period: Period, reasons) -> QuerySet[Finding]:
    return visible_findings(user).filter(scope.q(), closed_q(reasons, period.start, period.end))


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int
    basis: str  # 口径


def figures(user: User, scope: Scope, period: Period) -> list[Figure]:
    """The five figures of the period and scope, one COUNT each."""
    return [
        Figure(
            "watched",
            "监控案件",
            watched_cases(user, scope, period).count(),
            "期间内任一日处于在办状态的案件（受理日期不晚于期末，且未审结或审结日期不早于期初）；巡查在案件每次变更及每晚全面巡查时逐案比对",
        ),
        Figure(
            "prompts",
            "发出提示",
            prompts_sent(user, scope, period).count(),
            "期间内新发现的轻微问题（口头提示），每个问题计一条",
        ),
        Figure(
            "notices",
            "书面通知",
            notices_issued(user, scope, period).count(),
            "期间内发出的《案件流程监控通知书》份数（含同时报告检察长的）",
        ),
        Figure(
            "corrections",
            "纠正问题",
            closed_as(user, scope, period, CORRECTED).count(),
            "期间内销号的问题中，经核查整改到位或经再次巡查问题已消除的项数",
        ),
        Figure(
            "false_alarms",
            "误报",
            closed_as(user, scope, period, [CloseReason.FALSE_ALARM]).count(),
            "期间内经案件管理部门认定为误报而销号的项数",
        ),
    ]


def sheet(figures_: list[Figure], scope: Scope, period: Period) -> Sheet:
    return Sheet(
        "巡查成效",
        header=[["项目", "数量", "统计口径"]],
        rows=[[f.label, f.value, f.basis] for f in figures_],
        caption=f"电子巡逻车巡查成效 · {scope.label} · {period.label}",
        widths=(12, 10, 60),
    )
