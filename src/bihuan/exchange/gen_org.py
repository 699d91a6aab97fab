"""The demo procuratorates as `bihuan gencases` uses them: people to assign, agencies, courts,
detention centres, and the city's share of the cases."""

from collections.abc import Sequence

from bihuan.exchange import gen_data as data
from bihuan.orgs.demo import DemoOrg


def city_floor(charges: Sequence[data.ChargeProfile], share: float) -> float:
    """The floor b with sum(weight × max(city, b)) / sum(weight) = share, by bisection."""
    total = sum(c.weight for c in charges)
    low, high = 0.0, 1.0
    for _ in range(40):
        mid = (low + high) / 2
        if sum(c.weight * max(c.city, mid) for c in charges) / total < share:
            low = mid
        else:
            high = mid
    return low


class Org:
    """What the generator needs of one demo procuratorate."""

    def __init__(self, demo: DemoOrg) -> None:
        self.code, self.name, self.short = demo.code, demo.name, demo.short_name
        self.agencies = tuple(a for a in demo.agencies if a != data.SUPERVISION_AGENCY)
        by_role: dict[str, list] = {}
        for person in demo.people:
            for role in person.roles:
                by_role.setdefault(role, []).append(person)
        fast_teams = {t.name for d in demo.departments for t in d.teams if t.fast_track}
        prosecutors = by_role["prosecutor"]
        self.fast = [p for p in prosecutors if p.team in fast_teams] or prosecutors
        self.ordinary = [p for p in prosecutors if p.team not in fast_teams] or prosecutors
        self.chief = by_role["chief"][0].full_name
        self.head = by_role["dept_head"][0].full_name
        self.assistants = {p.team: p.full_name for p in by_role.get("assistant", ())}
        self.centre = data.DETENTION_CENTRES[demo.code]
        self.scenes = data.SCENES[demo.code]
        self.home = data.HOME_REGIONS[demo.code]
        self.court = data.COURTS[demo.code]
