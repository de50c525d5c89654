"""End to end on the seed article: entities, offices held, conformance, and both parsers."""
from __future__ import annotations

import json

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

import kg
from conftest import shared_path

WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
ITS = "http://www.w3.org/2005/11/its/rdf#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"


@pytest.fixture(scope="module")
def seed_graph(example_text) -> Graph:
    return kg.build(example_text, id="kontan-2022-09-13", published="2022-09-13", lang="id")


@pytest.fixture(scope="module")
def gold():
    path = shared_path("data/seed/kontan-2022-09-13-azerbaijan-armenia.gold.json")
    return json.loads(path.read_text(encoding="utf-8"))


def linked_qids(g: Graph) -> set[str]:
    nodes = set(g.objects(None, URIRef(ITS + "taIdentRef"))) | set(g.objects(None, URIRef("http://schema.org/mentions")))
    return {str(n)[len(WD):] for n in nodes if str(n).startswith(WD)}


def test_seed_entity_f1(seed_graph, gold):
    scored = [e for e in gold["entities"] if e.get("scored", True) and e["qid"]]
    allowed = {q for e in gold["entities"] for q in [e["qid"], *e.get("also_accept", [])] if q}
    got = linked_qids(seed_graph)
    tp = sum(1 for e in scored if ({e["qid"], *e.get("also_accept", [])} & got))
    fp = len(got - allowed)
    p, r = tp / (tp + fp), tp / len(scored)
    f1 = 2 * p * r / (p + r)
    missing = [e["label_en"] for e in scored if not ({e["qid"], *e.get("also_accept", [])} & got)]
    assert f1 >= 0.9, (f1, missing, sorted(got - allowed))


def test_seed_offices_held(seed_graph, gold):
    keys = {e["key"]: e["qid"] for e in gold["entities"]}
    for rel in gold["relations"]:
        if rel["p"] != "P39":
            continue
        triple = (URIRef(WD + keys[rel["s"]]), URIRef(WDT + "P39"), URIRef(WD + keys[rel["o"]]))
        assert triple in seed_graph, rel


def test_seed_ministries_are_nil_government_bodies_of_their_country(seed_graph, gold):
    keys = {e["key"]: e for e in gold["entities"]}
    for key, country in (("mod_azerbaijan", "azerbaijan"), ("mod_armenia", "armenia")):
        anchors = {m[2] for m in keys[key]["mentions"]}
        spans = {(m[0], m[1]) for m in keys[key]["mentions"]}
        found = set()
        for m in seed_graph.subjects(URIRef(NIF + "anchorOf"), None):
            b = seed_graph.value(m, URIRef(NIF + "beginIndex"))
            e = seed_graph.value(m, URIRef(NIF + "endIndex"))
            if b is not None and (int(b), int(e)) in spans:
                found.add(seed_graph.value(m, URIRef(ITS + "taIdentRef")))
        assert len(found) == 1, (key, found, anchors)
        node = found.pop()
        assert not str(node).startswith(WD)
        assert (node, URIRef(WDT + "P17"), URIRef(WD + keys[country]["qid"])) in seed_graph
        assert (node, RDF.type, URIRef("https://w3id.org/geonews-kg/ontology#GovernmentOrganization")) in seed_graph


def test_seed_mentions_offsets_match_text(seed_graph, example_text):
    n = 0
    for m in seed_graph.subjects(URIRef(NIF + "beginIndex"), None):
        anchor = seed_graph.value(m, URIRef(NIF + "anchorOf"))
        if anchor is None:
            continue
        b = int(seed_graph.value(m, URIRef(NIF + "beginIndex")))
        e = int(seed_graph.value(m, URIRef(NIF + "endIndex")))
        assert example_text[b:e] == str(anchor)
        n += 1
    assert n >= 40


def test_seed_dateline_publisher_and_sources(seed_graph):
    S = "http://schema.org/"
    [art] = seed_graph.subjects(RDF.type, URIRef(S + "NewsArticle"))
    place = seed_graph.value(art, URIRef(S + "locationCreated"))
    assert place is not None and str(place).startswith(WD)
    assert "Moscow" in {str(o) for o in seed_graph.objects(place, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
    pub = seed_graph.value(art, URIRef(S + "publisher"))
    assert pub is not None
    agencies = {str(lbl) for src in seed_graph.objects(art, URIRef("https://w3id.org/geonews-kg/ontology#reportedBy"))
                for lbl in seed_graph.objects(src, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
    assert {"Reuters", "Interfax"} <= agencies


def test_nothing_linked_from_related_headlines_is_a_fact(seed_graph, example_text):
    # "Turki" occurs only in a "Baca Juga:" headline: no fact may involve Turkey's node
    for m in seed_graph.subjects(URIRef(NIF + "anchorOf"), None):
        if str(seed_graph.value(m, URIRef(NIF + "anchorOf"))) == "Turki":
            node = seed_graph.value(m, URIRef(ITS + "taIdentRef"))
            assert not [p for p in seed_graph.predicates(node, None) if str(p).startswith(WDT)]


def test_articles_built_together_are_built_as_alone(example_text):
    """kg build runs the NLP of several articles as one batch: each graph is what it is alone,
    a bad record in the batch included."""
    from datetime import date

    from rdflib.compare import isomorphic

    from kg.pipeline import process, with_docs
    from kg.read import Article, BadInput
    from tests_support import EN_TEXT, ID_TEXT

    items = [Article(id="a", text=ID_TEXT, lang="id", published=date(2022, 9, 13)), BadInput("x.jsonl:2", "bad"),
             Article(id="b", text=EN_TEXT, lang="auto", published=date(2022, 9, 13)),
             Article(id="c", text=example_text, lang="id", published=date(2022, 9, 13))]
    pairs = list(with_docs(items))
    assert [i for i, _ in pairs] == items and pairs[1][1] is None and all(d is not None for i, d in pairs if i != items[1])
    for item, doc in pairs:
        if isinstance(item, Article):
            assert isomorphic(process(item, doc=doc).graphs.merged(), process(item).graphs.merged())
