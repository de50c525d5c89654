"""kg.store: the persistent store, embedded (pyoxigraph on disk) and remote (`oxigraph serve` started here
on 127.0.0.1 with a free port, through SPARQLWrapper). Writes, atomicity, types, export/import, queries
with parameters, credentials and errors. No network beyond 127.0.0.1."""
from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg import query as q
from kg.errors import InputError, KgError
from kg.rdf import BACKGROUND_GRAPH
from kg.store import (CONTENT_HASH, INGEST_GRAPH, ArticleData, OxigraphStore, SparqlStore, content_hash, nt_lines,
                      nt_term, open_store)
from kg import vocab as V

pytestmark = [pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
              pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")]

# ---------------------------------------------------------------------------------------------
# a real Oxigraph server on a free local port


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.exists():
        return str(beside)
    return shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OxigraphServer:
    """``oxigraph serve --location DIR --bind 127.0.0.1:PORT``; always terminated by :meth:`stop`."""

    def __init__(self, location: Path):
        exe = oxigraph_binary()
        if exe is None:
            pytest.skip("the `oxigraph` server binary is not installed (pip install oxigraph)")
        last = ""
        for _ in range(3):  # a port picked as free can be taken before the server binds it
            self.port = free_port()
            self.url = f"http://127.0.0.1:{self.port}"
            self.proc = subprocess.Popen([exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}"],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    with urllib.request.urlopen(f"{self.url}/query?query=ASK%7B%7D", timeout=1) as r:
                        if r.status == 200:
                            return
                except OSError:
                    time.sleep(0.05)
            last = self.stop()
        pytest.fail(f"oxigraph serve did not start: {last[-500:]}")

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.url}/update"

    def store(self, **kw) -> SparqlStore:
        return SparqlStore(self.query_url, self.update_url, **kw)

    def stop(self) -> str:
        err = ""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self.proc.stderr is not None:
            err = self.proc.stderr.read().decode("utf-8", "replace")
            self.proc.stderr.close()
        return err


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = OxigraphServer(tmp_path_factory.mktemp("oxigraph-server"))
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def remote(server):
    """The server's store, emptied before each test."""
    store = server.store()
    store._update("DROP SILENT ALL")
    return store


@pytest.fixture
def embedded(tmp_path):
    store = open_store(str(tmp_path / "store"))
    yield store
    store.close()


@pytest.fixture(params=["embedded", "remote"])
def any_store(request):
    return request.getfixturevalue(request.param)


# ---------------------------------------------------------------------------------------------
# small graphs

ART = V.KGR["article/store-test"]


def article(version: int = 1) -> tuple[Graph, Graph]:
    g, bg = Graph(), Graph()
    g.add((ART, RDF.type, V.SCHEMA.NewsArticle))
    g.add((ART, V.SCHEMA.identifier, Literal("store-test")))
    g.add((ART, V.SCHEMA.headline, Literal(f"Versi {version}: \"kutipan\"\nbaris \\ dua", lang="id")))
    g.add((ART, V.SCHEMA.mentions, V.WD.Q7035479))
    g.add((V.WD.Q7035479, RDF.type, V.KG.Person))
    g.add((V.WD.Q7035479, RDFS.label, Literal("Nikol Pashinyan", lang="en")))
    g.add((V.KGR["text/store-test/sentence/0"], V.KG.beginIndex, Literal(version, datatype=V.XSD.nonNegativeInteger)))
    bg.add((V.WD.Q1123764, V.WDT.P17, V.WD.Q399))
    if version > 1:
        bg.add((V.WD.Q1123764, V.SCHEMA.description, Literal(f"v{version}", lang="en")))
    return g, bg


def write(store, version: int = 1) -> ArticleData:
    g, bg = article(version)
    data = ArticleData.from_graphs(ART, g, bg)
    store.write(data)
    return data


def quadset(store) -> set:
    return set(store.quads())


# ---------------------------------------------------------------------------------------------
# terms and hashes


def test_nt_term_escapes_and_checks():
    assert nt_term(URIRef("http://x.org/a")) == "<http://x.org/a>"
    assert nt_term(Literal('a "b"\n\\c\r')) == r'"a \"b\"\n\\c\r"'
    assert nt_term(Literal("x", lang="id")) == '"x"@id'
    assert nt_term(Literal("5", datatype=V.XSD.nonNegativeInteger)) == \
        '"5"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>'
    assert nt_term(Literal("s", datatype=V.XSD.string)) == '"s"'
    for bad in ["http://x.org/a b", "http://x.org/>", "relative", 'http://x.org/"']:
        with pytest.raises(InputError, match="not a valid IRI"):
            nt_term(URIRef(bad))


def test_content_hash_is_canonical():
    g, bg = article(1)
    a = ArticleData.from_graphs(ART, g, bg)
    shuffled = Graph()
    for t in reversed(sorted(g)):
        shuffled.add(t)
    assert ArticleData.from_graphs(ART, shuffled, bg).content_hash == a.content_hash
    g2, bg2 = article(2)
    assert ArticleData.from_graphs(ART, g2, bg2).content_hash != a.content_hash
    # a triple moved between the article graph and its background changes the hash
    moved = content_hash(a.lines[1:], sorted(a.background + a.lines[:1]))
    assert moved != a.content_hash and len(a.content_hash) == 64


# ---------------------------------------------------------------------------------------------
# opening


def test_open_store_by_location(tmp_path, monkeypatch):
    monkeypatch.delenv("KG_STORE_USER", raising=False)
    monkeypatch.delenv("KG_STORE_PASSWORD", raising=False)
    s = open_store(str(tmp_path / "new"))
    assert isinstance(s, OxigraphStore) and (tmp_path / "new").is_dir() and len(s) == 0
    s.close()
    r = open_store("http://127.0.0.1:1/query", "http://127.0.0.1:1/update", timeout=5)
    assert isinstance(r, SparqlStore) and r.update_url.endswith("/update") and r.timeout == 5
    assert open_store("https://example.org/sparql").update_url == "https://example.org/sparql"
    with pytest.raises(InputError, match="no such store"):
        open_store(str(tmp_path / "missing"), create=False)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_text("x")
    with pytest.raises(InputError, match="not an Oxigraph store"):
        open_store(str(tmp_path / "notes"))
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="is a file"):
        open_store(str(tmp_path / "file"))
    with pytest.raises(InputError, match="remote store"):
        open_store(str(tmp_path / "new"), update_endpoint="http://127.0.0.1:1/update")
    with pytest.raises(InputError, match="http"):
        open_store("ftp://example.org/sparql")


