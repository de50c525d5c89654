"""Self-contained HTML pages (``kg show``): one article graph, or a store (``--store``, see the
second half of this module: one entity across all articles, or an overview).

The page has four parts, all drawn from the RDF that ``kg build`` writes (docs/DESIGN.md):

(a) the article text with every mention highlighted by type, linked to its Wikidata page (NIL
    mentions are marked and not linked), nested mentions inside their outer mention, and an
    ``id`` anchor on every sentence node of the graph;
(b) the graph of entities, offices and events as inline SVG, laid out in Python (entities on an
    outer circle, events on an inner one; claims and their speaker edge dashed);
(c) the events as a timeline (dated ones by time, undated last);
(d) the facts as a table.

Everything is inline (CSS, SVG and a few lines of JS): the page loads nothing. The only
``http(s)`` URLs in ``href`` attributes are ``https://www.wikidata.org/wiki/Q…`` links.
Elements carry stable data attributes for tests and scripts: ``data-mention`` ("begin-end"),
``data-node`` (entity or event IRI), ``data-edge`` (property or role), ``data-event`` and
``data-fact`` (the statement node IRI).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from html import escape
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.vocab import ITSRDF, KG, KGR, NIF, PLOVER, PROV, SCHEMA, SEM, WD, WDT

WIKIDATA_PAGE = "https://www.wikidata.org/wiki/"
RDF_SUFFIXES = {".ttl", ".trig", ".nt", ".nq", ".jsonld"}

#: Entity types in the order the graph lays them out, with their colours.
TYPE_COLOURS: dict[str, str] = {
    "Person": "#f4a261",
    "Position": "#e9c46a",
    "Country": "#8ecae6",
    "Territory": "#a8dadc",
    "City": "#90e0ef",
    "Location": "#b5e2fa",
    "GovernmentOrganization": "#b7e4c7",
    "InternationalOrganization": "#95d5b2",
    "Organization": "#d8f3dc",
    "NewsAgency": "#cdb4db",
    "MediaOrganization": "#e0c3fc",
    "Entity": "#dddddd",
}
_TYPE_ORDER = {t: i for i, t in enumerate(TYPE_COLOURS)}
_FALLBACK_PROP_LABELS = {"P39": "position held", "P17": "country", "P36": "capital",
                         "P463": "member of", "P131": "located in the administrative territorial entity"}


# ---------------------------------------------------------------- reading the graph

@dataclass
class _Entity:
    iri: URIRef
    type: str
    label: str
    nil: bool

    @property
    def qid(self) -> str | None:
        s = str(self.iri)
        return s[len(str(WD)):] if s.startswith(str(WD)) and not self.nil else None

    @property
    def href(self) -> str | None:
        return WIKIDATA_PAGE + self.qid if self.qid and re.fullmatch(r"[QPL]\d+", self.qid) else None


@dataclass
class _Mention:
    iri: URIRef
    begin: int
    end: int
    text: str
    entity: _Entity | None
    type: str
    confidence: float | None
    method: str | None


@dataclass
class _Sentence:
    iri: URIRef
    anchor: str  # the HTML id
    begin: int
    end: int
    text: str


@dataclass
class _Event:
    iri: URIRef
    num: int
    plover: str
    claim: bool
    when: str | None
    trigger: str | None
    actors: list[URIRef] = field(default_factory=list)
    targets: list[URIRef] = field(default_factory=list)
    place: URIRef | None = None
    speaker: URIRef | None = None
    confidence: float | None = None
    evidence: _Sentence | None = None


@dataclass
class _Fact:
    iri: URIRef
    num: int
    subject: URIRef
    prop: URIRef
    object: URIRef
    confidence: float | None
    evidence: _Sentence | None


def _local(iri) -> str:
    s = str(iri)
    return re.split(r"[#/]", s)[-1]


def _num(iri) -> int:
    m = re.search(r"(\d+)$", str(iri))
    return int(m.group(1)) if m else 0


def _float(v) -> float | None:
    try:
        return float(v.toPython()) if v is not None else None
    except (TypeError, ValueError):
        return None


@lru_cache(maxsize=None)
def _prop_labels() -> dict[str, dict[str, str]]:
    """Labels of the wdt: properties from the shipped ontology ({"P39": {"en": ..., "id": ...}})."""
    from kg.resources import ontology_path

    out: dict[str, dict[str, str]] = {}
    onto = Graph().parse(ontology_path(), format="turtle")  # shipped: a parse error is a bug, not input
    for s, lab in onto.subject_objects(RDFS.label):
        if str(s).startswith(str(WDT)) and isinstance(lab, Literal):
            out.setdefault(_local(s), {})[lab.language or ""] = str(lab)
    for p, lab in _FALLBACK_PROP_LABELS.items():
        out.setdefault(p, {}).setdefault("en", lab)
    return out


class _ArticleView:
    """The parts of one article graph that the page shows."""

    def __init__(self, g: Graph, article: URIRef | None = None):
        self.g = g
        articles = sorted(g.subjects(RDF.type, SCHEMA.NewsArticle), key=str)
        if article is None:
            if not articles:
                from kg.errors import InputError
                raise InputError("the graph holds no schema:NewsArticle")
            article = articles[0]
        self.article = article
        self.lang = str(g.value(article, SCHEMA.inLanguage) or "en")
        self.ctx = g.value(article, KG.context)
        self.text = str(g.value(self.ctx, NIF.isString) or "") if self.ctx is not None else ""
        self._entities: dict[URIRef, _Entity] = {}
        self.sentences = self._read_sentences()
        self.mentions = self._read_mentions()
        self.facts = self._read_facts()
        self.events = self._read_events()

    # entities
    def entity(self, iri: URIRef) -> _Entity:
        e = self._entities.get(iri)
        if e is None:
            g = self.g
            types = sorted(_local(t) for t in g.objects(iri, RDF.type)
                           if str(t).startswith(str(KG._NS)) and _local(t) not in ("NILEntity",))
            types.sort(key=lambda t: _TYPE_ORDER.get(t, 99))
            nil = (iri, RDF.type, KG.NILEntity) in g or str(iri).startswith(str(KGR))
            e = _Entity(iri, types[0] if types else "Entity", self.label(iri), nil)
            self._entities[iri] = e
        return e

    def label(self, iri: URIRef) -> str:
        labels = {lab.language or "": str(lab) for lab in self.g.objects(iri, RDFS.label) if isinstance(lab, Literal)}
        for lg in (self.lang, "en", "id", ""):
            if labels.get(lg):
                return labels[lg]
        if labels:
            return labels[sorted(labels)[0]]
        return _local(iri)

    def _read_sentences(self) -> dict[URIRef, _Sentence]:
        out = {}
        for s in self.g.subjects(RDF.type, NIF.Sentence):
            if self.ctx is not None and (s, NIF.referenceContext, self.ctx) not in self.g:
                continue
            b, e = self.g.value(s, KG.beginIndex), self.g.value(s, KG.endIndex)
            if b is None or e is None:
                continue
            m = re.search(r"/sentence/(\d+)$", str(s))
            anchor = f"sentence-{m.group(1)}" if m else f"sentence-{int(b)}-{int(e)}"
            out[s] = _Sentence(s, anchor, int(b), int(e), str(self.g.value(s, NIF.anchorOf) or ""))
        return out

    def _read_mentions(self) -> list[_Mention]:
        out = []
        g = self.g
        for m in set(g.subjects(ITSRDF.taIdentRef, None)):
            if self.ctx is not None and (m, NIF.referenceContext, self.ctx) not in g:
                continue
            b, e = g.value(m, NIF.beginIndex), g.value(m, NIF.endIndex)
            if b is None or e is None:
                continue
            b, e = int(b), int(e)
            ent_iri = g.value(m, ITSRDF.taIdentRef)
            ent = self.entity(ent_iri) if ent_iri is not None else None
            cls = g.value(m, ITSRDF.taClassRef)
            mtype = _local(cls) if cls is not None else (ent.type if ent else "Entity")
            out.append(_Mention(m, b, e, self.text[b:e], ent, mtype, _float(g.value(m, KG.confidence)),
                                str(g.value(m, KG.linkMethod) or "") or None))
        out.sort(key=lambda x: (x.begin, -x.end))
        return out

    def _read_facts(self) -> list[_Fact]:
        out = []
        for f in self.g.subjects(RDF.type, KG.Fact):
            s, p, o = (self.g.value(f, x) for x in (RDF.subject, RDF.predicate, RDF.object))
            if s is None or p is None or o is None:
                continue
            ev = self.g.value(f, KG.evidence)
            out.append(_Fact(f, _num(f), s, p, o, _float(self.g.value(f, KG.confidence)),
                             self.sentences.get(ev)))
        out.sort(key=lambda x: (x.num, str(x.iri)))
        return out

    def _read_events(self) -> list[_Event]:
        g = self.g
        out = []
        for ev in set(g.subjects(RDF.type, SEM.Event)) | set(g.subjects(RDF.type, KG.Claim)):
            et = g.value(ev, SEM.eventType)
            when = g.value(ev, SEM.hasTimeStamp)
            e = _Event(ev, _num(ev), _local(et) if et is not None else "EVENT",
                       (ev, RDF.type, KG.Claim) in g, str(when) if when is not None else None,
                       str(g.value(ev, KG.trigger) or "") or None,
                       sorted(g.objects(ev, SEM.hasActor), key=str), sorted(g.objects(ev, KG.hasTarget), key=str),
                       g.value(ev, SEM.hasPlace), g.value(ev, PROV.wasAttributedTo),
                       _float(g.value(ev, KG.confidence)), self.sentences.get(g.value(ev, KG.evidence)))
            out.append(e)
        out.sort(key=lambda e: (e.when is None, e.when or "", e.num, str(e.iri)))
        return out

    def prop_label(self, prop: URIRef) -> str:
        labels = {lab.language or "": str(lab) for lab in self.g.objects(prop, RDFS.label) if isinstance(lab, Literal)}
        if not labels:
            labels = _prop_labels().get(_local(prop), {})
        for lg in (self.lang, "en", ""):
            if labels.get(lg):
                return labels[lg]
        return _local(prop)


# ---------------------------------------------------------------- (a) the text

def _fmt_conf(c: float | None) -> str:
    return f"{c:.2f}" if c is not None else "?"


def _mention_title(m: _Mention) -> str:
    ent = m.entity
    who = ent.label if ent else m.text
    ident = ("NIL (not in Wikidata)" if ent is None or ent.nil else ent.qid) or _local(ent.iri)
    parts = [f"{who} ({m.type})", ident, f"confidence {_fmt_conf(m.confidence)}"]
    if m.method:
        parts.append(m.method)
    return " · ".join(parts)


@dataclass
class _Iv:
    layer: int  # 0 sentence, 1 boilerplate, 2 mention
    begin: int
    end: int
    seq: int
    open_first: str
    open_more: str
    close: str
    href: str | None = None
    title: str | None = None
    opened: bool = False

    @property
    def key(self):
        return (self.layer, self.begin, -self.end, self.seq)


def _render_text(view: _ArticleView) -> str:
    text = view.text
    n = len(text)
    mentions = [m for m in view.mentions if 0 <= m.begin < m.end <= n]
    # structural spans must not cut a mention: snap their boundaries inside a mention to its end
    cuts = [(m.begin, m.end) for m in mentions]

    def snap(pos: int) -> int:
        for b, e in cuts:
            if b < pos < e:
                return snap(e)
        return pos

    ivs: list[_Iv] = []
    points: dict[int, list[str]] = {}
    seq = 0
    for s in sorted(view.sentences.values(), key=lambda s: (s.begin, s.end)):
        b, e = snap(max(0, s.begin)), snap(min(n, s.end))
        head = f'<span class="sent" id="{escape(s.anchor)}" data-sentence="{escape(str(s.iri))}">'
        if b >= e:
            points.setdefault(b, []).append(head + "</span>")
            continue
        ivs.append(_Iv(0, b, e, seq, head, '<span class="sent">', "</span>"))
        seq += 1
    g = view.g
    for bp in sorted(g.objects(view.article, KG.boilerplate), key=str):
        b, e = g.value(bp, KG.beginIndex), g.value(bp, KG.endIndex)
        if b is None or e is None:
            continue
        b, e = snap(max(0, int(b))), snap(min(n, int(e)))
        if b >= e:
            continue
        kind = escape(str(g.value(bp, KG.boilerplateKind) or "boilerplate"))
        ivs.append(_Iv(1, b, e, seq, f'<span class="bp" data-boilerplate="{kind}" title="boilerplate: {kind}">',
                       f'<span class="bp" title="boilerplate: {kind}">', "</span>"))
        seq += 1
    for m in mentions:
        ent = m.entity
        nil = ent is None or ent.nil
        cls = f"m t-{escape(m.type)}" + (" nil" if nil else "")
        attrs = (f'data-entity="{escape(str(ent.iri)) if ent else ""}" data-type="{escape(m.type)}" '
                 f'data-confidence="{_fmt_conf(m.confidence)}"' + (' data-nil="true"' if nil else "")
                 + f' title="{escape(_mention_title(m))}"')
        ivs.append(_Iv(2, m.begin, m.end, seq,
                       f'<span class="{cls}" data-mention="{m.begin}-{m.end}" {attrs}>',
                       f'<span class="{cls}" data-mention-part="{m.begin}-{m.end}" {attrs}>', "</span>",
                       href=None if nil else ent.href, title=_mention_title(m)))
        seq += 1

    bounds = sorted({0, n} | {iv.begin for iv in ivs} | {iv.end for iv in ivs} | set(points))
    out: list[str] = []
    stack: list[_Iv] = []
    for p, q in zip(bounds, bounds[1:] + [None]):
        active = sorted((iv for iv in ivs if iv.begin <= p and (q is not None and iv.end >= q)),
                        key=lambda iv: iv.key)
        k = 0
        while k < len(stack) and k < len(active) and stack[k] is active[k]:
            k += 1
        for iv in reversed(stack[k:]):
            out.append(iv.close)
        out.extend(points.get(p, ()))
        if q is None:
            break
        for iv in active[k:]:
            out.append(iv.open_more if iv.opened else iv.open_first)
            iv.opened = True
        stack = active
        piece = escape(text[p:q])
        inner = next((iv for iv in reversed(active) if iv.layer == 2), None)
        if inner is not None and inner.href:
            piece = f'<a href="{escape(inner.href)}" target="_blank" rel="noopener">{piece}</a>'
        out.append(piece)
    return "".join(out)


# ---------------------------------------------------------------- (b) the graph

def _short(s: str, n: int = 30) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _svg_entity_node(iri, e, xy: tuple[float, float], cx: float, node_r: int) -> str:
    """One entity of a drawn graph (article or store view): a circle coloured by type, dashed for a NIL
    entity, its label on the side away from the centre, linked to its Wikidata page."""
    x, y = xy
    left = x < cx - 1
    tx = x - node_r - 4 if left else x + node_r + 4
    colour = TYPE_COLOURS.get(e.type, TYPE_COLOURS["Entity"])
    body = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{node_r}" fill="{colour}"'
            + (' stroke-dasharray="3 2"' if e.nil else "") + '/>'
            f'<text x="{tx:.1f}" y="{y + 4:.1f}" text-anchor="{"end" if left else "start"}">'
            f'{escape(_short(e.label))}</text>')
    if e.href:
        body = f'<a href="{escape(e.href)}" target="_blank" rel="noopener">{body}</a>'
    ident = "NIL" if e.nil else (e.qid or "")
    return (f'<g class="node t-{escape(e.type)}{" nil" if e.nil else ""}" data-node="{escape(str(iri))}" '
            f'data-entity="{escape(str(iri))}" data-type="{escape(e.type)}">'
            f'<title>{escape(e.label)} ({escape(e.type)}) {escape(ident)}</title>{body}</g>')


def _render_graph(view: _ArticleView) -> str:
    g = view.g
    edges: list[tuple[URIRef, URIRef, str, str, bool]] = []  # (from, to, key, label, dashed)
    for f in view.facts:
        edges.append((f.subject, f.object, _local(f.prop), view.prop_label(f.prop), False))
    for ev in view.events:
        for a in ev.actors:
            edges.append((ev.iri, a, "actor", "actor", False))
        for t in ev.targets:
            edges.append((ev.iri, t, "target", "target", False))
        if ev.place is not None:
            edges.append((ev.iri, ev.place, "place", "place", False))
        if ev.speaker is not None:
            edges.append((ev.speaker, ev.iri, "speaker", "says", True))
    ent_nodes = {x for e in edges for x in e[:2]} - {ev.iri for ev in view.events}
    # truthy statements between the entities drawn (e.g. an office's country) that no kg:Fact covers
    seen = {(e[0], e[2], e[1]) for e in edges}
    for s, p, o in g:
        if (isinstance(p, URIRef) and str(p).startswith(str(WDT)) and s in ent_nodes and o in ent_nodes
                and (s, _local(p), o) not in seen):
            edges.append((s, o, _local(p), view.prop_label(p), False))
            seen.add((s, _local(p), o))
    edges.sort(key=lambda e: (str(e[0]), e[2], str(e[1])))

    ents = sorted((view.entity(x) for x in ent_nodes),
                  key=lambda e: (_TYPE_ORDER.get(e.type, 99), e.label.casefold(), str(e.iri)))
    events = [ev for ev in sorted(view.events, key=lambda e: (e.num, str(e.iri)))]
    if not ents and not events:
        return '<p class="empty">No facts or events to draw.</p>'

    n_out, n_in = max(len(ents), 1), max(len(events), 1)
    r_out = max(200.0, n_out * 64 / (2 * math.pi))
    r_in = max(90.0, min(r_out * 0.55, n_in * 56 / (2 * math.pi)))
    margin = 230
    size = int(2 * (r_out + margin))
    cx = cy = size / 2
    pos: dict[URIRef, tuple[float, float]] = {}
    for i, e in enumerate(ents):
        a = -math.pi / 2 + 2 * math.pi * i / n_out
        pos[e.iri] = (cx + r_out * math.cos(a), cy + r_out * math.sin(a))
    for i, ev in enumerate(events):
        a = -math.pi / 2 + 2 * math.pi * (i + 0.5) / n_in
        pos[ev.iri] = (cx + r_in * math.cos(a), cy + r_in * math.sin(a))

    ev_by_iri = {ev.iri: ev for ev in events}

    def name(x: URIRef) -> str:
        ev = ev_by_iri.get(x)
        if ev is not None:
            return f"{'claim' if ev.claim else 'event'} {ev.num}: {ev.plover}"
        return view.entity(x).label

    node_r = 11
    parts = [f'<svg class="graph" viewBox="0 0 {size} {size}" width="{size}" height="{size}" role="img" '
             f'aria-label="article graph">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#666"/></marker></defs>',
             '<g class="edges">']
    for a, b, key, label, dashed in edges:
        if a not in pos or b not in pos:
            continue
        (x1, y1), (x2, y2) = pos[a], pos[b]
        d = math.hypot(x2 - x1, y2 - y1) or 1.0
        ux, uy = (x2 - x1) / d, (y2 - y1) / d
        sx, sy, tx, ty = x1 + ux * node_r, y1 + uy * node_r, x2 - ux * (node_r + 2), y2 - uy * (node_r + 2)
        mx, my = (sx + tx) / 2, (sy + ty) / 2
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        cls = "edge" + (" claim-edge" if dashed else "") + (" fact-edge" if key.startswith("P") else "")
        parts.append(
            f'<g class="{cls}" data-edge="{escape(key)}" data-from="{escape(str(a))}" data-to="{escape(str(b))}">'
            f'<title>{escape(_short(name(a), 60))} — {escape(label)} → {escape(_short(name(b), 60))}</title>'
            f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{tx:.1f}" y2="{ty:.1f}"{dash} marker-end="url(#arrow)"/>'
            + (f'<text x="{mx:.1f}" y="{my:.1f}" class="elabel">{escape(_short(label, 24))}</text>'
               if key.startswith("P") or key == "speaker" else "")
            + "</g>")
    parts.append('</g><g class="nodes">')
    for e in ents:
        parts.append(_svg_entity_node(e.iri, e, pos[e.iri], cx, node_r))
    for ev in events:
        x, y = pos[ev.iri]
        w, h = 92, 22
        dash = ' stroke-dasharray="5 3"' if ev.claim else ""
        parts.append(f'<g class="node event{" claim" if ev.claim else ""}" data-node="{escape(str(ev.iri))}" '
                     f'data-event-node="{escape(str(ev.iri))}">'
                     f'<title>{"claim" if ev.claim else "event"} {ev.num}: {escape(ev.plover)}'
                     f'{" — " + escape(ev.trigger) if ev.trigger else ""}{" — " + escape(ev.when) if ev.when else ""}'
                     f'</title><rect x="{x - w / 2:.1f}" y="{y - h / 2:.1f}" width="{w}" height="{h}" rx="6"{dash}/>'
                     f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle">{escape(ev.plover)}</text></g>')
    parts.append("</g></svg>")
    return "".join(parts)


# ---------------------------------------------------------------- (c) timeline, (d) facts

def _entity_html(view: _ArticleView, iri: URIRef | None) -> str:
    if iri is None:
        return ""
    e = view.entity(iri)
    label = escape(e.label)
    cls = f'ent t-{escape(e.type)}' + (" nil" if e.nil else "")
    if e.href:
        return (f'<a class="{cls}" data-entity="{escape(str(iri))}" href="{escape(e.href)}" target="_blank" '
                f'rel="noopener" title="{escape(e.type)} {escape(e.qid or "")}">{label}</a>')
    return f'<span class="{cls}" data-entity="{escape(str(iri))}" title="{escape(e.type)} · NIL (not in Wikidata)">{label}</span>'


def _evidence_link(s: _Sentence | None) -> str:
    if s is None:
        return ""
    return (f'<a class="evidence" href="#{escape(s.anchor)}" title="{escape(_short(s.text, 200))}">'
            f'sentence {escape(s.anchor.removeprefix("sentence-"))}</a>')


def _render_timeline(view: _ArticleView) -> str:
    if not view.events:
        return '<p class="empty">No events.</p>'
    out = ['<ol class="timeline">']
    for ev in view.events:
        rows = []
        if ev.actors:
            rows.append(f'<span class="role">actor</span> ' + ", ".join(_entity_html(view, a) for a in ev.actors))
        if ev.targets:
            rows.append(f'<span class="role">target</span> ' + ", ".join(_entity_html(view, a) for a in ev.targets))
        if ev.place is not None:
            rows.append(f'<span class="role">place</span> {_entity_html(view, ev.place)}')
        if ev.claim:
            rows.append(f'<span class="role">claimed by</span> {_entity_html(view, ev.speaker)}')
        kind = "claim" if ev.claim else "event"
        out.append(
            f'<li class="{kind}" data-event="{escape(str(ev.iri))}" data-plover="{escape(ev.plover)}"'
            f' data-claim="{"true" if ev.claim else "false"}" data-when="{escape(ev.when or "")}">'
            f'<span class="when">{escape(ev.when) if ev.when else "undated"}</span> '
            f'<span class="plover">{escape(ev.plover)}</span> '
            f'<span class="kind">{kind}</span>'
            + (f' <q class="trigger">{escape(ev.trigger)}</q>' if ev.trigger else "")
            + f' <span class="conf">confidence {_fmt_conf(ev.confidence)}</span> {_evidence_link(ev.evidence)}'
            + "".join(f'<div class="row">{r}</div>' for r in rows) + "</li>")
    out.append("</ol>")
    return "".join(out)


def _render_facts(view: _ArticleView) -> str:
    if not view.facts:
        return '<p class="empty">No facts.</p>'
    out = ['<table class="facts"><thead><tr><th>subject</th><th>property</th><th>object</th>'
           '<th>confidence</th><th>evidence</th></tr></thead><tbody>']
    for f in view.facts:
        out.append(f'<tr data-fact="{escape(str(f.iri))}" data-property="{escape(_local(f.prop))}">'
                   f'<td>{_entity_html(view, f.subject)}</td>'
                   f'<td title="{escape(_local(f.prop))}">{escape(view.prop_label(f.prop))} '
                   f'<small>({escape(_local(f.prop))})</small></td>'
                   f'<td>{_entity_html(view, f.object)}</td><td>{_fmt_conf(f.confidence)}</td>'
                   f'<td>{_evidence_link(f.evidence)}</td></tr>')
    out.append("</tbody></table>")
    return "".join(out)


# ---------------------------------------------------------------- the page

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;background:#fafafa}
header,section{max-width:1100px;margin:0 auto;padding:0.5em 1.2em}
header{border-bottom:1px solid #ddd}
h1{font-size:1.3em;margin:0.4em 0}
h2{font-size:1.1em;border-bottom:1px solid #eee;padding-bottom:0.2em}
.meta{color:#555;font-size:0.9em}
.text{white-space:pre-wrap;line-height:1.9;background:#fff;padding:1em;border:1px solid #e5e5e5;border-radius:6px}
.sent:target{background:#fff3b0;outline:2px solid #f4d35e}
.bp{color:#777;background:repeating-linear-gradient(45deg,#f5f5f5,#f5f5f5 4px,#fff 4px,#fff 8px)}
.m{border-radius:3px;padding:0 1px;border-bottom:2px solid rgba(0,0,0,0.25)}
.m .m{border-bottom:2px dotted rgba(0,0,0,0.6)}
.m a{color:inherit;text-decoration:none}
.m.nil{outline:1px dashed #c00;}
.m.nil::after{content:"NIL";font-size:0.6em;vertical-align:super;color:#c00;margin-left:1px}
.hl,.hl .m{box-shadow:0 0 0 2px #d00}
.legend span{display:inline-block;margin:0 0.5em 0.3em 0;padding:0 0.4em;border-radius:3px;font-size:0.85em}
svg.graph{background:#fff;border:1px solid #e5e5e5;border-radius:6px;max-width:100%;height:auto}
svg.graph text{font-size:11px;fill:#222}
svg.graph .elabel{font-size:9px;fill:#555;text-anchor:middle}
svg.graph line{stroke:#999;stroke-width:1.2}
svg.graph .claim-edge line{stroke:#b5179e}
svg.graph .fact-edge line{stroke:#2a6f97;stroke-width:1.6}
svg.graph circle{stroke:#555;stroke-width:1}
svg.graph .event rect{fill:#ffe5ec;stroke:#c9184a;stroke-width:1.2}
svg.graph .event.claim rect{fill:#f8edff;stroke:#b5179e}
svg.graph .hl circle,svg.graph .hl rect{stroke:#d00;stroke-width:3}
.timeline{list-style:none;padding-left:0;border-left:3px solid #ccc;margin-left:0.5em}
.timeline li{margin:0 0 0.8em 0;padding:0.3em 0.8em;position:relative;background:#fff;border:1px solid #eee;border-radius:5px;margin-left:1em}
.timeline li::before{content:"";position:absolute;left:-1.45em;top:0.7em;width:0.7em;height:0.7em;border-radius:50%;background:#c9184a}
.timeline li.claim{border-style:dashed;border-color:#b5179e}
.timeline li.claim::before{background:#b5179e}
.when{font-weight:600;font-variant-numeric:tabular-nums}
.plover{font-family:ui-monospace,monospace;background:#eee;padding:0 0.3em;border-radius:3px}
.kind{font-size:0.8em;color:#666;text-transform:uppercase}
.role{display:inline-block;min-width:6em;color:#666;font-size:0.85em}
.conf{color:#777;font-size:0.85em}
.ent{padding:0 0.2em;border-radius:3px;color:#222;text-decoration:none}
.ent.nil{outline:1px dashed #c00}
table.facts{border-collapse:collapse;width:100%;background:#fff}
table.facts th,table.facts td{border:1px solid #e5e5e5;padding:0.3em 0.5em;text-align:left;vertical-align:top}
.empty{color:#777}
"""

