"""The vocabulary of the patrol language (docs/patrol.md): the entities a rule reads, their fields
with the ORM path each is read from, and the collections that link them.

A field's type, choices and nullability are read from the Django model field at the end of its
path, so that the vocabulary cannot drift from the models. `report` is not a model: its rows are
those of `bizreports.figures.compare`, typed here by hand.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Expression
from django.db.models.functions import Coalesce, Replace, TruncDate
from django.db.models.lookups import Regex

from bihuan.bizreports.items import CHOICES as REPORT_ITEM_CHOICES
from bihuan.cases.models import Case, CoerciveMeasure, ProceduralLink, Suspect, SuspectCharge
from bihuan.documents.models import Document, ExtractedField
from bihuan.lib.cnnum import int_to_cn
from bihuan.workflow.models import ApprovalRequest, PublicHearing

# Value types of the language.
TEXT, DATE, INT, BOOL = "text", "date", "int", "bool"
TYPE_LABELS = {TEXT: "文本", DATE: "日期", INT: "数值", BOOL: "是/否"}


@dataclass(frozen=True)
class Field:
    """One field of an entity. `path` is the ORM path from the entity's model; `sql`, when set,
    builds the column expression from a reference maker (path → F or OuterRef) instead."""

    name: str
    path: str
    type: str
    nullable: bool
    choices: dict[str, str] = field(default_factory=dict)
    sql: Callable[[Callable[[str], Expression]], Expression] | None = None

    def expression(self, ref: Callable[[str], Expression]) -> Expression:
        return self.sql(ref) if self.sql else ref(self.path)


@dataclass(frozen=True)
class Collection:
    """Rows of `entity` belonging to one row of the owner: `link` is the ORM path from the rows'
    model to the owner's primary key."""

    name: str
    entity: str
    link: str


@dataclass(frozen=True)
class Entity:
    name: str
    model: type[models.Model] | None
    fields: dict[str, Field]
    collections: dict[str, Collection]


def _type_of(model_field: models.Field) -> str:
    if isinstance(model_field, models.BooleanField):
        return BOOL
    if isinstance(model_field, models.DateField) and not isinstance(model_field, models.DateTimeField):
        return DATE
    if isinstance(model_field, models.IntegerField | models.AutoField | models.ForeignKey):
        return INT
    return TEXT


def _model_field(model: type[models.Model], name: str, path: str) -> Field:
    """The field at the end of `path`, nullable when it is or when a join on the way may be
    missing (a nullable foreign key, a reverse one-to-one)."""
    nullable = False
    current = model
    parts = path.split("__")
    for part in parts[:-1]:
        relation = current._meta.get_field(part)
        nullable = nullable or relation.null or relation.auto_created
        current = relation.related_model
    last = current._meta.get_field(parts[-1].removesuffix("_id") if parts[-1].endswith("_id") else parts[-1])
    choices = {str(value): str(label) for value, label in last.flatchoices} if last.choices else {}
    return Field(name, path, _type_of(last), nullable or last.null, choices)


def _fields(model: type[models.Model], spec: dict[str, str] | list[str]) -> dict[str, Field]:
    pairs = spec.items() if isinstance(spec, dict) else ((name, name) for name in spec)
    return {name: _model_field(model, name, path) for name, path in pairs}


CASE_FIELDS = _fields(
    Case,
    {
        **{
            name: name
            for name in (
                "id",
                "dept_case_no",
                "unified_case_no",
                "name",
                "case_type",
                "procedure",
                "track",
                "risk_level",
                "is_major_complex",
                "likely_sentence",
                "stage",
                "outcome",
                "received_date",
                "closed_date",
                "summary",
            )
        },
        "charge": "charge__name",
        "source_agency": "source_agency_id",
        "department": "department_id",
        "team": "team_id",
        "prosecutor": "prosecutor_id",
        "due_date": "due__due_date",
        "due_kind": "due__due_kind",
    },
)
SUSPECT_FIELDS = _fields(
    Suspect,
    [
        "id",
        "seq",
        "name",
        "gender",
        "birth_date",
        "id_number",
        "ethnicity",
        "education",
        "occupation",
        "household_address",
        "address",
        "is_minor",
        "outcome",
        "plea",
        "plea_signed_date",
        "rec_kind",
        "rec_penalty",
        "rec_term_min",
        "rec_term_max",
        "rec_probation",
        "verdict",
        "judgment_date",
        "court_penalty",
        "court_term",
        "court_probation",
        "rec_adopted",
    ],
)
MEASURE_FIELDS = _fields(CoerciveMeasure, ["id", "kind", "deciding_body", "start_date", "end_date", "place"])
LINK_FIELDS = _fields(
    ProceduralLink,
    {
        **{name: name for name in ("id", "kind", "seq", "start_date", "end_date", "approver", "note")},
        "suspect": "suspect_id",
    },
)
DOCUMENT_FIELDS = _fields(Document, ["id", "kind", "number", "title", "signed_date"])
FIELD_FIELDS = {
    **_fields(
        ExtractedField,
        {
            "kind": "document__kind",
            "document": "document_id",
            "number": "document__number",
            "signed_date": "document__signed_date",
            "name": "name",
            "group": "group",
        },
    ),
    # The effective value: a person's correction over the machine's reading.
    "value": Field("value", "value", TEXT, False, sql=lambda ref: Coalesce(ref("corrected_value"), ref("value"))),
}
TAG_FIELDS = _fields(Case.tags.through, {"name": "tag__name"})
REQUEST_FIELDS = {
    **_fields(
        ApprovalRequest,
        {
            "decision": "decision_type__code",
            "outcome": "decision_type__outcome",
            "link_kind": "decision_type__link_kind",
            "status": "status",
        },
    ),
    # The day the decision was recorded, in the court's time zone (settings.TIME_ZONE).
    "recorded_on": Field(
        "recorded_on",
        "recorded_at",
        DATE,
        True,
        sql=lambda ref: TruncDate(ref("recorded_at"), output_field=models.DateField()),
    ),
}
HEARING_FIELDS = _fields(PublicHearing, ["held_on"])
# A 刑法 article_no of the charge catalogue (cases/data/charges.json): digits and a 之N suffix as
# "-N" (133-1); other sources (D1: the 全国人大常委会 decision on foreign exchange) cite no 刑法 article.
CRIMINAL_LAW_ARTICLE_NO = r"^[0-9]+(-[1-9])?$"


