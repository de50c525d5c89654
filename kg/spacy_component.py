"""``kg_linker``: our entity linking as a component for any spaCy pipeline.

Importing this module registers the factory (``@Language.factory("kg_linker")``); the package
also announces it through the ``spacy_factories`` entry point, so ``nlp.add_pipe("kg_linker")``
works without an import. On each Doc the component runs ``kg.pipeline.analyse`` on ``doc.text``
(our own tokenizer, sentences and linking, whatever the host pipeline's tokenizer is), then:

- sets ``doc.ents`` to our linked mentions: the outermost ones, non-overlapping, with
  ``label_`` = our type (``Person``, ``Country``, ...) and ``kb_id_`` = the Wikidata QID, or the
  NIL id (``nil:<type>/<key>``) for an entity Wikidata lacks. Existing entities are replaced.
- ``doc._.kg_mentions``: every linked mention (nested ones too) as ``kg.link.Mention``;
- ``doc._.kg_facts``: ``kg.extract.Fact`` records (P39, P17, ...);
- ``doc._.kg_events``: ``kg.extract.Event`` records (PLOVER events and claims).

The Doc extensions are registered when the component is created, not at import.

Config: ``lang`` ("id", "en" or "auto"; default: the pipeline's language when it is id/en, else
auto), ``published`` (YYYY-MM-DD, resolves office holders and relative dates), ``article_id``.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

EXTENSIONS = ("kg_mentions", "kg_facts", "kg_events")


def _register_extensions() -> None:
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def outermost(mentions) -> list:
    """The mentions not inside (or overlapping) an earlier or longer one, in text order."""
    chosen = []
    last_end = -1
    for m in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if m.start >= last_end:
            chosen.append(m)
            last_end = m.end
    return chosen


class KgLinker:
    def __init__(self, nlp: Language, name: str, lang: str | None, published: str | None,
                 article_id: str, kb=None):
        from kg.read import LANGS, check_lang, parse_date
        if lang in (None, "", "auto"):
            lang = nlp.lang if nlp.lang in LANGS else "auto"
        self.name = name
        self.lang = check_lang(lang)
        self.published = parse_date(published)
        self.article_id = article_id
        self._kb = kb
        _register_extensions()

    @property
    def kb(self):
        if self._kb is None:
            from kg.kb import KnowledgeBase
            self._kb = KnowledgeBase.load()
        return self._kb

    def __call__(self, doc: Doc) -> Doc:
        from kg import extract
        from kg.pipeline import analyse
        from kg.read import Article

        if not doc.text.strip():
            doc._.kg_mentions, doc._.kg_facts, doc._.kg_events = [], [], []
            return doc
        article = Article(id=self.article_id, text=doc.text, lang=self.lang, published=self.published,
                          source="<spacy doc>")
        # the host pipeline's own NER, if it ran, names the unknown entities (as --spacy-model does)
        entities = [(e.start_char, e.end_char, e.label_) for e in doc.ents] \
            if doc.has_annotation("ENT_IOB") else None
        a = analyse(article, kb=self.kb, entities=entities)
        linked = a.linked
        facts = extract.extract_facts(linked, extract.extract_relations(a.doc, a.lang, linked, a.boilerplate))
        events = extract.extract_events(a.doc, a.lang, linked, a.boilerplate, self.published)

        spans: list[Span] = []
        last_token = 0
        for m in outermost(linked.mentions):
            span = doc.char_span(m.start, m.end, label=m.type, kb_id=m.entity)
            if span is None:  # the host tokenizer splits differently: take the tokens it touches
                span = doc.char_span(m.start, m.end, label=m.type, kb_id=m.entity, alignment_mode="expand")
            if span is None or len(span) == 0 or span.start < last_token:
                continue
            spans.append(span)
            last_token = span.end
        doc.ents = spans
        doc._.kg_mentions = sorted(linked.mentions, key=lambda m: (m.start, -m.end))
        doc._.kg_facts = facts
        doc._.kg_events = events
        return doc


@Language.factory("kg_linker", default_config={"lang": "auto", "published": None, "article_id": "doc"})
def make_kg_linker(nlp: Language, name: str, lang: str, published: str | None, article_id: str) -> KgLinker:
    return KgLinker(nlp, name, lang, published, article_id)


__all__ = ["KgLinker", "make_kg_linker", "outermost", "EXTENSIONS"]
