"""Writing graphs: files (atomic: temp file + rename) and the persistent store.

Files: :func:`write_results` writes ``kg build`` output; a reader never sees a half-written file,
and a failed run leaves no file behind.

Persistent store: :func:`open_store` picks a backend from the location, like rdflib's store
plugins: a path is an embedded, on-disk Oxigraph store (:class:`OxigraphStore`, created on first
use); an ``http(s)://`` URL is a remote SPARQL 1.1 endpoint (:class:`SparqlStore`, through
SPARQLWrapper). Both have the same methods and hold the same quads for the same input.

Layout of a store (the same in both backends):

* each article's statements in a named graph of its own, named by the article IRI
  (``kgr:article/<slug>``, :func:`kg.rdf.article_iri`, the same graph name ``kg build -o X.trig``
  uses), so entity nodes (``wd:Q..`` and the NIL IRIs ``kgr:entity/<key>``) are shared by every
  article that mentions them;
* the knowledge-base facts about the entities the articles mention in one background graph
  (:data:`kg.rdf.BACKGROUND_GRAPH`). Adding an article's background is a set union; re-ingesting
  or replacing one article never removes background triples (they are facts about entities, not
  statements of the article, and another article may rely on them);
* one bookkeeping triple per article in :data:`INGEST_GRAPH`: ``<article> schema:sha256 "<hex>"``,
  the hash of the article's canonical N-Triples (article graph + its background triples, see
  :func:`content_hash`). Re-ingesting an article whose hash is stored changes nothing.

Atomicity (:meth:`Store.replace_article`): the old article graph is dropped, the new one and its
background triples inserted and the hash replaced in ONE SPARQL update request::

    DELETE WHERE { GRAPH <ingest> { <a> schema:sha256 ?h } } ;
    DROP SILENT GRAPH <a> ;
    INSERT DATA { GRAPH <a> { ... } GRAPH <background> { ... } GRAPH <ingest> { <a> schema:sha256 "..." } }

Embedded, ``pyoxigraph.Store.update`` runs the whole request in one RocksDB transaction: it is
applied completely or not at all, also when the process is killed (a committed transaction is in the
write-ahead log). Remote, a request is as atomic as the server makes it: SPARQL 1.1 Update says each
request SHOULD be treated atomically, and Oxigraph (``oxigraph serve``), Jena Fuseki/TDB2 and
GraphDB do; a server that does not could leave a half-written article after a crash, which the next
run repairs (the hash is written in the same request, so an article whose write did not complete
is not "unchanged" and is written again). Article writes are never split into several requests.

Oxigraph keeps numbers in canonical form: ``"5"^^xsd:nonNegativeInteger`` is stored (and returned)
as ``"5"^^xsd:integer``. :meth:`Store.quads` and :meth:`Store.export` give the NIF/kg offset
properties (:data:`OFFSET_PROPERTIES`) their ``xsd:nonNegativeInteger`` datatype back, so an export
validates against the shapes; query results show ``xsd:integer`` (see kg.query).
"""
from __future__ import annotations

import hashlib
import os
import re
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Mapping, Sequence

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from kg.errors import InputError, KgError
from kg.vocab import KG, KGR, NIF, PREFIXES, SCHEMA, bind_prefixes, graph_of

FORMATS = {".ttl": "turtle", ".trig": "trig"}


def output_format(out: str) -> str:
    if out == "-":
        return "turtle"
    fmt = FORMATS.get(Path(out).suffix.lower())
    if fmt is None:
        raise InputError(f"output {out!r}: use a .ttl file (one article), a .trig file (a dataset) or - (stdout)")
    return fmt


