"""Permissions of the deadlines app: the 系统管理员 maintains the working-day overrides (no delete:
the admin audits saves only, so a wrong override is corrected by editing it)."""

import rules

from bihuan.orgs.rules import is_sysadmin

for action in ("view", "add", "change"):
    rules.add_perm(f"deadlines.{action}_holidayoverride", is_sysadmin)
rules.add_perm("deadlines", is_sysadmin)
