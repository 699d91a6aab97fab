from django.db import models


class OrgLevel(models.TextChoices):
    PROVINCE = "province", "省级院"
    CITY = "city", "市级院"
    COUNTY = "county", "基层院"


class DepartmentKind(models.TextChoices):
    CRIMINAL = "criminal", "刑事检察部门"
    CASE_MANAGEMENT = "case_mgmt", "案件管理部门"
    OTHER = "other", "其他部门"


class AgencyKind(models.TextChoices):
    POLICE = "police", "公安机关"
    SUPERVISION = "supervision", "监察机关"
    STATE_SECURITY = "state_security", "国家安全机关"
    CUSTOMS = "customs", "海关缉私部门"
    OTHER = "other", "其他侦查机关"


class RoleCode(models.TextChoices):
    """The roles of the product brief. A person may hold several."""

    CASE_MANAGER = "case_manager", "案件管理人员"
    PROSECUTOR = "prosecutor", "承办检察官"
    ASSISTANT = "assistant", "检察官助理"
    CLERK = "clerk", "书记员"
    DEPT_HEAD = "dept_head", "部门主任"
    DEPUTY_CHIEF = "deputy_chief", "分管副检察长"
    CHIEF = "chief", "检察长"
    COMMITTEE = "committee", "检察委员会委员"
    INVESTIGATOR = "investigator", "侦查人员"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITADMIN = "auditadmin", "审计管理员"


# 三员分立: the three administrators never see case data.
ADMIN_ROLES = frozenset({RoleCode.SYSADMIN, RoleCode.SECADMIN, RoleCode.AUDITADMIN})
