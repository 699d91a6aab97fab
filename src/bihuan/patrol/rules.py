"""Role permissions of the patrol's configuration: the 系统管理员 keeps the rules (and reads the
runs) in the admin; they are configuration, not case data."""

import rules

from bihuan.orgs.rules import is_sysadmin

for action in ("view", "add", "change"):
    rules.add_perm(f"patrol.{action}_rule", is_sysadmin)
rules.add_perm("patrol.view_run", is_sysadmin)
rules.add_perm("patrol", is_sysadmin)
