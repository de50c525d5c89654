"""Read stage: inputs become :class:`Article` records, and the text's boilerplate is found.

Inputs are text files, directories of text files, JSONL files (one article per line) or stdin.
A bad input never stops a batch: :func:`read_inputs` yields :class:`BadInput` records that name
the file (and line) and the reason, so the caller can write the good articles and report the rest.

Boilerplate (dateline, related-article headlines, source credits) is found with per-language
patterns in ``kg/lang/<lang>/read.yaml``; the spans are kept, offsets into the text as given.
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator


from kg import resources
from kg.errors import InputError

LANGS = ("id", "en")
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
MAX_BYTES = 20_000_000


@dataclass
class Article:
    id: str
    text: str
    lang: str = "auto"
    published: date | None = None
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    source: str = "<text>"  # where it came from, for messages: "file.txt", "batch.jsonl:3"


@dataclass(frozen=True)
class BadInput:
    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # "dateline", "related-headline", "source-credit"
    text: str
    groups: dict = field(default_factory=dict, compare=False)  # e.g. {"publisher": (b, e), "place": (b, e)}


# ---------------------------------------------------------------- metadata values

def parse_date(value: str | None, what: str = "published") -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InputError(f"{what} date {value!r} is not YYYY-MM-DD") from None


def check_lang(value: str | None) -> str:
    lang = (value or "auto").lower()
    if lang not in LANGS + ("auto",):
        raise InputError(f"unknown language {value!r} (use one of: {', '.join(LANGS)}, auto)")
    return lang


# ---------------------------------------------------------------- language detection

@lru_cache(maxsize=None)
def _stop_words() -> dict[str, frozenset[str]]:
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.id.stop_words import STOP_WORDS as ID
    return {"id": frozenset(ID - EN), "en": frozenset(EN - ID)}


def function_words(lang: str) -> frozenset[str]:
    """spaCy's stop words of ``lang`` that are not stop words of the other language."""
    return _stop_words()[lang]


_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str:
    """Indonesian or English, by the share of each language's own stop words (spaCy's lists).

    News text in either language is about 30-45 % stop words and the two lists barely overlap,
    so a few sentences decide it clearly.
    """
    words = [w.lower() for w in _WORD.findall(text[:5000])]
    sw = _stop_words()
    scores = {lang: sum(w in sw[lang] for w in words) for lang in LANGS}
    best = max(scores, key=scores.get)
    other = min(scores, key=scores.get)
    if scores[best] < 2 or scores[best] < 1.5 * scores[other]:
        raise InputError("cannot tell whether the text is Indonesian or English; pass --lang id or --lang en")
    return best


# ---------------------------------------------------------------- inputs

def _decode(raw: bytes, source: str) -> str:
    if b"\x00" in raw[:8192]:
        raise InputError(f"{source}: binary data, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{source}: not UTF-8 text (byte {e.start}: {raw[e.start:e.start + 1]!r})") from None
    return text


def _article_from_text(text: str, source: str, ident: str, defaults: dict) -> Article:
    if not text.strip():
        raise InputError(f"{source}: empty text")
    return Article(id=ident, text=text, source=source, **defaults)


def _read_jsonl(path: Path, raw: bytes, defaults: dict) -> Iterator[Article | BadInput]:
    text = _decode(raw, str(path))
    seen: set[str] = set()
    for n, line in enumerate(text.splitlines(), 1):
        src = f"{path}:{n}"
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            yield BadInput(src, f"malformed JSON ({e.msg} at column {e.colno})")
            continue
        try:
            if not isinstance(rec, dict):
                raise InputError("a JSONL line must be an object with 'id' and 'text'")
            ident, body = rec.get("id"), rec.get("text")
            if ident is None or str(ident).strip() == "":
                raise InputError("missing 'id'")
            if not isinstance(body, str) or not body.strip():
                raise InputError("missing or empty 'text'")
            ident = str(ident)
            if ident in seen:
                raise InputError(f"duplicate id {ident!r}")
            seen.add(ident)
            meta = dict(defaults)
            if "published" in rec and rec["published"] not in (None, ""):
                meta["published"] = parse_date(rec["published"])
            if rec.get("lang"):
                meta["lang"] = check_lang(rec["lang"])
            for key in ("url", "title", "publisher"):
                if rec.get(key):
                    meta[key] = str(rec[key])
            yield Article(id=ident, text=body, source=src, **meta)
        except InputError as e:
            yield BadInput(src, str(e))


def _read_path(path: Path, defaults: dict) -> Iterator[Article | BadInput]:
    if not path.exists():
        yield BadInput(str(path), "no such file or directory")
        return
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")
                       and (p.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES))
        if not files:
            yield BadInput(str(path), "directory holds no .txt or .jsonl files")
        for f in files:
            yield from _read_path(f, defaults)
        return
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"{path}: larger than {MAX_BYTES // 1_000_000} MB")
        raw = path.read_bytes()
        if path.suffix.lower() in JSONL_SUFFIXES:
            yield from _read_jsonl(path, raw, defaults)
            return
        yield _article_from_text(_decode(raw, str(path)), str(path), path.stem, defaults)
    except InputError as e:
        yield BadInput(str(path), str(e).removeprefix(f"{path}: "))
    except OSError as e:
        yield BadInput(str(path), e.strerror or str(e))


