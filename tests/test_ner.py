"""The shipped Indonesian NER (kg/models/id_ner): loads, finds obvious entities, offsets match the text."""
from __future__ import annotations

import pytest

from kg.ner import LABELS, load_ner, model_path, predict_spans
from kg.nlp import _language_class

# Made up for this test (no such meeting); a minister, a ministry, a city, a country.
TEXT = (
    "Menteri Keuangan Budi Santoso mengatakan Kementerian Keuangan akan membantu korban banjir di "
    "Surabaya, Jawa Timur, yang melanda kota itu pada Senin (12/2). Ia juga bertemu dengan "
    "Duta Besar Jepang di Jakarta."
)
EXPECTED = {
    ("Budi Santoso", "PER"),
    ("Kementerian Keuangan", "ORG"),
    ("Surabaya", "LOC"),
    ("Jakarta", "LOC"),
}


@pytest.fixture(scope="module")
def spans():
    return predict_spans(TEXT)


def test_model_is_shipped_and_small():
    path = model_path("id")
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    assert (path / "ner" / "model").is_file() and (path / "MODEL.md").is_file()
    assert size < 20_000_000


def test_finds_obvious_entities(spans):
    found = {(TEXT[b:e], label) for b, e, label in spans}
    assert EXPECTED <= found, found


def test_labels_and_offsets(spans):
    assert spans, "no entities found"
    for b, e, label in spans:
        assert label in LABELS
        assert 0 <= b < e <= len(TEXT)
        assert TEXT[b:e] == TEXT[b:e].strip() and TEXT[b:e][0].isalnum()
    assert spans == sorted(spans)


def test_pipeline_component_reuses_our_tokens(spans):
    """kg_ner inside a pipeline of our language class gives the same spans on the same tokens."""
    nlp = _language_class("id")()
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kg_ner")
    doc = nlp(TEXT)
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == spans
    # predict_spans on an annotated Doc reads it; on a bare Doc it annotates the Doc's own tokens
    assert predict_spans(doc) == spans
    bare = nlp.make_doc(TEXT)
    words = [t.text for t in bare]
    assert predict_spans(bare) == spans
    assert [t.text for t in bare] == words and len(bare.ents) == len(spans)


def test_loader_uses_our_tokenizer():
    nlp = load_ner()
    assert type(nlp).__name__ == "KgIndonesian"
    assert [t.text for t in nlp.make_doc("unit-unit militer")] == ["unit-unit", "militer"]
