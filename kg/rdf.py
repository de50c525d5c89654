"""RDF stage: one rdflib graph per article, as docs/DESIGN.md and the output contract describe.

The article graph holds what the article says (its mentions, the entities with the labels and
types we gave them, the facts with their evidence); the background graph holds what the knowledge
base adds about those entities (an office's country, descriptions). A Turtle file carries both; a
TriG dataset keeps them in separate named graphs.
"""
from __future__ import annotations

import hashlib
from bisect import bisect_right
from functools import lru_cache
from typing import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.extract import Event, Fact
from kg.ids import is_nil, slug
from kg.link import Linked
from kg.read import Article, Span
from kg.vocab import ITSRDF, KG, KGR, NIF, PLOVER, PROV, SCHEMA, SEM, WD, WDT, graph_of

BACKGROUND_GRAPH = KGR["graph/background"]
Triple = tuple  # (subject, predicate, object) rdflib terms
TIME_TYPES = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}


def article_slug(article_id: str) -> str:
    s = slug(article_id, max_len=80)
    if s != article_id:
        s = f"{s}-{hashlib.sha1(article_id.encode('utf-8')).hexdigest()[:8]}" if s else \
            hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:16]
    return s


def article_iri(article_id: str) -> URIRef:
    return KGR[f"article/{article_slug(article_id)}"]


@lru_cache(maxsize=65536)  # the same entities recur in every article; a URIRef is immutable
def entity_iri(entity_id: str) -> URIRef:
    if is_nil(entity_id):
        return KGR[f"entity/{entity_id[4:]}"]
    return WD[entity_id]


@lru_cache(maxsize=None)
def _class(entity_type: str) -> URIRef:
    return KG[entity_type]


class ArticleGraphs:
    """An article's triples: its own statements and the knowledge-base facts about its entities.

    Kept as plain triples (ingest hashes, validates and stores them without an rdflib store, which
    costs ~10 ms per article to fill); ``graph`` and ``background`` make the rdflib graphs on first
    use, and from then on those graphs are the truth (a caller may edit them)."""

    def __init__(self, article: URIRef, graph: Graph | Iterable[Triple], background: Graph | Iterable[Triple]):
        self.article = article
        self._graph = graph if isinstance(graph, Graph) else None
        self._background = background if isinstance(background, Graph) else None
        self._triples = None if self._graph is not None else list(dict.fromkeys(graph))
        self._background_triples = None if self._background is not None else list(dict.fromkeys(background))

    @property
    def graph(self) -> Graph:
        if self._graph is None:
            self._graph = graph_of(self._triples)
        return self._graph

    @property
    def background(self) -> Graph:
        if self._background is None:
            self._background = graph_of(self._background_triples)
        return self._background

    @property
    def triples(self) -> list[Triple]:
        """The article graph's triples (no duplicates; a new list: edit ``graph`` to change them)."""
        return list(self._graph) if self._graph is not None else list(self._triples)

    @property
    def background_triples(self) -> list[Triple]:
        return list(self._background) if self._background is not None else list(self._background_triples)

    def __len__(self) -> int:
        """Triples of both graphs (a triple in both counts twice, as it is stored twice)."""
        return len(self.triples) + len(self.background_triples)

    def merged(self) -> Graph:
        return graph_of(self.triples, self.background_triples)


_NON_NEGATIVE, _DOUBLE = XSD.nonNegativeInteger, XSD.double  # XSD.name is a slow look-up each time


@lru_cache(maxsize=16384)
def _int(n: int) -> Literal:
    return Literal(n, datatype=_NON_NEGATIVE)


@lru_cache(maxsize=4096)  # calibrated confidences take few values; a Literal is immutable
def _conf(x: float) -> Literal:
    return Literal(float(x), datatype=_DOUBLE)


@lru_cache(maxsize=4096)
def _plain(text: str) -> Literal:
    """A plain literal for the short strings every article repeats (link methods, kinds, codes)."""
    return Literal(text)