def test_embedded_store_is_locked_while_open(embedded):
    with pytest.raises(KgError, match="in use by another process"):
        OxigraphStore(embedded.location)


def test_credentials_never_in_url_or_messages(monkeypatch):
    with pytest.raises(InputError) as e:
        open_store("http://alice:s3cret@127.0.0.1:1/sparql")
    assert "s3cret" not in str(e.value) and "KG_STORE_PASSWORD" in str(e.value)
    monkeypatch.setenv("KG_STORE_AUTH", "kerberos")
    monkeypatch.setenv("KG_STORE_USER", "alice")
    with pytest.raises(InputError, match="basic or digest"):
        open_store("http://127.0.0.1:1/sparql")
    monkeypatch.setenv("KG_STORE_AUTH", "digest")
    assert open_store("http://127.0.0.1:1/sparql")._auth[2] == "digest"


# ---------------------------------------------------------------------------------------------
# writing: replace, hash, background union, atomicity (both backends)


def test_replace_article(any_store):
    store = any_store
    assert store.article_hash(ART) is None
    d1 = write(store, 1)
    assert store.article_hash(ART) == d1.content_hash == store.article_hashes([ART, V.KGR["article/x"]])[str(ART)]
    first = quadset(store)
    graphs = {g for *_, g in first}
    assert graphs == {ART, BACKGROUND_GRAPH, INGEST_GRAPH}
    assert (ART, CONTENT_HASH, Literal(d1.content_hash), INGEST_GRAPH) in first
    # offsets come back with their datatype (Oxigraph stores them as xsd:integer)
    assert (V.KGR["text/store-test/sentence/0"], V.KG.beginIndex, Literal("1", datatype=V.XSD.nonNegativeInteger), ART) in first
    headline = next(o for s, p, o, g in first if p == V.SCHEMA.headline)
    assert str(headline) == 'Versi 1: "kutipan"\nbaris \\ dua' and headline.language == "id"

    d2 = write(store, 2)
    second = quadset(store)
    assert store.article_hash(ART) == d2.content_hash
    in_article = {(s, p, o) for s, p, o, g in second if g == ART}
    g2, _ = article(2)
    assert len(in_article) == len(g2)  # the old version's graph is gone, not merged
    assert not any("Versi 1" in str(o) for s, p, o, g in second)
    # background is a union: kept from version 1, added from version 2
    bg = {(s, p, o) for s, p, o, g in second if g == BACKGROUND_GRAPH}
    assert (V.WD.Q1123764, V.WDT.P17, V.WD.Q399) in bg and (V.WD.Q1123764, V.SCHEMA.description, Literal("v2", lang="en")) in bg
    assert len([1 for *_, g in second if g == INGEST_GRAPH]) == 1


