"""kg.show: the self-contained HTML page of an article graph."""
from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg.vocab import ITSRDF, KG, KGR, NIF, SEM, WD, WDT

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "kontan-2022-09-13.txt"
WIKIDATA_PAGE = re.compile(r"^https://www\.wikidata\.org/wiki/Q\d+$")
VOID = {"meta", "br", "img", "input", "link", "hr", "wbr", "source", "area", "base", "col", "embed", "track"}


# ---------------------------------------------------------------- a tiny DOM

class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children: list = []  # Node or str

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.iter()

    def find_all(self, pred):
        return [n for n in self.iter() if pred(n)]


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]
        self.errors: list[str] = []
        self.all_attrs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.stack[-1])
        self.stack[-1].children.append(node)
        self.all_attrs.extend((tag, k, v or "") for k, v in attrs)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, attrs, self.stack[-1]))
        self.all_attrs.extend((tag, k, v or "") for k, v in attrs)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if self.stack[-1].tag != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1].tag}>")
            return
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> TreeBuilder:
    tb = TreeBuilder()
    tb.feed(html)
    tb.close()
    return tb


def attr_is(name, value=None):
    return lambda n: name in n.attrs and (value is None or n.attrs[name] == value)


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def seed_graph() -> Graph:
    import kg
    return kg.build(EXAMPLE.read_text(encoding="utf-8"), id="kontan-2022-09-13", published="2022-09-13", lang="id")


@pytest.fixture(scope="module")
def seed_html(seed_graph) -> str:
    from kg.show import render_article
    return render_article(seed_graph)


@pytest.fixture(scope="module")
def dom(seed_html) -> TreeBuilder:
    return parse(seed_html)


def graph_mentions(g: Graph):
    for m in set(g.subjects(ITSRDF.taIdentRef, None)):
        yield (m, int(g.value(m, NIF.beginIndex)), int(g.value(m, NIF.endIndex)), str(g.value(m, NIF.anchorOf)),
               g.value(m, ITSRDF.taIdentRef))


def is_nil(g: Graph, ent) -> bool:
    return (ent, RDF.type, KG.NILEntity) in g


def own_links(node: Node) -> list[Node]:
    """The <a> elements inside a mention that are not inside a nested mention."""
    out = []

    def walk(n):
        for c in n.children:
            if isinstance(c, Node):
                if "data-mention" in c.attrs or "data-mention-part" in c.attrs:
                    continue
                if c.tag == "a":
                    out.append(c)
                walk(c)
    walk(node)
    return out


# ---------------------------------------------------------------- the page

def test_page_is_well_formed(dom):
    assert dom.errors == []
    assert [n.tag for n in dom.stack] == ["#root"]


def test_every_mention_is_an_element_with_its_text(seed_graph, dom):
    mentions = list(graph_mentions(seed_graph))
    assert len(mentions) > 30
    for _, b, e, anchor, _ in mentions:
        found = dom.root.find_all(attr_is("data-mention", f"{b}-{e}"))
        assert len(found) == 1, (b, e, anchor)
        assert found[0].text() == anchor


def test_nested_mentions_render_inside_outer(dom):
    nested = [n for n in dom.root.find_all(attr_is("data-mention"))
              if any("data-mention" in p.attrs for p in _ancestors(n))]
    assert nested, "the seed text has offices and ministries with a country name inside"
    for n in nested:
        outer = next(p for p in _ancestors(n) if "data-mention" in p.attrs)
        ob, oe = map(int, outer.attrs["data-mention"].split("-"))
        b, e = map(int, n.attrs["data-mention"].split("-"))
        assert ob <= b and e <= oe


def _ancestors(n):
    p = n.parent
    while p is not None:
        yield p
        p = p.parent


