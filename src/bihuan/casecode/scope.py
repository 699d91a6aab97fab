"""The case's scope columns copied onto its evaluations and its code (`models.ScopeCopy`), kept
in step with the case: each evaluation writes them (`actions.do_evaluate`), and the receivers
here move them when the case changes hands or is bulk loaded (connected in
`CasecodeConfig.ready`)."""

from collections.abc import Iterable

from django.db.models import OuterRef, Subquery

from bihuan.casecode.models import SCOPE_COPIES, CaseCode, Evaluation
from bihuan.cases.models import Case

COLUMNS = tuple(f"{name}_id" for name in SCOPE_COPIES)


def scope_of(case: Case) -> dict[str, int | None]:
    """The values of the copies for `case`, from the instance (as `bump_case` left it)."""
    return {column: getattr(case, column) for column in COLUMNS}


def copy_scope(case_ids: Iterable[int] | None = None, *, evaluation=Evaluation, code=CaseCode, case=Case) -> int:
    """Copy the case's columns onto the evaluations and codes of `case_ids` (all when None),
    set-based: one UPDATE per table, each column read from the case by its key. The models may
    be given (the data migration passes its historical ones). Returns the rows updated."""
    updated = 0
    for model in (evaluation, code):
        rows = model.objects.all()
        if case_ids is not None:
            rows = rows.filter(case_id__in=list(case_ids))
        values = {
            column: Subquery(case.objects.filter(pk=OuterRef("case_id")).values(column)[:1]) for column in COLUMNS
        }
        updated += rows.update(**values)
    return updated


def on_scope_changed(sender, case: Case, **kwargs) -> None:
    """`case_scope_changed`: the case changed hands; its evaluations and code follow, so the
    statistics count it for its new procuratorate, department, team and prosecutor."""
    values = scope_of(case)
    Evaluation.objects.filter(case_id=case.pk).update(**values)
    CaseCode.objects.filter(case_id=case.pk).update(**values)


def on_cases_loaded(sender, case_ids: list[int], **kwargs) -> None:
    """`cases_loaded`: a bulk load created or changed these cases, in the same transaction."""
    copy_scope(case_ids)
