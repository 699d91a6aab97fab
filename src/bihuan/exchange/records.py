"""Records of the exchange format `bihuan.case/1` and the case card rows they stand for.

One record is one case as a JSON object (docs/exchange-format.md describes every field).
Enumerated values are the Chinese labels of the choices; where a choice's code is empty
(未分流, 未审结, 不详, 无, 未提出, 未判决) the record writes "" and accepts the label as well.

- `complete` fills every absent key with its default and puts values in canonical form,
  keeping the lists in the order given (so that problems can name `suspects[1]` as written).
- `ordered` sorts the lists of a completed record; `canonical` = both.
- `*_values` turn a canonical record into model field values.
- `dump_records` reads cases back into canonical records, a chunk of cases at a time.
"""

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, TextChoices

from bihuan.cases.choices import (
    CaseType,
    Education,
    Gender,
    LinkKind,
    MeasureKind,
    Outcome,
    Penalty,
    Procedure,
    RecommendationKind,
    RiskLevel,
    Stage,
    Track,
    Verdict,
)
from bihuan.cases.models import Case, CoerciveMeasure, ProceduralLink, Suspect, SuspectCharge
from bihuan.cases.numbering import normalise_dept_case_no
from bihuan.documents.models import Document, DocumentKind

FORMAT = "bihuan.case/1"
DUMP_CHUNK = 2000


class Labels:
    """The Chinese labels ↔ codes of one TextChoices, as the exchange format writes them."""

    def __init__(self, choices: type[TextChoices]) -> None:
        self.label = {c.value: ("" if c.value == "" else c.label) for c in choices}
        self.code = {c.label: c.value for c in choices} | {label: code for code, label in self.label.items()}

    def canonical(self, text: str) -> str:
        return self.label[self.code[text]]


CASE_TYPE = Labels(CaseType)
PROCEDURE = Labels(Procedure)
TRACK = Labels(Track)
RISK_LEVEL = Labels(RiskLevel)
STAGE = Labels(Stage)
OUTCOME = Labels(Outcome)
GENDER = Labels(Gender)
EDUCATION = Labels(Education)
MEASURE_KIND = Labels(MeasureKind)
RECOMMENDATION_KIND = Labels(RecommendationKind)
PENALTY = Labels(Penalty)
VERDICT = Labels(Verdict)
LINK_KIND = Labels(LinkKind)
DOCUMENT_KIND = Labels(DocumentKind)

# The Chinese name of each top-level key, for event summaries and messages.
FIELD_LABELS = {
    "dept_case_no": "部门受案号",
    "unified_case_no": "统一受案号",
    "name": "案件名称",
    "case_type": "案件类别",
    "org_code": "承办单位",
    "department": "承办部门",
    "team": "办案团队",
    "prosecutor": "承办检察官",
    "source_agency": "移送单位",
    "charge": "移送案由",
    "received_date": "受理日期",
    "procedure": "适用程序",
    "track": "繁简",
    "risk_level": "风险等级",
    "major_complex": "重大复杂",
    "tags": "标签",
    "stage": "办理阶段",
    "outcome": "审结方式",
    "closed_date": "审结日期",
    "summary": "简要案情",
    "suspects": "犯罪嫌疑人",
    "links": "程序环节",
    "documents": "法律文书",
}
COLLECTIONS = ("suspects", "links", "documents")

NO_RECOMMENDATION = {"kind": "", "penalty": "", "term_min": None, "term_max": None, "probation": False, "fine": None}
NO_COURT_RESULT = {
    "verdict": "",
    "judgment_date": None,
    "penalty": "",
    "term": None,
    "probation": False,
    "fine": None,
    "adopted": None,
}


def _case_default(name: str, labels: Labels) -> str:
    return labels.label[Case._meta.get_field(name).default]


