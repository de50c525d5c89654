#!/usr/bin/env python
"""Build kg/data/kb.json.gz, the embedded knowledge base, from ../shared/data/kb-sources.

    python scripts/build_kb.py [--sources ../shared/data/kb-sources] [-o kg/data/kb.json.gz]

Every QID comes from the source files; language knowledge the data lacks comes from
kg/lang/<lang>/aliases.yaml and offices.yaml, keyed by English labels and resolved here (the build
fails if a key matches no entity or more than one). The output is deterministic: sorted keys, gzip
mtime 0, and a build date taken from --build-date, else SOURCE_DATE_EPOCH, else the newest source
file's modification date.

Sources, in order (later sources never override the type or label set by an earlier, more
specialised one; they only add aliases, descriptions and missing labels):
 1. countries/  rigour territories (+ the QID/English/Indonesian join, country-codes, CLDR names,
    countrynames variants): Country when ``is_country``, else Territory (City when Natural Earth
    lists the same QID as a populated place).
 2. organisations/  supraverden (YAML + flattened CSV): InternationalOrganization; abbreviations
    as case-sensitive acronyms; leadership roles as Positions.
 3. media/  news agencies: NewsAgency.
 4. places/  Natural Earth populated places: City, with the country from ISO_A2.
 5. offices/  positions, office holders (every-politician, everywhere, world leaders, foreign
    ministers, officers of international organisations): Position and Person, Holdings.
 6. wikidata-fixtures/  wbgetentities, SPARQL results, dump items: labels, holdings, dates.
 7. general/FB15K  popular entities at a low prior, type guessed from the description.
 8. kg/lang/*/aliases.yaml, then generated office forms and NIL ministries (offices.yaml).

Priors (in [0, 1]):
  Country          0.95 current; 0.85 historical (dissolved) countries
  Territory        0.80 dependencies and disputed/occupied areas, 0.60 provinces, states and other subdivisions
  Location         0.30 rigour's supranational pseudo-regions ("Global", "Cyberspace")
  International org 0.78 + 0.10 * min(1, languages the name is given in / 30)
  City             0.35 + 0.08 * log10(max(population, 1000) / 1000)
                   + 0.15 national capital + 0.03 regional capital + 0.03 world city; clipped to [0.30, 0.88];
                   at most 0.45 for a town abroad whose name is a common Indonesian word ("Itu", "Kota", "Anda")
  NewsAgency       0.75 (verified by two sources or one labelled benchmark), 0.55 unverified
  Position         0.58; 0.72 head of state/government; 0.65 foreign minister; -0.10 if abolished;
                   0.45 when the data gives only a short title as its label
  Person           0.40 + 0.25 if ever head of state/government + min(0.10, 0.02 * offices held)
                   + min(0.05, years in office / 200)
  Ministry (NIL)   0.60
  FB15K / dump-only entities  0.25 (persons, places), 0.20 otherwise
Alias scores: label 1.0, alias 0.9 (other names 0.8-0.95), acronym 0.9, generated 0.85, weak 0.5.
"""
from __future__ import annotations

import argparse
import bz2
import collections
import csv
import gzip
import io
import json
import math
import os
import re
import sys
import time
import unicodedata
from datetime import date, datetime, timezone
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.ids import nil_id  # noqa: E402
from kg.kb import FORMAT, KINDS, LANGS, TOKEN_RE, TYPES, normalise  # noqa: E402

csv.field_size_limit(10 ** 8)
Y = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# repository @ commit and licence of every source (from ../shared/data/MANIFEST.md)
SOURCES = {
    "countries/rigour-territories.jsonl": ("opensanctions/rigour@8f4044dd", "MIT"),
    "countries/country-codes.csv": ("datasets/country-codes@caa72d1e", "ODC-PDDL"),
    "countries/countrynames-aliases.yaml": ("PyPI countrynames 1.17.0", "MIT"),
    "countries/countries_territories_qid_en_id.csv": (
        "join of rigour, country-codes, pycountry 26.2.16 (LGPL-2.1) and CLDR via Babel 2.18.0", "mixed"),
    "countries/cldr_territory_names_en_id.csv": ("CLDR via Babel 2.18.0", "Unicode License"),
    "organisations/supraverden-general_list.yaml": ("confirmordeny/supraverden@59ab4fa0", "CC BY-SA 4.0"),
    "organisations/international_orgs_supraverden_qid_labels.csv": (
        "confirmordeny/supraverden@59ab4fa0 (flattened)", "CC BY-SA 4.0"),
    "places/ne_10m_populated_places_wikidata.csv": (
        "Natural Earth 10m populated places via martynafford/natural-earth-geojson@0b9a6ceb", "public domain"),
    "media/news_agencies_qid_candidates.csv": (
        "ad-freiburg/elevant benchmark labels + impresso/newsagency-classification", "Apache-2.0"),
    "offices/everywhere-current_with_position_qids.csv": (
        "peppercatorg/site-build@b73f1bc4 (snapshot 2024-02-02)", "CC BY-NC 4.0 (site); facts from Wikidata"),
    "offices/everywhere-current.csv": (
        "peppercatorg/site-build@b73f1bc4 (snapshot 2024-02-02)", "CC BY-NC 4.0 (site); facts from Wikidata"),
    "offices/everywhere-leaders-historic_2023-01-20.csv": (
        "peppercatorg/site-build@efd4378c", "CC BY-NC 4.0 (site); facts from Wikidata"),
    "offices/positions_all.csv": ("every-politician-scrapers/<country> (commit per row)", "Wikidata-derived"),
    "offices/officeholders_all.csv": ("every-politician-scrapers/<country> (commit per row)", "Wikidata-derived"),
    "offices/world-leaders-2022_hos_hog_wikidata.csv": (
        "every-politician-scrapers/world-leaders-2021@be7039cf", "Wikidata-derived"),
    "offices/foreign-ministers_wikidata.csv": ("every-politician-scrapers/world@4a3b394d", "Wikidata-derived"),
    "offices/intl-org-officeholders.csv": ("every-politician-scrapers/world@4a3b394d", "Wikidata-derived"),
    "offices/repos.csv": ("every-politician-scrapers/world@4a3b394d", "Wikidata-derived"),
    "general/FB15K_entity2wikidata.json": ("villmow/datasets_knowledge_embedding@9e392453", "MIT"),
    "wikidata-fixtures/wbgetentities": ("opensanctions/nomenklatura@502208c2", "MIT"),
    "wikidata-fixtures/dump-items": ("opentapioca/opentapioca@2bedda1d", "Apache-2.0"),
    "wikidata-fixtures/sparql-results": ("tmtmtmtm/wikidata-position-history@0719ab5b", "MIT"),
}

MAX_ALIAS_TOKENS = 16
SCORE = {"label": 1.0, "alias": 0.9, "acronym": 0.9, "generated": 0.85, "weak": 0.5, "title": 0.6}
RANK_SPECIAL, RANK_FIXTURE, RANK_FB = 0, 1, 2
QID_RE = re.compile(r"^Q[1-9][0-9]*$")
PAREN_RE = re.compile(r"\s*\(([^()]*)\)\s*$")
TYPE_SUFFIX_RE = re.compile(r"^(.*\S)\s+\((" + "|".join(TYPES) + r")\)$")


class BuildError(Exception):
    pass


# ---------------------------------------------------------------------------- small helpers
def clean(text) -> str:
    if text is None:
        return ""
    return " ".join(str(text).split())


def qid(text) -> str | None:
    text = clean(text)
    if text.startswith("http://www.wikidata.org/entity/"):
        text = text.rsplit("/", 1)[1]
    return text if QID_RE.match(text) else None


def is_latin(text: str) -> bool:
    """Every letter is Latin script (digits, spaces and punctuation allowed)."""
    for c in text:
        if c.isalpha() and not unicodedata.name(c, "").startswith("LATIN"):
            return False
    return True


def looks_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(letters) and len(text) <= 12 and all(c.isupper() for c in letters) and is_latin(text)


def strip_paren(text: str) -> str:
    return PAREN_RE.sub("", text).strip() or text


def parse_date(text) -> str:
    """'YYYY-MM-DD', 'YYYY' (year only) or '' from the many shapes in the sources."""
    text = clean(text)
    if not text:
        return ""
    text = text.lstrip("+")
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
    if not m:
        return ""
    y, mo, d = m.group(1), m.group(2), m.group(3)
    if mo and d and mo != "00" and d != "00":
        try:
            return date(int(y), int(mo), int(d)).isoformat()
        except ValueError:
            return y
    return y


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ---------------------------------------------------------------------------- the builder
class Ent:
    __slots__ = ("id", "type", "en", "idl", "prior", "country", "description", "rank", "extra")

    def __init__(self, id, type, en=None, idl=None, prior=0.0, country=None, description=None, rank=RANK_SPECIAL):
        self.id, self.type, self.en, self.idl, self.prior = id, type, en, idl, prior
        self.country, self.description, self.rank, self.extra = country, description, rank, {}


