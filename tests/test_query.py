"""The shipped SPARQL queries and kg.query: headers, expected rows on hand-written sample graphs,
parameter binding (never pasted into query text), rdflib == pyoxigraph, output formats. No network."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from kg import query as q
from kg.errors import InputError

ox = pytest.importorskip("pyoxigraph")

# rdflib's own Dataset code trips its deprecation of default_context; not ours to fix
pytestmark = pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")

DATA = Path(__file__).resolve().parent / "data" / "query"
ARTICLE = DATA / "article.ttl"
ARTICLE2 = DATA / "article2.ttl"
G1 = URIRef("https://w3id.org/geonews-kg/id/graph/article/query-sample-1")
G2 = URIRef("https://w3id.org/geonews-kg/id/graph/article/query-sample-2")

WD = "http://www.wikidata.org/entity/"
XSD_ = "http://www.w3.org/2001/XMLSchema#"
NIL = "kgr:entity/governmentorganization/ministry-of-defence/azerbaijan"
ART1 = "kgr:article/query-sample-1"
REQUIRED_QUERIES = {"entities-by-type", "offices-held", "co-mentions", "facts-with-evidence", "nil-entities",
                    "mentions-of-entity", "events"}
# parameters needed to run every query at least once
NEEDED = {"mentions-of-entity": {"entity": "Q399"}, "events-between": {"entity": "Q227", "other": "Q399"}}


# ---------------------------------------------------------------------------------------------
# data in both engines, single article (default graph) and dataset (one named graph per article)


def _rdflib_single() -> Graph:
    return Graph().parse(ARTICLE, format="turtle")


def _rdflib_dataset() -> Dataset:
    ds = Dataset()  # default_union stays False: run() must still see every graph
    ds.graph(G1).parse(ARTICLE, format="turtle")
    ds.graph(G2).parse(ARTICLE2, format="turtle")
    return ds


def _ox_single():
    store = ox.Store()
    store.load(path=str(ARTICLE), format=ox.RdfFormat.TURTLE)
    return store


def _ox_dataset():
    store = ox.Store()
    store.load(path=str(ARTICLE), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(G1)))
    store.load(path=str(ARTICLE2), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(G2)))
    return store


MAKERS = {
    ("rdflib", "single"): _rdflib_single, ("oxigraph", "single"): _ox_single,
    ("rdflib", "dataset"): _rdflib_dataset, ("oxigraph", "dataset"): _ox_dataset,
}


@pytest.fixture(scope="module")
def stores():
    return {key: make() for key, make in MAKERS.items()}


@pytest.fixture(params=["rdflib", "oxigraph"])
def single(request, stores):
    return stores[(request.param, "single")]


@pytest.fixture(params=["rdflib", "oxigraph"])
def dataset(request, stores):
    return stores[(request.param, "dataset")]


def rows(qname: str, data, **params) -> list[dict[str, str]]:
    """Run a shipped query; rows as dicts of readable strings (prefixed IRIs, literal text, '' unbound)."""
    res = q.run(q.load_query(qname), data, params)
    return [{v: q.short(t) for v, t in zip(res.vars, r)} for r in res.rows]


def col(rs: list[dict[str, str]], var: str) -> list[str]:
    return [r[var] for r in rs]


# ---------------------------------------------------------------------------------------------
# query files and headers


def test_shipped_queries_present():
    names = {qf.name for qf in q.list_queries()}
    assert REQUIRED_QUERIES <= names


@pytest.mark.parametrize("path", sorted(Path(q.queries_dir()).glob("*.rq")), ids=lambda p: p.stem)
def test_header_well_formed(path):
    text = path.read_text(encoding="utf-8")
    header = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if not line.startswith("#"):
            break
        header.append(line)
    assert re.match(r"^# title: \S", header[0]), "first line must be '# title: ...'"
    assert re.match(r"^# answers: \S", header[1]), "second line must be '# answers: ...'"
    param_lines = [h for h in header if h.startswith("# param")]
    for line in param_lines:
        assert re.match(r"^# param [a-z][A-Za-z0-9_]*: (iri|literal|lang|date|integer|decimal|boolean), "
                        r"(optional|required) — \S", line), line
    qf = q.load_query(path.stem)
    assert qf.title and qf.title != qf.name and qf.answers
    assert len(qf.params) == len(param_lines)
    for p in qf.params:
        assert p.doc and p.kind in q.KINDS and p.name in q.query_variables(text)
    # '# columns:' lists exactly the variables the query returns
    assert qf.columns, "declare '# columns: ...'"
    res = q.run(qf, _rdflib_single(), NEEDED.get(qf.name, {}))
    assert tuple(res.vars) == qf.columns
    # standard SPARQL only: no GRAPH clause (queries run over the union default graph), no SERVICE
    assert not re.search(r"\b(GRAPH|SERVICE)\b", text.split("SELECT", 1)[1])


def test_load_query_by_name_file_name_and_path(tmp_path):
    a = q.load_query("offices-held")
    b = q.load_query("offices-held.rq")
    c = q.load_query(str(a.path))
    assert a.text == b.text == c.text and a.name == b.name == c.name == "offices-held"
    assert [p.name for p in a.params] == ["person", "office", "lang"]


def test_load_query_unknown_lists_available():
    with pytest.raises(InputError) as e:
        q.load_query("who-is-president")
    msg = str(e.value)
    assert "who-is-president" in msg and "offices-held" in msg and "co-mentions" in msg
    with pytest.raises(InputError, match="does not exist"):
        q.load_query("nowhere/missing.rq")


def test_user_query_file_header(tmp_path):
    ok = tmp_path / "mine.rq"
    ok.write_text("# title: Mine\n# answers: anchors\n# param anchor: literal, required — text\n"
                  "PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>\n"
                  "SELECT ?m WHERE { ?m nif:anchorOf ?anchor }\n", encoding="utf-8")
    qf = q.load_query(str(ok))
    assert qf.name == "mine" and qf.params == (q.Param("anchor", "literal", False, "text"),)

    bare = tmp_path / "bare.rq"
    bare.write_text("SELECT * WHERE { ?s ?p ?o } LIMIT 1\n", encoding="utf-8")
    assert q.load_query(str(bare)).title == "bare"

    bad = tmp_path / "bad.rq"
    bad.write_text("# title: Bad\n# param entity iri\nSELECT ?entity WHERE { ?entity ?p ?o }\n", encoding="utf-8")
    with pytest.raises(InputError, match="malformed parameter line"):
        q.load_query(str(bad))
    bad.write_text("# title: Bad\n# param entity: uri, optional — x\nSELECT ?entity WHERE { ?entity ?p ?o }\n")
    with pytest.raises(InputError, match="unknown kind"):
        q.load_query(str(bad))
    bad.write_text("# title: Bad\n# param who: iri, optional — x\nSELECT ?s WHERE { ?s ?p ?o } # ?who\n")
    with pytest.raises(InputError, match="never uses"):
        q.load_query(str(bad))


# ---------------------------------------------------------------------------------------------
# each shipped query on the single-article graph (both engines)


def test_entities_by_type(single):
    rs = rows("entities-by-type", single)
    assert len(rs) == 9
    by = {r["entity"]: r for r in rs}
    assert by["wd:Q227"] == {"entity": "wd:Q227", "type": "kg:Country", "label": "Azerbaijan", "mentions": "2",
                             "articles": "1", "nil": "false"}
    assert by[NIL]["type"] == "kg:GovernmentOrganization" and by[NIL]["nil"] == "true"
    assert by[NIL]["label"] == "Ministry of Defence of Azerbaijan"
    assert by["wd:Q130879"]["type"] == "kg:NewsAgency"
    assert "kg:NILEntity" not in col(rs, "type")

    persons = rows("entities-by-type", single, type="kg:Person")
    assert sorted(col(persons, "entity")) == ["wd:Q57371", "wd:Q7035479"]
    assert set(col(persons, "type")) == {"kg:Person"}

    ids = {r["entity"]: r["label"] for r in rows("entities-by-type", single, lang="id")}
    assert ids["wd:Q239"] == "Brussel" and ids["wd:Q1123764"] == "Perdana Menteri Armenia"
    assert ids["wd:Q130879"] == "Reuters"  # no @id label: falls back to English
    assert rows("entities-by-type", single, type="kg:Territory") == []


def test_offices_held(single):
    rs = rows("offices-held", single)
    assert [(r["person"], r["office"], r["country"]) for r in rs] == [
        ("wd:Q57371", "wd:Q205602", "wd:Q227"), ("wd:Q7035479", "wd:Q1123764", "wd:Q399")]
    pash = rows("offices-held", single, person="wd:Q7035479")
    assert len(pash) == 1
    r = pash[0]
    assert r["personLabel"] == "Nikol Pashinyan" and r["officeLabel"] == "Prime Minister of Armenia"
    assert r["countryLabel"] == "Armenia" and r["article"] == ART1 and r["confidence"] == "0.95"
    assert r["evidence"].startswith("JAKARTA - Perdana Menteri Armenia Nikol Pashinyan bertemu")
    assert (r["evidenceBegin"], r["evidenceEnd"]) == ("0", "120")
    assert rows("offices-held", single, office="Q205602")[0]["person"] == "wd:Q57371"
    assert rows("offices-held", single, person="Q7035479", lang="id")[0]["officeLabel"] == "Perdana Menteri Armenia"
    assert rows("offices-held", single, person="Q57371", office="Q1123764") == []


def test_co_mentions(single):
    rs = rows("co-mentions", single)
    assert len(rs) == 30  # 15 unordered pairs, listed in both orders
    assert rs[0]["sentences"] == "2" and {rs[0]["entity"], rs[0]["other"]} == {"wd:Q227", "wd:Q399"}
    partners = {r["other"]: r["sentences"] for r in rows("co-mentions", single, entity="wd:Q399")}
    assert partners == {"wd:Q227": "2", NIL: "1", "wd:Q130879": "1"}
    pash = rows("co-mentions", single, entity="Q7035479")
    assert sorted(col(pash, "other")) == ["wd:Q1123764", "wd:Q205602", "wd:Q239", "wd:Q57371"]
    assert {r["entityLabel"] for r in pash} == {"Nikol Pashinyan"}


def test_facts_with_evidence(single):
    rs = rows("facts-with-evidence", single)
    assert len(rs) == 3
    assert sorted((r["subject"], r["predicate"], r["object"]) for r in rs) == sorted([
        ("wd:Q7035479", "wdt:P39", "wd:Q1123764"), ("wd:Q57371", "wdt:P39", "wd:Q205602"),
        (NIL, "wdt:P17", "wd:Q227")])
    nil = rows("facts-with-evidence", single, subject=f"<{q.prefixes()['kgr']}entity/governmentorganization/"
                                                      "ministry-of-defence/azerbaijan>")
    assert len(nil) == 1
    r = nil[0]
    assert r["predicateLabel"] == "country" and r["objectLabel"] == "Azerbaijan"
    assert r["subjectLabel"] == "Ministry of Defence of Azerbaijan"
    assert (r["evidenceBegin"], r["evidenceEnd"]) == ("121", "234") and r["article"] == ART1
    assert r["evidence"].startswith("Kementerian Pertahanan Azerbaijan menuduh")
    assert r["method"] == "nil-country" and r["fact"] == "kgr:article/query-sample-1/fact/2"
    p39 = rows("facts-with-evidence", single, predicate="wdt:P39")
    assert len(p39) == 2 and set(col(p39, "predicateLabel")) == {"position held"}
    assert rows("facts-with-evidence", single, predicate="P39") == p39


def test_nil_entities(single):
    rs = rows("nil-entities", single)
    assert rs == [{"entity": NIL, "type": "kg:GovernmentOrganization", "label": "Ministry of Defence of Azerbaijan",
                   "key": "governmentorganization/ministry-of-defence/azerbaijan", "mentions": "1",
                   "articles": "1", "firstAnchor": "Kementerian Pertahanan Azerbaijan"}]
    assert rows("nil-entities", single, type="kg:GovernmentOrganization") == rs
    assert rows("nil-entities", single, type="kg:Country") == []
    assert rows("nil-entities", single, lang="id")[0]["label"] == "Kementerian Pertahanan Azerbaijan"


def test_mentions_of_entity(single):
    rs = rows("mentions-of-entity", single, entity="wd:Q399")
    assert [(r["anchor"], r["begin"], r["end"]) for r in rs] == [("Armenia", "171", "178"), ("Armenia", "258", "265")]
    assert rs[0]["article"] == ART1 and rs[0]["sentenceBegin"] == "121" and rs[0]["boilerplate"] == ""
    assert rs[1]["sentence"].startswith("Dilansir dari Reuters, Armenia membantah")
    assert rs[0]["mention"] == "kgr:text/query-sample-1#char=171,178"
    reuters = rows("mentions-of-entity", single, entity="Q130879")
    assert [(r["anchor"], r["begin"], r["end"], r["boilerplate"]) for r in reuters] == [
        ("Reuters", "249", "256", "source-credit")]
    assert rows("mentions-of-entity", single, entity="Q1") == []
    with pytest.raises(InputError, match="missing required parameter.*entity"):
        rows("mentions-of-entity", single)


def test_events(single):
    rs = rows("events", single)
    assert [(r["typeLabel"], r["kind"], r["actor"], r["target"]) for r in rs] == [
        ("CONSULT", "event", "wd:Q57371", ""), ("CONSULT", "event", "wd:Q7035479", ""),
        ("ASSAULT", "claim", "wd:Q399", "wd:Q227")]
    meet = rs[0]
    assert meet["place"] == "wd:Q239" and meet["placeLabel"] == "Brussels" and meet["time"] == "2022-09-12"
    assert meet["trigger"] == "bertemu" and meet["cameo"] == "04" and meet["speaker"] == ""
    assert meet["article"] == ART1
    claim = rows("events", single, type="plover:ASSAULT")
    assert len(claim) == 1
    c = claim[0]
    assert c["speaker"] == NIL and c["speakerLabel"] == "Ministry of Defence of Azerbaijan"
    assert c["actorLabel"] == "Armenia" and c["targetLabel"] == "Azerbaijan" and c["time"] == "2022-09-13"
    assert c["article"] == ART1  # reached through the evidence sentence (no prov:wasDerivedFrom)
    assert c["evidence"].startswith("Kementerian Pertahanan Azerbaijan menuduh pasukan Armenia menembaki")
    assert c["cameo"] == "19" and c["type"] == "plover:ASSAULT"
    assert rows("events", single, type="plover:AGREE") == []


def test_events_between_and_claims_by_speaker(single):
    between = rows("events-between", single, entity="wd:Q227", other="wd:Q399")
    assert [(r["event"], r["kind"]) for r in between] == [("kgr:article/query-sample-1/event/1", "claim")]
    assert rows("events-between", single, entity="Q399", other="Q227") == between
    together = rows("events-between", single, entity="Q7035479", other="Q57371")
    assert set(col(together, "typeLabel")) == {"CONSULT"} and len(together) == 2
    claims = rows("claims-by-speaker", single)
    assert [(r["speaker"], r["typeLabel"], r["actor"], r["target"]) for r in claims] == [
        (NIL, "ASSAULT", "wd:Q399", "wd:Q227")]
    assert rows("claims-by-speaker", single, speaker="Q227") == []


# ---------------------------------------------------------------------------------------------
# a dataset with one named graph per article: the same queries over the union


def test_dataset_union(dataset):
    ents = {r["entity"]: r for r in rows("entities-by-type", dataset)}
    assert (ents["wd:Q399"]["mentions"], ents["wd:Q399"]["articles"]) == ("3", "2")
    assert (ents["wd:Q7035479"]["mentions"], ents["wd:Q7035479"]["articles"]) == ("2", "2")
    assert ents["wd:Q7035479"]["label"] == "Nikol Pashinyan"  # the label in both graphs gives one row
    assert len(ents) == 9 and len(rows("entities-by-type", dataset)) == 9

    partners = {r["other"]: (r["sentences"], r["articles"]) for r in rows("co-mentions", dataset, entity="Q399")}
    assert partners == {"wd:Q227": ("3", "2"), NIL: ("1", "1"), "wd:Q130879": ("1", "1"),
                        "wd:Q7035479": ("1", "1")}

    nil = rows("nil-entities", dataset)
    assert len(nil) == 1 and (nil[0]["mentions"], nil[0]["articles"]) == ("2", "2")
    assert nil[0]["firstAnchor"] == "Kementerian Pertahanan Azerbaijan"

    ms = rows("mentions-of-entity", dataset, entity="Q7035479")
    assert [(r["article"], r["begin"]) for r in ms] == [(ART1, "34"), ("kgr:article/query-sample-2", "10")]
    assert len(rows("offices-held", dataset)) == 2 and len(rows("events", dataset)) == 3


def test_rdflib_dataset_left_as_given(stores):
    ds = stores[("rdflib", "dataset")]
    assert ds.default_union is False
    rows("entities-by-type", ds)
    assert ds.default_union is False and len(list(ds.graphs())) >= 2


# ---------------------------------------------------------------------------------------------
# rdflib and pyoxigraph agree


def _norm(term):
    # a pyoxigraph store keeps integers canonically: xsd:nonNegativeInteger comes back as xsd:integer
    if isinstance(term, Literal) and term.datatype is not None and isinstance(term.toPython(), int) \
            and not isinstance(term.toPython(), bool):
        return ("integer", int(term))
    return term


CASES = [(qf.name, {}) for qf in q.list_queries() if all(p.optional for p in qf.params)] + [
    ("entities-by-type", {"type": "kg:Country"}), ("entities-by-type", {"lang": "id"}),
    ("offices-held", {"person": "Q7035479", "lang": "id"}), ("co-mentions", {"entity": "Q399"}),
    ("facts-with-evidence", {"predicate": "wdt:P39"}), ("nil-entities", {"type": "kg:GovernmentOrganization"}),
    ("mentions-of-entity", {"entity": "Q399"}), ("mentions-of-entity", {"entity": "Q130879"}),
    ("events", {"type": "plover:ASSAULT"}), ("events-between", {"entity": "Q227", "other": "Q399"}),
    ("claims-by-speaker", {"lang": "id"}),
]


@pytest.mark.parametrize("layout", ["single", "dataset"])
@pytest.mark.parametrize("name,params", CASES, ids=[f"{n}-{'-'.join(p.values()) or 'all'}" for n, p in CASES])
def test_engines_agree(stores, layout, name, params):
    qf = q.load_query(name)
    a = q.run(qf, stores[("rdflib", layout)], params)
    b = q.run(qf, stores[("oxigraph", layout)], params)
    assert a.vars == b.vars
    ra = [tuple(_norm(t) for t in r) for r in a.rows]
    rb = [tuple(_norm(t) for t in r) for r in b.rows]
    assert sorted(ra, key=repr) == sorted(rb, key=repr)
    assert len(ra) > 0 or name in ("claims-by-speaker",)


# ---------------------------------------------------------------------------------------------
# parameters: parsing, binding, injection


def _p(kind="iri", name="entity", optional=True):
    return q.Param(name, kind, optional, "")


@pytest.mark.parametrize("raw,iri", [
    ("wd:Q227", WD + "Q227"), ("Q227", WD + "Q227"), (" Q227 ", WD + "Q227"),
    (f"<{WD}Q227>", WD + "Q227"), (WD + "Q227", WD + "Q227"),
    ("P39", "http://www.wikidata.org/prop/direct/P39"), ("wdt:P39", "http://www.wikidata.org/prop/direct/P39"),
    ("kg:Country", "https://w3id.org/geonews-kg/ontology#Country"),
    ("plover:ASSAULT", "https://w3id.org/geonews-kg/plover#ASSAULT"),
    ("kgr:entity/governmentorganization/ministry-of-defence/azerbaijan",
     "https://w3id.org/geonews-kg/id/entity/governmentorganization/ministry-of-defence/azerbaijan"),
    ("urn:isbn:123", "urn:isbn:123"),
])
def test_parse_iri(raw, iri):
    assert q.parse_param(raw, _p()) == URIRef(iri)


@pytest.mark.parametrize("raw", [
    "wd:Q1> } ; DROP ALL ; #", "<http://x.org/a> } DROP ALL { <a:b>", "<http://x.org/a b>", "http://x.org/\"q",
    "wd:Q1{", "wd:Q1|x", "wd:Q1^x", "wd:Q1`", "wd:Q1\\u0020", "", "   ", "Pashinyan", "foo:bar", "<>", "<http://x",
    "wd:", "Q227 Q399", "http://x.org/a\nb",
])
def test_parse_iri_rejects(raw):
    with pytest.raises(InputError, match=r"parameter entity"):
        q.parse_param(raw, _p())


def test_closed_vocabulary_terms_are_checked():
    vocab = pytest.importorskip("kg.vocab")
    assert q.prefixes()["kg"] == str(vocab.KG.Country).rsplit("#", 1)[0] + "#"
    with pytest.raises(InputError, match="parameter type.*kg: vocabulary"):
        q.parse_param("kg:Contry", _p("iri", "type"))
    with pytest.raises(InputError, match="parameter type.*plover: vocabulary"):
        q.parse_param("plover:ATTACK", _p("iri", "type"))


def test_parse_other_kinds():
    assert q.parse_param("2022-09-13", _p("date", "on")) == Literal("2022-09-13", datatype=URIRef(XSD_ + "date"))
    assert q.parse_param("42", _p("integer", "n")) == Literal("42", datatype=URIRef(XSD_ + "integer"))
    assert q.parse_param("0.5", _p("decimal", "x")) == Literal("0.5", datatype=URIRef(XSD_ + "decimal"))
    assert q.parse_param("true", _p("boolean", "b")) == Literal("true", datatype=URIRef(XSD_ + "boolean"))
    assert q.parse_param("en-GB", _p("lang", "lang")) == Literal("en-GB")
    assert q.parse_param('Say "hi" } #', _p("literal", "text")) == Literal('Say "hi" } #')
    for kind, bad in [("date", "13/09/2022"), ("date", "2022-02-30"), ("integer", "4 2"), ("decimal", "1e3x"),
                      ("boolean", "maybe"), ("lang", 'en") } DROP ALL #'), ("lang", "e n"),
                      ("literal", "bell\x07")]:
        with pytest.raises(InputError, match=f"parameter {kind}"):
            q.parse_param(bad, _p(kind, kind))


def test_bind_unknown_and_missing():
    qf = q.load_query("co-mentions")
    assert q.bind(qf, {"entity": "Q399"}) == {"entity": URIRef(WD + "Q399")}
    with pytest.raises(InputError, match="unknown parameter 'person'.*entity"):
        q.bind(qf, {"person": "Q1"})
    with pytest.raises(InputError, match="missing required parameter"):
        q.bind(q.load_query("events-between"), {"entity": "Q227"})


def test_rdflib_gets_file_text_unchanged(monkeypatch):
    seen = {}
    real = Graph.query

    def spy(self, query_object, *args, **kwargs):
        seen["text"], seen["bindings"] = query_object, kwargs.get("initBindings")
        return real(self, query_object, *args, **kwargs)

    monkeypatch.setattr(Graph, "query", spy)
    qf = q.load_query("mentions-of-entity")
    q.run(qf, _rdflib_single(), {"entity": "wd:Q399"})
    assert seen["text"] == qf.text and seen["bindings"] == {"entity": URIRef(WD + "Q399")}


def test_values_block_is_structural():
    qf = q.load_query("mentions-of-entity")
    text = q.with_values(qf.text, {"entity": URIRef(WD + "Q399")})
    added = [line for line in text.splitlines() if line not in qf.text.splitlines()]
    assert added == [f"  VALUES (?entity) {{ (<{WD}Q399>) }}"]
    # the block opens the WHERE group, after the prologue and the projection
    assert text.index("VALUES") > text.index("WHERE {") > text.index("SELECT")
    lit = q.values_clause({"a": Literal('x" } ; DROP ALL ; #\n\\'), "b": Literal("y", lang="id"),
                           "c": Literal("2022-09-13", datatype=URIRef(XSD_ + "date"))})
    assert lit == ('VALUES (?a ?b ?c) { ("x\\" } ; DROP ALL ; #\\n\\\\" "y"@id '
                   '"2022-09-13"^^<http://www.w3.org/2001/XMLSchema#date>) }')


@pytest.mark.parametrize("text", [
    "PREFIX : <http://e/#>\n# a comment with { braces\nSELECT ?x (\"{\" AS ?b) WHERE { ?x ?p ?o }",
    "SELECT ?x { ?x ?p ?o }",
    "SELECT ?x (EXISTS { ?x ?q ?r } AS ?e) WHERE { ?x ?p ?o }",
    "CONSTRUCT { ?x ?p ?o } WHERE { ?x ?p ?o }",
    "ASK { ?x ?p ?o }",
    "SELECT ?x WHERE { ?x ?p '''}''' }",
])
def test_values_injection_point(text):
    out = q.with_values(text, {"x": URIRef("http://e/a")})
    assert "VALUES (?x) { (<http://e/a>) }" in out
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("}")))
    store.add(ox.Quad(ox.NamedNode("http://e/b"), ox.NamedNode("http://e/p"), ox.Literal("o")))
    store.query(out)  # parses
    i = out.index("VALUES")
    assert out[:i].rstrip().endswith("{") and not out[:i].rstrip().endswith("EXISTS {")


def test_values_injection_refuses_construct_short_form():
    with pytest.raises(InputError, match="short form"):
        q.with_values("CONSTRUCT WHERE { ?x ?p ?o }", {"x": URIRef("http://e/a")})


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_injection_attempts_are_rejected_or_inert(tmp_path, engine):
    data = _rdflib_single() if engine == "rdflib" else _ox_single()
    size = len(data)
    # IRIs that try to close the term and the group: rejected before any query text is built
    for evil in ["wd:Q1> } ; DROP ALL ; #", "<http://x.org/> } } DELETE WHERE { ?s ?p ?o } #>"]:
        with pytest.raises(InputError, match="parameter entity"):
            q.run(q.load_query("mentions-of-entity"), data, {"entity": evil})
    with pytest.raises(InputError, match="parameter lang"):
        q.run(q.load_query("entities-by-type"), data, {"lang": 'en") } DROP ALL #'})
    # a literal with quotes, braces and newlines is bound as one inert string
    rq = tmp_path / "anchor.rq"
    rq.write_text("# title: Mentions by anchor text\n# answers: mentions whose anchor is exactly the text\n"
                  "# param anchor: literal, required — anchor text\n"
                  "PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>\n"
                  "SELECT ?mention WHERE { ?mention a nif:Phrase ; nif:anchorOf ?anchor } ORDER BY ?mention\n",
                  encoding="utf-8")
    qf = q.load_query(str(rq))
    assert len(q.run(qf, data, {"anchor": "Armenia"})) == 2
    for evil in ['Armenia" } ; DROP ALL ; #', "Armenia' } #", 'x"""\n} DELETE WHERE { ?s ?p ?o } #\\',
                 'Armenia"@en', "Armenia\"^^<http://www.w3.org/2001/XMLSchema#string>"]:
        res = q.run(qf, data, {"anchor": evil})
        assert res.rows == []
    assert len(data) == size


