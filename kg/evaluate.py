"""Entity-linking evaluation: our linker against gold annotations (``kg eval``).

Gold formats
  * NIF Turtle (IndEL and GERBIL-style files): every ``nif:Context`` with ``nif:isString`` is a
    document; every node with ``nif:referenceContext`` + ``nif:beginIndex``/``nif:endIndex`` is a
    mention, linked when its ``itsrdf:taIdentRef`` is a Wikidata entity IRI (anything else is NIL).
  * ELEVANT JSONL (News-Fair v2): one article per line, ``text``, ``evaluation_span`` and
    ``labels`` (``span``, ``entity_id`` = QID, ``<NIL>``, ``QUANTITY`` or ``DATETIME``, ``parent``
    / ``children``, ``optional``, ``desc``, ``coref``).

Scoring (strong matching, as ``shared/tools/kgeval.py`` does it): a prediction is correct when it
has exactly the span and the QID of a gold mention. Only linked predictions count: NIL predictions
(``nil:...`` ids) are never scored. Gold mentions without a QID are not required, so linking one is
a false positive and leaving it unlinked costs nothing.

* overall: every gold mention with a QID.
* in scope: gold restricted to QIDs our knowledge base holds; a prediction counts when its QID is in
  scope or it overlaps an in-scope gold span (exactly ``kgeval.score_mentions`` with ``scope``).

ELEVANT files need a few more rules; we follow ELEVANT's reading of News-Fair where we could
determine it and say where we chose:
* ``evaluation_span``: gold outside it is dropped and predictions not wholly inside it are ignored
  (neither right nor wrong).
* optional mentions are not required: a gold label with ``optional``, ``desc`` (a descriptive,
  non-name mention such as "the nation") or ``coref`` (a pronoun or nominal coreference such as
  "he", "the company") set, and QUANTITY/DATETIME labels. Predicting one correctly is neither a
  true nor a false positive; linking its span to a different entity is a false positive.
  Coreference mentions are optional, not required, as in ELEVANT's default evaluation, where they
  are reported in a category of their own (this follows ELEVANT's documentation of News-Fair; its
  code was not available to check against). Our linker resolves no pronouns, so requiring them
  would only measure that: with them required, News-Fair dev recall drops by about a quarter.
* NIF gold linked to ``https://www.wikidata.org/wiki/Q..`` (78 mentions in IndEL dev) is NIL
  here, as in kgeval, which accepts only ``http://www.wikidata.org/entity/`` IRIs.
* alternatives (``parent``/``children``): a root label and its children are alternative readings
  of one mention ("Manhattan Beach, Calif." whole, or "Manhattan Beach" + "Calif."). Each root
  counts once: a true positive when its own span+QID is predicted, or when every required child
  is satisfied (recursively) and at least one label in the tree was predicted; otherwise one false
  negative. A root without a QID (NIL, a description) is not required, so nor are its children.
  A prediction equal to any label in the tree (span and QID) is never a false positive.
NIF gold has no such structure and the rules reduce to kgeval's.
"""
from __future__ import annotations

import json
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Container, Iterable, Sequence

from kg.errors import InputError

WD = "http://www.wikidata.org/entity/"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
ITS = "http://www.w3.org/2005/11/its/rdf#"
_QID = re.compile(r"Q[1-9]\d*")
_TITLE_DATE = re.compile(r"\s*((?:19|20)\d\d)(\d\d)(\d\d)\b")
FORMATS = ("nif", "elevant")
_WARM_UP = {"id": "JAKARTA - Presiden Prancis Emmanuel Macron bertemu Joko Widodo di Jakarta. Macron tiba Senin.",
            "en": "PARIS (Reuters) - French President Emmanuel Macron met Joko Widodo in Paris. Macron said so."}


def as_qid(value) -> str | None:
    """"Q227" for "Q227" or a Wikidata entity IRI; None for anything else (NIL keys, <NIL>, QUANTITY ...)."""
    if value is None:
        return None
    s = str(value)
    if s.startswith(WD):
        s = s[len(WD):]
    return s if _QID.fullmatch(s) else None


# ---------------------------------------------------------------- gold

@dataclass(frozen=True)
class GoldMention:
    start: int
    end: int
    qid: str | None  # None: NIL, or not an entity (QUANTITY, DATETIME)
    surface: str = ""
    optional: bool = False  # not required: optional, descriptive or coreference mention
    id: int = 0  # unique within the document
    parent: int | None = None  # ELEVANT alternatives
    children: tuple[int, ...] = ()
    kind: str = ""  # "coref", "desc", "optional", "QUANTITY" ... (why it is optional / not linked)


@dataclass
class GoldDoc:
    id: str
    text: str
    mentions: list[GoldMention]
    evaluation_span: tuple[int, int] | None = None  # only this part is annotated
    published: date | None = None
    title: str | None = None

    @property
    def span(self) -> tuple[int, int]:
        return self.evaluation_span or (0, len(self.text))


