"""The embedded knowledge base as the linker and a user see it.

QIDs are never written here: entities are found through the KB by their labels, and the check
that every QID in the KB comes from the source data reads ../shared (skipped when it is absent).
"""
from __future__ import annotations

import gzip
import importlib.util
import json
import re
from datetime import date

import pytest

from kg.errors import KgError
from kg.kb import TOKEN_RE, Candidate, Entity, KnowledgeBase, normalise
from conftest import ROOT, shared_path

ON = date(2022, 9, 13)  # the example article's publication date


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def one(kb: KnowledgeBase, label: str, type: str) -> Entity:
    found = kb.by_label(label, type)
    assert len(found) == 1, f"expected one {type} labelled {label!r}, found {found}"
    return found[0]


def likeliest(kb: KnowledgeBase, label: str, type: str) -> Entity:
    """The entity with this label and type that has the highest prior (a capital over a namesake town)."""
    found = kb.by_label(label, type)
    assert found, f"no {type} labelled {label!r}"
    return found[0]


def top(kb: KnowledgeBase, surface: str, lang: str | None = None) -> Candidate:
    cands = kb.lookup(surface, lang)
    assert cands, f"no candidate for {surface!r}"
    return cands[0]


# ---------------------------------------------------------------------------- normalise
@pytest.mark.parametrize("text, key", [
    ("Rusia", "rusia"),
    ("  Dewan   Keamanan\tPBB\n", "dewan keamanan pbb"),
    ("Türkiye", "turkiye"),
    ("Nagorno\u2013Karabakh", "nagorno-karabakh"),  # en dash
    ("Nagorno\u2011Karabakh", "nagorno-karabakh"),  # non-breaking hyphen
    ("Côte d\u2019Ivoire", "cote d'ivoire"),  # curly apostrophe
    ("\u201cPBB\u201d", '"pbb"'),
    ("Straße", "strasse"),
    ("İstanbul", "istanbul"),
    ("ﬁnance", "finance"),  # compatibility ligature
    ("São\u00a0Tomé", "sao tome"),  # no-break space
    ("", ""),
])
def test_normalise(text, key):
    assert normalise(text) == key


def test_normalise_is_idempotent():
    for text in ("Kementerian Pertahanan Azerbaijan", "Côte d\u2019Ivoire", "  A\u2014B  "):
        assert normalise(normalise(text)) == normalise(text)


# ---------------------------------------------------------------------------- lookup
def test_indonesian_country_name(kb):
    c = top(kb, "Rusia", "id")
    assert c.entity.type == "Country"
    assert c.entity.label("en") == "Russia"
    assert c.entity.label("id") == "Rusia"


def test_lookup_is_case_and_space_insensitive_for_names(kb):
    assert top(kb, "amerika  serikat", "id").entity.label("en") == "United States"
    assert top(kb, "PRANCIS", "id").entity.label("en") == "France"


def test_indonesian_acronym_pbb_is_the_united_nations(kb):
    c = top(kb, "PBB", "id")
    assert c.entity.label("en") == "United Nations"
    assert c.entity.type == "InternationalOrganization"
    assert c.case_sensitive and c.kind == "acronym"
    assert not any(x.entity.id == c.entity.id for x in kb.lookup("pbb", "id"))


def test_csto_is_a_case_sensitive_acronym(kb):
    c = top(kb, "CSTO")
    assert c.entity.label("en") == "Collective Security Treaty Organization"
    assert c.case_sensitive and c.surface == "CSTO"
    # "csto" in lower-case text does not match the acronym
    assert not any(x.entity.id == c.entity.id for x in kb.lookup("csto"))
    assert not any(x.case_sensitive for x in kb.lookup("csto"))


def test_indonesian_names_from_language_data(kb):
    assert top(kb, "Organisasi Perjanjian Keamanan Kolektif", "id").entity.label("en") == \
        "Collective Security Treaty Organization"
    assert top(kb, "Dewan Keamanan PBB", "id").entity.label("en") == "United Nations Security Council"
    ussr = top(kb, "Uni Soviet", "id").entity
    assert ussr.label("en") == "Soviet Union" and ussr.type == "Country"
    assert top(kb, "MOSKOW", "id").entity.label("en") == "Moscow"


def test_candidates_best_first_and_one_per_entity(kb):
    cands = kb.lookup("Armenia", "id")
    assert cands[0].entity.type == "Country"  # before the Colombian city of that name
    assert len({c.entity.id for c in cands}) == len(cands)
    ranks = [c.rank * (1 if c.lang in (None, "id") else 0.8) for c in cands]
    assert ranks == sorted(ranks, reverse=True)


