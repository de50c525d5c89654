"""Benchmark SHACL validation of one article graph (run by hand; record results in RESULTS.md).

usage: python benchmarks/bench_validate.py [--repeat 20]
Times kg.validate.validate_graph, with each engine (turbo: pyshacl-turbo; pyshacl), on the seed article's graph (built once) and on the synthetic
~500-triple article of tests/test_shapes.py: first call (imports, shapes) and median of the rest.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    a = ap.parse_args()
    import kg
    from kg.validate import ENGINES, validate_graph
    from test_shapes import synthetic_article

    seed = kg.build((ROOT / "examples/kontan-2022-09-13.txt").read_text(encoding="utf-8"),
                    published="2022-09-13", lang="id", validate=False)
    for engine in ENGINES:
        for name, g in (("seed article", seed), ("synthetic article", synthetic_article(6))):
            t = time.perf_counter()
            validate_graph(g, engine=engine)
            first = time.perf_counter() - t
            times = []
            for _ in range(a.repeat):
                t = time.perf_counter()
                validate_graph(g, engine=engine)
                times.append(time.perf_counter() - t)
            print(f"{engine:8s} {name}: {len(g)} triples; first {first * 1000:.0f} ms; "
                  f"median {statistics.median(times) * 1000:.1f} ms")

if __name__ == "__main__":
    main()
