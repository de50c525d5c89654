"""The embedded knowledge base: entities, aliases and office holdings, loaded from kg/data/kb.json.gz.

The file is built by ``scripts/build_kb.py`` from the project's Wikidata-derived sources; this
module only reads it. Nothing happens at import time; :meth:`KnowledgeBase.load` reads the file
(the default instance is cached) and the indexes a method needs are built the first time that
method is called.

File layout (JSON, gzip; ``format`` = ``kg-kb/1``). Columns are stored as parallel arrays, and
string columns as one newline-joined string each (``str.split`` is far faster than parsing
hundreds of thousands of JSON strings):

``entities``  ``ids`` / ``en`` / ``id`` / ``description``: joined strings ("" = none);
              ``type``: index into ``types``; ``prior``: per-mille ints; ``country``: entity
              index or -1.
``aliases``   rows grouped by normalised key: ``keys`` (joined, sorted, unique), ``start``
              (row offset of each key, plus the end), and per row ``surface`` (joined),
              ``entity`` (index), ``lang`` (0 none, 1 en, 2 id), ``kind`` (index into ``kinds``),
              ``score`` (per-mille), ``cs`` (1 = case-sensitive).
``holdings``  ``person`` / ``position`` (entity indexes), ``start`` / ``end`` (joined strings:
              ``YYYY-MM-DD``, ``YYYY`` when only the year is known, "" when unknown).
``max_tokens`` ``words`` (joined) and ``counts``: for every first word of an alias, the largest
              number of :data:`TOKEN_RE` tokens of an alias starting with it.
``extra``     a JSON string (parsed on first use): per-entity attributes (codes, dates, titles).
``meta``      build date, sources with their commits and licences, counts.
"""
from __future__ import annotations

import gzip
import json
import re
import threading
import unicodedata
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kg.errors import KgError

FORMAT = "kg-kb/1"
TOKEN_RE = re.compile(r"\w+|[^\w\s]")
_WORD_RE = re.compile(r"\w+")

TYPES = ("Country", "Territory", "City", "Location", "InternationalOrganization", "GovernmentOrganization",
         "MediaOrganization", "NewsAgency", "Organization", "Person", "Position", "Entity")
KINDS = ("label", "alias", "acronym", "generated", "weak")
LANGS = (None, "en", "id")

