"""Benchmark `kg show`: page generation and render time in headless Chromium (run by hand; record in RESULTS.md).

usage: python benchmarks/bench_show.py [--words 2000] [--articles 500] [--runs 5] [--workers 2]
                                       [--store DIR] [--out DIR] [--json OUT]

Targets (issue 7): a 2,000-word article renders in under 1 s in the browser; the store view of an entity
mentioned in 500 articles in under 3 s.

1. Article page: the seed article (examples/kontan-2022-09-13.txt) followed by real Indonesian news sentences
   (IndEL dev, ../shared/data/eval/indel-general-dev.ttl; without it, the seed's paragraphs again) up to
   --words words, built with the real pipeline (kg.build) and rendered (kg.show.render_article).
2. Store view: --articles articles ingested with kg.ingest (real pipeline, SHACL gate, store write), each a
   sentence of the seed article or of two short texts that name Nikol Pashinyan (Q7035479, the entity of the
   tests) followed by ~250 words of IndEL sentences, with its own id and date (two years of news). Measured:
   `kg show --store DIR --entity Q7035479 -o FILE` as a command (process start included) and in process, and
   the overview `kg show --store DIR -o FILE`.

Browser time: a fresh tab per run loads the file:// page in Debian's Chromium (Playwright driver, flags as
in tests/test_show.py); reported are the navigation's load event end, first contentful paint, and "ready"
= the second animation frame after the load event (the whole page laid out and a frame painted), all from
navigation start, median of --runs runs after one warm-up load.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
SEED = ROOT / "examples" / "kontan-2022-09-13.txt"
ENTITY = "Q7035479"  # Nikol Pashinyan, as in tests/test_ingest.py and tests/test_show_store.py
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
        "--host-resolver-rules=MAP * ~NOTFOUND"]
# sentences that name the entity: one from the seed article, two written for the tests (tests/test_ingest.py)
LEADS = [
    "Perdana Menteri Armenia Nikol Pashinyan juga telah meminta Presiden Rusia Vladimir Putin, Presiden Prancis "
    "Emmanuel Macron, dan Menteri Luar Negeri Amerika Serikat Antony Blinken untuk membahas situasi tersebut.",
    "MOSKWA - Presiden Rusia Vladimir Putin menerima Perdana Menteri Armenia Nikol Pashinyan di Kremlin pada Selasa.",
    "YEREVAN - Perdana Menteri Armenia Nikol Pashinyan mengatakan pemerintahnya siap berunding dengan Azerbaijan.",
]


def indel_sentences() -> list[str]:
    path = SHARED / "eval/indel-general-dev.ttl"
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    return [json.loads('"' + m + '"') for m in re.findall(r'nif:isString\s+"((?:[^"\\]|\\.)*)"', text)]


def long_article(words: int, sents: list[str], rng: random.Random) -> str:
    seed = SEED.read_text(encoding="utf-8").strip()
    paras = [seed]
    n = len(seed.split())
    body = [p for p in seed.split("\n") if p.strip()][1:]
    k = 0
    while n < words:
        if sents:
            chunk = " ".join(rng.choice(sents) for _ in range(4))
        else:
            chunk = body[k % len(body)]
            k += 1
        paras.append(chunk)
        n += len(chunk.split())
    return "\n\n".join(paras)


def browser_times(pages: list[Path], runs: int) -> dict[str, dict[str, float]]:
    """Median load / first paint / ready (ms) per page, and the requests that were not the page itself."""
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
        ctx = pw.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, headless=True, args=ARGS,
                                                    viewport={"width": 1280, "height": 900})
        try:
            for path in pages:
                uri = path.resolve().as_uri()
                other: set[str] = set()
                ctx.on("request", lambda r, uri=uri, other=other: other.add(r.url) if r.url != uri else None)
                samples = []
                for i in range(runs + 1):
                    page = ctx.new_page()
                    page.goto(uri, wait_until="load")
                    t = page.evaluate("""() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => {
                        const nav = performance.getEntriesByType('navigation')[0];
                        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
                        done({load: nav.loadEventEnd, dom: nav.domContentLoadedEventEnd,
                              fcp: fcp ? fcp.startTime : null, ready: performance.now(),
                              nodes: document.getElementsByTagName('*').length});
                    })))""")
                    page.close()
                    if i:  # the first load warms the browser up
                        samples.append(t)
                out[path.name] = {k: statistics.median(s[k] for s in samples) for k in ("load", "dom", "ready")}
                fcps = [s["fcp"] for s in samples if s["fcp"] is not None]
                out[path.name]["fcp"] = statistics.median(fcps) if fcps else None
                out[path.name]["elements"] = samples[0]["nodes"]
                out[path.name]["bytes"] = path.stat().st_size
                out[path.name]["other_requests"] = sorted(other)
        finally:
            ctx.close()
    return out


def build_store(path: Path, n: int, sents: list[str], rng: random.Random, workers: int) -> dict:
    from kg.ingest import ingest
    from kg.read import Article
    from kg.store import open_store

    items = []
    for i in range(n):
        buf = [LEADS[i % len(LEADS)]]
        words = len(buf[0].split())
        while words < 250 and sents:
            s = rng.choice(sents)
            buf.append(s)
            words += len(s.split())
        items.append(Article(id=f"bench-show-{i:04d}", text=" ".join(buf), lang="id",
                             published=date(2022, 1, 1) + timedelta(days=(i * 730) // n), source=f"bench-{i}"))
    t0 = time.perf_counter()
    with open_store(path) as st:
        s = ingest(items, st, workers=workers)
        quads = len(st)
    return {"articles": n, "ingested": s.ingested + s.unchanged, "rejected": len(s.rejected), "quads": quads,
            "seconds": time.perf_counter() - t0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=2000)
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--store", type=Path, help="store directory to (re)use; default: a temporary one")
    ap.add_argument("--out", type=Path, help="keep the pages here")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"needs {CHROMIUM} (apt-get install chromium)")
    import kg
    from kg.show import render_article, render_store
    from kg.store import open_store

    rng = random.Random(7)
    sents = indel_sentences()
    if not sents:
        print("note: ../shared/data/eval/indel-general-dev.ttl absent: filler text is the seed's paragraphs")
    work = Path(tempfile.mkdtemp(prefix="bench-show-"))
    out = args.out or work
    out.mkdir(parents=True, exist_ok=True)
    result: dict = {}
    try:
        # 1. the article page
        text = long_article(args.words, sents, rng)
        t0 = time.perf_counter()
        g = kg.build(text, id="bench-long", published="2022-09-13", lang="id")
        t1 = time.perf_counter()
        html = render_article(g)
        t2 = time.perf_counter()
        page = out / "article-2000.html"
        page.write_text(html, encoding="utf-8")
        n_mentions = html.count("data-mention=")
        result["article"] = {"words": len(text.split()), "mentions": n_mentions, "build_s": t1 - t0,
                             "render_s": t2 - t1}

        # 2. the store
        store = args.store or work / "store"
        if not (store / "CURRENT").exists():
            result["store"] = build_store(store, args.articles, sents, rng, args.workers)
            print(f"store: {result['store']}")
        cmd = [str(Path(sys.executable).parent / "kg"), "show", "--store", str(store), "--entity", ENTITY,
               "-o", str(out / "entity-500.html")]
        cli = []
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            cli.append(time.perf_counter() - t0)
        cmd_overview = cmd[:4] + ["-o", str(out / "overview.html")]
        t0 = time.perf_counter()
        subprocess.run(cmd_overview, check=True, capture_output=True)
        cli_overview = time.perf_counter() - t0
        with open_store(store, create=False) as st:
            n_articles = len(st.query("PREFIX schema: <http://schema.org/> SELECT DISTINCT ?a WHERE "
                                      "{ ?a schema:mentions <http://www.wikidata.org/entity/" + ENTITY + "> }"))
            inproc = []
            for _ in range(3):
                t0 = time.perf_counter()
                render_store(st, kg.vocab.WD[ENTITY])
                inproc.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            render_store(st)
            overview_inproc = time.perf_counter() - t0
        result["entity_view"] = {"articles_naming_entity": n_articles, "cli_s": statistics.median(cli),
                                 "render_in_process_s": statistics.median(inproc)}
        result["overview"] = {"cli_s": cli_overview, "render_in_process_s": overview_inproc}

        # 3. the browser
        times = browser_times([page, out / "entity-500.html", out / "overview.html"], args.runs)
        result["browser_ms"] = times
    finally:
        if args.out is None:
            shutil.rmtree(work, ignore_errors=True)
        elif args.store is None:
            shutil.rmtree(work / "store", ignore_errors=True)

    a, ev, ov = result["article"], result["entity_view"], result["overview"]
    b = result["browser_ms"]
    print(f"article: {a['words']} words, {a['mentions']} mentions; kg.build {a['build_s']:.2f} s, "
          f"render_article {a['render_s'] * 1000:.0f} ms")
    print(f"entity view ({ev['articles_naming_entity']} articles name {ENTITY}): `kg show --store --entity` "
          f"{ev['cli_s']:.2f} s as a command, {ev['render_in_process_s'] * 1000:.0f} ms in process")
    print(f"overview: {ov['cli_s']:.2f} s as a command, {ov['render_in_process_s'] * 1000:.0f} ms in process")
    for name, t in b.items():
        fcp = f"{t['fcp']:.0f}" if t["fcp"] is not None else "-"
        print(f"browser {name}: {t['bytes'] / 1024:.0f} KiB, {t['elements']} elements; load {t['load']:.0f} ms, "
              f"first paint {fcp} ms, ready {t['ready']:.0f} ms; requests other than the page: "
              f"{t['other_requests'] or 'none'}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
