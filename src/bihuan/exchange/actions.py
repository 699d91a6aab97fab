"""Writing a batch of loaded records: bulk inserts, one transaction, one event per case."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bihuan.cases.models import Case, CoerciveMeasure, ProceduralLink, Suspect, SuspectCharge, Tag
from bihuan.cases.numbering import advance_sequences
from bihuan.cases.signals import cases_loaded
from bihuan.documents.models import Document
from bihuan.events.actions import EventSpec, record_many
from bihuan.exchange.directory import Directory
from bihuan.exchange.records import (
    COLLECTIONS,
    FIELD_LABELS,
    case_values,
    document_values,
    link_values,
    measure_values,
    suspect_values,
)
from bihuan.lib.bulk import insert
from bihuan.orgs.choices import AgencyKind
from bihuan.orgs.models import Agency, User

CASE_LABEL = Case._meta.label_lower


@dataclass
class Change:
    """A loaded record that differs from the case stored under its 部门受案号."""

    case_id: int
    before: dict
    after: dict

    @property
    def keys(self) -> list[str]:
        return [k for k in self.after if self.after[k] != self.before[k]]


@dataclass
class Learned:
    """Agencies and tags a batch created: the caller adds them to its directory once committed."""

    agencies: dict[str, int] = field(default_factory=dict)
    tags: dict[str, int] = field(default_factory=dict)


def _create_names(new: list[dict], changed: list[Change], directory: Directory, actor: User | None) -> Learned:
    """Create the source agencies (公安机关 of the case's unit) and tags no row has yet."""
    learned = Learned()
    agency_units: dict[str, str] = {}
    tag_names: set[str] = set()
    for r in [*new, *(c.after for c in changed)]:
        if r["source_agency"] and directory.agencies[r["source_agency"]] is None:
            agency_units.setdefault(r["source_agency"], r["org_code"])
        tag_names.update(t for t in r["tags"] if directory.tags[t] is None)
    if not agency_units and not tag_names:
        return learned
    agencies = Agency.objects.bulk_create(
        [
            Agency(name=name, kind=AgencyKind.POLICE, org_id=directory.orgs[code].id)
            for name, code in agency_units.items()
        ]
    )
    tags = Tag.objects.bulk_create([Tag(name=name) for name in sorted(tag_names)])
    learned.agencies = {a.name: a.pk for a in agencies}
    learned.tags = {t.name: t.pk for t in tags}
    record_many(
        [
            EventSpec(
                "agency.create",
                Agency._meta.label_lower,
                a.pk,
                actor=actor,
                org_code=agency_units[a.name],
                summary=f"导入案件时新建侦查机关 {a.name}",
            )
            for a in agencies
        ]
        + [
            EventSpec("tag.create", Tag._meta.label_lower, t.pk, actor=actor, summary=f"导入案件时新建标签 {t.name}")
            for t in tags
        ]
    )
    return learned


def _case_row(r: dict, directory: Directory, learned: Learned) -> dict:
    org = directory.orgs[r["org_code"]]
    department_id = directory.departments[(org.id, r["department"])] if r["department"] else None
    agency = r["source_agency"]
    return {
        **case_values(r),
        "org_id": org.id,
        "department_id": department_id,
        "team_id": directory.teams[(department_id, r["team"])] if r["team"] else None,
        "prosecutor_id": directory.people[r["prosecutor"]].id if r["prosecutor"] else None,
        "source_agency_id": (directory.agencies[agency] or learned.agencies[agency]) if agency else None,
        "charge_id": directory.charges[r["charge"]] if r["charge"] else None,
    }


def _create_children(
    parts: list[tuple[int, dict, set[str]]], directory: Directory, learned: Learned, now: datetime
) -> None:
    """Insert the named collections (suspects, links, documents, tags) of each (case id, record)."""
    suspects, keys = [], []
    for case_id, r, names in parts:
        if "suspects" in names:
            for s in r["suspects"]:
                suspects.append({"case_id": case_id, **suspect_values(s)})
                keys.append((case_id, s["seq"]))
    suspect_ids = dict(zip(keys, insert(Suspect, suspects, ids=True), strict=True))
    # Links replaced on a case whose suspects stay point at the suspects already there.
    kept = [case_id for case_id, _, names in parts if "links" in names and "suspects" not in names]
    suspect_ids.update(
        ((case_id, seq), pk)
        for case_id, seq, pk in Suspect.objects.filter(case_id__in=kept).values_list("case_id", "seq", "pk")
    )
    charges, measures, links, documents, tags = [], [], [], [], []
    for case_id, r, names in parts:
        if "suspects" in names:
            for s in r["suspects"]:
                suspect_id = suspect_ids[(case_id, s["seq"])]
                charges += [
                    {"suspect_id": suspect_id, "charge_id": directory.charges[c["name"]], "is_main": c["main"]}
                    for c in s["charges"]
                ]
                measures += [{"suspect_id": suspect_id, **measure_values(m)} for m in s["measures"]]
        if "links" in names:
            links += [
                {
                    "case_id": case_id,
                    "suspect_id": suspect_ids[(case_id, x["suspect_seq"])] if x["suspect_seq"] else None,
                    **link_values(x),
                }
                for x in r["links"]
            ]
        if "documents" in names:
            documents += [{"case_id": case_id, **document_values(d), "created_at": now} for d in r["documents"]]
        if "tags" in names:
            tags += [{"case_id": case_id, "tag_id": directory.tags[t] or learned.tags[t]} for t in r["tags"]]
    insert(SuspectCharge, charges)
    insert(CoerciveMeasure, measures)
    insert(ProceduralLink, links)
    insert(Document, documents)
    insert(Case.tags.through, tags)


def _replace_children(changed: list[Change]) -> list[tuple[int, dict, set[str]]]:
    """Delete the collections that changed; return what to insert in their place. New suspects
    mean new links too, since a link may point at a suspect."""
    parts = []
    for c in changed:
        names = {k for k in c.keys if k in (*COLLECTIONS, "tags")}
        if "suspects" in names:
            names.add("links")
        if names:
            parts.append((c.case_id, c.after, names))

    def ids(name: str) -> list[int]:
        return [case_id for case_id, _, names in parts if name in names]

    ProceduralLink.objects.filter(case_id__in=ids("links")).delete()
    Suspect.objects.filter(case_id__in=ids("suspects")).delete()
    Document.objects.filter(case_id__in=ids("documents")).delete()
    Case.tags.through.objects.filter(case_id__in=ids("tags")).delete()
    return parts


# A created case's event names it as case.create does; the record itself is the case's content.
CREATE_FIELDS = ("name", "case_type", "received_date")


@transaction.atomic
def do_load_batch(
    new: list[dict], changed: list[Change], directory: Directory, *, actor: User | None = None
) -> Learned:
    """Write a batch of checked, canonical records (loadcases), all or nothing.

    1. Create the source agencies and tags that do not exist yet.
    2. Insert the new cases; update the card fields of the changed ones (row_version + 1).
    3. Replace the collections (suspects, links, documents, tags) that changed; insert all
       collections of the new cases.
    4. Append one event per case: "case.load.create" or "case.load.update" with the changed
       top-level fields before and after.
    5. Tell the feature apps which cases changed (cases_loaded), so due dates follow.
    6. Move the number sequences past the loaded 部门受案号 and 统一受案号.

    The directory must have been primed with the records; it is not changed here, so that a
    batch rolled back leaves no stale ids behind: the caller adds the returned `Learned`.
    """
    learned = _create_names(new, changed, directory, actor)
    now = timezone.now()
    case_ids = insert(
        Case,
        [{**_case_row(r, directory, learned), "row_version": 1, "created_at": now, "updated_at": now} for r in new],
        ids=True,
    )
    rows = [(c.case_id, _case_row(c.after, directory, learned)) for c in changed]
    if rows:
        Case.objects.bulk_update(
            [Case(pk=pk, **row, row_version=F("row_version") + 1, updated_at=now) for pk, row in rows],
            [*rows[0][1], "row_version", "updated_at"],
        )
    everything = {*COLLECTIONS, "tags"}
    _create_children(
        [(case_id, r, everything) for case_id, r in zip(case_ids, new, strict=True)] + _replace_children(changed),
        directory,
        learned,
        now,
    )
    events = [
        EventSpec(
            "case.load.create",
            CASE_LABEL,
            case_id,
            actor=actor,
            case_id=case_id,
            org_code=r["org_code"],
            summary=f"导入新增案件 {r['dept_case_no']}（犯罪嫌疑人 {len(r['suspects'])} 名）",
            changes={k: [None, r[k]] for k in CREATE_FIELDS},
        )
        for case_id, r in zip(case_ids, new, strict=True)
    ]
    events += [
        EventSpec(
            "case.load.update",
            CASE_LABEL,
            c.case_id,
            actor=actor,
            case_id=c.case_id,
            org_code=c.after["org_code"],
            summary=f"导入更新案件 {c.after['dept_case_no']}：{'、'.join(FIELD_LABELS[k] for k in c.keys)}",
            changes={k: [c.before[k], c.after[k]] for k in c.keys},
        )
        for c in changed
    ]
    record_many(events)
    cases_loaded.send(sender=Case, case_ids=[*case_ids, *(c.case_id for c in changed)])
    advance_sequences([(r["dept_case_no"], r["unified_case_no"]) for r in [*new, *(c.after for c in changed)]])
    return learned
