"""`kg kb refresh`, `kg kb stats`, `kg kb lookup` against a real SPARQL server.

A real ``oxigraph serve`` (the ``oxigraph`` PyPI package's binary) is started on 127.0.0.1 with a
free port and loaded with tests/data/wikidata/wikidata-sample.ttl, Wikidata-shaped RDF generated
from real data in ../shared (see tests/data/wikidata/README.md). No QID is written in this file:
entities are taken from that data or found in the knowledge base by label. ``KG_HOME`` points at a
temporary directory in every test, so the user's own data directory is never touched.
"""
from __future__ import annotations

import gzip
import hashlib
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from kg.errors import InputError, KgError
from kg.kb import FORMAT, KINDS, LANGS, TYPES, KnowledgeBase, normalise, overlay_path, read_overlay
from kg.kbrefresh import (Endpoint, RefreshError, explain_lookup, format_lookup, format_refresh, format_stats,
                          holdings_query, kb_stats, refresh)
from kg.resources import kb_path
from conftest import ROOT, SHARED

DATA = ROOT / "tests" / "data" / "wikidata"
SAMPLE = DATA / "wikidata-sample.ttl"
WD = "http://www.wikidata.org/entity/"
ON = date(2022, 9, 13)


# ---------------------------------------------------------------------------- servers
def _oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Oxigraph:
    """``oxigraph serve`` on 127.0.0.1:<free port>, in memory; always terminated by :meth:`stop`."""

    def __init__(self, binary: str, workdir: Path):
        self.binary, self.workdir = binary, workdir
        self.proc: subprocess.Popen | None = None
        self.port = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return self.base + "/query"

    def start(self) -> Oxigraph:
        for _attempt in range(3):  # the free port may be taken between choosing and binding it
            self.port = _free_port()
            log = (self.workdir / f"oxigraph-{self.port}.log").open("wb")
            self.proc = subprocess.Popen([self.binary, "serve", "--bind", f"127.0.0.1:{self.port}"],
                                         stdout=log, stderr=subprocess.STDOUT, cwd=self.workdir)
            log.close()
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    with urllib.request.urlopen(self.query_url + "?query=ASK%7B%7D", timeout=1) as r:
                        if r.status == 200:
                            return self
                except (urllib.error.URLError, OSError):
                    time.sleep(0.05)
            self.stop()
        raise RuntimeError(f"oxigraph serve did not start; see {self.workdir}")

    def load_turtle(self, text: str) -> None:
        req = urllib.request.Request(self.base + "/store?default", data=text.encode("utf-8"), method="POST",
                                     headers={"Content-Type": "text/turtle"})
        with urllib.request.urlopen(req, timeout=20) as r:
            assert r.status in (200, 201, 204)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None


@contextmanager
def oxigraph(tmp_dir: Path, turtle: str | None = None):
    binary = _oxigraph_binary()
    if binary is None:
        pytest.skip("the `oxigraph` server binary is not installed (pip install oxigraph puts it beside python)")
    server = Oxigraph(binary, tmp_dir)
    try:
        server.start()
        if turtle is not None:
            server.load_turtle(turtle)
        yield server
    finally:
        server.stop()


@contextmanager
def http_stub(status: int, content_type: str, body: bytes):
    """A real HTTP server on 127.0.0.1 that answers every request with the same response."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def silent_server():
    """Accepts connections and never answers (until the test ends)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.2)
    stop = threading.Event()
    held: list[socket.socket] = []

    def run():
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
                held.append(conn)
            except (socket.timeout, OSError):
                continue

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"
    finally:
        stop.set()
        thread.join(5)
        for c in held:
            c.close()
        sock.close()


# ---------------------------------------------------------------------------- fixtures
@pytest.fixture(autouse=True)
def kg_home(tmp_path, monkeypatch):
    home = tmp_path / "kg-home"
    monkeypatch.setenv("KG_HOME", str(home))
    return home


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    with oxigraph(tmp_path_factory.mktemp("oxigraph"), SAMPLE.read_text(encoding="utf-8")) as server:
        yield server


@pytest.fixture(scope="module")
def base() -> KnowledgeBase:
    return KnowledgeBase.load(overlay=False)