def build_graphs(article: Article, lang: str, linked: Linked, facts: list[Fact],
                 sentences: list[tuple[int, int]], boilerplate: list[Span], kb,
                 events: list[Event] = ()) -> ArticleGraphs:
    g = _Collector()
    bg = _Collector()
    text = article.text
    a = article_iri(article.id)
    aslug = article_slug(article.id)
    ctx = KGR[f"text/{aslug}#char=0,{len(text)}"]

    g.add((a, RDF.type, SCHEMA.NewsArticle))
    g.add((a, SCHEMA.identifier, Literal(article.id)))
    g.add((a, SCHEMA.inLanguage, Literal(lang)))
    if article.published:
        g.add((a, SCHEMA.datePublished, Literal(article.published.isoformat(), datatype=XSD.date)))
    if article.url:
        g.add((a, SCHEMA.url, Literal(article.url, datatype=XSD.anyURI)))
    if article.title:
        g.add((a, SCHEMA.headline, Literal(article.title, lang=lang)))
    g.add((a, KG.context, ctx))
    g.add((ctx, RDF.type, NIF.Context))
    g.add((ctx, RDF.type, NIF.String))
    g.add((ctx, NIF.isString, Literal(text)))
    g.add((ctx, NIF.beginIndex, _int(0)))
    g.add((ctx, NIF.endIndex, _int(len(text))))
    g.add((ctx, PROV.wasDerivedFrom, a))

    for s in boilerplate:
        node = KGR[f"text/{aslug}/boilerplate/{s.start}-{s.end}"]
        g.add((a, KG.boilerplate, node))
        g.add((node, RDF.type, KG.Boilerplate))
        g.add((node, KG.boilerplateKind, _plain(s.kind)))
        g.add((node, KG.beginIndex, _int(s.start)))
        g.add((node, KG.endIndex, _int(s.end)))
        g.add((node, NIF.anchorOf, Literal(s.text)))
        g.add((node, NIF.referenceContext, ctx))

    sent_nodes: dict[int, URIRef] = {}
    sent_starts = [b for b, _ in sentences]
    # the predicates and classes every mention and sentence repeats, looked up once (each lookup in a
    # closed namespace is a checked attribute access)
    a_type, anchor, ref_ctx, phrase, string = RDF.type, NIF.anchorOf, NIF.referenceContext, NIF.Phrase, NIF.String
    n_begin, n_end, in_sentence = NIF.beginIndex, NIF.endIndex, NIF.sentence
    ident, class_ref, confidence, method = ITSRDF.taIdentRef, ITSRDF.taClassRef, KG.confidence, KG.linkMethod

    def sentence_of(pos: int) -> URIRef | None:
        i = bisect_right(sent_starts, pos) - 1
        if i < 0:
            return None
        b, e = sentences[i]
        if not b <= pos < e:
            return None
        node = sent_nodes.get(i)
        if node is None:
            node = KGR[f"text/{aslug}/sentence/{i}"]
            sent_nodes[i] = node
            g.add((node, a_type, NIF.Sentence))
            g.add((node, anchor, Literal(text[b:e])))
            g.add((node, KG.beginIndex, _int(b)))
            g.add((node, KG.endIndex, _int(e)))
            g.add((node, ref_ctx, ctx))
        return node

    mention_nodes: dict[tuple[int, int], URIRef] = {}
    for m in linked.mentions:
        if (m.start, m.end) in mention_nodes:
            continue
        node = KGR[f"text/{aslug}#char={m.start},{m.end}"]
        mention_nodes[(m.start, m.end)] = node
        g.add((node, a_type, phrase))
        g.add((node, a_type, string))
        g.add((node, anchor, Literal(m.text)))
        g.add((node, n_begin, _int(m.start)))
        g.add((node, n_end, _int(m.end)))
        g.add((node, ref_ctx, ctx))
        sent = sentence_of(m.start)
        if sent is not None:
            g.add((node, in_sentence, sent))
        g.add((node, ident, entity_iri(m.entity)))
        g.add((node, class_ref, _class(m.type)))
        g.add((node, confidence, _conf(m.confidence)))
        g.add((node, method, _plain(m.method)))

    # entities: type and labels in the article graph, KB context in the background graph
    referenced = set(linked.entities)
    referenced |= {f.object for f in facts} | {f.subject for f in facts}
    for ev in events:
        referenced |= set(ev.actors) | set(ev.targets) | {x for x in (ev.place, ev.speaker, ev.reported_by) if x}
    for ent_id in sorted(referenced):
        info = linked.entities.get(ent_id)
        kb_ent = None if is_nil(ent_id) and info is not None else kb.entity(ent_id)
        etype = info.type if info is not None else (kb_ent.type if kb_ent else "Entity")
        labels = dict(info.labels) if info is not None else (dict(kb_ent.labels) if kb_ent else {})
        country = info.country if info is not None else (kb_ent.country if kb_ent else None)
        node = entity_iri(ent_id)
        target = g if info is not None else bg
        target.add((node, RDF.type, _class(etype)))
        for lg, label in sorted(labels.items()):
            if label:
                target.add((node, RDFS.label, Literal(label, lang=lg)))
        if is_nil(ent_id):
            target.add((node, RDF.type, KG.NILEntity))
            target.add((node, KG.nilKey, Literal(ent_id[4:])))
        if country and etype in ("Position", "City", "Territory") and country != ent_id:
            bg.add((node, WDT.P17, entity_iri(country)))
        desc = info.description if info is not None else (kb_ent.description if kb_ent else None)
        if desc:
            bg.add((node, SCHEMA.description, Literal(desc, lang="en")))

    for ent_id in linked.mentioned():
        g.add((a, SCHEMA.mentions, entity_iri(ent_id)))
    if linked.publisher:
        g.add((a, SCHEMA.publisher, entity_iri(linked.publisher)))
    if linked.dateline_place:
        g.add((a, SCHEMA.locationCreated, entity_iri(linked.dateline_place)))
    for src in dict.fromkeys(linked.sources):
        g.add((a, KG.reportedBy, entity_iri(src)))

    for n, f in enumerate(facts):
        s, p, o = entity_iri(f.subject), WDT[f.prop], entity_iri(f.object)
        g.add((s, p, o))
        node = KGR[f"article/{aslug}/fact/{n}"]
        g.add((node, RDF.type, KG.Fact))
        g.add((node, RDF.subject, s))
        g.add((node, RDF.predicate, p))
        g.add((node, RDF.object, o))
        g.add((node, KG.confidence, _conf(f.confidence)))
        g.add((node, KG.linkMethod, _plain(f.method)))
        g.add((node, PROV.wasDerivedFrom, a))
        sent = sentence_of(f.evidence[0].start)
        if sent is not None:
            g.add((node, KG.evidence, sent))
        for m in f.evidence:
            g.add((node, KG.evidenceMention, mention_nodes[(m.start, m.end)]))
    for n, ev in enumerate(events):
        node = KGR[f"article/{aslug}/event/{n}"]
        g.add((node, RDF.type, SEM.Event))
        if ev.speaker:
            g.add((node, RDF.type, KG.Claim))
            g.add((node, PROV.wasAttributedTo, entity_iri(ev.speaker)))
        g.add((node, SEM.eventType, PLOVER[ev.plover]))
        if ev.cameo:
            g.add((node, KG.cameoCode, _plain(ev.cameo)))
        for x in ev.actors:
            g.add((node, SEM.hasActor, entity_iri(x)))
        for x in ev.targets:
            g.add((node, KG.hasTarget, entity_iri(x)))
        if ev.place:
            g.add((node, SEM.hasPlace, entity_iri(ev.place)))
        if ev.when is not None and ev.when.precision in TIME_TYPES:
            g.add((node, SEM.hasTimeStamp, Literal(ev.when.value, datatype=TIME_TYPES[ev.when.precision])))
        g.add((node, KG.trigger, Literal(ev.trigger)))
        g.add((node, KG.confidence, _conf(ev.confidence)))
        if ev.reported_by:
            g.add((node, KG.reportedBy, entity_iri(ev.reported_by)))
        g.add((node, PROV.wasDerivedFrom, a))
        sent = sentence_of(ev.trigger_span[0])
        if sent is not None:
            g.add((node, KG.evidence, sent))
    return ArticleGraphs(a, g.triples, bg.triples)


class _Collector:
    """Triples in the order added, without duplicates (what build_graphs fills instead of a Graph)."""

    __slots__ = ("triples",)

    def __init__(self):
        self.triples: dict[Triple, None] = {}

    def add(self, triple: Triple) -> None:
        self.triples[triple] = None


__all__ = ["ArticleGraphs", "BACKGROUND_GRAPH", "article_iri", "entity_iri", "build_graphs"]
