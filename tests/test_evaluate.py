"""kg.evaluate: gold readers, strong-matching arithmetic, error groups, and an end-to-end run.

The gold files under tests/data/eval/ are small and hand-made (not taken from the evaluation data).
"""
from __future__ import annotations

import json
import random
import sys
from datetime import date
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.evaluate import (EvalReport, GoldDoc, GoldMention, Prediction, Scores, analyse_errors, as_qid,
                         detect_format, evaluate, predict, read_elevant, read_gold, read_nif, score,
                         score_document)

DATA = Path(__file__).parent / "data" / "eval"
NIF_GOLD = DATA / "tiny-id.ttl"
ELEVANT_GOLD = DATA / "tiny-news.jsonl"


def gm(b, e, q, i, **kw) -> GoldMention:
    return GoldMention(b, e, q, id=i, **kw)


def counts(ds) -> tuple[int, int, int]:
    return ds.scores.tp, ds.scores.fp, ds.scores.fn


# ---------------------------------------------------------------- arithmetic

def test_scores_prf():
    s = Scores(3, 1, 2)
    assert s.precision == pytest.approx(0.75)
    assert s.recall == pytest.approx(0.6)
    assert s.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert Scores().f1 == 0.0 and Scores().precision == 0.0 and Scores().recall == 0.0
    s += Scores(1, 1, 1)
    assert (s.tp, s.fp, s.fn) == (4, 2, 3)
    assert s.to_dict()["f1"] == round(s.f1, 4)


def test_as_qid():
    assert as_qid("Q227") == "Q227"
    assert as_qid("http://www.wikidata.org/entity/Q227") == "Q227"
    for value in (None, "", "<NIL>", "QUANTITY", "nil:person/budi", "https://www.wikidata.org/wiki/Q227", "Q0"):
        assert as_qid(value) is None


def test_strong_matching_same_span_and_same_qid():
    gold = [gm(0, 5, "Q1", 0), gm(6, 10, "Q2", 1), gm(11, 15, None, 2), gm(20, 24, "Q5", 3)]
    preds = [(0, 5, "Q1"),              # TP
             (6, 10, "Q3"),             # wrong entity: FP, and Q2 is missed
             (11, 15, "Q4"),            # linked a NIL gold mention: FP
             (19, 24, "Q5"),            # right entity, wrong span: FP, and Q5 at 20-24 is missed
             (30, 35, "nil:person/x"),  # NIL prediction: never counted
             (0, 5, "Q1")]              # duplicate: counted once
    ds = score_document(gold, preds)
    assert counts(ds) == (1, 3, 2)
    assert {m.qid for m in ds.false_negatives} == {"Q2", "Q5"}
    assert ds.false_positives == [(6, 10, "Q3"), (11, 15, "Q4"), (19, 24, "Q5")]


def test_in_scope_restriction():
    gold = [gm(0, 5, "Q1", 0), gm(6, 10, "Q2", 1), gm(11, 15, "Q9", 2)]
    preds = [(0, 5, "Q1"),    # in scope, TP
             (6, 10, "Q3"),   # Q3 in scope: FP; gold Q2 out of scope, not required
             (11, 15, "Q8"),  # out of scope, overlaps no in-scope gold: ignored
             (1, 3, "Q7")]    # out of scope but overlaps in-scope gold Q1: FP
    ds = score_document(gold, preds, scope={"Q1", "Q3"})
    assert counts(ds) == (1, 2, 0)
    # a KnowledgeBase-like container works as the scope
    class Box:
        def __contains__(self, q):
            return q in {"Q1", "Q3"}
    assert counts(score_document(gold, preds, scope=Box())) == (1, 2, 0)


def test_evaluation_span_ignores_outside_predictions_and_gold():
    gold = [gm(0, 5, "Q1", 0), gm(12, 16, "Q2", 1), gm(30, 35, "Q3", 2)]
    preds = [(0, 5, "Q9"),    # before the span: ignored (not an FP)
             (12, 16, "Q2"),  # TP
             (18, 22, "Q4"),  # FP inside the span
             (24, 27, "Q5")]  # crosses the end of the span: ignored
    ds = score_document(gold, preds, span=(10, 25))
    assert counts(ds) == (1, 1, 0)  # gold Q1 and Q3 lie outside: not required


