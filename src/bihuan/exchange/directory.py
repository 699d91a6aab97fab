"""The names a load refers to (units, departments, teams, people, charges, agencies, tags),
resolved to row ids once per run instead of once per line."""

from collections.abc import Iterable
from dataclasses import dataclass

from bihuan.cases.models import Charge, Tag
from bihuan.orgs.models import Agency, Department, Organisation, Team, User


@dataclass(frozen=True)
class OrgRef:
    id: int
    name: str


@dataclass(frozen=True)
class PersonRef:
    id: int
    org_id: int | None


class Directory:
    """Units, departments, teams and charges are read whole (they are few); people, agencies
    and tags are looked up a batch at a time by `prime`, and remembered, found or not."""

    def __init__(self) -> None:
        self.orgs = {
            code: OrgRef(pk, name) for pk, code, name in Organisation.objects.values_list("pk", "code", "name")
        }
        self.departments = {
            (org_id, name): pk for pk, org_id, name in Department.objects.values_list("pk", "org_id", "name")
        }
        self.teams: dict[tuple[int, str], int] = {}
        # Team names are not unique within a department; the oldest team of a name is meant.
        for pk, department_id, name in Team.objects.order_by("pk").values_list("pk", "department_id", "name"):
            self.teams.setdefault((department_id, name), pk)
        self.charges = dict(Charge.objects.values_list("name", "pk"))
        self.people: dict[str, PersonRef | None] = {}
        self.agencies: dict[str, int | None] = {}
        self.tags: dict[str, int | None] = {}

    def prime(self, records: Iterable[dict]) -> None:
        """Look up the usernames, agencies and tags of a batch of records not seen before,
        one query each."""
        usernames, agencies, tags = set(), set(), set()
        for r in records:
            usernames.add(r.get("prosecutor"))
            agencies.add(r.get("source_agency"))
            tags.update(r.get("tags", ()))
        usernames = {u for u in usernames if u} - self.people.keys()
        agencies = {a for a in agencies if a} - self.agencies.keys()
        tags -= self.tags.keys()
        if usernames:
            found = User.objects.filter(username__in=usernames).values_list("username", "pk", "org_id")
            people = {username: PersonRef(pk, org_id) for username, pk, org_id in found}
            self.people.update({u: people.get(u) for u in usernames})
        if agencies:
            found_agencies = dict(Agency.objects.filter(name__in=agencies).values_list("name", "pk"))
            self.agencies.update({a: found_agencies.get(a) for a in agencies})
        if tags:
            found_tags = dict(Tag.objects.filter(name__in=tags).values_list("name", "pk"))
            self.tags.update({t: found_tags.get(t) for t in tags})
