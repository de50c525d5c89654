"""Calibrate the confidence written on links (kg:confidence) against the dev gold. Reads ../shared; never imported by kg.

usage: python scripts/calibrate_confidence.py [--eval-dir ../shared/data/eval] [--out kg/data/confidence.json]

The linker's own confidence is a score (margin over the runner-up, strength of the best candidate):
1 candidate with a strong alias gets 0.99 however often that kind of link is wrong. Users filter on
kg:confidence, so it should read as the chance that the link is right. For every Wikidata link
`kg build` makes on the dev splits (IndEL dev, Indonesian; News-Fair v2 dev, English) this script
records (link method, raw confidence, right?) -- right = the gold has the same span with the same QID
(a link where the gold has another QID, another span or no mention counts as wrong: conservative) --
and fits, per method, a non-decreasing step function from raw to observed precision (isotonic
regression, pool-adjacent-violators, each step's precision smoothed as (right + 1) / (n + 2)).
Methods with fewer than --min-links links share one curve ("*").

It prints a 2-fold check first (documents split by parity: fit on one half, Brier score of raw and
calibrated confidence on the other) and then writes the curves fitted on all links.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SETS = (("indel-general-dev.ttl", "id"), ("news-fair-v2-dev.jsonl", "en"))


def collect(eval_dir: Path) -> list[tuple[int, str, float, bool]]:
    """(document number, method, raw confidence, right?) for every Wikidata link on the dev splits."""
    import kg.link
    from kg.evaluate import predict, read_gold
    from kg.kb import KnowledgeBase

    kg.link._confidence_curves = lambda: {}  # the linker's raw confidence, not last run's calibration

    kb = KnowledgeBase.load()
    rows = []
    n = 0
    for name, lang in SETS:
        for doc in read_gold(eval_dir / name):
            n += 1
            gold = {(m.start, m.end): m.qid for m in doc.mentions}
            b, e = doc.span
            for p in predict(doc.text, lang, kb, doc.published):
                if p.qid is None or not (b <= p.start and p.end <= e):
                    continue
                rows.append((n, p.method, p.confidence, gold.get((p.start, p.end)) == p.qid))
    return rows


def isotonic(points: list[tuple[float, bool]]) -> list[tuple[float, float]]:
    """[(highest raw confidence of the step, precision)] non-decreasing in both (pool adjacent violators)."""
    by_raw: dict[float, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for raw, right in points:  # one block per raw value: ties cannot be split by whether they were right
        by_raw[raw][0] += float(right)
        by_raw[raw][1] += 1
    blocks: list[list[float]] = []  # [upper raw, right, n]
    for raw, (right, n) in sorted(by_raw.items()):
        blocks.append([raw, right, n])
        while len(blocks) > 1 and (blocks[-2][1] + 1) / (blocks[-2][2] + 2) >= (blocks[-1][1] + 1) / (blocks[-1][2] + 2):
            up, r, k = blocks.pop()
            blocks[-1] = [up, blocks[-1][1] + r, blocks[-1][2] + k]
    return [(round(up, 4), round((r + 1) / (k + 2), 3)) for up, r, k in blocks]


def fit(rows, min_links: int) -> dict[str, list[tuple[float, float]]]:
    by_method: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for _, method, raw, right in rows:
        by_method[method].append((raw, right))
    curves, rest = {}, []
    for method, points in sorted(by_method.items()):
        if len(points) >= min_links:
            curves[method] = isotonic(points)
        else:
            rest.extend(points)
    curves["*"] = isotonic(rest or [p for pts in by_method.values() for p in pts])
    return curves


def apply(curves, method: str, raw: float) -> float:
    from kg.link import calibrated
    return calibrated(raw, curves.get(method) or curves["*"])


def brier(pairs) -> float:
    return sum((p - float(y)) ** 2 for p, y in pairs) / max(1, len(pairs))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "data" / "eval")
    ap.add_argument("--out", type=Path, default=ROOT / "kg" / "data" / "confidence.json")
    ap.add_argument("--min-links", type=int, default=40)
    a = ap.parse_args()
    rows = collect(a.eval_dir)
    print(f"{len(rows)} links, {sum(r[3] for r in rows)} right")
    for fold in (0, 1):
        train = [r for r in rows if r[0] % 2 == fold]
        test = [r for r in rows if r[0] % 2 != fold]
        curves = fit(train, a.min_links)
        raw = brier([(r[2], r[3]) for r in test])
        cal = brier([(apply(curves, r[1], r[2]), r[3]) for r in test])
        print(f"fold {fold}: fit on {len(train)}, Brier score on the other {len(test)}: raw {raw:.4f} -> calibrated {cal:.4f}")
    curves = fit(rows, a.min_links)
    counts = defaultdict(lambda: [0, 0])
    for _, method, _, right in rows:
        counts[method][0] += 1
        counts[method][1] += int(right)
    out = {"about": "kg:confidence = P(link right), per link method: raw linker confidence -> precision on the dev "
                    "gold (IndEL dev, News-Fair v2 dev); written by scripts/calibrate_confidence.py",
           "links": {m: {"n": n, "right": r} for m, (n, r) in sorted(counts.items())},
           "curves": curves}
    a.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    for method, steps in curves.items():
        print(f"  {method:20} {steps}")
    print(f"wrote {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
