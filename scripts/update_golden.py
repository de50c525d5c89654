"""Rewrite the expected graphs of the golden tests (tests/data/golden/<case>.ttl) from the current pipeline.

Run it after an intended change of the output, then read the diff before committing:
    python scripts/update_golden.py && git diff tests/data/golden
"""
from __future__ import annotations

import json
from pathlib import Path

import kg

GOLDEN = Path(__file__).resolve().parents[1] / "tests" / "data" / "golden"


def build_case(txt: Path):
    meta = json.loads(txt.with_suffix(".json").read_text(encoding="utf-8"))
    return kg.build(txt.read_text(encoding="utf-8"), id=txt.stem, **meta)


def main() -> None:
    for txt in sorted(GOLDEN.glob("*.txt")):
        g = build_case(txt)
        txt.with_suffix(".ttl").write_text(g.serialize(format="turtle"), encoding="utf-8")
        print(f"{txt.with_suffix('.ttl')}: {len(g)} triples")


if __name__ == "__main__":
    main()