@pytest.fixture(scope="module")
def sample_terms() -> list[tuple[str, str, str, str, str]]:
    """(person, office, start, end, rank) of every P39 statement in the sample, read with pyoxigraph."""
    import pyoxigraph as ox
    store = ox.Store()
    store.load(path=str(SAMPLE), format=ox.RdfFormat.TURTLE)
    q = """PREFIX p: <http://www.wikidata.org/prop/> PREFIX ps: <http://www.wikidata.org/prop/statement/>
    PREFIX pq: <http://www.wikidata.org/prop/qualifier/> PREFIX wikibase: <http://wikiba.se/ontology#>
    SELECT ?person ?office ?start ?end ?rank WHERE { ?person p:P39 ?st . ?st ps:P39 ?office ; wikibase:rank ?rank .
      OPTIONAL { ?st pq:P580 ?start } OPTIONAL { ?st pq:P582 ?end } }"""
    out = []
    for row in store.query(q):
        out.append((row["person"].value[len(WD):], row["office"].value[len(WD):],
                    row["start"].value[:10] if row["start"] else "", row["end"].value[:10] if row["end"] else "",
                    row["rank"].value.rsplit("#", 1)[1]))
    return sorted(out)


@pytest.fixture(scope="module")
def full_overlay(endpoint, tmp_path_factory) -> bytes:
    """The overlay bytes a full refresh against the sample produces (for tests that need one beforehand)."""
    path = tmp_path_factory.mktemp("overlay") / "kb-overlay.json.gz"
    refresh(endpoint.query_url, timeout=20, overlay=path)
    return path.read_bytes()


def _content(path: Path) -> tuple:
    d = read_overlay(path)
    return d["entities"], d["aliases"], d["holdings"]


# ---------------------------------------------------------------------------- the generated data
def test_sample_is_a_fresh_conversion_of_the_shared_data():
    if not (SHARED / "data" / "kb-sources" / "wikidata-fixtures").is_dir():
        pytest.skip("needs ../shared/data/kb-sources (the project's shared data, present in CI beside the clone)")
    sys.path.insert(0, str(DATA))
    try:
        import convert
    finally:
        sys.path.remove(str(DATA))
    assert convert.convert(SHARED) == SAMPLE.read_text(encoding="utf-8"), \
        "tests/data/wikidata/wikidata-sample.ttl is stale: run tests/data/wikidata/convert.py"


def test_sample_has_what_the_tests_need(sample_terms, base):
    in_scope = [t for t in sample_terms if base.entity(t[1]) is not None and base.entity(t[1]).type == "Position"]
    assert any(t[0] not in base for t in in_scope)  # holders the embedded KB does not have
    assert any(t[1] not in base for t in sample_terms)  # an office outside the scope of a refresh
    assert any(t[4] == "DeprecatedRank" for t in sample_terms)


# ---------------------------------------------------------------------------- refresh
def test_refresh_adds_holders_missing_from_the_embedded_kb(endpoint, sample_terms, base, kg_home):
    package_kb = kb_path().read_bytes()
    new = [t for t in sample_terms if t[0] not in base and base.entity(t[1]) is not None
           and base.entity(t[1]).type == "Position" and t[2] and t[4] != "DeprecatedRank"]
    assert new
    person, office, start, end, _rank = new[0]
    day = date.fromisoformat(start)
    assert person not in {h.person for h in base.holders(office, on=day)}

    summary = refresh(endpoint.query_url, timeout=20)

    assert (kg_home / "kb-overlay.json.gz").is_file()
    assert summary["overlay"] == str(overlay_path()) == str(kg_home / "kb-overlay.json.gz")
    assert kb_path().read_bytes() == package_kb  # the installed package is never written
    assert summary["holdings_added"] >= len({(t[0], t[1], t[2]) for t in new})
    assert summary["entities_added"] == len({t[0] for t in sample_terms if t[0] not in base
                                             and base.entity(t[1]) is not None and t[4] != "DeprecatedRank"})
    kb = KnowledgeBase.load()
    assert kb.overlay_path == kg_home / "kb-overlay.json.gz"
    holders = kb.holders(office, on=day)
    assert person in {h.person for h in holders}
    held = [h for h in holders if h.person == person][0]
    assert held.start == day and (held.end.isoformat() if held.end else "") == end
    assert kb.holding_from_overlay(held)
    assert kb.entity(person).type == "Person" and kb.from_overlay(person) == "added"
    assert kb.entity(person).country == kb.entity(office).country
    # every new person's terms are there, by office and by person
    for p, o, s, _e, _rank in new:
        assert o in {h.position for h in kb.positions_of(p, on=date.fromisoformat(s))}
        assert p in {h.person for h in kb.holders(o, on=date.fromisoformat(s))}
    # and the holders the embedded KB had are still there
    for h in base.holders(office):
        assert h in kb.holders(office)
    assert len(kb) == len(base) + summary["entities_added"]
    stats = kb.stats()
    assert stats["overlay"] == summary["updated"] == kb.meta["overlay"]["updated"]
    assert stats["holdings"] == base.stats()["holdings"] + summary["holdings_added"]
    assert kb.meta["overlay"]["endpoint"] == endpoint.query_url


