"""Statistical NER for Indonesian: PER, ORG, LOC spans from a small spaCy model shipped in the package.

The model lives in ``kg/models/id_ner/`` (a spaCy pipeline directory written by
``scripts/train_ner.py``; its ``MODEL.md`` records data, config and scores). Only its ``ner``
component is used: the ``kg_ner`` factory builds that component inside *any* pipeline made with
kg.nlp's Indonesian language class and loads its weights, so the NER reads the Doc our tokenizer
made (no second tokenization, no second vocabulary). The component carries its own CNN tok2vec.

    nlp = kg.nlp.make_nlp("id", gazetteer=False)   # tokenizer + sentencizer
    nlp.add_pipe("kg_ner")                          # what kg.nlp does when the NER is wired in
    doc = nlp(text); [(e.start_char, e.end_char, e.label_) for e in doc.ents]

or, without a pipeline at hand, ``predict_spans(text_or_doc)``.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

LABELS = ("PER", "ORG", "LOC")
_PKG = Path(__file__).resolve().parent


def model_path(lang: str = "id") -> Path:
    """Directory of the shipped NER pipeline for ``lang`` (only ``id`` exists)."""
    path = _PKG / "models" / f"{lang}_ner"
    if not (path / "config.cfg").is_file():
        raise FileNotFoundError(f"no NER model for {lang!r} (expected a spaCy pipeline in {path})")
    return path


@Language.factory("kg_ner", default_config={"model_dir": None})
def make_kg_ner(nlp: Language, name: str, model_dir: str | None):
    """The shipped NER component (a spaCy ``EntityRecognizer``), built in ``nlp``'s vocab.

    ``model_dir`` defaults to the packaged ``kg/models/id_ner``; ``nlp`` must be Indonesian
    (the model's features are computed by the Indonesian lexical attributes).
    """
    from thinc.api import Config

    path = Path(model_dir) if model_dir else model_path("id")
    config = Config().from_disk(path / "config.cfg")
    if config["nlp"]["lang"] != nlp.lang:
        raise ValueError(f"NER model in {path} is for {config['nlp']['lang']!r}, pipeline is {nlp.lang!r}")
    block = {k: v for k, v in config["components"]["ner"].items() if k != "factory"}
    ner = nlp.create_pipe("ner", name=name, config=block)
    ner.from_disk(path / "ner", exclude=("vocab",))
    return ner


@lru_cache(maxsize=4)
def load_ner(path: str | None = None) -> Language:
    """Our Indonesian tokenizer, the sentencizer (entities do not cross sentence ends) and the NER
    component, as in kg.nlp's pipeline (cached). ``path``: another model directory."""
    from kg.nlp import _language_class

    nlp = _language_class("id")()
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kg_ner", config={"model_dir": path})
    return nlp


def predict_spans(doc_or_text: Doc | str, path: str | None = None) -> list[tuple[int, int, str]]:
    """``[(start_char, end_char, label)]`` of the entities in a text or in a Doc made by our tokenizer.

    A Doc is annotated in place (``doc.ents``) with its own tokens (and its sentence boundaries,
    if it has them). A Doc that already carries entity annotation (``kg_ner`` ran in its
    pipeline) is read, not recomputed. A string goes through :func:`load_ner`'s pipeline
    (kg.nlp's Indonesian tokenizer, sentencizer, NER).
    """
    nlp = load_ner(path)
    if isinstance(doc_or_text, str):
        doc = nlp(doc_or_text)
    else:
        doc = doc_or_text
    if not doc.has_annotation("ENT_IOB"):
        ner = nlp.get_pipe("kg_ner")
        if doc.vocab is not nlp.vocab:
            for label in ner.labels:
                doc.vocab.strings.add(label)
        doc = ner(doc)
    return [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]
