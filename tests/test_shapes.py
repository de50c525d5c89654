"""ontology/shapes.ttl and kg.validate, data-driven from tests/data/shapes/.

- ``valid-*.ttl`` conform.
- ``bad-*.ttl`` each carry ``# expect: <shape> [<path>]`` lines: the graph must not conform and the
  report must name exactly those (shape, path) pairs, so a bad file shows one fault and nothing else.
- Every node shape is exercised by at least one bad file.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from kg.errors import InputError
from kg.validate import KGSH, Report, load_rdf, shapes_graph, validate_file, validate_graph
from kg.vocab import ITSRDF, KG, KGR, NIF, PLOVER, PROV, RDFS, SCHEMA, SEM, WD, WDT, XSD, bind_prefixes

DATA = Path(__file__).parent / "data" / "shapes"
VALID = sorted(DATA.glob("valid-*.ttl"))
BAD = sorted(DATA.glob("bad-*.ttl"))
EXPECT = re.compile(r"^# expect: (\S+)(?: (\S+))?\s*$")


def _expected(path: Path) -> set[tuple[str, str | None]]:
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        m = EXPECT.match(line)
        if m:
            out.add((m[1], m[2]))
    return out


def _found(report: Report) -> set[tuple[str, str | None]]:
    return {(v.shape, v.path) for v in report.violations}


def test_data_files_present():
    assert len(VALID) >= 2 and len(BAD) >= 40


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_examples_conform(path):
    report = validate_file(path)
    assert report.conforms, report.text()
    assert report.violations == () and report.text() == "conforms"


@pytest.mark.parametrize("engine", ["pyshacl", "turbo"])
@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_bad_examples_fail_with_the_expected_shape(path, engine):
    expected = _expected(path)
    assert expected, f"{path.name} has no '# expect:' line"
    report = validate_file(path, engine=engine)
    assert not report.conforms
    assert _found(report) == expected, report.text()
    assert all(v.severity == "Violation" and v.message for v in report.violations)


@pytest.mark.parametrize("path", VALID + BAD, ids=lambda p: p.name)
def test_the_fast_engine_gives_the_reference_report(path):
    """The gate of build and ingest (pyshacl-turbo) reports exactly what pySHACL reports."""
    assert validate_file(path, engine="turbo") == validate_file(path, engine="pyshacl")


@pytest.mark.parametrize("path", VALID + BAD, ids=lambda p: p.name)
def test_plain_triples_are_validated_like_the_graph(path):
    """The ingest gate hands the article's triples over without an rdflib graph: same report."""
    from kg.validate import _union, load_rdf
    triples = list(_union(load_rdf(path)))
    for engine in ("turbo", "pyshacl"):
        assert validate_graph(triples, engine=engine) == validate_file(path, engine=engine)


def test_the_fast_engine_agrees_on_built_articles(example_text):
    import kg
    from tests_support import EN_TEXT, ID_TEXT
    for text, lang in ((example_text, "id"), (ID_TEXT, "id"), (EN_TEXT, "en")):
        g = kg.build(text, lang=lang, published="2022-09-13", validate=False)
        assert validate_graph(g, engine="turbo") == validate_graph(g, engine="pyshacl")
        broken = Graph()
        for t in g:
            broken.add(t)
        for t in list(broken.triples((None, NIF.beginIndex, None)))[:3]:
            broken.remove(t)  # mentions and sentences without a start
        a, b = validate_graph(broken, engine="turbo"), validate_graph(broken, engine="pyshacl")
        assert not a.conforms and a == b


def test_unknown_engine():
    with pytest.raises(InputError, match="unknown SHACL engine"):
        validate_graph(Graph(), engine="fast")


def _node_shape_of(shape: str, sg: Graph) -> str:
    """The node shape a property shape or SPARQL constraint belongs to (prefixed name)."""
    iri = URIRef(str(KGSH) + shape.split(":", 1)[1])
    for prop in (SH.property, SH.sparql):
        for parent in sg.subjects(prop, iri):
            return "kgsh:" + str(parent)[len(str(KGSH)):]
    return shape