def test_unknown_surface_has_no_candidates(kb):
    assert kb.lookup("Xyzzy Plugh Qwertz") == []
    assert kb.lookup("") == []


def test_news_agencies(kb):
    reuters = top(kb, "Reuters", "id").entity
    assert reuters.type == "NewsAgency"
    assert top(kb, "Interfax", "id").entity.type == "NewsAgency"


def test_cities_have_a_country(kb):
    moscow = likeliest(kb, "Moscow", "City")
    assert moscow.country == one(kb, "Russia", "Country").id
    jakarta = top(kb, "Jakarta", "id").entity
    assert jakarta.type == "City" and jakarta.country == one(kb, "Indonesia", "Country").id
    assert kb.attributes(jakarta.id).get("capital") is True


# ---------------------------------------------------------------------------- offices and holders
def test_generated_indonesian_office_forms(kb):
    c = top(kb, "Presiden Prancis", "id")
    assert c.kind == "generated" and c.entity.type == "Position"
    assert c.entity.country == one(kb, "France", "Country").id
    pm = top(kb, "Perdana Menteri Armenia", "id").entity
    assert pm.label("en") == "Prime Minister of Armenia"
    assert pm.label("id") == "Perdana Menteri Armenia"


def test_foreign_minister_role_covers_the_us_secretary_of_state(kb):
    office = top(kb, "Menteri Luar Negeri Amerika Serikat", "id").entity
    assert office.label("en") == "United States Secretary of State"
    assert top(kb, "Menlu AS", "id").entity.id == office.id


def test_english_office_forms(kb):
    office = top(kb, "President of France", "en").entity
    assert top(kb, "French President", "en").entity.id == office.id
    assert top(kb, "Prime Minister of Armenia", "en").entity.label("en") == "Prime Minister of Armenia"


def test_holders_of_the_president_of_france_on_a_date(kb):
    office = top(kb, "President of France", "en").entity
    names_on = {kb.entity(h.person).label() for h in kb.holders(office.id, on=ON)}
    assert "Emmanuel Macron" in names_on
    assert "François Hollande" not in names_on
    earlier = {kb.entity(h.person).label() for h in kb.holders(office.id, on=date(2015, 1, 1))}
    assert "François Hollande" in earlier and "Emmanuel Macron" not in earlier
    everyone = kb.holders(office.id)
    assert {"Emmanuel Macron", "François Hollande"} <= {kb.entity(h.person).label() for h in everyone}
    starts = [h.start or date.min for h in everyone]
    assert starts == sorted(starts)


def test_positions_of_a_person(kb):
    macron = top(kb, "Emmanuel Macron").entity
    assert macron.type == "Person"
    held = kb.positions_of(macron.id, on=ON)
    assert top(kb, "President of France", "en").entity.id in {h.position for h in held}
    assert all(h.person == macron.id for h in held)
    assert len(kb.positions_of(macron.id)) >= len(held)


def test_people_of_the_example_article(kb):
    for name, office in [("Nikol Pashinyan", "Perdana Menteri Armenia"), ("Vladimir Putin", "Presiden Rusia"),
                         ("Antony Blinken", "Menteri Luar Negeri Amerika Serikat")]:
        person = top(kb, name).entity
        assert person.type == "Person"
        office_id = top(kb, office, "id").entity.id
        assert person.id in {h.person for h in kb.holders(office_id, on=ON)}, (name, office)


def test_holding_dates_make_sense(kb):
    office = top(kb, "Presiden Rusia", "id").entity
    for h in kb.holders(office.id):
        assert h.start is not None
        assert h.end is None or h.end >= h.start


# ---------------------------------------------------------------------------- NIL ministries
def test_indonesian_ministry_is_a_nil_government_organisation(kb):
    c = top(kb, "Kementerian Pertahanan Azerbaijan", "id")
    ent = c.entity
    assert ent.type == "GovernmentOrganization"
    assert ent.id == "nil:governmentorganization/ministry-of-defence-of-azerbaijan"
    assert ent.country == one(kb, "Azerbaijan", "Country").id
    assert ent.labels == {"en": "Ministry of Defence of Azerbaijan", "id": "Kementerian Pertahanan Azerbaijan"}
    assert kb.entity(ent.id) == ent
    # the English forms reach the same entity
    for surface in ("Azerbaijani Defence Ministry", "Defense Ministry of Azerbaijan", "Azerbaijan Defence Ministry"):
        assert top(kb, surface, "en").entity.id == ent.id


