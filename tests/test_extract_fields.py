"""Field extraction on the hand-written documents in tests/data/extract (domain-rules §5.3)."""

import random
from pathlib import Path

import pytest

from bihuan.documents.extract import extract_fields
from bihuan.documents.extract.evaluation import expected_triples, load_set, span_agrees
from bihuan.documents.extract.kinds import EXTRACTORS

DATA = Path(__file__).parent / "data" / "extract"
INDICTMENTS = load_set(DATA / "indictments")
OTHERS = load_set(DATA / "other")
HELDOUT = load_set(DATA / "heldout")


def test_the_set_is_large_enough():
    """At least 30 hand-written 起诉书 and documents of every other kind."""
    assert len(INDICTMENTS) >= 30
    kinds = {expectation["kind"] for _stem, _text, expectation in OTHERS}
    assert {"non_prosecution", "plea_agreement", "sentencing", "supplementary", "extension", "measure"} <= kinds
    assert "recommendation" in kinds


@pytest.mark.parametrize(
    ("stem", "text", "expectation"),
    INDICTMENTS + OTHERS + HELDOUT,
    ids=[s for s, _t, _e in INDICTMENTS + OTHERS + HELDOUT],
)
def test_extraction_matches_the_expected_fields(stem, text, expectation):
    """Every expected field is found with its exact value, nothing else is, and each span slices to its raw text."""
    fields = extract_fields(expectation.get("kind", "indictment"), text)
    got = sorted((f.name, f.group, f.value) for f in fields)
    want = sorted(expected_triples(expectation).elements())
    missing = [x for x in want if x not in got]
    extra = [x for x in got if x not in want]
    assert (missing, extra) == ([], []), stem
    for f in fields:
        raw = text[f.start : f.end]
        assert 0 <= f.start < f.end <= len(text)
        assert raw == raw.strip(), (f, raw)
        assert span_agrees(f, raw), (f, raw)


def test_unknown_kinds_give_nothing():
    assert extract_fields("judgment_of_mars", "被告人张某，男。") == []


@pytest.mark.parametrize("kind", sorted(EXTRACTORS))
def test_damaged_text_never_breaks_extraction(kind):
    """Cut, spliced and reformatted documents give fewer fields, never an error or a span outside the text."""
    rnd = random.Random(kind)
    for _stem, text, _expectation in INDICTMENTS + OTHERS:
        a = rnd.randrange(len(text))
        b = rnd.randrange(a, len(text) + 1)
        for variant in (text[:a], text[a:], text[:a] + text[b:], text.replace("\n", ""), ""):
            for f in extract_fields(kind, variant):
                assert 0 <= f.start < f.end <= len(variant)


def test_impossible_dates_give_no_field():
    text = "被告人张某，男。\n本案由某公安局侦查终结，以被告人张某涉嫌盗窃罪，于2024年2月30日向本院移送起诉。"
    fields = extract_fields("indictment", text)
    assert [f.value for f in fields if f.name == "transfer_charge"] == ["盗窃罪"]
    assert not [f for f in fields if f.name == "transfer_date"]