def read_inputs(inputs: Iterable[str], *, lang: str = "auto", published: date | None = None,
                url: str | None = None, title: str | None = None, publisher: str | None = None,
                stdin=None) -> Iterator[Article | BadInput]:
    """Every article in the inputs, in order; bad inputs as :class:`BadInput`.

    Command-line metadata applies to every article unless a JSONL record sets its own.
    """
    defaults = {"lang": check_lang(lang), "published": published, "url": url, "title": title,
                "publisher": publisher}
    for item in inputs:
        if item == "-":
            raw = (stdin or sys.stdin.buffer).read()
            try:
                text = _decode(raw, "<stdin>")
                yield _article_from_text(text, "<stdin>", "stdin", defaults)
            except InputError as e:
                yield BadInput("<stdin>", str(e).removeprefix("<stdin>: "))
            continue
        yield from _read_path(Path(item), defaults)


# ---------------------------------------------------------------- boilerplate

@lru_cache(maxsize=None)
def lang_data(lang: str) -> dict:
    with open(resources.lang_dir(lang) / "read.yaml", encoding="utf-8") as fh:
        data = resources.load_yaml(fh)
    return {
        "datelines": [re.compile(p) for p in data.get("datelines") or []],
        "related_headlines": [re.compile(p) for p in data.get("related_headlines") or []],
        "source_credits": [re.compile(p) for p in data.get("source_credits") or []],
        "token_match": data.get("token_match"),
    }


@lru_cache(maxsize=None)
def common_words(lang: str) -> frozenset[str]:
    """Lower-case common words of the language (see scripts/build_lang_data.py), plus spaCy's stop words."""
    words: set[str] = set()
    path = resources.lang_dir(lang) / "common_words.txt"
    if path.exists():
        words |= {w for w in path.read_text(encoding="utf-8").split("\n") if w and not w.startswith("#")}
    words |= set(_stop_words()[lang])
    return frozenset(words)


@lru_cache(maxsize=None)
def names_data(lang: str) -> dict:
    """Title words, never-a-name abbreviations and the words that type an unknown name, per language
    (``kg/lang/<lang>/names.yaml``)."""
    path = resources.lang_dir(lang) / "names.yaml"
    data = resources.load_yaml(path.read_text(encoding="utf-8")) if path.exists() else {}
    def words(key: str) -> frozenset[str]:
        return frozenset(w.lower() for w in data.get(key) or [])

    return {"titles": words("titles"), "not_names": frozenset(data.get("not_names") or []),
            "org_heads": words("org_heads"), "place_heads": words("place_heads"),
            "connectors": words("connectors"), "person_after": words("person_after"),
            "before_place": words("before_place"), "name_of": words("name_of"),
            "home_country": data.get("home_country"),
            "old_spellings": tuple((str(a).lower(), str(b).lower()) for a, b in (data.get("old_spellings") or {}).items())}


_TOKEN = re.compile(r"\w[\w'’.-]*\w|\w|[^\w\s]")
_SENT_END = re.compile(r"[.!?]['\"”’)]*$")


def _headline_end(text: str, start: int, lang: str, is_name: Callable[[str], bool]) -> int:
    """Where an inserted headline that starts at ``start`` ends.

    It ends at a line break, at a sentence end, or before the first capitalised word that starts
    the article's next sentence: a word that is not a name (``is_name``) followed by a lower-case
    word, or a common word after a lower-case word; never right after a colon ("Amnesty
    International: Konflik ..." stays one headline).
    """
    common = common_words(lang)
    limit = min(len(text), start + 400)
    newline = text.find("\n", start, limit)
    if newline != -1:
        limit = newline
    words = 0
    prev = ""
    toks = list(_TOKEN.finditer(text, start, limit))
    for k, m in enumerate(toks):
        tok = m.group()
        if words >= 3 and tok[0].isupper() and prev != ":" and not tok.isupper():
            nxt = toks[k + 1].group() if k + 1 < len(toks) else ""
            continues_lower = nxt[:1].islower() or nxt in (",", ";")
            after_lower = prev[:1].islower()
            # a sentence starts with a capitalised word the next word continues in lower case
            # ("Sejalan dengan itu"); a capitalised word inside a run of names does not start one
            if (continues_lower and not is_name(tok)) or (tok.lower() in common and after_lower):
                return _rstrip(text, start, m.start())
        if tok[0].isalnum():
            words += 1
            if _SENT_END.search(tok) and not tok.isupper() and len(tok) > 2 and words > 3:
                return m.end()
        elif tok in ".!?" and words > 3:
            return m.end()
        prev = tok
    return _rstrip(text, start, limit)


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def find_boilerplate(text: str, lang: str, is_name: Callable[[str], bool] | None = None) -> list[Span]:
    """Dateline, related-article headlines and source credits in ``text``, sorted by offset."""
    data = lang_data(lang)
    is_name = is_name or (lambda word: False)
    spans: list[Span] = []
    for pat in data["datelines"]:
        m = pat.match(text)
        if m:
            groups = {k: m.span(k) for k, v in m.groupdict().items() if v}
            spans.append(Span(0, _rstrip(text, 0, m.end()), "dateline", text[:m.end()].strip(), groups))
            break
    for pat in data["related_headlines"]:
        for m in pat.finditer(text):
            end = _headline_end(text, m.end(), lang, is_name)
            spans.append(Span(m.start(), end, "related-headline", text[m.start():end]))
    for pat in data["source_credits"]:
        for m in pat.finditer(text):
            b, e = m.span("source")
            spans.append(Span(m.start(), e, "source-credit", text[m.start():e], {"source": (b, e)}))
    spans.sort(key=lambda s: (s.start, -s.end))
    return spans
