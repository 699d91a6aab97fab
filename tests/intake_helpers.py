"""Building intake cases in tests, through the intake actions."""

from datetime import date

from bihuan.cases.models import Charge
from bihuan.intake.actions import do_register_case
from bihuan.intake.models import ElementKind, RequiredMaterial
from bihuan.lib import idnumber
from bihuan.orgs.models import Agency

BIRTH = date(1990, 5, 17)
ID_NUMBER = idnumber.make("371002", BIRTH, 11, "M")


def materials(case_type: str = "prosecution_review", *names: str) -> list[RequiredMaterial]:
    found = RequiredMaterial.objects.filter(case_type=case_type, kind=ElementKind.MATERIAL)
    return list(found.filter(name__in=names) if names else found)


def register(world, *, received=None, name="张某某危险驾驶案", plea=False, measure=True, **fields):
    """A county case registered by the county's case-management office, all card data present;
    `received` defaults to what such a case brings: 起诉意见书, 案卷材料, 证据材料 and the
    documents of its coercive measure."""
    org = world.county
    suspect = {"name": "张某某", "gender": "M", "id_number": ID_NUMBER, "birth_date": BIRTH, "plea": plea}
    if measure:
        suspect["measures"] = [{"kind": "bail", "start_date": date(2024, 2, 1), "place": "住所"}]
    if received is None:
        received = materials("prosecution_review", "起诉意见书", "案卷材料", "证据材料", "强制措施法律文书")
    return do_register_case(
        org=org,
        actor=world.people["cm"],
        case_type=fields.pop("case_type", "prosecution_review"),
        name=name,
        received_date=fields.pop("received_date", date(2024, 3, 5)),
        suspects=[suspect],
        received=received,
        source_agency=Agency.objects.filter(org=org).first(),
        charge=Charge.objects.get(name="危险驾驶罪"),
        **fields,
    )