def _natural_key(s: str):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", s)]


def read_nif(path: str | Path) -> list[GoldDoc]:
    """Documents of a NIF Turtle gold file (contexts in natural order of their IRIs)."""
    import pyoxigraph as ox

    path = Path(path)
    props: dict[str, dict[str, object]] = defaultdict(dict)
    wanted = {NIF + "isString": "text", NIF + "beginIndex": "b", NIF + "endIndex": "e",
              NIF + "referenceContext": "ctx", NIF + "anchorOf": "anchor", ITS + "taIdentRef": "ref"}
    try:
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()):
            key = wanted.get(q.predicate.value)
            if key is not None:
                props[q.subject.value][key] = q.object.value
    except SyntaxError as e:
        raise InputError(f"{path}: not valid Turtle: {str(e).splitlines()[0]}") from None
    except OSError as e:
        raise InputError(f"{path}: {e.strerror or e}") from None
    docs: dict[str, GoldDoc] = {}
    for node, p in props.items():
        if "text" in p:
            docs[node] = GoldDoc(node, str(p["text"]), [])
    for node, p in sorted(props.items(), key=lambda t: _natural_key(t[0])):
        if "ctx" not in p or "text" in p:
            continue
        doc = docs.get(str(p["ctx"]))
        if doc is None or "b" not in p or "e" not in p:
            raise InputError(f"{path}: mention {node} lacks its context or offsets")
        b, e = int(p["b"]), int(p["e"])
        if not 0 <= b < e <= len(doc.text):
            raise InputError(f"{path}: mention {node} has offsets {b},{e} outside its context")
        qid = as_qid(p.get("ref"))
        anchor = p.get("anchor")
        doc.mentions.append(GoldMention(b, e, qid, str(anchor) if anchor is not None else doc.text[b:e],
                                        id=len(doc.mentions),
                                        kind="" if qid else "NIL"))
    for doc in docs.values():  # the same (span, QID) twice counts once, as in kgeval
        seen, unique = set(), []
        for m in sorted(doc.mentions, key=lambda m: (m.start, m.end, m.qid or "")):
            if (m.start, m.end, m.qid) not in seen:
                seen.add((m.start, m.end, m.qid))
                unique.append(m)
        doc.mentions = unique
    return [docs[k] for k in sorted(docs, key=_natural_key)]


def read_elevant(path: str | Path) -> list[GoldDoc]:
    """Documents of an ELEVANT benchmark JSONL file (see the module docstring for the rules)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: {getattr(e, 'strerror', None) or e}") from None
    docs = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            text = rec["text"]
            es = rec.get("evaluation_span")
            es = (int(es[0]), int(es[1])) if es else None
            mentions = []
            for i, lab in enumerate(rec.get("labels", [])):
                b, e = (int(x) for x in lab["span"])
                raw = str(lab.get("entity_id") or "")
                qid = as_qid(raw)
                kinds = [k for k in ("coref", "desc", "optional") if lab.get(k)]
                if qid is None and raw.isupper() and raw.isalpha():
                    kinds.append(raw)  # QUANTITY, DATETIME (anything else without a QID is NIL)
                kind = ",".join(kinds) or ("" if qid else "NIL")
                mentions.append(GoldMention(b, e, qid, text[b:e], optional=bool(kinds),
                                            id=int(lab.get("id", i)), parent=lab.get("parent"),
                                            children=tuple(int(c) for c in lab.get("children") or ()),
                                            kind=kind))
        except (ValueError, KeyError, TypeError, IndexError) as e:
            raise InputError(f"{path}:{n}: not an ELEVANT benchmark record ({type(e).__name__}: {e})") from None
        title = rec.get("title")
        m = _TITLE_DATE.match(title or "")
        published = None
        if m:
            try:
                published = date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                pass
        docs.append(GoldDoc(str(rec.get("id", n)), text, mentions, es, published, title))
    return docs


def detect_format(path: str | Path) -> str:
    path = Path(path)
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        return "elevant"
    if path.suffix.lower() in (".ttl", ".nif", ".turtle"):
        return "nif"
    if path.suffix.lower() in (".txt", ".conll", ".bio", ".iob"):
        return "bio"
    try:
        with open(path, encoding="utf-8") as fh:
            head = fh.read(2000).lstrip()
    except OSError as e:
        raise InputError(f"{path}: {e.strerror or e}") from None
    return "elevant" if head.startswith("{") else "nif"


def read_gold(path: str | Path, format: str = "auto") -> list[GoldDoc]:
    fmt = detect_format(path) if format in ("auto", None) else format
    if fmt == "nif":
        return read_nif(path)
    if fmt == "elevant":
        return read_elevant(path)
    if fmt == "bio":
        raise InputError(f"{path}: BIO files hold NER gold, not linking gold (scored by evaluate_ner)")
    raise InputError(f"unknown gold format {format!r} (use nif, elevant or auto)")


# ---------------------------------------------------------------- predictions

@dataclass(frozen=True)
class Prediction:
    start: int
    end: int
    entity: str  # QID, or nil:<type>/<slug>
    surface: str = ""
    method: str = ""
    type: str = ""
    confidence: float = 1.0

    @property
    def qid(self) -> str | None:
        return as_qid(self.entity)


def link_text(text: str, lang: str, kb=None, published: date | None = None, publisher: str | None = None):
    """The link stage's output (:class:`kg.link.Linked`) for one text, as ``kg.pipeline.process`` finds it."""
    from kg.pipeline import analyse
    from kg.read import Article

    return analyse(Article(id="eval", text=text, lang=lang, published=published, publisher=publisher), kb=kb).linked


