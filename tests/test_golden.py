"""Golden tests: each tests/data/golden/<case>.txt (+ <case>.json options) must give exactly the
graph in <case>.ttl. After an intended change: python scripts/update_golden.py, then read the diff."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

import kg

GOLDEN = Path(__file__).parent / "data" / "golden"
CASES = sorted(p.stem for p in GOLDEN.glob("*.txt"))


@pytest.mark.parametrize("case", CASES)
def test_golden(case):
    txt = GOLDEN / f"{case}.txt"
    meta = json.loads((GOLDEN / f"{case}.json").read_text(encoding="utf-8"))
    got = kg.build(txt.read_text(encoding="utf-8"), id=case, **meta)
    want = Graph().parse(GOLDEN / f"{case}.ttl", format="turtle")
    if not isomorphic(got, want):
        _, only_got, only_want = graph_diff(to_isomorphic(got), to_isomorphic(want))
        lines = ["+ " + " ".join(t.n3(got.namespace_manager) for t in tr) for tr in sorted(only_got)][:20]
        lines += ["- " + " ".join(t.n3(want.namespace_manager) for t in tr) for tr in sorted(only_want)][:20]
        pytest.fail(f"{case}: output differs from the golden graph\n" + "\n".join(lines))