def test_every_current_country_has_the_ministries(kb):
    bodies = [e for e in kb.entities("GovernmentOrganization") if e.id.startswith("nil:")]
    countries = {e.country for e in bodies}
    assert len(countries) >= 190
    assert all(e.labels.get("en") and e.labels.get("id") for e in bodies)


# ---------------------------------------------------------------------------- API details
def test_entity_label_falls_back_to_the_other_language():
    e = Entity("Q0", "Entity", {"en": "Only English"}, 0.5, None)
    assert e.label("id") == "Only English"
    assert Entity("Q0", "Entity", {"id": "Hanya"}, 0.5, None).label("en") == "Hanya"
    assert Entity("Q0", "Entity", {}, 0.5, None).label() == "Q0"
    assert hash(e) == hash(Entity("Q0", "Entity", {"en": "x"}, 0.1, None))


def test_entity_lookup_by_id(kb):
    russia = one(kb, "Russia", "Country")
    assert kb.entity(russia.id) is russia
    assert kb.entity("nil:nothing/here") is None
    assert russia.id in kb


def test_max_tokens(kb):
    assert kb.max_tokens("kementerian") >= 3
    assert kb.max_tokens("dewan") >= 3
    assert kb.max_tokens("rusia") >= 1
    assert kb.max_tokens("xyzzyplugh") == 0
    assert kb.max_alias_tokens >= kb.max_tokens("kementerian")
    assert len(TOKEN_RE.findall(normalise("Menteri Luar Negeri Amerika Serikat"))) <= kb.max_tokens("menteri")


def test_priors_are_ordered_by_kind_of_entity(kb):
    russia = one(kb, "Russia", "Country")
    un = top(kb, "PBB", "id").entity
    moscow = likeliest(kb, "Moscow", "City")
    office = top(kb, "Presiden Rusia", "id").entity
    for e in kb.entities():
        assert 0.0 <= e.prior <= 1.0
    assert russia.prior > un.prior > office.prior
    assert russia.prior > moscow.prior


def test_stats_meet_the_targets(kb):
    s = kb.stats()
    assert s["Country"] >= 190
    assert s["Country"] + s["Territory"] >= 550
    assert s["InternationalOrganization"] >= 500
    assert s["City"] >= 7000
    assert s["NewsAgency"] >= 10
    assert s["Position"] >= 6000
    assert s["Person"] >= 30000
    # every dated term in the data whose office has a QID, or a title + country that is one office's label
    assert s["holdings"] >= 30000
    assert s["aliases"] >= 100000
    assert s["GovernmentOrganization"] >= 2000
    assert s["entities"] == sum(v for k, v in s.items() if k[:1].isupper())


def test_a_historic_term_by_title_and_country_names_the_office_so_labelled(kb):
    """The historic leaders list says "President" of "Estonia"; the office is the one position whose
    label is "President of Estonia" (another source gives its QID). Its holders then reach back."""
    [office] = kb.by_label("President of Estonia", "Position")
    starts = sorted(h.start for h in kb.holders(office.id) if h.start)
    assert len(starts) >= 4 and starts[0].year < 2000


def test_meta_block(kb):
    meta = kb.meta
    assert re.match(r"^\d{4}-\d{2}-\d{2}$", meta["build_date"])
    assert "organisations/supraverden-general_list.yaml" in meta["sources"]
    assert all(v["origin"] and v["licence"] for v in meta["sources"].values())
    assert meta["counts"]["holdings"] == kb.stats()["holdings"]


def test_default_instance_is_cached():
    assert KnowledgeBase.load() is KnowledgeBase.load()


# ---------------------------------------------------------------------------- broken files
def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(KgError, match="not found"):
        KnowledgeBase.load(tmp_path / "nope.json.gz")