def _article(ref: Callable[[str], Expression]) -> Expression:
    """The charge's 刑法 article as the extraction writes it (docs/extraction.md): 133-1 → 133之一,
    264 → 264; null when the charge's article is no 刑法 article."""
    number = ref("charge__article_no")
    written: Expression = number
    for n in range(1, 10):
        written = Replace(written, models.Value(f"-{n}"), models.Value(f"之{int_to_cn(n)}"))
    well_formed = Regex(number, models.Value(CRIMINAL_LAW_ARTICLE_NO))
    return models.Case(models.When(well_formed, then=written), default=None, output_field=models.CharField())


CHARGE_FIELDS = {
    **_fields(SuspectCharge, {"name": "charge__name", "article_no": "charge__article_no", "is_main": "is_main"}),
    "article": Field("article", "charge__article_no", TEXT, True, sql=_article),
}
REPORT_FIELDS = {
    "org": Field("org", "org", INT, False),
    "department": Field("department", "department", INT, True),
    "year": Field("year", "year", INT, False),
    "month": Field("month", "month", INT, False),
    "item": Field("item", "item", TEXT, False, {str(code): str(label) for code, label in REPORT_ITEM_CHOICES}),
    "item_name": Field("item_name", "item_name", TEXT, False),
    "value": Field("value", "value", INT, True),
    "counted": Field("counted", "counted", INT, False),
}

ENTITIES: dict[str, Entity] = {
    "case": Entity(
        "case",
        Case,
        CASE_FIELDS,
        {
            "suspects": Collection("suspects", "suspect", "case_id"),
            "links": Collection("links", "link", "case_id"),
            "documents": Collection("documents", "document", "case_id"),
            "fields": Collection("fields", "field", "document__case_id"),
            "tags": Collection("tags", "tag", "case_id"),
            "requests": Collection("requests", "request", "case_id"),
            "hearings": Collection("hearings", "hearing", "case_id"),
        },
    ),
    "suspect": Entity(
        "suspect",
        Suspect,
        SUSPECT_FIELDS,
        {
            "measures": Collection("measures", "measure", "suspect_id"),
            "charges": Collection("charges", "charge", "suspect_id"),
        },
    ),
    "measure": Entity("measure", CoerciveMeasure, MEASURE_FIELDS, {}),
    "link": Entity("link", ProceduralLink, LINK_FIELDS, {}),
    "document": Entity("document", Document, DOCUMENT_FIELDS, {}),
    "field": Entity("field", ExtractedField, FIELD_FIELDS, {}),
    "tag": Entity("tag", Case.tags.through, TAG_FIELDS, {}),
    "request": Entity("request", ApprovalRequest, REQUEST_FIELDS, {}),
    "hearing": Entity("hearing", PublicHearing, HEARING_FIELDS, {}),
    "charge": Entity("charge", SuspectCharge, CHARGE_FIELDS, {}),
    "report": Entity("report", None, REPORT_FIELDS, {}),
}


@dataclass(frozen=True)
class Subject:
    """What one hit is: the model its query runs over, the names it binds (each with its ORM
    prefix from that model) and the path to the case (for `case_types` and `case_ids`)."""

    name: str
    model: type[models.Model] | None
    names: dict[str, str]  # bound name → ORM prefix from the subject's model
    case_path: str


SUBJECTS: dict[str, Subject] = {
    "case": Subject("case", Case, {"case": ""}, "pk"),
    "suspect": Subject("suspect", Suspect, {"suspect": "", "case": "case__"}, "case_id"),
    "measure": Subject(
        "measure",
        CoerciveMeasure,
        {"measure": "", "suspect": "suspect__", "case": "suspect__case__"},
        "suspect__case_id",
    ),
    "link": Subject("link", ProceduralLink, {"link": "", "case": "case__"}, "case_id"),
    "report": Subject("report", None, {"report": ""}, ""),
}
