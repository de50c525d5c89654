"""Namespaces: our own closed vocabularies (KG, PLOVER) and the open ones the package writes.

``KG`` and ``PLOVER`` are closed: every term is declared in ``ontology/kg.ttl`` (a test checks
both directions), and a typo such as ``KG.Contry`` raises ``AttributeError`` instead of minting
a new IRI. ``KG["Person"]`` works too (and raises the same way for an unknown name).

Importing this module has no side effects; :func:`bind_prefixes` binds the prefixes on a graph.
"""
from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD, DefinedNamespace


class KG(DefinedNamespace):
    """The geonews-kg ontology (``ontology/kg.ttl``)."""

    _NS = Namespace("https://w3id.org/geonews-kg/ontology#")
    _fail = True

    # classes: entities
    Entity: URIRef
    Location: URIRef
    Country: URIRef
    Territory: URIRef
    City: URIRef
    Organization: URIRef
    InternationalOrganization: URIRef
    GovernmentOrganization: URIRef
    MediaOrganization: URIRef
    NewsAgency: URIRef
    Person: URIRef
    Position: URIRef
    NILEntity: URIRef
    # classes: statements about the text
    Fact: URIRef
    Claim: URIRef
    Boilerplate: URIRef

    # properties
    context: URIRef
    beginIndex: URIRef
    endIndex: URIRef
    evidence: URIRef
    evidenceMention: URIRef
    confidence: URIRef
    linkMethod: URIRef
    trigger: URIRef
    cameoCode: URIRef
    hasTarget: URIRef
    reportedBy: URIRef
    boilerplateKind: URIRef
    boilerplate: URIRef
    nilKey: URIRef
    startTime: URIRef
    endTime: URIRef


class PLOVER(DefinedNamespace):
    """The 16 PLOVER event categories as SKOS concepts, and their concept scheme."""

    _NS = Namespace("https://w3id.org/geonews-kg/plover#")
    _fail = True

    scheme: URIRef
    AGREE: URIRef
    CONSULT: URIRef
    SUPPORT: URIRef
    CONCEDE: URIRef
    COOPERATE: URIRef
    AID: URIRef
    RETREAT: URIRef
    REQUEST: URIRef
    ACCUSE: URIRef
    REJECT: URIRef
    THREATEN: URIRef
    PROTEST: URIRef
    SANCTION: URIRef
    MOBILIZE: URIRef
    COERCE: URIRef
    ASSAULT: URIRef


#: The 16 PLOVER categories, in the order of the PLOVER codebook.
PLOVER_CATEGORIES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)

# open namespaces
KGR = Namespace("https://w3id.org/geonews-kg/id/")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SCHEMA = Namespace("http://schema.org/")  # http, as the output contract says (rdflib's SDO is https)
PROV = Namespace("http://www.w3.org/ns/prov#")

PREFIXES: dict[str, str] = {
    "kg": str(KG._NS),
    "plover": str(PLOVER._NS),
    "kgr": str(KGR),
    "wd": str(WD),
    "wdt": str(WDT),
    "schema": str(SCHEMA),
    "nif": str(NIF),
    "itsrdf": str(ITSRDF),
    "sem": str(SEM),
    "prov": str(PROV),
    "skos": str(SKOS),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind our prefixes on ``graph`` (replacing rdflib's default ``schema:`` → https binding)."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, Namespace(ns), override=True, replace=True)
    return graph


def graph_of(*parts) -> Graph:
    """A Graph with our prefixes holding the triples of every part (iterables of triples)."""
    g = bind_prefixes(Graph())
    add = g.add
    for part in parts:
        for t in part:
            add(t)
    return g


__all__ = [
    "KG", "PLOVER", "PLOVER_CATEGORIES", "KGR", "WD", "WDT", "NIF", "ITSRDF", "SEM", "SCHEMA", "PROV",
    "SKOS", "OWL", "RDF", "RDFS", "XSD", "PREFIXES", "bind_prefixes", "graph_of",
]