def atomic_write(path: Path, data: bytes) -> None:
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(f"output {path}: directory {parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; an output file gets the usual mode
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def dataset(results) -> Dataset:
    """One named graph per article (named by the article IRI) and one background graph."""
    from kg.rdf import BACKGROUND_GRAPH
    ds = Dataset()
    bind_prefixes(ds)
    bg = ds.graph(BACKGROUND_GRAPH)
    for r in results:
        ag = ds.graph(r.graphs.article)
        for t in r.graphs.triples:
            ag.add(t)
        for t in r.graphs.background_triples:
            bg.add(t)
    return ds


def serialise(results, fmt: str) -> bytes:
    if fmt == "trig":
        return dataset(results).serialize(format="trig", encoding="utf-8")
    g = graph_of(*(part for r in results for part in (r.graphs.triples, r.graphs.background_triples)))
    return g.serialize(format="turtle", encoding="utf-8")


def write_results(results, out: str) -> None:
    fmt = output_format(out)
    if fmt == "turtle" and out != "-" and len(results) > 1:
        raise InputError(f"output {out}: {len(results)} articles need a .trig dataset (one named graph each)")
    data = serialise(results, fmt)
    if out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        atomic_write(Path(out), data)


# =============================================================================================
# The persistent store
# =============================================================================================

INGEST_GRAPH = KGR["graph/ingest"]
"""Bookkeeping graph: one ``<article> schema:sha256 "<hex>"`` triple per ingested article."""
CONTENT_HASH = SCHEMA["sha256"]
"""Predicate of the content hash (schema.org's ``sha256``: "the SHA-2 SHA256 hash of the content")."""
OFFSET_PROPERTIES = frozenset({NIF.beginIndex, NIF.endIndex, KG.beginIndex, KG.endIndex})
"""Properties written as xsd:nonNegativeInteger, whose datatype Oxigraph canonicalises to xsd:integer."""
EXPORT_FORMATS = ("trig", "nquads", "turtle", "jsonld")
ENV_USER, ENV_PASSWORD, ENV_AUTH = "KG_STORE_USER", "KG_STORE_PASSWORD", "KG_STORE_AUTH"
HASH_VERSION = "kg-content-v1"

_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ABS_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_LANG_RE = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
_BNODE_LABEL = re.compile(r"[^A-Za-z0-9_]")


# ---------------------------------------------------------------------------------------------
# terms in N-Triples syntax (also valid SPARQL data syntax)


def nt_term(term: Node) -> str:
    """One term in canonical N-Triples syntax, usable as is inside SPARQL ``INSERT DATA``/``VALUES``.

    IRIs are checked (absolute, none of the characters N-Triples and SPARQL forbid); literals escape
    exactly ``\\ " \\n \\r`` (canonical N-Triples); xsd:string is implicit; language tags are checked.
    """
    if isinstance(term, URIRef):
        iri = str(term)
        if not _ABS_IRI.match(iri) or _IRI_BAD.search(iri):
            raise InputError(f"not a valid IRI for the store: {iri!r}")
        return f"<{iri}>"
    if isinstance(term, Literal):
        s = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if term.language:
            if not _LANG_RE.match(term.language):
                raise InputError(f"not a valid language tag: {term.language!r}")
            return f'"{s}"@{term.language}'
        if term.datatype is not None and str(term.datatype) != str(XSD.string):
            return f'"{s}"^^{nt_term(URIRef(term.datatype))}'
        return f'"{s}"'
    if isinstance(term, BNode):
        return f"_:{_BNODE_LABEL.sub('_', str(term)) or 'b'}"
    raise InputError(f"cannot store a {type(term).__name__} term")


def nt_lines(graph: Graph | Iterable[tuple[Node, Node, Node]]) -> list[str]:
    """The triples as sorted, de-duplicated N-Triples lines (without the final newline)."""
    memo: dict[Node, str] = {}  # an article repeats its predicates, nodes and entities many times

    def term(t: Node) -> str:
        out = memo.get(t)
        if out is None:
            out = memo[t] = nt_term(t)
        return out

    return sorted({f"{term(s)} {term(p)} {term(o)} ." for s, p, o in graph})


def content_hash(article_lines: Sequence[str], background_lines: Sequence[str]) -> str:
    """SHA-256 of an article's canonical N-Triples: its graph, then its background triples (sorted lines)."""
    parts = [f"{HASH_VERSION}\n"]
    parts.extend(f"{line}\n" for line in article_lines)
    parts.append("# background\n")
    parts.extend(f"{line}\n" for line in background_lines)
    return hashlib.sha256("".join(parts).encode("utf-8")).hexdigest()  # one update: the same bytes as line by line


@dataclass
class ArticleData:
    """An article ready to write: graph name, sorted N-Triples lines of both graphs, content hash."""

    article: URIRef
    lines: list[str]
    background: list[str]
    content_hash: str

    @classmethod
    def from_graphs(cls, article: URIRef, graph: Graph, background: Graph) -> "ArticleData":
        lines, bg = nt_lines(graph), nt_lines(background)
        return cls(URIRef(article), lines, bg, content_hash(lines, bg))

    @property
    def triples(self) -> int:
        return len(self.lines) + len(self.background)


def _lines_of(g: Graph | Sequence[str]) -> list[str]:
    if isinstance(g, Graph):
        return nt_lines(g)
    return list(g)


# ---------------------------------------------------------------------------------------------
# the interface


class Store:
    """A persistent graph. Use :func:`open_store`; close it (or use ``with``) when done."""

    location: str  # for messages: a path, or a URL without credentials
    __kg_store__ = True  # kg.query.run dispatches on this

    # -- articles -------------------------------------------------------------------------
    def article_hash(self, article_iri: URIRef | str) -> str | None:
        """The stored content hash of an article, or None (never ingested, or loaded without one)."""
        raise NotImplementedError

    def article_hashes(self, article_iris: Iterable[URIRef | str]) -> dict[str, str]:
        """Stored hashes of many articles (IRI string -> hex) in few round trips."""
        return {str(a): h for a in article_iris if (h := self.article_hash(a)) is not None}

    def replace_article(self, article_iri: URIRef | str, article_graph: Graph | Sequence[str],
                        background_graph: Graph | Sequence[str], content_hash: str) -> None:
        """Write one article all-or-nothing: drop its old graph, insert the new one, union its background
        triples into the background graph, record ``content_hash``. Graphs are rdflib graphs or N-Triples lines."""
        self._update(_replace_update(URIRef(article_iri), _lines_of(article_graph),
                                     _lines_of(background_graph), content_hash))

    def write(self, data: ArticleData) -> None:
        self.replace_article(data.article, data.lines, data.background, data.content_hash)

    # articles :meth:`write_many` is best given at once (the embedded store writes them in one load)
    write_group = 1

    def write_many(self, datas: Sequence[ArticleData]) -> None:
        """Write several articles (distinct graphs), each all-or-nothing; an implementation may write them
        together, so that a crash leaves all of them or none. Here: one :meth:`write` (one request) each."""
        for data in datas:
            self.write(data)

    def add_background(self, lines: Sequence[str]) -> None:
        """Union N-Triples lines into the background graph (one request; nothing for no lines)."""
        if lines:
            self._update(f"INSERT DATA {{ GRAPH <{_background_graph()}> {{ {' '.join(lines)} }} }}")

    # -- validation context -------------------------------------------------------------------
    def types_of(self, iris: Iterable[URIRef | str]) -> Graph:
        """The ``rdf:type`` triples of these nodes, from every graph of the store."""
        raise NotImplementedError

    def typed(self, iris: Iterable[URIRef | str], cls: URIRef) -> set[str]:
        """Those of these nodes that have type ``cls`` in some graph of the store."""
        return {str(s) for s, _, o in self.types_of(iris) if o == cls}

    # -- reading --------------------------------------------------------------------------
    def query(self, text: str, bindings: Mapping[str, Node] | None = None, *, name: str = "query"):
        """Run a SPARQL query over the union of all graphs; ``bindings`` are bound as RDF terms
        (a VALUES block, :func:`kg.query.with_values`). Returns a :class:`kg.query.QueryResult`."""
        raise NotImplementedError

    def quads(self) -> Iterator[tuple[Node, Node, Node, Node | None]]:
        """Every quad as rdflib terms ``(s, p, o, graph)`` (graph None = default graph), offsets restored."""
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    def named_graphs(self) -> list[URIRef]:
        raise NotImplementedError

    def export(self, fmt: str, out: IO[bytes] | None = None) -> bytes | None:
        """Serialise the store: trig, nquads, jsonld (datasets) or turtle (the union of all graphs).

        Returns bytes, or writes to ``out`` and returns None."""
        import pyoxigraph as ox

        if fmt not in EXPORT_FORMATS:
            raise InputError(f"unknown export format {fmt!r} (use {', '.join(EXPORT_FORMATS)})")
        quads = (_to_ox_quad(q) for q in self.quads())
        if fmt == "turtle":
            union = ox.Store()  # in memory: de-duplicates triples stated in several graphs
            union.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
            data: Iterable[Any] = (ox.Triple(q.subject, q.predicate, q.object) for q in union)
            oxfmt = ox.RdfFormat.TURTLE
        else:
            data = quads
            oxfmt = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
                     "jsonld": ox.RdfFormat.JSON_LD}[fmt]
        prefixes = None if fmt == "nquads" else dict(PREFIXES)
        if fmt == "jsonld":
            prefixes = None
        return ox.serialize(data, out, format=oxfmt, prefixes=prefixes)

    # -- writing in bulk ------------------------------------------------------------------
    def import_file(self, path: str | Path) -> int:
        """Bulk-load an RDF file (.trig/.nq/.jsonld: its graphs; .ttl/.nt: the default graph).

        Not validated (load what kg wrote: ``kg export`` output, ``kg build -o X.trig``). Returns the
        number of quads read."""
        raise NotImplementedError

    # -- life cycle -----------------------------------------------------------------------
    def _update(self, text: str) -> None:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.location}>"