def test_optional_coref_and_quantity_mentions():
    gold = [gm(0, 2, "Q1", 0, optional=True, kind="coref"),
            gm(3, 5, "Q2", 1, optional=True, kind="coref"),
            gm(6, 8, "Q3", 2, optional=True, kind="desc"),
            gm(9, 11, None, 3, optional=True, kind="QUANTITY"),
            gm(12, 16, "Q4", 4)]
    preds = [(0, 2, "Q1"),   # correct on an optional mention: neither TP nor FP
             (3, 5, "Q7"),   # wrong entity on an optional mention: FP
             (9, 11, "Q8")]  # linked a quantity: FP
    ds = score_document(gold, preds)
    assert counts(ds) == (0, 2, 1)  # the missed coref/desc mentions are not false negatives
    assert [m.qid for m in ds.false_negatives] == ["Q4"]


def test_alternatives_parent_or_all_children():
    gold = [gm(0, 17, "Q239", 0, children=(1, 2)), gm(0, 8, "Q239", 1, parent=0), gm(10, 17, "Q31", 2, parent=0)]
    assert counts(score_document(gold, [(0, 17, "Q239")])) == (1, 0, 0)
    assert counts(score_document(gold, [(0, 8, "Q239"), (10, 17, "Q31")])) == (1, 0, 0)
    # one child alone does not satisfy the mention, but is not a false positive either
    assert counts(score_document(gold, [(0, 8, "Q239")])) == (0, 0, 1)
    assert counts(score_document(gold, [(0, 17, "Q31")])) == (0, 1, 1)
    assert counts(score_document(gold, [])) == (0, 0, 1)


def test_alternative_entity_on_the_same_span_and_nil_roots():
    # "Justice" as the office or as the concept: either QID is right
    gold = [gm(0, 7, "Q56", 0, children=(1,)), gm(0, 7, "Q16", 1, parent=0)]
    assert counts(score_document(gold, [(0, 7, "Q16")])) == (1, 0, 0)
    assert counts(score_document(gold, [(0, 7, "Q56")])) == (1, 0, 0)
    # a NIL root ("senior executives") makes its linked children optional
    gold = [gm(0, 17, None, 0, children=(1,)), gm(7, 17, "Q97", 1, parent=0)]
    assert counts(score_document(gold, [])) == (0, 0, 0)
    assert counts(score_document(gold, [(7, 17, "Q97")])) == (0, 0, 0)
    assert counts(score_document(gold, [(0, 17, "Q97")])) == (0, 1, 0)


def test_flat_gold_matches_kgeval():
    """On flat gold (NIF) the counts are exactly shared/tools/kgeval.py's, overall and in scope."""
    path = Path(__file__).resolve().parents[2] / "shared" / "tools" / "kgeval.py"
    if not path.exists():
        pytest.skip("needs ../shared/tools/kgeval.py")
    sys.path.insert(0, str(path.parent))
    try:
        import kgeval
    finally:
        sys.path.remove(str(path.parent))
    rng = random.Random(7)
    qids = [f"Q{n}" for n in range(1, 9)] + [None]
    for _ in range(300):
        gold, preds = [], []
        for i in range(rng.randint(0, 6)):
            b = rng.randint(0, 30)
            gold.append((b, b + rng.randint(1, 6), rng.choice(qids)))
        for _ in range(rng.randint(0, 6)):
            if gold and rng.random() < 0.5:
                b, e, q = rng.choice(gold)
                preds.append((b, e, rng.choice([q, q, "Q3", "nil:x/y"])))
            else:
                b = rng.randint(0, 30)
                preds.append((b, b + rng.randint(1, 6), rng.choice(qids[:-1] + ["nil:person/a"])))
        doc = [gm(b, e, q, i) for i, (b, e, q) in enumerate(dict.fromkeys(gold))]
        kpred = [(b, e, as_qid(q)) for b, e, q in preds]
        scope = set(rng.sample(qids[:-1], 4))
        for sc in (None, scope):
            ours = score_document(doc, preds, scope=sc).scores
            ref = kgeval.score_mentions({"d": gold}, {"d": kpred}, sc)
            assert (ours.tp, ours.fp, ours.fn) == ref[:3], (gold, preds, sc)


