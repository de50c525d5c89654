"""One self-contained HTML page for one article graph (``kg show``).

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
    out: dict[str, dict[str, str]] = {}
    try:
        from kg.resources import ontology_path
        onto = Graph().parse(ontology_path(), format="turtle")
        for s, lab in onto.subject_objects(RDFS.label):
            if str(s).startswith(str(WDT)) and isinstance(lab, Literal):
                out.setdefault(_local(s), {})[lab.language or ""] = str(lab)
    except Exception:  # noqa: BLE001 - labels are a nicety; fall back to the built-in ones
        pass
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
        x, y = pos[e.iri]
        left = x < cx - 1
        tx = x - node_r - 4 if left else x + node_r + 4
        anchor = "end" if left else "start"
        colour = TYPE_COLOURS.get(e.type, TYPE_COLOURS["Entity"])
        body = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{node_r}" fill="{colour}"'
                + (' stroke-dasharray="3 2"' if e.nil else "") + '/>'
                f'<text x="{tx:.1f}" y="{y + 4:.1f}" text-anchor="{anchor}">{escape(_short(e.label))}</text>')
        if e.href:
            body = f'<a href="{escape(e.href)}" target="_blank" rel="noopener">{body}</a>'
        ident = "NIL" if e.nil else (e.qid or "")
        parts.append(f'<g class="node t-{escape(e.type)}{" nil" if e.nil else ""}" data-node="{escape(str(e.iri))}" '
                     f'data-entity="{escape(str(e.iri))}" data-type="{escape(e.type)}">'
                     f'<title>{escape(e.label)} ({escape(e.type)}) {escape(ident)}</title>{body}</g>')
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
    g = Graph()
    from kg.vocab import bind_prefixes
    bind_prefixes(g)
    for q in data.quads((None, None, None, None)):
        g.add(q[:3])
    return g


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


__all__ = ["render_article", "render_file", "render_text", "show"]