def test_links_go_to_wikidata_and_nil_mentions_have_none(seed_graph, dom):
    nil_seen = 0
    for _, b, e, anchor, ent in graph_mentions(seed_graph):
        el = dom.root.find_all(attr_is("data-mention", f"{b}-{e}"))[0]
        links = own_links(el)
        if is_nil(seed_graph, ent):
            nil_seen += 1
            assert links == [], anchor
            assert el.attrs.get("data-nil") == "true"
            assert "NIL" in el.attrs["title"]
        else:
            qid = str(ent)[len(str(WD)):]
            assert links and all(a.attrs["href"] == f"https://www.wikidata.org/wiki/{qid}" for a in links), anchor
        assert el.attrs["data-type"] in el.attrs["class"].replace("t-", "")
        assert "confidence" in el.attrs["title"]
    assert nil_seen >= 3  # the publisher and the two ministries


def test_no_resource_loads_only_wikidata_links(seed_html, dom):
    for tag, name, value in dom.all_attrs:
        if name in ("src", "href", "xlink:href", "action", "data", "poster", "srcset", "background"):
            if re.match(r"\s*(https?:)?//", value, re.I):
                assert WIKIDATA_PAGE.match(value), (tag, name, value)
            assert name in ("href",), f"<{tag} {name}=...> may load a resource"
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", seed_html, re.I)
    assert "@import" not in seed_html
    assert not dom.root.find_all(lambda n: n.tag in ("link", "img", "iframe", "object", "embed", "source")
                                 or (n.tag == "script" and "src" in n.attrs))


def test_sentence_anchors_and_evidence_links(seed_graph, dom):
    ids = [n.attrs["id"] for n in dom.root.find_all(attr_is("id"))]
    assert len(ids) == len(set(ids))
    sent_ids = {n.attrs["id"] for n in dom.root.find_all(attr_is("data-sentence"))}
    n_sentences = len(set(seed_graph.subjects(RDF.type, NIF.Sentence)))
    assert len(sent_ids) == n_sentences
    evidence = dom.root.find_all(lambda n: n.tag == "a" and "evidence" in n.attrs.get("class", ""))
    assert evidence
    for a in evidence:
        assert a.attrs["href"].startswith("#") and a.attrs["href"][1:] in sent_ids
    # the anchor holds the sentence text
    for s in seed_graph.subjects(RDF.type, NIF.Sentence):
        el = dom.root.find_all(attr_is("data-sentence", str(s)))[0]
        b, e = int(seed_graph.value(s, KG.beginIndex)), int(seed_graph.value(s, KG.endIndex))
        assert str(seed_graph.value(s, NIF.anchorOf)).strip() in el.text() or el.text().strip() in \
            str(seed_graph.value(s, NIF.anchorOf))


def test_graph_has_nodes_and_edges_for_p39_facts(seed_graph, dom):
    svg = dom.root.find_all(lambda n: n.tag == "svg")
    assert len(svg) == 1
    nodes = {n.attrs["data-node"] for n in svg[0].find_all(attr_is("data-node"))}
    edges = {(n.attrs["data-edge"], n.attrs["data-from"], n.attrs["data-to"])
             for n in svg[0].find_all(attr_is("data-edge"))}
    p39 = [(s, o) for f in seed_graph.subjects(RDF.type, KG.Fact)
           for s, p, o in [(seed_graph.value(f, RDF.subject), seed_graph.value(f, RDF.predicate),
                            seed_graph.value(f, RDF.object))] if p == WDT.P39]
    assert len(p39) >= 4
    for s, o in p39:
        assert str(s) in nodes and str(o) in nodes
        assert ("P39", str(s), str(o)) in edges
    for ev in seed_graph.subjects(RDF.type, SEM.Event):
        assert str(ev) in nodes
    # claims are dashed, with a dashed speaker edge
    claims = set(seed_graph.subjects(RDF.type, KG.Claim))
    assert claims
    for c in claims:
        node = svg[0].find_all(attr_is("data-node", str(c)))[0]
        assert "claim" in node.attrs["class"]
        assert any("stroke-dasharray" in x.attrs for x in node.iter())
        speaker = [e for e in svg[0].find_all(attr_is("data-edge", "speaker")) if e.attrs["data-to"] == str(c)]
        assert speaker and any("stroke-dasharray" in x.attrs for x in speaker[0].iter())


def test_graph_layout_is_deterministic(seed_graph, seed_html):
    from kg.show import render_article
    assert render_article(seed_graph) == seed_html


