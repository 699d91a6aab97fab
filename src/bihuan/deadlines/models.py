"""Administrator overrides of the official working-day calendar (节假日调整), and the running
period of each case."""

from datetime import date

from django.db import models
from django.db.models import F, Q, QuerySet

from bihuan.cases.choices import DueKind
from bihuan.cases.models import Case
from bihuan.orgs.models import Department, Organisation, Team, User

RUNNING = Q(due_date__isnull=False)


class HolidayOverride(models.Model):
    """One day whose working status the 系统管理员 sets by hand, over the State Council
    arrangement shipped in `chinesecalendar` (domain-rules §7.1): a late-published or local
    arrangement, or a year the package does not cover yet."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("工作日", help_text="勾选为工作日（含调休上班日），不勾选为休息日（节假日）")
    note = models.CharField("说明", max_length=100, blank=True, help_text="例如：2027年春节放假、国庆节调休上班")

    class Meta:
        ordering = ["date"]
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日调整"

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {'工作日' if self.is_workday else '休息日'}"


class CaseDue(models.Model):
    """The statutory period running for a case (domain-rules §7.1–7.2): its due date and kind,
    NULL when none runs (e.g. after 审结). Derived data, kept by `recompute.py`.

    A table of its own rather than columns of the case: recomputing a million due dates then
    writes narrow rows with two indexes, not the wide case row with all of its indexes.
    `case_version` is the case's `row_version` the value was computed from; a bulk write never
    replaces a value computed from a later version (see `recompute._write`)."""

    # No database constraint: a million-row recompute would otherwise queue a million deferred
    # key checks. Deleting a case deletes its row (Django's cascade); the writes check that the
    # case exists (`recompute._write`).
    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, primary_key=True, db_constraint=False, related_name="due"
    )
    due_date = models.DateField("期限届满日", null=True, blank=True)
    due_kind = models.CharField("期限种类", max_length=20, choices=DueKind.choices, default=DueKind.NONE, blank=True)
    case_version = models.PositiveIntegerField(default=0)
    # Copies of the case's scope columns, same names (bihuan.orgs.scope reads them with the prefix
    # `due__`), so that a person's running cases are read by due date from one index. The case
    # protects the rows they name; no constraint of their own.
    org = models.ForeignKey(Organisation, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    department = models.ForeignKey(
        Department, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    team = models.ForeignKey(Team, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    prosecutor = models.ForeignKey(User, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")

    class Meta:
        # The home page and the 期限 page order running periods by due date (keyset on due date,
        # case) within the viewer's scope.
        indexes = [
            models.Index(fields=[*scope, "due_date", "case"], name=f"casedue_{name}", condition=RUNNING)
            for name, scope in (
                ("order", []),
                ("org", ["org"]),
                ("department", ["department"]),
                ("team", ["team"]),
                ("prosecutor", ["prosecutor"]),
            )
        ]
        verbose_name = "办案期限"
        verbose_name_plural = "办案期限"

    def __str__(self) -> str:
        return f"{self.get_due_kind_display()} {self.due_date or '—'}"


def with_due(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The cases of `cases` with a running period, each annotated with its `due_date` and
    `due_kind` (names the urgency filters of `alerts.py` use)."""
    return cases.filter(due__due_date__isnull=False).annotate(due_date=F("due__due_date"), due_kind=F("due__due_kind"))


def running_due(case: Case) -> date | None:
    """The due date of the period running for `case` now, as last computed; None when none runs."""
    return CaseDue.objects.filter(case=case).values_list("due_date", flat=True).first()
