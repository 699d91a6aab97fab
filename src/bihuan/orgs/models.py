"""Procuratorates, departments, teams, police agencies, people and their roles."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property

from bihuan.orgs.choices import AgencyKind, DepartmentKind, OrgLevel, RoleCode


class Organisation(models.Model):
    """A procuratorate (人民检察院) in the province → city → county tree."""

    code = models.CharField("单位编码", max_length=6, unique=True)
    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("院简称", max_length=10)
    level = models.CharField("层级", max_length=10, choices=OrgLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级院", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path of unit codes ("370000/371000/371002/"): the subtree is a prefix match.
    path = models.CharField(max_length=80, db_index=True, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = "检察院"
        verbose_name_plural = "检察院"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.path = (self.parent.path if self.parent else "") + f"{self.code}/"
        super().save(*args, **kwargs)


class Department(models.Model):
    """A department of a procuratorate (第一检察部, 案件管理部 …)."""

    org = models.ForeignKey(Organisation, verbose_name="检察院", on_delete=models.PROTECT, related_name="departments")
    name = models.CharField("名称", max_length=50)
    short_name = models.CharField("简称", max_length=10, blank=True)
    kind = models.CharField("类别", max_length=20, choices=DepartmentKind.choices, default=DepartmentKind.CRIMINAL)

    class Meta:
        ordering = ["org__path", "id"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="department_unique_name")]
        verbose_name = "部门"
        verbose_name_plural = "部门"

    def __str__(self) -> str:
        return f"{self.org.short_name}·{self.name}"


class Team(models.Model):
    """A handling team in a department; 快审团队 take the simple cases."""

    department = models.ForeignKey(Department, verbose_name="部门", on_delete=models.PROTECT, related_name="teams")
    name = models.CharField("名称", max_length=50)
    is_fast_track = models.BooleanField("快审团队", default=False)

    class Meta:
        ordering = ["department_id", "id"]
        verbose_name = "办案团队"
        verbose_name_plural = "办案团队"

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """An investigating agency that transfers cases (公安局, 监察委员会 …)."""

    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类别", max_length=20, choices=AgencyKind.choices, default=AgencyKind.POLICE)
    org = models.ForeignKey(
        Organisation,
        verbose_name="对应检察院",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "侦查（调查）机关"
        verbose_name_plural = "侦查（调查）机关"

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """A role of the product brief; rows are fixed by a data migration."""

    code = models.CharField(max_length=20, primary_key=True, choices=RoleCode.choices)
    name = models.CharField(max_length=30)

    class Meta:
        ordering = ["code"]
        verbose_name = "角色"
        verbose_name_plural = "角色"

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in: a procuratorate member, an administrator or an investigator."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    org = models.ForeignKey(
        Organisation, verbose_name="检察院", null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    department = models.ForeignKey(
        Department, verbose_name="部门", null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    team = models.ForeignKey(
        Team, verbose_name="办案团队", null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    agency = models.ForeignKey(
        Agency, verbose_name="所属侦查机关", null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    roles = models.ManyToManyField(Role, verbose_name="角色", blank=True, related_name="users")
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        return frozenset(self.roles.values_list("code", flat=True))

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes.intersection(codes))

    def role_names(self) -> str:
        return "、".join(RoleCode(c).label for c in sorted(self.role_codes))