class Builder:
    def __init__(self, sources: Path, lang_dir: Path):
        self.src = sources
        self.lang_dir = lang_dir
        # names of a country that only fill {country} in office titles (aliases.yaml {offices: [...]})
        self.office_country_names: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
        self.e: dict[str, Ent] = {}
        # (key, entity, case_sensitive) -> [surface, lang, kind, score]
        self.aliases: dict[tuple[str, str, bool], list] = {}
        self.holdings: dict[tuple[str, str, str, str], int] = {}
        self.redirect: dict[str, str] = {}  # rigour other_qids -> primary (for country fields only)
        self.problems: list[str] = []
        self.counts: dict[str, int] = collections.Counter()
        self.commits: set[str] = set()
        self.common = self._common_words()
        self.country_of_iso2: dict[str, str] = {}
        self.heads: set[str] = set()  # positions of heads of state/government
        self.foreign_ministers: set[str] = set()  # positions of foreign ministers
        self.person_names: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self.person_born: dict[str, str] = {}
        self.pos_titles: dict[str, set[str]] = collections.defaultdict(set)
        self.pos_jur_titles: dict[str, set[tuple[str, str]]] = collections.defaultdict(set)
        self.title_only: set[str] = set()
        self.late_holdings: list[tuple[str, str, str, str]] = []
        self.en_offices = self._yaml(lang_dir / "en" / "offices.yaml")
        self.id_offices = self._yaml(lang_dir / "id" / "offices.yaml")

    # ----------------------------------------------------------------- infrastructure
    def _yaml(self, path: Path) -> dict:
        if not path.exists():
            raise BuildError(f"missing language data {path}")
        with path.open(encoding="utf-8") as f:
            return yaml.load(f, Loader=Y) or {}

    def _common_words(self) -> frozenset[str]:
        path = self.lang_dir / "id" / "common_words.txt"
        if not path.exists():
            return frozenset()
        return frozenset(normalise(w) for w in path.read_text(encoding="utf-8").split()
                         if w and not w.startswith("#"))

    def path(self, rel: str) -> Path:
        p = self.src / rel
        if not p.exists():
            raise BuildError(f"source missing: {p}")
        return p

    def add(self, id, type, en=None, idl=None, prior=0.0, country=None, description=None,
            rank=RANK_SPECIAL) -> Ent:
        """Create or complete an entity. A lower rank (more specialised source) sets type and labels."""
        en, idl = clean(en) or None, clean(idl) or None
        cur = self.e.get(id)
        if cur is None:
            cur = self.e[id] = Ent(id, type, en, idl, prior, country, clean(description) or None, rank)
            return cur
        if rank < cur.rank:
            cur.type, cur.rank = type, rank
            cur.en = en or cur.en
            cur.idl = idl or cur.idl
        else:
            cur.en = cur.en or en
            cur.idl = cur.idl or idl
        cur.prior = max(cur.prior, prior)
        cur.country = cur.country or country
        cur.description = cur.description or (clean(description) or None)
        return cur

    def alias(self, eid: str, surface, lang: str | None, kind: str = "alias", score: float | None = None,
              cs: bool | None = None):
        surface = clean(surface)
        if not surface or eid not in self.e:
            return
        key = normalise(surface)
        if not key or not re.search(r"[^\W\d_]", key):
            return  # no letter at all ("00", "-")
        if kind != "label" and len(TOKEN_RE.findall(key)) > MAX_ALIAS_TOKENS:
            return  # nobody writes it out in running text
        if cs is None:
            cs = kind == "acronym"
        if len(key) <= 2 and not (cs or kind == "label"):
            return  # "as", "de": too short to be a name unless written as an acronym
        if kind == "acronym" and not cs:
            kind = "alias"
        score = SCORE[kind] if score is None else score
        k = (key, eid, cs)
        cur = self.aliases.get(k)
        if cur is None:
            self.aliases[k] = [surface, lang, kind, score]
            return
        if cur[1] != lang:
            # the same name in two languages is language-neutral, unless one is only a weaker variant
            cur[1] = None if score == cur[3] else (lang if score > cur[3] else cur[1])
        if score > cur[3] or (score == cur[3] and KINDS.index(kind) < KINDS.index(cur[2])):
            cur[0], cur[2], cur[3] = surface, kind, score

    def name(self, eid: str, surface, lang: str | None, kind: str = "alias", score: float | None = None):
        """An alias that becomes a case-sensitive acronym when it is written in capitals."""
        surface = clean(surface)
        if surface and looks_acronym(surface) and kind != "weak":
            self.alias(eid, surface, lang, "acronym", score)
        else:
            self.alias(eid, surface, lang, kind, score)

    def weak(self, eid: str, surface, lang: str | None = None):
        surface = clean(surface)
        # other-language variants of four letters or fewer collide with words ("Mari", Japanese for
        # Mali, is Indonesian "let's")
        if len(surface) < 5 or not is_latin(surface) or surface.isupper():
            return
        if normalise(surface) in self.common:
            return
        self.alias(eid, surface, lang, "weak")

    def hold(self, person: str | None, position: str | None, start: str, end: str):
        if not person or not position:
            return
        k = (person, position, start, end)
        self.holdings[k] = self.holdings.get(k, 0) + 1

    def country_ref(self, q: str | None) -> str | None:
        if not q:
            return None
        return self.redirect.get(q, q) if q not in self.e else q

    # ----------------------------------------------------------------- 1. countries
    def countries(self):
        rig = [json.loads(line) for line in self.path("countries/rigour-territories.jsonl").open(encoding="utf-8")
               if line.strip()]
        join = {r["code"]: r for r in read_csv(self.path("countries/countries_territories_qid_en_id.csv"))}
        cc = {r["ISO3166-1-Alpha-2"]: r for r in read_csv(self.path("countries/country-codes.csv"))
              if r.get("ISO3166-1-Alpha-2")}
        cldr = {r["cldr_code"]: r for r in read_csv(self.path("countries/cldr_territory_names_en_id.csv"))}
        with self.path("countries/countrynames-aliases.yaml").open(encoding="utf-8") as f:
            variants = yaml.load(f, Loader=Y)
        ne_qids = {r["wikidataid"] for r in read_csv(self.path("places/ne_10m_populated_places_wikidata.csv"))
                   if r.get("wikidataid")}
        usage = collections.Counter()
        for r in read_csv(self.path("offices/positions_all.csv")):
            usage[r["country_qid"]] += 1
            usage[r["jurisdiction_qid"]] += 1

        for r in rig:
            code = r["code"]
            j = join.get(code, {})
            q = qid(r.get("qid"))
            other = qid(j.get("qid_country_codes"))
            if not q:
                self.problems.append(f"rigour {code}: no QID")
                continue
            secondary = None
            if other and other != q:
                # the two sources disagree: the QID the office data uses is the country; the other
                # keeps only rigour's full name (e.g. Kingdom of Denmark vs Denmark)
                if usage[other] > usage[q]:
                    q, secondary = other, q
                else:
                    secondary = other
                self.problems.append(f"country {code}: rigour {r.get('qid')} vs country-codes {other}; "
                                     f"using {q}")
            iso2 = (j.get("iso_alpha2") or "").upper()
            historical = bool(r.get("is_historical"))
            if r.get("is_country"):
                etype = "Country"
                prior = 0.85 if historical else 0.95
            elif q in ne_qids:
                etype, prior = "City", 0.6
            elif r.get("region") == "Supranational":  # "Global" (the Earth), "Cyberspace"; EU and UN come later
                etype, prior = "Location", 0.3
            else:
                etype = "Territory"
                # dependencies and disputed / occupied areas above provinces and states
                prior = 0.8 if r.get("claims") or (not r.get("parent") and r.get("is_jurisdiction")) else 0.6
            en = strip_paren(r["name"])
            cl = cldr.get(iso2, {}) if iso2 else {}
            id_cldr = j.get("name_id_cldr") or cl.get("name_id") or ""
            id_iso = j.get("name_id_iso") or ""
            idl = id_cldr if id_cldr and not re.search(r" - |&|\bDAK\b", id_cldr) else (id_iso or id_cldr)
            summary = r.get("summary") or ""
            desc = re.split(r"(?<=[a-z\)])\. ", summary, maxsplit=1)[0].rstrip(".") + "." if summary else None
            ent = self.add(q, etype, en, idl or None, prior, None, desc)
            ent.extra.update({k: v for k, v in {"code": code, "iso2": iso2 or None,
                                                 "iso3": (j.get("iso_alpha3") or "").upper() or None,
                                                 "historical": historical or None}.items() if v})
            if iso2 and etype == "Country" and iso2 not in self.country_of_iso2:
                self.country_of_iso2[iso2] = q
            parent = r.get("parent")
            if parent:
                ent.extra["parent_code"] = parent
            for oq in r.get("other_qids") or []:
                if qid(oq) and oq != q:
                    self.redirect.setdefault(oq, q)
            # names
            self.alias(q, en, "en", "label")
            if idl:
                self.alias(q, idl, "id", "label")
            for n in (j.get("name_en_cldr"), j.get("name_en_iso"), cl.get("name_en"), r["name"]):
                if n and "," not in n:
                    self.name(q, n, "en", "alias", 0.95)
            for n in (id_cldr, id_iso, cl.get("name_id")):
                if n:
                    self.name(q, n, "id", "alias", 0.95)
            full = r.get("full_name") or ""
            if secondary and full and strip_paren(full) != en:
                sec_id = j.get("official_name_id_iso") or None
                sec = self.add(secondary, etype, strip_paren(full), sec_id, prior - 0.1)
                self.alias(secondary, strip_paren(full), "en", "label")
                if sec_id:
                    self.alias(secondary, sec_id, "id", "label")
                sec.extra.update({"code": code, "same_country_as": q})
            elif full:
                self.name(q, strip_paren(full), "en", "alias", 0.9)
                if strip_paren(full) != full:
                    self.name(q, full, "en", "alias", 0.8)
            if j.get("official_name_id_iso") and not secondary:
                self.name(q, j["official_name_id_iso"], "id", "alias", 0.9)
            if r.get("in_sentence"):
                self.name(q, r["in_sentence"], "en", "alias", 0.9)
            url = r.get("wikipedia_url") or ""
            if "/wiki/" in url:
                title = url.rsplit("/wiki/", 1)[1].replace("_", " ")
                from urllib.parse import unquote
                self.name(q, strip_paren(unquote(title)), "en", "alias", 0.9)
            for n in r.get("names_strong") or []:
                if is_latin(n) and not n.isupper() or looks_acronym(n):
                    self.name(q, n, None, "alias", 0.85)
            for n in r.get("names_weak") or []:
                self.weak(q, n)
            for n in variants.get(code.upper(), []) or []:
                self.weak(q, n)
            self.counts["rigour"] += 1
        # CLDR names of non-territories (UN, EU): attach to the organisation with that English name later
        self.cldr_orgs = {r["name_en"]: r["name_id"] for c, r in cldr.items()
                          if c.isalpha() and len(c) == 2 and c not in cc and c.upper() not in self.country_of_iso2}
        # country-codes rows whose QID rigour lacks
        for iso2, r in cc.items():
            q = qid(r.get("wikidata_id"))
            if q and q not in self.e and iso2 not in self.country_of_iso2:
                name = r.get("CLDR display name") or r.get("UNTERM English Short") or r.get("official_name_en")
                if name:
                    self.add(q, "Country" if r.get("is_independent") == "Yes" else "Territory", name, None, 0.8)
                    self.alias(q, name, "en", "label")
                    self.problems.append(f"country-codes {iso2} {q} not in rigour: added from country-codes")

    # ----------------------------------------------------------------- 2. international organisations
    def organisations(self):
        with self.path("organisations/supraverden-general_list.yaml").open(encoding="utf-8") as f:
            data = yaml.load(f, Loader=Y)
        flat = {r["key"]: r for r in read_csv(self.path("organisations/international_orgs_supraverden_qid_labels.csv"))}
        seen: dict[str, str] = {}
        for key, rec in sorted(data.items()):
            rec = dict(rec or {})
            for k, v in (flat.get(key) or {}).items():  # the flattened CSV fills what the YAML lacks
                if v and not rec.get(k):
                    rec[k] = v
            q = qid(rec.get("Wikidata_code"))
            if not q:
                self.counts["io_without_qid"] += 1
                continue
            if q in seen:
                self.problems.append(f"supraverden: {q} used by both {seen[q]!r} and {key!r}; merged")
            seen[q] = key
            en = clean(rec.get("Name_en")) or clean(key)
            names = [k for k in rec if k.startswith("Name_") and len(k) == 7 and rec[k]]
            prior = 0.78 + 0.10 * min(1.0, len(names) / 30)
            idl = clean(rec.get("Name_id")) or None
            ent = self.add(q, "InternationalOrganization", en, idl, prior)
            if ent.type in ("Territory", "Location"):  # rigour lists the EU and the UN among its territories
                self.problems.append(f"{q} {en!r}: a territory in rigour, an organisation in supraverden; "
                                     "typed InternationalOrganization")
                ent.type, ent.en = "InternationalOrganization", en
                ent.idl = idl or ent.idl
            if ent.type != "InternationalOrganization":
                self.problems.append(f"supraverden {q} {en!r} is already a {ent.type}; kept as {ent.type}")
            self.alias(q, en, "en", "label")
            if clean(key) != en:
                self.name(q, key, "en", "alias", 0.95)
            if idl:
                self.alias(q, idl, "id", "label")
            for k, v in rec.items():
                if k.startswith("Name_other") and k.endswith("_en") and v:
                    self.name(q, v, "en", "alias", 0.9)
                elif k.startswith("Abbreviation") and v:
                    lang = "en" if k.endswith("_en") else None
                    for a in (v if isinstance(v, list) else [v]):
                        a = clean(a)
                        if a and "former" not in k:
                            self.name(q, a, lang, "acronym" if looks_acronym(a) else "alias",
                                      0.9 if lang else 0.8)
                        elif a:
                            self.name(q, a, lang, "alias", 0.7)
            if rec.get("Abbreviation_en"):
                ent.extra["abbreviation"] = clean(rec["Abbreviation_en"])
            if rec.get("Year_established"):
                ent.extra["founded"] = clean(rec["Year_established"])
            if rec.get("Org_family") and rec["Org_family"] != "none":
                ent.extra["family"] = clean(rec["Org_family"])
            if en in self.cldr_orgs:
                self.alias(q, self.cldr_orgs[en], "id", "label")
                ent.idl = ent.idl or self.cldr_orgs[en]
            # the organisation's leading office
            pq = qid(rec.get("Leadership_role_Wikidata_code"))
            role = clean(rec.get("Leadership_role_en"))
            if pq and role:
                p = self.add(pq, "Position", role, None, 0.65)
                p.extra["organisation"] = q
                self.alias(pq, role, "en", "label")
            self.counts["io"] += 1

    # ----------------------------------------------------------------- 3. news agencies
    def media(self):
        for r in read_csv(self.path("media/news_agencies_qid_candidates.csv")):
            q = qid(r["qid"])
            if not q:
                continue
            name = clean(r["en_name"])
            label = strip_paren(name)
            prior = 0.55 if r["status"].startswith("unverified") else 0.75
            self.add(q, "NewsAgency", label, None, prior)
            self.e[q].extra["evidence"] = r["status"]
            self.alias(q, label, None, "label")
            m = PAREN_RE.search(name)
            if m:
                self.name(q, m.group(1), None, "alias")
            m = re.search(r"code dict \(([^)]+)\)", r["evidence"])
            if m:
                for part in m.group(1).split("-"):
                    if len(part) >= 2 and part.isupper():
                        self.alias(q, part, None, "acronym")
            self.counts["news_agencies"] += 1

    # ----------------------------------------------------------------- 4. places
    def places(self):
        rows = read_csv(self.path("places/ne_10m_populated_places_wikidata.csv"))
        by_name = {}
        for q, ent in self.e.items():
            if ent.type == "Country" and ent.en:
                by_name.setdefault(ent.en, q)
        for r in rows:
            q = qid(r.get("wikidataid"))
            if not q:
                self.counts["places_without_qid"] += 1
                continue
            iso2 = r["ISO_A2"].upper()
            country = self.country_of_iso2.get(iso2) or by_name.get(r["ADM0NAME"]) or by_name.get(r["SOV0NAME"])
            if country is None:
                for tq, ent in self.e.items():  # de-facto states (Somaliland, Northern Cyprus ...)
                    if ent.en == r["ADM0NAME"] and ent.type in ("Country", "Territory"):
                        country = tq
                        break
            try:
                pop = max(float(r["POP_MAX"] or 0), 1000.0)
            except ValueError:
                pop = 1000.0
            capital = r["ADM0CAP"].startswith("1") or r["FEATURECLA"].startswith("Admin-0 capital")
            prior = 0.35 + 0.08 * math.log10(pop / 1000)
            prior += 0.15 if capital else 0.0
            prior += 0.03 if r["FEATURECLA"].startswith("Admin-1") else 0.0
            prior += 0.03 if r["WORLDCITY"].startswith("1") else 0.0
            prior = round(min(0.88, max(0.30, prior)), 3)
            label = clean(r["NAME_EN"]) or clean(r["NAME"])
            existing = self.e.get(q)
            if existing is not None and existing.type in ("Country", "Territory") and existing.type != "City":
                if existing.type == "Country":
                    self.problems.append(f"Natural Earth {q} {label!r} is a country in rigour; kept as Country")
                    continue
            ent = self.add(q, "City", label, None, prior, country)
            if ent.type == "Territory":  # a rigour subdivision that is really a city (Moscow)
                ent.type = "City"
            ent.country = ent.country or country
            ent.prior = max(ent.prior, prior)
            old = ent.extra.get("population", 0)
            ent.extra.update({"population": max(int(pop), old), "lat": round(float(r["LATITUDE"]), 4),
                              "lon": round(float(r["LONGITUDE"]), 4)})
            if capital:
                ent.extra["capital"] = True
            if r.get("ADM1NAME"):
                ent.extra["admin1"] = clean(r["ADM1NAME"])
            self.alias(q, label, "en", "label")
            for n in (r["NAME"], r["NAMEASCII"]):
                self.name(q, n, None, "alias", 0.9)
            for n in re.split(r"[|,]", r.get("NAMEALT") or ""):
                if clean(n):
                    self.name(q, n, None, "alias", 0.8)
            for col in ("NAME_DE", "NAME_ES", "NAME_FR", "NAME_PT"):
                if r.get(col) and is_latin(r[col]):
                    self.weak(q, r[col])
            self.counts["places"] += 1

    # ----------------------------------------------------------------- 5. offices and holders
    def offices(self):
        positions = read_csv(self.path("offices/positions_all.csv"))
        jur_name: dict[str, str] = {}  # jurisdiction name -> QID
        for r in read_csv(self.path("offices/repos.csv")):
            if qid(r["id"]):
                jur_name[clean(r["country"])] = r["id"]
        for r in positions:
            if r.get("source_repo") and r.get("commit"):
                self.commits.add(f"{r['source_repo']}@{r['commit'][:8]}")
            jur = qid(r["jurisdiction_qid"])
            if jur:
                for n in (r["jurisdiction"], re.sub(r"^the ", "", r["jurisdiction"])):
                    jur_name.setdefault(clean(n), jur)
        self.jur_name = jur_name
        # (jurisdiction, title) -> position QIDs, to give holdings without a position QID one
        by_title: dict[tuple[str, str], set[str]] = collections.defaultdict(set)

        def note_title(jq, title, pq):
            if jq and title and pq:
                by_title[(jq, normalise(title))].add(pq)

        for r in positions:
            pq = qid(r["position_qid"])
            if not pq:
                continue
            country = self.country_ref(qid(r["country_qid"]) or qid(r["jurisdiction_qid"]))
            label = clean(r["position_label"])
            ent = self.add(pq, "Position", label, None, 0.58, country)
            self.alias(pq, label, "en", "label")
            if r.get("enwiki"):
                self.name(pq, strip_paren(r["enwiki"].replace("_", " ")), "en", "alias", 0.95)
            st = clean(r["short_title"])
            if st:
                self.pos_titles[pq].add(st)
                self.pos_jur_titles[pq].add((self.country_ref(qid(r["jurisdiction_qid"])), st))
            if r.get("inception"):
                ent.extra["inception"] = parse_date(r["inception"])
            if r.get("abolished"):
                ent.extra["abolished"] = parse_date(r["abolished"])
            note_title(qid(r["jurisdiction_qid"]), st, pq)
            note_title(qid(r["jurisdiction_qid"]), label, pq)
            self.counts["positions_all"] += 1

        # heads of state / government (year precision)
        for r in read_csv(self.path("offices/world-leaders-2022_hos_hog_wikidata.csv")):
            pq, person, cq = qid(r["position"]), qid(r["officeholder"]), qid(r["countryid"])
            if not pq:
                continue
            label = clean(r["positionLabel"])
            if pq not in self.e and label:
                self.add(pq, "Position", label, None, 0.58, self.country_ref(cq))
                self.alias(pq, label, "en", "label")
            self.heads.add(pq)
            if person and clean(r["officeholderLabel"]):
                self.person_names[person][clean(r["officeholderLabel"])] += 1
                self.hold(person, pq, parse_date(r["start_year"]), parse_date(r["end_year"]))
            note_title(cq, label, pq)

        for r in read_csv(self.path("offices/foreign-ministers_wikidata.csv")):
            pq, person, cq = qid(r["position"]), qid(r["person"]), qid(r["country"])
            if not pq:
                continue
            label = clean(r["positionLabel"])
            if pq not in self.e and label:
                self.add(pq, "Position", label, None, 0.58, self.country_ref(cq))
                self.alias(pq, label, "en", "label")
            ent = self.e.get(pq)
            if ent is not None and ent.country is None:
                ent.country = self.country_ref(cq)
            self.foreign_ministers.add(pq)
            if person and clean(r["name"]):
                self.person_names[person][clean(r["name"])] += 1
                self.hold(person, pq, parse_date(r["start"]), "")

        # positions by normalised English label, for titles the (jurisdiction, title) index lacks:
        # "President" of "Colombia" is the position labelled "President of Colombia" (from another source)
        pos_by_label_key: dict[str, set[str]] = collections.defaultdict(set)
        for q, ent in self.e.items():
            if ent.type == "Position" and ent.en:
                pos_by_label_key[normalise(ent.en)].add(q)

        def by_full_title(jq: str | None, jname: str, title: str) -> set[str]:
            found = set()
            for label in (f"{title} of {jname}", f"{title} of the {jname}"):
                for q in pos_by_label_key.get(normalise(label), ()):
                    country = self.e[q].country
                    if country is None or country == self.country_ref(jq):
                        found.add(q)
            return found

        # everywhere-current (position QIDs given) and the same rows without them
        cur_rows = read_csv(self.path("offices/everywhere-current_with_position_qids.csv"))
        plain_rows = read_csv(self.path("offices/everywhere-current.csv"))
        holder_rows = read_csv(self.path("offices/officeholders_all.csv"))
        for r in cur_rows:
            jq = jur_name.get(clean(r["catalog"]))
            note_title(jq, r["position"], qid(r["positionID_from_wanted_positions"]))
        for r in holder_rows:
            note_title(qid(r["jurisdiction_qid"]), r["position_title"], qid(r["position_qid"]))
        for r in cur_rows + plain_rows:
            person = qid(r["personID"])
            if not person:
                continue
            self.person_names[person][clean(r["person"])] += 1
            if r.get("DOB"):
                self.person_born.setdefault(person, parse_date(r["DOB"]))
            pq = qid(r.get("positionID_from_wanted_positions"))
            jq = jur_name.get(clean(r["catalog"]))
            if not pq:
                cands = by_title.get((jq, normalise(r["position"])), set())
                pq = next(iter(cands)) if len(cands) == 1 else None
            if pq and pq not in self.e and clean(r["position"]):
                # an office the position lists lack: its short title is all the data says about it
                self.add(pq, "Position", clean(r["position"]), None, 0.45, self.country_ref(jq))
                self.title_only.add(pq)
            if pq:
                self.pos_titles[pq].add(clean(r["position"]))
                if jq:
                    self.pos_jur_titles[pq].add((self.country_ref(jq), clean(r["position"])))
                self.hold(person, pq, parse_date(r["start"]), "")

        # every-politician holders (position QIDs mostly given)
        unresolved = holders_by_label = 0
        for r in holder_rows:
            person = qid(r["person_qid"])
            if not person:
                continue
            if r.get("source_repo") and r.get("commit"):
                self.commits.add(f"{r['source_repo']}@{r['commit'][:8]}")
            self.person_names[person][clean(r["person"])] += 1
            if r.get("dob"):
                self.person_born.setdefault(person, parse_date(r["dob"]))
            jq = qid(r["jurisdiction_qid"])
            pq = qid(r["position_qid"])
            title = clean(r["position_title"])
            if not pq:
                cands = by_title.get((jq, normalise(title)), set())
                if not cands and jq:
                    cands = by_full_title(jq, clean(r["jurisdiction"]), title)
                    holders_by_label += len(cands) == 1
                pq = next(iter(cands)) if len(cands) == 1 else None
                if not pq:
                    unresolved += 1
                    continue
            if pq not in self.e and title:
                # an office the position lists lack: its short title is all the data says about it
                self.add(pq, "Position", title, None, 0.45, self.country_ref(jq))
                self.title_only.add(pq)
            if title:
                self.pos_titles[pq].add(title)
                if jq:
                    self.pos_jur_titles[pq].add((self.country_ref(jq), title))
            self.hold(person, pq, parse_date(r["start"]), parse_date(r["end"]))
        self.counts["officeholders_unresolved_position"] = unresolved
        self.counts["officeholders_position_by_full_title"] = holders_by_label

        # peppercat historic leaders (no position QIDs: resolved by jurisdiction + title)
        unresolved = by_label = 0
        for r in read_csv(self.path("offices/everywhere-leaders-historic_2023-01-20.csv")):
            person = qid(r["personID"])
            if not person:
                continue
            self.person_names[person][clean(r["person"])] += 1
            if r.get("DOB"):
                self.person_born.setdefault(person, parse_date(r["DOB"]))
            jq = jur_name.get(clean(r["catalog"]))
            cands = by_title.get((jq, normalise(r["position"])), set())
            if not cands and jq:
                cands = by_full_title(jq, clean(r["catalog"]), clean(r["position"]))
                by_label += len(cands) == 1
            if len(cands) != 1:
                unresolved += 1
                continue
            self.hold(person, next(iter(cands)), parse_date(r["start"]), parse_date(r["end"]))
        self.counts["historic_unresolved_position"] = unresolved
        self.counts["historic_position_by_full_title"] = by_label

        # officers of international organisations (positions by label)
        pos_by_label = collections.defaultdict(set)
        for q, ent in self.e.items():
            if ent.type == "Position" and ent.en:
                pos_by_label[ent.en].add(q)
        unresolved = 0
        for r in read_csv(self.path("offices/intl-org-officeholders.csv")):
            person = qid(r["personID"])
            if not person:
                continue
            self.person_names[person][clean(r["person"])] += 1
            cands = pos_by_label.get(clean(r["position"]), set())
            if len(cands) != 1:
                unresolved += 1
                continue
            self.hold(person, next(iter(cands)), parse_date(r["start"]), parse_date(r["end"]))
        self.counts["intl_org_unresolved_position"] = unresolved

    # ----------------------------------------------------------------- 6. Wikidata fixtures
    def fixtures(self):
        base = self.path("wikidata-fixtures")
        fixtures = [json.loads(f.read_text(encoding="utf-8"))
                    for f in sorted((base / "wbgetentities").glob("*.json"))]
        held = set()  # items that some fixture says a person held (P39): positions
        for data in fixtures:
            for item in (data.get("entities") or {}).values():
                for claim in (item.get("claims") or {}).get("P39", []):
                    v = ((claim.get("mainsnak") or {}).get("datavalue") or {}).get("value") or {}
                    if isinstance(v, dict) and qid(v.get("id")):
                        held.add(v["id"])
        for data in fixtures:
            for q, item in sorted((data.get("entities") or {}).items()):
                if not qid(q):
                    continue
                en = ((item.get("labels") or {}).get("en") or {}).get("value")
                desc = ((item.get("descriptions") or {}).get("en") or {}).get("value")
                if q not in self.e and q in held and en:
                    self.add(q, "Position", en, None, 0.58, None, desc, RANK_FIXTURE)
                    self.alias(q, en, "en", "label")
                if q in self.e:
                    self.add(q, self.e[q].type, en, None, 0, None, desc, RANK_FIXTURE)
                    if en:
                        self.alias(q, en, "en", "alias", 0.95)
                for a in ((item.get("aliases") or {}).get("en") or []):
                    self.alias(q, a.get("value"), "en", "alias", 0.8)
                for claim in (item.get("claims") or {}).get("P39", []):
                    pq = qid(((claim.get("mainsnak") or {}).get("datavalue") or {}).get("value", {}).get("id"))
                    quals = claim.get("qualifiers") or {}

                    def qual(p):
                        for snak in quals.get(p, []):
                            v = (snak.get("datavalue") or {}).get("value") or {}
                            if "time" in v:
                                d = parse_date(v["time"])
                                return d if v.get("precision", 11) >= 11 else d[:4]
                        return ""
                    if pq and pq in self.e and q in self.person_names:
                        self.hold(q, pq, qual("P580"), qual("P582"))
                self.counts["wbgetentities"] += 1
        sparql = base / "sparql-results"
        for f in sorted((sparql / "mandates").glob("Q*.json")):
            pq = f.stem
            if pq not in self.e:
                continue
            rows = json.loads(f.read_text(encoding="utf-8"))["results"]["bindings"]
            for b in rows:
                person = qid((b.get("item") or {}).get("value"))
                if person:  # applied after FB15K, which names many earlier holders
                    self.late_holdings.append((person, pq, parse_date((b.get("start_date") or {}).get("value")),
                                               parse_date((b.get("end_date") or {}).get("value"))))
            self.counts["sparql_mandates"] += 1
        for f in sorted((sparql / "metadata").glob("Q*.json")):
            pq = f.stem
            ent = self.e.get(pq)
            if ent is None or ent.type != "Position":
                continue
            for b in json.loads(f.read_text(encoding="utf-8"))["results"]["bindings"]:
                if b.get("inception") and "inception" not in ent.extra:
                    ent.extra["inception"] = parse_date(b["inception"]["value"])
                if b.get("abolition") and "abolished" not in ent.extra:
                    ent.extra["abolished"] = parse_date(b["abolition"]["value"])
        # dump items: labels and aliases in English and Indonesian
        items = []
        for f in sorted((base / "dump-items").iterdir()):
            if f.name.endswith(".json"):
                items.append(json.loads(f.read_text(encoding="utf-8")))
            elif f.name.endswith(".json.bz2"):
                for line in bz2.open(f, "rt", encoding="utf-8"):
                    line = line.strip().rstrip(",")
                    if line and line not in "[]":
                        items.append(json.loads(line))
        self.dump_items = {}
        for it in items:
            if qid(it.get("id")):
                self.dump_items[it["id"]] = it  # the separate Q31.json and the sample may both hold an item
        # learn which classes (P31 values) mean which of our types, from the items we already know
        votes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        for q, it in self.dump_items.items():
            if q in self.e and self.e[q].rank == RANK_SPECIAL:
                for cls in self._p31(it):
                    votes[cls][self.e[q].type] += 1
        for q, it in sorted(self.dump_items.items()):
            labels = it.get("labels") or {}
            en = (labels.get("en") or {}).get("value")
            idl = (labels.get("id") or {}).get("value")
            desc = ((it.get("descriptions") or {}).get("en") or {}).get("value")
            if q not in self.e:
                tv = collections.Counter()
                for cls in self._p31(it):
                    tv.update(votes.get(cls, {}))
                etype = tv.most_common(1)[0][0] if tv else guess_type(desc or "")
                if not en:
                    continue
                self.add(q, etype, en, idl, 0.25 if etype in ("Person", "City", "Location") else 0.2, None, desc,
                         RANK_FIXTURE)
                self.alias(q, en, "en", "label")
            else:
                self.add(q, self.e[q].type, en, idl, 0, None, desc, RANK_FIXTURE)
                if en:
                    self.alias(q, en, "en", "alias", 0.95)
            if idl:
                self.alias(q, idl, "id", "label" if self.e[q].idl == clean(idl) else "alias")
            for lang in ("en", "id"):
                for a in (it.get("aliases") or {}).get(lang, []):
                    v = clean(a.get("value"))
                    if v and is_latin(v):
                        self.name(q, v, lang, "alias", 0.8)
            self.counts["dump_items"] += 1

    @staticmethod
    def _p31(item) -> list[str]:
        out = []
        for c in (item.get("claims") or {}).get("P31", []):
            v = ((c.get("mainsnak") or {}).get("datavalue") or {}).get("value") or {}
            if isinstance(v, dict) and qid(v.get("id")):
                out.append(v["id"])
        return out

    # ----------------------------------------------------------------- persons (after offices and fixtures)
    def persons(self):
        span: dict[str, list[int]] = collections.defaultdict(list)
        offices: dict[str, set[str]] = collections.defaultdict(set)
        for (person, pos, s, e) in self.holdings:
            offices[person].add(pos)
            if s:
                y0 = int(s[:4])
                y1 = int(e[:4]) if e else 2024
                span[person].append(max(0, y1 - y0))
        head_titles = set(self.en_offices.get("head_titles") or [])
        for pq, titles in self.pos_titles.items():
            if titles & head_titles and pq in self.e and pq not in self.title_only:
                self.heads.add(pq)
        for person, names in sorted(self.person_names.items()):
            if not names:
                continue
            label = sorted(names.items(), key=lambda t: (-t[1], t[0]))[0][0]
            held = offices.get(person, set())
            is_head = bool(held & self.heads)
            prior = 0.40 + (0.25 if is_head else 0) + min(0.10, 0.02 * len(held)) + \
                min(0.05, sum(span.get(person, [])) / 200)
            existing = self.e.get(person)
            if existing is not None and existing.type != "Person" and existing.rank == RANK_SPECIAL:
                self.problems.append(f"{person} {label!r} holds an office but is a {existing.type} "
                                     f"({existing.en!r}); kept")
                continue
            ent = self.add(person, "Person", label, None, round(prior, 3))
            ent.type = "Person"
            for n in names:
                self.alias(person, n, None, "label" if n == label else "alias")
            # country: the country most of their offices belong to
            countries = collections.Counter(self.e[p].country for p in sorted(held)
                                            if p in self.e and self.e[p].country)
            if countries:
                ent.country = countries.most_common(1)[0][0]
            if self.person_born.get(person):
                ent.extra["born"] = self.person_born[person]
            self.counts["persons"] += 1
        # positions: priors and attributes
        for q, ent in self.e.items():
            if ent.type != "Position":
                continue
            if q in self.title_only:
                prior = 0.45
            elif q in self.heads:
                prior = 0.72
            elif q in self.foreign_ministers:
                prior = 0.65
            else:
                prior = 0.58
            if ent.extra.get("abolished"):
                prior -= 0.10
            ent.prior = round(prior, 3)
            if self.pos_titles.get(q):
                ent.extra["short_titles"] = sorted(self.pos_titles[q])
            roles = [r for r, s in (("head", self.heads), ("foreign_minister", self.foreign_ministers)) if q in s]
            if roles:
                ent.extra["roles"] = roles

    # ----------------------------------------------------------------- 7. FB15K
    def fb15k(self):
        data = json.loads(self.path("general/FB15K_entity2wikidata.json").read_text(encoding="utf-8"))
        # English words as the descriptions use them, lower case: a company short name that is one of
        # them ("target", "news") would link ordinary words
        desc_words = {w for rec in data.values() for w in re.findall(r"[a-z][a-z'-]+", rec.get("description") or "")}
        for mid, rec in sorted(data.items()):
            q = qid(rec.get("wikidata_id"))
            label = clean(rec.get("label"))
            if not q or not label:
                continue
            desc = clean(rec.get("description")) or None
            if q in self.e:
                self.add(q, self.e[q].type, label, None, 0, None, desc, RANK_FB)
                self.alias(q, label, "en", "alias", 0.8)
            elif label[:1].islower():
                continue  # a concept ("president", "speaker"), not a named entity: never a gazetteer name
            elif guess_type(desc or "") == "Entity":
                continue  # a work, a month, a species ...: outside what we link, and mostly false hits
            else:
                etype = guess_type(desc or "")
                self.add(q, etype, label, None, 0.25 if etype in ("Person", "City", "Location") else 0.2,
                               None, desc, RANK_FB)
                self.alias(q, label, "en", "label")
            for a in rec.get("alternatives") or []:
                a = clean(a)
                if a and a.islower() and len(a) <= 4:
                    continue  # codes in lower case ("sri", "lk", "ml"): no name, and "Sri" is a given name
                if a and is_latin(a):
                    self.name(q, a, "en", "alias", 0.7)
            if desc and SPORTS_CLUB.search(desc) and "national" not in desc.lower() and q in self.e \
                    and self.e[q].type == "Organization":
                # a club is named by its town in sports news ("Leicester", "Dortmund", "City"): weak
                # aliases the linker only trusts when the article is about sport
                self.e[q].extra["domain"] = "sport"
                for short in club_short_names(label, desc or ""):
                    self.alias(q, short, None, "weak", 0.5)
                self.counts["sports_club_short_names"] += 1
            elif q in self.e and self.e[q].type == "Organization":
                for short in company_short_names(label, desc or ""):
                    if " " not in short and short.lower() in desc_words:
                        continue  # "Target", "News", "Gap": an ordinary English word on its own
                    if short not in self.place_labels():
                        self.alias(q, short, None, "alias", 0.6)
                        self.counts["company_short_names"] += 1
            self.counts["fb15k"] += 1

    def place_labels(self) -> set[str]:
        """English labels of places: a company's short name that is one ("Singapore") is not added."""
        if getattr(self, "_place_labels", None) is None:
            self._place_labels = {e.en for e in self.e.values()
                                  if e.type in ("Country", "Territory", "City", "Location") and e.en}
        return self._place_labels

    # ----------------------------------------------------------------- 8. language data
    def resolve(self, key: str, where: str, types: set[str] | None = None) -> str:
        """An English label (optionally "Label (Type)") -> the one entity it names (of ``types``, if given)."""
        m = TYPE_SUFFIX_RE.match(key)
        label, etype = (m.group(1), m.group(2)) if m else (key, None)
        hits = [q for q, e in self.e.items() if e.en == label and (etype is None or e.type == etype)
                and (types is None or e.type in types)]
        if len(hits) > 1:
            # an entity from a specialised source outranks FB15K / dump-only look-alikes
            best = min(self.e[q].rank for q in hits)
            special = [q for q in hits if self.e[q].rank == best]
            if len(special) == 1 and best == RANK_SPECIAL:
                hits = special
        if not hits:
            raise BuildError(f"{where}: {key!r} matches no entity's English label")
        if len(hits) > 1:
            desc = ", ".join(f"{q} ({self.e[q].type})" for q in sorted(hits))
            raise BuildError(f"{where}: {key!r} is ambiguous: {desc}; add a type suffix, e.g. '{label} (Country)'")
        return hits[0]

    def lang_aliases(self):
        for lang in ("en", "id"):
            path = self.lang_dir / lang / "aliases.yaml"
            data = self._yaml(path) if path.exists() else {}
            for key, values in data.items():
                q = self.resolve(str(key), str(path.relative_to(ROOT)))
                ent = self.e[q]
                for v in values or []:
                    if isinstance(v, dict):  # {offices: [...]}: a country's name in office titles only
                        self.office_country_names[(q, lang)].extend(clean(n) for n in v.get("offices") or [])
                        continue
                    v = clean(v)
                    if not v:
                        continue
                    if lang == "id" and not ent.idl and not looks_acronym(v):
                        ent.idl = v
                        self.alias(q, v, "id", "label")
                    else:
                        self.name(q, v, lang, "alias", 0.95)
                    self.counts[f"aliases_yaml_{lang}"] += 1

    def country_names(self, q: str, lang: str, rows: list) -> list[str]:
        """Names of a country to fill {country}: its label and main aliases in ``lang`` (no weak ones)."""
        out = []
        ent = self.e[q]
        out.extend(n for n in self.office_country_names.get((q, lang), ()) if n)
        first = ent.idl if lang == "id" else ent.en
        if first:
            out.append(first)
        floor = 0.9 if lang == "id" else 0.95
        for surface, alang, kind, score in sorted(rows, key=lambda r: (-r[3], r[0])):
            if alang == lang and kind in ("label", "alias", "acronym") and score >= floor \
                    and "," not in surface and "(" not in surface:
                if surface not in out:
                    out.append(surface)
        if lang == "en":
            out = [n for n in out if not n.lower().startswith("the ")] + \
                  [n for n in out if n.lower().startswith("the ")]
        return out

    def generated(self):
        # demonyms
        demonyms: dict[str, list[str]] = {}
        for key, values in (self.en_offices.get("demonyms") or {}).items():
            q = self.resolve(str(key), "kg/lang/en/offices.yaml demonyms", {"Country", "Territory"})
            demonyms[q] = [clean(v) for v in values or [] if clean(v)]
            for d in demonyms[q]:  # "Armenian forces", "the French president": the country
                self.alias(q, d, "en", "alias", 0.8)
        places = {q for q, ent in self.e.items() if ent.type in ("Country", "Territory")}
        rows = collections.defaultdict(list)
        for (key, eid, cs), v in self.aliases.items():
            if eid in places:
                rows[eid].append(tuple(v))
        names = {q: {"id": self.country_names(q, "id", rows[q]), "en": self.country_names(q, "en", rows[q])}
                 for q in places}
        # a position label that names no country ("Minister of Foreign Affairs") is only a weak alias
        n_generic = 0
        for q, ent in self.e.items():
            if ent.type != "Position" or not ent.en or ent.extra.get("organisation") or ent.country not in names:
                continue
            low = ent.en.casefold()
            if not any(n.casefold() in low for n in names[ent.country]["en"] + demonyms.get(ent.country, [])):
                k = (normalise(ent.en), q, False)
                if k in self.aliases and self.aliases[k][2] == "label":
                    self.aliases[k][2], self.aliases[k][3] = "weak", 0.4
                    n_generic += 1
        self.counts["generic_position_labels"] = n_generic
        cfg = {"id": self.id_offices, "en": self.en_offices}
        # the country each language's press writes from (kg/lang/<lang>/names.yaml home_country): its
        # offices are also named by the title alone ("Presiden Joko Widodo")
        home = {}
        for lang in ("id", "en"):
            label = (self._yaml(self.lang_dir / lang / "names.yaml") or {}).get("home_country")
            if label:
                home[lang] = self.resolve(str(label), f"kg/lang/{lang}/names.yaml home_country", {"Country"})
        n_home = 0
        # titles of each position, each with the place it is the title of: its short titles in each
        # jurisdiction (the Premier of the Turks and Caicos Islands is not the UK's), plus its label
        # with its country's name taken off ("Prime Minister of Armenia" -> "Prime Minister")
        n_forms = 0
        for q, ent in sorted(self.e.items()):
            if ent.type != "Position":
                continue
            pairs: set[tuple[str, str]] = set()
            if q not in self.title_only:
                for jq, t in self.pos_jur_titles.get(q, ()):
                    place = jq if jq in names else ent.country
                    if place in names:
                        pairs.add((place, t))
            if ent.country in names and ent.en:
                for n in names[ent.country]["en"] + [strip_paren(self.e[ent.country].en or "")]:
                    if not n:
                        continue
                    for pat in (rf"^(.+?) of (?:the )?{re.escape(n)}$", rf"^(?:the )?{re.escape(n)} (.+)$"):
                        m = re.match(pat, ent.en, re.I)
                        if m:
                            pairs.add((ent.country, m.group(1).strip()))
                if q in self.title_only:
                    pairs.add((ent.country, ent.en))
            roles = ent.extra.get("roles", []) if ent.country in names else []
            for lang in ("id", "en"):
                c = cfg[lang]
                forms: set[str] = set()
                first_label = None
                for place, t in sorted(pairs, key=lambda p: (p[0] != ent.country, p[1], p[0])):
                    for title in c.get("titles", {}).get(t, []) or []:
                        for tpl in c.get("templates") or []:
                            forms |= self.fill(tpl, place, names, demonyms, lang, title=title)
                        if first_label is None and names[place][lang] and c.get("templates"):
                            first_label = clean(c["templates"][0].format(title=title, country=names[place][lang][0]))
                for role in roles:
                    for tpl in (c.get("roles") or {}).get(role) or []:
                        forms |= self.fill(tpl, ent.country, names, demonyms, lang)
                        if first_label is None and names[ent.country][lang] and "{demonym}" not in tpl:
                            first_label = clean(tpl.format(country=names[ent.country][lang][0]))
                for f in sorted(forms):
                    self.alias(q, f, lang, "generated")
                    n_forms += 1
                if home.get(lang) and ent.country == home[lang] and not ent.extra.get("historical"):
                    for place, t in sorted(pairs):
                        for title in (c.get("titles", {}).get(t, []) or []) if place == home[lang] else []:
                            self.alias(q, title, lang, "title")
                            n_home += 1
                if lang == "id" and not ent.idl and first_label:
                    ent.idl = first_label  # e.g. "Perdana Menteri Armenia"
        self.counts["generated_office_forms"] = n_forms
        self.counts["home_office_titles"] = n_home
        # government bodies (NIL) for every current country
        bodies_en = self.en_offices.get("bodies") or {}
        bodies_id = self.id_offices.get("bodies") or {}
        if set(bodies_en) != set(bodies_id):
            raise BuildError(f"offices.yaml bodies differ between en and id: {sorted(set(bodies_en) ^ set(bodies_id))}")
        n_bodies = 0
        for cq in sorted(names):
            country = self.e[cq]
            if country.type != "Country" or country.extra.get("historical") or not country.en or \
                    country.extra.get("same_country_as"):
                continue
            for body in sorted(bodies_en):
                en_tpls, id_tpls = bodies_en[body], bodies_id[body]
                label_en = en_tpls[0].format(country=country.en, demonym=country.en)
                label_id = id_tpls[0].format(country=names[cq]["id"][0]) if names[cq]["id"] else None
                nid = nil_id("GovernmentOrganization", label_en)
                ent = self.add(nid, "GovernmentOrganization", label_en, label_id, 0.6, cq)
                ent.extra["body"] = body
                self.alias(nid, label_en, "en", "label")
                if label_id:
                    self.alias(nid, label_id, "id", "label")
                for lang, tpls in (("en", en_tpls), ("id", id_tpls)):
                    for tpl in tpls:
                        for f in sorted(self.fill(tpl, cq, names, demonyms, lang)):
                            self.alias(nid, f, lang, "generated")
                n_bodies += 1
        self.counts["nil_bodies"] = n_bodies

    @staticmethod
    def fill(tpl: str, cq: str, names, demonyms, lang: str, **kw) -> set[str]:
        out = set()
        if "{demonym}" in tpl:
            for d in demonyms.get(cq, []) if lang == "en" else []:
                out.add(clean(tpl.format(demonym=d, country=d, **kw)))
            return out
        for n in names[cq][lang]:
            out.add(clean(tpl.format(country=n, **kw)))
        return out

    # ----------------------------------------------------------------- final clean-up and output
    def finish(self):
        # weak aliases give way to any stronger alias of another entity with the same key
        strong: dict[str, set[str]] = collections.defaultdict(set)
        for (key, eid, cs), v in self.aliases.items():
            if v[2] != "weak":
                strong[key].add(eid)
        dropped = 0
        for k in [k for k, v in self.aliases.items() if v[2] == "weak"]:
            key, eid, cs = k
            if self.e[eid].extra.get("domain"):
                continue  # a club's town name: the linker weighs it against the town by the article's topic
            if strong.get(key) and eid not in strong[key]:
                del self.aliases[k]
                dropped += 1
        self.counts["weak_aliases_dropped"] = dropped
        # a town abroad named like a common Indonesian word ("Itu", "Kota") should not outweigh the word
        indonesia = self.country_of_iso2.get("ID")
        capped = 0
        for q, ent in self.e.items():
            if ent.type == "City" and ent.en and normalise(ent.en) in self.common and not ent.extra.get("capital") \
                    and ent.country != indonesia and ent.prior > 0.45:
                ent.prior = 0.45
                capped += 1
        self.counts["city_priors_capped_common_word"] = capped
        # every entity needs a label
        for q in [q for q, e in self.e.items() if not (e.en or e.idl)]:
            self.problems.append(f"{q}: no label in any source; dropped")
            del self.e[q]
        # holdings: one per term; year-only terms give way to a day-precise term of the same person+office
        precise = collections.defaultdict(set)
        for (p, o, s, e) in self.holdings:
            if len(s) == 10:
                precise[(p, o)].add(s[:4])
        hold = []
        for (p, o, s, e) in sorted(self.holdings):
            if p not in self.e or o not in self.e or self.e[p].type != "Person" or self.e[o].type != "Position":
                self.counts["holdings_dropped_unknown_entity"] += 1
                continue
            if len(s) != 10 and (not s or s in precise[(p, o)]) and precise[(p, o)]:
                self.counts["holdings_dropped_less_precise"] += 1
                continue
            hold.append((p, o, s, e))
        # an open term and a closed term with the same start: keep the closed one
        closed = {(p, o, s) for (p, o, s, e) in hold if e}
        self.final_holdings = [h for h in hold if h[3] or (h[0], h[1], h[2]) not in closed]
        self.counts["holdings_dropped_open_duplicate"] = len(hold) - len(self.final_holdings)

    def serialise(self, build_date: str) -> bytes:
        ids = sorted(self.e, key=lambda q: (q.startswith("nil:"), int(q[1:]) if QID_RE.match(q) else 0, q))
        index = {q: i for i, q in enumerate(ids)}
        types = list(TYPES)

        def col(values):
            values = [clean(v) if v else "" for v in values]
            return "\n".join(values)

        ents = [self.e[q] for q in ids]
        entities = {
            "ids": "\n".join(ids),
            "type": [types.index(e.type) for e in ents],
            "en": col(e.en for e in ents),
            "id": col(e.idl for e in ents),
            "description": col(e.description for e in ents),
            "prior": [int(round(max(0.0, min(1.0, e.prior)) * 1000)) for e in ents],
            "country": [index.get(e.country, -1) if e.country else -1 for e in ents],
        }
        rows = sorted(((key, index[eid], v[0], LANGS.index(v[1]), KINDS.index(v[2]), int(round(v[3] * 1000)),
                        1 if cs else 0) for (key, eid, cs), v in self.aliases.items() if eid in index))
        keys, start = [], []
        for n, r in enumerate(rows):
            if not keys or keys[-1] != r[0]:
                keys.append(r[0])
                start.append(n)
        start.append(len(rows))
        aliases = {"keys": "\n".join(keys), "start": start, "surface": "\n".join(r[2] for r in rows),
                   "entity": [r[1] for r in rows], "lang": [r[3] for r in rows], "kind": [r[4] for r in rows],
                   "score": [r[5] for r in rows], "cs": [r[6] for r in rows]}
        mt: dict[str, int] = {}
        for k in keys:
            m = re.search(r"\w+", k)
            if m:
                n = len(TOKEN_RE.findall(k))
                if n > mt.get(m.group(), 0):
                    mt[m.group()] = n
        words = sorted(mt)
        hs = self.final_holdings
        holdings = {"person": [index[h[0]] for h in hs], "position": [index[h[1]] for h in hs],
                    "start": "\n".join(h[2] for h in hs), "end": "\n".join(h[3] for h in hs)}
        extra = {q: {k: v for k, v in sorted(self.e[q].extra.items()) if v not in (None, "", [], {})}
                 for q in ids if self.e[q].extra}
        extra = {q: v for q, v in extra.items() if v}
        counts = collections.Counter(e.type for e in ents)
        stats = dict(sorted(counts.items()))
        stats.update({"entities": len(ids), "aliases": len(rows), "alias_keys": len(keys), "holdings": len(hs)})
        meta = {
            "build_date": build_date,
            "builder": "scripts/build_kb.py",
            "sources": {k: {"origin": v[0], "licence": v[1]} for k, v in sorted(SOURCES.items())},
            "every_politician_commits": sorted(self.commits),
            "language_data": ["kg/lang/en/aliases.yaml", "kg/lang/id/aliases.yaml", "kg/lang/en/offices.yaml",
                              "kg/lang/id/offices.yaml", "kg/lang/id/common_words.txt"],
            "counts": stats,
            "source_counts": dict(sorted(self.counts.items())),
            "problems": len(self.problems),
        }
        doc = {"format": FORMAT, "meta": meta, "types": types, "kinds": list(KINDS), "entities": entities,
               "aliases": aliases, "holdings": holdings,
               "max_tokens": {"words": "\n".join(words), "counts": [mt[w] for w in words]},
               "extra": json.dumps(extra, sort_keys=True, ensure_ascii=False, separators=(",", ":"))}
        raw = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        buf = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
            gz.write(raw)
        self.stats = stats
        return buf.getvalue()

    def run(self):
        self.countries()
        self.organisations()
        self.media()
        self.places()
        self.offices()
        self.fixtures()
        self.persons()
        self.fb15k()
        for person, pq, s, e in self.late_holdings:
            ent = self.e.get(person)
            if ent is not None and ent.type == "Person":
                self.hold(person, pq, s, e)
                self.counts["sparql_mandate_holdings"] += 1
        self.lang_aliases()
        self.generated()
        self.finish()