def test_every_node_shape_has_a_failing_example():
    sg = shapes_graph()
    node_shapes = {"kgsh:" + str(s)[len(str(KGSH)):] for s in sg.subjects(RDF.type, SH.NodeShape)}
    covered = {_node_shape_of(shape, sg) for path in BAD for shape, _ in _expected(path)}
    assert node_shapes - covered == set()
    assert len(node_shapes) >= 14


def test_every_shape_is_named_and_has_a_message():
    sg = shapes_graph()
    shapes = set(sg.subjects(RDF.type, SH.NodeShape)) | set(sg.subjects(RDF.type, SH.PropertyShape)) \
        | set(sg.subjects(RDF.type, SH.SPARQLConstraint))
    assert len(shapes) > 60
    for s in shapes:
        assert isinstance(s, URIRef), "shapes have IRIs so that reports can name them"
        assert sg.value(s, SH.name) is not None, s
        assert sg.value(s, SH.message) is not None, s
    # property shapes are all attached to a node shape
    attached = set(sg.objects(None, SH.property))
    assert set(sg.subjects(RDF.type, SH.PropertyShape)) == attached


def test_no_shape_targets_rely_on_subclass_inference():
    """sem:Event targets must also list kg:Claim (the data has no ontology, so no inference)."""
    sg = shapes_graph()
    for s in sg.subjects(SH.targetClass, SEM.Event):
        assert (s, SH.targetClass, KG.Claim) in sg


# --- the report ------------------------------------------------------------------------------------

def test_report_text_uses_prefixed_names():
    report = validate_file(DATA / "bad-offset-begin-after-end.ttl")
    text = report.text()
    [v] = report.violations
    assert v.path == "nif:beginIndex" and v.shape == "kgsh:Offset-beginIndex"
    assert v.focus == "<https://w3id.org/geonews-kg/id/text/t#char=70,77>"
    assert v.value == '"77"^^xsd:nonNegativeInteger'
    for part in ("focus: <https://w3id.org/geonews-kg/id/text/t#char=70,77>", "path:  nif:beginIndex",
                 "shape: kgsh:Offset-beginIndex (NIF begin offset)", "smaller than nif:endIndex"):
        assert part in text


def test_report_names_the_sparql_constraint():
    report = validate_file(DATA / "bad-mention-anchor-mismatch.ttl")
    [v] = report.violations
    assert v.shape == "kgsh:Context-anchors"
    assert v.value == "<https://w3id.org/geonews-kg/id/text/t#char=94,108>"
    assert "anchor text" in v.message and "invalid NIF context" not in v.message


def test_cli_style_fragment(tmp_path):
    """An untyped span with begin > end (the CLI's own example) is reported on its focus node."""
    path = tmp_path / "v.ttl"
    path.write_text(
        "@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "<http://ex/m> nif:anchorOf \"Rusia\" ; nif:referenceContext <http://ex/c> ;\n"
        "  nif:beginIndex \"9\"^^xsd:nonNegativeInteger ; nif:endIndex \"4\"^^xsd:nonNegativeInteger .\n",
        encoding="utf-8")
    report = validate_file(path)
    assert not report.conforms
    assert ("<http://ex/m>", "kgsh:Offset-beginIndex") in {(v.focus, v.shape) for v in report.violations}
    assert "http://ex/m" in report.text()


def test_empty_graph_conforms():
    assert validate_graph(Graph()).conforms


# --- datasets and other formats ----------------------------------------------------------------------

def _split_into_dataset(g: Graph) -> Dataset:
    """Article statements in one named graph, entity descriptions in a 'background' graph."""
    ds = Dataset()
    art = ds.graph(KGR["graph/article/t"])
    bg = ds.graph(KGR["graph/background"])
    entities = set(g.subjects(RDF.type, KG.Country)) | set(g.subjects(RDF.type, KG.Position)) \
        | set(g.subjects(RDF.type, KG.Person)) | set(g.subjects(RDF.type, KG.City))
    for t in g:
        (bg if t[0] in entities else art).add(t)
    return ds


