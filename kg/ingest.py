"""Ingest articles into a persistent store (:mod:`kg.store`): one validated, all-or-nothing write each.

    with open_store("graph.db") as store:
        summary = ingest(read_inputs(["batch.jsonl"]), store, workers=2)
    print(summary.text()); sys.exit(summary.exit_code)

Per article: read -> NLP -> link -> extract -> graphs (:func:`kg.pipeline.process`) -> content hash ->
validation gate -> write (:class:`Writer`: new articles in groups, one bulk load per group on the embedded
store, one update request per article on a remote one; a replacement is one transaction / request).

* **Unchanged**: the content hash (canonical N-Triples of the article graph and its background
  triples, :func:`kg.store.content_hash`) equals the stored one: nothing is written.
* **Ingested** (new) or **replaced** (a changed version): the old graph is dropped and the new one
  written in the same request; background triples are added (never removed).
* **Rejected**: unreadable input, a pipeline error, or a graph that fails the gate; the store is
  not touched for it and the report says why. The rest of the batch goes on.

Validation gate (:func:`gate`): the article graph + its background triples are validated with
``ontology/shapes.ttl`` together with the *context* the article needs from the store: the
``rdf:type`` triples of the nodes it references but does not type itself (:func:`context`; e.g. a
``wdt:P39`` object typed ``kg:Position`` by an earlier article). The data validated is the article's
own plus that handful of triples, never the store, so the cost does not grow with the store.
Context types that are the target class of a shape (nif:Context, sem:Event, kg:NILEntity, ...) are
left out: they would make a node described elsewhere a focus node of this validation. With that
rule, context only adds types to value nodes, which the shapes check with ``sh:class`` (and
``sh:hasValue``/``sh:qualifiedMinCount`` on rdf:type): adding context can turn a violation into a
conforming result, never the reverse. So the gate validates first without context (in the worker
process, in parallel) and asks the store for context only when that finds violations; the
result is the one a validation with context from the start would give.

Crash safety: every write is atomic and covers whole articles (one, or a group); an interrupted batch
leaves every article either fully written (with its hash) or untouched, and re-running the batch skips
the written ones (unchanged) and completes the rest. An article is reported only once it is written.

Parallelism: ``workers > 1`` runs NLP + graph building + validation in that many processes (spawned,
each loads the knowledge base once); the calling process keeps the store and writes in input order.
"""
from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable, Iterator, Sequence

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SH

from kg.errors import KgError
from kg.read import Article, BadInput
from kg.store import ArticleData, Store

Triple = tuple  # (subject, predicate, object) rdflib terms
STATUSES = ("ingested", "replaced", "unchanged", "rejected")
# with the number of workers left to kg, fewer articles than this are processed in-process: starting
# the workers costs ~3 s (each loads spaCy, the NER and the KB); measured break-even on 2 cores ~64
# articles (16: 3.8 s pooled vs 2.1 s in-process; 128: 7.3 s vs 9.8 s)
POOL_MIN_ARTICLES = 64
BATCH_ARTICLES = 8  # articles whose NLP runs as one batch (nlp.pipe); results are still written one by one
FIRST_GROUP = 32  # the most articles written together at a batch's start (see Writer)


@dataclass
class Outcome:
    """What happened to one input."""

    source: str  # "file.txt", "batch.jsonl:3"
    status: str  # one of STATUSES
    article: str | None = None  # the article IRI (= its named graph)
    reason: str | None = None  # why it was rejected
    report: object | None = None  # kg.validate.Report for a graph that failed the gate
    triples: int = 0  # triples written (article graph + background triples)
    seconds: float = 0.0  # processing + commit time of this article
    store_seconds: float = 0.0  # of which in the store: hash look-up, gate context, write

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}" if self.reason else f"{self.source}: {self.status}"


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def ingested(self) -> int:
        return self.count("ingested")

    @property
    def replaced(self) -> int:
        return self.count("replaced")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def rejected(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "rejected"]

    @property
    def triples(self) -> int:
        return sum(o.triples for o in self.outcomes)

    @property
    def rate(self) -> float:
        return len(self.outcomes) / self.seconds if self.seconds > 0 else 0.0

    @property
    def exit_code(self) -> int:
        """0: nothing rejected; 1: some rejected, the rest ingested; 2: nothing could be ingested."""
        if not self.rejected:
            return 0
        return 1 if len(self.rejected) < len(self.outcomes) else 2

    def text(self) -> str:
        """A summary line, then one line per rejected input."""
        head = (f"{self.ingested} ingested, {self.replaced} replaced, {self.unchanged} unchanged, "
                f"{len(self.rejected)} rejected; {self.triples} triples written in {self.seconds:.2f} s "
                f"({self.rate:.1f} articles/s)")
        return "\n".join([head] + [f"rejected {o.source}: {o.reason}" for o in self.rejected])


