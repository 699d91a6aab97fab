"""Role permissions (`rules`): who may open which part of the system."""

import rules

from bihuan.orgs.choices import RoleCode


def has_role(*codes: str) -> rules.Predicate:
    @rules.predicate(name=f"has_role({','.join(codes)})")
    def predicate(user) -> bool:
        return user.is_authenticated and user.has_role(*codes)

    return predicate


is_sysadmin = has_role(RoleCode.SYSADMIN)
is_secadmin = has_role(RoleCode.SECADMIN)
is_auditadmin = has_role(RoleCode.AUDITADMIN)

# 系统管理员: organisations, departments, teams, agencies, people and configuration data.
for model in ("organisation", "department", "team", "agency", "user"):
    for action in ("view", "add", "change"):
        rules.add_perm(f"orgs.{action}_{model}", is_sysadmin)
rules.add_perm("orgs", is_sysadmin)
# 安全管理员: roles of people.
rules.add_perm("orgs.manage_roles", is_secadmin)
# 审计管理员: the audit log and nothing else.
rules.add_perm("events.view_event", is_auditadmin)