def predict(text: str, lang: str, kb=None, published: date | None = None) -> list[Prediction]:
    """Our mentions of one text, one per span, as the article graph holds them (kg.rdf keeps the first
    mention of a span)."""
    linked = link_text(text, lang, kb, published)
    out, seen = [], set()
    for m in linked.mentions:
        if (m.start, m.end) in seen:
            continue
        seen.add((m.start, m.end))
        out.append(Prediction(m.start, m.end, m.entity, m.text, m.method, m.type, m.confidence))
    return out


# ---------------------------------------------------------------- scoring

@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __iadd__(self, other: Scores) -> Scores:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self

    def to_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}

    def text(self) -> str:
        return (f"P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}  "
                f"(TP {self.tp}, FP {self.fp}, FN {self.fn})")


@dataclass
class DocScore:
    scores: Scores
    true_positives: list[GoldMention] = field(default_factory=list)  # satisfied required roots
    false_negatives: list[GoldMention] = field(default_factory=list)  # unsatisfied required roots
    false_positives: list[tuple[int, int, str]] = field(default_factory=list)  # (b, e, qid)


def _key(p) -> tuple[int, int, str | None]:
    if isinstance(p, Prediction):
        return p.start, p.end, p.qid
    b, e, q = p[:3]
    return int(b), int(e), as_qid(q)


def score_document(gold: Sequence[GoldMention], predictions: Iterable, *, scope: Container[str] | None = None,
                   span: tuple[int, int] | None = None) -> DocScore:
    """Strong-matching counts for one document.

    ``predictions``: :class:`Prediction` or ``(begin, end, entity)`` tuples; only those linked to a
    QID count. ``scope``: QIDs (anything supporting ``in``, e.g. a KnowledgeBase) for the in-scope
    figures. ``span``: the evaluation span; gold and predictions outside it are ignored.
    """
    lo, hi = span if span is not None else (-1, float("inf"))
    preds = {k for k in map(_key, predictions) if k[2] and lo <= k[0] and k[1] <= hi}
    nodes = {m.id: m for m in gold if lo <= m.start and m.end <= hi}

    def eff(m: GoldMention) -> str | None:
        return m.qid if m.qid and (scope is None or m.qid in scope) else None

    matchable = {(m.start, m.end, eff(m)) for m in nodes.values() if eff(m)}
    if scope is not None:
        spans = [(b, e) for b, e, _ in matchable]
        preds = {(b, e, q) for b, e, q in preds if q in scope or any(b < ge and gb < e for gb, ge in spans)}

    def required(m: GoldMention) -> bool:
        return eff(m) is not None and not m.optional

    def hit(m: GoldMention, seen: frozenset) -> bool:  # anything in the tree predicted
        if eff(m) and (m.start, m.end, eff(m)) in preds:
            return True
        return any(hit(nodes[c], seen | {m.id}) for c in m.children if c in nodes and c not in seen)

    def satisfied(m: GoldMention, seen: frozenset = frozenset()) -> bool:
        if eff(m) and (m.start, m.end, eff(m)) in preds:
            return True
        kids = [nodes[c] for c in m.children if c in nodes and c not in seen and c != m.id]
        if not kids:
            return False
        seen = seen | {m.id}
        return any(hit(k, seen) for k in kids) and all(satisfied(k, seen) for k in kids if required(k))

    out = DocScore(Scores())
    for m in nodes.values():
        if m.parent is not None and m.parent in nodes:
            continue
        if not required(m):
            continue
        if satisfied(m):
            out.true_positives.append(m)
        else:
            out.false_negatives.append(m)
    out.false_positives = sorted(preds - matchable)
    out.scores = Scores(len(out.true_positives), len(out.false_positives), len(out.false_negatives))
    return out


def score(docs: Sequence[GoldDoc], predictions: dict[str, Iterable], scope: Container[str] | None = None) -> Scores:
    """Summed counts over documents; ``predictions`` maps a document id to its predictions."""
    total = Scores()
    for d in docs:
        total += score_document(d.mentions, list(predictions.get(d.id, [])), scope=scope, span=d.evaluation_span).scores
    return total