@pytest.mark.parametrize("content", [b"not gzip at all", gzip.compress(b"{broken json"), b"\x1f\x8b\x08\x00trunc"])
def test_corrupt_file_is_a_clear_error(tmp_path, content):
    path = tmp_path / "kb.json.gz"
    path.write_bytes(content)
    with pytest.raises(KgError) as err:
        KnowledgeBase.load(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_wrong_format_is_a_clear_error(tmp_path):
    path = tmp_path / "kb.json.gz"
    path.write_bytes(gzip.compress(json.dumps({"format": "something-else"}).encode()))
    with pytest.raises(KgError, match="format"):
        KnowledgeBase.load(path)
    path.write_bytes(gzip.compress(json.dumps({"format": "kg-kb/1", "meta": {}}).encode()))
    with pytest.raises(KgError, match="incomplete"):
        KnowledgeBase.load(path)


# ---------------------------------------------------------------------------- the build script
def _build_module():
    spec = importlib.util.spec_from_file_location("build_kb", ROOT / "scripts" / "build_kb.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_language_data_keys_must_resolve_to_one_entity(tmp_path):
    mod = _build_module()
    b = mod.Builder(tmp_path, ROOT / "kg" / "lang")
    b.e = {"Q1": mod.Ent("Q1", "Country", "Georgia"), "Q2": mod.Ent("Q2", "Territory", "Georgia"),
           "Q3": mod.Ent("Q3", "City", "Moscow")}
    assert b.resolve("Moscow", "test") == "Q3"
    assert b.resolve("Georgia (Country)", "test") == "Q1"
    with pytest.raises(mod.BuildError, match="ambiguous"):
        b.resolve("Georgia", "test")
    with pytest.raises(mod.BuildError, match="matches no entity"):
        b.resolve("Atlantis", "test")


def test_language_yaml_never_holds_qids():
    for path in (ROOT / "kg" / "lang").glob("*/*.yaml"):
        assert not re.search(r"\bQ\d{2,}\b", path.read_text(encoding="utf-8")), path


def test_every_qid_comes_from_the_source_data(kb):
    sources = shared_path("data/kb-sources")
    seen: set[str] = set()
    pattern = re.compile(rb"Q[1-9][0-9]*")
    for path in sources.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".bz2":
                import bz2
                data = bz2.decompress(data)
            seen.update(m.decode() for m in pattern.findall(data))
    ids = {e.id for e in kb.entities()}
    qids = {i for i in ids if not i.startswith("nil:")}
    assert qids and all(re.fullmatch(r"Q[1-9][0-9]*", q) for q in qids)
    assert qids <= seen, sorted(qids - seen)[:10]
    assert all(i.startswith("nil:governmentorganization/") for i in ids - qids)


# ---------------------------------------------------------------------------- the user's overlay (kg kb refresh)
# Ids here are placeholders, never QID-shaped: "P1" (a person), "O1" (an office), "nil:test/..." (an entity).
from kg.kb import OVERLAY_FORMAT, merge_holdings, overlay_path, read_overlay, user_data_dir  # noqa: E402


def test_merge_holdings_rules():
    base = [("P1", "O1", "2016-07-13", ""), ("P2", "O1", "2010", "2012"), ("P3", "O1", "2001-02-03", "2005-06-07")]
    extra = [
        ("P1", "O1", "2016-07-13", "2019-07-24"),  # an open term gets its end
        ("P3", "O1", "2001-02-03", ""),  # an end is never erased
        ("P3", "O1", "2001-02-03", "2005"),  # nor made less precise
        ("P2", "O1", "2010-05-11", ""),  # a precise start refines the year-only term (its end kept)
        ("P2", "O1", "2010", "2012"),  # and the year-only form adds nothing afterwards
        ("P4", "O1", "2024-01-01", ""),  # a new term
        ("P4", "O1", "2024-01-01", ""),  # once
    ]
    rows, changed, counts = merge_holdings(base, extra)
    assert counts == {"added": 1, "end_updated": 1, "refined": 1, "unchanged": 4}
    assert sorted(map(tuple, rows)) == [("P1", "O1", "2016-07-13", "2019-07-24"), ("P2", "O1", "2010-05-11", "2012"),
                                        ("P3", "O1", "2001-02-03", "2005-06-07"), ("P4", "O1", "2024-01-01", "")]
    assert changed == [("P1", "O1", "2016-07-13", "2019-07-24"), ("P2", "O1", "2010-05-11", "2012"),
                       ("P4", "O1", "2024-01-01", "")]
    # applying what changed to the base again gives the same result (an overlay is idempotent)
    again, _, _ = merge_holdings(base, changed)
    assert sorted(map(tuple, again)) == sorted(map(tuple, rows))
    assert merge_holdings(rows, changed)[2]["unchanged"] == len(changed)


def test_user_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("KG_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert user_data_dir() == tmp_path / "home"
    assert overlay_path() == tmp_path / "home" / "kb-overlay.json.gz"
    monkeypatch.delenv("KG_HOME")
    assert user_data_dir() == tmp_path / "xdg" / "kg"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    assert user_data_dir() == tmp_path / "user" / ".local" / "share" / "kg"


def _write_overlay(path, doc):
    path.write_bytes(gzip.compress(json.dumps(doc).encode()))


def test_overlay_merges_into_an_explicit_kb_only_when_asked(kb, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_HOME", str(tmp_path))
    office = top(kb, "President of France", "en").entity
    person = top(kb, "Emmanuel Macron").entity
    _write_overlay(overlay_path(), {
        "format": OVERLAY_FORMAT, "meta": {"updated": "2030-01-01T00:00:00Z", "runs": [{"endpoint": "http://x/q"}]},
        "entities": {"nil:test/placeholder-person": {"type": "Person", "labels": {"en": "Placeholder Person"}, "prior": 0.5,
                                       "country": office.country}},
        "aliases": [["Placeholder Person", "nil:test/placeholder-person", None, "label", 1.0]],
        "holdings": [["nil:test/placeholder-person", office.id, "2031-01-01", ""]]})
    plain = KnowledgeBase.load(kb.path)
    assert plain.overlay_path is None and "nil:test/placeholder-person" not in plain
    merged = KnowledgeBase.load(kb.path, overlay=True)
    assert merged.overlay_path == overlay_path() and merged.meta["overlay"]["updated"] == "2030-01-01T00:00:00Z"
    new = merged.entity("nil:test/placeholder-person")
    assert new.type == "Person" and new.country == office.country and merged.from_overlay(new.id) == "added"
    assert merged.lookup("placeholder  person")[0].entity.id == new.id
    assert merged.holders(office.id, on=date(2031, 6, 1))[0].person == new.id  # the latest start first
    assert new.id not in {h.person for h in merged.holders(office.id, on=ON)}
    assert person.id in {h.person for h in merged.holders(office.id, on=ON)}  # the base terms stay
    s = merged.stats()
    assert s["entities"] == len(kb) + 1 and s["holdings"] == kb.stats()["holdings"] + 1
    assert s["overlay"] == "2030-01-01T00:00:00Z" and s["overlay_holdings_added"] == 1
    assert merged.max_tokens("placeholder") == 2
    assert KnowledgeBase.load(kb.path, overlay=False).overlay_path is None
    # the default instance follows the file: present -> merged, removed -> the plain cached one
    assert KnowledgeBase.load().overlay_path == overlay_path()
    overlay_path().unlink()
    assert KnowledgeBase.load().overlay_path is None and KnowledgeBase.load() is KnowledgeBase.load(overlay=False)


@pytest.mark.parametrize("content, problem", [
    (b"not gzip", "not valid"),
    (gzip.compress(b'{"format": "kg-kb/1"}'), "format"),
    (gzip.compress(json.dumps({"format": OVERLAY_FORMAT, "holdings": [["a", "b"]]}).encode()), "malformed"),
])
def test_a_broken_overlay_is_a_clear_error(tmp_path, content, problem):
    path = tmp_path / "kb-overlay.json.gz"
    path.write_bytes(content)
    with pytest.raises(KgError) as err:
        read_overlay(path)
    msg = str(err.value)
    assert problem in msg and str(path) in msg and "kg kb refresh" in msg and "\n" not in msg
    assert read_overlay(tmp_path / "absent.json.gz") is None


def test_overlay_rows_naming_unknown_entities_are_ignored(kb, tmp_path):
    office = top(kb, "President of France", "en").entity
    path = tmp_path / "ov.json.gz"
    _write_overlay(path, {"format": OVERLAY_FORMAT, "entities": {}, "aliases": [["Nobody", "nil:test/nobody", None,
                                                                                 "label", 1.0]],
                          "holdings": [["nil:test/nobody", office.id, "2031-01-01", ""]]})
    merged = KnowledgeBase.load(kb.path, overlay=path)
    assert len(merged.holders(office.id)) == len(kb.holders(office.id))
    assert merged.stats()["overlay_problems"] == 2


@pytest.mark.parametrize("label, desc, expected", [
    ("Samsung Electronics", "South Korean multinational electronics company", ["Samsung"]),
    ("The Walt Disney Company", "American diversified multinational mass media company", ["Walt Disney"]),
    ("Toyota Motor Corporation", "Japanese automobile manufacturer", ["Toyota"]),
    ("General Motors", "automotive manufacturing corporation", []),  # "Motors" without a legal form stays
    ("Merck & Co.", "American pharmaceutical company", []),
    ("Monsters, Inc.", "2001 American computer-animated comedy film", []),  # not a company
    ("Pat Metheny Group", "American jazz fusion group founded in 1977", []),
])
def test_company_short_names(label, desc, expected):
    assert _build_module().company_short_names(label, desc) == expected


def test_a_company_is_found_by_its_short_name():
    kb = KnowledgeBase.load()
    hits = [c.entity.labels.get("en") for c in kb.lookup("Samsung", "en")]
    assert "Samsung Electronics" in hits
    assert not kb.lookup("News", "en")  # "News Corporation": an ordinary word on its own is no alias