def test_timeline_has_every_event_sorted_claims_marked(seed_graph, dom):
    items = dom.root.find_all(attr_is("data-event"))
    events = set(seed_graph.subjects(RDF.type, SEM.Event))
    assert {n.attrs["data-event"] for n in items} == {str(e) for e in events}
    whens = [n.attrs["data-when"] for n in items]
    dated = [w for w in whens if w]
    assert whens[: len(dated)] == dated and dated == sorted(dated)  # dated first, in order; undated last
    for n in items:
        ev = URIRef(n.attrs["data-event"])
        claim = (ev, RDF.type, KG.Claim) in seed_graph
        assert n.attrs["data-claim"] == ("true" if claim else "false")
        assert n.attrs["data-plover"] == str(seed_graph.value(ev, SEM.eventType)).rsplit("#", 1)[-1]
        if claim:
            assert "claim" in n.attrs["class"] and "claimed by" in n.text()
        assert n.find_all(lambda x: "evidence" in x.attrs.get("class", ""))


def test_facts_table(seed_graph, dom):
    rows = dom.root.find_all(attr_is("data-fact"))
    facts = set(seed_graph.subjects(RDF.type, KG.Fact))
    assert {r.attrs["data-fact"] for r in rows} == {str(f) for f in facts}
    p39 = [r for r in rows if r.attrs["data-property"] == "P39"]
    assert p39 and all("jabatan yang dipegang" in r.text() or "position held" in r.text() for r in p39)
    assert any("Nikol Pashinyan" in r.text() for r in p39)


def test_text_is_escaped_and_preserved():
    """A synthetic graph: markup in the text and labels comes out as text."""
    from rdflib.namespace import XSD

    from kg.show import render_article
    text = 'A <b>"x"</b> & Armenia </script><script>alert(1)</script>'
    g = Graph()
    a, ctx = KGR["article/t"], KGR[f"text/t#char=0,{len(text)}"]
    g.add((a, RDF.type, URIRef("http://schema.org/NewsArticle")))
    g.add((a, KG.context, ctx))
    g.add((ctx, NIF.isString, Literal(text)))
    b = text.index("Armenia")
    m = KGR[f"text/t#char={b},{b + 7}"]
    for p, o in [(NIF.beginIndex, Literal(b, datatype=XSD.nonNegativeInteger)),
                 (NIF.endIndex, Literal(b + 7, datatype=XSD.nonNegativeInteger)), (NIF.referenceContext, ctx),
                 (NIF.anchorOf, Literal("Armenia")), (ITSRDF.taIdentRef, WD.Q399), (ITSRDF.taClassRef, KG.Country)]:
        g.add((m, p, o))
    g.add((WD.Q399, RDF.type, KG.Country))
    g.add((WD.Q399, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal('Armenia <i>"&"</i>', lang="en")))
    html = render_article(g)
    assert "<script>alert" not in html and "<b>" not in html and "<i>" not in html
    tb = parse(html)
    assert tb.errors == []
    div = tb.root.find_all(lambda n: n.attrs.get("class") == "text")[0]
    assert div.text() == text
    el = tb.root.find_all(attr_is("data-mention", f"{b}-{b + 7}"))[0]
    assert el.text() == "Armenia" and 'Armenia <i>"&"</i>' in el.attrs["title"]