# ---------------------------------------------------------------- error analysis

@dataclass
class ErrorGroup:
    kind: str  # "wrong-entity", "missed", "missed-not-in-kb", "boundary", "linked-nil", "spurious"
    key: str  # what the group shares, readable
    count: int
    detail: dict
    examples: list[str]

    def to_dict(self) -> dict:
        return {"kind": self.kind, "key": self.key, "count": self.count, **self.detail, "examples": self.examples}


@dataclass
class ErrorAnalysis:
    groups: dict[str, list[ErrorGroup]]  # kind -> biggest groups first (see ERROR_KINDS)
    totals: dict[str, int]  # kind -> errors of that kind (all groups)
    methods: dict[str, dict[str, int]]  # link method -> {"tp": n, "fp": n}

    def to_dict(self) -> dict:
        return {"groups": {k: [g.to_dict() for g in v] for k, v in self.groups.items()},
                "totals": dict(self.totals), "methods": {k: dict(v) for k, v in self.methods.items()}}


ERROR_KINDS = {
    "wrong-entity": "right span, wrong entity (gold QID -> ours)",
    "missed": "missed gold mentions whose entity IS in our KB (surface, gold QID)",
    "boundary": "right entity or overlapping span, but different boundaries (gold span -> our span)",
    "nested": "false positives around or inside a correctly linked gold mention (nesting the gold does not annotate)",
    "spurious": "false positives where the gold has no mention at all (our surface -> our QID)",
    "linked-nil": "false positives on gold mentions with no QID (NIL, coref, quantity...)",
    "missed-not-in-kb": "missed gold mentions whose entity is NOT in our KB (coverage)",
}


def _snippet(text: str, b: int, e: int, width: int = 40) -> str:
    left = text[max(0, b - width):b].replace("\n", " ")
    right = text[e:e + width].replace("\n", " ")
    return f"…{left}[{text[b:e]}]{right}…"


def _label(kb, qid: str | None) -> str:
    if not qid or kb is None:
        return ""
    ent = kb.entity(qid)
    return "" if ent is None else ent.label("en")