# ---------------------------------------------------------------------------------------------
# the validation gate


@lru_cache(maxsize=1)
def _target_classes() -> frozenset:
    from kg.validate import shapes_graph

    return frozenset(shapes_graph().objects(None, SH.targetClass))


def references(graph: Iterable[Triple], background: Iterable[Triple] | None = None) -> list[URIRef]:
    """IRIs used as subject or object (not as a class, not as a predicate) that have no rdf:type here."""
    graphs = [graph] + ([background] if background is not None else [])
    typed: set = set()
    used: set = set()
    for g in graphs:
        for s, p, o in g:
            if p == RDF.type:
                typed.add(s)
                continue
            if isinstance(s, URIRef):
                used.add(s)
            if isinstance(o, URIRef):
                used.add(o)
    return sorted(used - typed)


def context(store: Store, graph: Iterable[Triple], background: Iterable[Triple] | None = None,
            refs: Sequence[str] | None = None) -> Graph:
    """The store's rdf:type triples for the nodes the article references without typing them,
    minus types that are a shape's target class (see the module docstring)."""
    refs = references(graph, background) if refs is None else refs
    if not refs:
        return Graph()
    found = store.types_of(refs)
    targets = _target_classes()
    out = Graph()
    for t in found:
        if t[2] not in targets:
            out.add(t)
    return out


def _merge(*graphs: Iterable[Triple]) -> list[Triple]:
    return [t for part in graphs for t in part]


def gate(store: Store, graph: Iterable[Triple], background: Iterable[Triple], report=None,
         refs: Sequence[str] | None = None):
    """Validate an article for ``store``: a kg.validate.Report for article + background + context.
    The article and its background are rdflib graphs or lists of triples.

    ``report`` is the result of validating article + background alone, when already known."""
    from kg.validate import validate_graph

    if report is None:
        report = validate_graph(_merge(graph, background))
    if report.conforms:
        return report
    ctx = context(store, graph, background, refs)
    if not len(ctx):
        return report
    return validate_graph(_merge(graph, background, ctx))


# ---------------------------------------------------------------------------------------------
# one article


@dataclass
class Prepared:
    """An article after the pipeline (built in a worker process; picklable)."""

    source: str
    article: str | None = None
    data: ArticleData | None = None
    report: object | None = None  # validation of article + background alone; None = not validated yet
    refs: list[str] = field(default_factory=list)  # untyped references (for the gate's context)
    error: str | None = None
    seconds: float = 0.0
    gated: bool = False  # report already includes the store context
    nil_pairs: list[tuple[str, str]] = field(default_factory=list)  # (NIL IRI, entity IRI): see nil_candidates
    nil_nodes: list[str] = field(default_factory=list)  # the NIL entities the article mints: see minted_nils


def prepare(item: Article | BadInput, known_hash: str | None = None, *, kb=None,
            spacy_model: str | None = None, doc=None) -> Prepared:
    """Run the pipeline on one input and validate its graphs (unless ``known_hash`` says it is unchanged).
    ``doc``: the article's spaCy Doc, when :func:`prepare_many` made it."""
    started = time.perf_counter()
    if isinstance(item, BadInput):
        return Prepared(item.source, error=item.reason)
    from kg.pipeline import process
    from kg.validate import validate_graph

    try:
        graphs = process(item, kb=kb, validate=False, spacy_model=spacy_model, doc=doc).graphs
    except KgError as e:
        msg = str(e)
        prefix = f"{item.source}: "
        return Prepared(item.source, error=msg[len(prefix):] if msg.startswith(prefix) else msg,
                        seconds=time.perf_counter() - started)
    except Exception as e:  # a bug in a stage must not stop the batch; report it as a rejection
        return Prepared(item.source, error=f"internal error ({type(e).__name__}: {e})",
                        seconds=time.perf_counter() - started)
    triples, background = graphs.triples, graphs.background_triples
    data = ArticleData.from_graphs(graphs.article, triples, background)
    report = None
    refs: list[str] = []
    if data.content_hash != known_hash:
        report = validate_graph(triples + background)
        if not report.conforms:
            refs = [str(r) for r in references(triples, background)]
    return Prepared(item.source, str(graphs.article), data, report, refs, seconds=time.perf_counter() - started,
                    nil_pairs=nil_candidates(triples), nil_nodes=minted_nils(triples))