_JS = """
(function(){
  function mark(iri,on){
    if(!iri)return;
    document.querySelectorAll('[data-entity]').forEach(function(el){
      if(el.getAttribute('data-entity')===iri){el.classList.toggle('hl',on);}
    });
  }
  document.querySelectorAll('[data-entity]').forEach(function(el){
    el.addEventListener('mouseenter',function(){mark(el.getAttribute('data-entity'),true);});
    el.addEventListener('mouseleave',function(){mark(el.getAttribute('data-entity'),false);});
  });
})();
"""


def _type_css() -> str:
    rules = []
    for t, c in TYPE_COLOURS.items():
        rules.append(f".t-{t}{{background:{c}}}")
    return "\n".join(rules)


def render_article(graph: Graph, article: URIRef | None = None) -> str:
    """One self-contained HTML page for the article in ``graph`` (the first schema:NewsArticle)."""
    view = _ArticleView(graph, article)
    g = view.g
    a = view.article
    ident = str(g.value(a, SCHEMA.identifier) or _local(a))
    headline = g.value(a, SCHEMA.headline)
    published = g.value(a, SCHEMA.datePublished)
    publisher = g.value(a, SCHEMA.publisher)
    title = str(headline) if headline is not None else ident
    meta = [f"id <code>{escape(ident)}</code>", f"language <code>{escape(view.lang)}</code>"]
    if published is not None:
        meta.append(f"published {escape(str(published))}")
    if publisher is not None:
        meta.append("publisher " + _entity_html(view, publisher))
    meta.append(f"{len(view.mentions)} mentions · {len(view.facts)} facts · {len(view.events)} events "
                f"({sum(e.claim for e in view.events)} claims)")
    types_used = sorted({m.type for m in view.mentions}, key=lambda t: _TYPE_ORDER.get(t, 99))
    legend = "".join(f'<span class="t-{escape(t)}">{escape(t)}</span>' for t in types_used)
    return "".join([
        "<!DOCTYPE html>\n<html lang=\"", escape(view.lang), "\"><head><meta charset=\"utf-8\">",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'; img-src data:\">",
        f"<title>{escape(title)} — kg show</title><style>{_CSS}\n{_type_css()}</style></head><body>",
        f'<header data-article="{escape(str(a))}"><h1>{escape(title)}</h1><p class="meta">',
        " · ".join(meta), "</p></header>",
        '<section id="text"><h2>Text</h2>', f'<p class="legend">{legend}</p>',
        f'<div class="text" lang="{escape(view.lang)}">', _render_text(view), "</div></section>",
        '<section id="graph"><h2>Graph</h2>', _render_graph(view), "</section>",
        '<section id="events"><h2>Events</h2>', _render_timeline(view), "</section>",
        '<section id="facts"><h2>Facts</h2>', _render_facts(view), "</section>",
        f"<script>{_JS}</script></body></html>\n",
    ])


