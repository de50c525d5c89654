"""Generate wikidata-sample.ttl: a small Wikidata-shaped RDF graph for the `kg kb refresh` tests.

    .venv/bin/python tests/data/wikidata/convert.py [--shared ../shared] [-o tests/data/wikidata/wikidata-sample.ttl]

Everything in the output is converted from real data in ../shared/data/kb-sources (see README.md
beside this file); no QID, label or date is typed here. The shape follows Wikidata's RDF dump format
(https://www.mediawiki.org/wiki/Wikibase/Indexing/RDF_Dump_Format):

    wd:<person> p:P39 wds:<statement> .
    wds:<statement> ps:P39 wd:<office> ; wikibase:rank wikibase:NormalRank ;
        pq:P580 "..."^^xsd:dateTime ; pqv:P580 wdv:<hash> ; pq:P582 ... .
    wdv:<hash> wikibase:timeValue "..."^^xsd:dateTime ; wikibase:timePrecision 11 .
    wd:<item> rdfs:label "..."@en ; wdt:P31 wd:<class> ; wdt:P17 wd:<country> .

Sources:
- wikidata-fixtures/sparql-results/mandates/<office>.json (real WDQS results, tmtmtmtm/wikidata-position-history,
  MIT): the holders of an office with start/end dates and, where the file has them, their precision. Taken for every
  office listed in offices/positions_all.csv (the offices the knowledge base is built from), plus the smallest
  non-empty file of an office not listed there (to show that a refresh asks only about our offices). A statement IRI
  is made from the row (these results carry none).
- wikidata-fixtures/wbgetentities/*.json (real wbgetentities API answers, opensanctions/nomenklatura, MIT): every P39
  claim of the items in them, with its real statement id, rank (one is deprecated) and P580/P582 qualifiers;
  English labels; P31 of the items.
- offices/positions_all.csv (every-politician-scrapers, Wikidata-derived): English label and country (P17) of the
  offices taken from the mandates files.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
OUT = HERE / "wikidata-sample.ttl"
WD = "http://www.wikidata.org/entity/"

PREFIXES = """@prefix wd: <http://www.wikidata.org/entity/> .
@prefix wds: <http://www.wikidata.org/entity/statement/> .
@prefix wdv: <http://www.wikidata.org/value/> .
@prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix p: <http://www.wikidata.org/prop/> .
@prefix ps: <http://www.wikidata.org/prop/statement/> .
@prefix pq: <http://www.wikidata.org/prop/qualifier/> .
@prefix pqv: <http://www.wikidata.org/prop/qualifier/value/> .
@prefix wikibase: <http://wikiba.se/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
RANKS = {"preferred": "wikibase:PreferredRank", "normal": "wikibase:NormalRank", "deprecated": "wikibase:DeprecatedRank"}


def _lit(text: str, lang: str | None = None) -> str:
    s = json.dumps(text, ensure_ascii=False)
    return f"{s}@{lang}" if lang else s


def _qid_of_iri(iri: str | None) -> str | None:
    if iri and iri.startswith(WD) and iri[len(WD):][:1] == "Q" and iri[len(WD) + 1:].isdigit():
        return iri[len(WD):]
    return None


def _time(value: str) -> str | None:
    """A Wikidata time ("+2012-05-07T00:00:00Z", "1969-10-01T00:00:00Z") as the RDF export writes it."""
    v = value.lstrip("+")
    if v.startswith("-") or len(v) < 20:
        return None
    y, m, d = v[:4], v[5:7], v[8:10]
    return f"{y}-{'01' if m == '00' else m}-{'01' if d == '00' else d}T00:00:00Z"


class Graph:
    def __init__(self):
        self.triples: set[tuple[str, str, str]] = set()

    def add(self, s: str, p: str, o: str) -> None:
        self.triples.add((s, p, o))

    def statement(self, person: str, office: str, sid: str, rank: str, start, start_prec, end, end_prec) -> None:
        st = f"wds:{sid}"
        self.add(f"wd:{person}", "p:P39", st)
        self.add(st, "ps:P39", f"wd:{office}")
        self.add(st, "wikibase:rank", RANKS[rank])
        for prop, value, prec in (("P580", start, start_prec), ("P582", end, end_prec)):
            if not value:
                continue
            lit = f'"{value}"^^xsd:dateTime'
            self.add(st, f"pq:{prop}", lit)
            if prec is not None:
                node = "wdv:" + hashlib.md5(f"{value}|{prec}".encode()).hexdigest()
                self.add(st, f"pqv:{prop}", node)
                self.add(node, "wikibase:timeValue", lit)
                self.add(node, "wikibase:timePrecision", str(int(prec)))

    def turtle(self, header: str) -> str:
        lines = [header, PREFIXES]
        by_subject: dict[str, list[tuple[str, str]]] = {}
        for s, p, o in sorted(self.triples):
            by_subject.setdefault(s, []).append((p, o))
        for s, pos in by_subject.items():
            body = " ;\n    ".join(f"{p} {o}" for p, o in pos)
            lines.append(f"{s} {body} .")
        return "\n".join(lines) + "\n"