def test_crossing_spans_stay_well_formed(seed_graph):
    """A mention that crosses a sentence end and another mention still renders, nested properly."""
    from kg.show import render_article
    g = Graph()
    for t in seed_graph:
        g.add(t)
    ctx = next(g.subjects(RDF.type, NIF.Context))
    text = str(g.value(ctx, NIF.isString))
    sents = sorted((int(g.value(s, KG.beginIndex)), int(g.value(s, KG.endIndex)))
                   for s in g.subjects(RDF.type, NIF.Sentence))
    (b1, e1), (b2, _) = sents[1], sents[2]
    extra = [(e1 - 3, b2 + 4)]
    ms = sorted((int(g.value(m, NIF.beginIndex)), int(g.value(m, NIF.endIndex)))
                for m in g.subjects(ITSRDF.taIdentRef, None))
    mb, me = ms[3]
    extra.append((mb + 1, me + 5))  # overlaps a real mention partly
    for b, e in extra:
        m = KGR[f"text/x#char={b},{e}"]
        g.add((m, NIF.beginIndex, Literal(b)))
        g.add((m, NIF.endIndex, Literal(e)))
        g.add((m, NIF.referenceContext, ctx))
        g.add((m, ITSRDF.taIdentRef, WD.Q399))
        g.add((m, ITSRDF.taClassRef, KG.Country))
    tb = parse(render_article(g))
    assert tb.errors == []
    div = tb.root.find_all(lambda n: n.attrs.get("class") == "text")[0]
    assert div.text() == text
    el = tb.root.find_all(attr_is("data-mention", f"{extra[0][0]}-{extra[0][1]}"))
    assert el and el[0].text() == text[extra[0][0]:extra[0][1]]