# ---------------------------------------------------------------------------- sports clubs
SPORTS_CLUB = re.compile(r"\b(?:(?:football|soccer|basketball|baseball|hockey|rugby|cricket|volleyball)\s+"
                         r"(?:league\s+)?(?:club|team)|sports ?club)\b", re.I)  # "English association football league club"
_CLUB_AFFIX = {"f.c.", "fc", "a.f.c.", "afc", "c.f.", "cf", "s.c.", "sc", "calcio", "s.p.a.", "fk", "sk", "bk",
               "real", "ac", "a.c.", "as", "a.s.", "ss", "s.s.", "borussia", "olympique", "club", "rsc", "r.s.c.",
               "acf", "cd", "ud", "sv", "vfb", "vfl", "tsg", "1.", "fsv", "hertha", "bsc",
               "bayer", "eintracht", "werder", "fortuna"}  # sponsor and tradition words before a German town
# words that only say "club" in a club's full name ("Torino Football Club", "Genoa Cricket and Football Club")
_CLUB_WORDS = {"football", "futbol", "fútbol", "cricket", "and", "club", "calcio", "de", "of"}
_CLUB_TOWN_SUFFIX = ("City", "United", "Town", "Rovers", "Wanderers", "Athletic", "Albion", "County", "Hotspur")