def test_offices_outside_the_kb_are_not_asked_about(endpoint, sample_terms, base, kg_home):
    refresh(endpoint.query_url, timeout=20)
    outside = {t[1] for t in sample_terms if t[1] not in base}
    assert outside
    assert not any(r[1] in outside for r in read_overlay()["holdings"])


def test_a_deprecated_statement_is_not_pulled(endpoint, sample_terms):
    deprecated = [t for t in sample_terms if t[4] == "DeprecatedRank"]
    normal = [t for t in sample_terms if t[4] != "DeprecatedRank"]
    ep = Endpoint(endpoint.query_url, timeout=20)
    rows = ep.select(holdings_query([deprecated[0][1], normal[0][1]]))
    offices = {r["office"]["value"][len(WD):] for r in rows}
    assert normal[0][1] in offices and deprecated[0][1] not in offices


def test_an_open_term_never_erases_a_known_end(endpoint, sample_terms, base, kg_home):
    known = {(h[0], h[1], h[2]): h[3] for h in base.raw_holdings()}
    reopened = [t for t in sample_terms if t[2] and not t[3] and known.get((t[0], t[1], t[2]))]
    assert reopened, "the sample has terms the embedded KB knows to have ended"
    refresh(endpoint.query_url, timeout=20)
    kb = KnowledgeBase.load()
    for person, office, start, _end, _rank in reopened:
        ends = {h.end.isoformat() for h in kb.positions_of(person) if h.position == office and h.end
                and h.start == date.fromisoformat(start)}
        assert ends == {known[(person, office, start)]}


def test_refresh_is_idempotent(endpoint, kg_home):
    first = refresh(endpoint.query_url, timeout=20)
    content = _content(overlay_path())
    second = refresh(endpoint.query_url, timeout=20)
    assert _content(overlay_path()) == content
    assert second["changed"] is False and first["changed"] is True
    assert (second["holdings_added"], second["end_dates_updated"], second["holdings_refined"],
            second["entities_added"], second["labels_added"], second["aliases_added"]) == (0, 0, 0, 0, 0, 0)
    assert second["holdings_unchanged"] == second["terms"]
    runs = read_overlay()["meta"]["runs"]
    assert len(runs) == 2 and runs[-1]["at"] == second["updated"]