def test_score_sums_documents():
    docs = [GoldDoc("a", "x" * 20, [gm(0, 3, "Q1", 0)]),
            GoldDoc("b", "x" * 20, [gm(0, 3, "Q2", 0)], evaluation_span=(5, 20))]
    preds = {"a": [Prediction(0, 3, "Q1")], "b": [Prediction(0, 3, "Q2"), Prediction(6, 8, "Q3")]}
    s = score(docs, preds)
    assert (s.tp, s.fp, s.fn) == (1, 1, 0)


# ---------------------------------------------------------------- readers

def test_read_nif():
    docs = read_nif(NIF_GOLD)
    assert [d.id.split("/")[-1] for d in docs] == ["1#0,80", "2#0,65", "10#0,103"]  # natural order
    first = docs[2]
    assert first.text.startswith("Presiden Azerbaijan Ilham Aliyev")
    assert first.evaluation_span is None and first.span == (0, len(first.text))
    # the mention given twice counts once
    assert [(m.surface, m.qid) for m in first.mentions] == [
        ("Azerbaijan", "Q227"), ("Ilham Aliyev", "Q57371"), ("Armenia", "Q399"),
        ("Nikol Pashinyan", "Q7035479"), ("Brussel", "Q239")]
    for d in docs:
        for m in d.mentions:
            assert d.text[m.start:m.end] == m.surface
    nil = [m for m in docs[0].mentions if m.surface == "Budi Santoso"]
    assert nil and nil[0].qid is None and not nil[0].optional


def test_read_nif_errors(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> \"unterminated .\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.ttl"):
        read_nif(bad)
    with pytest.raises(InputError, match="missing.ttl"):
        read_nif(tmp_path / "missing.ttl")
    outside = tmp_path / "outside.ttl"
    outside.write_text(
        '@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .\n'
        '<c> nif:isString "Jakarta" .\n<m> nif:referenceContext <c> ; nif:beginIndex 0 ; nif:endIndex 99 .\n',
        encoding="utf-8")
    with pytest.raises(InputError, match="outside its context"):
        read_nif(outside)


def test_read_elevant():
    docs = read_elevant(ELEVANT_GOLD)
    assert [d.id for d in docs] == ["1001", "1002"]
    d = docs[0]
    assert d.published == date(2022, 9, 13) and docs[1].published is None
    assert d.evaluation_span == (d.text.index("Armenia"), len(d.text) - 1)
    by_surface = {m.surface: m for m in d.mentions}
    assert by_surface["Armenia"].qid == "Q399" and not by_surface["Armenia"].optional
    assert by_surface["He"].optional and by_surface["He"].kind == "coref"
    assert by_surface["The nation"].optional and by_surface["The nation"].kind == "desc"
    assert by_surface["2"].qid is None and by_surface["2"].kind == "QUANTITY"
    assert by_surface["ministers"].qid is None and by_surface["ministers"].kind == "NIL"
    assert by_surface["Brussels, Belgium"].children == (4, 5) and by_surface["Belgium"].parent == 3
    assert docs[1].mentions[0].optional  # "optional": true