def _club_affix(word: str) -> bool:
    """A word of a club's name that is no part of the name news uses: a legal or sports form ("F.C.",
    "U.S.", "B.C.", "S.S.C."), a founding year or number ("1909", "04"), a tradition word ("Borussia")."""
    w = word.lower()
    return w in _CLUB_AFFIX or bool(re.fullmatch(r"(?:[a-z]\.){1,4}|\d{1,4}\.?", w))


def club_short_names(label: str, description: str = "") -> list[str]:
    """Shorter names sports news uses for a club: "Leicester City F.C." -> "Leicester City", "Leicester";
    "Real Madrid FC" -> "Real Madrid", "Madrid"; "Borussia Dortmund" -> "Dortmund"; "Torino Football
    Club" -> "Torino"; "U.S. Sassuolo Calcio" -> "Sassuolo"; "Tottenham Hotspur F.C." -> "Tottenham";
    a North American team based in the town that opens its name by its nickname ("Oklahoma City
    Thunder" -> "Thunder")."""
    words = label.replace(",", " ").split()
    out = []
    # "Torino Football Club", "Genoa Cricket and Football Club": the words saying "club" end the name
    k = len(words)
    while k > 1 and (words[k - 1].lower() in _CLUB_WORDS or _club_affix(words[k - 1])):
        k -= 1
    body = words[:k]
    core = [w for w in body if not _club_affix(w)]
    while core and core[0].lower() in _CLUB_WORDS:
        core = core[1:]  # "Olympique de Marseille" -> "Marseille"
    if not core or core == words and len(words) == 1:
        return out
    trimmed = [w for w in body if w.lower() not in ("f.c.", "fc", "a.f.c.", "afc", "c.f.", "cf", "calcio", "s.p.a.")]
    for cand in (" ".join(trimmed), " ".join(core)):
        if cand and cand != label and cand not in out:
            out.append(cand)
    if len(core) == 2 and core[1] in _CLUB_TOWN_SUFFIX:
        out.append(core[0])  # "Leicester"; not "City" or "United", which name too many clubs
    elif len(core) > 2 and core[1] in ("&", "and"):
        out.append(core[0])  # "Brighton & Hove Albion" -> "Brighton"
    based = re.search(r"\bbased in ([A-Z][\w.]*(?: [A-Z][\w.]*)*)", description or "")
    if based and len(core) > 1:
        town = based.group(1).split()
        nickname = " ".join(core[len(town):])
        if core[:len(town)] == town and 0 < len(core) - len(town) <= 2 and nickname not in _CLUB_TOWN_SUFFIX:
            out.append(nickname)  # "Oklahoma City Thunder" -> "Thunder"; not "City" of "Orlando City SC"
    return [o for o in out if len(o) >= 4]