def prepare_many(tasks: Sequence[tuple[Article | BadInput, str | None, str | None]], *, kb=None) -> list[Prepared]:
    """:func:`prepare` for several ``(input, known hash, spacy model)`` tasks, their NLP run batched
    (:func:`kg.pipeline.docs_for`: articles for a ``--spacy-model`` pipeline, and every article of
    a batch whose NLP fails, go one by one, so one bad text only rejects itself)."""
    from kg.pipeline import docs_for

    model = next((m for _, _, m in tasks if m), None)
    docs = docs_for([item for item, _, _ in tasks], model)
    return [prepare(item, known, kb=kb, spacy_model=m, doc=doc) for (item, known, m), doc in zip(tasks, docs)]


def _graph_of(lines: Sequence[str]) -> Graph:
    g = Graph()
    if lines:
        g.parse(data="\n".join(lines) + "\n", format="nt")
    return g


class Writer:
    """Commits prepared articles to a store in input order (in the process that holds the store).

    Articles to write wait until ``group`` of them are ready (default: the store's
    :attr:`~kg.store.Store.write_group`; the first group is smaller), or ``max_wait`` seconds have
    passed since the first, and go to :meth:`~kg.store.Store.write_many` together: on the embedded
    store one load, all of them or none. An outcome is reported (``on_outcome``) only once its
    article is written; outcomes of unchanged or rejected inputs wait behind the articles before
    them, so they arrive in input order. Call :meth:`flush` at the end."""

    def __init__(self, store: Store, on_outcome: Callable[[Outcome], None], *, group: int | None = None,
                 max_wait: float = 5.0):
        self.store = store
        self.on_outcome = on_outcome
        self.group = max(1, store.write_group if group is None else group)
        self.max_wait = max_wait
        # the first group is small, so the first outcomes (the progress bar) come soon after the start;
        # smaller groups after that would cost compaction (see write_group)
        self._size = min(self.group, FIRST_GROUP)
        self._waiting: list[Outcome] = []  # outcomes not reported yet, in input order
        self._datas: list[ArticleData] = []  # what the waiting outcomes will have written
        self._iris: set[str] = set()
        self._nils: set[str] = set()  # NIL nodes the waiting articles type (for owl:sameAs)
        self._since = 0.0
        # background lines this writer has written: the background graph is a union and the entities of
        # a batch recur, so their knowledge-base facts need writing once (lines of articles still waiting
        # do not count: a replacement is written apart from its group's load)
        self._background: set[str] = set()

    def commit(self, p: Prepared) -> None:
        """Gate one prepared article and write it (now or with its group)."""
        started = time.perf_counter()

        def done(status: str, **kw) -> Outcome:
            spent = time.perf_counter() - started
            return Outcome(p.source, status, article=p.article, seconds=p.seconds + spent, store_seconds=spent, **kw)

        if p.error is not None or p.data is None:
            return self._report(done("rejected", reason=p.error or "no graph"))
        data = p.data
        if str(data.article) in self._iris:  # the same article again: its first version goes first
            self.flush()
        stored = self.store.article_hash(data.article)
        if stored == data.content_hash:
            return self._report(done("unchanged"))
        report = p.report
        if report is None or not (report.conforms or p.gated):
            self.flush()  # the context comes from the store, which must hold the articles before this one
            graph, background = _graph_of(data.lines), _graph_of(data.background)
            report = gate(self.store, graph, background, report, p.refs or None)
        if not report.conforms:
            n = len(report.violations)
            return self._report(done("rejected", reason=f"does not conform to the shapes ({n} violation"
                                     f"{'s' if n != 1 else ''})", report=report))
        same = same_as_lines(self.store, p.nil_pairs, self._nils)
        background = [line for line in sorted(set(data.background) | set(same)) if line not in self._background]
        if background != data.background:
            data = ArticleData(data.article, data.lines, background, data.content_hash)
        if not self._datas:
            self._since = time.perf_counter()
        self._waiting.append(done("replaced" if stored is not None else "ingested", triples=data.triples))
        self._datas.append(data)
        self._iris.add(str(data.article))
        self._nils.update(p.nil_nodes)
        if len(self._datas) >= self._size or time.perf_counter() - self._since >= self.max_wait:
            self.flush()
            self._size = self.group

    def _report(self, outcome: Outcome) -> None:
        if self._datas:
            self._waiting.append(outcome)
        else:
            self.on_outcome(outcome)

    def flush(self) -> None:
        """Write the waiting articles and report their outcomes (a store error is raised; none is reported)."""
        if self._datas:
            started = time.perf_counter()
            self.store.write_many(self._datas)
            share = (time.perf_counter() - started) / len(self._datas)
            for o in self._waiting:
                if o.status in ("ingested", "replaced"):
                    o.seconds += share
                    o.store_seconds += share
            for data in self._datas:
                self._background.update(data.background)
        waiting = self._waiting
        self._waiting, self._datas, self._iris, self._nils = [], [], set(), set()
        for o in waiting:
            self.on_outcome(o)


