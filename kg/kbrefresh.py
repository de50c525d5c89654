"""``kg kb refresh``, ``kg kb stats`` and ``kg kb lookup``: update the knowledge base from a SPARQL
endpoint and inspect it.

Refresh pulls, through SPARQLWrapper (SPARQL 1.1 JSON results, HTTP POST), from an endpoint in
Wikidata's RDF shape (the Wikidata Query Service or a mirror):

1. the holders of every office already in the knowledge base (its ``Position`` entities), as
   Wikidata statements ``?person p:P39 ?st . ?st ps:P39 ?office`` with the qualifiers
   ``pq:P580`` (start) / ``pq:P582`` (end) and, when the endpoint has them, their precision
   (``pqv:P580/wikibase:timePrecision``); deprecated statements are skipped. The office QIDs go
   into ``VALUES`` blocks of IRIs (:data:`BATCH` per query); ``since`` keeps the terms that start
   or end on or after a date;
2. ``rdfs:label`` (en, id and the language-neutral ``mul``), ``wdt:P31`` and ``wdt:P17`` of the
   people and offices returned.

Types come from the statement shape only: the subject of a P39 statement is a Person, its object
a Position (every office asked about already is one). P31 classes are kept as the attribute
``instance_of`` of new entities, not mapped to types; P17 gives an office without a country its
country when that country is in the knowledge base.

The result goes to the overlay file (see :mod:`kg.kb`: :func:`kg.kb.overlay_path`), written
atomically; the installed package is never written. A refresh adds and updates (labels, terms,
end dates), it never deletes, and running it again on the same data changes nothing. Any network,
HTTP or response problem raises :class:`RefreshError` (one line naming the endpoint) before
anything is written, so the knowledge base and the overlay stay as they were.
"""
from __future__ import annotations

import collections
import gzip
import http.client
import json
import os
import re
import socket
import ssl
import tempfile
import urllib.error
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Sequence
from urllib.parse import urlsplit, urlunsplit

from kg.errors import InputError, KgError
from kg.kb import (OVERLAY_FORMAT, KnowledgeBase, merge_holdings, normalise, overlay_path,
                   read_overlay)

WD = "http://www.wikidata.org/entity/"
QID_RE = re.compile(r"^Q[1-9][0-9]*$")
BATCH = 200  # offices per holdings query (items per label query: twice that)
MAX_RUNS = 20  # refresh runs remembered in the overlay's meta
LABEL_LANGS = ("en", "id", "mul")  # mul: Wikidata's language-neutral label (names)

