"""Object permissions on cases, through the same scope as the lists."""

import rules

from bihuan.cases.access import can_edit_case
from bihuan.cases.models import Case
from bihuan.orgs.rules import is_sysadmin
from bihuan.orgs.scope import case_view_q, reads_cases


@rules.predicate
def can_view(user, case: Case | None) -> bool:
    if case is None:
        return False
    return Case.objects.filter(case_view_q(user), pk=case.pk).exists()


@rules.predicate
def can_edit(user, case: Case | None) -> bool:
    if case is None:
        return False
    return can_edit_case(user, case)


rules.add_perm("cases.view_case", can_view)
rules.add_perm("cases.change_case", can_edit)
rules.add_perm("cases.browse", rules.predicate(reads_cases))

# 系统管理员 maintains the charge catalogue and the tags, which are configuration, not case data.
for model in ("charge", "tag"):
    for action in ("view", "add", "change"):
        rules.add_perm(f"cases.{action}_{model}", is_sysadmin)
rules.add_perm("cases", is_sysadmin)