def _replace_update(article: URIRef, lines: Sequence[str], background: Sequence[str], digest: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise InputError(f"content hash {digest!r} is not a SHA-256 hex digest")
    a, ig, bg = nt_term(article), nt_term(INGEST_GRAPH), nt_term(_background_graph())
    h = nt_term(CONTENT_HASH)
    parts = [f"DELETE WHERE {{ GRAPH {ig} {{ {a} {h} ?h }} }} ;",
             f"DROP SILENT GRAPH {a} ;",
             "INSERT DATA {",
             f"GRAPH {a} {{"]
    parts.extend(lines)
    parts.append("}")
    if background:
        parts.append(f"GRAPH {bg} {{")
        parts.extend(background)
        parts.append("}")
    parts.append(f'GRAPH {ig} {{ {a} {h} "{digest}" . }}')
    parts.append("}")
    return "\n".join(parts)


def _new_article_nquads(data: ArticleData, background: Sequence[str] | None = None) -> bytes:
    """The N-Quads of an article's first write: its graph, its background triples (``background``:
    those of them to write), its hash."""
    if not re.fullmatch(r"[0-9a-f]{64}", data.content_hash):
        raise InputError(f"content hash {data.content_hash!r} is not a SHA-256 hex digest")
    a, ig, bg = nt_term(data.article), nt_term(INGEST_GRAPH), nt_term(_background_graph())
    in_article, in_background = f" {a} .", f" {bg} ."
    out = [line[:-2] + in_article for line in data.lines]
    out.extend(line[:-2] + in_background for line in (data.background if background is None else background))
    out.append(f'{a} {nt_term(CONTENT_HASH)} "{data.content_hash}" {ig} .')
    out.append("")
    return "\n".join(out).encode("utf-8")


def _background_graph() -> URIRef:
    from kg.rdf import BACKGROUND_GRAPH
    return BACKGROUND_GRAPH


def _restore(p: Node, o: Node) -> Node:
    """Give an offset its xsd:nonNegativeInteger datatype back (Oxigraph stores it as xsd:integer)."""
    if p in OFFSET_PROPERTIES and isinstance(o, Literal) and o.datatype == XSD.integer and not str(o).startswith("-"):
        return Literal(str(o), datatype=XSD.nonNegativeInteger)
    return o


# ---------------------------------------------------------------------------------------------
# pyoxigraph <-> rdflib terms


def _ox_term(term: Node):
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        label = _BNODE_LABEL.sub("_", str(term))
        return ox.BlankNode(label) if label else ox.BlankNode()
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise InputError(f"cannot store a {type(term).__name__} term")


def _to_ox_quad(q: tuple[Node, Node, Node, Node | None]):
    import pyoxigraph as ox

    s, p, o, g = q
    return ox.Quad(_ox_term(s), _ox_term(p), _ox_term(o), ox.DefaultGraph() if g is None else _ox_term(g))


def _from_ox(term) -> Node | None:
    from kg.query import _from_ox as conv
    return conv(term)


# ---------------------------------------------------------------------------------------------
# embedded: pyoxigraph on disk


# the most quads one bulk load of OxigraphStore.write_many takes: well under the loader's batch of 1M
# quads, which is the unit its atomicity holds for
BULK_MAX_QUADS = 500_000

_OX_SUFFIX = {".trig": "TRIG", ".nq": "N_QUADS", ".nquads": "N_QUADS", ".jsonld": "JSON_LD",
              ".json-ld": "JSON_LD", ".ttl": "TURTLE", ".turtle": "TURTLE", ".nt": "N_TRIPLES"}


class OxigraphStore(Store):
    """An on-disk Oxigraph store (``pyoxigraph.Store(path)``); one process at a time may open it."""

    def __init__(self, path: str | Path, *, create: bool = True):
        import pyoxigraph as ox

        self.path = Path(path).expanduser()
        self.location = str(path)
        if self.path.exists() and not self.path.is_dir():
            raise InputError(f"store {self.location}: is a file, not a store directory")
        if self.path.is_dir() and any(self.path.iterdir()) and not (self.path / "CURRENT").exists():
            raise InputError(f"store {self.location}: is a non-empty directory that is not an Oxigraph store")
        if not self.path.exists():
            if not create:
                raise InputError(f"store {self.location}: no such store (kg ingest creates one)")
            if not self.path.parent.is_dir():
                raise InputError(f"store {self.location}: directory {self.path.parent} does not exist")
        try:
            self._ox = ox.Store(str(self.path))
        except OSError as e:
            msg = str(e)
            if "lock" in msg.lower():
                raise KgError(f"store {self.location}: in use by another process (an ingest running?)") from None
            raise KgError(f"store {self.location}: cannot open ({msg.splitlines()[0] if msg else type(e).__name__})") from None

    @property
    def ox(self):
        if self._ox is None:
            raise KgError(f"store {self.location}: closed")
        return self._ox

    @contextmanager
    def _writing(self, what: str):
        """One-line errors of a write: the store refusing our own serialisation (a bug, not a user
        error) or the disk failing."""
        try:
            yield
        except SyntaxError as e:
            raise KgError(f"store {self.location}: {what} rejected ({e})") from e
        except OSError as e:
            raise KgError(f"store {self.location}: write failed ({e})") from e

    def _update(self, text: str) -> None:
        with self._writing("update"):
            self.ox.update(text)

    def write(self, data: ArticleData) -> None:
        """A new article is one transactional load of N-Quads (~20 % cheaper than the SPARQL update,
        which only a replacement needs: its old graph must go in the same transaction)."""
        import pyoxigraph as ox

        if not self._is_new(data.article):
            return super().write(data)
        with self._writing("write"):
            self.ox.load(_new_article_nquads(data), format=ox.RdfFormat.N_QUADS)

    # RocksDB merges every few loads into the store's sorted runs, rewriting them: the fewer and bigger
    # the loads, the less of that (into a 1M-quad store, compaction CPU per article: 18 ms with loads
    # of 32 articles, 7 ms with 256; benchmarks/RESULTS.md)
    write_group = 256

    def write_many(self, datas: Sequence[ArticleData]) -> None:
        """Articles new to the store are written with one ``bulk_load`` per group of at most
        :data:`BULK_MAX_QUADS` quads: ~40 % less CPU per quad than a transaction, because the bulk
        loader sorts the quads and writes the index files directly instead of looking up and inserting
        each key. It is all-or-nothing: the loader hands RocksDB the files of all indexes in one
        multi-column-family ingestion, which RocksDB applies atomically (also across a crash), as long
        as the input fits one loader batch (1M quads; tests/test_store.py kills writers to check).
        An article already in the store (a replacement), or one bigger than a load, goes through
        :meth:`write`."""
        import pyoxigraph as ox

        group: list[bytes] = []
        in_load: set[str] = set()  # background lines already in this load
        quads = 0

        def load() -> None:
            in_load.clear()
            if group:
                with self._writing("write"):
                    # lenient: the loader skips re-checking IRIs, which nt_term checked when writing them
                    self.ox.bulk_load(b"".join(group), format=ox.RdfFormat.N_QUADS, lenient=True)
                group.clear()

        for data in datas:
            if data.triples + 1 > BULK_MAX_QUADS or not self._is_new(data.article):
                self.write(data)  # a replacement, or an article too big to load atomically: a transaction
                continue
            if quads + data.triples + 1 > BULK_MAX_QUADS:
                load()
                quads = 0
            background = [line for line in data.background if line not in in_load]  # once per load
            in_load.update(background)
            group.append(_new_article_nquads(data, background))
            quads += len(data.lines) + len(background) + 1
        load()

    def _is_new(self, article: URIRef | str) -> bool:
        """No hash and no quad in the article's graph (a graph loaded by ``kg import`` is not new)."""
        import pyoxigraph as ox

        name = ox.NamedNode(str(article))
        return (self.article_hash(article) is None
                and next(iter(self.ox.quads_for_pattern(None, None, None, name)), None) is None)

    def article_hash(self, article_iri: URIRef | str) -> str | None:
        import pyoxigraph as ox

        for q in self.ox.quads_for_pattern(ox.NamedNode(str(article_iri)), ox.NamedNode(str(CONTENT_HASH)), None,
                                           ox.NamedNode(str(INGEST_GRAPH))):
            return q.object.value
        return None

    def types_of(self, iris: Iterable[URIRef | str]) -> Graph:
        import pyoxigraph as ox

        g = Graph()
        rdf_type = ox.NamedNode(str(RDF.type))
        for iri in dict.fromkeys(str(i) for i in iris):
            for q in self.ox.quads_for_pattern(ox.NamedNode(iri), rdf_type, None, None):
                g.add((URIRef(iri), RDF.type, _from_ox(q.object)))
        return g

    def typed(self, iris: Iterable[URIRef | str], cls: URIRef) -> set[str]:
        import pyoxigraph as ox

        rdf_type, c = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(cls))
        return {iri for iri in dict.fromkeys(str(i) for i in iris)
                if next(iter(self.ox.quads_for_pattern(ox.NamedNode(iri), rdf_type, c, None)), None) is not None}

    def query(self, text: str, bindings: Mapping[str, Node] | None = None, *, name: str = "query"):
        from kg.query import QueryFile, _run_oxigraph

        qf = QueryFile(name=name, path=Path(name), title=name, answers="", params=(), text=text)
        return _run_oxigraph(qf, self.ox, dict(bindings or {}))

    def quads(self) -> Iterator[tuple[Node, Node, Node, Node | None]]:
        import pyoxigraph as ox

        for q in self.ox.quads_for_pattern(None, None, None, None):
            p = _from_ox(q.predicate)
            g = None if isinstance(q.graph_name, ox.DefaultGraph) else _from_ox(q.graph_name)
            yield _from_ox(q.subject), p, _restore(p, _from_ox(q.object)), g

    def __len__(self) -> int:
        return len(self.ox)

    def named_graphs(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self.ox.named_graphs() if hasattr(g, "value"))

    def import_file(self, path: str | Path) -> int:
        import pyoxigraph as ox

        path = Path(path)
        fmt = _import_format(path)
        before = len(self.ox)
        try:
            self.ox.load(path=str(path), format=getattr(ox.RdfFormat, fmt))  # one transaction
        except SyntaxError as e:
            raise InputError(_syntax_message(path, e)) from None
        except OSError as e:
            raise InputError(f"{path}: cannot load ({e})") from None
        return len(self.ox) - before

    def close(self) -> None:
        if getattr(self, "_ox", None) is not None:
            try:
                self._ox.flush()
            except OSError:  # closing after a failed write: the store keeps what it committed
                pass
            self._ox = None


