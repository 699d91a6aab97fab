"""Building cases with the facts the triage rules read."""

from datetime import date

from bihuan.cases.models import Case, Charge, CoerciveMeasure, Tag
from tests import factories as f


def make_triage_case(
    world,
    *,
    charge: str | None = "危险驾驶罪",
    suspects: int = 1,
    plea: bool = False,
    minor: bool = False,
    custody: bool = False,
    tags: tuple[str, ...] = (),
    department=None,
    **fields,
) -> Case:
    """An unassigned county case of the criminal department with the given facts."""
    case = f.make_case(
        world.county,
        department=department or world.county_dept,
        charge=Charge.objects.get(name=charge) if charge else None,
        **fields,
    )
    for n in range(suspects):
        suspect = f.make_suspect(case, f"嫌疑人{n + 1}", plea=plea, is_minor=minor)
        if custody:
            CoerciveMeasure.objects.create(suspect=suspect, kind="arrest", start_date=date(2024, 1, 1))
    for name in tags:
        case.tags.add(Tag.objects.get_or_create(name=name)[0])
    case.refresh_from_db()
    return case
