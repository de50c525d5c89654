"""Benchmark the extract stage alone (facts, relations, events): ms per 500 words. Run by hand.

usage: python benchmarks/bench_extract.py
Articles: IndEL dev sentences grouped into ~500-word Indonesian articles and News-Fair dev English
articles (../shared/data/eval). The read, nlp and link stages run first and are not timed.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> None:
    from bench_build import indel_articles, newsfair_articles

    from kg import extract
    from kg.kb import KnowledgeBase
    from kg.pipeline import analyse
    from kg.read import Article, parse_date

    kb = KnowledgeBase.load()
    for name, arts in (("id", indel_articles()), ("en", newsfair_articles())):
        per500 = []
        for a in arts:
            art = Article(id=a["id"], text=a["text"], lang=a["lang"], published=parse_date(a.get("published")))
            an = analyse(art, kb=kb)
            words = max(1, len(a["text"].split()))
            best = float("inf")
            for _ in range(3):
                t = time.perf_counter()
                facts = extract.extract_facts(an.linked, extract.extract_relations(an.doc, an.lang, an.linked,
                                                                                   an.boilerplate))
                extract.extract_events(an.doc, an.lang, an.linked, an.boilerplate, art.published)
                best = min(best, time.perf_counter() - t)
            per500.append(best * 1000 * 500 / words)
            del facts
        per500.sort()
        print(f"{name}: {len(arts)} articles; extract ms per 500 words: median {statistics.median(per500):.2f}, "
              f"p90 {per500[int(len(per500) * 0.9)]:.2f}")


if __name__ == "__main__":
    main()
