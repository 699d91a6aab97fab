"""Role permissions of the triage configuration: the 系统管理员 edits the standard (rules) in the
admin; it is configuration, not case data."""

import rules

from bihuan.orgs.rules import is_sysadmin

# Rules are retired by switching them off, never deleted: past decisions name them.
for action in ("view", "add", "change"):
    rules.add_perm(f"triage.{action}_triagerule", is_sysadmin)
rules.add_perm("triage", is_sysadmin)