def test_dataset_is_validated_as_the_union_of_its_graphs():
    g = load_rdf(DATA / "valid-minimal.ttl")
    ds = _split_into_dataset(g)
    assert len(ds.graph(KGR["graph/background"])) > 0
    assert validate_graph(ds).conforms
    bad = _split_into_dataset(load_rdf(DATA / "bad-entity-no-label.ttl"))
    assert _found(validate_graph(bad)) == {("kgsh:Entity-label", "rdfs:label")}


@pytest.mark.parametrize("suffix, fmt", [(".nt", "nt"), (".trig", "trig"), (".nq", "nquads"), (".jsonld", "json-ld")])
def test_load_and_validate_other_formats(tmp_path, suffix, fmt):
    g = load_rdf(DATA / "valid-article.ttl")
    data = _split_into_dataset(g) if fmt in ("trig", "nquads") else g
    path = tmp_path / f"article{suffix}"
    path.write_text(data.serialize(format=fmt), encoding="utf-8")
    loaded = load_rdf(path)
    assert isinstance(loaded, Dataset) == (suffix in (".trig", ".nq", ".jsonld"))
    triples = {t for t in loaded.quads((None, None, None, None))} if isinstance(loaded, Dataset) else set(loaded)
    assert len({t[:3] for t in triples}) == len(g)
    report = validate_file(path)
    assert report.conforms, report.text()


BROKEN = [
    (".ttl", "@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\nex:d ex:e ex:f ex:g .\n", 3),
    (".ttl", "@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\nfoo:d ex:e ex:f .\n", 3),
    (".ttl", "@prefix ex: <http://ex/> .\n\nex:a ex:b \"unterminated .\nex:f ex:g ex:h .\n", 3),
    (".nt", "<http://ex/a> <http://ex/b> <http://ex/c> .\n<http://ex/a> <http://ex/b> c .\n", 2),
    (".trig", "@prefix ex: <http://ex/> .\nex:g {\n ex:a ex:b ex:c .\n ex:d ex:e ex:f ex:g .\n}\n", 4),
    (".jsonld", '{\n "@id": "http://ex/a",\n "http://ex/b": \n}\n', 4),
]