def _import_format(path: Path) -> str:
    from kg.validate import rdf_file_format
    return rdf_file_format(path, _OX_SUFFIX)


def _syntax_message(path: Path, e: SyntaxError) -> str:
    """``path:line: problem (column c)`` from pyoxigraph's parse error."""
    line, column = getattr(e, "lineno", None), getattr(e, "offset", None)
    first = (str(e).strip().splitlines() or [type(e).__name__])[0]
    m = re.match(r"^(?:Parser error )?(?:at|between) .*?: (?P<what>.*?)(?: \([^()]*line \d+\))?$", first)
    what = m["what"] if m else first
    if column:
        what += f" (column {column})"
    return f"{path}:{line}: {what}" if line else f"{path}: {what}"


# ---------------------------------------------------------------------------------------------
# remote: a SPARQL 1.1 endpoint through SPARQLWrapper


class SparqlStore(Store):
    """A remote SPARQL 1.1 Query + Update endpoint.

    Credentials come from the environment only: ``KG_STORE_USER`` and ``KG_STORE_PASSWORD`` (HTTP
    basic, or digest with ``KG_STORE_AUTH=digest``). They are never put in a message or a log; a
    URL that carries ``user:password@`` is refused.

    Queries see the union of all graphs: the request carries ``union-default-graph`` (Oxigraph's
    parameter; :attr:`union_param` = None drops it, for a server configured with a union default graph
    such as Fuseki's ``unionDefaultGraph``). Reads that need the graphs (types, hashes, export) use
    ``GRAPH`` patterns and do not depend on it.
    """

    union_param: str | None = "union-default-graph"
    import_chunk = 5000  # quads per INSERT DATA request in import_file

    def __init__(self, url: str, update_endpoint: str | None = None, timeout: float = 30):
        self.query_url = _check_url(url, "store URL")
        self.update_url = _check_url(update_endpoint, "update endpoint") if update_endpoint else self.query_url
        self.location = self.query_url
        self.timeout = float(timeout)
        if not self.timeout > 0:
            raise InputError(f"timeout {timeout!r}: must be a positive number of seconds")
        user, password = os.environ.get(ENV_USER) or None, os.environ.get(ENV_PASSWORD)
        auth = (os.environ.get(ENV_AUTH) or "basic").strip().lower()
        if auth not in ("basic", "digest"):
            raise InputError(f"{ENV_AUTH}={auth!r}: use basic or digest")
        if password and not user:
            raise InputError(f"{ENV_PASSWORD} is set but {ENV_USER} is not")
        self._auth = (user, password or "", auth) if user else None

    # -- HTTP -----------------------------------------------------------------------------
    def _wrapper(self, url: str):
        from SPARQLWrapper import BASIC, DIGEST, POST, SPARQLWrapper

        w = SPARQLWrapper(url, updateEndpoint=url)
        w.setMethod(POST)
        w.setOnlyConneg(True)
        w.setTimeout(max(1, int(round(self.timeout))))
        if self._auth:
            user, password, kind = self._auth
            w.setHTTPAuth(DIGEST if kind == "digest" else BASIC)
            w.setCredentials(user, password)
        return w

    def _fail(self, url: str, e: BaseException) -> KgError:
        return KgError(f"SPARQL endpoint {url}: {self._problem(e)}")

    def _problem(self, e: BaseException) -> str:
        import socket
        import urllib.error

        from SPARQLWrapper import SPARQLExceptions as X

        if isinstance(e, X.Unauthorized):
            who = f"as {ENV_USER}" if self._auth else f"no credentials ({ENV_USER}/{ENV_PASSWORD} not set)"
            text = f"authentication failed (HTTP 401, {who})"
        elif isinstance(e, X.EndPointNotFound):
            text = "not found (HTTP 404)"
        elif isinstance(e, X.QueryBadFormed):
            text = f"rejected the request (HTTP 400): {_server_message(e)}"
        elif isinstance(e, X.URITooLong):
            text = "request too long (HTTP 414)"
        elif isinstance(e, X.EndPointInternalError):
            text = f"server error (HTTP 500): {_server_message(e)}"
        elif isinstance(e, urllib.error.HTTPError):
            text = f"HTTP {e.code} {e.reason}"
        elif isinstance(e, (socket.timeout, TimeoutError)) or "timed out" in str(e):
            text = f"no answer within {self.timeout:g} s"
        elif isinstance(e, urllib.error.URLError):
            text = f"cannot connect ({e.reason})"
        elif isinstance(e, X.SPARQLWrapperException):
            text = _server_message(e)
        else:
            text = f"{type(e).__name__}: {e}"
        return self._redact(" ".join(text.split()))[:300]

    def _redact(self, text: str) -> str:
        if self._auth and self._auth[1]:
            text = text.replace(self._auth[1], "***")
        return text

    def _request(self, text: str, form: str, *, union: bool = False):
        """Send a query; ``form`` (SELECT, ASK, CONSTRUCT, DESCRIBE) is set explicitly: SPARQLWrapper's own
        guess reads keywords in comments ("# ... load into ..." makes it an update)."""
        from SPARQLWrapper import JSON, N3

        w = self._wrapper(self.query_url)
        if union and self.union_param:
            w.addParameter(self.union_param, "true")
        w.setQuery(text)
        w.queryType = form
        w.setReturnFormat(JSON if form in ("SELECT", "ASK") else N3)
        try:
            res = w.query()
            return res.convert() if form in ("SELECT", "ASK") else res.response.read()
        except Exception as e:  # SPARQLWrapper, urllib, socket and json errors share no base class
            raise self._fail(self.query_url, e) from None

    def _select(self, text: str, *, union: bool = False, form: str = "SELECT") -> dict:
        doc = self._request(text, form, union=union)
        if not isinstance(doc, dict):
            raise KgError(f"SPARQL endpoint {self.query_url}: did not answer with SPARQL JSON results")
        return doc

    def _update(self, text: str) -> None:
        from SPARQLWrapper import INSERT

        w = self._wrapper(self.update_url)
        w.setQuery(text)
        w.queryType = INSERT  # any update form: sent as update=...
        try:
            w.query()
        except Exception as e:
            raise self._fail(self.update_url, e) from None

    # -- Store ----------------------------------------------------------------------------
    def article_hash(self, article_iri: URIRef | str) -> str | None:
        return self.article_hashes([article_iri]).get(str(article_iri))

    def article_hashes(self, article_iris: Iterable[URIRef | str]) -> dict[str, str]:
        iris = list(dict.fromkeys(str(a) for a in article_iris))
        out: dict[str, str] = {}
        for i in range(0, len(iris), 200):
            values = " ".join(nt_term(URIRef(a)) for a in iris[i:i + 200])
            doc = self._select(f"SELECT ?a ?h WHERE {{ VALUES ?a {{ {values} }} "
                               f"GRAPH {nt_term(INGEST_GRAPH)} {{ ?a {nt_term(CONTENT_HASH)} ?h }} }}")
            for b in doc.get("results", {}).get("bindings", []):
                out[b["a"]["value"]] = b["h"]["value"]
        return out

    def types_of(self, iris: Iterable[URIRef | str]) -> Graph:
        iris = list(dict.fromkeys(str(i) for i in iris))
        g = Graph()
        for i in range(0, len(iris), 200):
            values = " ".join(nt_term(URIRef(a)) for a in iris[i:i + 200])
            doc = self._select(f"SELECT DISTINCT ?s ?t WHERE {{ VALUES ?s {{ {values} }} "
                               f"{{ GRAPH ?g {{ ?s a ?t }} }} UNION {{ ?s a ?t }} }}")
            for b in doc.get("results", {}).get("bindings", []):
                g.add((URIRef(b["s"]["value"]), RDF.type, _json_term(b["t"])))
        return g

    def query(self, text: str, bindings: Mapping[str, Node] | None = None, *, name: str = "query"):
        from kg.query import QueryResult, with_values

        form = _query_form(text)
        text = with_values(text, dict(bindings or {}))
        if form in ("CONSTRUCT", "DESCRIBE"):
            raw = self._request(text, form, union=True)
            try:
                g = Graph().parse(data=raw, format="turtle")
            except Exception as e:
                raise KgError(f"SPARQL endpoint {self.query_url}: unreadable {form} result ({type(e).__name__})") from None
            return QueryResult(["subject", "predicate", "object"], [tuple(t) for t in g])
        doc = self._select(text, union=True, form=form)
        if "boolean" in doc:
            return QueryResult([], [], boolean=bool(doc["boolean"]))
        vars_ = list(doc.get("head", {}).get("vars", []))
        rows = [tuple(_json_term(b[v]) if v in b else None for v in vars_)
                for b in doc.get("results", {}).get("bindings", [])]
        return QueryResult(vars_, rows)

    def quads(self) -> Iterator[tuple[Node, Node, Node, Node | None]]:
        named = self._select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        for b in named.get("results", {}).get("bindings", []):
            p = _json_term(b["p"])
            yield _json_term(b["s"]), p, _restore(p, _json_term(b["o"])), _json_term(b["g"])
        default = self._select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")  # no union parameter: the default graph
        for b in default.get("results", {}).get("bindings", []):
            p = _json_term(b["p"])
            yield _json_term(b["s"]), p, _restore(p, _json_term(b["o"])), None

    def __len__(self) -> int:
        doc = self._select("SELECT (COUNT(*) AS ?n) WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } }")
        return int(doc["results"]["bindings"][0]["n"]["value"])

    def named_graphs(self) -> list[URIRef]:
        doc = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(URIRef(b["g"]["value"]) for b in doc.get("results", {}).get("bindings", []))

    def import_file(self, path: str | Path) -> int:
        """Parsed locally, sent as INSERT DATA requests of :attr:`import_chunk` quads: each request is
        atomic, the whole import is not; re-running an interrupted import completes it (set semantics)."""
        import pyoxigraph as ox

        path = Path(path)
        fmt = _import_format(path)
        n = 0
        chunk: list[str] = []
        try:
            for q in ox.parse(path=str(path), format=getattr(ox.RdfFormat, fmt)):
                g = getattr(q, "graph_name", None)
                triple = f"{_ox_nt(q.subject)} {_ox_nt(q.predicate)} {_ox_nt(q.object)} ."
                chunk.append(triple if g is None or isinstance(g, ox.DefaultGraph)
                             else f"GRAPH {_ox_nt(g)} {{ {triple} }}")
                n += 1
                if len(chunk) >= self.import_chunk:
                    self._update("INSERT DATA {\n" + "\n".join(chunk) + "\n}")
                    chunk = []
        except SyntaxError as e:
            raise InputError(_syntax_message(path, e) + f" ({n} quads before it were loaded)") from None
        except OSError as e:
            raise InputError(f"{path}: cannot read ({e})") from None
        if chunk:
            self._update("INSERT DATA {\n" + "\n".join(chunk) + "\n}")
        return n


