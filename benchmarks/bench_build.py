"""Benchmark `kg build`: cold start, and articles/s and words/s on a batch. Run by hand.

usage: python benchmarks/bench_build.py [--kg KG_EXE] [--articles 200] [--repeat 3]

- cold start: wall time of `kg build` on the example article in a fresh process (best of N), and
  of `kg version` (interpreter + CLI import only);
- batch: a JSONL of real news text (IndEL dev sentences grouped into ~500-word Indonesian
  articles, and News-Fair dev English articles) built in one process; articles/s and words/s
  exclude the cold start (the batch time minus the single-article time);
- peak memory (max RSS) of the batch process.
Results are printed as a table; record them in benchmarks/RESULTS.md.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
EXAMPLE = ROOT / "examples" / "kontan-2022-09-13.txt"


def indel_articles(words_per_article: int = 500) -> list[dict]:
    text = (SHARED / "eval/indel-general-dev.ttl").read_text(encoding="utf-8")
    sents = [json.loads('"' + m + '"') for m in re.findall(r'nif:isString\s+"((?:[^"\\]|\\.)*)"', text)]
    out, buf, n = [], [], 0
    for s in sents:
        buf.append(s)
        n += len(s.split())
        if n >= words_per_article:
            out.append({"id": f"indel-{len(out)}", "text": " ".join(buf), "lang": "id", "published": "2020-01-01"})
            buf, n = [], 0
    return out


def newsfair_articles() -> list[dict]:
    out = []
    for line in (SHARED / "eval/news-fair-v2-dev.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        out.append({"id": f"nf-{rec['id']}", "text": rec["text"], "lang": "en"})
    return out


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if r.returncode not in (0, 1):
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kg", default=shutil.which("kg") or str(Path(sys.executable).parent / "kg"))
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    env = dict(os.environ)

    version = min(timed([a.kg, "version"])[0] for _ in range(a.repeat))
    single = min(timed([a.kg, "build", str(EXAMPLE), "--published", "2022-09-13", "--lang", "id", "-q",
                        "-o", str(tmp / "one.ttl")])[0] for _ in range(a.repeat))

    rows = [("kg version (import + CLI)", f"{version:.2f} s"),
            ("kg build, 1 article, cold", f"{single:.2f} s")]
    for name, arts in (("id", indel_articles()), ("en", newsfair_articles())):
        arts = arts[: a.articles]
        words = sum(len(x["text"].split()) for x in arts)
        batch = tmp / f"batch-{name}.jsonl"
        batch.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in arts) + "\n", encoding="utf-8")
        wall, peak = timed([a.kg, "build", str(batch), "-q", "-o", str(tmp / f"batch-{name}.trig")])
        work = max(wall - single, 1e-9)
        rows += [(f"batch {name}: {len(arts)} articles, {words} words", f"{wall:.2f} s wall"),
                 (f"batch {name}: articles/s (excl. start-up)", f"{len(arts) / work:.1f}"),
                 (f"batch {name}: words/s (excl. start-up)", f"{words / work:.0f}"),
                 (f"batch {name}: peak RSS", f"{peak:.0f} MB")]
    del env
    w = max(len(r[0]) for r in rows)
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    for k, v in rows:
        print(f"{k:<{w}}  {v}")


if __name__ == "__main__":
    main()
