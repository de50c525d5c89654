"""Validation: pySHACL with the shapes in ``ontology/shapes.ttl``, and readable reports.

    report = validate_graph(graph)      # or validate_file(path)
    if not report.conforms:
        print(report.text())

A :class:`Report` lists :class:`Violation` s whose fields are written with the project's
prefixes (``kgsh:Mention-anchorOf``, ``nif:beginIndex``); IRIs outside them are written ``<...>``.
:func:`load_rdf` reads ``.ttl``/``.nt``/``.trig``/``.nq``/``.jsonld`` files and turns every
problem with the file into :class:`kg.errors.InputError` ("path:line: message").
"""
from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.graph import ConjunctiveGraph
from rdflib.namespace import RDF, SH, NamespaceManager
from rdflib.term import Node

from kg.errors import InputError
from kg.resources import shapes_path
from kg.vocab import bind_prefixes, graph_of

KGSH = Namespace("https://w3id.org/geonews-kg/shapes#")

# suffix -> (rdflib format, pyoxigraph format name, is a dataset format)
_FORMATS: dict[str, tuple[str, str, bool]] = {
    ".ttl": ("turtle", "TURTLE", False),
    ".turtle": ("turtle", "TURTLE", False),
    ".nt": ("nt", "N_TRIPLES", False),
    ".trig": ("trig", "TRIG", True),
    ".nq": ("nquads", "N_QUADS", True),
    ".jsonld": ("json-ld", "JSON_LD", True),
    ".json-ld": ("json-ld", "JSON_LD", True),
}


@dataclass(frozen=True)
class Violation:
    """One validation result. ``focus``, ``path``, ``shape`` and ``value`` are N3 terms with our prefixes."""

    focus: str
    path: str | None
    message: str
    shape: str
    severity: str
    value: str | None


@dataclass(frozen=True)
class Report:
    conforms: bool
    violations: tuple[Violation, ...]

    def text(self) -> str:
        """One block per violation: message, focus node, path, value, shape (with its sh:name)."""
        if self.conforms:
            return "conforms"
        names = _shape_names()
        blocks = []
        n = len(self.violations)
        for i, v in enumerate(self.violations, 1):
            lines = [f"{v.severity} {i}/{n}: {v.message}", f"  focus: {v.focus}"]
            if v.path is not None:
                lines.append(f"  path:  {v.path}")
            if v.value is not None:
                lines.append(f"  value: {v.value}")
            name = names.get(v.shape)
            lines.append(f"  shape: {v.shape}" + (f" ({name})" if name else ""))
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)


_lock = threading.Lock()


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The shapes graph (parsed once). Treat it as read-only."""
    g = Graph()
    g.parse(shapes_path(), format="turtle")
    return g


@lru_cache(maxsize=1)
def _namespaces() -> NamespaceManager:
    g = Graph(bind_namespaces="core")
    bind_prefixes(g)
    g.bind("kgsh", KGSH)
    g.bind("sh", SH)
    return g.namespace_manager


@lru_cache(maxsize=1)
def _shape_names() -> dict[str, str]:
    sg = shapes_graph()
    return {_n3(s): str(name) for s, name in sg.subject_objects(SH.name) if isinstance(s, URIRef)}


def _n3(term: Node | None) -> str | None:
    """A term in N3 with our prefixes (``nif:beginIndex``, ``"9"^^xsd:nonNegativeInteger``, ``<iri>``)."""
    if term is None:
        return None
    if isinstance(term, (URIRef, Literal)):
        return term.n3(_namespaces())
    return str(term.n3())


def _path_n3(node: Node | None, graph: Graph) -> str | None:
    """A SHACL property path: an IRI, or a blank node (alternative, sequence, inverse ...)."""
    if not isinstance(node, BNode):
        return _n3(node)
    alt = graph.value(node, SH.alternativePath)
    if alt is not None:
        return "|".join(_path_n3(p, graph) or "?" for p in graph.items(alt))
    inv = graph.value(node, SH.inversePath)
    if inv is not None:
        return f"^{_path_n3(inv, graph)}"
    for prop, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = graph.value(node, prop)
        if inner is not None:
            return f"({_path_n3(inner, graph)}){suffix}"
    items = list(graph.items(node))
    if items:
        return "/".join(_path_n3(p, graph) or "?" for p in items)
    return "[]"


class _PreparedQueryGraph(Graph):
    """A graph view whose SPARQL queries are parsed once per query text.

    pySHACL passes a SPARQL constraint's text to ``graph.query`` for every focus node and rdflib
    parses it each time (~10 ms a query); with the parsed form cached, a validation costs a fraction
    of that. The cache is keyed by the exact text, which comes from our shapes file only.
    """

    _prepared: dict[str, object] = {}

    def query(self, query_object, *args, **kwargs):  # type: ignore[override]
        if isinstance(query_object, str):
            prepared = self._prepared.get(query_object)
            if prepared is None:
                from rdflib.plugins.sparql import prepareQuery

                prepared = self._prepared[query_object] = prepareQuery(query_object)
            query_object = prepared
        return super().query(query_object, *args, **kwargs)


def _union(data: Graph, into: Graph | None = None) -> Graph:
    """A plain graph of the triples to validate: a dataset's graphs merged (into ``into``, if given)."""
    if isinstance(data, (Dataset, ConjunctiveGraph)):
        union = Graph() if into is None else into
        for s, p, o, _ in data.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    return data if into is None else into


