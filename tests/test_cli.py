"""The `kg` command, in-process: outputs, exit codes, one-line errors, nothing half-written."""
from __future__ import annotations

import json

import pytest
from rdflib import Dataset, Graph, URIRef
from typer.testing import CliRunner

from kg.cli import app
from tests_support import ID_TEXT, EN_TEXT

runner = CliRunner()
SCHEMA = "http://schema.org/"


def run(*args, input=None):
    return runner.invoke(app, list(args), input=input)


def test_build_seed_article_writes_valid_turtle(tmp_path, example_text):
    src = tmp_path / "kontan.txt"
    src.write_text(example_text, encoding="utf-8")
    out = tmp_path / "kontan.ttl"
    r = run("build", str(src), "--published", "2022-09-13", "-o", str(out))
    assert r.exit_code == 0, r.output
    g = Graph().parse(out, format="turtle")
    [art] = list(g.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef(SCHEMA + "NewsArticle")))
    assert str(g.value(art, URIRef(SCHEMA + "identifier"))) == "kontan"
    assert str(g.value(art, URIRef(SCHEMA + "datePublished"))) == "2022-09-13"
    assert str(g.value(art, URIRef(SCHEMA + "inLanguage"))) == "id"
    # also readable by an independent parser
    import pyoxigraph
    assert len(list(pyoxigraph.parse(path=str(out), format=pyoxigraph.RdfFormat.TURTLE))) == len(g)
    r = run("validate", str(out))
    assert r.exit_code == 0, r.output


def test_stdin_to_stdout():
    r = run("build", "-", "--lang", "en", "-o", "-", input=EN_TEXT)
    assert r.exit_code == 0, r.output
    g = Graph().parse(data=r.stdout, format="turtle")
    assert len(g) > 10


@pytest.mark.parametrize("setup, args, fragment", [
    (None, ["missing.txt"], "missing.txt: no such file"),
    (b"", ["x.txt"], "x.txt: empty text"),
    (b"\x00\x01\x02binary", ["x.txt"], "x.txt: binary data"),
    (b"caf\xe9 au lait", ["x.txt"], "x.txt: not UTF-8"),
])
def test_bad_single_input_one_line_error_no_output(tmp_path, monkeypatch, setup, args, fragment):
    monkeypatch.chdir(tmp_path)
    if setup is not None:
        (tmp_path / args[0]).write_bytes(setup)
    r = run("build", *args, "-o", "out.ttl")
    assert r.exit_code == 2
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and fragment in lines[0] and lines[0].startswith("kg: ")
    assert not (tmp_path / "out.ttl").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.ttl")]


def test_unknown_lang_and_bad_date(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(ID_TEXT, encoding="utf-8")
    r = run("build", str(src), "--lang", "fr", "-o", str(tmp_path / "o.ttl"))
    assert r.exit_code == 2 and "unknown language 'fr'" in r.stderr
    r = run("build", str(src), "--published", "13/09/2022", "-o", str(tmp_path / "o.ttl"))
    assert r.exit_code == 2 and "YYYY-MM-DD" in r.stderr
    r = run("build", str(src), "-o", str(tmp_path / "o.json"))
    assert r.exit_code == 2 and ".trig" in r.stderr
    assert not (tmp_path / "o.ttl").exists()


def test_batch_jsonl_writes_good_articles_reports_bad_ones(tmp_path):
    jl = tmp_path / "batch.jsonl"
    jl.write_text("\n".join([
        json.dumps({"id": "a1", "text": ID_TEXT, "published": "2022-09-13"}),
        "{broken",
        json.dumps({"id": "a2", "text": EN_TEXT, "lang": "en"}),
        json.dumps({"id": "a3", "text": EN_TEXT, "lang": "xx"}),
    ]) + "\n", encoding="utf-8")
    out = tmp_path / "out.trig"
    r = run("build", str(jl), "-o", str(out))
    assert r.exit_code == 1
    assert f"{jl}:2: malformed JSON" in r.stderr
    assert f"{jl}:4:" in r.stderr and "unknown language 'xx'" in r.stderr
    ds = Dataset(default_union=True)
    ds.parse(out, format="trig")
    ids = {str(o) for o in ds.objects(None, URIRef(SCHEMA + "identifier"))}
    assert ids == {"a1", "a2"}
    named = [g for g in ds.graphs() if len(g) and g.identifier.startswith("https://w3id.org/geonews-kg/id/article/")]
    assert len(named) == 2


def test_directory_batch_with_bad_file(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(ID_TEXT, encoding="utf-8")
    (d / "bad.txt").write_bytes(b"\xff\xfe\x00\x00")
    out = tmp_path / "out.trig"
    r = run("build", str(d), "-o", str(out))
    assert r.exit_code == 1 and "bad.txt" in r.stderr
    assert out.exists()


def test_turtle_output_refuses_several_articles(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(ID_TEXT, encoding="utf-8")
    (d / "b.txt").write_text(ID_TEXT, encoding="utf-8")
    r = run("build", str(d), "-o", str(tmp_path / "o.ttl"))
    assert r.exit_code == 2 and ".trig" in r.stderr
    assert not (tmp_path / "o.ttl").exists()


def test_validate_exit_codes(tmp_path):
    bad_syntax = tmp_path / "broken.ttl"
    bad_syntax.write_text("@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\nex:d ex:e \n", encoding="utf-8")
    r = run("validate", str(bad_syntax))
    assert r.exit_code == 2 and "broken.ttl" in r.stderr
    violating = tmp_path / "v.ttl"
    violating.write_text(
        "@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "<http://ex/m> nif:anchorOf \"Rusia\" ; nif:referenceContext <http://ex/c> ;\n"
        "  nif:beginIndex \"9\"^^xsd:nonNegativeInteger ; nif:endIndex \"4\"^^xsd:nonNegativeInteger .\n",
        encoding="utf-8")
    r = run("validate", str(violating))
    assert r.exit_code == 1 and "http://ex/m" in r.stdout
    assert run("validate", str(tmp_path / "none.ttl")).exit_code == 2


def test_query_over_built_article(tmp_path, example_text):
    src = tmp_path / "kontan.txt"
    src.write_text(example_text, encoding="utf-8")
    out = tmp_path / "kontan.ttl"
    assert run("build", str(src), "--published", "2022-09-13", "-q", "-o", str(out)).exit_code == 0
    r = run("query", "offices-held", "--data", str(out), "--format", "csv")
    assert r.exit_code == 0, r.output
    text = r.stdout
    for name in ("Nikol Pashinyan", "Vladimir Putin", "Emmanuel Macron", "Antony Blinken"):
        assert name in text
    r = run("query", "mentions-of-entity", "--data", str(out), "--param", "entity=Q227", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)["results"]["bindings"]
    assert len(rows) >= 8 and all(b["anchor"]["value"] == "Azerbaijan" for b in rows if "anchor" in b)
    # an injection attempt is refused with a one-line error naming the parameter
    r = run("query", "mentions-of-entity", "--data", str(out), "--param", "entity=wd:Q1> } ; DROP ALL ; #")
    assert r.exit_code == 2 and "entity" in r.stderr
    r = run("query", "no-such-query", "--data", str(out))
    assert r.exit_code == 2 and "offices-held" in r.stderr


def test_output_file_has_the_usual_mode(tmp_path):
    import os
    src = tmp_path / "a.txt"
    src.write_text(ID_TEXT, encoding="utf-8")
    out = tmp_path / "a.ttl"
    assert run("build", str(src), "-q", "-o", str(out)).exit_code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