def test_render_file_and_show(seed_graph, tmp_path, capsys):
    from kg.show import render_file, show
    ttl = tmp_path / "seed.ttl"
    seed_graph.serialize(ttl, format="turtle")
    html = render_file(ttl)
    assert 'data-mention="' in html
    out = tmp_path / "seed.html"
    assert show(str(ttl), str(out)) == out.read_text(encoding="utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp file left behind
    txt = tmp_path / "a.txt"
    txt.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    out2 = tmp_path / "a.html"
    show(str(txt), str(out2), published="2022-09-13", lang="id")
    tb = parse(out2.read_text(encoding="utf-8"))
    assert tb.root.find_all(attr_is("data-fact", "https://w3id.org/geonews-kg/id/article/a/fact/2"))
    show(str(ttl), "-")
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")


def test_show_errors(tmp_path):
    from kg.errors import KgError
    from kg.show import show
    with pytest.raises(KgError):
        show(str(tmp_path / "missing.txt"), str(tmp_path / "x.html"))
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(KgError):
        show(str(bad), str(tmp_path / "x.html"))
    empty = tmp_path / "empty.ttl"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(KgError):
        show(str(empty), str(tmp_path / "x.html"))


def test_render_text():
    from kg.show import render_text
    from tests_support import ID_TEXT
    html = render_text(ID_TEXT, lang="id", published="2022-09-13")
    assert "https://www.wikidata.org/wiki/Q7035479" in html  # Nikol Pashinyan


# ---------------------------------------------------------------- in a real browser

CHROMIUM = "/usr/bin/chromium"
# The flags of the brief, plus a resolver that resolves no host: a request the page made could not leave
# the machine even if the checks below missed it (Chromium itself calls Google services at start-up).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 "--host-resolver-rules=MAP * ~NOTFOUND"]


def chromium_or_skip() -> str:
    """The Chromium executable and Playwright, or a skip (a failure when KG_REQUIRE_BROWSER is set, as in .ci/run)."""
    exe = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    why = None
    if exe is None:
        why = "chromium is not installed (/usr/bin/chromium absent; .ci/run installs it): browser test skipped"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            why = "playwright is not installed (pip install '.[test]'): browser test skipped"
    if why:
        if os.environ.get("KG_REQUIRE_BROWSER"):
            pytest.fail(why.replace("skipped", "required by KG_REQUIRE_BROWSER"))
        pytest.skip(why)
    return exe


def load_in_chromium(html_path: Path, profile: Path, script: str):
    """Open a page from disk in headless Chromium, run ``script`` (a JS function body's expression) on the
    loaded DOM. Returns (its result, every request the page made, page errors and console errors).

    Requests are recorded at the browser-context level (frames, workers, prefetches); any that is not the
    page itself or a data: URI is also aborted."""
    from playwright.sync_api import sync_playwright

    exe = chromium_or_skip()
    uri = html_path.resolve().as_uri()
    requests: list[str] = []
    errors: list[str] = []

    def route(r):
        url = r.request.url
        requests.append(url)
        if url == uri or url.startswith("data:"):
            r.continue_()
        else:
            r.abort()

    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(str(profile), executable_path=exe, headless=True,
                                                    args=CHROMIUM_ARGS)
        try:
            ctx.route("**/*", route)
            ctx.on("request", lambda r: requests.append(r.url))
            page = ctx.new_page()
            page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
            page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
            page.goto(uri, wait_until="load")
            page.wait_for_timeout(300)  # anything the page would fetch after load
            result = page.evaluate(script)
        finally:
            ctx.close()
    return result, requests, errors


def assert_offline(requests: list[str], html_path: Path) -> None:
    uri = html_path.resolve().as_uri()
    assert requests, "the page load itself was not recorded"
    assert {u for u in requests if not u.startswith("data:")} == {uri}, requests


ARTICLE_DOM = """() => ({
  mentions: Array.from(document.querySelectorAll('[data-mention]')).map(e => [e.dataset.mention, e.textContent]),
  nodes: Array.from(document.querySelectorAll('svg.graph [data-node]')).map(e => e.dataset.node),
  nodeBoxes: Array.from(document.querySelectorAll('svg.graph [data-node]')).map(e => e.getBBox().width),
  timeline: Array.from(document.querySelectorAll('ol.timeline li[data-event]')).map(e => [e.dataset.event, e.dataset.when]),
  facts: Array.from(document.querySelectorAll('tr[data-fact]')).map(e => e.dataset.fact),
  hover: (() => { const inGraph = new Set(Array.from(document.querySelectorAll('svg [data-entity]'))
                                             .map(e => e.dataset.entity));
                  const m = Array.from(document.querySelectorAll('[data-mention]'))
                                 .find(e => inGraph.has(e.dataset.entity));
                  m.dispatchEvent(new MouseEvent('mouseenter'));
                  const iri = m.dataset.entity;
                  return Array.from(document.querySelectorAll('.hl')).every(e => e.dataset.entity === iri)
                         && document.querySelectorAll('svg .hl').length > 0; })(),
})"""


def page_dom(html: str, tmp_path: Path, name: str, script: str):
    """What ``script`` reads from the page ``html`` (saved as ``name``) in headless Chromium, after
    checking that the page asked for nothing outside itself and raised no error."""
    chromium_or_skip()
    page = tmp_path / name
    page.write_text(html, encoding="utf-8")
    dom, requests, errors = load_in_chromium(page, tmp_path / "profile", script)
    assert_offline(requests, page)
    assert errors == []
    return dom


def test_page_loads_in_headless_chromium(seed_graph, seed_html, tmp_path):
    """The article page in a real browser: mentions, graph nodes, timeline and facts in the DOM, no request out."""
    dom = page_dom(seed_html, tmp_path, "seed.html", ARTICLE_DOM)
    got = dict(map(tuple, dom["mentions"]))
    want = {f"{b}-{e}": anchor for _, b, e, anchor, _ in graph_mentions(seed_graph)}
    assert got == want
    nodes = set(dom["nodes"])
    for f in seed_graph.subjects(RDF.type, KG.Fact):
        assert {str(seed_graph.value(f, RDF.subject)), str(seed_graph.value(f, RDF.object))} <= nodes
    events = {str(e) for e in seed_graph.subjects(RDF.type, SEM.Event)}
    assert events <= nodes
    assert all(w > 0 for w in dom["nodeBoxes"]), "a graph node is not laid out"
    assert {e for e, _ in dom["timeline"]} == events
    assert set(dom["facts"]) == {str(f) for f in seed_graph.subjects(RDF.type, KG.Fact)}
    assert dom["hover"], "hovering a mention highlights the entity in the text and the graph"


def test_request_recording_catches_a_remote_resource(tmp_path):
    """The browser check is not blind: a page that loads an image from the web is caught."""
    chromium_or_skip()
    page = tmp_path / "leaky.html"
    page.write_text('<!DOCTYPE html><html><body><p id="x">x</p><img src="https://www.wikidata.org/static/x.png">'
                    '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></body></html>', encoding="utf-8")
    dom, requests, _ = load_in_chromium(page, tmp_path / "profile", "() => document.getElementById('x').textContent")
    assert dom == "x"
    with pytest.raises(AssertionError):
        assert_offline(requests, page)
    assert "https://www.wikidata.org/static/x.png" in requests