def analyse_errors(docs: Sequence[GoldDoc], predictions: dict[str, list[Prediction]], kb=None, lang: str = "id",
                   top: int | None = 10, examples: int = 3) -> ErrorAnalysis:
    """The overall-scoring errors, classified and grouped, biggest groups first.

    Every false negative and false positive lands in exactly one group kind (a wrong-entity pair,
    a boundary pair, ... counts once per side it has)."""
    from kg.kb import normalise

    groups: dict[str, dict[tuple, list]] = {k: defaultdict(list) for k in ERROR_KINDS}
    fp_methods: Counter = Counter()
    tp_methods: Counter = Counter()
    for d in docs:
        preds = predictions.get(d.id, [])
        by_key = {(p.start, p.end, p.qid): p for p in preds if p.qid}
        ds = score_document(d.mentions, preds, span=d.evaluation_span)
        for g in ds.true_positives:
            p = by_key.get((g.start, g.end, g.qid))
            tp_methods[p.method if p else "via-children"] += 1
        lo, hi = d.span
        golds = [m for m in d.mentions if lo <= m.start and m.end <= hi]
        done = {m.id for m in ds.true_positives}
        keys = {(k[0], k[1], k[2]) for k in by_key}
        done |= {m.id for m in golds if m.qid and (m.start, m.end, m.qid) in keys}  # incl. optional/children
        explained: set[tuple] = set()
        wrong = [by_key[k] for k in ds.false_positives]
        for g in ds.false_negatives:
            ex = f"{d.id}: {_snippet(d.text, g.start, g.end)}"
            same = [p for p in wrong if (p.start, p.end) == (g.start, g.end)]
            over = [p for p in wrong if p.start < g.end and g.start < p.end and p not in same]
            if same:
                p = same[0]
                explained.add((p.start, p.end, p.qid))
                groups["wrong-entity"][(g.qid, p.qid)].append((ex, g.surface, p.method))
            elif over:
                p = over[0]
                explained.add((p.start, p.end, p.qid))
                groups["boundary"][(normalise(g.surface), normalise(p.surface), g.qid == p.qid)].append(
                    (ex, g, p))
            elif kb is not None and kb.entity(g.qid) is None:
                groups["missed-not-in-kb"][(normalise(g.surface), g.qid)].append((ex, g))
            else:
                groups["missed"][(normalise(g.surface), g.qid)].append((ex, g))
        for b, e, q in ds.false_positives:
            p = by_key[(b, e, q)]
            fp_methods[p.method] += 1
            if (b, e, q) in explained:
                continue
            ex = f"{d.id}: {_snippet(d.text, b, e)}"
            over = [m for m in golds if m.start < e and b < m.end]
            exact = [m for m in over if (m.start, m.end) == (b, e)]
            open_ = [m for m in over if m.id not in done]  # overlapping gold not already linked right
            if exact and all(not m.qid or m.optional for m in exact):
                m = exact[0]
                groups["linked-nil"][(normalise(p.surface), q, m.kind or "NIL")].append((ex, p))
            elif open_:
                m = open_[0]
                groups["boundary"][(normalise(m.surface), normalise(p.surface), m.qid == q)].append((ex, m, p))
            elif over:
                m = over[0]
                groups["nested"][(normalise(p.surface), q)].append((ex, p, m))
            else:
                groups["spurious"][(normalise(p.surface), q)].append((ex, p))

    out: dict[str, list[ErrorGroup]] = {}
    for kind, table in groups.items():
        rows = []
        for key, items in sorted(table.items(), key=lambda t: (-len(t[1]), str(t[0]))):
            exs = [it[0] for it in items[:examples]]
            if kind == "wrong-entity":
                gq, pq = key
                surfaces = Counter(it[1] for it in items)
                method = Counter(it[2] for it in items).most_common(1)[0][0]
                detail = {"gold": gq, "gold_label": _label(kb, gq), "ours": pq, "our_label": _label(kb, pq),
                          "surfaces": dict(surfaces.most_common(5)), "method": method}
                text = f"{gq} {detail['gold_label'] or '(not in KB)'} -> {pq} {detail['our_label']}; " + \
                    ", ".join(f"{s!r}×{c}" for s, c in surfaces.most_common(4)) + f"  [{detail['method']}]"
            elif kind in ("missed", "missed-not-in-kb"):
                surf, gq = key
                g = items[0][1]
                detail = {"surface": g.surface, "gold": gq, "gold_label": _label(kb, gq)}
                if kind == "missed" and kb is not None:
                    cands = kb.lookup(g.surface, lang)
                    ids = [c.entity.id for c in cands]
                    detail["diagnosis"] = (
                        "alias known, candidate not chosen/proposed" if gq in ids else
                        (f"alias of other entities only: {', '.join(ids[:3])}" if ids else "no such alias in KB"))
                text = f"{g.surface!r} {gq} {detail['gold_label']}" + \
                    (f" — {detail['diagnosis']}" if detail.get("diagnosis") else "")
            elif kind == "boundary":
                gs, ps, same_q = key
                g, p = items[0][1], items[0][2]
                detail = {"gold_surface": g.surface, "gold": g.qid, "our_surface": p.surface, "ours": p.qid,
                          "same_entity": same_q, "method": p.method}
                text = f"gold {g.surface!r} {g.qid or 'NIL'} vs ours {p.surface!r} {p.qid} {_label(kb, p.qid)}" + \
                    (" (same entity)" if same_q else "") + f"  [{p.method}]"
            elif kind == "linked-nil":
                surf, q, gk = key
                p = items[0][1]
                detail = {"surface": p.surface, "ours": q, "our_label": _label(kb, q), "gold_kind": gk,
                          "method": p.method}
                text = f"{p.surface!r} -> {q} {detail['our_label']} (gold: {gk})  [{p.method}]"
            elif kind == "nested":
                surf, q = key
                p, g = items[0][1], items[0][2]
                detail = {"surface": p.surface, "ours": q, "our_label": _label(kb, q), "method": p.method,
                          "gold_surface": g.surface, "gold": g.qid}
                text = (f"{p.surface!r} -> {q} {detail['our_label']} (gold links {g.surface!r} {g.qid})"
                        f"  [{p.method}]")
            else:
                surf, q = key
                p = items[0][1]
                detail = {"surface": p.surface, "ours": q, "our_label": _label(kb, q), "method": p.method}
                text = f"{p.surface!r} -> {q} {detail['our_label']}  [{p.method}]"
            rows.append(ErrorGroup(kind, text, len(items), detail, exs))
        out[kind] = rows[:top] if top is not None else rows
    totals = {k: sum(len(v) for v in groups[k].values()) for k in ERROR_KINDS}
    methods = {m: {"tp": tp_methods[m], "fp": fp_methods[m]}
               for m in sorted(set(tp_methods) | set(fp_methods), key=lambda m: -(tp_methods[m] + fp_methods[m]))}
    return ErrorAnalysis(out, totals, methods)


# ---------------------------------------------------------------- the whole run