# ---------------------------------------------------------------------------- companies
_LEGAL_FORM = {"inc", "inc.", "incorporated", "corporation", "corp", "corp.", "company", "co", "co.", "ltd", "ltd.",
               "limited", "plc", "holdings", "ag", "se", "s.a.", "sa", "n.v.", "nv", "gmbh", "llc", "l.l.c.", "bhd",
               "tbk", "group"}
_TRADE_TAIL = {"electronics", "motor", "motors"}  # only after a legal form, or "electronics" alone
_COMPANY_DESC = re.compile(r"\b(company|corporation|conglomerate|manufacturer|multinational|firm|retailer|chain|"
                           r"developer|publisher|broadcaster|network|bank|airline|insurer|carrier|maker|producer of)\b",
                           re.I)
_NOT_COMPANY_DESC = re.compile(r"\b(film|album|band|song|award|group founded|musical|series|club)\b", re.I)


def company_short_names(label: str, desc: str) -> list[str]:
    """The name news uses for a company: its label without the legal form and generic tail
    ("Samsung Electronics" -> "Samsung", "The Walt Disney Company" -> "Walt Disney",
    "Toyota Motor Corporation" -> "Toyota"); only for entities described as companies, and nothing
    that would leave a single generic word ("General Motors" stays whole)."""
    if not _COMPANY_DESC.search(desc or "") or _NOT_COMPANY_DESC.search(desc or ""):
        return []
    words = label.replace(",", " ").split()
    if words and words[0] == "The":
        words = words[1:]
    core = list(words)
    legal = False
    while len(core) > 1 and core[-1].lower() in _LEGAL_FORM:
        core.pop()
        legal = True
    while len(core) > 1 and core[-1].lower() in _TRADE_TAIL and (legal or core[-1].lower() == "electronics"):
        core.pop()
    short = " ".join(core)
    if core == words or len(short) < 3 or not short[:1].isupper() or core[-1] in ("&", "and"):
        return []
    return [short]