# ---------------------------------------------------------------------------------------------
# output formats


def _pash(data):
    return q.run(q.load_query("offices-held"), data, {"person": "Q7035479"})


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_format_table(engine):
    data = _rdflib_single() if engine == "rdflib" else _ox_single()
    out = q.format_result(_pash(data), "table", width=400)
    assert "\x1b[" not in out  # plain text, no ANSI codes
    head = out.splitlines()[0]
    assert "person" in head and "officeLabel" in head
    for s in ("wd:Q7035479", "Nikol Pashinyan", "wd:Q1123764", "Prime Minister of Armenia", "kgr:article/query-sample-1",
              "1 row"):
        assert s in out
    narrow = q.format_result(_pash(data), "table", width=60)
    assert "…" not in narrow  # folded, not truncated


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_format_csv(engine):
    data = _rdflib_single() if engine == "rdflib" else _ox_single()
    res = _pash(data)
    text = q.format_result(res, "csv")
    assert text.endswith("\r\n")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == res.vars
    row = dict(zip(table[0], table[1]))
    assert row["person"] == WD + "Q7035479" and row["officeLabel"] == "Prime Minister of Armenia"
    assert row["evidenceBegin"] == "0" and row["start"] == "" and len(table) == 2


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_format_json(engine):
    data = _rdflib_single() if engine == "rdflib" else _ox_single()
    res = _pash(data)
    doc = json.loads(q.format_result(res, "json"))
    assert doc["head"]["vars"] == res.vars
    (b,) = doc["results"]["bindings"]
    assert b["person"] == {"type": "uri", "value": WD + "Q7035479"}
    assert b["officeLabel"] == {"type": "literal", "value": "Prime Minister of Armenia", "xml:lang": "en"}
    assert b["confidence"] == {"type": "literal", "value": "0.95",
                               "datatype": "http://www.w3.org/2001/XMLSchema#double"}
    assert b["evidenceBegin"]["value"] == "0" and b["evidenceBegin"]["datatype"].endswith(("integer", "Integer"))
    assert "start" not in b  # unbound
    assert "datatype" not in b["evidence"] and "xml:lang" not in b["evidence"]


def test_format_ask_and_unknown(tmp_path):
    rq = tmp_path / "ask.rq"
    rq.write_text("# title: Any claim?\n# answers: whether the graph has a claim\n"
                  "ASK { ?e a <https://w3id.org/geonews-kg/ontology#Claim> }\n")
    for data in (_rdflib_single(), _ox_single()):
        res = q.run(q.load_query(str(rq)), data, {})
        assert res.boolean is True
        assert json.loads(q.format_result(res, "json")) == {"head": {}, "boolean": True}
        assert q.format_result(res, "table").strip() == "true"
        assert q.format_result(res, "csv") == "boolean\r\ntrue\r\n"
    with pytest.raises(InputError, match="unknown format"):
        q.format_result(res, "xml")


def test_syntax_error_is_input_error(tmp_path):
    rq = tmp_path / "broken.rq"
    rq.write_text("# title: Broken\n# answers: nothing\nSELECT ?x WHERE { ?x ?p }\n")
    qf = q.load_query(str(rq))
    for data in (_rdflib_single(), _ox_single()):
        with pytest.raises(InputError, match="broken"):
            q.run(qf, data, {})