PREFIXES = """PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
PREFIX pqv: <http://www.wikidata.org/prop/qualifier/value/>
PREFIX wikibase: <http://wikiba.se/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


class RefreshError(KgError):
    """The endpoint could not be used (network, time-out, HTTP status, not SPARQL JSON)."""


# ---------------------------------------------------------------------------- queries
def _iri(qid: str) -> str:
    """The IRI term of a QID; anything that is not a QID is refused (nothing else enters a query)."""
    if not isinstance(qid, str) or not QID_RE.match(qid):
        raise ValueError(f"not a QID: {qid!r}")
    return f"<{WD}{qid}>"


def _datetime_literal(d: date) -> str:
    return f'"{d.isoformat()}T00:00:00Z"^^xsd:dateTime'


def holdings_query(offices: Sequence[str], since: date | None = None) -> str:
    """SELECT the P39 statements (person, office, start, end and their precision) of ``offices``."""
    values = "\n    ".join(_iri(q) for q in offices)
    since_filter = ""
    if since is not None:
        lit = _datetime_literal(since)
        since_filter = f"\n  FILTER((BOUND(?start) && ?start >= {lit}) || (BOUND(?end) && ?end >= {lit}))"
    return f"""{PREFIXES}SELECT ?office ?person ?statement ?start ?startPrecision ?end ?endPrecision WHERE {{
  VALUES ?office {{
    {values}
  }}
  ?statement ps:P39 ?office .
  ?person p:P39 ?statement .
  FILTER NOT EXISTS {{ ?statement wikibase:rank wikibase:DeprecatedRank }}
  OPTIONAL {{ ?statement pq:P580 ?start }}
  OPTIONAL {{ ?statement pqv:P580/wikibase:timePrecision ?startPrecision }}
  OPTIONAL {{ ?statement pq:P582 ?end }}
  OPTIONAL {{ ?statement pqv:P582/wikibase:timePrecision ?endPrecision }}{since_filter}
}}"""


def facts_query(items: Sequence[str]) -> str:
    """SELECT the en/id/mul labels, P31 classes and P17 countries of ``items``."""
    values = "\n    ".join(_iri(q) for q in items)
    langs = ", ".join(f'"{lang}"' for lang in LABEL_LANGS)
    return f"""{PREFIXES}SELECT ?item ?label ?class ?country WHERE {{
  VALUES ?item {{
    {values}
  }}
  {{ ?item rdfs:label ?label . FILTER(LANG(?label) IN ({langs})) }}
  UNION {{ ?item wdt:P31 ?class }}
  UNION {{ ?item wdt:P17 ?country }}
}}"""


# ---------------------------------------------------------------------------- the endpoint
def _check_endpoint(url: str) -> tuple[str, str]:
    """(the URL to use, the URL to show: without user name or password)."""
    if not isinstance(url, str) or not url.strip() or any(c.isspace() or ord(c) < 32 for c in url.strip()):
        raise InputError(f"--endpoint {url!r}: not an http(s) URL")
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"--endpoint {url!r}: not an http(s) URL (e.g. https://query.wikidata.org/sparql)")
    try:
        parts.port
    except ValueError:
        raise InputError(f"--endpoint {url!r}: invalid port") from None
    netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    if parts.port is not None:
        netloc += f":{parts.port}"
    shown = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    return url, shown


def _first_line(body: bytes | str | None, limit: int = 160) -> str:
    if not body:
        return ""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    if "<html" in text[:500].lower():
        return ""
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            return line if len(line) <= limit else line[:limit - 1] + "…"
    return ""


def _agent() -> str:
    from kg import __version__
    return f"geonews-kg/{__version__} (kg kb refresh; https://w3id.org/geonews-kg) SPARQLWrapper"


class Endpoint:
    """A SPARQL endpoint asked through SPARQLWrapper; every failure is a one-line :class:`RefreshError`."""

    def __init__(self, url: str, timeout: float = 60.0):
        self.url, self.shown = _check_endpoint(url)
        try:
            self.timeout = float(timeout)
        except (TypeError, ValueError):
            raise InputError(f"--timeout {timeout!r}: not a number of seconds") from None
        if not self.timeout > 0:
            raise InputError(f"--timeout {timeout!r}: must be more than 0 seconds")
        self.queries = 0

    def _fail(self, problem: str) -> RefreshError:
        return RefreshError(f"SPARQL endpoint {self.shown}: {problem}; the knowledge base and its overlay were "
                            "left unchanged")

    def _describe(self, exc: BaseException) -> str:
        from SPARQLWrapper.SPARQLExceptions import (EndPointInternalError, EndPointNotFound, QueryBadFormed,
                                                    SPARQLWrapperException, Unauthorized, URITooLong)
        codes = {QueryBadFormed: "400 Bad Request (the endpoint refused the query)", Unauthorized: "401 Unauthorized",
                 EndPointNotFound: "404 Not Found (is this the SPARQL endpoint's URL?)",
                 URITooLong: "414 URI Too Long", EndPointInternalError: "500 Internal Server Error"}
        for cls, text in codes.items():
            if isinstance(exc, cls):
                detail = _first_line(getattr(exc, "response", None) or _response_of(exc))
                return f"HTTP {text}" + (f": {detail}" if detail else "")
        if isinstance(exc, urllib.error.HTTPError):
            detail = ""
            try:
                detail = _first_line(exc.read())
            except Exception:  # noqa: BLE001 - the body is only a hint
                pass
            return f"HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else "")
        if isinstance(exc, SPARQLWrapperException):
            return _first_line(str(exc)) or type(exc).__name__
        if isinstance(exc, urllib.error.URLError):
            return self._describe_os(exc.reason) if isinstance(exc.reason, BaseException) else str(exc.reason)
        return self._describe_os(exc)

    def _describe_os(self, exc: BaseException) -> str:
        if isinstance(exc, (TimeoutError, socket.timeout)):
            return f"no answer within {self.timeout:g} s (timed out)"
        if isinstance(exc, ConnectionRefusedError):
            return "connection refused (is the server running, and is the port right?)"
        if isinstance(exc, socket.gaierror):
            return f"host not found ({exc.strerror or exc})"
        if isinstance(exc, ssl.SSLError):
            return f"TLS error ({exc.reason or exc})"
        if isinstance(exc, ConnectionResetError):
            return "the connection was reset by the server"
        if isinstance(exc, http.client.RemoteDisconnected):
            return "the server closed the connection without answering"
        if isinstance(exc, http.client.IncompleteRead):
            return "the answer was cut off (incomplete read)"
        if isinstance(exc, http.client.HTTPException):
            return f"not a valid HTTP answer ({type(exc).__name__})"
        if isinstance(exc, OSError):
            return f"network error ({exc.strerror or exc})"
        return f"{type(exc).__name__}: {_first_line(str(exc))}"

    def select(self, query: str) -> list[dict]:
        """The bindings of a SELECT query: a list of {var: {"type": .., "value": .., ...}}."""
        import warnings

        from SPARQLWrapper import JSON, POST, SPARQLWrapper

        sw = SPARQLWrapper(self.url, agent=_agent())
        sw.setMethod(POST)
        sw.setReturnFormat(JSON)
        sw.setQuery(query)
        sw.timeout = self.timeout  # setTimeout() would round to whole seconds
        self.queries += 1
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = sw.query()
                ctype = (result.info().get("content-type") or "").split(";")[0].strip()
                body = result.response.read()
        except Exception as exc:  # noqa: BLE001 - every failure becomes one readable line
            raise self._fail(self._describe(exc)) from None
        return self._bindings(body, ctype)

    def _bindings(self, body: bytes, ctype: str) -> list[dict]:
        what = ctype or "no content type"
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            hint = _first_line(body, 80)
            raise self._fail(f"answered with {what}, not SPARQL JSON results"
                             + (f" ({hint!r})" if hint else "")) from None
        bindings = (data.get("results") or {}).get("bindings") if isinstance(data, dict) else None
        head = data.get("head") if isinstance(data, dict) else None
        if not isinstance(head, dict) or not isinstance(bindings, list):
            raise self._fail(f"answered with {what} JSON that is not a SPARQL SELECT result "
                             "(no head and results.bindings)")
        for b in bindings:
            if not isinstance(b, dict) or not all(isinstance(v, dict) and isinstance(v.get("value"), str)
                                                  and isinstance(v.get("type"), str) for v in b.values()):
                raise self._fail("answered with malformed SPARQL JSON results (a binding is not "
                                 "{var: {type, value}})")
        return bindings


def _response_of(exc) -> bytes | None:
    # SPARQLWrapper keeps the body only in the message: "...\n\nResponse:\nb'...'"
    text = str(exc)
    if "Response:" not in text:
        return None
    tail = text.split("Response:", 1)[1].strip()
    if tail.startswith(("b'", 'b"')):
        tail = tail[2:-1].encode("utf-8").decode("unicode_escape", "replace")
    return tail.encode("utf-8", "replace")


# ---------------------------------------------------------------------------- parsing results
def _qid(b: dict | None) -> str | None:
    if not b or b.get("type") != "uri":
        return None
    v = b.get("value", "")
    if not v.startswith(WD):
        return None
    q = v[len(WD):]
    return q if QID_RE.match(q) else None


_DATE_RE = re.compile(r"^\+?(\d{4})-(\d{2})-(\d{2})")


def _date_text(value: dict | None, precision: dict | None) -> str:
    """A Wikidata time value as the knowledge base writes dates: YYYY-MM-DD, YYYY (year or month
    precision) or "" (unknown, coarser than a year, before year 1000, or "unknown value")."""
    if not value or value.get("type") != "literal":
        return ""
    m = _DATE_RE.match(value.get("value", ""))
    if not m:
        return ""
    y, mo, d = m.groups()
    try:
        prec = int(precision["value"]) if precision and precision.get("value") else 11
    except ValueError:
        prec = 11
    if prec < 9 or y == "0000":
        return ""
    if prec >= 11 and mo != "00" and d != "00":
        try:
            return date(int(y), int(mo), int(d)).isoformat()
        except ValueError:
            return y
    return y


def _parse_since(since) -> date | None:
    if since is None or since == "":
        return None
    if isinstance(since, datetime):
        return since.date()
    if isinstance(since, date):
        return since
    try:
        return date.fromisoformat(str(since).strip())
    except ValueError:
        raise InputError(f"--since {since!r}: not a date (YYYY-MM-DD)") from None


def _chunks(items: Sequence[str], n: int) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


# ---------------------------------------------------------------------------- building the overlay
def _key_len_ok(surface: str, kind: str) -> bool:
    key = normalise(surface)
    if not key or not re.search(r"[^\W\d_]", key):
        return False
    return len(key) > 2 or kind == "label"


def _person_prior(base: KnowledgeBase, rows: list[tuple[str, str, str, str]], year: int) -> float:
    """The build script's person prior: 0.40 + 0.25 head of state/government + 0.02 per office (max
    0.10) + years in office / 200 (max 0.05)."""
    offices = {o for _p, o, _s, _e in rows}
    head = any("head" in (base.attributes(o).get("roles") or []) for o in offices)
    years = 0
    for _p, _o, s, e in rows:
        if s:
            years += max(0, (int(e[:4]) if e else year) - int(s[:4]))
    return round(0.40 + (0.25 if head else 0) + min(0.10, 0.02 * len(offices)) + min(0.05, years / 200), 3)


def _build(base: KnowledgeBase, old: dict, pulled: list[tuple[str, str, str, str]], facts: dict[str, dict],
           year: int) -> tuple[dict, dict, dict]:
    """(entities, aliases, holdings) of the new overlay from the old one and what was pulled."""
    counts: collections.Counter = collections.Counter()
    old_ents: dict = old.get("entities", {})
    # persons: base entities of another (specific) type cannot hold an office
    accepted = []
    for row in pulled:
        ent = base.entity(row[0])
        if ent is not None and ent.type not in ("Person", "Entity"):
            counts["skipped_holder_not_a_person"] += 1
            continue
        accepted.append(row)
    candidates = [tuple(r) for r in old.get("holdings", [])] + accepted
    _merged, changed, _c = merge_holdings(base.raw_holdings(), candidates)
    holdings: dict[tuple[str, str, str], tuple] = {}
    for row in changed:
        holdings[row[:3]] = row
    rows = sorted(holdings.values())
    by_person: dict[str, list] = collections.defaultdict(list)
    for r in rows:
        by_person[r[0]].append(r)
    # what is known about each item: old overlay records, then this run's facts
    info: dict[str, dict] = {}
    for eid, rec in old_ents.items():
        info[eid] = {"labels": dict(rec.get("labels") or {}), "p31": set((rec.get("attributes") or {})
                                                                       .get("instance_of") or []), "p17": set()}
        if rec.get("country"):
            info[eid]["p17"].add(rec["country"])
    for eid, f in facts.items():
        cur = info.setdefault(eid, {"labels": {}, "p31": set(), "p17": set()})
        cur["labels"].update(f["labels"])
        cur["p31"] |= f["p31"]
        cur["p17"] |= f["p17"]
    entities: dict[str, dict] = {}
    aliases: set[tuple] = set()
    for eid in sorted(set(info) | set(by_person)):
        f = info.get(eid, {"labels": {}, "p31": set(), "p17": set()})
        labels = {k: v for k, v in f["labels"].items() if isinstance(v, str) and v.strip()}
        ent = base.entity(eid)
        if ent is None:
            if eid not in by_person:
                continue  # neither in the knowledge base nor holding one of its offices
            shown = {}
            if labels.get("en") or labels.get("mul"):
                shown["en"] = labels.get("en") or labels["mul"]
            if labels.get("id"):
                shown["id"] = labels["id"]
            offices = [base.entity(r[1]) for r in by_person[eid]]
            countries = collections.Counter(o.country for o in offices if o is not None and o.country)
            rec = {"type": "Person", "labels": shown, "prior": _person_prior(base, by_person[eid], year)}
            if countries:
                rec["country"] = sorted(countries.items(), key=lambda t: (-t[1], t[0]))[0][0]
            if f["p31"]:
                rec["attributes"] = {"instance_of": sorted(f["p31"])}
            entities[eid] = rec
            for surface in dict.fromkeys(labels.get(lg) for lg in LABEL_LANGS):
                if surface and _key_len_ok(surface, "label"):
                    aliases.add((" ".join(surface.split()), eid, None, "label", 1.0))
            if not shown:
                counts["new_people_without_label"] += 1
            continue
        rec = {}
        new_labels = {lg: labels[lg] for lg in ("en", "id") if labels.get(lg) and not ent.labels.get(lg)}
        if new_labels:
            rec["labels"] = new_labels
        if ent.type == "Entity" and eid in by_person:
            rec["type"] = "Person"
        if ent.type == "Position" and ent.country is None:
            places = sorted(c for c in f["p17"]
                            if c in base and base.entity(c).type in ("Country", "Territory"))
            if places:
                rec["country"] = places[0]
        if rec:
            entities[eid] = rec
        neutral = ent.type == "Person" or rec.get("type") == "Person"
        for lg in LABEL_LANGS:
            surface = labels.get(lg)
            if not surface:
                continue
            surface = " ".join(surface.split())
            if any(c.entity.id == eid for c in base.lookup(surface)):
                continue  # the knowledge base already finds this entity by that name
            kind = "label" if lg in new_labels else "alias"
            if not _key_len_ok(surface, kind):
                continue
            lang = None if (neutral or lg == "mul") else lg
            aliases.add((surface, eid, lang, kind, 1.0 if kind == "label" else 0.95))
    for row in old.get("aliases", []):
        if row[1] in base or row[1] in entities:
            aliases.add(tuple(row))
    return entities, sorted(aliases, key=lambda r: (r[1], r[0], r[2] or "", r[3])), {"rows": rows,
                                                                                       "counts": counts}


def _write_atomic(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise KgError(f"cannot write the knowledge base overlay {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise KgError(f"cannot write the knowledge base overlay {path}: {exc.strerror or exc}") from None
    try:
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def _serialise(doc: dict) -> bytes:
    raw = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return gzip.compress(raw, compresslevel=9, mtime=0)


def _content(doc: dict | None) -> tuple:
    if not doc:
        return ({}, [], [])
    return (doc.get("entities", {}), [list(r) for r in doc.get("aliases", [])],
            [list(r) for r in doc.get("holdings", [])])


def refresh(endpoint: str, since: str | date | None = None, timeout: float = 90.0, *, batch_size: int = BATCH,
            kb: KnowledgeBase | None = None, overlay: Path | str | None = None,
            progress: Callable[[str], None] | None = None) -> dict:
    """Pull newer office holders (and labels, P31, P17) from ``endpoint`` into the overlay.

    ``since`` (YYYY-MM-DD or a date): only terms starting or ending on or after it. ``timeout``:
    seconds per network operation (the Wikidata Query Service stops a query itself after 60 s and
    answers 500, which is reported with its message). ``kb``: the base knowledge base (default: the shipped one,
    without overlay); ``overlay``: the overlay file (default :func:`kg.kb.overlay_path`).
    ``progress`` receives one line per query. Returns a summary (see :func:`format_refresh`).
    Raises :class:`RefreshError` / :class:`kg.errors.InputError` without writing anything.
    """
    ep = Endpoint(endpoint, timeout)
    since_d = _parse_since(since)
    if not isinstance(batch_size, int) or batch_size < 1:
        raise InputError(f"batch size {batch_size!r}: must be a positive whole number")
    path = overlay_path() if overlay is None else Path(overlay)
    base = kb if kb is not None else KnowledgeBase.load(overlay=False)
    if base.overlay_path is not None:
        raise ValueError("refresh needs the base knowledge base, loaded with overlay=False")
    warnings_: list[str] = []
    try:
        old = read_overlay(path) or {}
    except KgError as exc:
        old = {}
        warnings_.append(f"{exc} (it will be replaced)")
    offices = sorted((e.id for e in base.entities("Position") if QID_RE.match(e.id)), key=lambda q: int(q[1:]))
    say = progress or (lambda _msg: None)

    # 1. holders of our offices
    pulled: dict[tuple[str, str, str], tuple[str, str, str, str]] = {}
    statements = 0
    n_batches = (len(offices) + batch_size - 1) // batch_size
    for n, batch in enumerate(_chunks(offices, batch_size), 1):
        say(f"office holders: query {n}/{n_batches} ({len(batch)} offices)")
        for b in ep.select(holdings_query(batch, since_d)):
            person, office = _qid(b.get("person")), _qid(b.get("office"))
            if person is None or office is None or office not in base:
                continue
            statements += 1
            row = (person, office, _date_text(b.get("start"), b.get("startPrecision")),
                   _date_text(b.get("end"), b.get("endPrecision")))
            cur = pulled.get(row[:3])
            if cur is None or (row[3] and (not cur[3] or row[3] > cur[3])):
                pulled[row[:3]] = row
    rows = sorted(pulled.values())

    # 2. labels, P31 and P17 of the people and offices returned
    items = sorted({r[0] for r in rows} | {r[1] for r in rows}, key=lambda q: int(q[1:]))
    facts: dict[str, dict] = {}
    n_batches = (len(items) + 2 * batch_size - 1) // (2 * batch_size)
    for n, batch in enumerate(_chunks(items, 2 * batch_size), 1):
        say(f"labels, P31, P17: query {n}/{n_batches} ({len(batch)} items)")
        for b in ep.select(facts_query(batch)):
            item = _qid(b.get("item"))
            if item is None:
                continue
            f = facts.setdefault(item, {"labels": {}, "p31": set(), "p17": set()})
            lab = b.get("label")
            if lab and lab.get("type") == "literal" and lab.get("xml:lang") in LABEL_LANGS and lab["value"].strip():
                lg = lab["xml:lang"]
                # several labels in one language cannot happen in Wikidata; keep the first in sort order
                if lg not in f["labels"] or lab["value"] < f["labels"][lg]:
                    f["labels"][lg] = lab["value"]
            for var, key in (("class", "p31"), ("country", "p17")):
                q = _qid(b.get(var))
                if q:
                    f[key].add(q)

    # 3. the new overlay
    now = datetime.now(timezone.utc)
    entities, aliases, hold = _build(base, old, rows, facts, now.year)
    # what this run changed, compared with the knowledge base as it was (base + old overlay)
    before, _c, _n = merge_holdings(base.raw_holdings(), [tuple(r) for r in old.get("holdings", [])])
    _after, _c, run_counts = merge_holdings([tuple(r) for r in before], rows)
    old_ents = old.get("entities", {})
    old_aliases = {tuple(r) for r in old.get("aliases", [])}
    summary = {
        "endpoint": ep.shown,
        "since": since_d.isoformat() if since_d else None,
        "offices": len(offices),
        "queries": ep.queries,
        "statements": statements,
        "terms": len(rows),
        "holdings_added": run_counts["added"],
        "end_dates_updated": run_counts["end_updated"],
        "holdings_refined": run_counts["refined"],
        "holdings_unchanged": run_counts["unchanged"],
        "entities_added": sum(1 for e in entities if e not in base and e not in old_ents),
        "labels_added": sum(1 for e, r in entities.items() for lg, v in (r.get("labels") or {}).items()
                            if (old_ents.get(e, {}).get("labels") or {}).get(lg) != v),
        "aliases_added": sum(1 for a in aliases if a not in old_aliases),
        "skipped": dict(hold["counts"]),
        "warnings": warnings_,
    }
    runs = list((old.get("meta") or {}).get("runs") or [])
    runs.append({"at": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "endpoint": ep.shown, "since": summary["since"],
                 **{k: summary[k] for k in ("offices", "statements", "holdings_added", "end_dates_updated",
                                            "holdings_refined", "entities_added", "labels_added")}})
    doc = {
        "format": OVERLAY_FORMAT,
        "meta": {"updated": runs[-1]["at"], "base_build_date": base.meta.get("build_date"),
                 "created": (old.get("meta") or {}).get("created") or runs[-1]["at"], "runs": runs[-MAX_RUNS:]},
        "entities": entities,
        "aliases": [list(a) for a in aliases],
        "holdings": [list(r) for r in hold["rows"]],
    }
    summary["changed"] = _content(json.loads(json.dumps(doc))) != _content(old or None)
    _write_atomic(path, _serialise(doc))  # KnowledgeBase.load() sees the new file by its stat
    summary.update({"overlay": str(path), "overlay_entities": len(entities), "overlay_aliases": len(aliases),
                    "overlay_holdings": len(hold["rows"]), "updated": runs[-1]["at"]})
    return summary


def format_refresh(summary: dict) -> str:
    """The summary of :func:`refresh` as a few lines for the terminal."""
    s = summary
    lines = [f"refreshed from {s['endpoint']}" + (f" (terms since {s['since']})" if s.get("since") else ""),
             f"  {s['offices']} offices asked about in {s['queries']} queries: {s['statements']} statements, "
             f"{s['terms']} distinct terms",
             f"  this run: {s['holdings_added']} terms added, {s['end_dates_updated']} end dates updated, "
             f"{s['holdings_refined']} dates made precise, {s['entities_added']} people added, "
             f"{s['labels_added']} labels and {s['aliases_added']} aliases added"
             + ("" if s.get("changed", True) else " (nothing new)"),
             f"  overlay {s['overlay']}: {s['overlay_entities']} entities, {s['overlay_aliases']} aliases, "
             f"{s['overlay_holdings']} terms (updated {s['updated']})"]
    for k, v in sorted((s.get("skipped") or {}).items()):
        lines.append(f"  note: {v} {k.replace('_', ' ')}")
    for w in s.get("warnings") or []:
        lines.append(f"  warning: {w}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------- stats
def kb_stats(kb: KnowledgeBase | None = None) -> dict:
    """What the knowledge base holds: file, build date, counts by type, aliases, holdings, overlay."""
    kb = kb if kb is not None else KnowledgeBase.load()
    s = kb.stats()

    def size(p) -> int | None:
        try:
            return Path(p).stat().st_size if p else None
        except OSError:
            return None

    out = {
        "path": str(kb.path) if kb.path else None,
        "file_size": size(kb.path),
        "build_date": kb.meta.get("build_date"),
        "entities": s["entities"],
        "by_type": {k: v for k, v in s.items() if k[:1].isupper()},
        "nil": s["nil"],
        "aliases": s["aliases"],
        "alias_keys": s["alias_keys"],
        "holdings": s["holdings"],
        "overlay": None,
    }
    if kb.overlay_path is not None:
        ov = dict(kb.meta.get("overlay") or {})
        ov["file_size"] = size(kb.overlay_path)
        ov["holdings_added"] = s.get("overlay_holdings_added", 0)
        ov["end_dates_updated"] = s.get("overlay_end_dates_updated", 0)
        ov["holdings_refined"] = s.get("overlay_holdings_refined", 0)
        ov["problems"] = s.get("overlay_problems", 0)
        out["overlay"] = ov
    else:
        out["overlay_file"] = str(overlay_path())  # where a refresh would write it
    return out


def format_stats(stats: dict) -> str:
    s = stats
    size = f"{s['file_size'] / 1e6:.1f} MB" if s.get("file_size") else "size unknown"
    lines = [f"knowledge base {s['path']} ({size}, built {s.get('build_date') or 'unknown'})",
             f"  {s['entities']} entities, {s['aliases']} aliases ({s['alias_keys']} distinct keys), "
             f"{s['holdings']} office terms, {s['nil']} NIL"]
    for t, n in sorted(s["by_type"].items(), key=lambda t: -t[1]):
        lines.append(f"  {t:26} {n:>7}")
    ov = s.get("overlay")
    if ov:
        lines.append(f"overlay {ov.get('path')} (updated {ov.get('updated')} from {ov.get('endpoint')}"
                     + (f", terms since {ov['since']}" if ov.get("since") else "") + ")")
        lines.append(f"  {ov.get('new_entities', 0)} entities added, {ov.get('entities', 0)} entity records, "
                     f"{ov.get('aliases', 0)} aliases, {ov.get('holdings', 0)} terms: {ov['holdings_added']} added, "
                     f"{ov['end_dates_updated']} end dates updated, {ov['holdings_refined']} made precise")
        if ov.get("problems"):
            lines.append(f"  {ov['problems']} overlay rows ignored (they name no known entity)")
    else:
        lines.append(f"no overlay (kg kb refresh would write {s.get('overlay_file')})")
    return "\n".join(lines)


# ---------------------------------------------------------------------------- lookup explanations
def _parse_on(on) -> date:
    if on is None or on == "":
        return date.today()
    if isinstance(on, datetime):
        return on.date()
    if isinstance(on, date):
        return on
    try:
        return date.fromisoformat(str(on).strip())
    except ValueError:
        raise InputError(f"--date {on!r}: not a date (YYYY-MM-DD)") from None


def _term(kb: KnowledgeBase, h, other: str) -> dict:
    ent = kb.entity(other)

    def text(d, end=False):
        if d is None:
            return None
        return str(d.year) if h.approximate and (d.month, d.day) == ((12, 31) if end else (1, 1)) else d.isoformat()

    return {"id": other, "label": ent.label() if ent else other, "start": text(h.start), "end": text(h.end, True),
            "approximate": h.approximate, "source": "overlay" if kb.holding_from_overlay(h) else "base"}


def explain_lookup(name: str, lang: str | None = None, on: date | str | None = None,
                   kb: KnowledgeBase | None = None) -> list[dict]:
    """The candidates for ``name``, best first, with why: the alias that matched (surface, kind,
    language, its score, exact or only after normalisation), the entity's prior and type, the
    language factor (0.8 for an alias in another language than ``lang``), the resulting score;
    for a Position its holder(s) on ``on`` (default today), for a Person the offices held then."""
    if lang not in (None, "id", "en"):
        raise InputError(f"--lang {lang!r}: use id or en")
    day = _parse_on(on)
    kb = kb if kb is not None else KnowledgeBase.load()
    out = []
    for c in kb.lookup(name, lang):
        e = c.entity
        factor = 1.0 if lang is None or c.lang is None or c.lang == lang else 0.8
        score = c.score * e.prior * factor
        exact = " ".join(name.split()) == c.surface
        country = kb.entity(e.country) if e.country else None
        kind = {"generated": "generated office form", "weak": "weak alias"}.get(c.kind, c.kind)
        why = (f"{'exact' if exact else 'normalised'} match of the {kind} {c.surface!r} "
               f"({c.lang or 'any language'}{', case-sensitive' if c.case_sensitive else ''}; alias score "
               f"{c.score:.2f}) x prior {e.prior:.2f} of this {e.type}"
               + (f" x {factor:.1f} (alias not in {lang})" if factor != 1.0 else "") + f" = {score:.3f}")
        item = {
            "id": e.id, "iri": WD + e.id if QID_RE.match(e.id) else None, "label": e.label(lang or "en"),
            "labels": dict(e.labels), "type": e.type, "score": round(score, 4), "prior": e.prior,
            "alias": {"surface": c.surface, "kind": c.kind, "lang": c.lang, "score": c.score,
                      "case_sensitive": c.case_sensitive, "exact": exact, "language_factor": factor},
            "country": {"id": country.id, "label": country.label(lang or "en")} if country else None,
            "description": e.description, "source": kb.from_overlay(e.id) or "base", "date": day.isoformat(),
            "why": why,
        }
        if e.type == "Position":
            item["holders"] = [_term(kb, h, h.person) for h in kb.holders(e.id, on=day)]
        elif e.type == "Person":
            item["offices"] = [_term(kb, h, h.position) for h in kb.positions_of(e.id, on=day)]
        out.append(item)
    return out


def format_lookup(name: str, results: list[dict]) -> str:
    if not results:
        return f"no candidates for {name!r}"
    lines = []
    for n, r in enumerate(results, 1):
        where = f", {r['country']['label']}" if r.get("country") else ""
        src = "" if r["source"] == "base" else f" [overlay: {r['source']}]"
        lines.append(f"{n}. {r['id']} {r['label']!r} ({r['type']}{where}) score {r['score']:.3f}{src}")
        lines.append(f"   {r['why']}")
        for key, title in (("holders", "holder"), ("offices", "office")):
            if key in r:
                if not r[key]:
                    lines.append(f"   no {title} known on {r['date']}")
                for t in r[key]:
                    span = f"{t['start'] or '?'} - {t['end'] or ''}".rstrip()
                    src = " [overlay]" if t["source"] == "overlay" else ""
                    lines.append(f"   {title} on {r['date']}: {t['id']} {t['label']!r} ({span}){src}")
    return "\n".join(lines)


__all__ = ["Endpoint", "RefreshError", "explain_lookup", "facts_query", "format_lookup", "format_refresh",
           "format_stats", "holdings_query", "kb_stats", "refresh"]
