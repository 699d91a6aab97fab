"""Extraction agrees with the case cards on the 起诉书 that `bihuan gencases` writes.

The generator prints each card's persons, measures and dates into the published layout
(bihuan.exchange.gen_text), and about 1 % of its documents carry a planted inconsistency (a shifted
birth date or receipt date) for the patrol to find; those are the only disagreements allowed.
"""

from collections import Counter

import pytest

from bihuan.documents.extract import extract_fields
from bihuan.exchange.generate import generate_records

PLANTABLE = {"birth_date", "transfer_date"}


@pytest.fixture(scope="module")
def generated():
    pairs = []
    for record in generate_records(400, seed=11):
        for document in record["documents"]:
            if document["kind"] == "起诉书":
                pairs.append((record, document, extract_fields("indictment", document["text"])))
    return pairs


PERSON_ITEMS = ("id_number", "gender", "ethnicity", "education", "occupation", "address", "household_address")


def agrees(f, card: dict, record: dict, document: dict) -> bool:
    """Whether one extracted field says what the card (or the document record) says."""
    if f.name in PERSON_ITEMS or f.name == "birth_date":
        return f.value == card[f.name]
    expected = {
        "doc_number": {document["number"]},
        "signed_date": {document["signed_date"]},
        "transfer_date": {record["received_date"]},
        "charge": {c["name"] for c in card.get("charges", [])},
        "measure": {f"{m['kind']}@{m['start_date']}" for m in card.get("measures", [])},
        "custody_place": {m["place"] for m in card.get("measures", [])},
    }
    return f.name not in expected or f.value in expected[f.name]


def disagreements(record: dict, document: dict, fields: list) -> list[str]:
    suspects = {s["name"]: s for s in record["suspects"]}
    by_group = {f.group: suspects[f.value] for f in fields if f.name == "name"}
    out = [f.name for f in fields if not agrees(f, by_group.get(f.group, {}), record, document)]
    for group, card in by_group.items():
        pleaded = any(f.name == "plea" and f.group == group for f in fields)
        if pleaded != card["plea"]:
            out.append("plea")
        if card["id_number"] and not any(f.name == "id_number" and f.group == group for f in fields):
            out.append("id_number missing")
    return out


def test_every_defendant_and_document_field_agrees_with_the_card(generated):
    assert len(generated) > 100
    problems = Counter()
    for record, document, fields in generated:
        assert any(f.name == "name" for f in fields)
        problems.update(disagreements(record, document, fields))
    assert set(problems) <= PLANTABLE, problems
    assert sum(problems.values()) <= len(generated) * 0.03


def test_every_span_slices_to_its_raw_text(generated):
    for _record, document, fields in generated:
        for f in fields:
            raw = document["text"][f.start : f.end]
            assert raw and raw == raw.strip()