def convert(shared: Path) -> str:
    src = shared / "data" / "kb-sources"
    fx = src / "wikidata-fixtures"
    g = Graph()
    with (src / "offices" / "positions_all.csv").open(encoding="utf-8", newline="") as fh:
        positions = list(csv.DictReader(fh))
    listed = {row["position_qid"] for row in positions}
    # offices: mandates files of the listed offices, and the smallest one of an office not listed
    mandates = sorted((fx / "sparql-results" / "mandates").glob("Q*.json"))
    ours = [f for f in mandates if f.stem in listed]
    others = sorted((f for f in mandates if f not in ours and json.loads(f.read_text())["results"]["bindings"]),
                    key=lambda f: (f.stat().st_size, f.name))
    chosen = ours + others[:1]
    for f in chosen:
        office = f.stem
        for n, b in enumerate(json.loads(f.read_text(encoding="utf-8"))["results"]["bindings"]):
            person = _qid_of_iri((b.get("item") or {}).get("value"))
            if not person:
                continue
            start = _time((b.get("start_date") or {}).get("value", ""))
            end = _time((b.get("end_date") or {}).get("value", ""))
            sp = (b.get("start_precision") or {}).get("value")
            ep = (b.get("end_precision") or {}).get("value")
            sid = f"{person}-" + hashlib.md5(f"{office}|{n}|{start}|{end}".encode()).hexdigest()
            g.statement(person, office, sid, "normal", start, sp if start else None, end, ep if end else None)
    wanted = {f.stem for f in chosen}
    for row in positions:
        q = row["position_qid"]
        if q in wanted:
            wanted.discard(q)
            if row["position_label"]:
                g.add(f"wd:{q}", "rdfs:label", _lit(row["position_label"], "en"))
            if _qid_of_iri(WD + row["country_qid"]):
                g.add(f"wd:{q}", "wdt:P17", f"wd:{row['country_qid']}")
    # wbgetentities: P39 claims with qualifiers and ranks, English labels, P31
    for f in sorted((fx / "wbgetentities").glob("*.json")):
        for q, item in sorted((json.loads(f.read_text(encoding="utf-8")).get("entities") or {}).items()):
            if not _qid_of_iri(WD + q):
                continue
            label = ((item.get("labels") or {}).get("en") or {}).get("value")
            if label:
                g.add(f"wd:{q}", "rdfs:label", _lit(label, "en"))
            for claim in (item.get("claims") or {}).get("P31", []):
                v = ((claim.get("mainsnak") or {}).get("datavalue") or {}).get("value") or {}
                if claim.get("rank") != "deprecated" and _qid_of_iri(WD + str(v.get("id"))):
                    g.add(f"wd:{q}", "wdt:P31", f"wd:{v['id']}")
            for claim in (item.get("claims") or {}).get("P39", []):
                v = ((claim.get("mainsnak") or {}).get("datavalue") or {}).get("value") or {}
                office = v.get("id") if isinstance(v, dict) else None
                if not _qid_of_iri(WD + str(office)) or not claim.get("id"):
                    continue
                quals = claim.get("qualifiers") or {}

                def qual(prop):
                    for snak in quals.get(prop, []):
                        tv = (snak.get("datavalue") or {}).get("value") or {}
                        if snak.get("snaktype") == "value" and "time" in tv:
                            return _time(tv["time"]), tv.get("precision")
                    return None, None
                start, sp = qual("P580")
                end, ep = qual("P582")
                g.statement(q, office, claim["id"].replace("$", "-"), claim.get("rank", "normal"), start, sp, end, ep)
    header = ("# Generated by tests/data/wikidata/convert.py from ../shared/data/kb-sources (real Wikidata-derived data:\n"
              "# wikidata-fixtures/sparql-results/mandates, wikidata-fixtures/wbgetentities, offices/positions_all.csv).\n"
              "# Do not edit by hand; see README.md beside this file.")
    return g.turtle(header)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("-o", "--output", type=Path, default=OUT)
    args = ap.parse_args(argv)
    args.output.write_text(convert(args.shared), encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