def commit_prepared(store: Store, p: Prepared) -> Outcome:
    """Gate and write one prepared article now (in the process that holds the store)."""
    out: list[Outcome] = []
    writer = Writer(store, out.append, group=1)
    writer.commit(p)
    writer.flush()
    return out[0]


def commit(store: Store, graphs, *, source: str = "<graph>") -> Outcome:
    """Gate and write an article already built (a :class:`kg.rdf.ArticleGraphs`)."""
    started = time.perf_counter()
    triples, background = graphs.triples, graphs.background_triples
    data = ArticleData.from_graphs(graphs.article, triples, background)
    p = Prepared(source, str(graphs.article), data, nil_pairs=nil_candidates(triples), nil_nodes=minted_nils(triples))
    if store.article_hash(data.article) != data.content_hash:
        p.report = gate(store, triples, background)
        p.gated = True
    p.seconds = time.perf_counter() - started
    return commit_prepared(store, p)


# ---------------------------------------------------------------------------------------------
# identity: NIL entities that the knowledge base has come to know

# the NER-level type a NIL entity was minted with, for each class of the knowledge base
_NIL_TYPES = {"Person": "Person", "Country": "Location", "Territory": "Location", "City": "Location",
              "Location": "Location", "Organization": "Organization", "GovernmentOrganization": "Organization",
              "InternationalOrganization": "Organization", "MediaOrganization": "Organization",
              "NewsAgency": "Organization"}


def minted_nils(graph: Iterable[Triple]) -> list[str]:
    """The NIL entities of an article's triples (the subjects of kg:nilKey, which the shapes require of
    every kg:NILEntity and only of one), found in the worker so the store's process need not scan."""
    from kg.vocab import KG

    key = KG.nilKey
    return sorted({str(s) for s, p, _ in graph if p == key})


def nil_candidates(graph: Iterable[Triple]) -> list[tuple[str, str]]:
    """(NIL IRI, entity IRI) for each name this article links to the knowledge base: the IRI an
    earlier article minted for the same name when the knowledge base did not know it yet (before a
    ``kg kb refresh``), with the entity's class or the NER's coarser one. ``graph``: the article's triples."""
    from kg.ids import nil_id
    from kg.rdf import entity_iri
    from kg.vocab import ITSRDF, NIF

    wanted = {ITSRDF.taIdentRef: {}, NIF.anchorOf: {}, ITSRDF.taClassRef: {}}
    for s, p, o in graph:
        found = wanted.get(p)
        if found is not None:
            found.setdefault(s, o)
    anchors, classes = wanted[NIF.anchorOf], wanted[ITSRDF.taClassRef]
    out = set()
    for mention, entity in wanted[ITSRDF.taIdentRef].items():
        if not str(entity).startswith("http://www.wikidata.org/entity/"):
            continue
        anchor, cls = anchors.get(mention), classes.get(mention)
        if anchor is None or cls is None:
            continue
        kind = str(cls).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        for t in {kind, _NIL_TYPES.get(kind, kind)}:
            try:
                out.add((str(entity_iri(nil_id(t, str(anchor)))), str(entity)))
            except ValueError:  # no letters or digits to make a name of
                continue
    return sorted(out)