def _data_view(data: Graph) -> Graph:
    """The triples to validate for pySHACL: a plain graph (sharing the caller's store) or a dataset's union."""
    if isinstance(data, (Dataset, ConjunctiveGraph)):
        return _union(data, _PreparedQueryGraph())
    return _PreparedQueryGraph(store=data.store, identifier=data.identifier,
                               namespace_manager=data.namespace_manager)


ENGINES = ("turbo", "pyshacl")


@lru_cache(maxsize=1)
def _turbo_program():
    """The shapes compiled once by pyshacl-turbo (a Rust SHACL engine with pySHACL's API)."""
    import pyshacl_turbo

    return pyshacl_turbo.compile_shapes(shapes_graph())


def _turbo_input(triples):
    """Triples handed to pyshacl-turbo's native engine as they are (its own typed term encoding),
    without filling an rdflib graph first; what it does itself for a Graph, minus the graph."""
    from pyshacl_turbo.rdf import Input
    from pyshacl_turbo.term_input import _TermBatch

    nodes: dict = {}
    batch = _TermBatch(nodes)
    append = batch.append
    for s, p, o in dict.fromkeys(triples):
        append(s, p, o)
    return Input((batch.records, batch.quads), "terms", None, nodes, {})


def _turbo_conforms(source) -> bool:
    """The native engine's verdict alone (stopping at the first violation), without the report graph
    pySHACL's API builds and binds prefixes in (~0.6 ms per article): what the ingest gate needs
    for the articles that conform. The same call :meth:`CompiledShapes.validate` makes, with no
    focus nodes and all shapes."""
    program = _turbo_program()
    conforms, *_ = program._native.validate(
        source.source, source.format, source.base,
        False, 100, 15, False,  # iterate_rules, max_rule_iterations, max_validation_depth, inplace
        False, False, True,  # allow_infos, allow_warnings, abort_on_first
        [], [], [(p, str(ns)) for p, ns in source.namespaces.items()])
    return bool(conforms)


def validate_graph(data: Graph | Iterable[tuple[Node, Node, Node]], engine: str = "turbo") -> Report:
    """Validate a graph (or the union of a dataset's graphs, or plain triples) against the project's shapes.

    ``engine``: ``turbo`` (pyshacl-turbo, shapes compiled once: ~10x faster, the gate of
    ``kg build`` and ``kg ingest``) or ``pyshacl`` (pySHACL, the reference, ``kg validate``'s
    default). Both give the same :class:`Report` on every case of tests/data/shapes and on
    built articles (tests/test_shapes.py checks it)."""
    if engine not in ENGINES:
        raise InputError(f"unknown SHACL engine {engine!r} (use {' or '.join(ENGINES)})")
    sg = shapes_graph()
    with _lock:  # the shared shapes graph and prepared-query cache are not thread-safe: one at a time
        if engine == "turbo":
            source = _union(data) if isinstance(data, Graph) else _turbo_input(data)
            if not isinstance(source, Graph) and _turbo_conforms(source):
                return Report(conforms=True, violations=())
            conforms, results, _ = _turbo_program().validate(source)
        else:
            if not isinstance(data, Graph):
                data = graph_of(data)
            from pyshacl import validate
            conforms, results, _ = validate(
                _data_view(data), shacl_graph=sg, inference="none", advanced=False, abort_on_first=False,
                allow_warnings=False, allow_infos=False, meta_shacl=False, js=False, inplace=True,
            )
    violations = set()
    for r in results.subjects(RDF.type, SH.ValidationResult):
        messages = _messages(r, results, sg)
        severity = results.value(r, SH.resultSeverity)
        violations.add(Violation(
            focus=_n3(results.value(r, SH.focusNode)) or "?",
            path=_path_n3(results.value(r, SH.resultPath), results),
            message="; ".join(messages),
            shape=_shape_n3(r, results, sg),
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            value=_n3(results.value(r, SH.value)),
        ))
    ordered = tuple(sorted(violations, key=lambda v: (v.focus, v.shape, v.path or "", v.value or "", v.message)))
    return Report(conforms=bool(conforms) and not ordered, violations=ordered)


