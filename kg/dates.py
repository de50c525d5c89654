"""Date expressions in news text, resolved against the publication date (part of the extract stage).

News rarely gives a year: "Selasa pagi (13/9)" is the Tuesday 13 September before or on the
publication date, "Senin (12/9) malam" the Monday before. Word lists (day and month names,
relative expressions) are language data in ``kg/lang/<lang>/dates.yaml``.

Each expression becomes a :class:`When` with the most precise value the text allows: a day
(``xsd:date``), a month (``xsd:gYearMonth``) or a year (``xsd:gYear``). A decade ("akhir 1980-an")
is kept as a year range, not a timestamp.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache


from kg import resources


@dataclass(frozen=True)
class When:
    start: int  # offsets of the expression in the text
    end: int
    text: str
    value: str  # "2022-09-13", "2022-09", "2020"
    precision: str  # "day", "month", "year", "decade"


def _starts(words) -> str:
    """A character class of the first letters of ``words``, both cases."""
    first = {w[:1].lower() for w in words if w} | {w[:1].upper() for w in words if w}
    return "[" + "".join(re.escape(c) for c in sorted(first)) + "]"


@lru_cache(maxsize=None)
def _data(lang: str) -> dict:
    with open(resources.lang_dir(lang) / "dates.yaml", encoding="utf-8") as fh:
        d = resources.load_yaml(fh)
    days = "|".join(sorted(map(re.escape, d["days"]), key=len, reverse=True))
    months = "|".join(sorted(map(re.escape, d["months"]), key=len, reverse=True))
    rel = {**{k: ("day", v) for k, v in d.get("relative_days", {}).items()},
           **{k: ("week", v) for k, v in d.get("relative_weeks", {}).items()},
           **{k: ("year", v) for k, v in d.get("relative_years", {}).items()}}
    rel_re = "|".join(sorted(map(re.escape, rel), key=len, reverse=True))
    dec_mod = "|".join(map(re.escape, d.get("decade_modifiers", {})))
    suffix = re.escape(d.get("decade_suffix", "s"))
    years = "|".join(map(re.escape, d.get("year_words", [])))
    # a lookahead for the letters a pattern's word list can start with lets the regex engine skip the
    # other positions quickly (it cannot see through a leading \b and a case-insensitive alternation)
    day_at, mon_at = _starts(d["days"]), _starts(d["months"])
    patterns = [
        # "Selasa (13/9)", "Selasa pagi (13/9)", "(13/9)", "13/9/2022"
        ("dm", re.compile(rf"(?=[\d(]|{day_at})(?:\b(?P<day>{days})\b[\s\w]{{0,12}}?)?\(?\b(?P<d>[0-3]?\d)/(?P<m>[01]?\d)(?:/(?P<y>\d{{2,4}}))?\b\)?", re.I)),
        # "13 September 2022", "September 13, 2022", "13 Sept"
        ("dmy", re.compile(rf"\b(?P<d>[0-3]?\d)\s+(?P<mon>{months})\.?(?:\s+(?P<y>\d{{4}}))?\b", re.I)),
        ("mdy", re.compile(rf"(?={mon_at})\b(?P<mon>{months})\.?\s+(?P<d>[0-3]?\d)(?:,?\s+(?P<y>\d{{4}}))?\b", re.I)),
        # "September 2022"
        ("my", re.compile(rf"(?={mon_at})\b(?P<mon>{months})\s+(?P<y>\d{{4}})\b", re.I)),
        # "akhir 1980-an", "the late 1980s"
        ("decade", re.compile(rf"(?:\b(?P<mod>{dec_mod})\s+)?\b(?P<y>1[0-9]{{2}}0|20[0-9]0){suffix}", re.I)),
        # "tahun 2020", "in 2020" (a bare number may be a count: "2020 tentara")
        ("year", re.compile(rf"\b(?:{years})\s+(?P<y>(?:1[5-9]|20)\d{{2}})\b(?![/.\d-])", re.I)),
        ("rel", re.compile(rf"(?={_starts(rel)})\b(?P<rel>{rel_re})\b", re.I)) if rel_re else None,
        # a day name alone: the most recent such day on or before publication
        ("day", re.compile(rf"(?={day_at})\b(?P<day>{days})\b", re.I)),
    ]
    return {"days": {k.lower(): v for k, v in d["days"].items()},
            "months": {k.lower(): v for k, v in d["months"].items()},
            "rel": {k.lower(): v for k, v in rel.items()},
            "decade_modifiers": d.get("decade_modifiers", {}),
            "future": re.compile(r"\b(?:%s)\b[^.!?,;]{0,30}$" % "|".join(map(re.escape, d.get("future_markers", []))), re.I)
            if d.get("future_markers") else None,
            "patterns": [p for p in patterns if p is not None]}


def _before(published: date, month: int, day: int, year: int | None) -> date | None:
    try:
        if year is not None:
            return date(year, month, day)
        candidate = date(published.year, month, day)
    except ValueError:
        return None
    if candidate > published + timedelta(days=7):  # "30/12" in a January article
        try:
            candidate = date(published.year - 1, month, day)
        except ValueError:
            return None
    return candidate


def find_dates(text: str, lang: str, published: date | None, start: int = 0, end: int | None = None) -> list[When]:
    """Date expressions in ``text[start:end]``, leftmost-longest, resolved where ``published`` allows."""
    data = _data(lang)
    end = len(text) if end is None else end
    found: list[When] = []
    taken: list[tuple[int, int]] = []
    for kind, pat in data["patterns"]:
        for m in pat.finditer(text, start, end):
            b, e = m.span()
            if any(b < te and tb < e for tb, te in taken):
                continue
            when = _resolve(kind, m, data, published,
                            future=kind == "day" and data["future"] is not None
                            and data["future"].search(text, max(start, b - 40), b) is not None)
            if when is None:
                continue
            value, precision = when
            found.append(When(b, e, text[b:e], value, precision))
            taken.append((b, e))
    return sorted(found, key=lambda w: w.start)


def _resolve(kind: str, m: re.Match, data: dict, published: date | None, future: bool = False):
    g = m.groupdict()
    year = None
    if g.get("y"):
        year = int(g["y"])
        if year < 100:
            year += 2000
    if kind in ("dm", "dmy", "mdy"):
        d = int(g["d"])
        mo = int(g["m"]) if kind == "dm" else data["months"][g["mon"].lower()]
        if not (1 <= mo <= 12 and 1 <= d <= 31) or (year is None and published is None):
            return None
        day = _before(published, mo, d, year) if published else None
        if day is None and year is not None:
            try:
                day = date(year, mo, d)
            except ValueError:
                return None
        return (day.isoformat(), "day") if day else None
    if kind == "my":
        return f"{int(g['y']):04d}-{data['months'][g['mon'].lower()]:02d}", "month"
    if kind == "decade":
        return g["y"], "decade"
    if kind == "year":
        return g["y"], "year"
    if kind == "rel":
        if published is None:
            return None
        unit, n = data["rel"][g["rel"].lower()]
        if unit == "day":
            return (published + timedelta(days=n)).isoformat(), "day"
        if unit == "year":
            return str(published.year + n), "year"
        return None  # "pekan lalu": a week, no single day; not a timestamp
    if kind == "day":
        if published is None:
            return None
        wd = data["days"][g["day"].lower()]
        if future:  # "akan bertemu pada Jumat", "will meet on Friday": the next such day
            ahead = (wd - published.weekday()) % 7 or 7
            return (published + timedelta(days=ahead)).isoformat(), "day"
        back = (published.weekday() - wd) % 7
        return (published - timedelta(days=back)).isoformat(), "day"
    return None


@lru_cache(maxsize=None)
def calendar_words(lang: str) -> frozenset[str]:
    """Day and month names of the language, lower case."""
    d = _data(lang)
    return frozenset(d["days"]) | frozenset(d["months"])