def to_line(record: dict) -> str:
    """The JSON text of a record as dumpcases writes it (without the newline)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


#
# Canonical form
#


def _money(value: str | Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _recommendation(value: dict | None) -> dict | None:
    if value is None:
        return None
    g = value.get
    rec = {
        "kind": RECOMMENDATION_KIND.canonical(value["kind"]),
        "penalty": PENALTY.canonical(g("penalty", "")),
        "term_min": g("term_min"),
        "term_max": g("term_max"),
        "probation": g("probation", False),
        "fine": _money(g("fine")),
    }
    return None if rec == NO_RECOMMENDATION else rec


def _court_result(value: dict | None) -> dict | None:
    if value is None:
        return None
    g = value.get
    result = {
        "verdict": VERDICT.canonical(value["verdict"]),
        "judgment_date": g("judgment_date"),
        "penalty": PENALTY.canonical(g("penalty", "")),
        "term": g("term"),
        "probation": g("probation", False),
        "fine": _money(g("fine")),
        "adopted": g("adopted"),
    }
    return None if result == NO_COURT_RESULT else result


def _measure(value: dict) -> dict:
    g = value.get
    return {
        "kind": MEASURE_KIND.canonical(value["kind"]),
        "deciding_body": g("deciding_body", ""),
        "start_date": value["start_date"],
        "end_date": g("end_date"),
        "place": g("place", ""),
    }


def _suspect(value: dict) -> dict:
    g = value.get
    return {
        "seq": value["seq"],
        "name": value["name"],
        "former_name": g("former_name", ""),
        "alias": g("alias", ""),
        "gender": GENDER.canonical(value["gender"]),
        "birth_date": g("birth_date"),
        "id_number": g("id_number", "").upper(),
        "ethnicity": g("ethnicity", ""),
        "education": EDUCATION.canonical(g("education", "")),
        "occupation": g("occupation", ""),
        "employer": g("employer", ""),
        "household_address": g("household_address", ""),
        "address": g("address", ""),
        "minor": g("minor", False),
        "prior_record": g("prior_record", ""),
        "charges": [{"name": c["name"], "main": c.get("main", False)} for c in g("charges", [])],
        "outcome": OUTCOME.canonical(g("outcome", "")),
        "plea": g("plea", False),
        "plea_signed_date": g("plea_signed_date"),
        "sentencing_recommendation": _recommendation(g("sentencing_recommendation")),
        "court_result": _court_result(g("court_result")),
        "measures": [_measure(m) for m in g("measures", [])],
    }


def _link(value: dict) -> dict:
    g = value.get
    return {
        "kind": LINK_KIND.canonical(value["kind"]),
        "seq": g("seq", 1),
        "start_date": value["start_date"],
        "end_date": g("end_date"),
        "approver": g("approver", ""),
        "note": g("note", ""),
        "suspect_seq": g("suspect_seq"),
    }


def _document(value: dict) -> dict:
    g = value.get
    return {
        "kind": DOCUMENT_KIND.canonical(value["kind"]),
        "number": g("number", ""),
        "title": g("title", ""),
        "signed_date": g("signed_date"),
        "text": g("text", ""),
    }


def complete(raw: dict) -> dict:
    """A schema-valid record with every key present, in key order and canonical values.
    Lists keep the order they were given in."""
    g = raw.get
    return {
        "format": FORMAT,
        "dept_case_no": normalise_dept_case_no(raw["dept_case_no"]),
        "unified_case_no": raw["unified_case_no"],
        "name": raw["name"],
        "case_type": CASE_TYPE.canonical(raw["case_type"]),
        "org_code": raw["org_code"],
        "department": g("department"),
        "team": g("team"),
        "prosecutor": g("prosecutor"),
        "source_agency": g("source_agency"),
        "charge": g("charge"),
        "received_date": raw["received_date"],
        "procedure": PROCEDURE.canonical(g("procedure", _case_default("procedure", PROCEDURE))),
        "track": TRACK.canonical(g("track", _case_default("track", TRACK))),
        "risk_level": RISK_LEVEL.canonical(g("risk_level", _case_default("risk_level", RISK_LEVEL))),
        "major_complex": g("major_complex", False),
        "tags": list(g("tags", [])),
        "stage": STAGE.canonical(g("stage", _case_default("stage", STAGE))),
        "outcome": OUTCOME.canonical(g("outcome", _case_default("outcome", OUTCOME))),
        "closed_date": g("closed_date"),
        "summary": g("summary", ""),
        "suspects": [_suspect(s) for s in g("suspects", [])],
        "links": [_link(x) for x in g("links", [])],
        "documents": [_document(d) for d in g("documents", [])],
    }


def _measure_order(m: dict) -> tuple:
    return (m["start_date"], m["kind"], m["end_date"] or "", m["deciding_body"], m["place"])


def _link_order(x: dict) -> tuple:
    return (x["start_date"], x["kind"], x["seq"], x["end_date"] or "", x["suspect_seq"] or 0, x["approver"], x["note"])


def _document_order(d: dict) -> tuple:
    return (d["signed_date"] or "", d["kind"], d["number"], d["title"], d["text"])


def ordered(record: dict) -> dict:
    """Sort the lists of a completed record into canonical order (in place) and return it."""
    record["tags"].sort()
    for suspect in record["suspects"]:
        suspect["charges"].sort(key=lambda c: (not c["main"], c["name"]))
        suspect["measures"].sort(key=_measure_order)
    record["suspects"].sort(key=lambda s: s["seq"])
    record["links"].sort(key=_link_order)
    record["documents"].sort(key=_document_order)
    return record


def canonical(raw: dict) -> dict:
    """The canonical form of a schema-valid record: what dumpcases gives back after loading it."""
    return ordered(complete(raw))


#
# Record → model field values (the record is canonical and checked)
#


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def case_values(record: dict) -> dict[str, Any]:
    """The Case fields that come straight from the record (not the foreign keys)."""
    return {
        "dept_case_no": record["dept_case_no"],
        "unified_case_no": record["unified_case_no"],
        "name": record["name"],
        "case_type": CASE_TYPE.code[record["case_type"]],
        "received_date": _date(record["received_date"]),
        "procedure": PROCEDURE.code[record["procedure"]],
        "track": TRACK.code[record["track"]],
        "risk_level": RISK_LEVEL.code[record["risk_level"]],
        "is_major_complex": record["major_complex"],
        "stage": STAGE.code[record["stage"]],
        "outcome": OUTCOME.code[record["outcome"]],
        "closed_date": _date(record["closed_date"]),
        "summary": record["summary"],
    }


def suspect_values(s: dict) -> dict[str, Any]:
    rec = s["sentencing_recommendation"] or NO_RECOMMENDATION
    court = s["court_result"] or NO_COURT_RESULT
    return {
        "seq": s["seq"],
        "name": s["name"],
        "former_name": s["former_name"],
        "alias": s["alias"],
        "gender": GENDER.code[s["gender"]],
        "birth_date": _date(s["birth_date"]),
        "id_number": s["id_number"],
        "ethnicity": s["ethnicity"],
        "education": EDUCATION.code[s["education"]],
        "occupation": s["occupation"],
        "employer": s["employer"],
        "household_address": s["household_address"],
        "address": s["address"],
        "is_minor": s["minor"],
        "prior_record": s["prior_record"],
        "outcome": OUTCOME.code[s["outcome"]],
        "plea": s["plea"],
        "plea_signed_date": _date(s["plea_signed_date"]),
        "rec_kind": RECOMMENDATION_KIND.code[rec["kind"]],
        "rec_penalty": PENALTY.code[rec["penalty"]],
        "rec_term_min": rec["term_min"],
        "rec_term_max": rec["term_max"],
        "rec_probation": rec["probation"],
        "rec_fine": _decimal(rec["fine"]),
        "verdict": VERDICT.code[court["verdict"]],
        "judgment_date": _date(court["judgment_date"]),
        "court_penalty": PENALTY.code[court["penalty"]],
        "court_term": court["term"],
        "court_probation": court["probation"],
        "court_fine": _decimal(court["fine"]),
        "rec_adopted": court["adopted"],
    }


def measure_values(m: dict) -> dict[str, Any]:
    return {
        "kind": MEASURE_KIND.code[m["kind"]],
        "deciding_body": m["deciding_body"],
        "start_date": _date(m["start_date"]),
        "end_date": _date(m["end_date"]),
        "place": m["place"],
    }


def link_values(x: dict) -> dict[str, Any]:
    """ProceduralLink fields except the suspect, which the caller resolves from `suspect_seq`."""
    return {
        "kind": LINK_KIND.code[x["kind"]],
        "seq": x["seq"],
        "start_date": _date(x["start_date"]),
        "end_date": _date(x["end_date"]),
        "approver": x["approver"],
        "note": x["note"],
    }


def document_values(d: dict) -> dict[str, Any]:
    return {
        "kind": DOCUMENT_KIND.code[d["kind"]],
        "number": d["number"],
        "title": d["title"],
        "signed_date": _date(d["signed_date"]),
        "text": d["text"],
    }


#
# Dumping: cases → canonical records, set-based per chunk of cases
#

CASE_COLUMNS = (
    "id",
    "dept_case_no",
    "unified_case_no",
    "name",
    "case_type",
    "org__code",
    "department__name",
    "team__name",
    "prosecutor__username",
    "source_agency__name",
    "charge__name",
    "received_date",
    "procedure",
    "track",
    "risk_level",
    "is_major_complex",
    "stage",
    "outcome",
    "closed_date",
    "summary",
)
SUSPECT_COLUMNS = (
    "id",
    "case_id",
    "seq",
    "name",
    "former_name",
    "alias",
    "gender",
    "birth_date",
    "id_number",
    "ethnicity",
    "education",
    "occupation",
    "employer",
    "household_address",
    "address",
    "is_minor",
    "prior_record",
    "outcome",
    "plea",
    "plea_signed_date",
    "rec_kind",
    "rec_penalty",
    "rec_term_min",
    "rec_term_max",
    "rec_probation",
    "rec_fine",
    "verdict",
    "judgment_date",
    "court_penalty",
    "court_term",
    "court_probation",
    "court_fine",
    "rec_adopted",
)
MEASURE_COLUMNS = ("suspect_id", "kind", "deciding_body", "start_date", "end_date", "place")
LINK_COLUMNS = ("case_id", "kind", "seq", "start_date", "end_date", "approver", "note", "suspect__seq")
DOCUMENT_COLUMNS = ("case_id", "kind", "number", "title", "signed_date", "text")


def _grouped(rows: Iterable[dict], key: str) -> dict[int, list[dict]]:
    groups: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return groups


def _suspect_record(row: dict, charges: list[tuple[str, bool]], measures: list[dict]) -> dict:
    return {
        "seq": row["seq"],
        "name": row["name"],
        "former_name": row["former_name"],
        "alias": row["alias"],
        "gender": GENDER.label[row["gender"]],
        "birth_date": _day(row["birth_date"]),
        "id_number": row["id_number"],
        "ethnicity": row["ethnicity"],
        "education": EDUCATION.label[row["education"]],
        "occupation": row["occupation"],
        "employer": row["employer"],
        "household_address": row["household_address"],
        "address": row["address"],
        "minor": row["is_minor"],
        "prior_record": row["prior_record"],
        "charges": [{"name": name, "main": main} for name, main in charges],
        "outcome": OUTCOME.label[row["outcome"]],
        "plea": row["plea"],
        "plea_signed_date": _day(row["plea_signed_date"]),
        "sentencing_recommendation": _recommendation(
            {
                "kind": RECOMMENDATION_KIND.label[row["rec_kind"]],
                "penalty": PENALTY.label[row["rec_penalty"]],
                "term_min": row["rec_term_min"],
                "term_max": row["rec_term_max"],
                "probation": row["rec_probation"],
                "fine": row["rec_fine"],
            }
        ),
        "court_result": _court_result(
            {
                "verdict": VERDICT.label[row["verdict"]],
                "judgment_date": _day(row["judgment_date"]),
                "penalty": PENALTY.label[row["court_penalty"]],
                "term": row["court_term"],
                "probation": row["court_probation"],
                "fine": row["court_fine"],
                "adopted": row["rec_adopted"],
            }
        ),
        "measures": [
            {
                "kind": MEASURE_KIND.label[m["kind"]],
                "deciding_body": m["deciding_body"],
                "start_date": _day(m["start_date"]),
                "end_date": _day(m["end_date"]),
                "place": m["place"],
            }
            for m in measures
        ],
    }


def _chunk_records(cases: list[dict]) -> Iterator[tuple[int, dict]]:
    """Turn one chunk of case rows into (case id, canonical record), one query per table."""
    ids = [c["id"] for c in cases]
    tags = defaultdict(list)
    for case_id, name in Case.tags.through.objects.filter(case_id__in=ids).values_list("case_id", "tag__name"):
        tags[case_id].append(name)
    suspects = _grouped(Suspect.objects.filter(case_id__in=ids).order_by().values(*SUSPECT_COLUMNS), "case_id")
    charges = defaultdict(list)
    for suspect_id, name, main in (
        SuspectCharge.objects.filter(suspect__case_id__in=ids)
        .order_by()
        .values_list("suspect_id", "charge__name", "is_main")
    ):
        charges[suspect_id].append((name, main))
    measures = _grouped(
        CoerciveMeasure.objects.filter(suspect__case_id__in=ids).order_by().values(*MEASURE_COLUMNS), "suspect_id"
    )
    links = _grouped(ProceduralLink.objects.filter(case_id__in=ids).order_by().values(*LINK_COLUMNS), "case_id")
    documents = _grouped(Document.objects.filter(case_id__in=ids).order_by().values(*DOCUMENT_COLUMNS), "case_id")
    for c in cases:
        record = {
            "format": FORMAT,
            "dept_case_no": c["dept_case_no"],
            "unified_case_no": c["unified_case_no"],
            "name": c["name"],
            "case_type": CASE_TYPE.label[c["case_type"]],
            "org_code": c["org__code"],
            "department": c["department__name"],
            "team": c["team__name"],
            "prosecutor": c["prosecutor__username"],
            "source_agency": c["source_agency__name"],
            "charge": c["charge__name"],
            "received_date": _day(c["received_date"]),
            "procedure": PROCEDURE.label[c["procedure"]],
            "track": TRACK.label[c["track"]],
            "risk_level": RISK_LEVEL.label[c["risk_level"]],
            "major_complex": c["is_major_complex"],
            "tags": tags[c["id"]],
            "stage": STAGE.label[c["stage"]],
            "outcome": OUTCOME.label[c["outcome"]],
            "closed_date": _day(c["closed_date"]),
            "summary": c["summary"],
            "suspects": [_suspect_record(s, charges[s["id"]], measures[s["id"]]) for s in suspects[c["id"]]],
            "links": [
                {
                    "kind": LINK_KIND.label[x["kind"]],
                    "seq": x["seq"],
                    "start_date": _day(x["start_date"]),
                    "end_date": _day(x["end_date"]),
                    "approver": x["approver"],
                    "note": x["note"],
                    "suspect_seq": x["suspect__seq"],
                }
                for x in links[c["id"]]
            ],
            "documents": [
                {
                    "kind": DOCUMENT_KIND.label[d["kind"]],
                    "number": d["number"],
                    "title": d["title"],
                    "signed_date": _day(d["signed_date"]),
                    "text": d["text"],
                }
                for d in documents[c["id"]]
            ],
        }
        yield c["id"], ordered(record)


def dump_rows(queryset: QuerySet[Case]) -> Iterator[tuple[int, dict]]:
    """(case id, canonical record) for the cases of a queryset, in id order, a chunk at a time."""
    rows = queryset.order_by("pk").values(*CASE_COLUMNS)
    last = 0
    while chunk := list(rows.filter(pk__gt=last)[:DUMP_CHUNK]):
        last = chunk[-1]["id"]
        yield from _chunk_records(chunk)


def dump_records(queryset: QuerySet[Case]) -> Iterator[dict]:
    """Canonical records of the cases of a queryset, in id order (the order they were loaded)."""
    for _, record in dump_rows(queryset):
        yield record