@dataclass
class EvalReport:
    gold: str
    format: str
    lang: str
    documents: int
    gold_mentions: int  # required gold mentions (with a QID), overall
    gold_in_scope: int
    predictions: int  # linked predictions inside evaluation spans
    overall: Scores
    in_scope: Scores
    seconds: float  # linking time (reading the gold and loading the KB excluded)
    load_seconds: float = 0.0
    errors: ErrorAnalysis = field(default_factory=lambda: ErrorAnalysis({}, {}, {}))
    offset_mismatches: int = 0  # gold anchors that differ from the text at their offsets

    def to_dict(self) -> dict:
        return {
            "gold": self.gold, "format": self.format, "lang": self.lang, "documents": self.documents,
            "gold_mentions": self.gold_mentions, "gold_in_scope": self.gold_in_scope,
            "predictions": self.predictions, "overall": self.overall.to_dict(),
            "in_scope": self.in_scope.to_dict(), "seconds": round(self.seconds, 3),
            "load_seconds": round(self.load_seconds, 3),
            "offset_mismatches": self.offset_mismatches,
            "errors": self.errors.to_dict(),
        }

    def text(self) -> str:
        lines = [
            f"gold      {self.gold} ({self.format}, lang {self.lang}): {self.documents} documents, "
            f"{self.gold_mentions} gold mentions with a QID, {self.gold_in_scope} of them in our KB",
            f"overall   {self.overall.text()}",
            f"in scope  {self.in_scope.text()}",
            f"linked    {self.predictions} predictions in {self.seconds:.2f} s "
            f"({1000 * self.seconds / max(1, self.documents):.1f} ms/document)",
        ]
        if self.offset_mismatches:
            lines.append(f"warning   {self.offset_mismatches} gold anchors differ from the text at their offsets")
        if self.errors.totals:
            lines.append("errors    " + ", ".join(f"{k} {v}" for k, v in self.errors.totals.items()))
        if self.errors.methods:
            lines.append("by method " + ", ".join(
                f"{m} {c['tp']} TP/{c['fp']} FP" for m, c in self.errors.methods.items()))
        for kind, title in ERROR_KINDS.items():
            rows = self.errors.groups.get(kind)
            if not rows:
                continue
            lines.append("")
            lines.append(f"{kind}: {title}")
            for g in rows:
                lines.append(f"  {g.count:4d}  {g.key}")
                for ex in g.examples[:1]:
                    lines.append(f"        e.g. {ex}")
        return "\n".join(lines)


def _corpus_lang(docs: Sequence[GoldDoc]) -> str:
    from kg.read import detect_language
    sample, n = [], 0
    for d in docs:
        sample.append(d.text)
        n += len(d.text)
        if n > 5000:
            break
    return detect_language(" ".join(sample))


def evaluate(gold: str | Path | Sequence[GoldDoc], *, format: str = "auto", lang: str = "auto",
             limit: int | None = None, errors: int = 10, kb=None, published: date | str | None = None,
             progress: Callable[[int, int], None] | None = None) -> EvalReport:
    """Run our linker on every gold document and score it.

    ``gold``: a path (NIF Turtle or ELEVANT JSONL; ``format`` auto-detects from the suffix) or
    documents already read. ``lang``: id, en, or auto (detected once from the corpus).
    ``limit``: the first N documents only. ``errors``: how many groups per error kind to report.
    ``published``: publication date for documents that carry none (office holders on that date).
    """
    from kg.kb import KnowledgeBase
    from kg.read import check_lang, parse_date

    t0 = time.perf_counter()
    if isinstance(gold, (str, Path)):
        fmt = detect_format(gold) if format in ("auto", None) else format
        docs = read_gold(gold, fmt)
        name = str(gold)
    else:
        docs, fmt, name = list(gold), (format if format != "auto" else "docs"), "<documents>"
    if limit is not None:
        docs = docs[:max(0, limit)]
    lang = check_lang(lang)
    if lang == "auto":
        lang = _corpus_lang(docs) if docs else "en"
    default_date = parse_date(published)
    kb = kb or KnowledgeBase.load()
    predict(_WARM_UP[lang], lang, kb, date(2020, 1, 1))  # pipeline and lazy KB indexes, untimed
    load = time.perf_counter() - t0

    t1 = time.perf_counter()
    preds: dict[str, list[Prediction]] = {}
    for i, d in enumerate(docs):
        preds[d.id] = predict(d.text, lang, kb, d.published or default_date)
        if progress is not None:
            progress(i + 1, len(docs))
    secs = time.perf_counter() - t1

    overall, in_scope = Scores(), Scores()
    n_gold = n_scope = n_pred = mismatches = 0
    for d in docs:
        lo, hi = d.span
        for m in d.mentions:
            if m.surface and d.text[m.start:m.end] != m.surface:
                mismatches += 1
        s_all = score_document(d.mentions, preds[d.id], span=d.evaluation_span)
        s_in = score_document(d.mentions, preds[d.id], scope=kb, span=d.evaluation_span)
        overall += s_all.scores
        in_scope += s_in.scores
        n_gold += s_all.scores.tp + s_all.scores.fn
        n_scope += s_in.scores.tp + s_in.scores.fn
        n_pred += sum(1 for p in preds[d.id] if p.qid and lo <= p.start and p.end <= hi)
    errs = analyse_errors(docs, preds, kb, lang, top=errors)
    return EvalReport(name, fmt, lang, len(docs), n_gold, n_scope, n_pred, overall, in_scope, secs, load,
                      errs, mismatches)