def _as_graph(data) -> Graph:
    if isinstance(data, Graph) and not hasattr(data, "graphs"):
        return data
    from kg.vocab import graph_of
    return graph_of(q[:3] for q in data.quads((None, None, None, None)))


def render_file(path) -> str:
    """Render a .ttl (or .trig/.nt/.nq/.jsonld) file written by ``kg build``."""
    from kg.validate import load_rdf
    return render_article(_as_graph(load_rdf(Path(path))))


def render_text(text: str, **build_kwargs) -> str:
    """Build the graph of ``text`` with :func:`kg.build` and render it."""
    import kg
    return render_article(kg.build(text, **build_kwargs))


def show(input: str, out: str, published: date | str | None = None, lang: str = "auto") -> str:
    """``kg show``: render an RDF file, or build a text file first, and write the page to ``out``.

    ``out`` "-" writes to stdout. Returns the HTML. Raises KgError subclasses on bad input.
    """
    import sys

    from kg.errors import InputError
    path = Path(input)
    if path.suffix.lower() in RDF_SUFFIXES:
        html = render_file(path)
    else:
        from kg.pipeline import process
        from kg.read import BadInput, check_lang, parse_date, read_inputs
        items = list(read_inputs([input], lang=check_lang(lang), published=parse_date(published)))
        if not items:
            raise InputError(f"{input}: no article")
        if isinstance(items[0], BadInput):
            raise InputError(str(items[0]))
        html = render_article(process(items[0]).graphs.merged())
    if out == "-":
        sys.stdout.write(html)
    else:
        from kg.store import atomic_write
        atomic_write(Path(out), html.encode("utf-8"))
    return html




# ================================================================ the store view (kg show --store)
#
# Two pages over a persistent store (kg.store: embedded Oxigraph or a SPARQL endpoint), both
# bounded in size whatever the store holds:
#
# * the entity view (``--entity``): everything the store says about one entity: coverage over time,
#   its neighbourhood as a graph, the events and claims it takes part in (timeline), the facts about
#   it with the article and sentence that state each, the knowledge-base facts, the entities named
#   with it, and the articles that mention it (newest first, with the sentence of its first mention);
# * the overview (no ``--entity``): counts, coverage over time, the most-mentioned entities (the
#   first of them with a short section each), event types, the latest events and the newest articles.
#
# Every query runs on the store's union of graphs; the entity is bound as an RDF term (kg.query's
# VALUES binding), lists of IRIs taken from earlier results as VALUES blocks of serialised terms
# (kg.query.sparql_term). Query count does not depend on the number of articles.

STORE_LIMIT = 1000  # rows per list (timeline, fact evidence, articles) in the entity view
GRAPH_NEIGHBOURS = 40  # entities around the centre of the entity view's graph
CO_MENTIONS = 30  # entities listed as "named together with"
OVERVIEW_ENTITIES = 50  # entities ranked in the overview
OVERVIEW_SECTIONS = 20  # of which get a section of their own
OVERVIEW_EVENTS = 50
OVERVIEW_ARTICLES = 200
_VALUES_CHUNK = 200  # IRIs per VALUES block (remote endpoints limit request size)
BACKGROUND_GRAPH = KGR["graph/background"]  # = kg.rdf.BACKGROUND_GRAPH (not imported: kg.rdf loads the NLP stack)
_ROLES = ("actor", "target", "place", "speaker")

_SPARQL_PREFIXES = "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in [
    ("rdf", str(RDF)), ("rdfs", str(RDFS)), ("schema", str(SCHEMA)), ("nif", str(NIF)), ("itsrdf", str(ITSRDF)),
    ("sem", str(SEM)), ("prov", str(PROV)), ("kg", str(KG._NS)), ("wdt", str(WDT))]) + "\n"

_ID_LIKE = re.compile(r"^(?:[Qq]\d|[Qq]$|wd:|kgr:|<|https?://)")