# ---------------------------------------------------------------------------- FB15K / dump types
_CITY = re.compile(r"\b(city|town|capital|village|municipality|commune|comune|borough|county seat|metropolis|"
                   r"suburb|port city|megacity)\b", re.I)
_LOCATION = re.compile(r"\b(county|country|state|province|region|subregion|island|islands|river|mountain|lake|sea|ocean|"
                       r"district|oblast|prefecture|territory|peninsula|continent|desert|valley|bay|archipelago|"
                       r"republic|kingdom)\b", re.I)
_PERSON = re.compile(r"\b(politician|actor|actress|singer|songwriter|musician|rapper|born|writer|author|poet|"
                     r"composer|director|producer|player|footballer|athlete|journalist|painter|artist|scientist|"
                     r"physicist|chemist|economist|philosopher|historian|lawyer|judge|diplomat|general|officer|"
                     r"businessman|businesswoman|entrepreneur|comedian|model|presenter|host|dancer|"
                     r"screenwriter|novelist|photographer|architect|engineer|coach|manager|guitarist|"
                     r"drummer|pianist|bassist|monarch|king|queen|prince|princess|emperor|pope|saint|president|"
                     r"minister|senator|governor|mayor|statesman|activist|bishop|cricketer|boxer|wrestler|"
                     r"tennis|golfer|swimmer|cyclist|skater|(?:\d{4}\s*[-–]\s*\d{4}))\b", re.I)