# hyphens and dashes -> '-', typographic quotes -> ASCII, soft hyphen and zero-width marks dropped
_TRANSLATE = {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d"}
_TRANSLATE.update({c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u02bc\u0060\u00b4"})
_TRANSLATE.update({c: '"' for c in "\u201c\u201d\u201e\u201f\u2033"})
_TRANSLATE.update({c: None for c in "\u00ad\u200b\u200c\u200d\u2060\ufeff"})
_TRANSLATE = str.maketrans(_TRANSLATE)


def normalise(text: str) -> str:
    """The lookup key of a surface form.

    NFKD, combining marks dropped, casefolded; hyphens and dashes become '-', typographic quotes
    become ' (single) or " (double); runs of whitespace become one space; stripped.
    """
    if text.isascii():
        s = text.casefold().replace("`", "'")
    else:
        s = unicodedata.normalize("NFKD", text.translate(_TRANSLATE))
        s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    return " ".join(s.split())


@dataclass(frozen=True, slots=True)
class Entity:
    id: str  # a QID ("Q227") or a NIL key ("nil:governmentorganization/ministry-of-defence-of-azerbaijan")
    type: str  # one of TYPES
    labels: dict  # {"en": ..., "id": ...}; a language may be missing
    prior: float  # in [0, 1]: how likely the entity is meant, before context
    country: str | None  # the entity id of its country, if any
    description: str | None = None

    def __hash__(self) -> int:
        return hash(self.id)

    def label(self, lang: str = "en") -> str:
        """The label in ``lang``, else in the other language, else the id."""
        if self.labels.get(lang):
            return self.labels[lang]
        for value in self.labels.values():
            if value:
                return value
        return self.id


@dataclass(frozen=True, slots=True)
class Candidate:
    entity: Entity
    surface: str  # the alias as written in the knowledge base
    lang: str | None  # language of the alias (None: any language, e.g. a person's name)
    kind: str  # one of KINDS
    score: float  # strength of the alias itself, in [0, 1]
    case_sensitive: bool  # the text must equal ``surface`` exactly (acronyms)

    @property
    def rank(self) -> float:
        return self.score * self.entity.prior


@dataclass(frozen=True, slots=True)
class Holding:
    person: str
    position: str
    start: date | None
    end: date | None  # None: open (still holding) or unknown
    approximate: bool = False  # the dates are known only to the year (start = 1 Jan, end = 31 Dec)

    def covers(self, on: date) -> bool:
        """The term includes ``on`` (an end date is the day the successor took over, so excluded)."""
        if self.start is not None and on < self.start:
            return False
        if self.end is None:
            return True
        return on <= self.end if self.approximate else on < self.end


def _parse_date(text: str) -> tuple[date | None, bool]:
    if not text:
        return None, False
    try:
        if len(text) == 4:
            return date(int(text), 1, 1), True
        return date.fromisoformat(text), False
    except ValueError:
        return None, False


def _end_date(text: str) -> date | None:
    if len(text) == 4:
        return date(int(text), 12, 31)
    return _parse_date(text)[0]


class KnowledgeBase:
    """Read-only access to the compiled knowledge base. Build one with :meth:`load`."""

    _default: KnowledgeBase | None = None
    _default_lock = threading.Lock()

    def __init__(self, data: dict, path: Path | None = None):
        self.path = path
        self.meta: dict = data.get("meta", {})
        try:
            ents = data["entities"]
            self._types: list[str] = data["types"]
            self._kinds: list[str] = data["kinds"]
            self._ids: list[str] = ents["ids"].split("\n")
            self._en: list[str] = ents["en"].split("\n")
            self._id_labels: list[str] = ents["id"].split("\n")
            self._desc: list[str] = ents["description"].split("\n")
            self._etype: list[int] = ents["type"]
            self._prior: list[int] = ents["prior"]
            self._country: list[int] = ents["country"]
            al = data["aliases"]
            self._keys_blob: str = al["keys"]
            self._start: list[int] = al["start"]
            self._surface_blob: str = al["surface"]
            self._a_entity: list[int] = al["entity"]
            self._a_lang: list[int] = al["lang"]
            self._a_kind: list[int] = al["kind"]
            self._a_score: list[int] = al["score"]
            self._a_cs: list[int] = al["cs"]
            ho = data["holdings"]
            self._h_person: list[int] = ho["person"]
            self._h_position: list[int] = ho["position"]
            self._h_start_blob: str = ho["start"]
            self._h_end_blob: str = ho["end"]
            mt = data["max_tokens"]
            self._mt_words_blob: str = mt["words"]
            self._mt_counts: list[int] = mt["counts"]
            self._extra_blob: str = data.get("extra", "{}")
        except (KeyError, TypeError, AttributeError) as exc:
            raise KgError(f"knowledge base {path} is incomplete or of another format (missing {exc})") from None
        n = len(self._ids)
        if not (len(self._en) == len(self._id_labels) == len(self._desc) == len(self._etype) == len(self._prior)
                == len(self._country) == n):
            raise KgError(f"knowledge base {path} is corrupt: entity columns differ in length")
        self._index: dict[str, int] = dict(zip(self._ids, range(n)))
        self._entities: list[Entity | None] = [None] * n
        self._lock = threading.Lock()
        self._keys: dict[str, int] | None = None
        self._surfaces: list[str] | None = None
        self._holdings: list[Holding] | None = None
        self._by_position: dict[int, list[int]] | None = None
        self._by_person: dict[int, list[int]] | None = None
        self._max_tokens: dict[str, int] | None = None
        self._extra: dict | None = None
        self._by_label: dict[str, list[int]] | None = None

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, path: Path | str | None = None) -> KnowledgeBase:
        """The knowledge base in ``path`` (default: the shipped kg/data/kb.json.gz, loaded once and cached)."""
        if path is not None:
            return cls._read(Path(path))
        if cls._default is None:
            with cls._default_lock:
                if cls._default is None:
                    from kg.resources import kb_path
                    cls._default = cls._read(kb_path())
        return cls._default

    @classmethod
    def _read(cls, path: Path) -> KnowledgeBase:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise KgError(f"knowledge base not found: {path} (build it with scripts/build_kb.py)") from None
        except OSError as exc:
            raise KgError(f"cannot read knowledge base {path}: {exc.strerror or exc}") from None
        try:
            text = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
            data = json.loads(text)
        except (OSError, EOFError, zlib.error, ValueError) as exc:
            raise KgError(f"knowledge base {path} is not valid gzip-compressed JSON ({type(exc).__name__}: "
                          f"{str(exc).splitlines()[0] if str(exc) else 'truncated'})") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            found = data.get("format") if isinstance(data, dict) else type(data).__name__
            raise KgError(f"knowledge base {path} has format {found!r}, expected {FORMAT!r}; rebuild it with "
                          "scripts/build_kb.py")
        return cls(data, path)

    # ------------------------------------------------------------------ entities
    def _entity(self, i: int) -> Entity:
        ent = self._entities[i]
        if ent is None:
            labels = {}
            if self._en[i]:
                labels["en"] = self._en[i]
            if self._id_labels[i]:
                labels["id"] = self._id_labels[i]
            c = self._country[i]
            ent = Entity(self._ids[i], self._types[self._etype[i]], labels, self._prior[i] / 1000,
                         self._ids[c] if c >= 0 else None, self._desc[i] or None)
            self._entities[i] = ent
        return ent

    def entity(self, id: str) -> Entity | None:
        i = self._index.get(id)
        return None if i is None else self._entity(i)

    def __contains__(self, id: object) -> bool:
        return id in self._index

    def __len__(self) -> int:
        return len(self._ids)

    def entities(self, type: str | None = None):
        """Every entity (of ``type``), in file order."""
        want = None if type is None else self._types.index(type) if type in self._types else -1
        for i, t in enumerate(self._etype):
            if want is None or t == want:
                yield self._entity(i)

    def by_label(self, label: str, type: str | None = None, lang: str = "en") -> list[Entity]:
        """Entities whose label in ``lang`` is exactly ``label`` (optionally of one type), highest prior first."""
        if self._by_label is None:
            with self._lock:
                if self._by_label is None:
                    idx: dict[str, list[int]] = {}
                    for i, (en, il) in enumerate(zip(self._en, self._id_labels)):
                        if en:
                            idx.setdefault("en\t" + en, []).append(i)
                        if il:
                            idx.setdefault("id\t" + il, []).append(i)
                    self._by_label = idx
        out = [self._entity(i) for i in self._by_label.get(f"{lang}\t{label}", [])]
        if type is not None:
            out = [e for e in out if e.type == type]
        return sorted(out, key=lambda e: -e.prior)

    def attributes(self, id: str) -> dict:
        """Extra attributes of an entity (e.g. a position's ``short_titles``, ``inception``; a country's
        ``iso2``; a city's ``population``), or {}."""
        if self._extra is None:
            with self._lock:
                if self._extra is None:
                    self._extra = json.loads(self._extra_blob)
        return dict(self._extra.get(id, {}))

    # ------------------------------------------------------------------ aliases
    def _key_index(self) -> dict[str, int]:
        if self._keys is None:
            with self._lock:
                if self._keys is None:
                    keys = self._keys_blob.split("\n") if self._keys_blob else []
                    self._surfaces = self._surface_blob.split("\n") if self._surface_blob else []
                    self._keys = dict(zip(keys, range(len(keys))))
        return self._keys

    def lookup(self, surface: str, lang: str | None = None) -> list[Candidate]:
        """Candidates whose alias has the same normalised form as ``surface``, best first.

        A case-sensitive alias (an acronym such as "CSTO" or "PBB") is a candidate only when the
        text equals it exactly (whitespace runs aside): "csto" finds nothing. One candidate per
        entity (its best alias for this text), ordered by score * prior, an alias in another
        language than ``lang`` counting 0.8 (aliases with no language count fully).
        """
        keys = self._key_index()
        k = keys.get(normalise(surface))
        if k is None:
            return []
        surfaces = self._surfaces
        exact = " ".join(surface.split())
        best: dict[int, tuple] = {}
        for r in range(self._start[k], self._start[k + 1]):
            if self._a_cs[r] == 1 and surfaces[r] != exact:
                continue
            e = self._a_entity[r]
            a_lang = self._a_lang[r]
            factor = 1.0 if lang is None or a_lang == 0 or LANGS[a_lang] == lang else 0.8
            rank = self._a_score[r] * self._prior[e] * factor
            cur = best.get(e)
            if cur is None or rank > cur[0]:
                best[e] = (rank, r)
        out = []
        for e, (rank, r) in sorted(best.items(), key=lambda t: (-t[1][0], self._ids[t[0]])):
            out.append(Candidate(self._entity(e), surfaces[r], LANGS[self._a_lang[r]], self._kinds[self._a_kind[r]],
                                 self._a_score[r] / 1000, self._a_cs[r] == 1))
        return out

    def aliases(self, id: str) -> list[Candidate]:
        """Every alias of one entity (slow: scans the alias table; meant for tests and inspection)."""
        i = self._index.get(id)
        if i is None:
            return []
        self._key_index()
        ent = self._entity(i)
        return [Candidate(ent, self._surfaces[r], LANGS[self._a_lang[r]], self._kinds[self._a_kind[r]],
                          self._a_score[r] / 1000, self._a_cs[r] == 1)
                for r, e in enumerate(self._a_entity) if e == i]

    def max_tokens(self, first_word: str) -> int:
        """The largest number of TOKEN_RE tokens among aliases whose normalised form starts (first \\w+ run)
        with ``first_word`` (a normalised word); 0 if none."""
        if self._max_tokens is None:
            with self._lock:
                if self._max_tokens is None:
                    words = self._mt_words_blob.split("\n") if self._mt_words_blob else []
                    self._max_tokens = dict(zip(words, self._mt_counts))
        return self._max_tokens.get(first_word, 0)

    @property
    def max_alias_tokens(self) -> int:
        """The largest number of tokens of any alias."""
        return max(self._mt_counts, default=0)

    # ------------------------------------------------------------------ holdings
    def _holding_index(self) -> list[Holding]:
        if self._holdings is None:
            with self._lock:
                if self._holdings is None:
                    starts = self._h_start_blob.split("\n") if self._h_start_blob else []
                    ends = self._h_end_blob.split("\n") if self._h_end_blob else []
                    hs, by_pos, by_per = [], {}, {}
                    ids = self._ids
                    for n, (p, o, s, e) in enumerate(zip(self._h_person, self._h_position, starts, ends)):
                        sd, approx = _parse_date(s)
                        hs.append(Holding(ids[p], ids[o], sd, _end_date(e), approx or len(e) == 4))
                        by_pos.setdefault(o, []).append(n)
                        by_per.setdefault(p, []).append(n)
                    self._by_position, self._by_person = by_pos, by_per
                    self._holdings = hs
        return self._holdings

    def _select(self, rows: list[int], on: date | None) -> list[Holding]:
        hs = self._holding_index()
        items = [hs[n] for n in rows]
        if on is None:
            return sorted(items, key=lambda h: (h.start or date.min, h.person, h.position))
        exact = [h for h in items if h.start is not None and not h.approximate and h.covers(on)]
        fuzzy = [h for h in items if h.start is not None and h.approximate and h.covers(on)]
        unknown = [h for h in items if h.start is None and h.covers(on)]

        def latest_first(h: Holding):
            return (-(h.start or date.min).toordinal(), h.person, h.position)

        if exact:
            return sorted(exact, key=latest_first)
        if fuzzy:
            return sorted(fuzzy, key=latest_first)
        return sorted(unknown, key=lambda h: (h.person, h.position))

    def holders(self, position: str, on: date | None = None) -> list[Holding]:
        """Holdings of an office. ``on=None``: all, earliest first. With a date: the terms that cover it,
        latest start first; terms known only to the year count only when no exact term covers the
        date, and terms with no start only when nothing else does."""
        self._holding_index()
        i = self._index.get(position)
        return [] if i is None else self._select(self._by_position.get(i, []), on)

    def positions_of(self, person: str, on: date | None = None) -> list[Holding]:
        """Holdings of a person (same rules as :meth:`holders`, applied per office)."""
        self._holding_index()
        i = self._index.get(person)
        if i is None:
            return []
        rows = self._by_person.get(i, [])
        if on is None:
            return self._select(rows, None)
        by_office: dict[int, list[int]] = {}
        for n in rows:
            by_office.setdefault(self._h_position[n], []).append(n)
        out = []
        for office_rows in by_office.values():
            out.extend(self._select(office_rows, on))
        return sorted(out, key=lambda h: (-(h.start or date.min).toordinal(), h.position))

    # ------------------------------------------------------------------ stats
    def stats(self) -> dict[str, int]:
        counts: dict[str, int] = {t: 0 for t in self._types}
        for t in self._etype:
            counts[self._types[t]] += 1
        counts = {k: v for k, v in counts.items() if v}
        counts["entities"] = len(self._ids)
        counts["aliases"] = len(self._a_entity)
        counts["alias_keys"] = len(self._start) - 1 if self._start else 0
        counts["holdings"] = len(self._h_person)
        counts["nil"] = sum(1 for i in self._ids if i.startswith("nil:"))
        return counts
