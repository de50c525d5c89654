"""kg.ingest: articles into a persistent store through the validation gate, embedded and remote
(`oxigraph serve` on 127.0.0.1, see test_store.py). Idempotence, replacement, shared entity nodes,
bad records, rejected graphs, interrupted and killed batches, parallel workers, queries on the result."""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from kg import query as q
from kg import vocab as V
from kg.errors import KgError
from kg.ingest import commit, context, ingest, ingest_inputs, references, rich_progress
from kg.pipeline import process
from kg.rdf import BACKGROUND_GRAPH, article_iri
from kg.read import Article, BadInput
from kg.store import INGEST_GRAPH, ArticleData, open_store

# the server helper and the store fixtures (server, remote, embedded, any_store) are test_store's
from test_store import OxigraphServer, any_store, embedded, quadset, remote, server  # noqa: F401

pytestmark = [pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
              pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")]

ROOT = Path(__file__).resolve().parents[1]

# Two short Indonesian articles (written for these tests) naming the same people, offices and a NIL ministry.
T1 = ("MOSKWA - Presiden Rusia Vladimir Putin menerima Perdana Menteri Armenia Nikol Pashinyan di Kremlin pada Selasa. "
      "Kementerian Luar Negeri Rusia menyebut keduanya membahas gencatan senjata di perbatasan Armenia dan Azerbaijan.")
T2 = ("YEREVAN - Perdana Menteri Armenia Nikol Pashinyan mengatakan pemerintahnya siap berunding dengan Azerbaijan. "
      "Pashinyan berterima kasih kepada Presiden Rusia Vladimir Putin, kata Kementerian Luar Negeri Rusia.")
T1_CHANGED = T1.replace("pada Selasa", "pada Rabu")
PASHINYAN, PUTIN, PM_ARMENIA = V.WD.Q7035479, V.WD.Q7747, V.WD.Q1123764
NIL_MFA = V.KGR["entity/governmentorganization/ministry-of-foreign-affairs-of-russia"]


def art(ident: str, text: str, published: str = "2022-09-13") -> Article:
    return Article(id=ident, text=text, lang="id", published=date.fromisoformat(published), source=f"{ident}.txt")


def batch() -> list[Article]:
    return [art("moskwa-1", T1, "2022-09-13"), art("yerevan-2", T2, "2022-09-20")]



def graph_triples(store, graph: URIRef) -> set:
    return {(s, p, o) for s, p, o, g in store.quads() if g == graph}


def rows(store, name: str, **params) -> list[dict[str, str]]:
    res = q.run(q.load_query(name), store, params)
    return [{v: q.short(t) for v, t in zip(res.vars, r)} for r in res.rows]


# ---------------------------------------------------------------------------------------------


def test_embedded_and_remote_give_the_same_quads(embedded, remote):
    for store in (embedded, remote):
        s = ingest(batch(), store)
        assert (s.ingested, s.unchanged, len(s.rejected), s.exit_code) == (2, 0, 0, 0)
    assert quadset(embedded) == quadset(remote)
    assert set(embedded.named_graphs()) == set(remote.named_graphs()) == {
        article_iri("moskwa-1"), article_iri("yerevan-2"), BACKGROUND_GRAPH, INGEST_GRAPH}
    for name, params in [("entity-timeline", {"entity": "Q7747"}), ("offices-held-over-time", {}),
                         ("co-occurrence-network", {"minArticles": "2"}), ("new-entities-since", {"since": "2022-09-14"})]:
        assert sorted(map(sorted, (r.items() for r in rows(embedded, name, **params)))) == \
            sorted(map(sorted, (r.items() for r in rows(remote, name, **params)))), name


def test_reingest_is_idempotent(any_store):
    first = ingest(batch(), any_store)
    before = quadset(any_store)
    again = ingest(batch(), any_store)
    assert (again.ingested, again.replaced, again.unchanged, again.triples) == (0, 0, 2, 0)
    assert [o.status for o in again.outcomes] == ["unchanged", "unchanged"]
    assert quadset(any_store) == before and first.triples > 0
    assert "0 ingested, 0 replaced, 2 unchanged, 0 rejected" in again.text()


def test_changed_article_replaces_its_graph(any_store):
    ingest(batch(), any_store)
    old = graph_triples(any_store, article_iri("moskwa-1"))
    other = graph_triples(any_store, article_iri("yerevan-2"))
    s = ingest([art("moskwa-1", T1_CHANGED)], any_store)
    assert [o.status for o in s.outcomes] == ["replaced"]
    new = graph_triples(any_store, article_iri("moskwa-1"))
    expected = process(art("moskwa-1", T1_CHANGED), validate=False).graphs.graph
    assert len(new) == len(expected) and new != old
    assert not any("Selasa" in str(o) for _, _, o in new) and any("Rabu" in str(o) for _, _, o in new)
    assert graph_triples(any_store, article_iri("yerevan-2")) == other  # the other article is untouched
    assert ingest([art("moskwa-1", T1_CHANGED)], any_store).unchanged == 1


def test_articles_share_entity_nodes(any_store):
    ingest(batch(), any_store)
    a1, a2 = article_iri("moskwa-1"), article_iri("yerevan-2")
    for entity in (PASHINYAN, PUTIN, NIL_MFA):
        for a in (a1, a2):
            assert any(p == V.ITSRDF.taIdentRef and o == entity for _, p, o in graph_triples(any_store, a)), (entity, a)
    assert [r["article"] for r in rows(any_store, "articles-mentioning-entity", entity="Q7035479")] == [
        "kgr:article/yerevan-2", "kgr:article/moskwa-1"]  # newest first
    nil = [r for r in rows(any_store, "nil-entities") if r["entity"] == q.short(NIL_MFA)]
    assert len(nil) == 1 and nil[0]["articles"] == "2"  # one node, two articles
    edges = {(r["source"], r["target"]): r["articles"] for r in rows(any_store, "co-occurrence-network")}
    assert edges[("wd:Q7035479", "wd:Q7747")] == "2"
    offices = rows(any_store, "offices-held-over-time", person="Q7035479")
    assert [(r["office"], r["published"], r["article"]) for r in offices] == [
        ("wd:Q1123764", "2022-09-13", "kgr:article/moskwa-1"), ("wd:Q1123764", "2022-09-20", "kgr:article/yerevan-2")]
    new = {r["entity"] for r in rows(any_store, "new-entities-since", since="2022-09-14")}
    assert "wd:Q1953" in new and "wd:Q7035479" not in new  # Yerevan appears in the second article only
    timeline = rows(any_store, "entity-timeline", entity="Q7747")
    assert {(r["kind"], r["time"]) for r in timeline if r["kind"] == "mention"} == {
        ("mention", "2022-09-13"), ("mention", "2022-09-20")}
    assert [r["time"] for r in timeline] == sorted(r["time"] for r in timeline)


def test_batch_with_bad_records_ingests_the_good_ones(any_store, tmp_path):
    path = tmp_path / "batch.jsonl"
    lines = [json.dumps({"id": "moskwa-1", "text": T1, "lang": "id", "published": "2022-09-13"}),
             '{"id": "broken", "text": ',
             json.dumps({"id": "empty", "text": "", "lang": "id"}),
             json.dumps({"id": "yerevan-2", "text": T2, "lang": "id", "published": "2022-09-20"})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    seen = []
    s = ingest_inputs([str(path)], any_store, on_outcome=seen.append)
    assert [o.status for o in seen] == [o.status for o in s.outcomes]
    assert s.ingested == 2 and len(s.rejected) == 2 and s.exit_code == 1
    assert [o.source for o in s.rejected] == [f"{path}:2", f"{path}:3"]
    assert all(o.reason for o in s.rejected)
    assert f"rejected {path}:2: " in s.text()
    assert set(any_store.article_hashes([article_iri("moskwa-1"), article_iri("yerevan-2")])) == {
        str(article_iri("moskwa-1")), str(article_iri("yerevan-2"))}
    only_bad = ingest([BadInput("x.jsonl:1", "malformed JSON")], any_store)
    assert only_bad.exit_code == 2


def _broken_graphs():
    """The first article with one mention's end offset moved: the anchor no longer matches the text."""
    graphs = process(art("moskwa-1", T1), validate=False).graphs
    g = graphs.graph
    mention = next(s for s, o in g.subject_objects(V.NIF.anchorOf) if str(o) == "Vladimir Putin")
    end = g.value(mention, V.NIF.endIndex)
    g.set((mention, V.NIF.endIndex, Literal(int(end) + 1, datatype=end.datatype)))
    return graphs


def test_invalid_article_is_rejected_and_the_store_unchanged(any_store):
    ingest([art("yerevan-2", T2, "2022-09-20")], any_store)
    before_quads, before_dump = quadset(any_store), any_store.export("nquads")
    outcome = commit(any_store, _broken_graphs(), source="broken.txt")
    assert outcome.status == "rejected" and "does not conform" in outcome.reason
    assert not outcome.report.conforms
    assert any(v.shape == "kgsh:Context-anchors" for v in outcome.report.violations), outcome.report.text()
    assert quadset(any_store) == before_quads and any_store.export("nquads") == before_dump
    assert any_store.article_hash(article_iri("moskwa-1")) is None


def test_gate_takes_types_from_the_store(any_store):
    """An article that relies on the store for the type of the office it names is accepted only when the
    store has that type; the gate fetches just those few rdf:type triples."""
    graphs = process(art("moskwa-1", T1), validate=False).graphs
    graphs.graph.remove((PM_ARMENIA, RDF.type, None))
    assert str(PM_ARMENIA) in {str(r) for r in references(graphs.graph, graphs.background)}
    rejected = commit(any_store, graphs)
    assert rejected.status == "rejected"
    assert {v.focus for v in rejected.report.violations} >= {"wd:Q1123764"}
    ingest([art("yerevan-2", T2, "2022-09-20")], any_store)  # types the office kg:Position
    ctx = context(any_store, graphs.graph, graphs.background)
    assert (PM_ARMENIA, RDF.type, V.KG.Position) in ctx and len(ctx) < 20
    assert commit(any_store, graphs).status == "ingested"


@pytest.mark.parametrize("group", [1, None])
def test_interrupted_batch_leaves_a_consistent_store_and_rerun_completes(embedded, tmp_path, monkeypatch, group):
    """A store error stops the batch; articles are written one by one (group 1: the first one is in) or
    in groups (the default: all three in one group, none is in); re-running completes the batch."""
    articles = batch() + [art("moskwa-3", T1_CHANGED, "2022-09-21")]
    reference = open_store(str(tmp_path / "reference"))
    ingest(articles, reference)
    calls = {"n": 0}
    real = type(embedded).write_many
    fail_at = 2 if group == 1 else 1

    def failing(self, datas):
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise KgError(f"store {self.location}: write failed (injected)")
        real(self, datas)

    monkeypatch.setattr(type(embedded), "write_many", failing)
    reported = []
    with pytest.raises(KgError, match="injected"):
        ingest(articles, embedded, group=group, on_outcome=reported.append)
    monkeypatch.setattr(type(embedded), "write_many", real)
    written = ["moskwa-1"] if group == 1 else []
    assert [o.source for o in reported] == [a.source for a in articles[:len(written)]]  # only what was written
    for a in articles:
        iri = article_iri(a.id)
        if a.id in written:  # complete, with its hash
            assert graph_triples(embedded, iri) == graph_triples(reference, iri)
            assert embedded.article_hash(iri) == reference.article_hash(iri)
        else:  # not there at all
            assert not graph_triples(embedded, iri) and embedded.article_hash(iri) is None
    s = ingest(articles, embedded)
    assert [o.status for o in s.outcomes] == ["unchanged"] * len(written) + ["ingested"] * (3 - len(written))
    assert quadset(embedded) == quadset(reference)
    reference.close()


KILL_SCRIPT = textwrap.dedent("""
    import sys
    from kg.ingest import ingest_inputs
    from kg.store import open_store
    store = open_store(sys.argv[1])
    def show(outcome):
        print(outcome.status, outcome.source, flush=True)
    ingest_inputs([sys.argv[2]], store, on_outcome=show, group=2)
    print("done", flush=True)
""")


def test_killed_ingest_leaves_a_consistent_store(tmp_path):
    """SIGKILL in the middle of a batch (written two articles at a time): every article is either complete
    (with its hash) or absent; running the batch again completes it with the same quads as an uninterrupted run."""
    records = []
    for i in range(8):
        text = (T1 if i % 2 == 0 else T2) + f" Laporan nomor {i}."
        records.append({"id": f"art-{i}", "text": text, "lang": "id", "published": f"2022-09-{10 + i}"})
    jsonl = tmp_path / "batch.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    location = tmp_path / "killed"
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(location), str(jsonl)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, text=True)
    try:
        done = []
        for line in proc.stdout:
            done.append(line.split()[0])
            if len(done) == 3:
                os.kill(proc.pid, signal.SIGKILL)
                break
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        err = proc.stderr.read()
        proc.stdout.close()
        proc.stderr.close()
    assert done[:3] == ["ingested"] * 3, err
    assert proc.returncode == -signal.SIGKILL

    reference = open_store(str(tmp_path / "reference"))
    assert ingest_inputs([str(jsonl)], reference).ingested == 8
    with open_store(str(location), create=False) as store:
        iris = [article_iri(r["id"]) for r in records]
        hashes = store.article_hashes(iris)
        assert len(hashes) >= 3
        for iri in iris:  # complete with its hash, or absent altogether
            stored = graph_triples(store, iri)
            if str(iri) in hashes:
                assert stored == graph_triples(reference, iri) and hashes[str(iri)] == reference.article_hash(iri)
            else:
                assert not stored
        s = ingest_inputs([str(jsonl)], store)
        assert s.unchanged == len(hashes) and s.ingested == 8 - len(hashes) and s.exit_code == 0
        assert quadset(store) == quadset(reference)
    reference.close()


def test_parallel_workers_give_the_same_store(tmp_path):
    articles = [art(f"p-{i}", (T1 if i % 2 else T2) + f" Berita {i}.", f"2022-09-{10 + i}") for i in range(8)]
    articles.insert(3, BadInput("bad.jsonl:4", "malformed JSON"))
    one, two = open_store(str(tmp_path / "one")), open_store(str(tmp_path / "two"))
    s1 = ingest(articles, one, workers=1)
    s2 = ingest(articles, two, workers=2)
    assert [(o.source, o.status) for o in s1.outcomes] == [(o.source, o.status) for o in s2.outcomes]
    assert s2.ingested == 8 and s2.exit_code == 1 and all(o.seconds > 0 for o in s2.outcomes[:3])
    assert quadset(one) == quadset(two)
    one.close()
    two.close()


def test_rich_progress_reports_rate(embedded):
    from rich.console import Console

    buf = io.StringIO()
    console = Console(file=buf, force_terminal=False, width=200)
    with rich_progress(total=2, console=console) as on_outcome:
        s = ingest(batch(), embedded, on_outcome=on_outcome)
    assert s.ingested == 2
    out = buf.getvalue()
    assert "articles/s" in out and "2/2" in out and "2 new" in out


def test_article_data_matches_what_is_stored(embedded):
    graphs = process(art("moskwa-1", T1), validate=False).graphs
    data = ArticleData.from_graphs(graphs.article, graphs.graph, graphs.background)
    assert commit(embedded, graphs).status == "ingested"
    assert embedded.article_hash(graphs.article) == data.content_hash
    assert commit(embedded, graphs).status == "unchanged"


def test_batched_nlp_gives_what_one_by_one_gives():
    """Workers run the NLP of several articles together (nlp.pipe); every article's graph and
    outcome must be what it would be alone, whatever its neighbours (languages mixed, a bad record)."""
    from kg.ingest import prepare, prepare_many
    from tests_support import EN_TEXT

    items = [art("a", T1), BadInput("x.jsonl:2", "malformed JSON"), art("b", T2),
             Article(id="c", text=EN_TEXT, lang="auto", published=date(2022, 9, 13), source="c.txt"),
             art("d", T1_CHANGED)]
    together = prepare_many([(i, None, None) for i in items])
    alone = [prepare(i) for i in items]
    assert [(p.source, p.error) for p in together] == [(p.source, p.error) for p in alone]
    assert together[1].error == "malformed JSON"
    for p, q_ in zip(together, alone):
        if p.data is not None:
            assert p.data == q_.data and p.report == q_.report and p.nil_pairs == q_.nil_pairs


def test_same_as_reaches_a_nil_node_written_in_the_same_group(embedded):
    """An article linking a name whose NIL node an earlier article of the batch minted gets its
    owl:sameAs even when both are written in one group (the earlier one not in the store yet)."""
    from kg.ingest import Writer, prepare

    first, second = prepare(art("moskwa-1", T1)), prepare(art("yerevan-2", T2, "2022-09-20"))
    nil = first.nil_nodes[0]
    assert all(f"<{n}> <{V.RDF.type}> <{V.KG.NILEntity}> ." in first.data.lines for n in first.nil_nodes)
    second.nil_pairs = [(nil, str(PASHINYAN))]  # as nil_candidates gives it for a name the KB knows now
    out = []
    writer = Writer(embedded, out.append, group=10)
    writer.commit(first)
    writer.commit(second)
    assert out == []  # nothing is reported before it is written
    writer.flush()
    assert [o.status for o in out] == ["ingested", "ingested"]
    assert (URIRef(nil), V.OWL.sameAs, PASHINYAN) in graph_triples(embedded, BACKGROUND_GRAPH)
