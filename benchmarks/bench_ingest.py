"""Benchmark `kg ingest` into an embedded store growing to 1M+ triples (run by hand; record in RESULTS.md).

usage: python benchmarks/bench_ingest.py [--triples 1000000] [--words 500] [--probe 100] [--batch 1000]
                                         [--workers 2] [--store DIR] [--json OUT]

Synthetic articles: IndEL dev sentences (../shared/data/eval/indel-general-dev.ttl, real Indonesian
news sentences) drawn at random (seeded) into ~N-word articles, each with its own id and date, so
every article is new to the store and the entities recur across articles as in a news stream.

1. where the time goes, per article, on a sample (median ms): pipeline (read+NLP+link+extract+rdf),
   canonical N-Triples + hash, SHACL validation, the store write;
2. per-article ingest cost at the START (empty store) and at the END (store >= --triples): the same
   number of fresh articles ingested one by one (workers=1) into the store; median and mean of the end-to-end
   time per article and of its store part (hash look-up + gate context + write). The end must be within
   1.5x the start;
3. in between the store is filled with --workers processes;
4. articles/s for a --batch-article batch on --workers processes, end to end (NLP + validation + write,
   pool start-up included), into the full store, and where its CPU went: the workers (reaped at the
   end), this process (the store), and its threads by name (RocksDB's compaction: "rocksdb:low").
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import re
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def indel_sentences() -> list[str]:
    path = SHARED / "eval/indel-general-dev.ttl"
    if not path.exists():
        sys.exit(f"needs {path} (the project's shared data)")
    text = path.read_text(encoding="utf-8")
    return [json.loads('"' + m + '"') for m in re.findall(r'nif:isString\s+"((?:[^"\\]|\\.)*)"', text)]


class Articles:
    """An endless, reproducible stream of synthetic articles from real sentences."""

    def __init__(self, words: int, seed: int = 13):
        self.sents = indel_sentences()
        self.words = words
        self.rng = random.Random(seed)
        self.n = 0

    def take(self, k: int):
        from kg.read import Article

        out = []
        for _ in range(k):
            buf, n = [], 0
            while n < self.words:
                s = self.rng.choice(self.sents)
                buf.append(s)
                n += len(s.split())
            i = self.n
            self.n += 1
            out.append(Article(id=f"bench-{i:07d}", text=" ".join(buf), lang="id",
                               published=date(2020, 1, 1) + timedelta(days=i % 1500), source=f"bench-{i}"))
        return out


def ms(xs) -> str:
    return f"{statistics.median(xs) * 1000:.1f}"


def breakdown(articles, store) -> dict[str, float]:
    """Median CPU ms per stage on a sample (written to the store under their own ids), as the
    ingest workers run them: NLP batched per 8 articles (its share per article counted in the
    pipeline), plain triples hashed and validated, the write in the store's process (its group's
    share)."""
    from kg.ingest import BATCH_ARTICLES
    from kg.kb import KnowledgeBase
    from kg.pipeline import make_docs, process
    from kg.store import ArticleData
    from kg.validate import validate_graph

    kb = KnowledgeBase.load()
    t_nlp, t_hash, t_val, t_write, sizes = [], [], [], [], []
    clock = time.process_time  # CPU time: the machine may be shared (and it counts RocksDB's threads)
    pending: list = []

    def write() -> None:  # as kg.ingest.Writer does: new articles in groups of the store's write_group
        if pending:
            t0 = clock()
            store.write_many(pending)
            t_write.extend([(clock() - t0) / len(pending)] * len(pending))
            pending.clear()
    for i in range(0, len(articles), BATCH_ARTICLES):
        chunk = articles[i:i + BATCH_ARTICLES]
        t0 = clock()
        docs = make_docs(chunk)
        share = (clock() - t0) / len(chunk)
        for a, doc in zip(chunk, docs):
            t0 = clock()
            g = process(a, kb=kb, validate=False, doc=doc).graphs
            t1 = clock()
            triples, background = g.triples, g.background_triples
            data = ArticleData.from_graphs(g.article, triples, background)
            t2 = clock()
            report = validate_graph(triples + background)
            t3 = clock()
            assert report.conforms, report.text()
            t_nlp.append(share + t1 - t0), t_hash.append(t2 - t1), t_val.append(t3 - t2)
            sizes.append(data.triples)
            pending.append(data)
            if len(pending) == store.write_group:
                write()
    write()
    return {"pipeline_ms": float(ms(t_nlp)), "hash_ms": float(ms(t_hash)), "validate_ms": float(ms(t_val)),
            "write_ms": float(ms(t_write)), "triples_per_article": statistics.median(sizes)}


def settle(limit: float = 30.0) -> float:
    """Wait until this process's background threads (RocksDB compaction) are idle; their CPU seconds meanwhile."""
    spent, t0 = 0.0, time.perf_counter()
    while time.perf_counter() - t0 < limit:
        c = time.process_time()
        time.sleep(0.5)
        c = time.process_time() - c
        spent += c
        if c < 0.02:
            break
    return spent