_MEDIA = re.compile(r"\b(newspaper|news agency|broadcaster|television network|television channel|"
                    r"radio station|magazine|news website)\b", re.I)
_ORG = re.compile(r"\b(organi[sz]ation|company|corporation|university|college|school|party|agency|club|sportsclub|team|"
                  r"band|label|association|institute|foundation|federation|union|council|bank|airline|"
                  r"manufacturer|conglomerate|charity|ngo|ministry|department|army|navy|force)\b", re.I)


_WORK = re.compile(r"\b(film|album|song|single|series|sitcom|episode|novel|book|game|award|genre|language|compound|"
                   r"music|instrument|disease|species|sport|event|election|war|battle)\b", re.I)


def guess_type(desc: str) -> str:
    """Our type for an entity known only from an English description ("American actor", "city in Texas").

    The head noun decides (the words before "in", "of", a comma ...: "association football player"
    is a person, "football club in Leeds" an organisation); the whole description is the fallback.
    """
    d = desc.strip()
    if not d:
        return "Entity"
    head = re.split(r"\s+(?:in|of|from|based|located|for|at|on|and|that|which|with|by)\s+|[,;(]", d, maxsplit=1)[0]
    tail = " ".join(head.split()[-2:])
    checks = [(_MEDIA, "MediaOrganization"), (_PERSON, "Person"), (_CITY, "City"), (_ORG, "Organization"),
              (_LOCATION, "Location")]
    for pattern, etype in checks + [(_WORK, "Entity")]:  # the head noun first
        if pattern.search(tail):
            return etype
    for pattern, etype in [(_WORK, "Entity")] + checks:  # then anything in the description
        if pattern.search(d):
            return etype
    return "Entity"


