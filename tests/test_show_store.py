"""kg show --store: the entity view and the overview of a store, from the library, the CLI and in a browser.

The store holds three articles run through the real pipeline and ingested with kg.ingest: the seed article
and two short Indonesian texts written for the tests. What each page must list is computed independently,
with the shipped queries (kg.query) over the same store.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rdflib import URIRef
from typer.testing import CliRunner

from kg import query as q
from kg.errors import InputError, KgError
from kg.vocab import KGR, WD
from test_show import EXAMPLE, attr_is, chromium_or_skip, page_dom, parse
from tests_support import ID_TEXT

pytestmark = [pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
              pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")]

# QIDs as the test fixtures elsewhere use them (tests/test_ingest.py, tests/test_show.py)
PASHINYAN, PM_ARMENIA, ARMENIA = WD.Q7035479, WD.Q1123764, WD.Q399
T1 = ("MOSKWA - Presiden Rusia Vladimir Putin menerima Perdana Menteri Armenia Nikol Pashinyan di Kremlin pada Selasa. "
      "Kementerian Luar Negeri Rusia menyebut keduanya membahas gencatan senjata di perbatasan Armenia dan Azerbaijan.")
NIL_MFA_RUSSIA = KGR["entity/governmentorganization/ministry-of-foreign-affairs-of-russia"]
ARTICLES = [("kontan-2022-09-13", "seed", "2022-09-13"), ("moskwa-1", T1, "2022-09-20"), ("paris-1", ID_TEXT, "2022-10-03")]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    from kg.ingest import ingest
    from kg.read import Article
    from kg.store import open_store

    path = tmp_path_factory.mktemp("show-store") / "store"
    items = [Article(i, EXAMPLE.read_text(encoding="utf-8") if t == "seed" else t, "id", date.fromisoformat(d),
                     source=f"{i}.txt") for i, t, d in ARTICLES]
    with open_store(path) as st:
        summary = ingest(items, st)
    assert summary.ingested == 3, summary.text()
    return path


@pytest.fixture
def store(store_path):
    """Opened per test: an embedded store is locked while open, and the CLI tests open it themselves."""
    from kg.store import open_store
    st = open_store(store_path, create=False)
    yield st
    st.close()


def rows(store, name: str, **params) -> list[dict]:
    return q.run(q.load_query(name), store, params).dicts()


@pytest.fixture(scope="module")
def pashinyan_html(store_path) -> str:
    from kg.show import render_store
    from kg.store import open_store
    with open_store(store_path, create=False) as st:
        return render_store(st, PASHINYAN)


# ---------------------------------------------------------------- the entity view

def test_entity_view_lists_every_article_newest_first_with_the_mention_marked(store, pashinyan_html):
    tb = parse(pashinyan_html)
    assert tb.errors == []
    want = {str(r["article"]): str(r["published"]) for r in rows(store, "articles-mentioning-entity", entity="Q7035479")}
    assert len(want) == 3
    items = [n for n in tb.root.find_all(attr_is("data-article")) if n.tag == "li"]
    assert [n.attrs["data-article"] for n in items] == sorted(want, key=lambda a: want[a], reverse=True)
    anchors = {str(r["anchor"]) for r in rows(store, "mentions-of-entity", entity="Q7035479")}
    for li in items:
        assert li.attrs["data-published"] == want[li.attrs["data-article"]]
        marks = li.find_all(lambda n: n.tag == "mark")
        assert len(marks) == 1 and marks[0].text() in anchors
        assert li.attrs["id"] and f'href="#{li.attrs["id"]}"' in pashinyan_html  # events/facts link to it


def test_entity_view_facts_with_the_article_and_sentence_that_say_so(store, pashinyan_html):
    tb = parse(pashinyan_html)
    facts = rows(store, "facts-with-evidence", subject="Q7035479")
    assert facts and all(r["predicate"] == URIRef("http://www.wikidata.org/prop/direct/P39") for r in facts)
    [row] = tb.root.find_all(attr_is("data-statement", "P39"))
    assert row.attrs["data-subject"] == str(PASHINYAN) and row.attrs["data-object"] == str(PM_ARMENIA)
    assert int(row.attrs["data-articles"]) == len({r["article"] for r in facts}) == 3
    sources = {n.attrs["data-fact"]: n for n in row.find_all(attr_is("data-fact"))}
    assert set(sources) == {str(r["fact"]) for r in facts}
    for r in facts:
        li = sources[str(r["fact"])]
        assert li.find_all(attr_is("data-article", str(r["article"])))
        assert " ".join(str(r["evidence"]).split())[:60] in li.text()


def test_entity_view_timeline_has_every_event_it_takes_part_in(store, pashinyan_html):
    tb = parse(pashinyan_html)
    timeline = [r for r in rows(store, "entity-timeline", entity="Q7035479") if str(r["kind"]) in ("event", "claim")]
    want: dict[str, set] = {}
    for r in rows(store, "events"):
        for role, var in (("actor", "actor"), ("target", "target"), ("place", "place"), ("speaker", "speaker")):
            if r.get(var) == PASHINYAN:
                want.setdefault(str(r["event"]), set()).add(role)
    assert len(want) >= 3 and len(timeline) >= len(want)
    items = tb.root.find_all(lambda n: n.tag == "li" and "data-event" in n.attrs)
    assert {n.attrs["data-event"]: set(n.attrs["data-role"].split()) for n in items} == want
    whens = [n.attrs["data-when"] for n in items]
    assert whens == sorted(whens)  # over time
    for n in items:
        assert n.find_all(lambda x: x.tag == "q" and "ev" in x.attrs.get("class", ""))  # the evidence sentence


def test_entity_view_graph_and_neighbours(store, pashinyan_html):
    tb = parse(pashinyan_html)
    [svg] = tb.root.find_all(lambda n: n.tag == "svg" and "graph" in n.attrs.get("class", ""))
    nodes = {n.attrs["data-node"] for n in svg.find_all(attr_is("data-node"))}
    assert {str(PASHINYAN), str(PM_ARMENIA), str(ARMENIA)} <= nodes
    edges = {(n.attrs["data-edge"], n.attrs["data-to"]) for n in svg.find_all(attr_is("data-edge"))}
    assert ("fact", str(PM_ARMENIA)) in edges
    co = rows(store, "co-mentions", entity="Q7035479")
    assert co
    together = {n.attrs["data-co"] for n in tb.root.find_all(attr_is("data-co"))}
    assert {str(r["other"]) for r in co} <= together  # same-sentence partners are also same-article partners
    assert 'href="https://www.wikidata.org/wiki/Q7035479"' in pashinyan_html


def test_entity_view_kb_facts_and_a_nil_entity(store):
    from kg.show import render_store
    html = render_store(store, ARMENIA)
    tb = parse(html)
    assert tb.errors == []
    kb = tb.root.find_all(attr_is("data-kb", "P17"))
    assert kb and any(str(PM_ARMENIA) in str(n.find_all(attr_is("data-entity"))[0].attrs["data-entity"]) for n in kb)
    nil = parse(render_store(store, NIL_MFA_RUSSIA))
    [h] = nil.root.find_all(attr_is("data-entity-view"))
    assert "NIL" in h.text()
    assert not [a for a in nil.root.find_all(lambda n: n.tag == "a")
                if a.attrs.get("href", "").endswith("ministry-of-foreign-affairs-of-russia")]
    assert nil.root.find_all(attr_is("data-statement", "P17"))


def test_limit_bounds_the_lists(store):
    from kg.show import render_store
    tb = parse(render_store(store, ARMENIA, limit=1))
    assert len([n for n in tb.root.find_all(attr_is("data-article")) if n.tag == "li"]) == 1
    assert len(tb.root.find_all(lambda n: n.tag == "li" and "data-event" in n.attrs)) == 1
    assert "The newest 1 of 3 articles are listed" in "".join(n.text() for n in tb.root.find_all(
        lambda n: "more" in n.attrs.get("class", "")))


# ---------------------------------------------------------------- the overview

def test_overview_ranks_entities_and_anchors_their_sections(store):
    from kg.show import OVERVIEW_SECTIONS, render_store
    html = render_store(store)
    tb = parse(html)
    assert tb.errors == []
    ranked = [(n.attrs["data-top-entity"], int(n.find_all(lambda x: x.tag == "td")[3].text()))
              for n in tb.root.find_all(attr_is("data-top-entity"))]
    counts: dict[str, set] = {}
    for r in rows(store, "articles-mentioning-entity"):
        counts.setdefault(str(r["entity"]), set()).add(r["article"])
    assert [c for _, c in ranked] == sorted((len(v) for v in counts.values()), reverse=True)[:len(ranked)]
    assert all(len(counts[e]) == c for e, c in ranked)
    ids = {n.attrs["id"] for n in tb.root.find_all(attr_is("id"))}
    sections = tb.root.find_all(attr_is("data-section-entity"))
    assert len(sections) == min(OVERVIEW_SECTIONS, len(ranked))
    for e, _ in ranked[:len(sections)]:
        links = [a for a in tb.root.find_all(lambda n: n.tag == "a" and n.attrs.get("data-entity") == e)
                 if a.attrs["href"].startswith("#")]
        assert links and all(a.attrs["href"][1:] in ids for a in links)
    listed = {n.attrs["data-article"] for n in tb.root.find_all(lambda n: n.tag == "tr" and "data-article" in n.attrs)}
    assert listed == {str(r["article"]) for r in rows(store, "articles-mentioning-entity")}
    n_events = len({r["event"] for r in rows(store, "events")})
    assert f"{n_events} events" in tb.root.find_all(attr_is("data-store-view"))[0].text()


def test_ids_are_unique_and_every_internal_link_has_a_target(store, pashinyan_html):
    from kg.show import render_store
    for html in (pashinyan_html, render_store(store), render_store(store, ARMENIA)):
        tb = parse(html)
        ids = [n.attrs["id"] for n in tb.root.find_all(attr_is("id"))]
        assert len(ids) == len(set(ids))
        internal = {a.attrs["href"][1:] for a in tb.root.find_all(lambda n: n.tag == "a")
                    if a.attrs.get("href", "").startswith("#")}
        assert internal and internal <= set(ids)


def test_markup_in_the_store_is_escaped(tmp_path):
    from kg.show import render_store
    from kg.store import open_store
    ttl = tmp_path / "x.trig"
    ttl.write_text("""