def test_write_is_all_or_nothing(any_store):
    """A request that fails part-way (a broken triple after the DROP) leaves the old version in place."""
    store = any_store
    d1 = write(store, 1)
    before = quadset(store)
    g2, bg2 = article(2)
    lines = nt_lines(g2)
    broken = lines[:3] + ["<http://x.org/s> <http://x.org/p> ."] + lines[3:]
    with pytest.raises(KgError):
        store.replace_article(ART, broken, nt_lines(bg2), "0" * 64)
    assert quadset(store) == before and store.article_hash(ART) == d1.content_hash


def test_write_many_new_and_replaced(any_store):
    """write_many takes new articles and replacements together; the store ends as one write each leaves it."""
    store = any_store
    write(store, 1)
    g2, bg2 = article(2)
    other = URIRef("https://w3id.org/geonews-kg/id/article/other")
    g3 = Graph()
    for s_, p_, o_ in g2:
        g3.add((other if s_ == ART else s_, p_, o_))
    datas = [ArticleData.from_graphs(ART, g2, bg2), ArticleData.from_graphs(other, g3, bg2)]
    store.write_many(datas)
    assert store.article_hash(ART) == datas[0].content_hash and store.article_hash(other) == datas[1].content_hash
    stored = {(s_, p_, o_) for s_, p_, o_, g in store.quads() if g == ART}
    assert stored == set(g2)  # the old version is gone
    assert {(s_, p_, o_) for s_, p_, o_, g in store.quads() if g == other} == set(g3)


GROUP_WRITER = """
import sys
from rdflib import URIRef
from kg.store import ArticleData, OxigraphStore, content_hash
store = OxigraphStore(sys.argv[1])
n = 0
while True:  # groups of 16 new articles of 3,000 triples, until killed
    datas = []
    for _ in range(16):
        art = URIRef(f"https://w3id.org/geonews-kg/id/article/g{n}")
        lines = [f'<{art}/m{i}> <http://x.org/p> "{n} {i}" .' for i in range(3000)]
        datas.append(ArticleData(art, lines, [], content_hash(lines, [])))
        n += 1
    store.write_many(datas)
    print(n, flush=True)
"""


