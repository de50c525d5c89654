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

The overlay (``kg kb refresh``, see :mod:`kg.kbrefresh`) is a second, small file in the user's data
directory (:func:`overlay_path`: ``$KG_HOME``, else ``$XDG_DATA_HOME/kg``, else ``~/.local/share/kg``;
file ``kb-overlay.json.gz``), never in the installed package. JSON, gzip; ``format`` =
``kg-kb-overlay/1``:

``entities``  ``{id: record}``. A new entity has ``type``, ``labels`` ({"en": .., "id": ..}),
              ``prior`` (0-1), optionally ``country`` and ``attributes``. A known entity has
              only what the overlay adds: ``labels`` in languages it had none in, ``country`` when
              it had none, ``type`` only to turn a generic ``Entity`` into a ``Person``.
``aliases``   rows ``[surface, entity id, lang (null|"en"|"id"), kind, score (0-1)]``.
``holdings``  rows ``[person, position, start, end]`` in the base file's date convention. Merged by
              (person, position, start): a row with a known start adds a term or gives an existing
              term a (new) end date; an end is never erased; a day-precise start refines a
              year-only term of the same year, a year-only start never adds a duplicate of a
              day-precise term (:func:`merge_holdings`).
``meta``      ``updated`` (UTC timestamp of the last refresh), ``runs`` (endpoint, since, counts).