# ---------------------------------------------------------------- NER through the article graph

NER_LABELS = ("PER", "ORG", "LOC")
# corpus tag names -> ours (idner-news-2k writes PER/ORG/LOC, NERGrit PERSON/ORGANISATION/PLACE)
_NER_TAGS = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "PERSON": "PER", "PLACE": "LOC", "ORGANISATION": "ORG",
             "ORGANIZATION": "ORG", "GPE": "LOC"}


@dataclass
class NerDoc:
    id: str
    text: str
    spans: set  # {(start_char, end_char, label)}


def bio_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Token spans ``[start, end)`` with our label of a sentence's BIO tags; an I- after O or after another
    type opens an entity. ValueError for a tag that is no B-/I- of a known type, nor O."""
    spans, begin, label = [], None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, kind = tag.partition("-")
        if prefix not in ("B", "I", "O") or (prefix != "O" and kind not in _NER_TAGS):
            raise ValueError(f"unknown tag {tag!r}")
        kind = _NER_TAGS.get(kind)
        if begin is not None and (prefix != "I" or kind != label):
            spans.append((begin, i, label))
            begin = label = None
        if prefix in ("B", "I") and begin is None:
            begin, label = i, kind
    return spans


def read_conll(path: str | Path) -> list[NerDoc]:
    """Sentences of a token-per-line BIO file (``token [POS] tag`` or ``token<TAB>tag``), each
    detokenized with single spaces: the raw text ``kg build`` would be given."""
    docs: list[NerDoc] = []
    words: list[str] = []
    tags: list[str] = []

    def flush(line_no: int) -> None:
        if not words:
            return
        starts, pos = [], 0
        for w in words:
            starts.append(pos)
            pos += len(w) + 1
        try:
            token_spans = bio_spans(tags)
        except ValueError as e:
            raise InputError(f"{path}:{line_no}: {e} (BIO tags of PER/ORG/LOC expected)") from None
        spans = {(starts[b], starts[e - 1] + len(words[e - 1]), label) for b, e, label in token_spans}
        docs.append(NerDoc(f"s{len(docs) + 1}", " ".join(words), spans))
        words.clear()
        tags.clear()

    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: {getattr(e, 'strerror', None) or e}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            flush(n)
            continue
        parts = line.split("\t") if "\t" in line else line.split()
        words.append(parts[0])
        tags.append(parts[-1].strip())
    flush(len(lines))
    if not docs:
        raise InputError(f"{path}: no sentences in BIO format")
    return docs


def _ner_label_of_class() -> dict:
    """Our entity classes -> NER label, from the ontology's subclass tree (kg:Person -> PER,
    kg:Organization -> ORG, kg:Location -> LOC); offices, events and the rest have none."""
    from rdflib import Graph
    from rdflib.namespace import RDFS

    from kg.resources import ontology_path
    from kg.vocab import KG

    onto = Graph().parse(ontology_path(), format="turtle")
    out = {}
    for root, label in ((KG.Person, "PER"), (KG.Organization, "ORG"), (KG.Location, "LOC")):
        for cls in onto.transitive_subjects(RDFS.subClassOf, root):
            out[cls] = label
    return out


def graph_ner_spans(graph, labels: dict | None = None) -> set:
    """``{(begin, end, label)}`` of every mention an article graph holds, typed by its
    ``itsrdf:taClassRef`` (what a user of ``kg build`` output sees); untyped classes are dropped."""
    from rdflib import URIRef

    labels = labels if labels is not None else _ner_label_of_class()
    out = set()
    begin, end, cls = URIRef(NIF + "beginIndex"), URIRef(NIF + "endIndex"), URIRef(ITS + "taClassRef")
    for m, b in graph.subject_objects(begin):
        for c in graph.objects(m, cls):
            label = labels.get(c)
            if label:
                out.add((int(b), int(graph.value(m, end)), label))
    return out


@dataclass
class NerReport:
    gold: str
    documents: int
    scores: dict  # label or "ALL" -> Scores
    seconds: float
    trimmed: dict = field(default_factory=dict)  # the same with brackets/quotes/final dots trimmed
    errors: dict = field(default_factory=dict)  # "missed"/"spurious"/"wrong type" -> Counter of surfaces

    def to_dict(self) -> dict:
        return {"gold": self.gold, "documents": self.documents, "seconds": round(self.seconds, 3),
                "scores": {k: v.to_dict() for k, v in self.scores.items()},
                "trimmed": {k: v.to_dict() for k, v in self.trimmed.items()},
                "errors": {k: c.most_common(30) for k, c in self.errors.items()}}

    def text(self) -> str:
        lines = [f"gold      {self.gold} (BIO): {self.documents} sentences, each built as an article; "
                 f"spans read from the article graph (nif offsets + itsrdf:taClassRef)"]
        for k in ("ALL",) + NER_LABELS:
            lines.append(f"{'overall' if k == 'ALL' else k:9s} {self.scores[k].text()}")
        if self.trimmed:
            lines.append(f"trimmed   {self.trimmed['ALL'].text()}  (brackets, quotes, final dots stripped)")
        lines.append(f"built     {self.documents} articles in {self.seconds:.2f} s "
                     f"({1000 * self.seconds / max(1, self.documents):.1f} ms/article)")
        for kind, c in self.errors.items():
            if c:
                lines.append(f"{kind}: " + ", ".join(f"{s} ({n})" for s, n in c.most_common(12)))
        return "\n".join(lines)


_TRIM = "()[]{}\"'\u201c\u201d\u2018\u2019.,;:!?"


def trim_spans(text: str, spans) -> set:
    """Spans without the brackets, quotes and final dots at their ends (corpora that tokenize "(SBY)"
    or "Inc." as one token put them inside the gold span; our tokenizer splits them off)."""
    out = set()
    for b, e, label in spans:
        while b < e and text[b] in _TRIM:
            b += 1
        while e > b and text[e - 1] in _TRIM:
            e -= 1
        if b < e:
            out.add((b, e, label))
    return out


def _ner_scores(pairs) -> dict:
    out = {k: Scores() for k in ("ALL",) + NER_LABELS}
    for gold, pred in pairs:
        for k, s in out.items():
            g = {x for x in gold if k in ("ALL", x[2])}
            p = {x for x in pred if k in ("ALL", x[2])}
            s += Scores(len(g & p), len(p - g), len(g - p))
    return out


def evaluate_ner(gold: str | Path, *, lang: str = "id", limit: int | None = None, kb=None,
                 published: date | str | None = None,
                 progress: Callable[[int, int], None] | None = None) -> NerReport:
    """Entity-level NER scores (exact span and type) of what ``kg build`` writes.

    Each gold sentence is run through the whole pipeline as an article (``kg.pipeline.process``,
    without the SHACL gate, which changes no mention) and every mention in its article graph
    counts, linked or NIL, typed PER/ORG/LOC by its class; mentions of offices count for nothing.
    """
    from kg.kb import KnowledgeBase
    from kg.pipeline import process
    from kg.read import Article, check_lang, parse_date

    docs = read_conll(gold)
    if limit is not None:
        docs = docs[:max(0, limit)]
    lang = check_lang(lang)
    if lang == "auto":
        lang = _corpus_lang([GoldDoc(d.id, d.text, []) for d in docs])
    kb = kb or KnowledgeBase.load()
    when = parse_date(published)
    labels = _ner_label_of_class()
    process(Article(id="warm", text=_WARM_UP[lang], lang=lang, published=when), kb=kb, validate=False)
    t0 = time.perf_counter()
    pairs, errors = [], {"missed": Counter(), "spurious": Counter(), "wrong type": Counter()}
    for i, d in enumerate(docs):
        res = process(Article(id=d.id, text=d.text, lang=lang, published=when), kb=kb, validate=False)
        pred = graph_ner_spans(res.graphs.graph, labels)
        pairs.append((d.spans, pred))
        pspans = {(b, e): t for b, e, t in pred}
        gspans = {(b, e): t for b, e, t in d.spans}
        for (b, e), t in gspans.items():
            if (b, e) not in pspans:
                errors["missed"][f"{d.text[b:e]}/{t}"] += 1
            elif pspans[b, e] != t:
                errors["wrong type"][f"{d.text[b:e]}/{t}->{pspans[b, e]}"] += 1
        for (b, e), t in pspans.items():
            if (b, e) not in gspans:
                errors["spurious"][f"{d.text[b:e]}/{t}"] += 1
        if progress is not None:
            progress(i + 1, len(docs))
    secs = time.perf_counter() - t0
    trimmed = _ner_scores([(trim_spans(d.text, g), trim_spans(d.text, p)) for d, (g, p) in zip(docs, pairs)])
    return NerReport(str(gold), len(docs), _ner_scores(pairs), secs, trimmed, errors)


__all__ = ["GoldMention", "GoldDoc", "Prediction", "Scores", "DocScore", "ErrorGroup", "ErrorAnalysis", "EvalReport",
           "read_nif", "read_elevant", "read_gold", "detect_format", "link_text", "predict",
           "score_document", "score", "analyse_errors", "evaluate", "as_qid",
           "NerDoc", "NerReport", "bio_spans", "read_conll", "graph_ner_spans", "evaluate_ner", "trim_spans"]
