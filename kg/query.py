"""SPARQL files from ``queries/`` with parameters bound as RDF terms.

A query file is plain SPARQL 1.1 (it runs in any SPARQL tool) with a header of comment lines::

    # title: Entities mentioned, by type
    # answers: every entity the article(s) mention, with its type, label and number of mentions
    # param type: iri, optional — a kg: class such as kg:Country (default: all)
    # param lang: lang, optional — preferred label language (default: en, then id)
    # columns: entity type label mentions articles nil

``# param NAME: KIND, optional|required — doc`` declares a parameter; NAME is the SPARQL variable
(``?NAME``) it binds. KIND is one of :data:`KINDS`. Any other comment line is free text.

Parameters are never pasted into query text. A value is parsed into an RDF term (:func:`parse_param`),
then bound as that term:

* rdflib ``Graph``/``Dataset``: through ``initBindings``;
* a ``pyoxigraph.Store``: through a ``VALUES`` block, written from the serialised terms, inserted as
  the first element of the outermost ``WHERE`` group (:func:`with_values`). The same text works for a
  remote SPARQL endpoint.

Both give the same rows as long as a query uses each parameter variable either in a required
(non-OPTIONAL) triple pattern / UNION branch of its outermost group, in a FILTER at the top level of
that group or of a top-level OPTIONAL, or in a sub-SELECT that projects it. The shipped queries
follow that rule; tests/test_query.py checks that both engines agree. (A label lookup for a variable
that may be unbound repeats the pattern that binds it, e.g. ``OPTIONAL { ?event kg:hasTarget ?target .
?target rdfs:label ?l }``; an OPTIONAL on an unbound variable would match every label in the graph.)
pyoxigraph's union default graph is a union of quads: a triple stored in two graphs (an entity's label
written by two articles) matches twice. The shipped queries therefore use ``SELECT DISTINCT`` and
``COUNT(DISTINCT ...)``; a query file written for datasets should do the same. Rows differ in one way: a pyoxigraph store keeps numbers in canonical form, so offsets written as
``xsd:nonNegativeInteger`` come back as ``xsd:integer`` (same value, same CSV text).

Default graph: the shipped queries contain no ``GRAPH`` clauses. They are written for the union of
all graphs: a single-article Turtle file (default graph) and a dataset with one named graph per
article (plus the background graph) are queried the same way; articles are found through the links
in the data (``kg:context``, ``nif:referenceContext``, ``prov:wasDerivedFrom``). :func:`run` queries
an rdflib ``Dataset`` as ``default_union=True`` (a view on the same store; the caller's object is not
changed) and a pyoxigraph store with ``use_default_graph_as_union=True``.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterator, Mapping

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.errors import InputError
from kg.resources import queries_dir

KINDS = ("iri", "literal", "lang", "date", "integer", "decimal", "boolean")

# Prefixes for parameter values (``wd:Q227``, ``kg:Country``) and for the table format. kg.vocab
# (PREFIXES, KG, PLOVER ...) is the source of truth; this table is only a fallback for a tree where
# kg.vocab is missing, and supplies W3C prefixes it may not list.
_FALLBACK_PREFIXES: dict[str, str] = {
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
    "schema": "http://schema.org/",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "itsrdf": "http://www.w3.org/2005/11/its/rdf#",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "prov": "http://www.w3.org/ns/prov#",
    "kg": "https://w3id.org/geonews-kg/ontology#",
    "plover": "https://w3id.org/geonews-kg/plover#",
    "kgr": "https://w3id.org/geonews-kg/id/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
}
_VOCAB_NAMES = ("WD", "WDT", "NIF", "ITSRDF", "SEM", "SCHEMA", "PROV", "KGR", "KG", "PLOVER")

_prefix_cache: dict[str, str] | None = None


def _vocab():
    try:
        from kg import vocab  # written in parallel; optional until it lands
    except ImportError:
        return None
    return vocab


def prefixes() -> dict[str, str]:
    """prefix -> namespace IRI (kg.vocab's namespaces when available, else the local table)."""
    global _prefix_cache
    if _prefix_cache is None:
        table = dict(_FALLBACK_PREFIXES)
        vocab = _vocab()
        if vocab is not None:
            declared = getattr(vocab, "PREFIXES", None)
            if isinstance(declared, Mapping):
                table.update({str(k): str(v) for k, v in declared.items()})
            else:
                for name in _VOCAB_NAMES:
                    ns = getattr(vocab, name, None)
                    if ns is not None:
                        table[name.lower()] = str(getattr(ns, "_NS", ns))
        _prefix_cache = table
    return _prefix_cache


# ---------------------------------------------------------------------------------------------
# query files


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # one of KINDS
    optional: bool
    doc: str


@dataclass(frozen=True)
class QueryFile:
    name: str
    path: Path
    title: str
    answers: str
    params: tuple[Param, ...]
    text: str
    columns: tuple[str, ...] = field(default=())

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


_HEADER_RE = re.compile(r"^#\s*(title|answers|columns)\s*:\s*(.*?)\s*$", re.IGNORECASE)
_PARAM_START_RE = re.compile(r"^#\s*param\b", re.IGNORECASE)
_PARAM_RE = re.compile(
    r"^#\s*param\s+(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?P<kind>[a-z]+)\s*,\s*(?P<opt>optional|required)"
    r"\s*(?:(?:—|–|--|-|:)\s*(?P<doc>.*?))?\s*$",
    re.IGNORECASE,
)


def _header_lines(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        s = line.strip()
        if not s:
            continue
        if not s.startswith("#"):
            break
        lines.append(s)
    return lines


def parse_query_text(text: str, path: Path, name: str | None = None) -> QueryFile:
    """Build a :class:`QueryFile` from SPARQL text; a malformed ``# param`` line is an InputError."""
    name = name or path.stem
    title = answers = ""
    columns: tuple[str, ...] = ()
    params: list[Param] = []
    for line in _header_lines(text):
        m = _HEADER_RE.match(line)
        if m:
            key, value = m.group(1).lower(), m.group(2)
            if key == "title":
                title = value
            elif key == "answers":
                answers = value
            else:
                columns = tuple(value.replace(",", " ").split())
            continue
        if _PARAM_START_RE.match(line):
            pm = _PARAM_RE.match(line)
            if not pm:
                raise InputError(f"{path}: malformed parameter line {line!r} "
                                 "(use '# param NAME: KIND, optional|required — description')")
            kind = pm.group("kind").lower()
            if kind not in KINDS:
                raise InputError(f"{path}: parameter {pm.group('name')!r} has unknown kind {kind!r} "
                                 f"(use one of {', '.join(KINDS)})")
            pname = pm.group("name")
            if any(p.name == pname for p in params):
                raise InputError(f"{path}: parameter {pname!r} is declared twice")
            params.append(Param(pname, kind, pm.group("opt").lower() == "optional", pm.group("doc") or ""))
    used = query_variables(text)
    for p in params:
        if p.name not in used:
            raise InputError(f"{path}: declares parameter {p.name!r} but the query never uses ?{p.name}")
    return QueryFile(name=name, path=path, title=title or name, answers=answers, params=tuple(params),
                     text=text, columns=columns)


def _read_query(path: Path, name: str | None = None) -> QueryFile:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text ({e.reason})") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None
    return parse_query_text(text, path, name)


def list_queries() -> list[QueryFile]:
    """The shipped queries, sorted by name."""
    return [_read_query(p) for p in sorted(queries_dir().glob("*.rq"))]


def query_names() -> list[str]:
    return sorted(p.stem for p in queries_dir().glob("*.rq"))


def load_query(name_or_path: str | Path) -> QueryFile:
    """A shipped query by name ("offices-held" or "offices-held.rq"), or any .rq file by path."""
    raw = str(name_or_path).strip()
    if not raw:
        raise InputError("no query given (see `kg queries` for the shipped ones)")
    path = Path(raw).expanduser()
    if path.is_file():
        return _read_query(path)
    stem = raw[:-3] if raw.endswith(".rq") else raw
    if "/" not in stem and "\\" not in stem:
        shipped = queries_dir() / f"{stem}.rq"
        if shipped.is_file():
            return _read_query(shipped)
    if path.suffix == ".rq" or "/" in raw or "\\" in raw:
        if not path.exists():
            raise InputError(f"query file {raw} does not exist (shipped queries: {', '.join(query_names())})")
        raise InputError(f"query {raw} is not a file")
    raise InputError(f"unknown query {raw!r}; available: {', '.join(query_names())} (or give the path of a .rq file)")


# ---------------------------------------------------------------------------------------------
# parameter values -> RDF terms

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
_ABS_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_PNAME = re.compile(r"^(?P<prefix>[A-Za-z][A-Za-z0-9_\-.]*)?:(?P<local>.*)$", re.DOTALL)
_LANG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _bad(param: Param, value: str, why: str) -> InputError:
    return InputError(f"parameter {param.name}: {value!r} {why}")


def _check_iri(iri: str, param: Param, value: str) -> URIRef:
    if not iri or not _ABS_IRI.match(iri):
        raise _bad(param, value, "is not an absolute IRI")
    if _IRI_FORBIDDEN.search(iri):
        raise _bad(param, value, 'is not a valid IRI (no spaces or any of < > " { } | ^ ` \\)')
    return URIRef(iri)


def _parse_iri(value: str, param: Param) -> URIRef:
    v = value.strip()
    if not v:
        raise _bad(param, value, "is empty (give an IRI such as wd:Q227, Q227 or <http://...>)")
    if v.startswith("<"):
        if not v.endswith(">") or len(v) < 3:
            raise _bad(param, value, "is not a valid <IRI>")
        return _check_iri(v[1:-1], param, value)
    if re.fullmatch(r"Q[1-9][0-9]*", v):
        return URIRef(prefixes()["wd"] + v)
    if re.fullmatch(r"P[1-9][0-9]*", v):
        return URIRef(prefixes()["wdt"] + v)
    m = _PNAME.match(v)
    if m and not m.group("local").startswith("//"):
        prefix = m.group("prefix") or ""
        table = prefixes()
        if prefix in table:
            local = m.group("local")
            if not local:
                raise _bad(param, value, "has no local name after the prefix")
            iri = _check_iri(table[prefix] + local, param, value)
            vocab = _vocab()
            closed = getattr(vocab, prefix.upper(), None) if vocab is not None and prefix in ("kg", "plover") else None
            if closed is not None:
                try:
                    closed[local]
                except Exception:  # closed namespaces raise on unknown terms
                    raise _bad(param, value, f"is not a term of the {prefix}: vocabulary") from None
            return iri
        if prefix.lower() not in ("http", "https", "urn", "file", "mailto", "tag"):
            raise _bad(param, value, f"uses unknown prefix {prefix + ':'!r} "
                                     f"(known: {', '.join(p + ':' for p in sorted(table))}; or write <full IRI>)")
    if _ABS_IRI.match(v):
        return _check_iri(v, param, value)
    raise _bad(param, value, "is not an IRI (use wd:Q227, Q227, kg:Country or <http://...>)")


def parse_param(value: str, param: Param) -> Node:
    """The RDF term for one parameter value, or an InputError naming the parameter."""
    if not isinstance(value, str):
        raise InputError(f"parameter {param.name}: expected text, got {type(value).__name__}")
    kind = param.kind
    if kind == "iri":
        return _parse_iri(value, param)
    if kind == "literal":
        if _CONTROL.search(value):
            raise _bad(param, value, "contains control characters")
        return Literal(value)
    v = value.strip()
    if kind == "lang":
        if not _LANG.match(v):
            raise _bad(param, value, "is not a language tag such as en, id or en-GB")
        return Literal(v)
    if kind == "date":
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
                raise ValueError
            d = date.fromisoformat(v)
        except ValueError:
            raise _bad(param, value, "is not a date (YYYY-MM-DD)") from None
        return Literal(d.isoformat(), datatype=XSD.date)
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", v):
            raise _bad(param, value, "is not an integer")
        return Literal(str(int(v)), datatype=XSD.integer)
    if kind == "decimal":
        try:
            if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", v):
                raise InvalidOperation
            d = Decimal(v)
        except InvalidOperation:
            raise _bad(param, value, "is not a decimal number") from None
        return Literal(str(d), datatype=XSD.decimal)
    if kind == "boolean":
        low = v.lower()
        if low in ("true", "1", "yes"):
            return Literal("true", datatype=XSD.boolean)
        if low in ("false", "0", "no"):
            return Literal("false", datatype=XSD.boolean)
        raise _bad(param, value, "is not a boolean (true or false)")
    raise InputError(f"parameter {param.name}: unknown kind {kind!r}")


def bind(qf: QueryFile, raw: Mapping[str, str]) -> dict[str, Node]:
    """Parse raw ``name -> text`` parameters into ``name -> RDF term`` for this query."""
    out: dict[str, Node] = {}
    known = {p.name: p for p in qf.params}
    for name, value in raw.items():
        p = known.get(name)
        if p is None:
            takes = ", ".join(f"{q.name}{'' if q.optional else ' (required)'}" for q in qf.params) or "no parameters"
            raise InputError(f"query {qf.name}: unknown parameter {name!r}; it takes {takes}")
        out[name] = parse_param(value, p)
    missing = [p.name for p in qf.params if not p.optional and p.name not in out]
    if missing:
        docs = "; ".join(f"{p.name}: {p.doc}" if p.doc else p.name for p in qf.params if p.name in missing)
        raise InputError(f"query {qf.name}: missing required parameter(s) {', '.join(missing)} ({docs})")
    return out


# ---------------------------------------------------------------------------------------------
# SPARQL text: a small lexer (comments, strings, IRIs, variables, words) used to find variables and
# the outermost WHERE group. It never looks at parameter values.

_IRIREF_RE = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_VAR_RE = re.compile(r"[?$]([A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)")
_WORD_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_\-.:]*")


def _tokens(text: str) -> Iterator[tuple[str, int, str]]:
    """(kind, position, text) for the tokens that matter: 'var', 'word', and single-char punctuation."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if c in "\"'":
            long = text.startswith(c * 3, i)
            quote = c * 3 if long else c
            j = i + len(quote)
            while j < n:
                if text[j] == "\\":
                    j += 2
                    continue
                if text.startswith(quote, j):
                    break
                if not long and text[j] in "\r\n":
                    raise InputError("unterminated string in query")
                j += 1
            else:
                raise InputError("unterminated string in query")
            i = j + len(quote)
            continue
        if c == "<":
            m = _IRIREF_RE.match(text, i)
            if m:
                i = m.end()
                continue
            yield ("punct", i, c)
            i += 1
            continue
        if c in "?$":
            m = _VAR_RE.match(text, i)
            if m:
                yield ("var", i, m.group(1))
                i = m.end()
                continue
            yield ("punct", i, c)
            i += 1
            continue
        if c.isalpha() or c == "_":
            m = _WORD_RE.match(text, i)
            yield ("word", i, m.group(0))
            i = m.end()
            continue
        if not c.isspace():
            yield ("punct", i, c)
        i += 1


def query_variables(text: str) -> set[str]:
    """Names of the variables a query uses (outside comments and strings)."""
    return {t for kind, _, t in _tokens(text) if kind == "var"}


def _where_group(text: str) -> int:
    """Index of the '{' that opens the outermost WHERE group."""
    form = None
    last_word = None
    paren = 0
    template_skipped = False
    toks = _tokens(text)
    for kind, pos, tok in toks:
        if kind == "word":
            up = tok.upper()
            if form is None and up in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                form = up
            last_word = up
        elif kind == "punct" and tok == "(":
            paren += 1
        elif kind == "punct" and tok == ")":
            paren -= 1
        elif kind == "punct" and tok == "{" and paren == 0:
            if form is None:
                raise InputError("cannot bind parameters: no SELECT, ASK, CONSTRUCT or DESCRIBE before '{'")
            if form == "CONSTRUCT" and not template_skipped:
                if last_word == "WHERE":
                    raise InputError("cannot bind parameters in the short form CONSTRUCT WHERE { ... }; "
                                     "write CONSTRUCT { template } WHERE { pattern }")
                depth = 1
                for k2, _, t2 in toks:
                    if k2 == "punct" and t2 == "{":
                        depth += 1
                    elif k2 == "punct" and t2 == "}":
                        depth -= 1
                        if depth == 0:
                            break
                template_skipped = True
                last_word = None
                continue
            return pos
        elif kind == "var":
            last_word = None
    raise InputError("cannot bind parameters: the query has no WHERE group")


def sparql_term(term: Node) -> str:
    """A term in SPARQL syntax: IRIs checked, literals escaped (short string form, no raw newlines)."""
    if isinstance(term, URIRef):
        iri = str(term)
        if not _ABS_IRI.match(iri) or _IRI_FORBIDDEN.search(iri):
            raise InputError(f"not a valid IRI: {iri!r}")
        return f"<{iri}>"
    if isinstance(term, Literal):
        s = str(term)
        esc = (s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
               .replace("\t", "\\t").replace("\b", "\\b").replace("\f", "\\f"))
        out = f'"{esc}"'
        if term.language:
            if not _LANG.match(term.language):
                raise InputError(f"not a valid language tag: {term.language!r}")
            return f"{out}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return out + "^^" + sparql_term(URIRef(term.datatype))
        return out
    raise InputError(f"cannot bind a {type(term).__name__} as a parameter")


def values_clause(bindings: Mapping[str, Node]) -> str:
    """``VALUES (?a ?b) { (<...> "...") }`` for one row of bound terms."""
    names = list(bindings)
    for n in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", n):
            raise InputError(f"not a valid variable name: {n!r}")
    vars_ = " ".join(f"?{n}" for n in names)
    row = " ".join(sparql_term(bindings[n]) for n in names)
    return f"VALUES ({vars_}) {{ ({row}) }}"


def with_values(text: str, bindings: Mapping[str, Node]) -> str:
    """The query with a VALUES block for ``bindings`` as the first element of its WHERE group."""
    if not bindings:
        return text
    at = _where_group(text)
    return f"{text[:at + 1]}\n  {values_clause(bindings)}\n{text[at + 1:]}"


# ---------------------------------------------------------------------------------------------
# running


@dataclass
class QueryResult:
    """Rows of rdflib terms (None = unbound), whichever engine ran the query."""

    vars: list[str]
    rows: list[tuple[Node | None, ...]]
    boolean: bool | None = None  # ASK queries

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def dicts(self) -> list[dict[str, Node | None]]:
        return [dict(zip(self.vars, r)) for r in self.rows]

    def column(self, var: str) -> list[Node | None]:
        i = self.vars.index(var)
        return [r[i] for r in self.rows]


def _is_oxigraph_store(data: Any) -> bool:
    return type(data).__module__.split(".")[0] == "pyoxigraph" and hasattr(data, "query")


def run(qf: QueryFile, data: Any, raw_params: Mapping[str, str] | None = None) -> QueryResult:
    """Run a query file over an rdflib Graph/Dataset, a pyoxigraph Store or a :class:`kg.store.Store`
    (embedded or remote; the union of its graphs), parameters bound as terms."""
    bindings = bind(qf, raw_params or {})
    if getattr(data, "__kg_store__", False):  # a kg.store.Store (embedded Oxigraph or remote SPARQL endpoint)
        return data.query(qf.text, bindings, name=qf.name)
    if _is_oxigraph_store(data):
        return _run_oxigraph(qf, data, bindings)
    return _run_rdflib(qf, data, bindings)


def _run_rdflib(qf: QueryFile, data: Any, bindings: dict[str, Node]) -> QueryResult:
    from rdflib import ConjunctiveGraph, Dataset, Graph

    if not isinstance(data, Graph):
        raise InputError(f"cannot query a {type(data).__name__} (give an rdflib Graph/Dataset or a pyoxigraph Store)")
    target = data
    if isinstance(data, ConjunctiveGraph) and not data.default_union:
        target = Dataset(store=data.store, default_union=True)  # a union view; data itself is untouched
    try:
        res = target.query(qf.text, initBindings=bindings)
    except Exception as e:  # pyparsing errors and evaluation errors carry no common base class
        if isinstance(e, InputError):
            raise
        raise InputError(f"query {qf.name} failed: {type(e).__name__}: {e}") from e
    if res.type == "ASK":
        return QueryResult([], [], boolean=bool(res.askAnswer))
    if res.type == "SELECT":
        vars_ = [str(v) for v in (res.vars or [])]
        return QueryResult(vars_, [tuple(r) for r in res])
    graph = res.graph
    return QueryResult(["subject", "predicate", "object"], [tuple(t) for t in graph])


def _from_ox(term: Any) -> Node | None:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    return Literal(str(term))  # RDF-star triple terms: shown as text


def _run_oxigraph(qf: QueryFile, store: Any, bindings: dict[str, Node]) -> QueryResult:
    import pyoxigraph as ox

    text = with_values(qf.text, bindings)
    try:
        res = store.query(text, use_default_graph_as_union=True)
    except SyntaxError as e:
        raise InputError(f"query {qf.name}: SPARQL syntax error: {e}") from e
    except OSError as e:
        raise InputError(f"query {qf.name} failed: {e}") from e
    if isinstance(res, ox.QueryBoolean):
        return QueryResult([], [], boolean=bool(res))
    if isinstance(res, ox.QuerySolutions):
        variables = list(res.variables)
        names = [v.value for v in variables]
        rows = [tuple(_from_ox(sol[v]) for v in variables) for sol in res]
        return QueryResult(names, rows)
    rows = [(_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)) for t in res]
    return QueryResult(["subject", "predicate", "object"], rows)


# ---------------------------------------------------------------------------------------------
# output formats


def short(term: Node | None) -> str:
    """A readable form for tables: prefixed IRIs, literal text, '' for unbound."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        iri = str(term)
        best = None
        for prefix, ns in prefixes().items():
            if iri.startswith(ns) and len(iri) > len(ns) and (best is None or len(ns) > len(best[1])):
                best = (prefix, ns)
        return f"{best[0]}:{iri[len(best[1]):]}" if best else f"<{iri}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _csv_value(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _json_value(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal):
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None and term.datatype != XSD.string:
            out["datatype"] = str(term.datatype)
    return out


def format_result(result: QueryResult, fmt: str, *, width: int | None = None) -> str:
    """Render a result as "table" (Rich, prefixed names), "csv" or "json" (SPARQL 1.1 results formats)."""
    if fmt == "json":
        if result.boolean is not None:
            doc: dict[str, Any] = {"head": {}, "boolean": result.boolean}
        else:
            doc = {"head": {"vars": list(result.vars)},
                   "results": {"bindings": [{v: _json_value(t) for v, t in zip(result.vars, row) if t is not None}
                                            for row in result.rows]}}
        return json.dumps(doc, ensure_ascii=False, indent=2)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        if result.boolean is not None:
            w.writerow(["boolean"])
            w.writerow(["true" if result.boolean else "false"])
        else:
            w.writerow(result.vars)
            for row in result.rows:
                w.writerow([_csv_value(t) for t in row])
        return buf.getvalue()
    if fmt == "table":
        import shutil

        from rich import box
        from rich.console import Console
        from rich.table import Table

        if width is None:
            width = max(80, shutil.get_terminal_size((160, 24)).columns)
        console = Console(file=io.StringIO(), width=width, color_system=None, force_terminal=False,
                          highlight=False, emoji=False, markup=False)
        if result.boolean is not None:
            console.print("true" if result.boolean else "false")
        else:
            n = len(result.rows)
            table = Table(box=box.SIMPLE_HEAD, caption=f"{n} row{'' if n == 1 else 's'}")
            for v in result.vars:
                table.add_column(v, overflow="fold")  # wrap, never cut an IRI short with an ellipsis
            for row in result.rows:
                table.add_row(*(short(t) for t in row))
            console.print(table)
        lines = [line.rstrip() for line in console.file.getvalue().splitlines()]
        while lines and not lines[0]:
            lines.pop(0)
        return "\n".join(lines).rstrip("\n")
    raise InputError(f"unknown format {fmt!r} (use table, csv or json)")


__all__ = ["KINDS", "Param", "QueryFile", "QueryResult", "bind", "format_result", "list_queries", "load_query",
           "parse_param", "parse_query_text", "prefixes", "query_names", "query_variables", "run", "short",
           "sparql_term", "values_clause", "with_values"]