def same_as_lines(store: Store, pairs: Sequence[tuple[str, str]], pending: Iterable[str] = ()) -> list[str]:
    """``owl:sameAs`` N-Triples lines for the pairs whose NIL node the store already holds (or the
    articles about to be written, ``pending``: their NIL node IRIs)."""
    if not pairs:
        return []
    from kg.vocab import KG

    pending = set(pending)
    nil_nodes = pending.intersection(n for n, _ in pairs)
    nil_nodes |= store.typed([n for n, _ in pairs if n not in nil_nodes], KG.NILEntity)
    return [_same_as_line(n, q) for n, q in pairs if n in nil_nodes]


def _same_as_line(nil: str, entity: str) -> str:
    from kg.store import nt_term

    return f"{nt_term(URIRef(nil))} {nt_term(OWL.sameAs)} {nt_term(URIRef(entity))} ."


_NIL_QUERY = """
PREFIX kg: <https://w3id.org/geonews-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT DISTINCT ?nil ?key ?label WHERE {
  ?nil a kg:NILEntity ; kg:nilKey ?key ; rdfs:label ?label .
  FILTER NOT EXISTS { ?nil owl:sameAs ?known }
}"""


def reconcile(store: Store, kb=None) -> list[tuple[str, str]]:
    """Link every NIL entity of the store that the knowledge base now knows (after ``kg kb refresh``)
    to its entity with ``owl:sameAs``, in the background graph: its label must be an alias of exactly
    one entity of a fitting type (a person by a name of two words at least). Returns the pairs added."""
    from kg.kb import KnowledgeBase
    from kg.link import TYPE_FIT

    kb = kb or KnowledgeBase.load()
    found: dict[str, str] = {}
    result = store.query(_NIL_QUERY, name="nil-entities")
    for row in result.rows:
        nil, key, label = (dict(zip(result.vars, row)).get(k) for k in ("nil", "key", "label"))
        if nil is None or key is None or label is None or str(nil) in found:
            continue
        kind = {"person": "Person", "location": "Location"}.get(str(key).split("/", 1)[0], "Organization")
        if kind == "Person" and len(str(label).split()) < 2:
            continue
        fitting = {c.entity.id for c in kb.lookup(str(label), getattr(label, "language", None))
                   if c.entity.type in TYPE_FIT[kind] and not c.entity.id.startswith("nil:")}
        if len(fitting) == 1:
            found[str(nil)] = f"http://www.wikidata.org/entity/{fitting.pop()}"
    store.add_background([_same_as_line(n, q) for n, q in sorted(found.items())])
    return sorted(found.items())


# ---------------------------------------------------------------------------------------------
# batches


def _init_worker() -> None:
    """Load what every task needs, then move it out of the garbage collector's sight: the
    knowledge base and the Indonesian pipeline live as long as the worker, and without
    ``gc.freeze`` every full collection walks them again (~1.2 ms of CPU per article)."""
    import gc

    from kg.kb import KnowledgeBase
    from kg.nlp import make_nlp

    KnowledgeBase.load()
    make_nlp("id")
    gc.freeze()


def _work(tasks: list[tuple[Article | BadInput, str | None, str | None]]) -> list[Prepared]:
    return prepare_many(tasks)


def _chunks(items: Sequence, size: int) -> list:
    return [items[i:i + size] for i in range(0, len(items), size)]