def probe(articles, store) -> dict[str, float]:
    """The articles ingested one by one in this process. CPU: from a settled store to a settled store,
    so the compaction the probe's own writes cause counts, and none left over from before."""
    from kg.ingest import ingest

    settle()
    cpu = time.process_time()
    s = ingest(articles, store, workers=1)
    cpu = time.process_time() - cpu + settle()
    ok = [o for o in s.outcomes if o.status in ("ingested", "replaced")]
    if len(ok) != len(articles):
        print("  warning: rejected in probe:", [str(o) for o in s.rejected][:3])
    total = [o.seconds for o in ok]
    part = [o.store_seconds for o in ok]
    return {"median_ms": statistics.median(total) * 1000, "mean_ms": statistics.mean(total) * 1000,
            "store_median_ms": statistics.median(part) * 1000, "store_mean_ms": statistics.mean(part) * 1000,
            "cpu_mean_ms": cpu / len(articles) * 1000, "store_triples": len(store)}


def cpu(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def thread_cpu() -> dict[str, float]:
    """CPU seconds of this process's live threads by name (Linux /proc; RocksDB names its own)."""
    out: dict[str, float] = {}
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    task = Path("/proc/self/task")
    for tid in (task.iterdir() if task.is_dir() else ()):
        try:
            name = (tid / "comm").read_text().strip()
            fields = (tid / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[name] = out.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--words", type=int, default=500, help="words per synthetic article")
    ap.add_argument("--probe", type=int, default=100, help="articles ingested one by one at the start and at the end")
    ap.add_argument("--batch", type=int, default=1000, help="articles in the timed end-to-end batch")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--store", help="store directory (default: a temporary one, removed at the end)")
    ap.add_argument("--json", help="write the results here too")
    a = ap.parse_args()

    from kg.ingest import ingest
    from kg.kb import KnowledgeBase
    from kg.store import open_store

    tmp = None
    if a.store:
        location = Path(a.store)
    else:
        tmp = Path(tempfile.mkdtemp(prefix="kg-bench-"))
        location = tmp / "store"
    stream = Articles(a.words)
    results: dict = {"words_per_article": a.words, "workers": a.workers}
    KnowledgeBase.load()
    try:
        with open_store(str(location)) as store:
            ingest(stream.take(3), store)  # warm-up: imports, shapes, spaCy pipelines
            results["breakdown"] = b = breakdown(stream.take(48), store)
            print(f"per article (median CPU of 48, {b['triples_per_article']:.0f} triples): pipeline {b['pipeline_ms']} ms, "
                  f"hash {b['hash_ms']} ms, SHACL {b['validate_ms']} ms, write {b['write_ms']} ms")
            results["start"] = start = probe(stream.take(a.probe), store)
            print(f"start ({start['store_triples']} quads): {start['median_ms']:.1f} ms/article median, "
                  f"{start['mean_ms']:.1f} mean, CPU {start['cpu_mean_ms']:.1f} mean; store part {start['store_median_ms']:.2f} ms median")
            t = time.perf_counter()
            filled = 0
            while len(store) < a.triples:
                s = ingest(stream.take(500), store, workers=a.workers)
                filled += len(s.outcomes)
                print(f"  filled {filled} articles, {len(store)} quads, {s.rate:.1f} articles/s", flush=True)
            results["fill"] = {"articles": filled, "seconds": time.perf_counter() - t}
            results["end"] = end = probe(stream.take(a.probe), store)
            print(f"end ({end['store_triples']} quads): {end['median_ms']:.1f} ms/article median, "
                  f"{end['mean_ms']:.1f} mean, CPU {end['cpu_mean_ms']:.1f} mean; store part {end['store_median_ms']:.2f} ms median")
            ratio = end["median_ms"] / start["median_ms"]
            store_ratio = end["store_median_ms"] / start["store_median_ms"]
            cpu_ratio = end["cpu_mean_ms"] / start["cpu_mean_ms"]
            results["cpu_end_over_start"] = cpu_ratio
            results["end_over_start"] = ratio
            results["store_end_over_start"] = store_ratio
            print(f"end/start: {ratio:.2f} (end to end, median wall), {cpu_ratio:.2f} (CPU, mean), "
                  f"{store_ratio:.2f} (store part); limit 1.5 -> {'OK' if ratio <= 1.5 else 'FAIL'}")
            threads0 = thread_cpu()
            self0, children0 = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            s = ingest(stream.take(a.batch), store, workers=a.workers)
            wall = time.perf_counter() - t
            own, workers = cpu(resource.RUSAGE_SELF) - self0, cpu(resource.RUSAGE_CHILDREN) - children0
            threads = {k: v - threads0.get(k, 0.0) for k, v in thread_cpu().items()}
            per = 1000 / a.batch
            results["batch"] = {"articles": a.batch, "seconds": wall, "articles_per_s": a.batch / wall,
                                "ingested": s.ingested, "rejected": len(s.rejected), "store_quads": len(store),
                                "cpu_ms_per_article": {"workers": workers * per, "store_process": own * per,
                                                       **{f"thread {k}": v * per for k, v in threads.items()}}}
            print(f"batch: {a.batch} articles on {a.workers} workers in {wall:.1f} s = {a.batch / wall:.1f} articles/s "
                  f"end to end ({s.ingested} ingested, {len(s.rejected)} rejected); store {len(store)} quads")
            print(f"  CPU per article: workers {workers * per:.1f} ms (start-up included), the store's process "
                  f"{own * per:.1f} ms (" + ", ".join(f"{k} {v * per:.1f}" for k, v in sorted(threads.items()))
                  + "; the rest: threads that ended, e.g. the bulk loader's)")
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
