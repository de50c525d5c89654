"""Build derived language data from the human-labelled Indonesian NER corpora.

Writes ``kg/lang/id/common_words.txt``: words seen in lower case outside any entity in the
training splits (idner-news-2k train, NERGrit train), at least twice. A capitalised token whose
lower-case form is in the list is a common word at a sentence start, not a name; the reader
uses it to find where an inserted "Baca Juga:" headline ends, the linker to reject one-word
matches on common words. Test splits are never read.

usage: python scripts/build_lang_data.py [--ner ../shared/data/ner]
"""
from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORD = re.compile(r"^[a-z]+(?:-[a-z]+)*$")


def read_conll(path: Path) -> list[tuple[str, str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            out.append((parts[0], parts[-1]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ner", type=Path, default=ROOT.parent / "shared/data/ner")
    ap.add_argument("--min-count", type=int, default=2)
    a = ap.parse_args()
    sources = [a.ner / "idner-news-2k/train.txt", a.ner / "indonlu/nergrit_ner-grit/train_preprocess.txt"]
    counts: Counter[str] = Counter()
    for src in sources:
        for tok, tag in read_conll(src):
            if tag == "O" and WORD.match(tok):
                counts[tok] += 1
    words = sorted(w for w, n in counts.items() if n >= a.min_count)
    out = ROOT / "kg/lang/id/common_words.txt"
    header = ("# Indonesian words seen in lower case outside entities (>= %d times) in: %s\n"
              "# Built by scripts/build_lang_data.py; sources credited in NOTICE.md.\n"
              % (a.min_count, ", ".join(str(s.relative_to(a.ner)) for s in sources)))
    out.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{out}: {len(words)} words")


if __name__ == "__main__":
    main()
