"""The authority list (权力清单) is configuration: the 系统管理员 edits it in the admin."""

import rules

from bihuan.orgs.rules import is_sysadmin

for model in ("decisiontype", "chainstep"):
    for action in ("view", "add", "change"):
        rules.add_perm(f"workflow.{action}_{model}", is_sysadmin)
# Steps are removed from a chain in the decision type's page.
rules.add_perm("workflow.delete_chainstep", is_sysadmin)
rules.add_perm("workflow", is_sysadmin)