def test_group_write_survives_kill(tmp_path):
    """SIGKILL while write_many loads groups (one bulk load each): after each of several kills at
    different moments, every article is either complete with its hash or absent."""
    import os
    import signal

    location = tmp_path / "killed"
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]) + os.pathsep
               + os.environ.get("PYTHONPATH", ""))
    for delay in (0.02, 0.1, 0.2):
        proc = subprocess.Popen([sys.executable, "-c", GROUP_WRITER, str(location)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env, text=True)
        try:
            line = proc.stdout.readline()  # one group written: the next one is under way
            assert line.strip().isdigit(), proc.stderr.read()
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
            proc.stderr.close()
        with OxigraphStore(location, create=False) as store:
            graphs = [g for g in store.named_graphs() if g != INGEST_GRAPH]
            hashes = store.article_hashes(graphs)
            assert len(graphs) >= 16 and len(graphs) % 16 == 0
            for g in graphs:
                count = sum(1 for _ in store.ox.quads_for_pattern(None, None, None, ox_node(g)))
                assert count == 3000 and str(g) in hashes, (g, count)
            assert len(hashes) == len(graphs)


def ox_node(iri):
    import pyoxigraph as ox

    return ox.NamedNode(str(iri))


def test_types_of(any_store):
    write(store := any_store, 1)
    types = store.types_of([V.WD.Q7035479, V.WD.Q1123764, URIRef("http://x.org/none")])
    assert set(types) == {(V.WD.Q7035479, RDF.type, V.KG.Person)}
    assert len(store.types_of([])) == 0
    # typed: the same answer from the embedded store's direct look-up and the remote query
    assert store.typed([V.WD.Q7035479, V.WD.Q1123764, "http://x.org/none"], V.KG.Person) == {str(V.WD.Q7035479)}
    assert store.typed([V.WD.Q7035479], V.KG.Organization) == set() and store.typed([], V.KG.Person) == set()


def test_embedded_and_remote_hold_the_same_quads(embedded, remote):
    for store in (embedded, remote):
        write(store, 1)
        write(store, 2)
        write(store, 2)
    assert quadset(embedded) == quadset(remote) and len(embedded) == len(remote)
    assert embedded.named_graphs() == remote.named_graphs()


# ---------------------------------------------------------------------------------------------
# export / import


@pytest.mark.parametrize("fmt,rdflib_format", [("trig", "trig"), ("nquads", "nquads"), ("jsonld", "json-ld"),
                                               ("turtle", "turtle")])
def test_export_formats(any_store, tmp_path, fmt, rdflib_format):
    write(any_store, 1)
    data = any_store.export(fmt)
    assert isinstance(data, bytes) and data
    if fmt == "turtle":
        g = Graph().parse(data=data, format="turtle")
        assert len(g) == len({(s, p, o) for s, p, o, _ in any_store.quads()})
    else:
        ds = Dataset()
        ds.parse(data=data, format=rdflib_format)
        assert {URIRef(g.identifier) for g in ds.graphs() if len(g)} >= {ART, BACKGROUND_GRAPH, INGEST_GRAPH}
        assert len(list(ds.quads())) == len(any_store)
    out = tmp_path / f"x.{fmt}"
    with out.open("wb") as fh:
        assert any_store.export(fmt, fh) is None
    assert out.read_bytes() == data
    with pytest.raises(InputError, match="unknown export format"):
        any_store.export("xml")


def test_export_import_round_trip(any_store, tmp_path):
    write(any_store, 1)
    path = tmp_path / "dump.trig"
    path.write_bytes(any_store.export("trig"))
    fresh = open_store(str(tmp_path / "fresh"))
    assert fresh.import_file(path) == len(any_store)
    assert quadset(fresh) == quadset(any_store)
    assert fresh.article_hash(ART) == any_store.article_hash(ART)  # idempotence survives a dump and load
    fresh.close()


def test_import_into_remote_and_errors(remote, tmp_path):
    emb = open_store(str(tmp_path / "e"))
    write(emb, 2)
    path = tmp_path / "dump.nq"
    path.write_bytes(emb.export("nquads"))
    remote.import_chunk = 3  # several requests
    assert remote.import_file(path) == len(emb)
    assert quadset(remote) == quadset(emb)
    emb.close()
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://x.org/> .\nex:a ex:b ex:c .\nex:a ex:b .\nex:d ex:e ex:f .\n", encoding="utf-8")
    for store in (remote,):
        with pytest.raises(InputError, match=r"bad\.ttl:3"):
            store.import_file(bad)
    (tmp_path / "x.csv").write_text("a,b\n")
    with pytest.raises(InputError, match="unknown RDF file type"):
        remote.import_file(tmp_path / "x.csv")
    with pytest.raises(InputError, match="no such file"):
        remote.import_file(tmp_path / "missing.trig")


def test_import_embedded_is_atomic(embedded, tmp_path):
    write(embedded, 1)
    before = quadset(embedded)
    bad = tmp_path / "bad.nq"
    bad.write_text("<http://x.org/a> <http://x.org/b> <http://x.org/c> <http://x.org/g> .\n<http://x.org/a> <http://x.org/b> .\n")
    with pytest.raises(InputError, match=r"bad\.nq:2"):
        embedded.import_file(bad)
    assert quadset(embedded) == before


def test_exported_store_conforms_to_the_shapes(any_store, tmp_path):
    """A real article written through the store, exported, validates (offset datatypes restored)."""
    from kg.ingest import commit
    from kg.pipeline import process
    from kg.read import Article
    from kg.validate import validate_file
    from tests_support import ID_TEXT

    graphs = process(Article(id="export-check", text=ID_TEXT, lang="id"), validate=False).graphs
    assert commit(any_store, graphs).status == "ingested"
    path = tmp_path / "out.trig"
    path.write_bytes(any_store.export("trig"))
    report = validate_file(path)
    assert report.conforms, report.text()


# ---------------------------------------------------------------------------------------------
# queries through the store, parameters bound as terms


def test_query_with_parameters_and_injection(any_store, tmp_path):
    write(any_store, 1)
    size = len(any_store)
    res = q.run(q.load_query("articles-mentioning-entity"), any_store, {"entity": "wd:Q7035479"})
    assert [q.short(r[2]) for r in res.rows] == ["kgr:article/store-test"]
    assert q.short(res.rows[0][1]) == "Nikol Pashinyan"
    with pytest.raises(InputError, match="parameter entity"):
        q.run(q.load_query("articles-mentioning-entity"), any_store, {"entity": "wd:Q1> } ; DROP ALL ; #"})
    rq = tmp_path / "label.rq"
    rq.write_text("# title: By label\n# answers: entities with exactly this label\n"
                  "# param label: literal, required — the label text\n"
                  "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                  "SELECT ?e WHERE { ?e rdfs:label ?l FILTER(STR(?l) = ?label) }\n", encoding="utf-8")
    qf = q.load_query(str(rq))
    assert [q.short(r[0]) for r in q.run(qf, any_store, {"label": "Nikol Pashinyan"}).rows] == ["wd:Q7035479"]
    for evil in ['x" } } ; DROP ALL ; SELECT * { "', "x' } ; CLEAR ALL ; #", 'x"""\n} DELETE WHERE { ?s ?p ?o } #\\']:
        assert q.run(qf, any_store, {"label": evil}).rows == []
    assert len(any_store) == size
    with pytest.raises(KgError):
        any_store.query("SELECT * WHERE { ?s ?p }")


def test_query_json_and_csv_from_remote(remote):
    write(remote, 1)
    res = q.run(q.load_query("entities-by-type"), remote, {"type": "kg:Person"})
    doc = json.loads(q.format_result(res, "json"))
    assert doc["results"]["bindings"][0]["entity"] == {"type": "uri", "value": str(V.WD.Q7035479)}
    assert "Nikol Pashinyan" in q.format_result(res, "csv")


# ---------------------------------------------------------------------------------------------
# remote errors: one line, naming the endpoint, never the password


class _Stub(BaseHTTPRequestHandler):
    """A SPARQL endpoint stub: checks HTTP basic credentials, can be slow."""

    expected = "Basic " + base64.b64encode(b"alice:s3cret-pw").decode()
    delay = 0.0
    seen: list = []

    def do_POST(self):  # noqa: N802
        type(self).seen.append(self.headers.get("Authorization"))
        time.sleep(self.delay)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.headers.get("Authorization") != self.expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="kg"')
            self.end_headers()
            return
        body = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "ok"}}]}})
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def stub():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    _Stub.delay, _Stub.seen = 0.0, []
    yield f"http://127.0.0.1:{srv.server_address[1]}/sparql"
    srv.shutdown()
    srv.server_close()


