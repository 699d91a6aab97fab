"""The 系统管理员 keeps the 案-件比 extra-link list (domain-rules §7.3) and the dashboards' targets
and contribution weights; they are configuration, not case data. Who reads the figures is decided
by scope (access.py), not by a permission."""

import rules

from bihuan.orgs.rules import is_sysadmin

for action in ("view", "add", "change", "delete"):
    for model in ("extralink", "target", "contributionweight"):
        rules.add_perm(f"indicators.{action}_{model}", is_sysadmin)
rules.add_perm("indicators", is_sysadmin)