def test_read_elevant_errors(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(ELEVANT_GOLD.read_text(encoding="utf-8").splitlines()[0] + "\n{\"text\": \"x\", \"labels\": [{}]}\n",
                   encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.jsonl:2:"):
        read_elevant(bad)


def test_scoring_on_the_elevant_file():
    d = read_elevant(ELEVANT_GOLD)[0]
    at = lambda s: (d.text.index(s), d.text.index(s) + len(s))  # noqa: E731
    preds = [(*at("LONDON"), "Q84"),        # outside the evaluation span: ignored
             (*at("Armenia"), "Q399"),      # TP
             (*at("Brussels"), "Q239"), (*at("Belgium"), "Q31"),  # both children: TP for the root
             (*at("He"), "Q7035479"),       # coref, correct: not counted
             (*at("Tuesday"), "Q123"),      # a date linked: FP
             (*at("The nation"), "Q399")]   # descriptive, correct: not counted
    ds = score_document(d.mentions, preds, span=d.evaluation_span)
    assert counts(ds) == (2, 1, 1)  # Azerbaijan missed
    assert [m.surface for m in ds.false_negatives] == ["Azerbaijan"]


def test_detect_format_and_read_gold(tmp_path):
    assert detect_format(NIF_GOLD) == "nif"
    assert detect_format(ELEVANT_GOLD) == "elevant"
    plain = tmp_path / "gold"
    plain.write_text(ELEVANT_GOLD.read_text(encoding="utf-8"), encoding="utf-8")
    assert detect_format(plain) == "elevant"
    assert len(read_gold(plain)) == 2
    assert len(read_gold(NIF_GOLD, "nif")) == 3
    with pytest.raises(InputError, match="unknown gold format"):
        read_gold(NIF_GOLD, "conll")


# ---------------------------------------------------------------- errors

def test_error_groups_nested():
    text = "Perdana Menteri Armenia tiba."
    gold = [gm(16, 23, "Q399", 0, surface="Armenia")]
    preds = {"d": [Prediction(0, 23, "Q1123764", "Perdana Menteri Armenia", "gazetteer"),
                   Prediction(16, 23, "Q399", "Armenia", "gazetteer")]}
    errs = analyse_errors([GoldDoc("d", text, gold)], preds, kb=None)
    assert [g.detail["surface"] for g in errs.groups["nested"]] == ["Perdana Menteri Armenia"]
    assert not errs.groups["boundary"]


def test_error_groups():
    text = "Madrid menang. Madrid kalah. PT Telkom untung. April cerah. Budi datang. Jokowi pergi."
    at = lambda s, n=0: (text.index(s, n), text.index(s, n) + len(s))  # noqa: E731
    second = text.index("Madrid", 1)
    gold = [gm(*at("Madrid"), "Q8682", 0, surface="Madrid"),
            gm(second, second + 6, "Q8682", 1, surface="Madrid"),
            gm(*at("PT Telkom"), "Q2305438", 2, surface="PT Telkom"),
            gm(*at("Budi"), None, 3, surface="Budi", kind="NIL"),
            gm(*at("Jokowi"), "Q3318231", 4, surface="Jokowi")]
    preds = {"d": [Prediction(*at("Madrid"), "Q2807", "Madrid", "gazetteer"),
                   Prediction(second, second + 6, "Q2807", "Madrid", "gazetteer"),
                   Prediction(*at("PT"), "Q45", "PT", "gazetteer"),
                   Prediction(*at("April"), "Q118", "April", "gazetteer"),
                   Prediction(*at("Budi"), "Q42", "Budi", "short-name")]}
    errs = analyse_errors([GoldDoc("d", text, gold)], preds, kb=None, top=5)
    wrong = errs.groups["wrong-entity"][0]
    assert (wrong.count, wrong.detail["gold"], wrong.detail["ours"]) == (2, "Q8682", "Q2807")
    assert "[Madrid]" in wrong.examples[0]
    assert errs.groups["boundary"][0].detail["gold_surface"] == "PT Telkom" and errs.groups["boundary"][0].count == 1
    assert errs.groups["spurious"][0].detail["surface"] == "April"
    nil = errs.groups["linked-nil"][0].detail
    assert (nil["surface"], nil["gold_kind"]) == ("Budi", "NIL")
    assert errs.groups["missed"][0].detail["surface"] == "Jokowi"
    # 4 FN + 5 FP; a wrong-entity or boundary pair (FN + the FP that explains it) is one item
    assert errs.totals == {"wrong-entity": 2, "missed": 1, "boundary": 1, "nested": 0, "spurious": 1, "linked-nil": 1,
                      "missed-not-in-kb": 0}
    assert errs.methods["short-name"] == {"tp": 0, "fp": 1}


# ---------------------------------------------------------------- end to end

@pytest.fixture(scope="module")
def nif_report() -> EvalReport:
    return evaluate(NIF_GOLD, lang="id", errors=5)


def test_evaluate_end_to_end_nif(nif_report):
    from kg.kb import KnowledgeBase
    kb = KnowledgeBase.load()
    r = nif_report
    assert (r.format, r.lang, r.documents) == ("nif", "id", 3)
    gold_qids = [m.qid for d in read_nif(NIF_GOLD) for m in d.mentions if m.qid]
    assert r.gold_mentions == len(gold_qids) == 9
    assert r.gold_in_scope == sum(kb.entity(q) is not None for q in gold_qids)
    assert r.overall.tp + r.overall.fn == r.gold_mentions
    # the report's counts are the scores of the linker's own predictions
    docs = read_nif(NIF_GOLD)
    preds = {d.id: predict(d.text, "id", kb) for d in docs}
    assert (r.overall.tp, r.overall.fp, r.overall.fn) == (lambda s: (s.tp, s.fp, s.fn))(score(docs, preds))
    assert (r.in_scope.tp, r.in_scope.fp, r.in_scope.fn) == (lambda s: (s.tp, s.fp, s.fn))(score(docs, preds, kb))
    # country names and a title + name are linked (stable parts of the linker)
    first = next(d for d in docs if d.text.startswith("Presiden"))
    got = {(p.start, p.end, p.qid) for p in preds[first.id]}
    for m in first.mentions:
        if m.surface in ("Azerbaijan", "Armenia", "Nikol Pashinyan"):
            assert (m.start, m.end, m.qid) in got
    assert r.overall.tp >= 3
    # PDIP (Q1186306) is not in our KB: it can only be missed
    if kb.entity("Q1186306") is None:
        missed = [g for g in r.errors.groups["missed-not-in-kb"] if g.detail["gold"] == "Q1186306"]
        assert missed and missed[0].detail["surface"] == "PDIP"


def test_report_text_and_dict(nif_report):
    text = nif_report.text()
    assert "overall   P " in text and "in scope  P " in text and "tiny-id.ttl" in text
    d = json.loads(json.dumps(nif_report.to_dict()))
    assert d["documents"] == 3 and set(d["overall"]) == {"tp", "fp", "fn", "precision", "recall", "f1"}
    assert set(d["errors"]["groups"]) == {"wrong-entity", "missed", "boundary", "nested", "spurious", "linked-nil",
                                "missed-not-in-kb"}
    assert d["seconds"] >= 0


def test_predictions_are_the_graph_mentions():
    """predict() replicates kg.pipeline.process up to linking: same linked spans as the article graph."""
    from kg.pipeline import process
    from kg.read import Article
    from rdflib import URIRef

    nif = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
    its = URIRef("http://www.w3.org/2005/11/its/rdf#taIdentRef")
    for d in read_nif(NIF_GOLD) + read_elevant(ELEVANT_GOLD):
        lang = "en" if d.id.isdigit() else "id"
        g = process(Article(id="t", text=d.text, lang=lang, published=d.published), validate=False).graphs.graph
        from_graph = set()
        for m in g.subjects(URIRef(nif + "anchorOf"), None):
            b, e, ref = (g.value(m, URIRef(nif + "beginIndex")), g.value(m, URIRef(nif + "endIndex")), g.value(m, its))
            if b is not None and ref is not None:
                from_graph.add((int(b), int(e), as_qid(ref)))
        assert {(p.start, p.end, p.qid) for p in predict(d.text, lang, published=d.published)} == from_graph


def test_evaluate_elevant_limit_and_auto_lang():
    r = evaluate(ELEVANT_GOLD, limit=1)
    assert (r.format, r.lang, r.documents) == ("elevant", "en", 1)
    assert r.gold_mentions == 3  # Armenia, Azerbaijan, "Brussels, Belgium" (coref/desc/date/NIL not required)
    assert evaluate(ELEVANT_GOLD, limit=0).documents == 0
