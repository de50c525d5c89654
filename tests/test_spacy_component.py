"""kg.spacy_component: the kg_linker factory in a plain spaCy pipeline."""
from __future__ import annotations

from pathlib import Path

import pytest
import spacy

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "kontan-2022-09-13.txt"


@pytest.fixture(scope="module")
def nlp():
    import kg.spacy_component  # noqa: F401  registers the factory
    nlp = spacy.blank("id")
    nlp.add_pipe("kg_linker", config={"lang": "id", "published": "2022-09-13"})
    return nlp


@pytest.fixture(scope="module")
def doc(nlp):
    return nlp(EXAMPLE.read_text(encoding="utf-8"))


def test_import_does_not_register_extensions_until_the_factory_runs():
    import subprocess
    import sys
    code = ("import kg.spacy_component\nfrom spacy.tokens import Doc\n"
            "assert not Doc.has_extension('kg_facts')\n"
            "import spacy\nnlp = spacy.blank('en')\nnlp.add_pipe('kg_linker')\n"
            "assert Doc.has_extension('kg_facts') and Doc.has_extension('kg_events')\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_ents_are_linked_with_kb_ids(doc):
    ents = [(e.text, e.label_, e.kb_id_) for e in doc.ents]
    assert ("Azerbaijan", "Country", "Q227") in ents
    assert ("MOSKOW", "City", "Q649") in ents
    assert any(kb.startswith("nil:governmentorganization/") and label == "GovernmentOrganization"
               for _, label, kb in ents)
    # every ent has a kb id; outermost spans only, no overlaps
    assert all(e.kb_id_ for e in doc.ents)
    ends = [(e.start, e.end) for e in doc.ents]
    assert all(a[1] <= b[0] for a, b in zip(ends, ends[1:]))
    assert ("Pashinyan", "Person", "Q7035479") in ents or ("Nikol Pashinyan", "Person", "Q7035479") in ents


def test_outermost_mentions_only(doc):
    outer = {(m.start, m.end) for m in doc._.kg_mentions}
    ent_spans = {(e.start_char, e.end_char) for e in doc.ents}
    assert ent_spans <= outer
    nested = [m for m in doc._.kg_mentions
              if any(o.start <= m.start and m.end <= o.end and (o.start, o.end) != (m.start, m.end)
                     for o in doc._.kg_mentions)]
    assert nested and not ({(m.start, m.end) for m in nested} & ent_spans)


def test_facts_and_events(doc):
    facts = {(f.subject, f.prop, f.object) for f in doc._.kg_facts}
    assert ("Q7035479", "P39", "Q1123764") in facts  # Pashinyan, Prime Minister of Armenia
    assert doc._.kg_events and any(e.speaker for e in doc._.kg_events)


def test_displacy_renders(doc):
    html = spacy.displacy.render(doc, style="ent")
    assert "Azerbaijan" in html and "GovernmentOrganization" in html


def test_english_pipeline_and_other_tokenizer():
    import kg.spacy_component  # noqa: F401
    from tests_support import EN_TEXT
    nlp = spacy.blank("en")  # lang comes from the pipeline
    nlp.add_pipe("kg_linker", config={"published": "2022-09-13"})
    doc = nlp(EN_TEXT)
    assert ("Nikol Pashinyan", "Person", "Q7035479") in [(e.text, e.label_, e.kb_id_) for e in doc.ents]


def test_empty_doc(nlp):
    doc = nlp("")
    assert list(doc.ents) == [] and doc._.kg_facts == [] and doc._.kg_events == []


def test_example_script_runs(tmp_path):
    import subprocess
    import sys
    script = Path(__file__).resolve().parents[1] / "examples" / "spacy_linker.py"
    out = tmp_path / "ents.html"
    proc = subprocess.run([sys.executable, str(script), str(EXAMPLE), str(out)], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "'Q227'" in proc.stdout and out.exists() and "Azerbaijan" in out.read_text(encoding="utf-8")
