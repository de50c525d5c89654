"""Benchmark the shipped Indonesian NER (kg/models/id_ner): start-up cost and ms per 500-word article.

usage: python benchmarks/bench_ner.py [--repeat 5] [--words 500] [--model DIR]

- load: in fresh processes (best of --repeat), the wall time of ``kg.ner.load_ner()`` after
  spaCy and kg.nlp are imported (what the NER adds to start-up), and of adding ``kg_ner`` to a
  pipeline of kg.nlp's Indonesian class (tokenizer + sentencizer; the language class is already built);
- speed: idner-news-2k test sentences (../shared) joined into ~500-word articles; tokenizer time
  and NER time per article, on one thread (BLAS/OpenMP pinned to 1; spaCy's NER is single-threaded).
Record the numbers in kg/models/id_ner/MODEL.md when the model changes.
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TEST = ROOT.parent / "shared" / "data" / "ner" / "idner-news-2k" / "test.txt"

LOAD_SNIPPET = """
import sys, time
sys.path.insert(0, {root!r})
import spacy, kg.nlp, kg.ner
t = time.perf_counter()
nlp = kg.ner.load_ner({model!r})
t_load = time.perf_counter() - t
base = kg.nlp._language_class("id")()
base.add_pipe("sentencizer")
t = time.perf_counter()
base.add_pipe("kg_ner", config={{"model_dir": {model!r}}})
t_add = time.perf_counter() - t
t = time.perf_counter()
nlp("Menteri Luar Negeri Retno Marsudi tiba di Jakarta.")
t_first = time.perf_counter() - t
print(t_load, t_add, t_first)
"""


def articles(words_per_article: int) -> list[str]:
    sents, cur = [], []
    for line in TEST.read_text(encoding="utf-8").splitlines():
        if line.strip():
            cur.append(line.split()[0])
        elif cur:
            sents.append(" ".join(cur))
            cur = []
    if cur:
        sents.append(" ".join(cur))
    out, buf, n = [], [], 0
    for s in sents:
        buf.append(s)
        n += len(s.split())
        if n >= words_per_article:
            out.append(" ".join(buf))
            buf, n = [], 0
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--words", type=int, default=500)
    ap.add_argument("--model", default=None, help="model directory (default: the shipped kg/models/id_ner)")
    args = ap.parse_args()
    if not TEST.is_file():
        sys.exit(f"needs {TEST} (the project's shared data)")

    loads = []
    for _ in range(args.repeat):
        r = subprocess.run([sys.executable, "-c", LOAD_SNIPPET.format(root=str(ROOT), model=args.model)],
                           capture_output=True, text=True, check=True)
        loads.append([float(x) for x in r.stdout.split()])
    load, add, first = (min(col) for col in zip(*loads))

    sys.path.insert(0, str(ROOT))
    from kg.ner import load_ner

    nlp = load_ner(args.model)
    ner = nlp.get_pipe("kg_ner")
    texts = articles(args.words)
    for t in texts[:2]:  # warm-up
        ner(nlp.make_doc(t))
    tok_ms, ner_ms, words, ents = [], [], 0, 0
    for _ in range(args.repeat):
        for t in texts:
            t0 = time.perf_counter()
            doc = nlp.make_doc(t)
            t1 = time.perf_counter()
            doc = ner(doc)
            t2 = time.perf_counter()
            tok_ms.append((t1 - t0) * 1000)
            ner_ms.append((t2 - t1) * 1000)
            words += len(t.split())
            ents += len(doc.ents)
    n = len(ner_ms)
    avg_words = words / n
    print(f"model: {args.model or ROOT / 'kg/models/id_ner'}")
    print(f"start-up (best of {args.repeat} fresh processes, spaCy + kg.nlp already imported):")
    print(f"  load_ner()                        {load * 1000:7.1f} ms")
    print(f"  nlp.add_pipe('kg_ner')            {add * 1000:7.1f} ms")
    print(f"  first call (one sentence)         {first * 1000:7.1f} ms")
    print(f"speed: {len(texts)} idner-news-2k test articles of ~{avg_words:.0f} words, x{args.repeat}, one thread:")
    print(f"  NER        mean {statistics.mean(ner_ms):6.2f} ms  median {statistics.median(ner_ms):6.2f} ms  "
          f"p90 {statistics.quantiles(ner_ms, n=10)[-1]:6.2f} ms per article; "
          f"{words / (sum(ner_ms) / 1000):,.0f} words/s")
    print(f"  tokenizer  mean {statistics.mean(tok_ms):6.2f} ms per article")
    print(f"  NER per 500 words: {statistics.mean(ner_ms) * 500 / avg_words:.2f} ms; entities/article {ents / n:.1f}")


if __name__ == "__main__":
    main()