def parse_entity(value: str) -> URIRef:
    """The IRI for ``--entity``: a QID (Q399, wd:Q399, its entity IRI or Wikidata page URL) or a NIL
    entity IRI (kgr:entity/... or in full). Anything else that looks like one is an InputError."""
    from kg.errors import InputError

    v = value.strip()
    if v.startswith("<") and v.endswith(">"):
        v = v[1:-1].strip()
    for prefix in ("wd:", str(WD), WIKIDATA_PAGE, "http://www.wikidata.org/wiki/"):
        if v.startswith(prefix):
            v = v[len(prefix):]
            break
    if re.fullmatch(r"Q[1-9]\d*", v):
        return WD[v]
    if v.startswith("kgr:"):
        v = str(KGR) + v[4:]
    nil_ns = str(KGR) + "entity/"
    if v.startswith(nil_ns) and re.fullmatch(r"[a-z]+/[a-z0-9]+(?:-[a-z0-9]+)*", v[len(nil_ns):]):
        return URIRef(v)
    raise InputError(f"--entity {value!r}: not a Wikidata QID (Q399, wd:Q399) or a NIL entity IRI "
                     f"(kgr:entity/<type>/<name>)")


def resolve_entity(store, value: str) -> URIRef:
    """``--entity`` as an IRI: an identifier (:func:`parse_entity`), or else a name that labels exactly one
    entity the store's articles mention (case-insensitive, any language)."""
    from kg.errors import InputError

    if _ID_LIKE.match(value.strip()) or not value.strip():
        return parse_entity(value)
    cat = _StoreCatalog(store)
    found = sorted({r["entity"] for r in cat.rows(
        """SELECT DISTINCT ?entity WHERE { ?entity rdfs:label ?label . FILTER(LCASE(STR(?label)) = LCASE(STR(?name)))
           FILTER EXISTS { ?article schema:mentions ?entity } }""", {"name": Literal(value.strip())})}, key=str)
    if len(found) == 1:
        return found[0]
    if not found:
        raise InputError(f"--entity {value!r}: no entity of the store {store.location} has that name "
                         f"(give a QID such as Q399, or see the overview: kg show --store {store.location} -o FILE)")
    cat.describe(found)
    options = ", ".join(f"{_short_iri(x)} ({cat.entity(x).type})" for x in found[:8])
    raise InputError(f"--entity {value!r}: {len(found)} entities have that name: {options}; give one of them")


def _values(var: str, terms) -> str:
    """``VALUES ?var { ... }`` of RDF terms, each serialised and checked by kg.query.sparql_term."""
    from kg.query import sparql_term
    return f"VALUES ?{var} {{ {' '.join(sparql_term(t) for t in terms)} }}"


def _chunks(items: list, n: int = _VALUES_CHUNK):
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _s(v) -> str | None:
    return None if v is None else str(v)


def _i(v) -> int:
    try:
        return int(str(v))
    except (TypeError, ValueError):
        return 0


class _StoreCatalog:
    """Reads the store for a page: runs the queries and knows labels and types of the entities met."""

    def __init__(self, store, lang: str | None = None):
        self.store = store
        self.lang = lang if lang in ("id", "en") else "en"
        self._entities: dict[URIRef, _Entity] = {}
        self.descriptions: dict[URIRef, str] = {}
        self.other_labels: dict[URIRef, list[str]] = {}

    # queries
    def rows(self, text: str, bindings: dict | None = None) -> list[dict]:
        return self.store.query(_SPARQL_PREFIXES + text, bindings or {}, name="kg show").dicts()

    def ask(self, text: str, bindings: dict | None = None) -> bool:
        return bool(self.store.query(_SPARQL_PREFIXES + text, bindings or {}, name="kg show").boolean)

    def rows_for(self, var: str, terms, text: str) -> list[dict]:
        """``text`` with ``{values}`` where the VALUES block of ``?var`` goes, run per chunk of terms."""
        out: list[dict] = []
        for chunk in _chunks(sorted(set(terms), key=str)):
            out.extend(self.rows(text.replace("{values}", _values(var, chunk))))
        return out

    # entities
    def describe(self, iris) -> None:
        """Load labels, types and descriptions of these entities in a few queries."""
        todo = [i for i in set(iris) if isinstance(i, URIRef) and i not in self._entities]
        if not todo:
            return
        labels: dict[URIRef, dict[str, list[str]]] = {}
        types: dict[URIRef, set[str]] = {}
        nil: set[URIRef] = set()
        rows = self.rows_for("s", todo, """SELECT DISTINCT ?s ?p ?o WHERE { {values}
          VALUES ?p { rdf:type rdfs:label schema:description } ?s ?p ?o }""")
        for r in rows:
            s, p, o = r["s"], r["p"], r["o"]
            if p == RDF.type:
                if o == KG.NILEntity:
                    nil.add(s)
                elif str(o).startswith(str(KG._NS)):
                    types.setdefault(s, set()).add(_local(o))
            elif p == RDFS.label and isinstance(o, Literal):
                labels.setdefault(s, {}).setdefault(o.language or "", []).append(str(o))
            elif p == SCHEMA.description and isinstance(o, Literal):
                if s not in self.descriptions or (o.language or "") in (self.lang, "en"):
                    self.descriptions[s] = str(o)
        for iri in todo:
            ts = sorted(types.get(iri, ()), key=lambda t: (_TYPE_ORDER.get(t, 99), t))
            by_lang = {k: sorted(set(v)) for k, v in labels.get(iri, {}).items()}
            label = None
            for lg in (self.lang, "en", "id", ""):
                if by_lang.get(lg):
                    label = by_lang[lg][0]
                    break
            if label is None and by_lang:
                label = by_lang[sorted(by_lang)[0]][0]
            self._entities[iri] = _Entity(iri, ts[0] if ts else "Entity", label or _local(iri),
                                          iri in nil or str(iri).startswith(str(KGR)))
            self.other_labels[iri] = sorted({x for v in by_lang.values() for x in v} - {label})

    def entity(self, iri: URIRef) -> _Entity:
        if iri not in self._entities:
            self.describe([iri])
        return self._entities[iri]

    def prop_label(self, prop: URIRef) -> str:
        labels = _prop_labels().get(_local(prop), {})
        for lg in (self.lang, "en", ""):
            if labels.get(lg):
                return labels[lg]
        return _local(prop)


@dataclass
class _StoreArticle:
    iri: URIRef
    ident: str
    published: str | None = None
    headline: str | None = None
    url: str | None = None
    lang: str | None = None
    publisher: URIRef | None = None
    mentions: int = 0
    snippet: tuple[str, int, int] | None = None  # first mention's sentence, mention offsets inside it

    @property
    def anchor(self) -> str:
        return "article-" + re.sub(r"[^A-Za-z0-9_-]", "-", str(self.iri).rsplit("/", 1)[-1])


def _articles_meta(cat: _StoreCatalog, iris) -> dict[URIRef, _StoreArticle]:
    out: dict[URIRef, _StoreArticle] = {}
    rows = cat.rows_for("article", iris, """SELECT DISTINCT ?article ?identifier ?published ?headline ?url
        ?language ?publisher WHERE { {values}
          OPTIONAL { ?article schema:identifier ?identifier }
          OPTIONAL { ?article schema:datePublished ?published }
          OPTIONAL { ?article schema:headline ?headline }
          OPTIONAL { ?article schema:url ?url }
          OPTIONAL { ?article schema:inLanguage ?language }
          OPTIONAL { ?article schema:publisher ?publisher } }""")
    for r in sorted(rows, key=lambda r: tuple(str(r.get(k) or "") for k in ("identifier", "published", "headline"))):
        a = r["article"]
        if a in out:
            continue
        out[a] = _StoreArticle(a, _s(r.get("identifier")) or _local(a), _s(r.get("published")), _s(r.get("headline")),
                               _s(r.get("url")), _s(r.get("language")), r.get("publisher"))
    for a in iris:
        out.setdefault(a, _StoreArticle(a, _local(a)))
    return out


def _safe_url(url: str | None) -> str | None:
    return url if url and re.match(r"^https?://[^\s\"'<>]+$", url) else None


def _article_html(a: _StoreArticle | None, listed: set[URIRef] = frozenset()) -> str:
    """An article as a link to its row on this page when listed there, else as its id and date."""
    if a is None:
        return ""
    text = escape(a.headline or a.ident)
    title = escape(f"{a.ident} · {a.published or 'undated'}")
    if a.iri in listed:
        return f'<a class="art" data-article="{escape(str(a.iri))}" href="#{escape(a.anchor)}" title="{title}">{text}</a>'
    return f'<span class="art" data-article="{escape(str(a.iri))}" title="{title}">{text}</span>'


