"""Triage and assignment follow the acceptance of a case (受理), in the intake's transaction."""

from django.dispatch import receiver

from bihuan.cases.models import Case
from bihuan.cases.signals import case_accepted
from bihuan.triage.actions import do_assign, do_triage


@receiver(case_accepted, sender=Case, dispatch_uid="triage_on_accept")
def triage_and_assign(sender, case: Case, actor=None, **kwargs) -> None:
    """Apply the standard in force, then assign automatically (Rule 273 para 2: a 速裁 case
    reaches the handling department the same day it is accepted)."""
    do_triage(case, actor)
    do_assign(case, actor)
