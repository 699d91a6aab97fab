"""The 系统管理员 keeps the intake requirements; they are configuration, not case data."""

import rules

from bihuan.orgs.rules import is_sysadmin

for action in ("view", "add", "change"):
    rules.add_perm(f"intake.{action}_requiredmaterial", is_sysadmin)
rules.add_perm("intake", is_sysadmin)
