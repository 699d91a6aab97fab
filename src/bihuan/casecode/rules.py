"""Role permissions of the case-code configuration: the 系统管理员 keeps the score templates and
the offices that score every case in the admin; they are configuration, not case data."""

import rules

from bihuan.orgs.rules import is_sysadmin

# Templates are never deleted (past evaluations name them); a change is a new version.
for model in ("scoretemplate", "scoreitem", "officesetting"):
    for action in ("view", "add", "change"):
        rules.add_perm(f"casecode.{action}_{model}", is_sysadmin)
rules.add_perm("casecode.delete_scoreitem", is_sysadmin)
rules.add_perm("casecode.delete_officesetting", is_sysadmin)
rules.add_perm("casecode", is_sysadmin)