def test_basic_auth_from_environment(stub, monkeypatch):
    monkeypatch.setenv("KG_STORE_USER", "alice")
    monkeypatch.setenv("KG_STORE_PASSWORD", "s3cret-pw")
    monkeypatch.delenv("KG_STORE_AUTH", raising=False)
    res = open_store(stub).query("SELECT ?x WHERE { ?s ?p ?x }")
    assert [str(r[0]) for r in res.rows] == ["ok"] and _Stub.seen[-1] == _Stub.expected
    monkeypatch.setenv("KG_STORE_PASSWORD", "wrong-pw")
    with pytest.raises(KgError) as e:
        open_store(stub).query("SELECT ?x WHERE { ?s ?p ?x }")
    msg = str(e.value)
    assert stub in msg and "401" in msg and "wrong-pw" not in msg and "\n" not in msg
    monkeypatch.delenv("KG_STORE_USER")
    monkeypatch.delenv("KG_STORE_PASSWORD")
    with pytest.raises(KgError, match="no credentials"):
        open_store(stub).query("SELECT ?x WHERE { ?s ?p ?x }")


def test_timeout_and_connection_errors(stub, monkeypatch):
    monkeypatch.setenv("KG_STORE_USER", "alice")
    monkeypatch.setenv("KG_STORE_PASSWORD", "s3cret-pw")
    _Stub.delay = 3
    started = time.monotonic()
    with pytest.raises(KgError, match=r"no answer within 1 s"):
        open_store(stub, timeout=1).query("SELECT ?x WHERE { ?s ?p ?x }")
    assert time.monotonic() - started < 3
    port = free_port()
    with pytest.raises(KgError) as e:
        open_store(f"http://127.0.0.1:{port}/sparql", timeout=2).article_hash(ART)
    assert f"127.0.0.1:{port}" in str(e.value) and "cannot connect" in str(e.value)
    assert "s3cret-pw" not in str(e.value)