def default_workers() -> int:
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def ingest(items: Iterable[Article | BadInput], store: Store, *, kb=None, workers: int | None = 1,
           on_outcome: Callable[[Outcome], None] | None = None, spacy_model: str | None = None,
           group: int | None = None) -> Summary:
    """Ingest a batch; returns the :class:`Summary`. ``on_outcome`` is called after each input (progress).

    ``workers``: processes for the pipeline and validation (None = one per core, at most 4, and
    batches smaller than :data:`POOL_MIN_ARTICLES` in-process). Writes happen here, in input order.
    ``group``: articles written together (:class:`Writer`; default: the store's choice).
    Store errors (:class:`KgError` from the store: endpoint down, disk full) stop the batch and are raised;
    the articles written before stay written."""
    started = time.perf_counter()
    items = list(items)
    if spacy_model:
        from kg.nlp import external_pipeline
        external_pipeline(spacy_model)  # a pipeline that does not load stops the batch before it starts
    summary = Summary()
    from kg.rdf import article_iri

    iris = {id(a): str(article_iri(a.id)) for a in items if isinstance(a, Article)}
    known = store.article_hashes(set(iris.values())) if iris else {}
    tasks = [(a, known.get(iris.get(id(a), "")), spacy_model) for a in items]

    def report(outcome: Outcome) -> None:
        summary.outcomes.append(outcome)
        summary.seconds = time.perf_counter() - started
        if on_outcome is not None:
            on_outcome(outcome)

    writer = Writer(store, report, group=group)
    record = writer.commit

    n = workers if workers is not None else default_workers()
    n_articles = len(iris)
    try:
        if n <= 1 or n_articles < 2 or (workers is None and n_articles < POOL_MIN_ARTICLES):
            if kb is None and n_articles:
                from kg.kb import KnowledgeBase
                kb = KnowledgeBase.load()
            for chunk in _chunks(tasks, BATCH_ARTICLES):
                for p in prepare_many(chunk, kb=kb):
                    record(p)
        else:
            import multiprocessing

            with ProcessPoolExecutor(max_workers=min(n, n_articles), mp_context=multiprocessing.get_context("spawn"),
                                     initializer=_init_worker) as pool:
                try:
                    size = max(1, min(BATCH_ARTICLES, n_articles // (4 * min(n, n_articles))))
                    for prepared in pool.map(_work, _chunks(tasks, size)):
                        for p in prepared:
                            record(p)
                except BaseException:
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise
    except KeyboardInterrupt:  # Ctrl-C: what is ready goes in, so running the batch again does less
        writer.flush()
        raise
    writer.flush()
    summary.seconds = time.perf_counter() - started
    return summary


def ingest_inputs(inputs: Sequence[str], store: Store, *, lang: str = "auto", published=None, url: str | None = None,
                  title: str | None = None, publisher: str | None = None, workers: int | None = 1,
                  on_outcome: Callable[[Outcome], None] | None = None, spacy_model: str | None = None,
                  group: int | None = None) -> Summary:
    """:func:`ingest` for the inputs ``kg build`` takes (files, directories, JSONL, ``-``), same options."""
    from kg.read import check_lang, parse_date, read_inputs

    items = read_inputs(list(inputs), lang=check_lang(lang), published=parse_date(published), url=url,
                        title=title, publisher=publisher)
    return ingest(items, store, workers=workers, on_outcome=on_outcome, spacy_model=spacy_model,
                  group=group)


# ---------------------------------------------------------------------------------------------
# progress


@contextmanager
def rich_progress(total: int | None = None, *, console=None, transient: bool = False
                  ) -> Iterator[Callable[[Outcome], None]]:
    """A Rich progress bar on stderr (articles done, articles/s, counts); yields an ``on_outcome`` callback."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task) -> Text:
            elapsed = task.elapsed or 0.0
            rate = task.completed / elapsed if elapsed > 0 else 0.0
            return Text(f"{rate:.1f} articles/s")

    counts = {s: 0 for s in STATUSES}
    console = console or Console(stderr=True)
    progress = Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), Rate(), TimeElapsedColumn(),
                        TextColumn("{task.fields[counts]}"), console=console, transient=transient)

    def label() -> str:
        return (f"{counts['ingested']} new, {counts['replaced']} replaced, {counts['unchanged']} unchanged, "
                f"{counts['rejected']} rejected")

    with progress:
        task = progress.add_task("ingest", total=total, counts=label())

        def on_outcome(o: Outcome) -> None:
            counts[o.status] = counts.get(o.status, 0) + 1
            progress.update(task, advance=1, counts=label())

        yield on_outcome


__all__ = ["Outcome", "Prepared", "STATUSES", "Summary", "Writer", "commit", "commit_prepared", "context", "gate",
           "ingest", "ingest_inputs", "prepare", "prepare_many", "references", "rich_progress"]