# ---------------------------------------------------------------------------- main
def default_build_date(sources: Path) -> str:
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env:
        return datetime.fromtimestamp(int(env), tz=timezone.utc).date().isoformat()
    newest = max((p.stat().st_mtime for p in sources.rglob("*") if p.is_file()), default=time.time())
    return datetime.fromtimestamp(newest, tz=timezone.utc).date().isoformat()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sources", type=Path, default=ROOT.parent / "shared" / "data" / "kb-sources")
    ap.add_argument("-o", "--output", type=Path, default=ROOT / "kg" / "data" / "kb.json.gz")
    ap.add_argument("--lang-dir", type=Path, default=ROOT / "kg" / "lang")
    ap.add_argument("--build-date", help="date recorded in meta (default: SOURCE_DATE_EPOCH or newest source file)")
    ap.add_argument("--problems", type=Path, help="also write the list of data problems to this file")
    args = ap.parse_args(argv)
    if not args.sources.is_dir():
        print(f"build_kb: sources not found: {args.sources}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    b = Builder(args.sources, args.lang_dir)
    try:
        b.run()
        blob = b.serialise(args.build_date or default_build_date(args.sources))
    except BuildError as exc:
        print(f"build_kb: error: {exc}", file=sys.stderr)
        return 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.output.with_suffix(args.output.suffix + ".tmp")
    tmp.write_bytes(blob)
    tmp.replace(args.output)
    if args.problems:
        args.problems.write_text("\n".join(b.problems) + "\n", encoding="utf-8")
    print(f"wrote {args.output} ({len(blob) / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
    print("  " + ", ".join(f"{k}={v}" for k, v in b.stats.items()))
    print("  sources: " + ", ".join(f"{k}={v}" for k, v in sorted(b.counts.items())))
    print(f"  {len(b.problems)} data problems" + (f" (see {args.problems})" if args.problems else
                                                   " (--problems FILE lists them)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
