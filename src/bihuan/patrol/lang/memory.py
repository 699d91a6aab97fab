"""The in-memory evaluator: a rule over the snapshot of one case (`load_case`), for the case that
just changed. It must agree with the SQL compiler (sql.py); the property test checks it.

A snapshot row is a dict keyed by the vocabulary's field names, read through the same ORM paths
the compiler uses; a row's collections are lists under `@<collection>`, ordered by id.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import F

from bihuan.cases.models import Case, CoerciveMeasure, ProceduralLink, Suspect, SuspectCharge
from bihuan.documents.models import Document, ExtractedField
from bihuan.patrol.lang import check as t
from bihuan.patrol.lang.schema import ENTITIES
from bihuan.patrol.lang.values import (
    JOIN,
    Compiled,
    Detail,
    id_birth,
    id_gender,
    id_invalid,
    shift,
    subject_text,
    written,
)
from bihuan.workflow.models import ApprovalRequest, PublicHearing


@dataclass
class CaseSnapshot:
    """One case with everything a rule may read. `org_id` is the case's unit (not a field of the
    language, but the scope of its findings)."""

    case: dict
    org_id: int


def _rows(entity: str, queryset, **extra) -> list[dict]:
    """The rows of a queryset as vocabulary dicts (annotation names carry a prefix so that they
    never clash with the model's own fields)."""
    fields = ENTITIES[entity].fields
    columns = {f"v_{name}": field.expression(F) for name, field in fields.items()}
    columns.update({f"x_{name}": expr for name, expr in extra.items()})
    return [{name[2:]: value for name, value in row.items()} for row in queryset.order_by("pk").values(**columns)]


def load_case(case_id: int) -> CaseSnapshot:
    """The snapshot of one case: ten small queries (case and its period, tags, suspects, their
    charges and measures, links, documents, extracted fields, approval requests, hearings)."""
    (case,) = _rows("case", Case.objects.filter(pk=case_id), org=F("org_id"))
    suspects = _rows("suspect", Suspect.objects.filter(case_id=case_id))
    charges = _rows("charge", SuspectCharge.objects.filter(suspect__case_id=case_id), suspect=F("suspect_id"))
    measures = _rows("measure", CoerciveMeasure.objects.filter(suspect__case_id=case_id), suspect=F("suspect_id"))
    for suspect in suspects:
        suspect["@charges"] = [row for row in charges if row["suspect"] == suspect["id"]]
        suspect["@measures"] = [row for row in measures if row["suspect"] == suspect["id"]]
    case["@suspects"] = suspects
    case["@tags"] = _rows("tag", Case.tags.through.objects.filter(case_id=case_id))
    case["@links"] = _rows("link", ProceduralLink.objects.filter(case_id=case_id))
    case["@documents"] = _rows("document", Document.objects.filter(case_id=case_id))
    case["@fields"] = _rows("field", ExtractedField.objects.filter(document__case_id=case_id))
    case["@requests"] = _rows("request", ApprovalRequest.objects.filter(case_id=case_id))
    case["@hearings"] = _rows("hearing", PublicHearing.objects.filter(case_id=case_id))
    return CaseSnapshot(case, case.pop("org"))


class Evaluator:
    """Walks the typed tree over dict rows: `env` maps each bound name to its row."""

    def __init__(self, today: date) -> None:
        self.today = today

    def condition(self, node: Any, env: dict) -> bool:
        match node:
            case t.All(items):
                return all(self.condition(item, env) for item in items)
            case t.AnyOf(items):
                return any(self.condition(item, env) for item in items)
            case t.Not(item):
                return not self.condition(item, env)
            case t.Compare(op, left, right):
                return compare(op, self.value(left, env), self.value(right, env))
            case t.In(expr, values):
                value = self.value(expr, env)
                return value is not None and value in values
            case t.Blank(expr):
                value = self.value(expr, env)
                return value is None or value == ""
            case t.Exists(source, where):
                return any(self.meets(where, env, source.name, row) for row in self.rows(source, env))
            case t.IdInvalid(expr):
                return id_invalid(self.value(expr, env))
            case t.DocCondition(doc, condition):
                return any(self.meets(condition, env, doc.name, row) for row in self.doc_rows(doc, env))
        raise TypeError(node)

    def meets(self, where: Any, env: dict, name: str, row: dict) -> bool:
        return where is None or self.condition(where, {**env, name: row})

    def rows(self, source: t.Source, env: dict) -> list[dict]:
        return env[source.owner][f"@{source.collection}"]

    def doc_rows(self, doc: t.Doc, env: dict) -> list[dict]:
        group = self.value(doc.group, env)
        return [
            row
            for row in env["case"]["@fields"]
            if row["kind"] == doc.kind and row["name"] == doc.field and row["group"] == group
        ]

    def value(self, node: Any, env: dict) -> Any:
        match node:
            case t.Ref(name, field):
                return env[name][field.name]
            case t.Lit(value):
                return value
            case t.Today(months, days):
                return shift(self.today, months, days)
            case t.AddDays(expr, days):
                value = self.value(expr, env)
                return None if value is None else value + timedelta(days=days)
            case t.Label(expr):
                value = self.value(expr, env)
                return None if value is None else expr.field.choices.get(value, value)
            case t.Text(expr):
                return _text(self.value(expr, env))
            case t.Concat(items):
                parts = [self.value(item, env) for item in items]
                return None if any(part is None for part in parts) else "".join(parts)
            case t.IdBirth(expr):
                return id_birth(self.value(expr, env))
            case t.IdGender(expr):
                return id_gender(self.value(expr, env))
            case t.Count(source, where):
                return sum(1 for row in self.rows(source, env) if self.meets(where, env, source.name, row))
            case t.First(source, where, value):
                for row in self.rows(source, env):
                    if self.meets(where, env, source.name, row):
                        return self.value(value, {**env, source.name: row})
                return None
            case t.Doc():
                return JOIN.join(row["value"] for row in self.doc_rows(node, env))
        raise TypeError(node)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def compare(op: str, left: Any, right: Any) -> bool:
    """A comparison; a null side makes it false, `ne` included."""
    if left is None or right is None:
        return False
    if op == "eq":
        return left == right
    if op == "ne":
        return left != right
    if op == "lt":
        return left < right
    if op == "le":
        return left <= right
    if op == "gt":
        return left > right
    return left >= right


def subjects(subject: str, case: dict) -> list[tuple[dict, str]]:
    """The rows a rule of `subject` runs over in one case, each with its bound names."""
    if subject == "case":
        return [({"case": case}, f"case:{case['id']}")]
    if subject == "suspect":
        return [({"suspect": s, "case": case}, f"suspect:{s['id']}") for s in case["@suspects"]]
    if subject == "measure":
        return [
            ({"measure": m, "suspect": s, "case": case}, f"measure:{m['id']}")
            for s in case["@suspects"]
            for m in s["@measures"]
        ]
    return [({"link": link, "case": case}, f"link:{link['id']}") for link in case["@links"]]


def memory_hits(compiled: Compiled, snapshot: CaseSnapshot, *, today: date) -> dict[str, Detail]:
    """The hits of a rule in one case, with their details."""
    if compiled.subject == "report":
        raise ValueError("report rules are evaluated by report_hits")
    case = snapshot.case
    if compiled.case_types and case["case_type"] not in compiled.case_types:
        return {}
    evaluator = Evaluator(today)
    hits = {}
    for env, key in subjects(compiled.subject, case):
        if evaluator.condition(compiled.tree.when, env):
            hits[key] = Detail(
                key=key,
                case_id=case["id"],
                org_id=snapshot.org_id,
                department_id=case["department"],
                team_id=case["team"],
                prosecutor_id=case["prosecutor"],
                subject_text=subject_text(compiled.subject, _subject_columns(compiled.subject, env)),
                values=shown(evaluator, compiled, env),
            )
    return hits


def shown(evaluator: Evaluator, compiled: Compiled, env: dict) -> list[dict]:
    return [
        {"label": item.label, "value": written(evaluator.value(item.value, env)), "source": item.source}
        for item in compiled.tree.show
    ]


def _subject_columns(subject: str, env: dict) -> dict:
    if subject == "measure":
        measure = env["measure"]
        kind = ENTITIES["measure"].fields["kind"].choices.get(measure["kind"], measure["kind"])
        return {"suspect_name": env["suspect"]["name"], "kind_label": kind, "start_date": measure["start_date"]}
    if subject == "link":
        link = env["link"]
        return {
            "kind_label": ENTITIES["link"].fields["kind"].choices.get(link["kind"], link["kind"]),
            "seq": link["seq"],
        }
    return env.get(subject, {})
