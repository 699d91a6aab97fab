"""Signals the case core sends; feature apps subscribe without the core importing them."""

from django.dispatch import Signal

# Sent (sender=Case, case=<Case>) inside the transaction of every write that changes what a
# statutory period depends on: receipt, procedure, 重大复杂, likely sentence, custody,
# procedural links (退补, 重新移送, 延长, 改变管辖, suspensions) and the stage. The deadlines
# app recomputes the case's due date on it.
case_timeline_changed = Signal()

# Sent (sender=Case, case=<Case>) inside the transaction of every write that changes who holds
# the case — its procuratorate, department, team or prosecutor (assignment, reassignment, 改变管辖)
# — or its source agency. The deadlines app and the case code keep their copies of them in step.
case_scope_changed = Signal()

# Sent (sender=Case, case=<Case>, actor=<User>) when the case-management office accepts a case
# (受理); triage and assignment follow on it.
case_accepted = Signal()

# Sent (sender=Case, case_ids=[...]) inside the transaction of a bulk write of many cases — a bulk
# load (loadcases) of new or changed cases, a triage run over many; the deadlines app recomputes
# their due dates, the indicators their facts, the patrol re-checks them, all set-based.
cases_loaded = Signal()

# Sent (sender=Case, case_id=<int>) inside the transaction of every write to a case or what hangs
# on it — the card through `bump_case`, its documents and their extracted fields. The patrol
# re-checks the case on it, in the background once the write commits.
case_changed = Signal()