def _messages(result: Node, results: Graph, sg: Graph) -> list[str]:
    """The result's messages; for a SPARQL constraint, its own message without the enclosing shape's."""
    messages = {str(m) for m in results.objects(result, SH.resultMessage)}
    if results.value(result, SH.sourceConstraint) is not None:
        shape = results.value(result, SH.sourceShape)
        own = messages - {str(m) for m in sg.objects(shape, SH.message)}
        messages = own or messages
    return sorted(messages) or ["(no message)"]


def _shape_n3(result: Node, results: Graph, sg: Graph) -> str:
    """The rule that failed: a named SPARQL constraint, else the source shape (a named parent for a blank one)."""
    constraint = results.value(result, SH.sourceConstraint)
    if isinstance(constraint, URIRef):
        return _n3(constraint) or "?"
    shape = results.value(result, SH.sourceShape)
    if shape is None:
        return "?"
    if isinstance(shape, BNode):  # an anonymous shape nested in a named one: name the named one
        for parent in sg.subjects(None, shape):
            if isinstance(parent, URIRef):
                return _n3(parent) or "?"
        return "[]"
    return _n3(shape) or "?"


def rdf_file_format(path: Path, formats: dict):
    """``formats[suffix]`` for an existing RDF file; InputError naming the file otherwise."""
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not an RDF file")
    if not path.exists():
        raise InputError(f"{path}: no such file")
    fmt = formats.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: unknown RDF file type {path.suffix!r} (use {', '.join(sorted(formats))})")
    return fmt


def load_rdf(path: Path) -> Graph | Dataset:
    """Read an RDF file chosen by suffix: a Graph for .ttl/.nt, a Dataset for .trig/.nq/.jsonld.

    Raises InputError "<path>:<line>: <problem>" for an unreadable file.
    """
    path = Path(path)
    rdflib_format, ox_format, is_dataset = rdf_file_format(path, _FORMATS)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8 (byte {e.start})") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    target: Graph = Dataset() if is_dataset else Graph()
    try:
        target.parse(data=text, format=rdflib_format, publicID=path.resolve().as_uri())
    except Exception as e:  # every parser has its own error types
        line, message = _diagnose(text, ox_format, e)
        where = f"{path}:{line}" if line else str(path)
        raise InputError(f"{where}: {message}") from None
    bind_prefixes(target)
    return target


_OX_MESSAGE = re.compile(r"^(?:Parser error )?(?:at|between) (?P<where>.*?): (?P<what>.*?)(?: \(line \d+\))?$", re.S)


def _diagnose(text: str, ox_format: str, error: Exception) -> tuple[int | None, str]:
    """(line, message) for a parse error: pyoxigraph's diagnostics are precise, rdflib's a fallback."""
    try:
        import pyoxigraph

        fmt = getattr(pyoxigraph.RdfFormat, ox_format, None)
        if fmt is not None:
            try:
                for _ in pyoxigraph.parse(text.encode("utf-8"), format=fmt):
                    pass
            except SyntaxError as ox:
                m = _OX_MESSAGE.match(str(ox))
                message = m["what"] if m else str(ox)
                column = getattr(ox, "offset", None)
                if m and column:
                    message += f" (column {column})"
                return getattr(ox, "lineno", None), message
            except Exception:
                pass
    except ImportError:
        pass
    if isinstance(error, json.JSONDecodeError):
        return error.lineno, error.msg
    why = getattr(error, "_why", None)
    lines = getattr(error, "lines", None)
    if why is not None:
        return (lines + 1 if isinstance(lines, int) else None), str(why)
    first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return None, first


def validate_file(path: Path, engine: str = "pyshacl") -> Report:
    """Load an RDF file (see :func:`load_rdf`) and validate it (by default with pySHACL, the reference)."""
    return validate_graph(load_rdf(Path(path)), engine=engine)


__all__ = ["ENGINES", "KGSH", "Report", "Violation", "load_rdf", "shapes_graph", "validate_file", "validate_graph"]