:meth:`KnowledgeBase.load` merges the user's overlay into the default knowledge base when the file
exists; ``meta["overlay"]`` and the ``overlay_*`` keys of :meth:`KnowledgeBase.stats` say so.
"""
from __future__ import annotations

import gzip
import json
import os
import re
import threading
import unicodedata
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kg.errors import KgError

FORMAT = "kg-kb/1"
OVERLAY_FORMAT = "kg-kb-overlay/1"
OVERLAY_NAME = "kb-overlay.json.gz"
TOKEN_RE = re.compile(r"\w+|[^\w\s]")
_WORD_RE = re.compile(r"\w+")

TYPES = ("Country", "Territory", "City", "Location", "InternationalOrganization", "GovernmentOrganization",
         "MediaOrganization", "NewsAgency", "Organization", "Person", "Position", "Entity")
KINDS = ("label", "alias", "acronym", "generated", "weak", "title")
# "title": an office title without its country ("Presiden", "Menteri Luar Negeri"), for the offices of
# the country a language's press writes from; only trusted right before a name that holds the office
LANGS = (None, "en", "id")

# hyphens and dashes -> '-', typographic quotes -> ASCII, soft hyphen and zero-width marks dropped
_TRANSLATE = {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d"}
_TRANSLATE.update({c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u02bc\u0060\u00b4"})
_TRANSLATE.update({c: '"' for c in "\u201c\u201d\u201e\u201f\u2033"})
_TRANSLATE.update({c: None for c in "\u00ad\u200b\u200c\u200d\u2060\ufeff"})
_TRANSLATE = str.maketrans(_TRANSLATE)


_DIGIT = re.compile(r"\d").search


def _word_key(word: str) -> str:
    """:func:`normalise` of one word, without its general path for the common plain ASCII case."""
    return word.lower() if word.isascii() and "`" not in word and word.isalnum() else normalise(word)


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


def _one_line(text) -> str:
    return " ".join(str(text).split()) if text else ""


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


class _LazyHoldings:
    """The holdings as a sequence whose :class:`Holding` objects are made when first asked for: an
    article needs the terms of a few offices, and making all 30,000 costs a fifth of a second."""

    __slots__ = ("_rows", "_ids", "_made", "_starts", "_ends")

    def __init__(self, rows: list[tuple], ids: list[str]):
        self._rows, self._ids, self._made = rows, ids, {}
        self._starts: dict[str, tuple] = {}  # the same dates recur: parse each once
        self._ends: dict[str, date | None] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, n: int) -> Holding:
        h = self._made.get(n)
        if h is None:
            p, o, s, e = self._rows[n]
            sd, approx = self._starts.get(s) or self._starts.setdefault(s, _parse_date(s))
            ed = self._ends[e] if e in self._ends else self._ends.setdefault(e, _end_date(e))
            h = self._made[n] = Holding(self._ids[p], self._ids[o], sd, ed, approx or len(e) == 4)
        return h

    def __iter__(self):
        return (self[n] for n in range(len(self._rows)))


def user_data_dir() -> Path:
    """The user's data directory for kg: ``$KG_HOME`` if set, else ``$XDG_DATA_HOME/kg``, else
    ``~/.local/share/kg`` (not created here)."""
    home = os.environ.get("KG_HOME")
    if home:
        return Path(home).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "kg"
    return Path.home() / ".local" / "share" / "kg"


def overlay_path() -> Path:
    """Where ``kg kb refresh`` writes the overlay and :meth:`KnowledgeBase.load` looks for it."""
    return user_data_dir() / OVERLAY_NAME


def _overlay_problem(path: Path, problem: str) -> KgError:
    return KgError(f"knowledge base overlay {path} {problem}; delete it or run `kg kb refresh` again")


def read_overlay(path: Path | str | None = None) -> dict | None:
    """The overlay in ``path`` (default :func:`overlay_path`) as a dict, None when there is no file.
    An unreadable or malformed file is a :class:`KgError` naming it."""
    path = overlay_path() if path is None else Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _overlay_problem(path, f"cannot be read ({exc.strerror or exc})") from None
    try:
        data = json.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)
    except (OSError, EOFError, zlib.error, ValueError) as exc:
        raise _overlay_problem(path, f"is not valid gzip-compressed JSON ({type(exc).__name__})") from None
    if not isinstance(data, dict) or data.get("format") != OVERLAY_FORMAT:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise _overlay_problem(path, f"has format {found!r}, expected {OVERLAY_FORMAT!r}")
    ents, aliases, holdings = data.get("entities", {}), data.get("aliases", []), data.get("holdings", [])
    ok = (isinstance(ents, dict) and all(isinstance(v, dict) for v in ents.values())
          and isinstance(aliases, list) and all(isinstance(r, list) and len(r) == 5 for r in aliases)
          and isinstance(holdings, list)
          and all(isinstance(r, list) and len(r) == 4 and all(isinstance(x, str) for x in r) for r in holdings)
          and isinstance(data.get("meta", {}), dict))
    if not ok:
        raise _overlay_problem(path, "is malformed")
    data.setdefault("entities", {})
    data.setdefault("aliases", [])
    data.setdefault("holdings", [])
    data.setdefault("meta", {})
    return data


def _is_precise(s: str) -> bool:
    return len(s) == 10


def merge_holdings(base, extra) -> tuple[list[list[str]], list[tuple[str, str, str, str]], dict[str, int]]:
    """Merge holding rows ``(person, position, start, end)`` (date strings as in the file) into ``base``.

    Returns the merged rows, the rows of ``extra`` that changed something (what an overlay needs
    to store), and counts ``added`` / ``end_updated`` / ``refined`` / ``unchanged``. Rules, keyed
    by (person, position, start): a known term gets the extra row's end when that is given and
    differs (an end is never erased, and a year-only end never replaces a precise one of the same
    year); a day-precise start replaces a year-only term of the same person, office and year; a
    year-only start adds nothing when a day-precise term of that year exists; anything else is added.
    """
    rows = [list(r) for r in base]
    key: dict[tuple[str, str, str], int] = {}
    year_only: dict[tuple[str, str, str], int] = {}
    precise_years: set[tuple[str, str, str]] = set()
    for n, (p, o, s, _e) in enumerate(rows):
        key[(p, o, s)] = n
        if len(s) == 4:
            year_only[(p, o, s)] = n
        elif _is_precise(s):
            precise_years.add((p, o, s[:4]))
    changed: list[tuple[str, str, str, str]] = []
    counts = {"added": 0, "end_updated": 0, "refined": 0, "unchanged": 0}
    for p, o, s, e in extra:
        n = key.get((p, o, s))
        if n is not None:
            old = rows[n][3]
            if e and e != old and not (len(e) == 4 and _is_precise(old) and old[:4] == e):
                rows[n][3] = e
                changed.append((p, o, s, e))
                counts["end_updated"] += 1
            else:
                counts["unchanged"] += 1
            continue
        if len(s) == 4 and (p, o, s) in precise_years:
            counts["unchanged"] += 1
            continue
        if _is_precise(s) and (p, o, s[:4]) in year_only:
            n = year_only.pop((p, o, s[:4]))
            del key[(p, o, s[:4])]
            end = e or rows[n][3]
            rows[n] = [p, o, s, end]
            key[(p, o, s)] = n
            precise_years.add((p, o, s[:4]))
            changed.append((p, o, s, end))
            counts["refined"] += 1
            continue
        key[(p, o, s)] = len(rows)
        if len(s) == 4:
            year_only[(p, o, s)] = len(rows)
        elif _is_precise(s):
            precise_years.add((p, o, s[:4]))
        rows.append([p, o, s, e])
        changed.append((p, o, s, e))
        counts["added"] += 1
    return rows, changed, counts


class KnowledgeBase:
    """Read-only access to the compiled knowledge base. Build one with :meth:`load`."""

    _default: KnowledgeBase | None = None
    _default_lock = threading.Lock()

    def __init__(self, data: dict, path: Path | None = None, overlay: dict | None = None,
                 overlay_file: Path | None = None):
        self.path = path
        self.meta: dict = dict(data.get("meta", {}))
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
        self._raw_rows: list[tuple] = []
        self._by_position: dict[int, list[int]] | None = None
        self._by_person: dict[int, list[int]] | None = None
        self._max_tokens: dict[str, int] | None = None
        self._extra: dict | None = None
        self._by_label: dict[str, list[int]] | None = None
        # the overlay (kg kb refresh): extra alias rows by key, holdings merged lazily
        self.overlay_path: Path | None = None
        self._n_base = n
        self._ov_aliases: dict[str, list[tuple]] = {}
        self._ov_holdings: list[tuple[str, str, str, str]] = []
        self._ov_attributes: dict[str, dict] = {}
        self._ov_changed: set[str] = set()
        self._ov_holding_keys: set[tuple] = set()
        self._ov_counts: dict[str, int] = {}
        if overlay is not None:
            self._apply_overlay(overlay, overlay_file)

    def _apply_overlay(self, ov: dict, file: Path | None) -> None:
        """Add the overlay's entities, labels and aliases now; its holdings when first needed."""
        bad = 0
        new: list[tuple[str, dict]] = []
        try:
            for eid, rec in sorted(ov.get("entities", {}).items()):
                labels = rec.get("labels") or {}
                i = self._index.get(eid)
                if i is None:
                    etype = rec.get("type")
                    if etype not in TYPES or not isinstance(eid, str) or "\n" in eid:
                        bad += 1
                        continue
                    if etype not in self._types:
                        self._types.append(etype)
                    i = len(self._ids)
                    self._index[eid] = i
                    self._ids.append(eid)
                    self._en.append(_one_line(labels.get("en")))
                    self._id_labels.append(_one_line(labels.get("id")))
                    self._desc.append(_one_line(rec.get("description")))
                    self._etype.append(self._types.index(etype))
                    self._prior.append(int(round(max(0.0, min(1.0, float(rec.get("prior", 0.4)))) * 1000)))
                    self._country.append(-1)
                    self._entities.append(None)
                else:
                    if labels.get("en") and not self._en[i]:
                        self._en[i] = _one_line(labels["en"])
                    if labels.get("id") and not self._id_labels[i]:
                        self._id_labels[i] = _one_line(labels["id"])
                    if rec.get("type") == "Person" and self._types[self._etype[i]] == "Entity":
                        if "Person" not in self._types:
                            self._types.append("Person")
                        self._etype[i] = self._types.index("Person")
                new.append((eid, rec))
                self._ov_changed.add(eid)
                if isinstance(rec.get("attributes"), dict) and rec["attributes"]:
                    self._ov_attributes[eid] = rec["attributes"]
            for eid, rec in new:
                c = self._index.get(rec.get("country") or "")
                i = self._index[eid]
                if c is not None and self._country[i] < 0:
                    self._country[i] = c
            n_alias = 0
            for surface, eid, lang, kind, score in ov.get("aliases", []):
                i = self._index.get(eid)
                if i is None or not isinstance(surface, str) or lang not in LANGS or kind not in self._kinds:
                    bad += 1
                    continue
                surface = _one_line(surface)
                key = normalise(surface)
                if not key:
                    continue
                cs = kind == "acronym"
                if i < self._n_base:
                    self._ov_changed.add(eid)
                self._ov_aliases.setdefault(key, []).append(
                    (i, surface, LANGS.index(lang), self._kinds.index(kind), int(round(float(score) * 1000)),
                     1 if cs else 0))
                n_alias += 1
            self._ov_holdings = [tuple(r) for r in ov.get("holdings", [])]
        except (TypeError, ValueError, AttributeError) as exc:
            raise _overlay_problem(file or Path(OVERLAY_NAME), f"is malformed ({type(exc).__name__})") from None
        self.overlay_path = file
        self._ov_counts = {"overlay_entities": len(self._ids) - self._n_base, "overlay_aliases": n_alias,
                           "overlay_problems": bad}
        meta = ov.get("meta", {})
        self.meta["overlay"] = {
            "path": str(file) if file else None,
            "updated": meta.get("updated"),
            "endpoint": (meta.get("runs") or [{}])[-1].get("endpoint"),
            "since": (meta.get("runs") or [{}])[-1].get("since"),
            "entities": len(ov.get("entities", {})),
            "new_entities": len(self._ids) - self._n_base,
            "aliases": n_alias,
            "holdings": len(self._ov_holdings),
        }

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, path: Path | str | None = None, overlay: bool | Path | str | None = None) -> KnowledgeBase:
        """The knowledge base in ``path`` (default: the shipped kg/data/kb.json.gz, loaded once and cached).

        ``overlay``: None (default) merges the user's overlay (:func:`overlay_path`) into the default
        knowledge base when that file exists, and none into an explicit ``path``; True merges the
        user's overlay in either case; False none; a path merges that overlay file. Cached are the
        default knowledge base without overlay and the one with the user's overlay; the latter is
        read again when the overlay file appears, changes (a refresh replaces it) or goes away.
        """
        if overlay is None:
            overlay = path is None
        if path is not None or overlay not in (True, False):
            ov_file = overlay_path() if overlay is True else (Path(overlay) if overlay else None)
            return cls._read(Path(path) if path is not None else cls._shipped(), ov_file)
        if overlay is True:
            ov_file = overlay_path()
            state = cls._overlay_state(ov_file)
            if state is not None:
                cur = cls._default
                if cur is None or cur._state != state:
                    with cls._default_lock:
                        cur = cls._default
                        if cur is None or cur._state != state:
                            cur = cls._read(cls._shipped(), ov_file)
                            cur._state = state
                            cls._default = cur
                return cur
            cls._default = None
        base = cls._default_base
        if base is None:
            with cls._default_lock:
                base = cls._default_base
                if base is None:
                    base = cls._default_base = cls._read(cls._shipped())
        return base

    _default_base: KnowledgeBase | None = None
    _state: tuple | None = None

    @staticmethod
    def _shipped() -> Path:
        from kg.resources import kb_path
        return kb_path()

    @staticmethod
    def _overlay_state(file: Path) -> tuple | None:
        """What identifies the overlay file's version (None: there is none)."""
        try:
            st = file.stat()
        except OSError:
            return None
        return (str(file), st.st_mtime_ns, st.st_size, st.st_ino)

    @classmethod
    def reset_default(cls) -> None:
        """Forget the cached instances (the next :meth:`load` reads the files again)."""
        with cls._default_lock:
            cls._default = None
            cls._default_base = None

    @classmethod
    def _read(cls, path: Path, overlay_file: Path | None = None) -> KnowledgeBase:
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
        ov = read_overlay(overlay_file) if overlay_file is not None else None
        return cls(data, path, ov, overlay_file if ov is not None else None)

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

    def _name_indexes(self) -> tuple[dict, dict]:
        """(surnames, given names): normalised last and first word of every person's English label
        (two words or more, capitalised, no digits) -> the persons who have it. One pass over the
        columns on first use."""
        idx = getattr(self, "_person_names", None)
        if idx is None:
            person = self._types.index("Person") if "Person" in self._types else -1
            last_acc: dict[str, list[str]] = {}
            first_acc: dict[str, list[str]] = {}
            en, ids = self._en, self._ids
            keys: dict[str, str] = {}  # names recur ("Muhammad", "Smith"): normalise each once
            for i, t in enumerate(self._etype):
                if t != person:
                    continue
                label = en[i]
                if " " not in label:
                    continue
                first, last = label.split(" ", 1)[0], label.rsplit(" ", 1)[1]
                if not (first[:1].isupper() and last[:1].isupper()):
                    continue
                if not _DIGIT(first + last):
                    key = keys.get(last) or keys.setdefault(last, _word_key(last))
                    last_acc.setdefault(key, []).append(ids[i])
                if len(first) >= 3 and first.isalpha():
                    key = keys.get(first) or keys.setdefault(first, _word_key(first))
                    first_acc.setdefault(key, []).append(ids[i])
            idx = self._person_names = ({k: tuple(v) for k, v in last_acc.items()},
                                        {k: tuple(v) for k, v in first_acc.items()})
        return idx

    def persons_by_surname(self) -> dict[str, tuple[str, ...]]:
        """Normalised last word of every person's English label -> the persons who have it."""
        return self._name_indexes()[0]

    def persons_by_given_name(self) -> dict[str, tuple[str, ...]]:
        """Normalised first word of every person's English label -> the persons who have it
        ("Pramono" for Pramono Anung: Indonesian news often names people so)."""
        return self._name_indexes()[1]

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
        out = dict(self._extra.get(id, {}))
        out.update(self._ov_attributes.get(id, {}))
        return out

    def from_overlay(self, id: str) -> str | None:
        """"added" when the overlay added the entity, "updated" when it changed a known one, else None."""
        i = self._index.get(id)
        if i is None or id not in self._ov_changed:
            return None
        return "added" if i >= self._n_base else "updated"

    def holding_from_overlay(self, h: Holding) -> bool:
        """The overlay added this term or changed its dates."""
        self._holding_index()
        return (h.person, h.position, h.start) in self._ov_holding_keys

    # ------------------------------------------------------------------ aliases
    def _key_index(self) -> dict[str, int]:
        if self._keys is None:
            with self._lock:
                if self._keys is None:
                    keys = self._keys_blob.split("\n") if self._keys_blob else []
                    self._surfaces = self._surface_blob.split("\n") if self._surface_blob else []
                    self._keys = dict(zip(keys, range(len(keys))))
        return self._keys

    def has_alias(self, surface: str) -> bool:
        """Is ``surface`` (normalised) an alias of anything? A dictionary probe, for callers that try
        many strings (spelling variants) before asking for candidates."""
        norm = normalise(surface)
        return norm in self._key_index() or norm in self._ov_aliases

    def has_key(self, key: str) -> bool:
        """:meth:`has_alias` for a string already in :func:`normalise`'s form."""
        return key in self._key_index() or key in self._ov_aliases

    def lookup(self, surface: str, lang: str | None = None) -> list[Candidate]:
        """Candidates whose alias has the same normalised form as ``surface``, best first.

        A case-sensitive alias (an acronym such as "CSTO" or "PBB") is a candidate only when the
        text equals it exactly (whitespace runs aside): "csto" finds nothing. One candidate per
        entity (its best alias for this text), ordered by score * prior, an alias in another
        language than ``lang`` counting 0.8 (aliases with no language count fully).
        """
        keys = self._key_index()
        norm = normalise(surface)
        k = keys.get(norm)
        extra = self._ov_aliases.get(norm, ())
        if k is None and not extra:
            return []
        surfaces = self._surfaces
        exact = " ".join(surface.split())
        best: dict[int, tuple] = {}
        rows = [] if k is None else [(self._a_entity[r], surfaces[r], self._a_lang[r], self._a_kind[r],
                                      self._a_score[r], self._a_cs[r]) for r in range(self._start[k], self._start[k + 1])]
        for row in rows + list(extra):
            e, surf, a_lang, _kind, score, cs = row
            if cs == 1 and surf != exact:
                continue
            factor = 1.0 if lang is None or a_lang == 0 or LANGS[a_lang] == lang else 0.8
            rank = score * self._prior[e] * factor
            cur = best.get(e)
            if cur is None or rank > cur[0]:
                best[e] = (rank, row)
        out = []
        for e, (rank, row) in sorted(best.items(), key=lambda t: (-t[1][0], self._ids[t[0]])):
            _e, surf, a_lang, kind, score, cs = row
            out.append(Candidate(self._entity(e), surf, LANGS[a_lang], self._kinds[kind], score / 1000, cs == 1))
        return out

    def aliases(self, id: str) -> list[Candidate]:
        """Every alias of one entity (slow: scans the alias table; meant for tests and inspection)."""
        i = self._index.get(id)
        if i is None:
            return []
        self._key_index()
        ent = self._entity(i)
        out = [Candidate(ent, self._surfaces[r], LANGS[self._a_lang[r]], self._kinds[self._a_kind[r]],
                         self._a_score[r] / 1000, self._a_cs[r] == 1)
               for r, e in enumerate(self._a_entity) if e == i]
        for rows in self._ov_aliases.values():
            out.extend(Candidate(ent, surf, LANGS[lg], self._kinds[kind], score / 1000, cs == 1)
                       for (e, surf, lg, kind, score, cs) in rows if e == i)
        return out

    def max_tokens(self, first_word: str) -> int:
        """The largest number of TOKEN_RE tokens among aliases whose normalised form starts (first \\w+ run)
        with ``first_word`` (a normalised word); 0 if none."""
        if self._max_tokens is None:
            with self._lock:
                if self._max_tokens is None:
                    words = self._mt_words_blob.split("\n") if self._mt_words_blob else []
                    mt = dict(zip(words, self._mt_counts))
                    for key in self._ov_aliases:
                        m = _WORD_RE.search(key)
                        if m:
                            n = len(TOKEN_RE.findall(key))
                            if n > mt.get(m.group(), 0):
                                mt[m.group()] = n
                    self._max_tokens = mt
        return self._max_tokens.get(first_word, 0)

    @property
    def max_alias_tokens(self) -> int:
        """The largest number of tokens of any alias."""
        extra = max((len(TOKEN_RE.findall(k)) for k in self._ov_aliases), default=0)
        return max(max(self._mt_counts, default=0), extra)

    # ------------------------------------------------------------------ holdings
    def _holding_index(self) -> "_LazyHoldings":
        if self._holdings is None:
            with self._lock:
                if self._holdings is None:
                    # a single row with an unknown date is the empty string, not no rows
                    starts = self._h_start_blob.split("\n") if self._h_person else []
                    ends = self._h_end_blob.split("\n") if self._h_person else []
                    ids = self._ids
                    rows = zip(self._h_person, self._h_position, starts, ends)
                    if self._ov_holdings:
                        rows = self._merge_overlay_holdings(list(rows))
                    rows = list(rows)
                    self._raw_rows = rows
                    by_pos, by_per = {}, {}
                    for n, (p, o, _s, _e) in enumerate(rows):
                        by_pos.setdefault(o, []).append(n)
                        by_per.setdefault(p, []).append(n)
                    hs = _LazyHoldings(rows, ids)
                    self._by_position, self._by_person = by_pos, by_per
                    self._holdings = hs
        return self._holdings

    def _merge_overlay_holdings(self, base: list[tuple]) -> list[tuple]:
        ids, index = self._ids, self._index
        person_t = self._types.index("Person") if "Person" in self._types else -1
        position_t = self._types.index("Position") if "Position" in self._types else -1
        extra = []
        for p, o, s, e in self._ov_holdings:
            pi, oi = index.get(p), index.get(o)
            if pi is None or oi is None or self._etype[pi] != person_t or self._etype[oi] != position_t:
                self._ov_counts["overlay_problems"] = self._ov_counts.get("overlay_problems", 0) + 1
                continue
            extra.append((p, o, s, e))
        merged, changed, counts = merge_holdings([(ids[p], ids[o], s, e) for p, o, s, e in base], extra)
        self._ov_counts["overlay_holdings_added"] = counts["added"]
        self._ov_counts["overlay_end_dates_updated"] = counts["end_updated"]
        self._ov_counts["overlay_holdings_refined"] = counts["refined"]
        self._ov_holding_keys = {(p, o, _parse_date(s)[0]) for p, o, s, _e in changed}
        return [(index[p], index[o], s, e) for p, o, s, e in merged]

    def raw_holdings(self) -> list[tuple[str, str, str, str]]:
        """Every holding as ``(person, position, start, end)`` with the file's date strings (YYYY-MM-DD,
        YYYY or ""), the overlay merged, in the order of :meth:`_holding_index`."""
        self._holding_index()
        ids = self._ids
        return [(ids[p], ids[o], s, e) for p, o, s, e in self._raw_rows]

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

    def office_holders_of(self, country: str) -> frozenset[str]:
        """Everyone who ever held an office of this country (cached; read off the holding rows)."""
        cache = self.__dict__.setdefault("_office_holders_of", {})
        hit = cache.get(country)
        if hit is None:
            self._holding_index()
            c = self._index.get(country, -2)
            ids, countries = self._ids, self._country
            hit = cache[country] = frozenset(ids[p] for p, o, _s, _e in self._raw_rows if countries[o] == c)
        return hit

    def office_countries(self, person: str) -> frozenset[str]:
        """The countries of every office the person ever held (cached: the linker asks this of the same
        people in article after article)."""
        cache = self.__dict__.setdefault("_office_countries", {})
        hit = cache.get(person)
        if hit is None:
            countries = set()
            for h in self.positions_of(person):
                office = self.entity(h.position)
                if office is not None and office.country:
                    countries.add(office.country)
            hit = cache[person] = frozenset(countries)
        return hit

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
            by_office.setdefault(self._raw_rows[n][1], []).append(n)
        out = []
        for office_rows in by_office.values():
            out.extend(self._select(office_rows, on))
        return sorted(out, key=lambda h: (-(h.start or date.min).toordinal(), h.position))

    # ------------------------------------------------------------------ stats
    def stats(self) -> dict[str, int | str]:
        """Counts by type (capitalised keys), ``entities``, ``aliases``, ``alias_keys``, ``holdings``, ``nil``;
        with an overlay merged also ``overlay`` (the time of the last refresh) and ``overlay_*`` counts."""
        counts: dict = {t: 0 for t in self._types}
        for t in self._etype:
            counts[self._types[t]] += 1
        counts = {k: v for k, v in counts.items() if v}
        counts["entities"] = len(self._ids)
        counts["aliases"] = len(self._a_entity) + sum(len(v) for v in self._ov_aliases.values())
        base_keys = len(self._start) - 1 if self._start else 0
        new_keys = sum(1 for k in self._ov_aliases if k not in self._key_index()) if self._ov_aliases else 0
        counts["alias_keys"] = base_keys + new_keys
        counts["holdings"] = len(self._holding_index()) if self._ov_holdings else len(self._h_person)
        counts["nil"] = sum(1 for i in self._ids if i.startswith("nil:"))
        if self.overlay_path is not None:
            counts["overlay"] = self.meta["overlay"].get("updated") or "unknown"
            counts.update(self._ov_counts)
        return counts