@prefix schema: <http://schema.org/> . @prefix kg: <https://w3id.org/geonews-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix wd: <http://www.wikidata.org/entity/> .
<https://w3id.org/geonews-kg/id/article/x> {
  <https://w3id.org/geonews-kg/id/article/x> a schema:NewsArticle ; schema:identifier "x</li><script>alert(1)</script>" ;
     schema:headline "<b>bold</b> & co" ; schema:url "javascript:alert(1)" ; schema:mentions wd:Q399 .
  wd:Q399 a kg:Country ; rdfs:label "Armenia <img src=x onerror=alert(1)>"@en .
}""", encoding="utf-8")
    with open_store(tmp_path / "s") as st:
        st.import_file(ttl)
        for html in (render_store(st), render_store(st, ARMENIA)):
            tb = parse(html)
            assert tb.errors == []
            assert "<script>alert" not in html and "<img" not in html and "<b>bold" not in html
            assert "javascript:" not in html
            assert not tb.root.find_all(lambda n: n.tag == "img" or (n.tag == "script" and "src" in n.attrs))


# ---------------------------------------------------------------- entity argument, errors, CLI

@pytest.mark.parametrize("value", ["Q7035479", "wd:Q7035479", "<http://www.wikidata.org/entity/Q7035479>",
                                   "http://www.wikidata.org/entity/Q7035479", "https://www.wikidata.org/wiki/Q7035479"])
def test_parse_entity_forms(value):
    from kg.show import parse_entity
    assert parse_entity(value) == PASHINYAN


@pytest.mark.parametrize("value", ["Q", "Q12x", "q0", "wd:P39", "kgr:entity/Bad Name", "https://example.org/Q1", ""])
def test_parse_entity_rejects_malformed(value):
    from kg.show import parse_entity
    with pytest.raises(InputError):
        parse_entity(value)


def test_entity_by_name(store):
    from kg.show import resolve_entity
    assert resolve_entity(store, "nikol pashinyan") == PASHINYAN
    assert resolve_entity(store, "Kementerian Luar Negeri Rusia") == NIL_MFA_RUSSIA
    with pytest.raises(InputError, match="no entity"):
        resolve_entity(store, "Atlantis")


def test_background_graph_is_the_one_ingest_writes():
    from kg.rdf import BACKGROUND_GRAPH
    from kg.show import BACKGROUND_GRAPH as SHOWN
    assert SHOWN == BACKGROUND_GRAPH


def run_cli(*args):
    from kg.cli import app
    return CliRunner().invoke(app, ["show", *args])


def test_cli_store_views_written_atomically(store_path, tmp_path):
    out = tmp_path / "p.html"
    r = run_cli("--store", str(store_path), "--entity", "Q7035479", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["p.html"]
    r = run_cli("--store", str(store_path), "-o", "-")
    assert r.exit_code == 0 and 'data-store-view="overview"' in r.stdout


@pytest.mark.parametrize("args, fragment", [
    (["--store", "{missing}"], "no such store"),
    (["--store", "{store}", "--entity", "Q12x"], "not a Wikidata QID"),
    (["--store", "{store}", "--entity", "Q1"], "not in the store"),
    (["--store", "{store}", "--entity", "Atlantis"], "no entity"),
    (["--store", "{store}", "--lang", "fr"], "--lang"),
    (["--store", "{store}", "--limit", "0"], "--limit"),
    (["{example}", "--store", "{store}"], "either INPUT"),
    ([], "either INPUT"),
    (["{example}", "--entity", "Q399"], "--entity needs --store"),
    (["--store", "ftp://example.org/sparql"], "http"),
])
def test_cli_bad_input_one_line_exit_2(store_path, tmp_path, args, fragment):
    out = tmp_path / "x.html"
    subst = {"missing": str(tmp_path / "nope"), "store": str(store_path), "example": str(EXAMPLE)}
    r = run_cli(*[a.format(**subst) for a in args], "-o", str(out))
    assert r.exit_code == 2, r.output
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("kg: ") and fragment in lines[0], r.stderr
    assert not out.exists() and not (tmp_path / "nope").exists()


def test_remote_store_gives_the_same_pages(store, tmp_path):
    """A SPARQL endpoint (`oxigraph serve`) holding the same quads renders the same pages."""
    from kg.show import render_store
    from test_store import OxigraphServer

    dump = tmp_path / "all.nq"
    dump.write_bytes(store.export("nquads"))
    srv = OxigraphServer(tmp_path / "server")
    try:
        remote = srv.store()
        remote.import_file(dump)
        for entity in (PASHINYAN, None):
            local_html = render_store(store, entity).replace(store.location, "STORE")
            remote_html = render_store(remote, entity).replace(remote.location, "STORE")
            assert remote_html == local_html
    finally:
        srv.stop()


# ---------------------------------------------------------------- in a real browser

STORE_DOM = """() => {
  const out = {
    articles: Array.from(document.querySelectorAll('#list-articles li[data-article]')).map(e => e.dataset.article),
    facts: Array.from(document.querySelectorAll('[data-statement] li[data-fact]')).map(e => e.dataset.fact),
    events: Array.from(document.querySelectorAll('#list-events li[data-event]')).map(e => e.dataset.event),
    nodes: Array.from(document.querySelectorAll('svg.graph [data-node]')).map(e => e.dataset.node),
    drawn: Array.from(document.querySelectorAll('svg.graph [data-node]')).every(e => e.getBBox().width > 0),
  };
  const box = document.querySelector('input[data-filter="list-articles"]');
  box.value = 'paris'; box.dispatchEvent(new Event('input'));
  out.visibleAfterFilter = Array.from(document.querySelectorAll('#list-articles li[data-article]'))
                                .filter(e => e.offsetParent !== null).map(e => e.dataset.article);
  return out;
}"""


def test_store_view_in_headless_chromium(store, pashinyan_html, tmp_path):
    dom = page_dom(pashinyan_html, tmp_path, "pashinyan.html", STORE_DOM)
    assert set(dom["articles"]) == {str(r["article"]) for r in rows(store, "articles-mentioning-entity",
                                                                       entity="Q7035479")}
    assert set(dom["facts"]) == {str(r["fact"]) for r in rows(store, "facts-with-evidence", subject="Q7035479")}
    events = {str(r["event"]) for r in rows(store, "events")
              if PASHINYAN in (r.get("actor"), r.get("target"), r.get("place"), r.get("speaker"))}
    assert set(dom["events"]) == events
    assert {str(PASHINYAN), str(PM_ARMENIA)} <= set(dom["nodes"]) and dom["drawn"]
    assert dom["visibleAfterFilter"] == [str(KGR["article/paris-1"])]


def test_overview_in_headless_chromium(store, tmp_path):
    from kg.show import render_store
    chromium_or_skip()  # before rendering: no browser, no work
    dom = page_dom(render_store(store), tmp_path, "overview.html", """() => ({
      top: document.querySelectorAll('[data-top-entity]').length,
      sections: Array.from(document.querySelectorAll('[data-section-entity]')).map(e => e.id),
      targets: Array.from(document.querySelectorAll('#top-entities a[href^="#"]'))
                    .every(a => document.getElementById(a.getAttribute('href').slice(1)) !== null),
      articles: document.querySelectorAll('#list-articles tr[data-article]').length,
      events: document.querySelectorAll('#list-events li[data-event]').length })""")
    assert dom["top"] > 10 and dom["sections"] and dom["targets"] and dom["articles"] == 3 and dom["events"] > 5
