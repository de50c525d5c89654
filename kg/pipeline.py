"""The pipeline in one place: read -> nlp -> link -> extract -> rdf -> validate.

``process`` runs one article and returns its graphs; the CLI and ``kg.build`` are thin wrappers.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rdflib import Graph

from kg.read import Article, detect_language, find_boilerplate


@dataclass
class Result:
    article: Article
    lang: str
    graphs: "kg.rdf.ArticleGraphs"  # noqa: F821


@dataclass
class Analysis:
    """What the stages up to linking found in one text (read, nlp, link)."""
    lang: str
    doc: object  # spacy.tokens.Doc
    boilerplate: list
    linked: "kg.link.Linked"  # noqa: F821


def article_lang(article: Article) -> str:
    """The article's language: as given, else detected from its text."""
    return article.lang if article.lang not in (None, "", "auto") else detect_language(article.text)


def make_docs(articles: list[Article]) -> list:
    """spaCy Docs for many articles at once (``nlp.pipe``: the NER runs batched, ~20 % cheaper
    per article than one call each); what :func:`analyse` makes itself for a single article."""
    from kg import nlp

    docs: list = [None] * len(articles)
    by_lang: dict[str, list[int]] = {}
    for i, a in enumerate(articles):
        by_lang.setdefault(article_lang(a), []).append(i)
    for lang, idx in by_lang.items():
        for i, doc in zip(idx, nlp.make_nlp(lang).pipe([articles[i].text for i in idx], batch_size=len(idx))):
            docs[i] = doc
    return docs


def docs_for(articles: list, spacy_model: str | None = None) -> list:
    """:func:`make_docs` for a batch that may hold bad inputs (anything not an :class:`Article`):
    their place, and every place when a ``spacy_model`` is given or the batched NLP fails on some
    text, is None, and :func:`process` then makes that Doc alone, so one bad text only fails itself."""
    which = [i for i, a in enumerate(articles) if isinstance(a, Article)]
    out: list = [None] * len(articles)
    if spacy_model or len(which) < 2:
        return out
    try:
        for i, doc in zip(which, make_docs([articles[i] for i in which])):
            out[i] = doc
    except Exception:  # noqa: BLE001 - a text the tokenizer or NER chokes on: found one by one
        return [None] * len(articles)
    return out


def with_docs(items, spacy_model: str | None = None, size: int = 8):
    """``(item, Doc or None)`` for every input, the NLP of ``size`` articles at a time run as one
    batch (:func:`docs_for`); what ``kg build`` feeds :func:`process` with."""
    items = list(items)
    for start in range(0, len(items), size):
        batch = items[start:start + size]
        yield from zip(batch, docs_for(batch, spacy_model))


def analyse(article: Article, *, kb=None, spacy_model: str | None = None, entities=None, doc=None) -> Analysis:
    """read -> nlp -> link for one article; ``process`` and ``kg eval`` share it.

    ``spacy_model``: an installed spaCy pipeline whose entities replace the shipped NER (or the
    capitalisation rules) for articles in its language; ``entities``: such entities already found,
    ``[(start_char, end_char, label)]`` (the ``kg_linker`` component passes its host's);
    ``doc``: the article's Doc from :func:`make_docs`."""
    from kg import link, nlp
    from kg.kb import KnowledgeBase, normalise

    kb = kb or KnowledgeBase.load()
    lang = article_lang(article)
    if doc is None:
        if entities is None and spacy_model and nlp.external_pipeline(spacy_model).lang in (lang, "xx"):
            entities = nlp.external_entities(spacy_model, article.text)
        if entities is None:
            doc = nlp.make_nlp(lang)(article.text)
        else:
            doc = nlp.set_entities(nlp.make_nlp(lang, ner=False)(article.text), entities)

    def is_name(word: str) -> bool:
        first = normalise(word)
        return bool(first) and kb.max_tokens(first.split("-")[0]) > 0

    boiler = find_boilerplate(article.text, lang, is_name)
    linked = link.link(doc, kb, lang, article.published, boiler, article.publisher)
    return Analysis(lang, doc, boiler, linked)


def process(article: Article, *, kb=None, validate: bool = True, spacy_model: str | None = None,
            doc=None) -> Result:
    """Run every stage on one article. Raises KgError (InputError/ValidationError) on bad input.
    ``doc``: its Doc, when :func:`make_docs` made it with others."""
    from kg import extract, nlp, rdf
    from kg.kb import KnowledgeBase

    kb = kb or KnowledgeBase.load()
    a = analyse(article, kb=kb, spacy_model=spacy_model, doc=doc)
    lang, doc, boiler, linked = a.lang, a.doc, a.boilerplate, a.linked
    facts = extract.extract_facts(linked, extract.extract_relations(doc, lang, linked, boiler))
    events = extract.extract_events(doc, lang, linked, boiler, article.published)
    sentences = [(s.start_char, s.end_char) for s in doc.sents]
    doc.user_data.pop(nlp.TOKENS_KEY, None)  # the stages' token cache: a Doc holding Token objects cannot be pickled
    graphs = rdf.build_graphs(article, lang, linked, facts, sentences, boiler, kb, events)
    if validate:
        from kg.errors import ValidationError
        from kg.validate import validate_graph
        report = validate_graph(graphs.triples + graphs.background_triples)
        if not report.conforms:
            raise ValidationError(f"{article.source}: output does not conform to the shapes "
                                  f"({len(report.violations)} violations)", report)
    return Result(article, lang, graphs)


def build(text: str, *, id: str = "article", published: date | str | None = None, lang: str = "auto",
          url: str | None = None, title: str | None = None, publisher: str | None = None,
          validate: bool = True, spacy_model: str | None = None) -> Graph:
    """One article's text in, its graph out (article statements and background facts together)."""
    from kg.read import check_lang, parse_date
    article = Article(id=id, text=text, lang=check_lang(lang), published=parse_date(published),
                      url=url, title=title, publisher=publisher)
    return process(article, validate=validate, spacy_model=spacy_model).graphs.merged()