def _quote(text: str, begin: int | None = None, end: int | None = None, n: int = 320) -> str:
    """A sentence (shortened around the span) with the span ``begin:end`` marked."""
    text = " ".join(text.split()) if begin is None else text
    if begin is None or end is None or not (0 <= begin < end <= len(text)):
        return f'<q class="ev">{escape(_short(text, n))}</q>'
    lo, hi = max(0, begin - n // 2), min(len(text), end + n // 2)
    pre, mid, post = text[lo:begin], text[begin:end], text[end:hi]
    return (f'<q class="ev">{"…" if lo else ""}{escape(pre)}<mark>{escape(mid)}</mark>{escape(post)}'
            f'{"…" if hi < len(text) else ""}</q>')


def _store_entity_html(cat: _StoreCatalog, iri: URIRef | None, anchors: dict[URIRef, str] | None = None) -> str:
    """An entity chip: to its section on this page when it has one, else to its Wikidata page (NIL: no link)."""
    if iri is None:
        return ""
    e = cat.entity(iri)
    cls = f'ent t-{escape(e.type)}' + (" nil" if e.nil else "")
    ident = e.qid or "NIL (not in Wikidata)"
    attrs = f'class="{cls}" data-entity="{escape(str(iri))}" title="{escape(e.type)} · {escape(ident)}"'
    if anchors and iri in anchors:
        return f'<a {attrs} href="#{escape(anchors[iri])}">{escape(e.label)}</a>'
    if e.href:
        return f'<a {attrs} href="{escape(e.href)}" target="_blank" rel="noopener">{escape(e.label)}</a>'
    return f'<span {attrs}>{escape(e.label)}</span>'


def _month(d: str | None) -> str | None:
    return d[:7] if d and re.match(r"^\d{4}-\d{2}", d) else None


def _render_histogram(counts: dict[str, int], second: dict[str, int] | None = None, *,
                      label: str = "articles", second_label: str = "events") -> str:
    """Bars per month (per year when the range is over ten years): an inline SVG."""
    keys = sorted(k for k in set(counts) | set(second or {}) if k)
    if not keys:
        return '<p class="empty">No dated articles.</p>'
    y0, m0 = map(int, keys[0].split("-"))
    y1, m1 = map(int, keys[-1].split("-"))
    span = (y1 - y0) * 12 + (m1 - m0) + 1
    by_year = span > 120
    if by_year:
        slots = [str(y) for y in range(y0, y1 + 1)]

        def slot(k):
            return k[:4]
    else:
        slots = []
        y, m = y0, m0
        for _ in range(span):
            slots.append(f"{y:04d}-{m:02d}")
            m += 1
            if m > 12:
                y, m = y + 1, 1

        def slot(k):
            return k
    a = {s: 0 for s in slots}
    b = {s: 0 for s in slots}
    for k, n in counts.items():
        if k:
            a[slot(k)] += n
    for k, n in (second or {}).items():
        if k:
            b[slot(k)] += n
    top = max(max(a.values()), max(b.values()), 1)
    bw = max(4, min(28, 900 // len(slots)))
    h = 120
    width = bw * len(slots) + 60
    parts = [f'<svg class="hist" viewBox="0 0 {width} {h + 34}" width="{width}" height="{h + 34}" role="img" '
             f'aria-label="{escape(label)} per {"year" if by_year else "month"}">',
             f'<text x="2" y="10" class="axis">{top}</text><line x1="30" y1="{h}" x2="{width}" y2="{h}" class="base"/>']
    last_label = -100
    for i, s in enumerate(slots):
        x = 30 + i * bw
        ha = a[s] / top * (h - 14)
        title = f"{s}: {a[s]} {label}" + (f", {b[s]} {second_label}" if second is not None else "")
        parts.append(f'<g class="bar" data-slot="{s}" data-count="{a[s]}"><title>{escape(title)}</title>'
                     f'<rect x="{x + 1}" y="{h - ha:.1f}" width="{max(1, bw - 2) if second is None else max(1, bw // 2 - 1)}"'
                     f' height="{ha:.1f}" class="a"/>')
        if second is not None:
            hb = b[s] / top * (h - 14)
            parts.append(f'<rect x="{x + bw // 2}" y="{h - hb:.1f}" width="{max(1, bw // 2 - 1)}" height="{hb:.1f}" class="b"/>')
        parts.append("</g>")
        if (i == 0 or i == len(slots) - 1 or (not by_year and s.endswith("-01")) or (by_year and int(s) % 5 == 0)) \
                and x - last_label >= 44:
            parts.append(f'<text x="{x}" y="{h + 14}" class="axis">{s}</text>')
            last_label = x
    parts.append("</svg>")
    legend = f'<span class="key a"></span> {escape(label)}'
    if second is not None:
        legend += f' <span class="key b"></span> {escape(second_label)}'
    return "".join(parts) + f'<p class="legend small">{legend} per {"year" if by_year else "month"}</p>'


def _render_neighbourhood(cat: _StoreCatalog, centre: URIRef, links: dict[URIRef, dict]) -> str:
    """The centre entity and its strongest neighbours (facts, shared events, co-mentions) as inline SVG."""
    def weight(x):
        d = links[x]
        return 3 * d["facts"] + 2 * d["events"] + d["co"]
    chosen = sorted(links, key=lambda x: (-weight(x), str(x)))[:GRAPH_NEIGHBOURS]
    if not chosen:
        return '<p class="empty">No neighbours.</p>'
    cat.describe(chosen + [centre])
    ents = sorted(chosen, key=lambda x: (_TYPE_ORDER.get(cat.entity(x).type, 99), cat.entity(x).label.casefold(), str(x)))
    # two arcs, left and right of the centre, evenly spaced in height: labels point outwards and never collide
    n = len(ents)
    per_side = (n + 1) // 2
    step, rx = 26, 300.0
    half = max(per_side - 1, 1) * step / 2
    width, height = int(2 * (rx + 230)), int(2 * half + 80)
    cx, cy = width / 2, height / 2
    node_r = 11
    parts = [f'<svg class="graph" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-label="neighbourhood graph">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#666"/></marker></defs><g class="edges">']
    pos = {}
    for i, x in enumerate(ents):
        side, k = (-1, i) if i < per_side else (1, i - per_side)
        count = per_side if side < 0 else n - per_side
        y = cy + (k - (count - 1) / 2) * step
        pos[x] = (cx + side * rx * math.sqrt(max(0.0, 1 - ((y - cy) / (half + 60)) ** 2)), y)
    for x in ents:
        d = links[x]
        (x2, y2) = pos[x]
        dist = math.hypot(x2 - cx, y2 - cy) or 1.0
        ux, uy = (x2 - cx) / dist, (y2 - cy) / dist
        sx, sy, tx, ty = cx + ux * (node_r + 6), cy + uy * (node_r + 6), x2 - ux * (node_r + 2), y2 - uy * (node_r + 2)
        if d["facts"]:
            kind, label = "fact", ", ".join(sorted(d["props"]))
        elif d["events"]:
            kind, label = "event", ", ".join(f"{t} ×{k}" for t, k in sorted(d["types"].items(), key=lambda kv: (-kv[1], kv[0]))[:2])
        else:
            kind, label = "co", f"together in {d['co']}"
        if d["facts"] and not d["outgoing"]:
            sx, sy, tx, ty = tx, ty, sx, sy  # the neighbour is the subject
        width = 1 + math.log2(1 + weight(x))
        title = (f"{cat.entity(centre).label} — {cat.entity(x).label}: {d['facts']} fact(s) "
                 f"{', '.join(sorted(d['props']))}; {d['events']} shared event(s); named together in {d['co']} article(s)")
        parts.append(f'<g class="edge {kind}-edge" data-edge="{kind}" data-from="{escape(str(centre))}" '
                     f'data-to="{escape(str(x))}"><title>{escape(title)}</title>'
                     f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{tx:.1f}" y2="{ty:.1f}" stroke-width="{width:.1f}"'
                     + (' stroke-dasharray="4 3"' if kind == "co" else "")
                     + (' marker-end="url(#arrow)"' if kind == "fact" else "") + '/>'
                     + (f'<text x="{sx + (tx - sx) * 0.7:.1f}" y="{sy + (ty - sy) * 0.7 - 3:.1f}" class="elabel">'
                        f'{escape(_short(label, 26))}</text>'
                        if kind != "co" else "") + "</g>")
    parts.append('</g><g class="nodes">')
    e = cat.entity(centre)
    colour = TYPE_COLOURS.get(e.type, TYPE_COLOURS["Entity"])
    parts.append(f'<g class="node centre t-{escape(e.type)}" data-node="{escape(str(centre))}" data-entity="{escape(str(centre))}">'
                 f'<title>{escape(e.label)} ({escape(e.type)})</title>'
                 f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{node_r + 6}" fill="{colour}"/>'
                 f'<text x="{cx:.1f}" y="{cy + node_r + 22:.1f}" text-anchor="middle" class="centre-label">'
                 f'{escape(_short(e.label, 40))}</text></g>')
    for x in ents:
        parts.append(_svg_entity_node(x, cat.entity(x), pos[x], cx, node_r))
    parts.append("</g></svg>")
    more = len(links) - len(chosen)
    note = (f'<p class="small">The {len(chosen)} strongest of {len(links)} neighbours (facts count 3, shared events 2, '
            f'articles naming both 1).</p>' if more > 0 else "")
    return "".join(parts) + note


@dataclass
class _StoreEvent:
    iri: URIRef
    plover: str
    claim: bool
    stamp: str | None
    trigger: str | None
    article: URIRef | None
    confidence: float | None
    evidence: str | None
    roles: set[str] = field(default_factory=set)  # of the entity the page is about
    participants: dict[str, list[URIRef]] = field(default_factory=dict)  # role -> entities

    def when(self, arts: dict[URIRef, _StoreArticle]) -> tuple[str | None, bool]:
        """(time, is the article's date): the event's own time stamp, else its article's publication date."""
        if self.stamp:
            return self.stamp, False
        a = arts.get(self.article) if self.article is not None else None
        return (a.published if a else None), True


_ROLE_PRED = {"actor": SEM.hasActor, "target": KG.hasTarget, "place": SEM.hasPlace, "speaker": PROV.wasAttributedTo}
_PRED_ROLE = {v: k for k, v in _ROLE_PRED.items()}


def _read_events(cat: _StoreCatalog, rows: list[dict]) -> dict[URIRef, _StoreEvent]:
    events: dict[URIRef, _StoreEvent] = {}
    for r in rows:
        ev = r["event"]
        e = events.get(ev)
        if e is None:
            e = events[ev] = _StoreEvent(ev, _local(r["type"]) if r.get("type") is not None else "EVENT",
                                         r.get("claim") is not None, _s(r.get("stamp")), _s(r.get("trigger")),
                                         r.get("article"), _float(r.get("confidence")), _s(r.get("evidence")))
        if r.get("role"):
            e.roles.add(str(r["role"]))
    for r in cat.rows_for("event", list(events), """SELECT DISTINCT ?event ?p ?o WHERE { {values}
          VALUES ?p { sem:hasActor kg:hasTarget sem:hasPlace prov:wasAttributedTo } ?event ?p ?o }"""):
        role = _PRED_ROLE.get(r["p"])
        if role and isinstance(r["o"], URIRef):
            events[r["event"]].participants.setdefault(role, []).append(r["o"])
    for e in events.values():
        for v in e.participants.values():
            v.sort(key=str)
    return events


_EVENT_COLUMNS = """?event ?type ?claim ?stamp ?trigger ?article ?confidence ?evidence"""
_EVENT_DETAILS = """
  OPTIONAL { ?event a kg:Claim . BIND(true AS ?claim) }
  OPTIONAL { ?event sem:hasTimeStamp ?stamp }
  OPTIONAL { ?event kg:trigger ?trigger }
  OPTIONAL { ?event kg:confidence ?confidence }
  OPTIONAL { ?event prov:wasDerivedFrom ?article }
  OPTIONAL { ?event kg:evidence ?sentence . ?sentence nif:anchorOf ?evidence }"""


def _render_store_event(cat: _StoreCatalog, e: _StoreEvent, arts: dict[URIRef, _StoreArticle], listed: set[URIRef],
                        anchors: dict[URIRef, str] | None = None, centre: URIRef | None = None) -> str:
    when, from_article = e.when(arts)
    kind = "claim" if e.claim else "event"
    rows = []
    for role in _ROLES:
        who = e.participants.get(role, [])
        if who:
            label = "claimed by" if role == "speaker" else role
            rows.append(f'<span class="role">{label}</span> '
                        + ", ".join(_store_entity_html(cat, x, anchors) for x in who))
    roles = " ".join(sorted(e.roles))
    art = arts.get(e.article) if e.article is not None else None
    return (f'<li class="{kind}" data-row data-event="{escape(str(e.iri))}" data-plover="{escape(e.plover)}" '
            f'data-claim="{"true" if e.claim else "false"}" data-when="{escape(when or "")}"'
            + (f' data-role="{escape(roles)}"' if centre is not None else "") + ">"
            f'<span class="when">{escape(when) if when else "undated"}</span>'
            + ('<small class="by-article" title="no date in the text: the article\'s publication date"> (article date)</small>'
               if when and from_article else "")
            + f' <span class="plover">{escape(e.plover)}</span> <span class="kind">{kind}</span>'
            + (f' <span class="roles">as {escape(roles)}</span>' if centre is not None and roles else "")
            + (f' <q class="trigger">{escape(e.trigger)}</q>' if e.trigger else "")
            + f' <span class="conf">confidence {_fmt_conf(e.confidence)}</span>'
            + "".join(f'<div class="row">{r}</div>' for r in rows)
            + (f'<div class="row"><span class="role">evidence</span> {_quote(e.evidence)}</div>' if e.evidence else "")
            + (f'<div class="row"><span class="role">article</span> {_article_html(art, listed)}'
               f' <small>{escape(art.published or "")}</small></div>' if art else "")
            + "</li>")


def _filter_box(target: str, what: str) -> str:
    return (f'<p><input type="search" class="filter" data-filter="{escape(target)}" placeholder="filter {escape(what)}…" '
            f'aria-label="filter {escape(what)}"></p>')


def _store_page(title: str, header: str, sections: list[tuple[str, str, str]], lang: str) -> str:
    nav = " · ".join(f'<a href="#{escape(sid)}">{escape(name)}</a>' for sid, name, _ in sections)
    body = "".join(f'<section id="{escape(sid)}"><h2>{escape(name)}</h2>{html}</section>' for sid, name, html in sections)
    return "".join([
        "<!DOCTYPE html>\n<html lang=\"", escape(lang), "\"><head><meta charset=\"utf-8\">",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'; img-src data:\">",
        f"<title>{escape(title)} — kg show</title><style>{_CSS}\n{_STORE_CSS}\n{_type_css()}</style></head><body>",
        header, f'<nav class="toc">{nav}</nav>', body, f"<script>{_STORE_JS}</script></body></html>\n"])


_STORE_CSS = """
[id]{scroll-margin-top:2.5em}
.toc{max-width:1100px;margin:0 auto;padding:0.3em 1.2em;font-size:0.9em;position:sticky;top:0;background:#fafafa;border-bottom:1px solid #eee;z-index:1}
.small{font-size:0.85em;color:#555}
q.ev{color:#333;font-style:italic}
q.ev mark{background:#fff3b0;font-style:normal}
.art{color:#1d4e89}
svg.hist .a{fill:#2a6f97}
svg.hist .b{fill:#c9184a}
svg.hist .axis{font-size:9px;fill:#555}
svg.hist .base{stroke:#999}
.key{display:inline-block;width:0.8em;height:0.8em;vertical-align:middle}
.key.a{background:#2a6f97}.key.b{background:#c9184a}
svg.graph .event-edge line{stroke:#c9184a}
svg.graph .co-edge line{stroke:#bbb}
svg.graph .centre-label{font-size:13px;font-weight:600}
table.list{border-collapse:collapse;width:100%;background:#fff}
table.list th,table.list td{border:1px solid #e5e5e5;padding:0.3em 0.5em;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
details>summary{cursor:pointer}
ol.evidence{margin:0.3em 0 0.3em 1.2em;padding:0}
ol.articles{padding-left:1.5em}
ol.articles li{margin-bottom:0.5em}
.entity-section{border:1px solid #e5e5e5;border-radius:6px;background:#fff;padding:0.3em 0.9em;margin:0.6em 0}
.entity-section h3{font-size:1em;margin:0.3em 0}
.more{color:#a00;font-size:0.9em}
input.filter{width:20em;padding:0.2em 0.4em}
[hidden]{display:none!important}
"""

_STORE_JS = """
(function(){
  var lit=[];
  function mark(iri){
    lit.forEach(function(el){el.classList.remove('hl');});lit=[];
    if(!iri)return;
    document.querySelectorAll('[data-entity]').forEach(function(el){
      if(el.getAttribute('data-entity')===iri){el.classList.add('hl');lit.push(el);}
    });
  }
  document.addEventListener('mouseover',function(ev){
    var el=ev.target.closest?ev.target.closest('[data-entity]'):null;mark(el?el.getAttribute('data-entity'):null);
  });
  document.querySelectorAll('input[data-filter]').forEach(function(inp){
    var list=document.getElementById(inp.getAttribute('data-filter'));
    if(!list)return;
    var rows=list.querySelectorAll('[data-row]');
    inp.addEventListener('input',function(){
      var q=inp.value.toLowerCase();
      rows.forEach(function(r){r.hidden=!!q&&r.textContent.toLowerCase().indexOf(q)<0;});
    });
  });
})();
"""


def _entity_anchor(iri: URIRef, taken: set[str]) -> str:
    s = str(iri)
    base = "entity-" + (s[len(str(WD)):] if s.startswith(str(WD)) else
                        "nil-" + re.sub(r"[^A-Za-z0-9_-]", "-", s[len(str(KGR) + "entity/"):] if s.startswith(str(KGR)) else _local(s)))
    anchor, k = base, 2
    while anchor in taken:
        anchor, k = f"{base}-{k}", k + 1
    taken.add(anchor)
    return anchor


# ---------------------------------------------------------------- the entity view

def render_store_entity(store, entity: URIRef, *, lang: str | None = None, limit: int = STORE_LIMIT) -> str:
    """The page of one entity across all the articles of ``store`` (a kg.store.Store)."""
    from kg.errors import InputError

    cat = _StoreCatalog(store, lang)
    b = {"entity": entity}
    if not cat.ask("ASK WHERE { { ?entity ?p ?o } UNION { ?s ?p ?entity } }", b):
        raise InputError(f"--entity {_short_iri(entity)}: not in the store {store.location} (no article or "
                         f"knowledge-base fact names it)")
    cat.describe([entity])
    ent = cat.entity(entity)

    # articles that mention it: all (iri, date) pairs, newest `limit` described
    pairs: dict[URIRef, str | None] = {}
    for r in cat.rows("""SELECT DISTINCT ?article ?published WHERE { ?article schema:mentions ?entity .
                         OPTIONAL { ?article schema:datePublished ?published } }""", b):
        a, p = r["article"], _s(r.get("published"))
        if a not in pairs or (p and (pairs[a] is None or p < pairs[a])):
            pairs[a] = p
    ordered = sorted(pairs, key=lambda a: (pairs[a] or "", str(a)), reverse=True)
    listed_iris = ordered[:limit]
    listed = set(listed_iris)

    # its mentions (one query), then the sentences of the first mention in each listed article
    first: dict[URIRef, tuple] = {}
    mention_count: dict[URIRef, int] = {}
    mention_iris: set = set()
    for r in cat.rows("""SELECT DISTINCT ?article ?mention ?begin ?end ?sentence WHERE {
          ?mention itsrdf:taIdentRef ?entity ; nif:referenceContext ?context ; nif:beginIndex ?begin ; nif:endIndex ?end .
          ?article kg:context ?context . OPTIONAL { ?mention nif:sentence ?sentence } }""", b):
        a = r["article"]
        mention_iris.add(r["mention"])
        mention_count[a] = mention_count.get(a, 0) + 1
        key = (_i(r["begin"]), _i(r["end"]))
        if a in listed and (a not in first or key < first[a][0]):
            first[a] = (key, r.get("sentence"))
    n_mentions = len(mention_iris)
    sentences = {r["sentence"]: (_i(r["begin"]), str(r["text"])) for r in cat.rows_for(
        "sentence", [f[1] for f in first.values() if f[1] is not None],
        """SELECT ?sentence ?begin ?text WHERE { {values} ?sentence kg:beginIndex ?begin ; nif:anchorOf ?text }""")}

    # facts with it as subject or object, each with its article and evidence sentence
    fact_rows = cat.rows("""SELECT DISTINCT ?fact ?role ?subject ?predicate ?object ?article ?confidence ?start ?end
        ?evidence WHERE {
          { ?fact rdf:subject ?entity ; rdf:predicate ?predicate ; rdf:object ?object . BIND("subject" AS ?role) }
          UNION { ?fact rdf:object ?entity ; rdf:predicate ?predicate ; rdf:subject ?subject . BIND("object" AS ?role) }
          ?fact a kg:Fact .
          OPTIONAL { ?fact prov:wasDerivedFrom ?article }
          OPTIONAL { ?fact kg:confidence ?confidence }
          OPTIONAL { ?fact kg:startTime ?start }
          OPTIONAL { ?fact kg:endTime ?end }
          OPTIONAL { ?fact kg:evidence ?sentence . ?sentence nif:anchorOf ?evidence } }""", b)

    # events it takes part in
    ev_rows = cat.rows(f"""SELECT DISTINCT ?role {_EVENT_COLUMNS} WHERE {{
          {{ ?event sem:hasActor ?entity . BIND("actor" AS ?role) }}
          UNION {{ ?event kg:hasTarget ?entity . BIND("target" AS ?role) }}
          UNION {{ ?event sem:hasPlace ?entity . BIND("place" AS ?role) }}
          UNION {{ ?event prov:wasAttributedTo ?entity . BIND("speaker" AS ?role) }}
          ?event sem:eventType ?type . {_EVENT_DETAILS} }}""", b)
    events = _read_events(cat, ev_rows)

    # knowledge-base facts (the background graph)
    kb_rows = cat.rows(f"""SELECT DISTINCT ?subject ?predicate ?object WHERE {{
          {{ GRAPH {_values_term(BACKGROUND_GRAPH)} {{ ?entity ?predicate ?object }} BIND(?entity AS ?subject) }}
          UNION {{ GRAPH {_values_term(BACKGROUND_GRAPH)} {{ ?subject ?predicate ?entity }} BIND(?entity AS ?object) }}
          FILTER(STRSTARTS(STR(?predicate), STR(wdt:))) }}""", b)

    # entities named in the same articles
    co_rows = cat.rows(f"""SELECT ?other (COUNT(DISTINCT ?article) AS ?articles) WHERE {{
          ?article schema:mentions ?entity . ?article schema:mentions ?other . FILTER(?other != ?entity) }}
        GROUP BY ?other ORDER BY DESC(?articles) ?other LIMIT {max(CO_MENTIONS, GRAPH_NEIGHBOURS)}""", b)

    # metadata of every article the page refers to
    needed = set(listed_iris) | {r["article"] for r in fact_rows if r.get("article") is not None} | \
        {e.article for e in events.values() if e.article is not None}
    arts = _articles_meta(cat, needed)
    for a in listed_iris:
        arts[a].mentions = mention_count.get(a, 0)
        f = first.get(a)
        if f is not None and f[1] in sentences:
            (mb, me), (sb, text) = f[0], sentences[f[1]]
            arts[a].snippet = (text, mb - sb, me - sb)
    iris = {r.get(k) for r in fact_rows for k in ("subject", "object")} | {r.get(k) for r in kb_rows for k in ("subject", "object")}
    iris |= {x for e in events.values() for v in e.participants.values() for x in v}
    iris |= {r["other"] for r in co_rows} | {a.publisher for a in arts.values()}
    cat.describe({x for x in iris if isinstance(x, URIRef)})

    # neighbourhood
    links: dict[URIRef, dict] = {}

    def link(x) -> dict:
        return links.setdefault(x, {"facts": 0, "props": set(), "outgoing": False, "events": 0, "types": {}, "co": 0})
    fact_articles: dict[tuple, set] = {}
    for r in fact_rows:
        other = r["object"] if str(r["role"]) == "subject" else r["subject"]
        if isinstance(other, URIRef) and other != entity:
            fact_articles.setdefault((other, r["predicate"], str(r["role"])), set()).add(r.get("article"))
    for (other, pred, role), arts_of in fact_articles.items():
        d = link(other)
        d["facts"] += len(arts_of)
        d["props"].add(cat.prop_label(pred))
        d["outgoing"] = d["outgoing"] or role == "subject"
    for e in events.values():
        for x in {x for v in e.participants.values() for x in v} - {entity}:
            d = link(x)
            d["events"] += 1
            d["types"][e.plover] = d["types"].get(e.plover, 0) + 1
    for r in co_rows:
        link(r["other"])["co"] = _i(r["articles"])

    dates = sorted(p for p in pairs.values() if p)
    ev_list = sorted(events.values(), key=lambda e: ((e.when(arts)[0] or "9999"), str(e.iri)))
    n_claims = sum(e.claim for e in events.values())
    n_facts = len({r["fact"] for r in fact_rows})

    # header
    ident = "NIL (not in Wikidata)" if ent.nil else (ent.qid or _local(entity))
    idhtml = (f'<a href="{escape(ent.href)}" target="_blank" rel="noopener">{escape(ident)}</a>' if ent.href
              else f"<code>{escape(str(entity))}</code> · {escape(ident)}")
    meta = [f'<span class="ent t-{escape(ent.type)}">{escape(ent.type)}</span>', idhtml,
            f"{len(pairs)} articles · {n_mentions} mentions · {n_facts} facts · {len(events)} events "
            f"({n_claims} claims)"]
    if dates:
        meta.append(f"first {escape(dates[0])} · last {escape(dates[-1])}")
    desc = cat.descriptions.get(entity)
    header = (f'<header data-entity-view="{escape(str(entity))}"><h1>{escape(ent.label)}</h1>'
              f'<p class="meta">{" · ".join(meta)}</p>'
              + (f'<p class="small">{escape(desc)}</p>' if desc else "")
              + (f'<p class="small">also: {escape(", ".join(cat.other_labels.get(entity, [])[:12]))}</p>'
                 if cat.other_labels.get(entity) else "")
              + f'<p class="small">store <code>{escape(store.location)}</code></p></header>')

    sections = []
    # over time
    by_month: dict[str, int] = {}
    for p in pairs.values():
        if _month(p):
            by_month[_month(p)] = by_month.get(_month(p), 0) + 1
    ev_month: dict[str, int] = {}  # by the reporting article's date: a war of 2020 told in 2022 counts in 2022
    for e in events.values():
        a = arts.get(e.article) if e.article is not None else None
        m = _month(a.published if a else e.stamp)
        if m:
            ev_month[m] = ev_month.get(m, 0) + 1
    profile: dict[tuple[str, str], int] = {}
    for e in events.values():
        for role in e.roles:
            profile[(e.plover + (" (claim)" if e.claim else ""), role)] = profile.get(
                (e.plover + (" (claim)" if e.claim else ""), role), 0) + 1
    prof_html = ""
    if profile:
        types = sorted({t for t, _ in profile})
        prof_html = ('<table class="list profile"><thead><tr><th>event type</th>'
                     + "".join(f"<th>as {r}</th>" for r in _ROLES) + "</tr></thead><tbody>"
                     + "".join(f'<tr data-plover="{escape(t)}"><td><span class="plover">{escape(t)}</span></td>'
                               + "".join(f'<td class="n">{profile.get((t, r), "")}</td>' for r in _ROLES) + "</tr>"
                               for t in types) + "</tbody></table>")
    sections.append(("over-time", "Over time",
                     _render_histogram(by_month, ev_month, label="articles naming it",
                                       second_label="events with it (by article date)")
                     + prof_html))
    sections.append(("graph", "Neighbourhood", _render_neighbourhood(cat, entity, links)))

    # timeline
    shown = ev_list[:limit]
    tl = ['<ol class="timeline" id="list-events">']
    tl.extend(_render_store_event(cat, e, arts, listed, centre=entity) for e in shown)
    tl.append("</ol>")
    sections.append(_capped_section("events", f"Events and claims ({len(ev_list)})", "list-events", "events",
                                    "".join(tl), f"{len(shown)} of {len(ev_list)} events shown",
                                    len(shown) < len(ev_list), "entity-timeline", entity,
                                    bool(ev_list), "It takes part in no event."))

    # facts, grouped by statement
    stmts: dict[tuple, list[dict]] = {}
    for r in fact_rows:
        s = entity if str(r["role"]) == "subject" else r["subject"]
        o = entity if str(r["role"]) == "object" else r["object"]
        stmts.setdefault((s, r["predicate"], o), []).append(r)
    budget = limit
    fh = []
    for (s, p, o), rs in sorted(stmts.items(), key=lambda kv: (-len({r.get("article") for r in kv[1]}),
                                                                 str(kv[0][1]), str(kv[0][0]), str(kv[0][2]))):
        by_art: dict = {}
        for r in rs:
            by_art.setdefault(r.get("article"), r)
        rows_sorted = sorted(by_art.values(), key=lambda r: ((arts[r["article"]].published or "") if r.get("article") in arts
                                                             else "", str(r.get("article"))), reverse=True)
        dated = sorted(arts[a].published for a in by_art if a in arts and arts[a].published)
        span = f"{dated[0]} … {dated[-1]}" if len(dated) > 1 else (dated[0] if dated else "")
        qual = sorted({f"{'from' if k == 'start' else 'until'} {r[k]}" for r in rs for k in ("start", "end") if r.get(k)})
        items = []
        for r in rows_sorted[:max(budget, 0)]:
            a = arts.get(r.get("article"))
            items.append(f'<li data-fact="{escape(str(r["fact"]))}">{_article_html(a, listed)} '
                         f'<small>{escape(a.published or "") if a else ""} · confidence {_fmt_conf(_float(r.get("confidence")))}'
                         f'</small> {_quote(str(r["evidence"])) if r.get("evidence") else ""}</li>')
        budget -= len(items)
        hidden = len(rows_sorted) - len(items)
        fh.append(f'<tr data-row data-statement="{escape(_local(p))}" data-subject="{escape(str(s))}" '
                  f'data-object="{escape(str(o))}" data-articles="{len(by_art)}">'
                  f'<td>{_store_entity_html(cat, s)}</td>'
                  f'<td title="{escape(_local(p))}">{escape(cat.prop_label(p))} <small>({escape(_local(p))})</small>'
                  + (f'<br><small>{escape("; ".join(qual))}</small>' if qual else "") + '</td>'
                  f'<td>{_store_entity_html(cat, o)}</td><td class="n">{len(by_art)}</td><td>{escape(span)}</td>'
                  f'<td><details><summary>{len(items)} source{"s" if len(items) != 1 else ""}'
                  + (f' ({hidden} more not shown)' if hidden else "") + '</summary>'
                  f'<ol class="evidence">{"".join(items)}</ol></details></td></tr>')
    sections.append(("facts", f"Facts from the articles ({len(stmts)})",
                     ('<table class="list facts" id="facts-table"><thead><tr><th>subject</th><th>property</th>'
                      '<th>object</th><th>articles</th><th>dates</th><th>stated in</th></tr></thead><tbody>'
                      + "".join(fh) + "</tbody></table>") if fh else '<p class="empty">No extracted facts.</p>'))

    kb = sorted({(r["subject"], r["predicate"], r["object"]) for r in kb_rows}, key=lambda t: tuple(map(str, t)))
    sections.append(("kb", f"Knowledge-base facts ({len(kb)})",
                     ('<table class="list kb"><thead><tr><th>subject</th><th>property</th><th>object</th></tr></thead><tbody>'
                      + "".join(f'<tr data-kb="{escape(_local(p))}"><td>{_store_entity_html(cat, s)}</td>'
                                f'<td>{escape(cat.prop_label(p))} <small>({escape(_local(p))})</small></td>'
                                f'<td>{_store_entity_html(cat, o) if isinstance(o, URIRef) else escape(str(o))}</td></tr>'
                                for s, p, o in kb) + "</tbody></table>") if kb
                     else '<p class="empty">None in the background graph.</p>'))

    co = co_rows[:CO_MENTIONS]
    sections.append(("together", "Named together with",
                     ('<table class="list co"><thead><tr><th>entity</th><th>type</th><th>articles naming both</th></tr>'
                      '</thead><tbody>' + "".join(
                          f'<tr data-co="{escape(str(r["other"]))}"><td>{_store_entity_html(cat, r["other"])}</td>'
                          f'<td>{escape(cat.entity(r["other"]).type)}</td><td class="n">{_i(r["articles"])}</td></tr>'
                          for r in co) + "</tbody></table>") if co else '<p class="empty">No other entity.</p>'))

    al = ['<ol class="articles" id="list-articles">']
    for a in (arts[x] for x in listed_iris):
        pub = _store_entity_html(cat, a.publisher) if a.publisher is not None else ""
        url = _safe_url(a.url)
        snip = _quote(a.snippet[0], a.snippet[1], a.snippet[2]) if a.snippet else ""
        al.append(f'<li id="{escape(a.anchor)}" data-row data-article="{escape(str(a.iri))}" '
                  f'data-published="{escape(a.published or "")}"><span class="when">{escape(a.published or "undated")}</span> '
                  f'<b>{escape(a.headline or a.ident)}</b> <small><code>{escape(a.ident)}</code>'
                  f'{" · " + escape(a.lang) if a.lang else ""} · {a.mentions} mention{"s" if a.mentions != 1 else ""}</small>'
                  + (f" · {pub}" if pub else "")
                  + (f' · <a href="{escape(url)}" target="_blank" rel="noopener noreferrer">source</a>' if url else "")
                  + (f"<div>{snip}</div>" if snip else "") + "</li>")
    al.append("</ol>")
    sections.append(_capped_section("articles", f"Articles ({len(pairs)})", "list-articles", "articles",
                                    "".join(al), f"The newest {len(listed_iris)} of {len(pairs)} articles are listed",
                                    len(listed_iris) < len(pairs), "articles-mentioning-entity", entity,
                                    bool(pairs), "No article mentions it."))
    return _store_page(ent.label, header, sections, cat.lang)


def _capped_section(key: str, title: str, list_id: str, what: str, items: str, shown_text: str, capped: bool,
                    query: str, entity, any_items: bool, empty: str) -> tuple[str, str, str]:
    """A filterable list section; when the list was cut, the shipped query that gives all of it."""
    more = (f'<p class="more">{shown_text}; all of them: <code>kg query {query} --store … '
            f'--param entity={escape(_short_iri(entity))}</code></p>' if capped else "")
    body = (_filter_box(list_id, what) + items + more) if any_items else f'<p class="empty">{empty}</p>'
    return key, title, body


def _n(k: int, word: str) -> str:
    return f"{k} {word}{'' if k == 1 else 's'}"


def _values_term(iri: URIRef) -> str:
    from kg.query import sparql_term
    return sparql_term(iri)


def _short_iri(iri: URIRef) -> str:
    s = str(iri)
    if s.startswith(str(WD)):
        return "wd:" + s[len(str(WD)):]
    if s.startswith(str(KGR)):
        return "kgr:" + s[len(str(KGR)):]
    return f"<{s}>"


# ---------------------------------------------------------------- the overview

def render_store_overview(store, *, lang: str | None = None) -> str:
    """The page of a whole store: what it holds, who is named most, recent events and articles."""
    cat = _StoreCatalog(store, lang)
    n_articles = first = last = None
    for r in cat.rows("""SELECT (COUNT(DISTINCT ?article) AS ?n) (MIN(?published) AS ?first) (MAX(?published) AS ?last)
                         WHERE { ?article a schema:NewsArticle . OPTIONAL { ?article schema:datePublished ?published } }"""):
        n_articles, first, last = _i(r.get("n")), _s(r.get("first")), _s(r.get("last"))

    def count(text: str) -> int:
        rs = cat.rows(text)
        return _i(rs[0].get("n")) if rs else 0
    n_entities = count("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?a schema:mentions ?e }")
    n_mentions = count("SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m itsrdf:taIdentRef ?e }")
    n_facts = count("SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f a kg:Fact }")
    ev_types = cat.rows("""SELECT ?type ?claim (COUNT(DISTINCT ?event) AS ?n) WHERE { ?event sem:eventType ?type .
                           OPTIONAL { ?event a kg:Claim . BIND(true AS ?claim) } } GROUP BY ?type ?claim""")
    n_events = sum(_i(r["n"]) for r in ev_types)
    n_claims = sum(_i(r["n"]) for r in ev_types if r.get("claim") is not None)
    months = {str(r["month"]): _i(r["n"]) for r in cat.rows(
        """SELECT ?month (COUNT(DISTINCT ?article) AS ?n) WHERE { ?article a schema:NewsArticle ;
           schema:datePublished ?p . BIND(SUBSTR(STR(?p), 1, 7) AS ?month) } GROUP BY ?month""") if r.get("month")}

    top = cat.rows(f"""SELECT ?entity (COUNT(DISTINCT ?article) AS ?articles) (MAX(?published) AS ?last) WHERE {{
          ?article schema:mentions ?entity . OPTIONAL {{ ?article schema:datePublished ?published }} }}
        GROUP BY ?entity ORDER BY DESC(?articles) ?entity LIMIT {OVERVIEW_ENTITIES}""")
    top_iris = [r["entity"] for r in top]
    mentions = {r["entity"]: _i(r["n"]) for r in cat.rows_for("entity", top_iris, """SELECT ?entity
        (COUNT(DISTINCT ?m) AS ?n) WHERE { {values} ?m itsrdf:taIdentRef ?entity } GROUP BY ?entity""")}
    sec_iris = top_iris[:OVERVIEW_SECTIONS]
    taken: set[str] = set()
    anchors = {x: _entity_anchor(x, taken) for x in sec_iris}
    co = []  # per entity, so that the store returns 6 partners each and not every pair
    for x in sec_iris:
        co.extend(cat.rows("""SELECT ?entity ?other (COUNT(DISTINCT ?article) AS ?n) WHERE {
            ?article schema:mentions ?entity . ?article schema:mentions ?other . FILTER(?other != ?entity) }
            GROUP BY ?entity ?other ORDER BY DESC(?n) ?other LIMIT 6""", {"entity": x}))
    prof = cat.rows_for("entity", sec_iris, """SELECT ?entity ?type ?p (COUNT(DISTINCT ?event) AS ?n) WHERE { {values}
        VALUES ?p { sem:hasActor kg:hasTarget sem:hasPlace prov:wasAttributedTo } ?event ?p ?entity ; sem:eventType ?type }
        GROUP BY ?entity ?type ?p""")
    facts = cat.rows_for("entity", sec_iris, """SELECT ?entity ?subject ?predicate ?object (COUNT(DISTINCT ?fact) AS ?n)
        WHERE { {values} ?fact a kg:Fact ; rdf:subject ?subject ; rdf:predicate ?predicate ; rdf:object ?object .
          FILTER(?subject = ?entity || ?object = ?entity) } GROUP BY ?entity ?subject ?predicate ?object""")

    recent = cat.rows(f"""SELECT DISTINCT {_EVENT_COLUMNS} ?time WHERE {{ ?event sem:eventType ?type . {_EVENT_DETAILS}
          BIND(COALESCE(?article, <urn:geonews-kg:none>) AS ?articleKey)
          OPTIONAL {{ ?articleKey schema:datePublished ?published }}
          BIND(COALESCE(?stamp, ?published) AS ?time) }}
        ORDER BY DESC(STR(?time)) ?event LIMIT {OVERVIEW_EVENTS * 2}""")
    keep = list(dict.fromkeys(r["event"] for r in recent))[:OVERVIEW_EVENTS]
    events = _read_events(cat, [r for r in recent if r["event"] in set(keep)])
    newest = cat.rows(f"""SELECT DISTINCT ?article ?published WHERE {{ ?article a schema:NewsArticle .
          OPTIONAL {{ ?article schema:datePublished ?published }} }}
        ORDER BY DESC(STR(?published)) ?article LIMIT {OVERVIEW_ARTICLES}""")
    newest_iris = list(dict.fromkeys(r["article"] for r in newest))
    arts = _articles_meta(cat, set(newest_iris) | {e.article for e in events.values() if e.article is not None})
    n_ents = {r["article"]: _i(r.get("n")) for r in cat.rows_for("article", newest_iris, """SELECT ?article
        (COUNT(DISTINCT ?e) AS ?n) WHERE { {values} ?article schema:mentions ?e } GROUP BY ?article""")}
    n_ments = {r["article"]: _i(r.get("n")) for r in cat.rows_for("article", newest_iris, """SELECT ?article
        (COUNT(DISTINCT ?m) AS ?n) WHERE { {values} ?article kg:context ?c . ?m nif:referenceContext ?c ;
        itsrdf:taIdentRef ?e } GROUP BY ?article""")}
    per_article = {a: (n_ents.get(a, 0), n_ments.get(a, 0)) for a in newest_iris}
    per_article_ev = {r["article"]: _i(r.get("n")) for r in cat.rows_for("article", newest_iris, """SELECT ?article
        (COUNT(DISTINCT ?event) AS ?n) WHERE { {values} ?event prov:wasDerivedFrom ?article ; sem:eventType ?t }
        GROUP BY ?article""")}

    iris = set(top_iris) | {r["other"] for r in co} | {r[k] for r in facts for k in ("subject", "object")}
    iris |= {x for e in events.values() for v in e.participants.values() for x in v} | {a.publisher for a in arts.values()}
    cat.describe({x for x in iris if isinstance(x, URIRef)})
    listed = set(newest_iris)

    meta = [f"{n_articles or 0} articles", f"{n_entities} entities", f"{n_mentions} mentions", f"{n_facts} facts",
            f"{n_events} events ({n_claims} claims)"]
    if first:
        meta.append(f"published {escape(first)} … {escape(last or first)}")
    header = (f'<header data-store-view="overview"><h1>Knowledge graph overview</h1><p class="meta">{" · ".join(meta)}</p>'
              f'<p class="small">store <code>{escape(store.location)}</code> · one entity in depth: '
              f'<code>kg show --store … --entity Q…</code></p></header>')
    sections = [("over-time", "Articles over time", _render_histogram(months, label="articles"))]

    rows = []
    for i, r in enumerate(top, 1):
        x = r["entity"]
        e = cat.entity(x)
        rows.append(f'<tr data-row data-rank="{i}" data-top-entity="{escape(str(x))}"><td class="n">{i}</td>'
                    f'<td>{_store_entity_html(cat, x, anchors)}</td><td>{escape(e.type)}{" · NIL" if e.nil else ""}</td>'
                    f'<td class="n">{_i(r["articles"])}</td><td class="n">{mentions.get(x, 0)}</td>'
                    f'<td>{escape(_s(r.get("last")) or "")}</td></tr>')
    sections.append(("entities", f"Most-mentioned entities (top {len(top)})",
                     ('<table class="list top" id="top-entities"><thead><tr><th>#</th><th>entity</th><th>type</th>'
                      '<th>articles</th><th>mentions</th><th>last seen</th></tr></thead><tbody>' + "".join(rows)
                      + "</tbody></table>") if rows else '<p class="empty">The store holds no articles.</p>'))

    secs = []
    top_articles = {r["entity"]: _i(r["articles"]) for r in top}
    for x in sec_iris:
        e = cat.entity(x)
        partners = sorted(((r["other"], _i(r["n"])) for r in co if r["entity"] == x), key=lambda t: (-t[1], str(t[0])))[:6]
        pr: dict[str, int] = {}
        for r in prof:
            if r["entity"] == x:
                key = f'{_local(r["type"])} as {_PRED_ROLE.get(r["p"], "?")}'
                pr[key] = pr.get(key, 0) + _i(r["n"])
        fs = sorted(((r["subject"], r["predicate"], r["object"], _i(r["n"])) for r in facts if r["entity"] == x),
                    key=lambda t: (-t[3], str(t[1]), str(t[0]), str(t[2])))[:6]
        ident = "NIL" if e.nil else (e.qid or "")
        link = (f' · <a href="{escape(e.href)}" target="_blank" rel="noopener">{escape(ident)}</a>' if e.href
                else f" · {escape(ident)}")
        parts = [f'<div class="entity-section" id="{escape(anchors[x])}" data-section-entity="{escape(str(x))}">'
                 f'<h3><span class="ent t-{escape(e.type)}" data-entity="{escape(str(x))}">{escape(e.label)}</span> '
                 f'<small>{escape(e.type)}{link} · {_n(top_articles.get(x, 0), "article")} · {_n(mentions.get(x, 0), "mention")}'
                 f'</small></h3>']
        if cat.descriptions.get(x):
            parts.append(f'<p class="small">{escape(_short(cat.descriptions[x], 240))}</p>')
        if fs:
            parts.append('<div class="row"><span class="role">facts</span> ' + "; ".join(
                f'{_store_entity_html(cat, s, anchors)} {escape(cat.prop_label(p))} {_store_entity_html(cat, o, anchors)}'
                f' <small>×{n}</small>' for s, p, o, n in fs) + "</div>")
        if pr:
            parts.append('<div class="row"><span class="role">events</span> ' + ", ".join(
                f'<span class="plover">{escape(k)}</span> ×{n}' for k, n in sorted(pr.items(), key=lambda kv: (-kv[1], kv[0]))[:8])
                + "</div>")
        if partners:
            parts.append('<div class="row"><span class="role">named with</span> ' + ", ".join(
                f'{_store_entity_html(cat, o, anchors)} <small>({n})</small>' for o, n in partners) + "</div>")
        parts.append(f'<div class="row small">in depth: <code>kg show --store … --entity {escape(_short_iri(x))} '
                     f'-o {escape(anchors[x])}.html</code></div></div>')
        secs.append("".join(parts))
    if secs:
        sections.append(("entity-sections", f"The {len(secs)} most-mentioned, in short", "".join(secs)))

    et_rows = sorted(ev_types, key=lambda r: (-_i(r["n"]), str(r["type"])))
    sections.append(("event-types", "Event types",
                     ('<table class="list etypes"><thead><tr><th>type</th><th>kind</th><th>count</th></tr></thead><tbody>'
                      + "".join(f'<tr data-plover="{escape(_local(r["type"]))}"><td><span class="plover">'
                                f'{escape(_local(r["type"]))}</span></td><td>{"claim" if r.get("claim") is not None else "event"}'
                                f'</td><td class="n">{_i(r["n"])}</td></tr>' for r in et_rows) + "</tbody></table>")
                     if et_rows else '<p class="empty">No events.</p>'))
    ev_list = sorted(events.values(), key=lambda e: (e.when(arts)[0] or "", str(e.iri)), reverse=True)
    sections.append(("events", f"Latest events (newest {len(ev_list)} of {n_events})",
                     ('<ol class="timeline" id="list-events">' + "".join(
                         _render_store_event(cat, e, arts, listed, anchors) for e in ev_list) + "</ol>")
                     if ev_list else '<p class="empty">No events.</p>'))

    al = ['<table class="list articles" id="list-articles"><thead><tr><th>published</th><th>headline / id</th>'
          '<th>publisher</th><th>entities</th><th>mentions</th><th>events</th></tr></thead><tbody>']
    for x in newest_iris:
        a = arts[x]
        url = _safe_url(a.url)
        ne, nm = per_article.get(x, (0, 0))
        al.append(f'<tr id="{escape(a.anchor)}" data-row data-article="{escape(str(x))}" '
                  f'data-published="{escape(a.published or "")}"><td>{escape(a.published or "")}</td>'
                  f'<td>{escape(a.headline or a.ident)} <small><code>{escape(a.ident)}</code></small>'
                  + (f' <a href="{escape(url)}" target="_blank" rel="noopener noreferrer">source</a>' if url else "")
                  + f'</td><td>{_store_entity_html(cat, a.publisher, anchors) if a.publisher is not None else ""}</td>'
                  f'<td class="n">{ne}</td><td class="n">{nm}</td><td class="n">{per_article_ev.get(x, 0)}</td></tr>')
    al.append("</tbody></table>")
    more = (f'<p class="more">The newest {len(newest_iris)} of {n_articles} articles are listed.</p>'
            if len(newest_iris) < (n_articles or 0) else "")
    sections.append(("articles", f"Articles ({n_articles or 0})",
                     (_filter_box("list-articles", "articles") + "".join(al) + more) if newest_iris
                     else '<p class="empty">The store holds no articles.</p>'))
    return _store_page("Knowledge graph overview", header, sections, cat.lang)


def render_store(store, entity: URIRef | None = None, *, lang: str | None = None, limit: int = STORE_LIMIT) -> str:
    """The entity view when ``entity`` is given, else the overview of ``store``."""
    if entity is not None:
        return render_store_entity(store, entity, lang=lang, limit=limit)
    return render_store_overview(store, lang=lang)


def show_store(location: str, out: str, entity: str | None = None, *, timeout: float = 30.0,
               lang: str | None = None, limit: int = STORE_LIMIT) -> str:
    """``kg show --store``: open an existing store (never creates one), render, write ``out`` ("-": stdout)."""
    import sys

    from kg.errors import InputError
    from kg.store import atomic_write, open_store

    if limit < 1:
        raise InputError(f"--limit {limit}: must be at least 1")
    if lang not in (None, "id", "en"):
        raise InputError(f"--lang {lang!r}: use id or en (the preferred label language)")
    if entity is not None and _ID_LIKE.match(entity.strip()):
        parse_entity(entity)  # a malformed identifier fails before the store is opened
    with open_store(location, timeout=timeout, create=False) as st:
        iri = resolve_entity(st, entity) if entity is not None else None
        html = render_store(st, iri, lang=lang, limit=limit)
    if out == "-":
        sys.stdout.write(html)
    else:
        atomic_write(Path(out), html.encode("utf-8"))
    return html


__all__ = ["parse_entity", "render_article", "resolve_entity", "render_file", "render_store", "render_store_entity",
           "render_store_overview", "render_text", "show", "show_store"]