def _query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such keyword outside comments, strings and IRIs."""
    from kg.query import _tokens

    for kind, _, tok in _tokens(text):
        if kind == "word" and tok.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return tok.upper()
    raise InputError("not a SPARQL query (no SELECT, ASK, CONSTRUCT or DESCRIBE)")


def _ox_nt(term) -> str:
    return nt_term(_from_ox(term))


def _server_message(e: BaseException) -> str:
    text = str(e)
    m = re.search(r"Response:\s*(?:b['\"])?(.*)", text, re.S)
    body = m.group(1) if m else text
    body = body.replace("\\n", " ").strip().strip("'\"")
    return body.splitlines()[0][:200] if body else type(e).__name__


def _json_term(b: Mapping[str, str]) -> Node:
    kind, value = b.get("type"), b.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    lang = b.get("xml:lang")
    if lang:
        return Literal(value, lang=lang)
    dt = b.get("datatype")
    if dt and dt != str(XSD.string):
        return Literal(value, datatype=URIRef(dt))
    return Literal(value)


def _check_url(url: str, what: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{what} {url!r}: use an http:// or https:// URL")
    if parts.username is not None or parts.password is not None:
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        raise InputError(f"{what} {parts.scheme}://***@{host}{parts.path}: credentials are not accepted in the URL; "
                         f"set {ENV_USER} and {ENV_PASSWORD}")
    return url


# ---------------------------------------------------------------------------------------------


def is_url(location: str) -> bool:
    return bool(re.match(r"^https?://", str(location), re.IGNORECASE))


def open_store(location: str | Path, update_endpoint: str | None = None, timeout: float = 30, *,
               create: bool = True) -> Store:
    """A store by location: ``http(s)://...`` is a remote SPARQL endpoint, anything else a directory
    holding an embedded Oxigraph store (created on first use unless ``create`` is False)."""
    loc = str(location)
    if not loc:
        raise InputError("no store given (a directory or an http(s):// SPARQL endpoint)")
    if is_url(loc):
        return SparqlStore(loc, update_endpoint, timeout)
    if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*://", loc):
        raise InputError(f"store {loc!r}: use a directory or an http:// or https:// SPARQL endpoint")
    if update_endpoint:
        raise InputError(f"--update-endpoint is for a remote store; {loc} is a directory")
    return OxigraphStore(loc, create=create)


__all__ = ["ArticleData", "CONTENT_HASH", "EXPORT_FORMATS", "INGEST_GRAPH", "OFFSET_PROPERTIES", "OxigraphStore",
           "SparqlStore", "Store", "atomic_write", "content_hash", "dataset", "is_url", "nt_lines", "nt_term",
           "open_store", "output_format", "serialise", "write_results"]
