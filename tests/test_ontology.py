"""ontology/kg.ttl and kg.vocab: the closed vocabularies agree, every term is documented in
English and Indonesian, and every Wikidata class QID the ontology names is verified in the sources."""
from __future__ import annotations

import bz2
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from conftest import shared_path
from kg.resources import ontology_path, shapes_path
from kg.vocab import KG, PLOVER, PLOVER_CATEGORIES, SCHEMA, SEM, WD, WDT, bind_prefixes

KG_NS = str(KG._NS)
PLOVER_NS = str(PLOVER._NS)
PQ = "http://www.wikidata.org/prop/qualifier/"
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ontology_path(), format="turtle")


def _declared(g: Graph, ns: str) -> set[str]:
    return {str(s)[len(ns):] for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(ns)}


def _used(path, ns: str) -> set[str]:
    g = Graph().parse(path, format="turtle")
    return {str(t)[len(ns):] for triple in g for t in triple if isinstance(t, URIRef) and str(t).startswith(ns)}


def _closed_names(ns_class) -> set[str]:
    return set(ns_class.__annotations__)


def test_ontology_parses_with_rdflib_and_pyoxigraph(onto):
    import pyoxigraph

    quads = list(pyoxigraph.parse(path=str(ontology_path()), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(onto) > 100
    [ontology] = list(onto.subjects(RDF.type, OWL.Ontology))
    assert onto.value(ontology, OWL.versionInfo) is not None
    assert onto.value(ontology, URIRef("http://purl.org/dc/terms/license")) is not None
    assert {lbl.language for lbl in onto.objects(ontology, RDFS.label)} == {"en", "id"}


def test_kg_terms_in_ontology_equal_closed_namespace(onto):
    declared = _declared(onto, KG_NS)
    assert declared == _closed_names(KG), (
        f"only in kg.ttl: {sorted(declared - _closed_names(KG))}; only in KG: {sorted(_closed_names(KG) - declared)}")
    # every kg: IRI the ontology uses anywhere (ranges, domains, ...) is one it declares
    assert _used(ontology_path(), KG_NS) <= declared


def test_plover_terms_in_ontology_equal_closed_namespace(onto):
    declared = _declared(onto, PLOVER_NS)
    assert declared == _closed_names(PLOVER)
    assert _closed_names(PLOVER) == set(PLOVER_CATEGORIES) | {"scheme"}
    assert len(PLOVER_CATEGORIES) == 16


def test_shapes_use_only_declared_terms():
    assert _used(shapes_path(), KG_NS) <= _closed_names(KG)
    assert _used(shapes_path(), PLOVER_NS) <= set(PLOVER_CATEGORIES)
    assert _used(shapes_path(), PLOVER_NS) == set(PLOVER_CATEGORIES)  # sem:eventType accepts all 16


@pytest.mark.parametrize("ns_class, bad", [(KG, "Contry"), (KG, "person"), (PLOVER, "INVADE"), (PLOVER, "assault")])
def test_undefined_terms_raise(ns_class, bad):
    with pytest.raises(AttributeError):
        getattr(ns_class, bad)
    with pytest.raises(AttributeError):
        ns_class[bad]


def test_defined_terms_resolve():
    assert KG.Country == URIRef(KG_NS + "Country")
    assert KG["NILEntity"] == URIRef(KG_NS + "NILEntity")
    assert PLOVER.ASSAULT == URIRef(PLOVER_NS + "ASSAULT")


def _by_lang(values) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for v in values:
        assert isinstance(v, Literal), v
        out.setdefault(v.language, []).append(str(v))
    return out


@pytest.mark.parametrize("name", sorted(_closed_names(KG)))
def test_every_kg_term_is_typed_and_labelled_in_english_and_indonesian(onto, name):
    term = KG[name]
    types = set(onto.objects(term, RDF.type))
    assert types & set(TERM_TYPES), f"kg:{name} is neither a class nor a property"
    labels = _by_lang(onto.objects(term, RDFS.label))
    definitions = _by_lang(onto.objects(term, SKOS.definition))
    for lang in ("en", "id"):
        assert len(labels.get(lang, [])) == 1 and labels[lang][0].strip(), f"kg:{name} rdfs:label @{lang}"
        assert len(definitions.get(lang, [])) == 1 and len(definitions[lang][0]) > 10, f"kg:{name} skos:definition @{lang}"


def test_class_hierarchy_follows_design(onto):
    expected = {
        "Location": "Entity", "Country": "Location", "Territory": "Location", "City": "Location",
        "Organization": "Entity", "InternationalOrganization": "Organization",
        "GovernmentOrganization": "Organization", "MediaOrganization": "Organization",
        "NewsAgency": "MediaOrganization", "Person": "Entity", "Position": "Entity", "NILEntity": "Entity",
    }
    for child, parent in expected.items():
        assert (KG[child], RDFS.subClassOf, KG[parent]) in onto, f"kg:{child} ⊑ kg:{parent}"
    assert (KG.Fact, RDFS.subClassOf, RDF.Statement) in onto
    assert (KG.Claim, RDFS.subClassOf, SEM.Event) in onto
    for cls in ("Fact", "Claim", "Boilerplate"):  # statements about text, not named entities
        assert (KG[cls], RDFS.subClassOf, KG.Entity) not in onto


def test_schema_org_alignment(onto):
    expected = {"Location": "Place", "Country": "Country", "City": "City", "Organization": "Organization",
                "GovernmentOrganization": "GovernmentOrganization", "MediaOrganization": "NewsMediaOrganization",
                "Person": "Person"}
    for ours, theirs in expected.items():
        assert (KG[ours], RDFS.subClassOf, SCHEMA[theirs]) in onto


def test_speaker_and_reporting_agency_stay_distinct(onto):
    prov_attributed = URIRef("http://www.w3.org/ns/prov#wasAttributedTo")
    assert prov_attributed not in set(onto.objects(KG.reportedBy, RDFS.subPropertyOf))
    assert prov_attributed not in set(onto.objects(KG.reportedBy, OWL.equivalentProperty))
    # a target takes part in an event, but is not its (initiating) actor
    assert SEM.hasActor not in set(onto.objects(KG.hasTarget, RDFS.subPropertyOf))


def test_wikidata_properties_are_declared(onto):
    for pid in ("P39", "P17", "P463", "P131", "P36", "P35", "P6", "P580", "P582"):
        labels = _by_lang(onto.objects(WDT[pid], RDFS.label))
        assert set(labels) >= {"en", "id"}, pid
        assert (WDT[pid], RDFS.seeAlso, WD[pid]) in onto
    assert (KG.startTime, RDFS.subPropertyOf, URIRef(PQ + "P580")) in onto
    assert (KG.endTime, RDFS.subPropertyOf, URIRef(PQ + "P582")) in onto


def test_plover_concepts(onto):
    scheme = PLOVER.scheme
    assert (scheme, RDF.type, SKOS.ConceptScheme) in onto
    concepts = set(onto.subjects(RDF.type, SKOS.Concept))
    assert concepts == {PLOVER[c] for c in PLOVER_CATEGORIES}
    assert set(onto.objects(scheme, SKOS.hasTopConcept)) == concepts
    for name in PLOVER_CATEGORIES:
        c = PLOVER[name]
        assert (c, SKOS.inScheme, scheme) in onto and (c, SKOS.topConceptOf, scheme) in onto
        assert [str(n) for n in onto.objects(c, SKOS.notation)] == [name]
        labels = _by_lang(onto.objects(c, SKOS.prefLabel))
        assert len(labels.get("en", [])) == 1 and len(labels.get("id", [])) == 1, name
        assert "en" in _by_lang(onto.objects(c, SKOS.definition)), name
        for code in onto.objects(c, KG.cameoCode):
            assert re.fullmatch(r"\d{2,4}", str(code)) and 1 <= int(str(code)[:2]) <= 20, (name, code)
    cameo = {name: {str(x) for x in onto.objects(PLOVER[name], KG.cameoCode)} for name in PLOVER_CATEGORIES}
    assert cameo["ASSAULT"] == {"18", "19", "20"}
    assert cameo["MOBILIZE"] == {"15"} and cameo["CONSULT"] == {"04"} and cameo["REQUEST"] == {"02", "10"}


# --- Wikidata class QIDs: only the ones verified in ../shared/data/kb-sources ---------------------

VERIFIED_CLASS_QIDS = {"Q6256", "Q515", "Q5", "Q43229", "Q7188"}


def _wikidata_objects(onto: Graph) -> set[str]:
    wd = str(WD)
    return {str(o)[len(wd):] for s, p, o in onto
            if isinstance(s, URIRef) and str(s).startswith(KG_NS) and isinstance(o, URIRef) and str(o).startswith(wd)}


def test_only_verified_wikidata_classes_are_named(onto):
    assert _wikidata_objects(onto) == VERIFIED_CLASS_QIDS


def _p31(claims: dict) -> set[str]:
    return {c["mainsnak"]["datavalue"]["value"]["id"] for c in claims.get("P31", [])
            if c["mainsnak"].get("datavalue")}


def test_wikidata_classes_are_verified_in_kb_sources():
    """Re-check the evidence each comment in kg.ttl cites (skipped without ../shared)."""
    dump = shared_path("data/kb-sources/wikidata-fixtures/dump-items/sample_wikidata_items.json.bz2")
    wanted = {"Q31", "Q45", "Q183", "Q585", "Q1757", "Q749", "Q2148"}
    items = {}
    with bz2.open(dump, "rt", encoding="utf-8") as fh:
        for line in fh:
            line = line.strip().rstrip(",")
            if line.startswith("{") and any(f'"id": "{q}"' in line[:200] for q in wanted):
                item = json.loads(line)
                items[item["id"]] = item
    assert wanted <= set(items)
    for country in ("Q31", "Q45", "Q183"):  # Belgium, Portugal, Germany
        assert "Q6256" in _p31(items[country]["claims"])
    for city in ("Q585", "Q1757", "Q749"):  # Oslo, Helsinki, Groningen
        assert "Q515" in _p31(items[city]["claims"])
    assert "Q7188" in _p31(items["Q2148"]["claims"])  # Government of the Soviet Union

    fixtures = shared_path("data/kb-sources/wikidata-fixtures/wbgetentities")
    [putin_file] = [p for p in fixtures.iterdir() if "_q7747_" in p.name]
    putin = json.loads(putin_file.read_text(encoding="utf-8"))["entities"]["Q7747"]
    assert putin["labels"]["en"]["value"] == "Vladimir Putin" and "Q5" in _p31(putin["claims"])

    fb = json.loads(shared_path("data/kb-sources/general/FB15K_entity2wikidata.json").read_text(encoding="utf-8"))
    labels = {v["wikidata_id"]: v["label"] for v in fb.values()}
    assert labels["Q43229"] == "organization" and labels["Q7188"] == "government"


# --- kg.vocab ----------------------------------------------------------------------------------------

def test_bind_prefixes_uses_http_schema_org():
    g = bind_prefixes(Graph())
    prefixes = dict(g.namespaces())
    assert str(prefixes["schema"]) == "http://schema.org/"
    assert str(prefixes["kg"]) == KG_NS and str(prefixes["plover"]) == PLOVER_NS
    g.add((WD.Q7747, SCHEMA.name, Literal("x")))
    assert "schema:name" in g.serialize(format="turtle")


def test_importing_vocab_and_validate_is_cheap(tmp_path):
    """No side effects at import: neither module pulls in pySHACL, spaCy or pyoxigraph."""
    import os

    import kg

    code = ("import sys, kg.vocab, kg.validate; "
            "print(sorted(m for m in ('pyshacl', 'spacy', 'pyoxigraph') if m in sys.modules))")
    env = dict(os.environ, PYTHONPATH=str(Path(kg.__file__).resolve().parents[1]))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=str(tmp_path), env=env)
    assert out.stdout.strip() == "[]"