def test_server_rejects_update_on_query_endpoint(server):
    store = SparqlStore(server.query_url)  # update endpoint defaults to the query URL
    g, bg = article(1)
    with pytest.raises(KgError, match=r"SPARQL endpoint http://127\.0\.0\.1:\d+/query: "):
        store.write(ArticleData.from_graphs(ART, g, bg))


def test_construct_and_ask_through_the_store(any_store, tmp_path):
    write(any_store, 1)
    rq = tmp_path / "persons.rq"
    rq.write_text("# title: Persons\n# answers: persons as a graph (the word LOAD in a comment must not matter)\n"
                  "# param who: iri, optional — a person\n"
                  "PREFIX kg: <https://w3id.org/geonews-kg/ontology#>\n"
                  "CONSTRUCT { ?who a kg:Person } WHERE { ?who a kg:Person }\n", encoding="utf-8")
    res = q.run(q.load_query(str(rq)), any_store, {"who": "Q7035479"})
    assert res.vars == ["subject", "predicate", "object"] and res.rows == [(V.WD.Q7035479, RDF.type, V.KG.Person)]
    ask = tmp_path / "ask.rq"
    ask.write_text("# title: Any person?\n# answers: true when the graph has a person\n"
                   "PREFIX kg: <https://w3id.org/geonews-kg/ontology#>\nASK { ?p a kg:Person }\n", encoding="utf-8")
    assert q.run(q.load_query(str(ask)), any_store).boolean is True


def test_write_many_takes_an_article_bigger_than_a_load_whole(embedded, monkeypatch):
    """An article with more quads than one bulk load takes is written in one transaction instead (a load
    of several batches would not be atomic); the others still go in the group's load."""
    import kg.store as S

    monkeypatch.setattr(S, "BULK_MAX_QUADS", 50)
    datas = []
    for n, size in enumerate((10, 120, 10)):
        art = URIRef(f"https://w3id.org/geonews-kg/id/article/size-{n}")
        lines = [f'<{art}/m{i}> <http://x.org/p> "{i}" .' for i in range(size)]
        datas.append(ArticleData(art, lines, [], content_hash(lines, [])))
    writes = []
    real_write = S.OxigraphStore.write
    monkeypatch.setattr(S.OxigraphStore, "write", lambda self, d: (writes.append(d.article), real_write(self, d)))
    embedded.write_many(datas)
    assert writes == [datas[1].article]
    for d in datas:
        assert embedded.article_hash(d.article) == d.content_hash
        assert sum(1 for _ in embedded.ox.quads_for_pattern(None, None, None, ox_node(d.article))) == len(d.lines)