@pytest.mark.parametrize("suffix, text, line", BROKEN, ids=[f"{s}-{i}" for i, (s, _, _) in enumerate(BROKEN)])
def test_unreadable_file_raises_input_error_with_line(tmp_path, suffix, text, line):
    path = tmp_path / f"broken{suffix}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        validate_file(path)
    message = str(err.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert "\n" not in message


def test_missing_unknown_and_undecodable_files(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        validate_file(tmp_path / "none.ttl")
    (tmp_path / "a.xyz").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="unknown RDF file type"):
        load_rdf(tmp_path / "a.xyz")
    (tmp_path / "latin1.ttl").write_bytes(b'@prefix ex: <http://ex/> .\nex:a ex:b "caf\xe9" .\n')
    with pytest.raises(InputError, match=r"latin1\.ttl:2: not UTF-8"):
        load_rdf(tmp_path / "latin1.ttl")
    with pytest.raises(InputError, match="directory"):
        load_rdf(tmp_path)


# --- speed -------------------------------------------------------------------------------------------

def synthetic_article(n_sentences: int) -> Graph:
    """A realistic article graph: 6 mentions per sentence, a fact every 4th sentence, a claim every 4th."""
    sentence = "Presiden Rusia Vladimir Putin mengatakan Kementerian Pertahanan Rusia menyerang Ukraina dari Moskow."
    nil = KGR["entity/governmentorganization/ministry-of-defence/russia"]
    entities = [(WD.Q7747, KG.Person, "Vladimir Putin"), (WD.Q218295, KG.Position, "Presiden Rusia"),
                (WD.Q159, KG.Country, "Rusia"), (WD.Q212, KG.Country, "Ukraina"), (WD.Q649, KG.City, "Moskow"),
                (nil, KG.GovernmentOrganization, "Kementerian Pertahanan Rusia")]
    text = " ".join([sentence] * n_sentences)

    def nn(n):
        return Literal(n, datatype=XSD.nonNegativeInteger)

    def dbl(x):
        return Literal(x, datatype=XSD.double)

    g = bind_prefixes(Graph())
    a, ctx = KGR["article/bench"], KGR[f"text/bench#char=0,{len(text)}"]
    for p, o in ((RDF.type, SCHEMA.NewsArticle), (SCHEMA.identifier, Literal("bench")), (SCHEMA.inLanguage, Literal("id")),
                 (SCHEMA.datePublished, Literal("2022-02-24", datatype=XSD.date)), (KG.context, ctx)):
        g.add((a, p, o))
    for p, o in ((RDF.type, NIF.Context), (RDF.type, NIF.String), (NIF.isString, Literal(text)),
                 (NIF.beginIndex, nn(0)), (NIF.endIndex, nn(len(text)))):
        g.add((ctx, p, o))
    for e, cls, label in entities:
        g.add((e, RDF.type, cls))
        g.add((e, RDFS.label, Literal(label, lang="id")))
        g.add((a, SCHEMA.mentions, e))
    g.add((nil, RDF.type, KG.NILEntity))
    g.add((nil, KG.nilKey, Literal("governmentorganization/ministry-of-defence/russia")))
    g.add((WD.Q7747, WDT.P39, WD.Q218295))
    for i in range(n_sentences):
        b = i * (len(sentence) + 1)
        s = KGR[f"text/bench/sentence/{i}"]
        for p, o in ((RDF.type, NIF.Sentence), (NIF.anchorOf, Literal(sentence)), (KG.beginIndex, nn(b)),
                     (KG.endIndex, nn(b + len(sentence))), (NIF.referenceContext, ctx)):
            g.add((s, p, o))
        mentions = []
        for e, cls, label in entities:
            mb = b + sentence.index(label)
            m = KGR[f"text/bench#char={mb},{mb + len(label)}"]
            mentions.append(m)
            for p, o in ((RDF.type, NIF.Phrase), (RDF.type, NIF.String), (NIF.anchorOf, Literal(label)),
                         (NIF.beginIndex, nn(mb)), (NIF.endIndex, nn(mb + len(label))), (NIF.referenceContext, ctx),
                         (NIF.sentence, s), (ITSRDF.taIdentRef, e), (ITSRDF.taClassRef, cls),
                         (KG.confidence, dbl(0.9)), (KG.linkMethod, Literal("gazetteer"))):
                g.add((m, p, o))
        if i % 4 == 0:
            f = KGR[f"article/bench/fact/{i}"]
            for p, o in ((RDF.type, KG.Fact), (RDF.subject, WD.Q7747), (RDF.predicate, WDT.P39), (RDF.object, WD.Q218295),
                         (KG.evidence, s), (KG.evidenceMention, mentions[0]), (KG.evidenceMention, mentions[1]),
                         (KG.confidence, dbl(0.95)), (PROV.wasDerivedFrom, a)):
                g.add((f, p, o))
        if i % 4 == 1:
            ev = KGR[f"article/bench/event/{i}"]
            for p, o in ((RDF.type, SEM.Event), (RDF.type, KG.Claim), (SEM.eventType, PLOVER.ASSAULT),
                         (SEM.hasActor, nil), (KG.hasTarget, WD.Q212), (KG.evidence, s), (KG.trigger, Literal("menyerang")),
                         (PROV.wasAttributedTo, WD.Q7747), (KG.cameoCode, Literal("19")),
                         (SEM.hasTimeStamp, Literal("2022-02-24", datatype=XSD.date))):
                g.add((ev, p, o))
    return g


def test_a_synthetic_500_triple_article_conforms():
    # the same graph benchmarks/bench_validate.py times
    g = synthetic_article(6)
    assert 450 <= len(g) <= 550
    assert validate_graph(g).conforms