def test_since_keeps_terms_starting_or_ending_after_the_date(endpoint, full_overlay, kg_home, base):
    full = json.loads(gzip.decompress(full_overlay))["holdings"]
    starts = sorted({r[2] for r in full if len(r[2]) == 10})
    since = starts[len(starts) // 2]
    summary = refresh(endpoint.query_url, since=since, timeout=20)
    assert summary["since"] == since
    part = read_overlay()["holdings"]
    assert part and len(part) < len(full)
    assert all(r in full for r in part)
    assert all(r[2] >= since or (r[3] and r[3] >= since) for r in part)
    assert [r for r in full if (r[2] >= since and len(r[2]) == 10)] == [r for r in part if len(r[2]) == 10
                                                                       and r[2] >= since]


def test_refresh_merges_with_the_previous_overlay(endpoint, full_overlay, kg_home):
    kg_home.mkdir(parents=True)
    overlay_path().write_bytes(full_overlay)
    full = json.loads(gzip.decompress(full_overlay))
    starts = sorted({r[2] for r in full["holdings"] if len(r[2]) == 10})
    summary = refresh(endpoint.query_url, since=starts[-1], timeout=20)
    after = read_overlay()
    assert after["holdings"] == full["holdings"] and after["entities"] == full["entities"]
    assert summary["holdings_added"] == 0 and len(after["meta"]["runs"]) == 2


def test_the_default_instance_follows_the_overlay(endpoint, kg_home):
    before = KnowledgeBase.load()
    assert before.overlay_path is None and KnowledgeBase.load() is before
    refresh(endpoint.query_url, timeout=20)
    after = KnowledgeBase.load()
    assert after is not before and after.overlay_path is not None and KnowledgeBase.load() is after
    assert KnowledgeBase.load(overlay=False).overlay_path is None


# ---------------------------------------------------------------------------- an end date that changes
def _write_kb(path: Path, entities: list[dict], holdings: list[tuple], aliases: list[tuple]) -> None:
    """A small knowledge base file in the kg-kb/1 layout (see kg/kb.py)."""
    ids = [e["id"] for e in entities]
    index = {q: i for i, q in enumerate(ids)}
    rows = sorted((normalise(s), index[eid], s, LANGS.index(lang), KINDS.index(kind), int(score * 1000), 0)
                  for s, eid, lang, kind, score in aliases)
    keys, start = [], []
    for n, r in enumerate(rows):
        if not keys or keys[-1] != r[0]:
            keys.append(r[0])
            start.append(n)
    start.append(len(rows))
    data = {
        "format": FORMAT, "meta": {"build_date": "2024-01-01"}, "types": list(TYPES), "kinds": list(KINDS),
        "entities": {"ids": "\n".join(ids), "en": "\n".join(e.get("en", "") for e in entities),
                     "id": "\n".join(e.get("id_label", "") for e in entities),
                     "description": "\n".join("" for _ in entities),
                     "type": [TYPES.index(e["type"]) for e in entities],
                     "prior": [int(e["prior"] * 1000) for e in entities],
                     "country": [index.get(e.get("country"), -1) for e in entities]},
        "aliases": {"keys": "\n".join(keys), "start": start, "surface": "\n".join(r[2] for r in rows),
                    "entity": [r[1] for r in rows], "lang": [r[3] for r in rows], "kind": [r[4] for r in rows],
                    "score": [r[5] for r in rows], "cs": [r[6] for r in rows]},
        "holdings": {"person": [index[h[0]] for h in holdings], "position": [index[h[1]] for h in holdings],
                     "start": "\n".join(h[2] for h in holdings), "end": "\n".join(h[3] for h in holdings)},
        "max_tokens": {"words": "", "counts": []}, "extra": "{}",
    }
    path.write_bytes(gzip.compress(json.dumps(data).encode("utf-8")))


def _statement_ttl(person: str, office: str, start: str, end: str) -> str:
    st = f"<{WD}statement/{person}-{hashlib.md5(f'{office}{start}'.encode()).hexdigest()}>"
    lines = [f"<{WD}{person}> <http://www.wikidata.org/prop/P39> {st} .",
             f"{st} <http://www.wikidata.org/prop/statement/P39> <{WD}{office}> ."]
    for prop, value in (("P580", start), ("P582", end)):
        if value:
            lines.append(f'{st} <http://www.wikidata.org/prop/qualifier/{prop}> "{value}T00:00:00Z"'
                         "^^<http://www.w3.org/2001/XMLSchema#dateTime> .")
    return "\n".join(lines) + "\n"


def _label_ttl(q: str, text: str, lang: str) -> str:
    return f"<{WD}{q}> <http://www.w3.org/2000/01/rdf-schema#label> {json.dumps(text, ensure_ascii=False)}@{lang} .\n"


def test_an_end_date_is_updated_and_labels_and_country_added(tmp_path, sample_terms, base):
    """A knowledge base that still has a term open (as an older Wikidata snapshot in the sample has it)
    meets an endpoint that knows its end (the date the embedded KB has, from another real source)."""
    known = {(h[0], h[1], h[2]): h[3] for h in base.raw_holdings()}
    person, office, start, _end, _rank = [t for t in sample_terms if t[2] and not t[3]
                                          and known.get((t[0], t[1], t[2]))][0]
    end = known[(person, office, start)]
    p_ent, o_ent = base.entity(person), base.entity(office)
    country = base.entity(o_ent.country)
    assert o_ent.labels.get("id") and country is not None
    small = tmp_path / "small-kb.json.gz"
    _write_kb(small, [
        {"id": country.id, "type": country.type, "en": country.label("en"), "prior": country.prior},
        {"id": person, "type": "Person", "en": p_ent.label("en"), "prior": p_ent.prior},
        {"id": office, "type": "Position", "en": o_ent.label("en"), "prior": o_ent.prior},  # no id label, no country
    ], [(person, office, start, "")], [
        (country.label("en"), country.id, "en", "label", 1.0), (p_ent.label("en"), person, None, "label", 1.0),
        (o_ent.label("en"), office, "en", "label", 1.0)])
    ttl = (_statement_ttl(person, office, start, end) + _label_ttl(office, o_ent.labels["en"], "en")
           + _label_ttl(office, o_ent.labels["id"], "id") + _label_ttl(person, p_ent.label("en"), "en")
           + f"<{WD}{office}> <http://www.wikidata.org/prop/direct/P17> <{WD}{country.id}> .\n")
    ov = tmp_path / "overlay.json.gz"
    small_kb = KnowledgeBase.load(small)
    assert small_kb.positions_of(person)[0].end is None
    with oxigraph(tmp_path, ttl) as server:
        summary = refresh(server.query_url, timeout=20, kb=small_kb, overlay=ov)
    assert summary["end_dates_updated"] == 1 and summary["holdings_added"] == 0
    assert summary["labels_added"] == 1
    data = read_overlay(ov)
    assert data["holdings"] == [[person, office, start, end]]
    assert data["entities"][office] == {"labels": {"id": o_ent.labels["id"]}, "country": country.id}
    assert person not in data["entities"]  # nothing new about the person
    kb = KnowledgeBase.load(small, overlay=ov)
    (h,) = kb.positions_of(person)
    assert h.end == date.fromisoformat(end) and kb.holding_from_overlay(h)
    assert kb.entity(office).labels["id"] == o_ent.labels["id"] and kb.entity(office).country == country.id
    assert kb.stats()["overlay_end_dates_updated"] == 1
    hit = kb.lookup(o_ent.labels["id"], "id")
    assert hit and hit[0].entity.id == office and hit[0].lang == "id" and hit[0].kind == "label"
    after = date.fromisoformat(end)
    assert [x["id"] for x in explain_lookup(o_ent.labels["id"], "id", after, kb=kb)[0]["holders"]] == []
    day_before = date.fromordinal(after.toordinal() - 1)
    (r,) = explain_lookup(o_ent.labels["id"], "id", day_before, kb=kb)
    assert r["source"] == "updated" and r["holders"][0]["id"] == person and r["holders"][0]["source"] == "overlay"


def test_a_new_person_gets_labels_country_and_instance_of(tmp_path, base):
    """A holder the knowledge base lacks, with a label and P31 in the data (the wbgetentities item)."""
    import pyoxigraph as ox
    store = ox.Store()
    store.load(path=str(SAMPLE), format=ox.RdfFormat.TURTLE)
    prefixes = """PREFIX p: <http://www.wikidata.org/prop/> PREFIX ps: <http://www.wikidata.org/prop/statement/>
    PREFIX wdt: <http://www.wikidata.org/prop/direct/> PREFIX wikibase: <http://wikiba.se/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> """
    found = [(r["person"].value[len(WD):], r["office"].value[len(WD):], r["cls"].value[len(WD):], r["label"].value)
             for r in store.query(prefixes + """SELECT ?person ?office ?cls ?label WHERE { ?person wdt:P31 ?cls ;
               rdfs:label ?label ; p:P39 ?st . ?st ps:P39 ?office . FILTER NOT EXISTS {
               ?st wikibase:rank wikibase:DeprecatedRank } } ORDER BY ?office""")]
    person, office, cls, label = [f for f in found if base.entity(f[1]) is not None
                                  and base.entity(f[1]).type == "Position"][0]
    o_ent = base.entity(office)
    country = base.entity(o_ent.country)
    ttl = store.query(prefixes + f"""CONSTRUCT {{ ?person p:P39 ?st . ?st ?p ?o . ?person rdfs:label ?l ;
        wdt:P31 ?c }} WHERE {{ VALUES (?person ?office) {{ (<{WD}{person}> <{WD}{office}>) }}
        ?person p:P39 ?st ; rdfs:label ?l ; wdt:P31 ?c . ?st ps:P39 ?office ; ?p ?o }}""").serialize(
        format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    small = tmp_path / "small-kb.json.gz"
    _write_kb(small, [
        {"id": country.id, "type": country.type, "en": country.label("en"), "prior": country.prior},
        {"id": office, "type": "Position", "en": o_ent.label("en"), "prior": o_ent.prior, "country": country.id},
    ], [], [(country.label("en"), country.id, "en", "label", 1.0), (o_ent.label("en"), office, "en", "label", 1.0)])
    small_kb = KnowledgeBase.load(small)
    ov = tmp_path / "overlay.json.gz"
    with oxigraph(tmp_path, ttl) as server:
        summary = refresh(server.query_url, timeout=20, kb=small_kb, overlay=ov)
    assert summary["entities_added"] == 1 and summary["holdings_added"] >= 1
    rec = read_overlay(ov)["entities"][person]
    assert rec["type"] == "Person" and rec["labels"] == {"en": label} and rec["country"] == country.id
    assert rec["attributes"] == {"instance_of": [cls]} and 0.4 <= rec["prior"] <= 1
    kb = KnowledgeBase.load(small, overlay=ov)
    assert kb.attributes(person) == {"instance_of": [cls]}
    hit = kb.lookup(label)[0]
    assert hit.entity.id == person and hit.kind == "label" and hit.lang is None
    assert office in {h.position for h in kb.positions_of(person)}
    (r,) = explain_lookup(label, "en", date.today(), kb=kb)
    assert r["source"] == "added" and r["type"] == "Person"


# ---------------------------------------------------------------------------- failures leave everything as it was
def _snapshot(home: Path) -> dict:
    return {p.name: p.read_bytes() for p in home.iterdir()} if home.exists() else {}


@pytest.fixture(params=["absent", "present"])
def prior_overlay(request, kg_home, full_overlay):
    if request.param == "present":
        kg_home.mkdir(parents=True)
        overlay_path().write_bytes(full_overlay)
    return request.param


def _assert_failure(url: str, kg_home: Path, *needles: str, timeout: float = 5) -> str:
    before = _snapshot(kg_home)
    package_kb = kb_path().stat().st_mtime_ns
    with pytest.raises(RefreshError) as err:
        refresh(url, timeout=timeout)
    msg = str(err.value)
    assert "\n" not in msg and len(msg) < 400, msg
    assert url.split("@")[-1].split("/")[2] in msg, msg  # names the endpoint (host:port)
    assert "left unchanged" in msg
    for n in needles:
        assert n in msg.lower(), msg
    assert _snapshot(kg_home) == before  # byte-identical, no temporary files left behind
    assert kb_path().stat().st_mtime_ns == package_kb
    return msg


def test_connection_refused(prior_overlay, kg_home):
    _assert_failure(f"http://127.0.0.1:{_free_port()}/sparql", kg_home, "connection refused")


def test_a_server_that_never_answers_times_out(prior_overlay, kg_home):
    with silent_server() as url:
        started = time.monotonic()
        _assert_failure(url, kg_home, "timed out", "1 s", timeout=1)
        assert time.monotonic() - started < 8


def test_http_404_from_a_wrong_path_on_the_server(endpoint, prior_overlay, kg_home):
    _assert_failure(endpoint.base + "/no-such-endpoint", kg_home, "404")


def test_http_400_when_the_server_refuses_the_request(endpoint, prior_overlay, kg_home):
    # the update endpoint does not take a query: oxigraph answers 400 with its parser's message
    _assert_failure(endpoint.base + "/update", kg_home, "400")


@pytest.mark.parametrize("status, ctype, body, needles", [
    (500, "text/plain", b"java.util.concurrent.TimeoutException\n\tat ...", ("500", "timeoutexception")),
    (503, "text/html", b"<html><body>busy</body></html>", ("503",)),
    (200, "text/html; charset=utf-8", b"<!DOCTYPE html><html><head><title>Wiki</title></head></html>",
     ("text/html", "not sparql json")),
    (200, "application/json", b'{"error": "no such thing"}', ("not a sparql select result",)),
    (200, "application/sparql-results+json", b'{"head": {"vars": []}, "results": {"bindings": [', ("not sparql json",)),
    (200, "application/sparql-results+json", b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": 3}]}}',
     ("malformed",)),
])
def test_http_errors_and_non_sparql_answers(prior_overlay, kg_home, status, ctype, body, needles):
    with http_stub(status, ctype, body) as url:
        _assert_failure(url, kg_home, *needles)


def test_the_endpoint_must_be_an_http_url(kg_home):
    for bad in ("file:///etc/passwd", "ftp://example.org/sparql", "not a url", "", "http://"):
        with pytest.raises(InputError, match="http"):
            refresh(bad)
    assert not kg_home.exists()


def test_credentials_in_the_url_are_not_shown(kg_home):
    with pytest.raises(RefreshError) as err:
        refresh(f"http://someone:s3cret@127.0.0.1:{_free_port()}/sparql", timeout=2)
    assert "s3cret" not in str(err.value) and "someone" not in str(err.value)


def test_options_are_checked_before_any_query(kg_home):
    url = f"http://127.0.0.1:{_free_port()}/sparql"
    with pytest.raises(InputError, match="--since"):
        refresh(url, since='2020-01-01"^^xsd:dateTime) } DROP ALL #')
    with pytest.raises(InputError, match="--timeout"):
        refresh(url, timeout=0)
    with pytest.raises(ValueError):
        holdings_query(['Q1> } DROP ALL #'])


def test_a_corrupt_overlay_is_a_clear_error_and_a_refresh_replaces_it(endpoint, kg_home):
    kg_home.mkdir(parents=True)
    overlay_path().write_bytes(b"not gzip")
    with pytest.raises(KgError) as err:
        KnowledgeBase.load()
    assert str(overlay_path()) in str(err.value) and "kg kb refresh" in str(err.value)
    summary = refresh(endpoint.query_url, timeout=20)
    assert summary["warnings"] and read_overlay() is not None
    assert KnowledgeBase.load().overlay_path == overlay_path()


# ---------------------------------------------------------------------------- stats and lookup
def test_kb_stats_without_overlay(kg_home):
    s = kb_stats()
    assert s["overlay"] is None and s["overlay_file"] == str(kg_home / "kb-overlay.json.gz")
    assert s["file_size"] == kb_path().stat().st_size and s["build_date"]
    assert sum(s["by_type"].values()) == s["entities"]
    assert s["by_type"]["Position"] > 0 and s["holdings"] > 0 and s["aliases"] >= s["alias_keys"]
    assert "no overlay" in format_stats(s)


def test_kb_stats_with_overlay(endpoint, kg_home, base):
    summary = refresh(endpoint.query_url, timeout=20)
    s = kb_stats()
    ov = s["overlay"]
    assert ov["updated"] == summary["updated"] and ov["endpoint"] == endpoint.query_url
    assert ov["path"] == str(overlay_path()) and ov["file_size"] == overlay_path().stat().st_size
    assert ov["holdings_added"] == summary["overlay_holdings"] and ov["new_entities"] == summary["entities_added"]
    assert s["entities"] == len(base) + summary["entities_added"]
    text = format_stats(s)
    assert "overlay" in text and summary["updated"] in text
    assert "terms added" in format_refresh(summary)


def test_explain_a_position_with_its_holder_on_a_date(kg_home):
    results = explain_lookup("Presiden Prancis", "id", ON)
    top = results[0]
    assert top["type"] == "Position" and top["alias"]["kind"] == "generated" and top["alias"]["lang"] == "id"
    assert top["score"] == round(top["alias"]["score"] * top["prior"], 4)
    assert "Emmanuel Macron" in {h["label"] for h in top["holders"]}
    assert all(h["start"] <= ON.isoformat() for h in top["holders"])
    assert "generated" in top["why"] and top["date"] == ON.isoformat() and top["source"] == "base"
    assert top["iri"] == WD + top["id"] and top["country"]["label"] == "Prancis"
    english = explain_lookup("Presiden Prancis", "en", ON)[0]
    assert english["alias"]["language_factor"] == 0.8 and english["score"] == round(top["score"] * 0.8, 4)
    assert "Presiden Prancis" in format_lookup("Presiden Prancis", results)


def test_explain_a_person_with_the_offices_held(kg_home):
    office = explain_lookup("President of France", "en", ON)[0]["id"]
    (person, *_) = [r for r in explain_lookup("Emmanuel Macron", None, ON) if r["type"] == "Person"]
    assert office in {o["id"] for o in person["offices"]}
    assert person["alias"]["lang"] is None and person["alias"]["exact"] is True
    assert explain_lookup("emmanuel  macron", None, ON)[0]["alias"]["exact"] is False
    assert explain_lookup("Xyzzy Plugh Qwertz") == []
    assert "no candidates" in format_lookup("Xyzzy Plugh Qwertz", [])


def test_explain_shows_holders_from_the_overlay(endpoint, sample_terms, base, kg_home):
    refresh(endpoint.query_url, timeout=20)
    new = [t for t in sample_terms if t[0] not in base and base.entity(t[1]) is not None and t[2]][0]
    label = base.entity(new[1]).label("en")
    (r, *_) = [x for x in explain_lookup(label, "en", new[2]) if x["id"] == new[1]]
    assert new[0] in {h["id"] for h in r["holders"] if h["source"] == "overlay"}


def test_explain_checks_its_options():
    with pytest.raises(InputError, match="--lang"):
        explain_lookup("Rusia", "fr")
    with pytest.raises(InputError, match="--date"):
        explain_lookup("Rusia", "id", "13/09/2022")


# ---------------------------------------------------------------------------- NIL entities that gain a QID
def _rows(store, name: str, **params) -> list[dict]:
    from kg import query as q
    return q.run(q.load_query(name), store, params).dicts()


def test_a_nil_person_is_linked_to_its_qid_once_the_kb_knows_the_name(endpoint, sample_terms, base, kg_home, tmp_path):
    """An article names an office holder the knowledge base lacks: a NIL person. Once a refresh has
    brought the holder (and the name), ``reconcile`` records that the NIL node is the QID
    (owl:sameAs), queries for the QID find the old article, and a later article naming the person
    records the same link on its own. The sample has no labels for the new holders, so the name is
    made up and added to the refreshed overlay; the QID, the office and the dates are the data's."""
    from rdflib import URIRef

    from kg.ingest import ingest, reconcile
    from kg.read import Article
    from kg.store import open_store

    new = [t for t in sample_terms if t[0] not in base and t[2] and t[4] != "DeprecatedRank"
           and base.entity(t[1]) is not None and base.entity(t[1]).type == "Position" and base.entity(t[1]).label("en")]
    person, office, start, _end, _rank = new[0]
    day = date.fromisoformat(start)
    qid, name = URIRef(WD + person), "Zorbul Quintaine"
    text = f"{base.entity(office).label('en')} {name} said on Monday that the talks would go on."
    for d in ("a", "b"):
        with open_store(tmp_path / d) as st:
            assert ingest([Article(id="before", text=text, lang="en", published=day)], st).ingested == 1
            nil = [r["entity"] for r in _rows(st, "nil-entities") if str(r["label"]) == name]
            assert nil, f"{name!r} should be a NIL person before the refresh"

    refresh(endpoint.query_url, timeout=20)
    path = overlay_path()
    ov = read_overlay(path)
    ov["entities"][person]["labels"] = {"en": name}
    ov["aliases"].append([name, person, None, "label", 1.0])
    path.write_bytes(gzip.compress(json.dumps(ov).encode("utf-8")))
    assert KnowledgeBase.load().lookup(name)[0].entity.id == person

    with open_store(tmp_path / "a") as a:
        assert reconcile(a) == [(str(nil[0]), str(qid))]
        assert reconcile(a) == []  # already linked: nothing more to add
        assert {str(r["identifier"]) for r in _rows(a, "articles-mentioning-entity", entity=str(qid))} == {"before"}
    with open_store(tmp_path / "b") as b:
        assert ingest([Article(id="after", text=text, lang="en", published=day)], b).ingested == 1
        same = b.query("SELECT ?n WHERE { ?n <http://www.w3.org/2002/07/owl#sameAs> ?q }", {"q": qid}).rows
        assert [str(r[0]) for r in same] == [str(nil[0])]
        arts = {str(r["identifier"]) for r in _rows(b, "articles-mentioning-entity", entity=str(qid))}
        assert arts == {"before", "after"}


def test_refresh_with_store_reports_what_it_linked(endpoint, tmp_path):
    from typer.testing import CliRunner

    from kg.cli import app
    from kg.store import open_store

    with open_store(tmp_path / "s"):
        pass
    res = CliRunner().invoke(app, ["kb", "refresh", "--endpoint", endpoint.query_url, "--store", str(tmp_path / "s")])
    assert res.exit_code == 0, res.output
    assert "0 NIL entities of" in res.output
    before = overlay_path().read_bytes()
    res = CliRunner().invoke(app, ["kb", "refresh", "--endpoint", endpoint.query_url, "--store", str(tmp_path / "none")])
    assert res.exit_code == 2 and len(res.output.strip().splitlines()) == 1
    assert overlay_path().read_bytes() == before  # a wrong --store fails before the refresh
