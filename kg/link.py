"""Link stage: every gazetteer span becomes a mention of one entity, or is dropped.

Decisions, in order:
1. Spans: longest match wins; a country, territory, city or international organisation named
   inside a longer name ("Perdana Menteri *Armenia*") is kept as a nested mention.
2. Title + name: an office followed by a name ("Perdana Menteri Armenia Nikol Pashinyan") gives the
   person, preferring whoever held that office on the publication date, and a position-held pair.
   An office with no name after it refers to its holder on the publication date.
3. Other spans: candidates scored by alias strength, prior, language of the alias, and context
   (candidates tied to a country the article mentions score higher).
4. A surname or first name alone after a linked full name refers to the same person.
5. The dateline place, the publisher and credited sources (``Dilansir dari Reuters``) are linked
   with the type the position implies.
Mentions inside related-article headlines are kept but flagged; nothing is concluded from them.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache


from kg.ids import is_nil, nil_id, slug
from kg.nlp import Match, doc_tokens, matches
from kg.read import Span, common_words

NER_TYPES = {"PER": "Person", "PERSON": "Person", "ORG": "Organization", "LOC": "Location", "GPE": "Location",
             "NORP": None}
# entity types an NER label admits (a country acts as an organisation too: "Israel menyerang")
TYPE_FIT = {"Person": {"Person"},
            "Organization": {"Organization", "GovernmentOrganization", "InternationalOrganization",
                             "MediaOrganization", "NewsAgency", "Country", "Territory"},
            "Location": {"Location", "Country", "Territory", "City"}}
NESTABLE = {"Country", "Territory", "City", "Location", "InternationalOrganization"}
# names that contain another name worth its own mention ("Perdana Menteri Armenia", "Dewan Keamanan PBB")
HOSTS = {"Position", "GovernmentOrganization"}
# a text this short (a sentence or two) is about a topic on one of its words: "Leicester saat ini
# menduduki peringkat pertama klasemen" is a match report's sentence
SHORT_TEXT = 60
MIN_SCORE = 0.25  # below this the best candidate is too weak to link
LOCATIONS = {"Country", "Territory", "City", "Location"}
MEDIA = {"NewsAgency", "MediaOrganization"}
ORGS = {"Organization", "GovernmentOrganization", "InternationalOrganization"} | MEDIA
_DOMAIN = re.compile(r"(?:\.(?:co|com|net|org|go|or|ac|news))?(?:\.[a-z]{2})?$", re.I)


@dataclass
class Mention:
    start: int
    end: int
    text: str
    entity: str  # QID or nil:<type>/<slug>
    type: str
    confidence: float
    method: str
    in_boilerplate: bool = False


@dataclass
class EntityInfo:
    id: str
    type: str
    labels: dict[str, str]
    country: str | None = None
    description: str | None = None

    @property
    def nil(self) -> bool:
        return is_nil(self.id)


@dataclass
class Holding:
    """A person named with an office: the evidence for a position-held fact."""
    person: str
    position: str
    person_mention: Mention
    office_mention: Mention
    confidence: float


@dataclass
class Linked:
    mentions: list[Mention] = field(default_factory=list)
    entities: dict[str, EntityInfo] = field(default_factory=dict)
    holdings: list[Holding] = field(default_factory=list)
    publisher: str | None = None
    dateline_place: str | None = None
    sources: list[str] = field(default_factory=list)  # news agencies credited

    def mentioned(self) -> list[str]:
        """Entities the article itself mentions (outside boilerplate), in order of first mention."""
        seen: dict[str, None] = {}
        for m in sorted(self.mentions, key=lambda m: m.start):
            if not m.in_boilerplate:
                seen.setdefault(m.entity, None)
        for h in self.holdings:
            seen.setdefault(h.person, None)
            seen.setdefault(h.position, None)
        return list(seen)


def _info(kb, entity) -> EntityInfo:
    return EntityInfo(entity.id, entity.type, dict(entity.labels), entity.country, entity.description)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _drop(out: Linked, m: Mention, taken: set) -> None:
    """Take back a mention (and its entity, when nothing else names it)."""
    out.mentions.remove(m)
    taken.discard((m.start, m.end))
    if not any(o.entity == m.entity for o in out.mentions) and \
            not any(m.entity in (h.person, h.position) for h in out.holdings):
        out.entities.pop(m.entity, None)


def _inside(span: tuple[int, int], spans: list[Span]) -> bool:
    return any(s.start <= span[0] and span[1] <= s.end for s in spans)


class Linker:
    def __init__(self, kb, lang: str, published: date | None):
        self.kb = kb
        self.lang = lang
        self.published = published
        self.topics: set[str] = set()  # what the article is about ("sport"), from kg/lang/<lang>/topics.yaml
        self._sent_starts: set[int] = set()
        self._domains: dict[str, str | None] = {}
        self._text = ""

    # ------------------------------------------------------------ scoring
    def _score(self, cand, context_countries: set[str], country_name: bool = False) -> float:
        e = cand.entity
        s = cand.score * (0.35 + 0.65 * e.prior)
        if cand.lang and cand.lang != self.lang:
            s *= 0.85
            if cand.kind == "acronym" and len(cand.surface) <= 2:
                s *= 0.35  # a short foreign acronym is usually something else here ("PT", "UU")
        if e.country and e.country in context_countries:
            s *= 1.25
        if e.type == "Person" and self.published and self.kb.positions_of(e.id, on=self.published):
            s *= 1.2
        domain = self._domain(e.id) if e.type == "Organization" else None  # clubs, the only domain kept
        if domain and domain in self.topics and not country_name:
            s *= 4.0  # "Leicester", "Napoli" the club in a match report (a country's name stays the country)
        elif domain and (cand.kind == "weak" or _nickname(cand)):
            s *= 0.3  # ... and the town elsewhere; a club's nickname too ("Koi" for Hiroshima Toyo Carp)
        if cand.score < 0.8 and e.type in ("City", "Location", "Territory") and e.country and \
                " " not in cand.surface and e.country not in context_countries:
            s *= 0.4  # a weak one-word alias ("Rio" for Rio de Janeiro) needs its country in the article
        return s

    def _domain(self, entity_id: str) -> str | None:
        """The field an entity belongs to ("sport" for a club), cached: KB attributes are copied per call."""
        try:
            return self._domains[entity_id]
        except KeyError:
            d = self._domains[entity_id] = self.kb.attributes(entity_id).get("domain")
            return d

    def _about(self, cand, topic: str) -> bool:
        e = cand.entity
        if (cand.kind != "weak" or " " in cand.surface) and self._domain(e.id) == topic and \
                not _nickname(cand):
            return True  # a club by its name ("Leicester City"); its town or a nickname ("Koi") is no evidence
        pattern = _topic_descriptions().get(topic)
        return pattern is not None and e.type == "Person" and bool(e.description) and \
            pattern.search(e.description) is not None

    def _best(self, cands, context: set[str], types: set[str] | None = None):
        """(best entity, confidence)."""
        entity, conf, _ = self._ranked(cands, context, types)
        return entity, conf

    def _ranked(self, cands, context: set[str], types: set[str] | None = None):
        """(best entity, confidence, its score): the confidence weighs the margin over the runner-up."""
        country_name = len(cands) > 1 and any(c.entity.type == "Country" and c.score >= 0.9 for c in cands)
        scored = sorted(((self._score(c, context, country_name), i, c) for i, c in enumerate(cands)
                         if types is None or c.entity.type in types), key=lambda t: (-t[0], t[1]))
        if not scored:
            return None, 0.0, 0.0
        best = scored[0]
        runner = next((t[0] for t in scored[1:] if t[2].entity.id != best[2].entity.id), 0.0)
        margin = best[0] / (best[0] + runner) if best[0] + runner > 0 else 0.0
        conf = round(min(0.99, 0.5 * margin + 0.5 * min(1.0, best[0] / 0.6)), 3)
        return best[2].entity, conf, best[0]

    # ------------------------------------------------------------ main
    def link(self, doc, boilerplate: list[Span], publisher: str | None = None) -> Linked:
        out = Linked()
        # made once: doc.ents builds new Span objects, iterating a Doc new Token objects, on every access
        self._tokens, text = doc_tokens(doc)
        # Token.is_sent_start walks the whole Doc on every call: look the starts up once
        self._sent_starts = {s.start for s in doc.sents}
        self._token_starts = [t.idx for t in self._tokens]
        self._ents = doc.ents
        self._ent_spans = {(e.start_char, e.end_char) for e in self._ents}
        self._titles = _quoted_titles(text)
        self.topics = article_topics(text, self.lang, short=len(self._tokens) <= SHORT_TEXT)
        self._text = text  # Doc.text joins every token on each access
        ms = sorted(matches(doc), key=lambda m: (-(m.end - m.start), m.start))
        # 1. maximal spans, then nested location/organisation spans inside them
        chosen: list[Match] = []
        occupied: set[int] = set()  # the tokens of the chosen matches (matches are whole tokens)
        for m in ms:
            if occupied.isdisjoint(range(*m.tokens)):
                chosen.append(m)
                occupied.update(range(*m.tokens))
        chosen_spans = {(c.start, c.end) for c in chosen}
        nested: list[Match] = []
        for m in ms:
            if (m.start, m.end) in chosen_spans:
                continue
            hosts = [c for c in chosen if c.start <= m.start and m.end <= c.end
                     and c.candidates[0].entity.type in HOSTS]
            if hosts and any(c.entity.type in NESTABLE and c.entity.id != hosts[0].candidates[0].entity.id
                             for c in m.candidates) and not self._adjectival(m) and \
                    not any(_overlaps((m.start, m.end), (n.start, n.end)) for n in nested):
                nested.append(m)
        chosen.sort(key=lambda m: m.start)

        # context: countries named unambiguously (their best candidate is a country)
        context: set[str] = set()
        sources: dict[str, set[tuple[int, int]]] = {}  # country -> the spans that put it in the context
        for m in chosen + nested:
            top = m.candidates[0].entity
            c = top.id if top.type == "Country" else top.country
            if c:
                context.add(c)
                sources.setdefault(c, set()).add((m.start, m.end))

        def context_for(m) -> set[str]:
            """The article's countries without those only this match names ("Madrid" is no evidence
            for the city Madrid)."""
            return {c for c in context if sources.get(c, set()) - {(m.start, m.end)}}
        # what the article is about, also from the names it uses: a club by its full name ("Real
        # Madrid") or a person the knowledge base describes with a topic's words ("Brazilian footballer")
        for topic in _topic_words("en"):
            if topic not in self.topics and any(self._about(c, topic) for m in chosen for c in m.candidates[:1]):
                self.topics.add(topic)

        dateline = next((s for s in boilerplate if s.kind == "dateline"), None)
        # "Dortmund-Melawan Borussia ...", "San Francisco-Menurut ...": a name opening the text glued by a
        # hyphen to a capitalised word is a dateline the reader did not split off: a place, and the
        # word after the hyphen opens the first sentence
        glued = None
        if dateline is None and chosen and chosen[0].tokens[0] == 0:
            e = chosen[0].tokens[1]
            if e + 1 < len(self._tokens) and self._tokens[e].text in ("-", "–") and \
                    self._tokens[e].idx == chosen[0].end and self._tokens[e + 1].idx == chosen[0].end + 1 and \
                    self._tokens[e + 1].text[:1].isupper():
                glued = (chosen[0].start, chosen[0].end)
                self._sent_starts.add(e + 1)
        credits = [s for s in boilerplate if s.kind == "source-credit"]
        headlines = [s for s in boilerplate if s.kind == "related-headline"]

        def add(span, entity, conf, method):
            return self._add(out, span, entity, conf, method, headlines)

        taken: set[tuple[int, int]] = set()
        matches_by_token = set()
        strong_tokens = set()  # tokens of matches that are names of their own (see _weak_match)
        for mm in ms:
            matches_by_token.update(range(*mm.tokens))
            if not _weak_match(mm):
                strong_tokens.update(range(*mm.tokens))
        # 2. title + name, and offices alone
        by_start = {m.start: m for m in chosen}
        i = 0
        while i < len(chosen):
            m = chosen[i]
            office, conf = self._best(m.candidates, context, {"Position"})
            top, _ = self._best(m.candidates, context)
            if office is None or top is None or top.type != "Position":
                i += 1
                continue
            name = self._name_after(doc, m, by_start)
            if any(c.entity.id == office.id and c.kind == "title" for c in m.candidates):
                # "Presiden Joko Widodo": a home office by its title alone is this office only for a
                # name that holds it; otherwise the title says nothing we can link
                self._home_title(m, office, name or self._name_after(doc, m, by_start, 1), chosen, taken, out, add)
                i += 1
                continue
            office_mention = add((m.start, m.end), office, conf, "gazetteer")
            taken.add((m.start, m.end))
            holders = [h.person for h in self.kb.holders(office.id, on=self.published)] if self.published else []
            if name is not None:
                person, pconf, method, span = self._person_for(name, office, holders, text)
                if person is not None:
                    pm = add(span, person, pconf, method)
                    taken.add(span)
                    out.holdings.append(Holding(person.id, office.id, pm, office_mention, pconf))
                    if isinstance(name, Match) and name in chosen:
                        chosen.remove(name)
            elif len(set(holders)) == 1 and not _inside((m.start, m.end), headlines):
                # "Presiden Rusia mengatakan ...": the office stands for whoever held it that day
                person = self.kb.entity(holders[0])
                if person is not None:
                    out.mentions.remove(office_mention)
                    pm = add((m.start, m.end), person, round(conf * 0.9, 3), "office-holder")
                    out.entities.setdefault(office.id, _info(self.kb, office))
                    out.holdings.append(Holding(person.id, office.id, pm, pm, pm.confidence))
            i += 1

        self._person_at: dict[str, int] = {}
        # 3. every other span. The NER's type mostly does not help here (on IndEL dev, preferring
        #    candidates of its type cost more right links than it fixed: it is weakest on foreign brands
        #    and clubs), except against a place known only by a short alias: "kata Rio" is a person
        person_spans = {(e.start_char, e.end_char) for e in self._ents if NER_TYPES.get(e.label_) == "Person"}
        defined = None  # the acronyms the article defines, read when a match may be one
        for m in chosen:
            if (m.start, m.end) in taken:
                continue
            if dateline and _inside((m.start, m.end), [dateline]) and dateline.groups.get("publisher") and \
                    _overlaps((m.start, m.end), dateline.groups["publisher"]):
                continue  # the publisher's name in the dateline is handled below
            shared = self._shared_head(m)
            if shared is not None:
                # "Los Angeles, Orange, Riverside and San Bernardino Counties": each is "<name> County"
                head_cands, end = shared
                best, conf, score = self._ranked(head_cands, context_for(m), LOCATIONS)
                if best is not None and score >= MIN_SCORE:
                    add((m.start, end), best, conf, "gazetteer")
                    taken.add((m.start, end))
                    continue
            best, conf, score = self._ranked(m.candidates, context_for(m))
            if best is not None and best.type not in LOCATIONS and (m.start, m.end) == glued or \
                    best is not None and best.type == "Organization" and self._domain(best.id) and \
                    self._place_here(m, out):
                # the dateline names a place; so does a town name after "di"/"in" or coordinated with a
                # place ("di Montreal maupun Toronto"), even in a sports article
                place, pconf, pscore = self._ranked(m.candidates, context_for(m), LOCATIONS)
                if place is not None:
                    best, conf, score = place, pconf, pscore
            if best is None or score < MIN_SCORE:
                continue
            if (m.start, m.end) in person_spans and best.type in LOCATIONS and \
                    m.candidates[0].score < 0.8 and not any(c.entity.type == "Person" for c in m.candidates):
                continue  # the NER's person (step 5) rather than "Rio" for Rio de Janeiro
            if best.type == "Person" and " " not in m.text.strip() and conf < 0.6:
                continue  # a lone given name or surname with no antecedent: too weak to link
            if self.lang == "en" and m.tokens[1] - m.tokens[0] == 1 and best.prior < 0.3 and \
                    best.type != "Person" and self._sentence_first(doc, m.tokens[0]):
                continue  # '"Yes, PSG have ...': a capitalised first word may be any word, not the band
            if m.tokens[1] - m.tokens[0] == 1 and best.type != "Person" and \
                    self._person_named_at(m.text, strong_tokens) < m.start:
                continue  # "Shannon Lin ... Shannon is": the person named before, not the town
            if m.text.isupper() and defined is None and f"({m.text})" in text:
                defined = self._acronyms(text)
            if defined and m.text in defined and not any(c.entity.id == best.id for c in defined[m.text]):
                continue  # "artificial pancreas (AP)": the article says what "AP" is, and it is not this
            if any(b <= m.start and m.end <= e and (b, e) != (m.start, m.end) for b, e in self._titles):
                continue  # "' Batman v Superman : Dawn of Justice '", "' Iron Man 3 '": a work's title
            if best.type == "City" and best.country and self._placed_elsewhere(m, best.country, by_start):
                continue  # "rutan Guntur, Jakarta Selatan": a place in Jakarta, not the town in India
            if self._inside_unknown_name(doc, m, strong_tokens):
                continue  # "Garuda [Indonesia]", "[Jakarta] Pusat": part of a longer name we do not know
            add((m.start, m.end), best, conf, "gazetteer")
            taken.add((m.start, m.end))
        for m in nested:
            best, conf = self._best(m.candidates, context, NESTABLE)
            if best is not None and (m.start, m.end) not in taken:
                add((m.start, m.end), best, conf, "gazetteer")
                taken.add((m.start, m.end))

        # 4. other written forms of people the knowledge base names in full ("Luhut B Pandjaitan"), short
        # names of people already named in full, then surnames of well-known people
        self._person_variants(doc, out, taken, headlines)
        self._short_names(doc, out, taken, headlines)
        self._lone_surnames(doc, out, taken, headlines, matches_by_token, context)

        # 5. names the statistical NER found that the knowledge base does not know: NIL entities
        if doc.has_annotation("ENT_IOB"):
            self._ner_names(doc, out, taken, headlines, ms)
        else:  # no statistical NER for this language: capitalisation and title rules
            self._cap_names(doc, out, taken, headlines)

        # 6. dateline place, publisher, credited sources
        if dateline is not None:
            place = dateline.groups.get("place")
            if place:
                cands = self.kb.lookup(text[place[0]:place[1]], self.lang)
                best, conf = self._best(cands, context, LOCATIONS)
                if best is not None:
                    out.dateline_place = best.id
                    if place not in taken:
                        add(place, best, conf, "dateline")
                        taken.add(place)
            pub = dateline.groups.get("publisher")
            if pub and not publisher:
                publisher = text[pub[0]:pub[1]]
            if pub:
                out.publisher = self._publisher(publisher, out)
                if pub not in taken:
                    ent = out.entities[out.publisher]
                    out.mentions.append(Mention(pub[0], pub[1], text[pub[0]:pub[1]], ent.id, ent.type, 0.9,
                                                "dateline"))
                    taken.add(pub)
        if out.publisher is None and publisher:
            out.publisher = self._publisher(publisher, out)
        for c in credits:
            b, e = c.groups["source"]
            hit = [mm for mm in out.mentions if mm.start == b and mm.type in MEDIA]
            if hit:
                out.sources.append(hit[0].entity)
                continue
            best, conf = self._best(self.kb.lookup(text[b:e], self.lang), context, MEDIA)
            if best is not None:
                out.sources.append(best.id)
                if (b, e) not in taken and not any(_overlaps((b, e), t) for t in taken):
                    add((b, e), best, conf, "source-credit")
                    taken.add((b, e))
        curves = _confidence_curves()
        if curves:  # what the links' confidence means: the chance of being right (scripts/calibrate_confidence.py)
            for m in out.mentions:
                if not is_nil(m.entity):
                    m.confidence = calibrated(m.confidence, curves.get(m.method) or curves["*"])
        out.mentions.sort(key=lambda m: (m.start, -m.end))
        return out

    # ------------------------------------------------------------ helpers
    def _inside_unknown_name(self, doc, m: Match, matched_tokens: set[int]) -> bool:
        """A capitalised word right before or after the match that is no title, date word or name
        of its own means the match is only part of a longer name."""
        from kg.dates import calendar_words
        from kg.read import function_words, names_data

        nd = names_data(self.lang)
        titles = nd["titles"]
        calendar = calendar_words(self.lang)
        function_words = function_words(self.lang)
        places = {"Country", "Territory", "City", "Location"}
        before_place = nd["before_place"] if any(c.entity.type in places for c in m.candidates) else frozenset()
        start, end = m.tokens
        # where a statistical NER found exactly this span, it is a name of its own ("Menteri
        # Perindustrian Saleh Husin": "Perindustrian" is no part of it). A longer NER span is no proof
        # of the contrary: on IndEL dev, trusting those cost more right links than it saved
        if (m.start, m.end) in self._ent_spans and not self._name_goes_on(start, end):
            return False
        # "French TV", "Chinese Imax theatres": an adjectival form of a country's name modifies the
        # capitalised word after it; it is not the first word of an unknown name
        name_of = nd["name_of"]  # "of" joining a name to a place inside a longer name ("Bank of England")
        adjective = end - start == 1 and self._adjectival(m)
        if adjective and self._org_follows(doc, end, nd, matched_tokens):
            return True  # "British Met Office", "American Red Cross": the adjective opens an org's name
        # a place between a word before it and a person's name after it belongs to that word: "Wali
        # Kota Makassar Mohammad Ramdhan Pomanto", "Gubernur DKI Basuki", "petenis Chile Fernando
        # Gonzalez" (where a language puts a country after the noun it qualifies: home_country set)
        prev = self._tokens[start - 1] if start > 0 and start not in self._sent_starts else None
        top = m.candidates[0]
        qualifies = prev is not None and top.entity.type in places and top.kind != "weak" and (
            prev.lower_ in titles or (nd.get("home_country") and prev.text.islower() and prev.text.isalpha()
                                      and top.entity.type == "Country" and self._person_starts_at(end)))
        for k in (start - 1,) if adjective else (start - 1, end):
            if k < 0 or k >= len(doc):
                continue
            tok = doc[k]
            gap = self._text[tok.idx + len(tok.text):doc[start].idx] if k < start else \
                self._text[doc[end - 1].idx + len(doc[end - 1].text):tok.idx]
            if gap not in (" ",):
                continue
            word = tok.text
            if not word[:1].isupper() or k in matched_tokens or \
                    (k < start and k in self._sent_starts and not self._name_opens(word)):
                continue
            if k == end and len(word) == 2 and word[1] == "." and word[0].isupper():
                return True  # "Christopher M. Rose": an initial continues a person's name
            if k == end and qualifies and word.isalpha() and word.lower() not in common_words(self.lang):
                continue  # the office holder's or the national's name starts here
            low = word.lower().rstrip(".")
            if low in name_of and k not in self._sent_starts:
                return True  # "House Of Cards": a connector written capitalised is inside a title
            if low in titles or low in calendar or not word.isalpha() or \
                    (k < start and (low in function_words or low in before_place)):
                continue  # "The Bulgarian government" after a headline: "The" starts no name
            return True
        if self._in_hyphen_name(doc, m, matched_tokens, titles | calendar):
            return True
        # "the Center for Radiation Therapy of [Beverly Hills]", "Duchess of [Cambridge]": a place after
        # a capitalised word and "of" ends a longer name, unless that word is a title ("Governor of Texas")
        if name_of and start >= 2 and self._tokens[start - 1].lower_ in name_of and \
                self._text[self._tokens[start - 2].idx:m.start] == \
                f"{self._tokens[start - 2].text} {self._tokens[start - 1].text} ":
            tok = self._tokens[start - 2]
            low = tok.lower_
            if tok.text[:1].isupper() and tok.text.isalpha() and not tok.text.isupper() and \
                    start - 2 not in matched_tokens and start - 2 not in self._sent_starts and \
                    low not in titles and low not in calendar and low not in nd["place_heads"]:
                return True
        return False

    def _in_hyphen_name(self, doc, m: Match, matched_tokens: set[int], skip: frozenset) -> bool:
        """"Baku-Tbilisi-[Ceyhan] pipeline", "Bristol-Meyers Squibb", "ITC-BSD": capitalised words
        joined by hyphens with no space form one name; when one of them is no name the KB knows (nor a
        title, date word or common word), the match is only part of that longer name. A person is
        exempt ("Risma-Whisnu", a pair of running mates), and so is a name opening the text (a
        dateline: "Jakarta-Menurut")."""
        start, end = m.tokens
        if start == 0 or m.candidates[0].entity.type == "Person":
            return False
        toks = self._tokens
        common = _common_list(self.lang)
        for step, k in ((-1, start - 1), (1, end)):
            while 0 <= k < len(toks) and toks[k].text == "-" and 0 <= k + step < len(toks):
                if k == 0 or k + 1 >= len(toks) or toks[k - 1].idx + len(toks[k - 1].text) != toks[k].idx or \
                        toks[k + 1].idx != toks[k].idx + 1:
                    break  # "Jakarta - Bandung": a spaced dash joins no name
                word = toks[k + step]
                if not word.text[:1].isupper() or not word.text.isalpha() or k + step == 0:
                    break  # the text's first word before a hyphen is a dateline ("Wolfsburg-Real Madrid")
                if k + step not in matched_tokens and word.lower_ not in skip and word.lower_ not in common:
                    return True
                k += 2 * step
        return False

    def _shared_head(self, m: Match):
        """For a name in a list closed by a plural place kind ("Los Angeles, Orange ... and San
        Bernardino Counties", ``plural_heads`` in names.yaml): the KB candidates of "<name> <singular>"
        and where the mention ends (after the plural for the list's last name); else None."""
        pattern, heads = _plural_heads(self.lang)
        if pattern is None:
            return None
        text = self._text
        # a list item: a comma or a coordinator on at least one side of the name
        before = text[max(0, m.start - 6):m.start]
        hit = pattern.match(text, m.end, min(len(text), m.end + 200))
        if hit is None or not (hit.group(1) or re.search(r"(?:,|\band|\bor) $", before)):
            return None
        if hit.group(1) is None and not re.search(r"(?:,|\band|\bor) $", before):
            return None
        singular = heads[hit.group(2).lower()]
        cands = self.kb.lookup(f"{m.text} {singular.title()}", self.lang)
        if not cands:
            return None
        last = hit.start(2) == m.end + 1  # "San Bernardino Counties": the plural ends this mention
        return cands, (hit.end(2) if last else m.end)

    def _name_goes_on(self, start: int, end: int) -> bool:
        """Tokens ``start:end`` are only part of a name, whatever a statistical NER says: an initial
        follows ("Luhut B Pandjaitan") or a name opens the sentence right before ("Praveen Jordan")."""
        toks = self._tokens
        if end + 1 < len(toks) and toks[end + 1].text[:1].isupper() and self._text[toks[end - 1].idx + len(
                toks[end - 1].text):toks[end].idx] == " " and _is_initial(toks[end].text):
            return True
        return self._opener_before(start)

    def _opener_before(self, start: int) -> bool:
        """The sentence opens with a name word right before token ``start`` ("Praveen Jordan tersingkir")."""
        if start < 1 or start - 1 not in self._sent_starts:
            return False
        prev = self._tokens[start - 1]
        return self._name_opens(prev.text) and self._text[prev.idx + len(prev.text):self._tokens[start].idx] == " "

    def _name_opens(self, word: str) -> bool:
        """A sentence's capitalised first word that is still a name's first word ("Praveen Jordan
        tersingkir"): where the language has a list of common words, one not in it."""
        common = _common_list(self.lang)
        if not common:
            return False  # no list to tell a name from an ordinary word opening the sentence
        return word.isalpha() and word.lower() not in common

    def _place_here(self, m: Match, out: Linked) -> bool:
        """The match stands where a place does: right after a locative preposition ("di Valencia", "in
        Valencia"), or after a coordinator joined to a place linked just before ("Montreal maupun
        Toronto"). Words from ``place_after`` and ``coordinators`` in topics.yaml."""
        k = m.tokens[0]
        if k == 0:
            return False
        data = _topics_data(self.lang).get("sport") or {}
        prev = self._tokens[k - 1].lower_
        if prev in (data.get("place_after") or ()):
            return True
        if prev in (data.get("coordinators") or ()) and out.mentions and k >= 2:
            # the place before the coordinator must itself follow a locative word: two town names
            # joined by "dan" are as likely two clubs ("Stoke dan Liverpool")
            last = out.mentions[-1]
            if last.end != self._tokens[k - 2].idx + len(self._tokens[k - 2].text) or \
                    last.type not in LOCATIONS or last.method != "gazetteer":
                return False
            j = bisect.bisect_left(self._token_starts, last.start)
            return j > 0 and self._tokens[j - 1].lower_ in (data.get("place_after") or ())
        return False

    def _org_follows(self, doc, k: int, nd: dict, matched_tokens: set[int]) -> bool:
        """Capitalised words from token ``k`` on, none a name of its own, that end in an org head."""
        j = k
        while j < len(doc) and j - k < 4 and doc[j].text[:1].isupper() and doc[j].text.isalpha() and \
                j not in matched_tokens and doc[j - 1].whitespace_:
            if doc[j].lower_ in nd["org_heads"]:
                return True
            j += 1
        return False

    def _person_named_at(self, word: str, matched_tokens: set[int]) -> int:
        """Where ``word`` is first one of the two words of a name the KB does not know that reads as a
        person's, a given name of someone in the KB then a surname of someone ("Shannon Lin"); else
        past the end of the text."""
        at = self._person_at.get(word)
        if at is None:
            at = self._person_at[word] = self._find_person_named(word, matched_tokens)
        return at

    def _find_person_named(self, word: str, matched_tokens: set[int]) -> int:
        text = self._text
        end = len(text)
        if text.find(word + " ") == -1 and text.find(" " + word) == -1:
            return end  # the cheap test first
        from kg.kb import normalise
        surnames, given = self.kb.persons_by_surname(), self.kb.persons_by_given_name()
        key = normalise(word)
        if key not in given and key not in surnames:
            return end
        matched_at = {self._token_starts[k] for k in matched_tokens}
        n, p = len(word), text.find(word, 0, end)
        while p != -1:
            if (p == 0 or not _NAME_CHAR(text[p - 1])) and not _NAME_CHAR(text[p + n:p + n + 1] or " "):
                nxt = _NEXT_CAP.match(text, p + n)
                prv = _PREV_CAP.search(text, max(0, p - 40), p)
                # exactly two capitalised words: "Shannon Lin", not "Shannon Lin Corum" nor "Port Shannon X"
                if nxt and not prv and not _CAP_AFTER.match(text, nxt.end()):
                    pair, at = (word, nxt.group(1)), (p, nxt.start(1))
                elif prv and not nxt and not _CAP_BEFORE.search(text, max(0, prv.start() - 40), prv.start()):
                    pair, at = (prv.group(1), word), (prv.start(1), p)
                else:
                    pair = None
                if pair and not (at[0] in matched_at and at[1] in matched_at) and \
                        all(w.isalpha() and not w.isupper() for w in pair) and \
                        normalise(pair[0]) in given and normalise(pair[1]) in surnames:
                    return p
            p = text.find(word, p + n, end)
        return end

    def _acronyms(self, text: str) -> dict[str, list]:
        """Acronyms the article defines, "artificial pancreas (AP)": each with the KB candidates of the
        words before it whose initials spell it; none for lower-case words ("artificial pancreas" is no
        name), and no entry for a capitalised name the KB does not know (it may lack that name of the
        entity the acronym is known by)."""
        from kg.read import names_data
        out: dict[str, list] = {}
        if "(" not in text:
            return out
        connectors = None
        for hit in _ACRONYM.finditer(text):
            acr = hit.group(1)
            if acr in out or hit.start() == 0 or text[hit.start() - 1] != " ":
                continue
            words = []  # the words right before "(", latest first
            for part in reversed(text[max(0, hit.start() - 160):hit.start()].split(" ")[:-1]):
                if not part:
                    continue
                if not _WORD.fullmatch(part) or len(words) == 8:
                    break
                words.append(part)
            if connectors is None:
                connectors = names_data(self.lang)["connectors"]
            letters, used = [], 0
            for w in words:
                if len(letters) == len(acr):
                    break
                used += 1
                if w.lower() in connectors and letters:
                    continue
                letters.append(w[0].lower())
            if "".join(reversed(letters)) != acr.lower():
                continue
            phrase = " ".join(reversed(words[:used]))  # the definition from its first initial on
            cands = self.kb.lookup(phrase, self.lang)
            if cands or phrase.islower():
                # a capitalised name the KB does not know may be a name it lacks of this very entity
                out[acr] = cands
        return out

    def _sentence_first(self, doc, k: int) -> bool:
        """Token ``k`` opens a sentence or a quotation."""
        return k in self._sent_starts or (k > 0 and doc[k - 1].text in "\"'“‘(" and
                                          (k - 1 in self._sent_starts or doc[k - 1].whitespace_ == ""))

    def _adjectival(self, m: Match) -> bool:
        """An English adjective of a country's name ("French", "British"), not a name of it: an alias
        other than its label that is no shortening of the label ("Van" is Vanuatu's, no adjective)."""
        top = m.candidates[0]
        if self.lang != "en" or top.entity.type not in ("Country", "Territory") or top.kind != "alias":
            return False
        label = top.entity.labels.get("en") or ""
        return m.text != label and not label.lower().startswith(m.text.lower())

    def _name_after(self, doc, m: Match, by_start: dict[int, Match], min_words: int = 2):
        """The name right after an office mention: a KB match, or capitalised words (NIL; at least
        ``min_words`` of them)."""
        text = self._text
        j = m.end
        while j < len(text) and text[j] == " ":
            j += 1
        if j == m.end:
            return None
        nxt = by_start.get(j)
        if nxt is not None and any(c.entity.type == "Person" for c in nxt.candidates):
            return nxt
        # capitalised words: up to four tokens, each capitalised, not themselves an office/place
        first = bisect.bisect_left(self._token_starts, j)
        toks = self._tokens[first:first + 4]
        words = []
        for t in toks:
            if t.text[:1].isupper() and t.text.isalpha() and not t.text.isupper():
                if by_start.get(t.idx) is not None and not any(
                        c.entity.type == "Person" for c in by_start[t.idx].candidates):
                    break
                words.append(t)
            else:
                break
        if len(words) >= min_words:
            return (words[0].idx, words[-1].idx + len(words[-1].text))
        return None

    def _home_title(self, m: Match, office, name, chosen: list, taken: set, out: Linked, add) -> None:
        """Office title without a country before a name: the office and P39 only when the named person
        holds (or held) it; the person is linked either way (by the name's own candidates)."""
        taken.add((m.start, m.end))  # never linked as an office alone
        if name is not None and not isinstance(name, Match):
            # "Jaksa Agung Prasetyo": a name the KB does not know by itself that is a holder's surname
            # (or, alone, the given name) of exactly one holder of this very office
            holder, conf = self._holder_named(self._text[name[0]:name[1]], office.id)
            if holder is not None and name not in taken:
                pm = add(name, holder, conf, "title+name-holder")
                taken.add(name)
                out.entities.setdefault(office.id, _info(self.kb, office))
                out.holdings.append(Holding(holder.id, office.id, pm, pm, conf))
            return
        if not isinstance(name, Match):
            return
        ever = {h.person for h in self.kb.holders(office.id)}
        on_date = {h.person for h in self.kb.holders(office.id, on=self.published)} if self.published else set()
        person = next((c.entity for c in name.candidates if c.entity.type == "Person" and c.entity.id in on_date), None) \
            or next((c.entity for c in name.candidates if c.entity.type == "Person" and c.entity.id in ever), None)
        if person is None:
            return  # not a holder: step 3 links the name on its own
        # the bare title is no mention of its own (news NIF gold such as IndEL links only the name);
        # the P39 fact rests on the person's mention, as for an office that stands for its holder
        pconf = 0.95 if person.id in on_date else 0.85
        pm = add((name.start, name.end), person, pconf, "title+name")
        taken.add((name.start, name.end))
        out.entities.setdefault(office.id, _info(self.kb, office))
        out.holdings.append(Holding(person.id, office.id, pm, pm, pconf))
        if name in chosen:
            chosen.remove(name)

    def _person_for(self, name, office, holders: list[str], text: str):
        if isinstance(name, Match):
            span = (name.start, name.end)
            persons = [c for c in name.candidates if c.entity.type == "Person"]
            ever = {h.person for h in self.kb.holders(office.id)}
            for c in persons:
                if c.entity.id in holders:
                    return c.entity, 0.98, "title+name", span
            for c in persons:
                if c.entity.id in ever:
                    return c.entity, 0.9, "title+name", span
            if persons:
                best, conf = self._best(persons, set())
                return best, round(min(conf, 0.75), 3), "title+name", span
            return None, 0.0, "", span
        span = name
        surface = text[span[0]:span[1]]
        holder, conf = self._holder_named(surface, office.id)
        if holder is not None:
            return holder, conf, "title+name-holder", span
        from kg.kb import Entity
        ent = Entity(nil_id("Person", surface), "Person", {self.lang: surface}, 0.0, None)
        return ent, 0.7, "title+name-nil", span

    def _holder_named(self, surface: str, office_id: str):
        """The office's holder whose name this is, when the KB spells it differently.

        "Tayyip Erdogan" for "Recep Tayyip Erdoğan", "Suren Papikyan" for "Souren Papikyan": the
        surname must agree (diacritics aside); the holder on the publication date is trusted with a
        differing given name, an earlier holder only when a given name agrees too.
        """
        from kg.kb import normalise
        words = normalise(surface).split()
        if not words:
            return None, 0.0
        for on, conf, need_given in ((self.published, 0.9, False), (None, 0.8, True)):
            if on is None and self.published is None and not need_given:
                continue
            found = []
            for h in self.kb.holders(office_id, on=on):
                person = self.kb.entity(h.person)
                label = person.labels.get("en") if person else None
                if not label:
                    continue
                theirs = normalise(label).split()
                if len(words) == 1 and need_given:
                    # one word after the title: the holder's surname or given name ("Menlu Retno"),
                    # of this office only
                    if words[0] not in (theirs[0], theirs[-1]):
                        continue
                    found.append(person)
                    continue
                if theirs[-1] != words[-1]:
                    continue
                if need_given and not set(words[:-1]) & set(theirs[:-1]):
                    continue
                found.append(person)
            unique = {p.id: p for p in found}
            if len(unique) == 1:
                return next(iter(unique.values())), conf
        return None, 0.0

    def _publisher(self, name: str, out: Linked) -> str:
        cands = self.kb.lookup(name, self.lang)
        best, _ = self._best(cands, set(), MEDIA)
        if best is not None:
            out.entities.setdefault(best.id, _info(self.kb, best))
            return best.id
        bare = _DOMAIN.sub("", name.strip()) or name.strip()
        label = bare if not bare.isupper() else bare.title()
        ent_id = nil_id("MediaOrganization", bare)
        out.entities.setdefault(ent_id, EntityInfo(ent_id, "MediaOrganization", {"en": label, self.lang: label}))
        return ent_id

    def _lone_surnames(self, doc, out: Linked, taken: set, headlines: list[Span], matched: set[int],
                       context: set[str]) -> None:
        """"Federer mengatakan ...": a capitalised word that is the surname of exactly one person in the
        knowledge base, and no other name, refers to that person (lower confidence)."""
        from kg.kb import normalise
        from kg.read import common_words, names_data

        from kg.dates import calendar_words
        index = self.kb.persons_by_surname()
        given = self.kb.persons_by_given_name()
        home = self._home_country()
        common = common_words(self.lang)
        calendar = calendar_words(self.lang)
        titles = names_data(self.lang)["titles"]
        for k, tok in enumerate(self._tokens):
            w = tok.text
            if k in matched or len(w) < 4 or not w[:1].isupper() or w.isupper() or not w.isalpha():
                continue
            if w.lower() in common or w.lower() in titles or w.lower() in calendar:
                continue
            if self.lang == "en" and (k in self._sent_starts or (k > 0 and doc[k - 1].text in "\"'“‘(")):
                continue  # "Good luck": English has no common-word list to tell a surname from a word there
            key = normalise(w)
            if key not in index and (home is None or key not in given):
                continue  # nobody's name: the cheap test first
            span = (tok.idx, tok.idx + len(w))
            if any(_overlaps(span, t) for t in taken):
                continue
            nxt = doc[k + 1] if k + 1 < len(doc) else None
            prv = doc[k - 1] if k > 0 else None
            if (nxt is not None and nxt.text[:1].isupper() and nxt.text.isalpha()) or \
                    (prv is not None and k not in self._sent_starts and prv.text[:1].isupper() and prv.text.isalpha()
                     and prv.text.lower() not in titles
                     and not (k - 1 in self._sent_starts and prv.text.lower() in common)):
                continue  # part of a longer name ("Penampilan Federer": a sentence's first word is not)
            # the home country goes without saying: its office holders are known in every article
            here = context | {home} if home is not None else context
            people = index.get(key, ())
            if len(people) > 1 and home is not None:
                # "Prasetyo": the one home office holder of that surname, when every namesake is
                # unknown (no office, no description), is the Attorney General, not one of them
                mine = [p for p in people if self._holds_office_of(p, home)]
                if len(mine) == 1 and all(p in mine or self._obscure(p) for p in people):
                    people = mine
            if len(people) == 1 and (e := self.kb.entity(people[0])) is not None and self._known_here(e, here) \
                    and not (home is not None and key in given and not self._holds_office_of(e.id, home)):
                pass  # (a word that is also some people's given name is a foreigner's surname only in
                # a language whose press does not name its own people by one given name: "Benny" is not Jack Benny)
            elif home is not None:  # "Pramono", "Zulkifli": a home office holder by a given name
                people = [p for p in given.get(key, ()) if self._holds_office_of(p, home)]
                if len(people) != 1:
                    continue
            else:
                continue
            person = self.kb.entity(people[0])
            if person is None:
                continue
            full = person.labels.get("en", "")
            if re.search(rf"\b(?!{re.escape(full.split()[0])}\b)[A-Z][\w'-]+\s+{re.escape(w)}\b", self._text[:tok.idx]):
                continue  # the article named someone else with this surname ("John Weaver")
            self._add(out, span, person, 0.6, "surname", headlines)
            taken.add(span)

    def _ner_names(self, doc, out: Linked, taken: set, headlines: list[Span], kb_matches: list[Match]) -> None:
        """Spans of the NER component (``doc.ents``) that no knowledge-base mention covers become NIL
        entities: a deterministic IRI from type and name, so the next article hits the same node."""
        from kg.read import common_words, names_data

        common = common_words(self.lang)
        titles = names_data(self.lang)["titles"]
        kb_spans = {(km.start, km.end) for km in kb_matches}
        by_token: dict[int, list[tuple[int, frozenset]]] = {}  # (end, candidate types) of KB matches by first token
        for km in kb_matches:
            by_token.setdefault(km.tokens[0], []).append((km.end, frozenset(c.entity.type for c in km.candidates)))
        for ent in self._ents:
            etype = NER_TYPES.get(ent.label_)
            if etype is None or (ent.start_char, ent.end_char) in taken:
                continue  # the same span as a KB mention: the knowledge base has said it
            fit, end_char = TYPE_FIT[etype], ent.end_char
            if any(end <= end_char and fit.isdisjoint(types)
                   for k in range(ent.start, ent.end) for end, types in by_token.get(k, ())):
                continue  # "Armenia", "Nagorno-Karabakh" read as a person: the knowledge base knows better
            words = list(ent)
            while words and (not words[0].text[:1].isupper()
                             or (etype == "Person" and words[0].text.lower() in titles)):
                words = words[1:]  # "Menteri Pertahanan Suren Papikyan": the title is not the name
            while words and (words[-1].text[:1].islower() or not words[-1].text[:1].isalnum() and not (
                    words[-1].text == ")" and any(w.text == "(" for w in words))):
                words = words[:-1]  # "Azerbaijan melanggar": no name ends in a lower-case word
            while words and words[-1].i + 2 < len(doc) and not words[-1].whitespace_ and \
                    doc[words[-1].i + 1].text == "-" and not doc[words[-1].i + 1].whitespace_ and \
                    doc[words[-1].i + 2].text[:1].isupper():
                words = words + [doc[words[-1].i + 1], doc[words[-1].i + 2]]  # "Nagorno-Karabkah" whole
            if not words:
                continue
            if self._opener_before(words[0].i) and (words[0].idx, words[-1].idx + len(words[-1].text)) in kb_spans:
                # "Praveen Jordan": the NER took the surname alone, a name the linker declined there
                words = [doc[words[0].i - 1]] + words
            b, e = words[0].idx, words[-1].idx + len(words[-1].text)
            name = self._text[b:e]
            if not name[:1].isupper() or (len(words) == 1 and (name.lower() in common or len(name) < 2
                                                                  or (len(name) == 2 and not name.isupper()))) or \
                    not self._claim_span(out, taken, (b, e), etype):
                continue
            known = self._misspelt(name)
            if known is not None:  # "Nagorno-Karabkah": a typo of a name the knowledge base knows
                self._add(out, (b, e), known, 0.6, "spelling", headlines)
                taken.add((b, e))
                continue
            known = self._name_variant(name) if etype == "Person" else None
            if known is not None:  # "Luhut B Pandjaitan": a person the knowledge base names in full
                self._add(out, (b, e), known, 0.7, "name-variant", headlines)
                taken.add((b, e))
                continue
            # "Partai Persatuan Pembangunan (PPP)": one mention, as news NER corpora mark it; the
            # entity is named without the acronym, so "Partai Persatuan Pembangunan" alone is the same node
            label = re.sub(r"\s*\([^()]*\)$", "", name) or name
            ent_id = nil_id(etype, label)
            out.entities.setdefault(ent_id, EntityInfo(ent_id, etype, {self.lang: label}))
            out.mentions.append(Mention(b, e, name, ent_id, etype, 0.5, "ner", _inside((b, e), headlines)))
            taken.add((b, e))

    def _claim_span(self, out: Linked, taken: set, span: tuple[int, int], etype: str) -> bool:
        """May a name the knowledge base does not know take ``span``? Not where it crosses or equals a
        linked mention, nor over a person; over places and organisations of the knowledge base that
        lie inside it ("Partai Demokrasi [Indonesia] Perjuangan"), yes, and those stay as nested
        mentions; weak guesses inside it ("Karabakh Defence [Army]" as a surname) give way."""
        b, e = span
        inner = [m for m in out.mentions if m.start < e and b < m.end]
        if not inner and not any(t[0] < e and b < t[1] for t in taken):
            return True
        if etype == "Person" or not inner:
            return False
        if len(inner) == 1 and inner[0].type in NESTABLE and \
                len(self._text[span[0]:span[1]].split()) - len(inner[0].text.split()) == 1 and \
                self._text[span[0]:span[1]].split()[0].lower() in common_words(self.lang):
            return False  # "Pasukan Azerbaijan", "Pemerintah Indonesia": the country's forces, not a new name
        held = {id(h.person_mention) for h in out.holdings} | {id(h.office_mention) for h in out.holdings}
        for m in inner:
            if not (span[0] <= m.start and m.end <= span[1]) or (m.start, m.end) == span or id(m) in held:
                return False
            if m.type not in NESTABLE and not self._weak(m):
                return False
        for m in inner:
            if m.type not in NESTABLE:
                _drop(out, m, taken)
        return True

    def _weak(self, m: Mention) -> bool:
        """A guess that a longer name around it outweighs: a lone surname, or a one-word entity of the
        low-prior popular layer ("Ministry" the band inside "Ministry of Interior of Iraq")."""
        if m.method == "surname" or m.confidence < 0.6:
            return True
        ent = None if is_nil(m.entity) else self.kb.entity(m.entity)
        return ent is not None and " " not in m.text and ent.prior < 0.3

    def _misspelt(self, name: str):
        """The one entity whose label or alias this name is with two neighbouring letters swapped, the
        commonest typo in news copy; None when no swap, or more than one entity, fits."""
        if len(name) < 7:
            return None
        from kg.kb import normalise

        found = {}
        key = name.casefold()
        plain = name.isascii() and normalise(name) == key  # a swap in the text is then the same swap in the key
        for i in range(len(name) - 1):
            a, b = name[i], name[i + 1]
            if a == b or not (a.isalpha() and b.isalpha()):
                continue
            variant = name[:i] + b + a + name[i + 2:]
            if not (self.kb.has_key(key[:i] + key[i + 1] + key[i] + key[i + 2:]) if plain
                    else self.kb.has_alias(variant)):
                continue
            for c in self.kb.lookup(variant, self.lang):
                if c.kind in ("label", "alias") and c.score >= 0.8:
                    found[c.entity.id] = c.entity
        return next(iter(found.values())) if len(found) == 1 else None

    def _add(self, out: Linked, span: tuple[int, int], entity, conf: float, method: str,
             headlines: list[Span]) -> Mention:
        """Link ``span`` to a knowledge-base entity (or one the linker made)."""
        out.entities.setdefault(entity.id, _info(self.kb, entity))
        mention = Mention(span[0], span[1], self._text[span[0]:span[1]], entity.id, entity.type, conf, method,
                          _inside(span, headlines))
        out.mentions.append(mention)
        return mention

    def _person_variants(self, doc, out: Linked, taken: set, headlines: list[Span]) -> None:
        """Runs of capitalised words (initials allowed) that no mention covers, tried longest first
        as another written form of a known person's name (:meth:`_name_variant`)."""
        from kg.kb import _word_key
        from kg.read import names_data

        text = self._text
        rules = names_data(self.lang)["old_spellings"]
        spell = _speller(rules)
        surnames, given = _spelt_names(self.kb, rules)
        home = self._home_country()
        pairs = _home_holders_by_first_names(self.kb, home, rules) if home else {}
        for run in _NAME_RUN.finditer(text):
            words = [(w.start(), w.end()) for w in _NAME_WORD.finditer(text, run.start(), run.end())]
            keys = [spell(_word_key(text[b:e].rstrip("."))) for b, e in words]
            full = [e - b > 1 and text[e - 1] != "." for b, e in words]
            # sub-runs longest first: a name starts and ends with a full name word, and some person of
            # the knowledge base could have it (the cheap index tests before the real one)
            spans = ((words[k][0], words[k + size - 1][1]) for size in range(min(len(words), 5), 1, -1)
                     for k in range(len(words) - size + 1)
                     if full[k] and full[k + size - 1] and (
                         (keys[k + size - 1] in surnames and keys[k] in given) or
                         (size == 2 and (keys[k], keys[k + 1]) in pairs)))
            for b, e in spans:
                if any(t[0] < e and b < t[1] for t in taken):
                    continue
                person = self._name_variant(text[b:e])
                if person is not None:
                    self._add(out, (b, e), person, 0.7, "name-variant", headlines)
                    taken.add((b, e))
                    break

    def _person_starts_at(self, k: int) -> bool:
        """Does a person's name start at token ``k``: a person span of the NER, or a given name the
        knowledge base knows ("Fernando" in "petenis Chile Fernando Gonzalez", not "Masters")?"""
        if k >= len(self._tokens):
            return False
        from kg.kb import normalise

        b = self._tokens[k].idx
        return any(e.start_char == b and NER_TYPES.get(e.label_) == "Person" for e in self._ents) or \
            normalise(self._tokens[k].text) in self.kb.persons_by_given_name()

    def _placed_elsewhere(self, m: Match, country: str, by_start: dict) -> bool:
        """"Guntur, Jakarta Selatan": the place named right after a comma lies in another country than
        this town, so the name is of something there (the apposition says where it is)."""
        text = self._text
        if text[m.end:m.end + 2] != ", ":
            return False
        nxt = by_start.get(m.end + 2)
        if nxt is None or _LIST_BEFORE.search(text, max(0, m.start - 8), m.start) or \
                _LIST_AFTER.match(text, nxt.end):
            return False  # "ke Singapura, Hongkong, London dan AS": a list of places, no apposition
        top = nxt.candidates[0].entity
        if top.type == "Country" and re.match(r"[ -][A-Z]", text[nxt.end:nxt.end + 2]):
            return False  # "Belfast, Irlandia Utara": the country's name only starts another place's name
            # (while "Jakarta Selatan" lies in Jakarta's country)
        where = top.id if top.type == "Country" else top.country if top.type in LOCATIONS else None
        return where is not None and where != country and not any(
            c.entity.country == where for c in m.candidates if c.entity.type in LOCATIONS)

    def _name_variant(self, name: str):
        """The one person of the knowledge base this name is another written form of: the same first
        and last name with middle names dropped or cut to initials ("Luhut B Pandjaitan", "Yasonna
        Laoly" for Yasonna Hamonangan Laoly), old spellings read as new ones (``old_spellings`` in
        names.yaml: "Pandjaitan" = "Panjaitan"); or, for a home-country office holder, the first two of
        three or more names ("Siti Nurbaya" for Siti Nurbaya Bakar). None when no one, or more than one
        person, fits."""
        from kg.kb import normalise
        from kg.read import names_data

        nd = names_data(self.lang)
        rules = nd["old_spellings"]
        words = [w.rstrip(".") for w in normalise(name).split()]
        if len(words) < 2 or not all(w.replace("-", "").replace("'", "").isalpha() for w in words):
            return None
        spell = _speller(rules)
        raw, words = " ".join(words), [spell(w) for w in words]
        found = {}
        for pid in _spelt_names(self.kb, rules)[0].get(words[-1]):  # the people with this surname
            person = self.kb.entity(pid)
            label = person.labels.get("en") if person else None
            if not label:
                continue
            if normalise(label).replace(".", "") == raw:
                continue  # the very same name: an alias match, not a variant
            plain = normalise(label).split()
            theirs = [spell(w) for w in plain]
            if theirs[0] != words[0] or not (_middles_fit(words[1:-1], theirs[1:-1]) or
                                             _middles_fit(words[1:-1], plain[1:-1])):
                continue
            if len(words) < len(theirs) and not self._famous(person):
                continue  # a dropped middle name: "Abdul Malik" is not any Abdul Rehman Malik, only a known one
            found[pid] = person
        home = self._home_country()
        if not found and len(words) == 2 and home and self.published is not None:
            # "Siti Nurbaya" for the minister Siti Nurbaya Bakar, while she is in office: two names
            # alone are anybody's ("Kepala Desa Abdul Malik" is no former minister)
            for pid in _home_holders_by_first_names(self.kb, home, rules).get((words[0], words[1]), ()):
                if any((office := self.kb.entity(h.position)) is not None and office.country == home
                       for h in self.kb.positions_of(pid, on=self.published)):
                    found[pid] = self.kb.entity(pid)
        return next(iter(found.values())) if len(found) == 1 else None

    def _cap_names(self, doc, out: Linked, taken: set, headlines: list[Span]) -> None:
        """Unknown names without a statistical NER: a run of capitalised words is typed by the words
        in it or around it (``kg/lang/<lang>/names.yaml``) and becomes a NIL entity; a run nothing
        types is left alone (precision first)."""
        from kg.read import common_words, names_data

        nd = names_data(self.lang)
        common, heads_org, heads_place = common_words(self.lang), nd["org_heads"], nd["place_heads"]
        person_titles = nd["titles"] - heads_place
        for sent in doc.sents:
            i = sent.start
            while i < sent.end:
                tok = doc[i]
                if not self._name_word(tok, common, nd):
                    i += 1
                    continue
                j = i + 1
                while j < sent.end:
                    nxt = doc[j]
                    if self._name_word(nxt, common, nd) or (nxt.text == "-" and j + 1 < sent.end
                                                                     and doc[j + 1].text[:1].isupper()):
                        j += 1
                    elif nxt.lower_ in nd["connectors"] and j + 1 < sent.end and \
                            self._name_word(doc[j + 1], common, nd) and doc[j - 1].text[:1].isupper():
                        j += 2
                    else:
                        break
                run = list(doc[i:j])
                i = j
                before = run[0].i - 1
                while run and run[0].lower_ in nd["titles"]:  # "President Anar Eyvazov": the title is no name
                    before = run[0].i
                    run = run[1:]
                if not run:
                    continue
                b, e = run[0].idx, run[-1].idx + len(run[-1].text)
                lowers = [t.lower_ for t in run]
                prev = doc[before].lower_ if before >= sent.start else ""
                after = doc[run[-1].i + 1].lower_ if run[-1].i + 1 < sent.end else ""
                if any(w in heads_org for w in lowers[1:]) or (len(run) > 1 and lowers[0] in heads_org
                                                                and lowers[1] in nd["connectors"]):
                    etype = "Organization"
                elif any(w in heads_place for w in lowers):
                    etype = "Location"
                elif 1 < len(run) <= 4 and (prev in person_titles or after in nd["person_after"]) and \
                        not any(w in nd["connectors"] for w in lowers):
                    etype = "Person"
                else:
                    continue
                if not self._claim_span(out, taken, (b, e), etype):
                    continue  # the knowledge base has a say here
                name = self._text[b:e]
                ent_id = nil_id(etype, name)
                out.entities.setdefault(ent_id, EntityInfo(ent_id, etype, {self.lang: name}))
                out.mentions.append(Mention(b, e, name, ent_id, etype, 0.4, "capitalised",
                                            _inside((b, e), headlines)))
                taken.add((b, e))

    @staticmethod
    def _name_word(tok, common: frozenset, nd: dict) -> bool:
        """Capitalised, not an abbreviation that is an ordinary word, not a capitalised function word."""
        t = tok.text
        if not t[:1].isupper() or t in nd["not_names"] or not any(c.isalpha() for c in t):
            return False
        if len(t) > 1 and t.isupper():
            return True  # an acronym
        low = tok.lower_
        return low not in common or low in nd["titles"] or low in nd["org_heads"] or low in nd["place_heads"]

    def _home_country(self) -> str | None:
        if "_home" not in self.__dict__:
            from kg.read import names_data
            label = names_data(self.lang).get("home_country")
            self._home = None if not label else next(
                (c.entity.id for c in self.kb.lookup(label, "en") if c.kind == "label" and c.entity.type == "Country"),
                None)
        return self._home

    def _holds_office_of(self, person_id: str, country: str) -> bool:
        return country in self.kb.office_countries(person_id)

    def _famous(self, person) -> bool:
        """A home-country office holder, or a person the popular layer describes: one the press names
        in short without saying who it is."""
        home = self._home_country()
        return bool(person.description) or (home is not None and self._holds_office_of(person.id, home))

    def _obscure(self, person_id: str) -> bool:
        """A person the knowledge base knows nothing about beyond the name: no description, no office."""
        e = self.kb.entity(person_id)
        return e is None or (not e.description and not self.kb.positions_of(person_id))

    def _known_here(self, person, context: set[str]) -> bool:
        """Famous (a popular entity with a description) or holding an office of a country the article names."""
        if person.description:
            return True
        return not self.kb.office_countries(person.id).isdisjoint(context)

    def _short_names(self, doc, out: Linked, taken: set, headlines: list[Span]) -> None:
        """A person's surname or first name, an organisation's last name word ("Manchester United" ...
        "United"), after the full name: the same entity. For an organisation the short form also
        replaces a weak one-word link of its own ("United" the airline)."""
        people: dict[str, str] = {}
        first_at: dict[str, int] = {}
        orgs: set[str] = set()
        for m in out.mentions:
            words = m.text.split()
            if m.type == "Person" and len(words) > 1:
                for part in (words[-1], words[0]):
                    if len(part) > 2:
                        people.setdefault(part, m.entity)
                        first_at.setdefault(part, m.start)
            elif m.type in ORGS and len(words) > 1 and not is_nil(m.entity) and words[-1][:1].isupper() \
                    and len(words[-1]) > 2 and words[-1].isalpha():
                if people.setdefault(words[-1], m.entity) == m.entity:
                    first_at.setdefault(words[-1], m.start)
                    orgs.add(words[-1])
        if not people:
            return
        by_span = {(m.start, m.end): m for m in out.mentions}
        for tok in self._tokens:
            w = tok.text
            span = (tok.idx, tok.idx + len(w))
            ent = people.get(w)
            if ent is None or tok.idx <= first_at[w]:
                continue
            if any(_overlaps(span, t) for t in taken):
                old = by_span.get(span)
                if old is None or old.entity == ent:
                    continue
                if not (self._weak(old) if w in orgs else
                        old.method == "gazetteer" and old.type in ("City", "Location")):
                    continue  # "David Beckham ... David": the person, not the town of David
                _drop(out, old, taken)
            info = out.entities[ent]
            out.mentions.append(Mention(span[0], span[1], w, ent, info.type, 0.85, "short-name",
                                        _inside(span, headlines)))
            taken.add(span)


_ACRONYM = re.compile(r"\((\w[A-Z]{1,5})\)")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_NEXT_CAP = re.compile(r" ([A-Z]\w+)(?![\w'’-])")
_PREV_CAP = re.compile(r"(?<![\w'’.-])([A-Z]\w+) $")


# capitalised name words and initials ("Luhut B. Pandjaitan"), runs of two or more on one line
_UPPER = "A-ZÀ-ÖØ-Þ"
_NAME_WORD = re.compile(rf"[{_UPPER}](?:[^\W\d_]+(?:['’-][^\W\d_]+)*|\.)?(?![\w'’-])")
_NAME_RUN = re.compile(rf"{_NAME_WORD.pattern}(?:[ \t]+{_NAME_WORD.pattern})+")


@lru_cache(maxsize=1)
def _confidence_curves() -> dict[str, list[tuple[float, float]]]:
    """Per link method, steps (highest raw confidence, precision) fitted on the dev gold
    (kg/data/confidence.json, written by scripts/calibrate_confidence.py)."""
    import json

    from kg.resources import data_dir

    data = json.loads((data_dir() / "confidence.json").read_text(encoding="utf-8"))
    return {method: [tuple(step) for step in steps] for method, steps in data["curves"].items()}


def calibrated(raw: float, steps: list[tuple[float, float]]) -> float:
    """The precision of the step a raw confidence falls in (the last step beyond the highest raw seen)."""
    k = bisect.bisect_left([up for up, _ in steps], raw)
    return steps[min(k, len(steps) - 1)][1]


_LIST_BEFORE = re.compile(r"(?:,|\b(?:dan|and|serta|atau|or))\s+$")
_LIST_AFTER = re.compile(r"\s*(?:,\s*[A-Z]|(?:dan|and|serta|atau|or)\s)")
_QUOTED = re.compile(r"(?<![\w'’])(['\"“‘])\s?([^'\"“”‘’\n]{3,100}?)\s?(['\"”’])(?![\w'’])")
_TITLE_WORD = re.compile(r"[^\W_][\w'’-]*")


def _quoted_titles(text: str) -> list[tuple[int, int]]:
    """Spans of quoted titles of works: three or more words that are capitalised or numbers, apart
    from lower-case function words ("' Tinkerbell and the Legend of the NeverBeast '"). Quoted
    speech is mostly lower case; a quoted pair of names ("'Jokowi dan Prabowo'") is too short."""
    from kg.read import function_words

    small = function_words("id") | function_words("en") | {"v", "vs"}  # titles cross languages
    out = []
    for q in _QUOTED.finditer(text):
        words = _TITLE_WORD.findall(q.group(2))
        content = [w for w in words if not (w[:1].islower() and w.lower() in small)]
        if len(content) >= 3 and all(w[:1].isupper() or w[:1].isdigit() for w in content):
            out.append((q.start(2), q.end(2)))
    return out


@lru_cache(maxsize=8)
def _speller(rules: tuple[tuple[str, str], ...]):
    """A word in its modern spelling (``rules``: old -> new letter groups), for comparing names."""
    def spell(word: str) -> str:
        for old, new in rules:
            if old in word:
                word = word.replace(old, new)
        return word
    return lru_cache(maxsize=65536)(spell)


class _SpeltIndex:
    """A name-word index of the knowledge base read in modern spelling: a key written the new way
    also finds the persons filed under its old spellings ("panjaitan" finds "pandjaitan")."""

    def __init__(self, index: dict[str, tuple[str, ...]], rules: tuple[tuple[str, str], ...]):
        self.index, self.old = index, {}
        if rules:
            spell = _speller(rules)
            for key in index:
                if any(o in key for o, _ in rules):
                    self.old.setdefault(spell(key), []).append(key)

    def __contains__(self, key: str) -> bool:
        return key in self.index or key in self.old

    def get(self, key: str) -> tuple[str, ...]:
        found = self.index.get(key, ())
        for old in self.old.get(key, ()):
            found = found + self.index[old]
        return found


def _spelt_names(kb, rules) -> tuple[_SpeltIndex, _SpeltIndex]:
    """(surnames, given names) of the knowledge base's persons in modern spelling (cached on it)."""
    cache = kb.__dict__.setdefault("_spelt_names", {})
    if rules not in cache:
        cache[rules] = (_SpeltIndex(kb.persons_by_surname(), rules), _SpeltIndex(kb.persons_by_given_name(), rules))
    return cache[rules]


def _home_holders_by_first_names(kb, home: str, rules) -> dict[tuple[str, str], tuple[str, ...]]:
    """(first, second name) -> the holders of an office of the home country named by three words or
    more, in modern spelling (cached on the knowledge base)."""
    from kg.kb import normalise

    cache = kb.__dict__.setdefault("_home_first_names", {})
    key = (home, rules)
    if key not in cache:
        spell, acc = _speller(rules), {}
        for pid in sorted(kb.office_holders_of(home)):
            person = kb.entity(pid)
            words = normalise(person.labels.get("en") or "").split() if person else []
            if len(words) >= 3 and words[0].isalpha() and words[1].isalpha():
                acc.setdefault((spell(words[0]), spell(words[1])), []).append(pid)
        cache[key] = {k: tuple(v) for k, v in acc.items()}
    return cache[key]


def _middles_fit(ours: list[str], theirs: list[str]) -> bool:
    """Each of our middle names is, in order, one of theirs or its initial ("B" for Binsar)."""
    k = 0
    for w in ours:
        while k < len(theirs) and not (theirs[k] == w or (len(w) == 1 and theirs[k][:1] == w)):
            k += 1
        if k == len(theirs):
            return False
        k += 1
    return True


def _NAME_CHAR(c: str) -> bool:
    return c.isalnum() or c in "'’-_"


_CAP_AFTER = re.compile(r" [A-Z]")
_CAP_BEFORE = re.compile(r"[A-Z]\w* $")


def _weak_match(m: Match) -> bool:
    """One word that is only an alias of low-prior entities ("Police" for The Police, "Athletics"):
    next to another name it is a word of that name ("Winnipeg Police Service"), no name of its own."""
    return m.tokens[1] - m.tokens[0] == 1 and \
        not any(c.kind == "label" or c.entity.prior >= 0.3 or c.entity.type == "Person" for c in m.candidates)


@lru_cache(maxsize=None)
def _common_list(lang: str) -> frozenset[str]:
    """The language's common words where it has a list of them (kg/lang/<lang>/common_words.txt), else
    none: spaCy's stop words alone cannot tell an ordinary capitalised word from a name."""
    from kg import resources
    from kg.read import common_words
    return common_words(lang) if (resources.lang_dir(lang) / "common_words.txt").exists() else frozenset()


@lru_cache(maxsize=None)
def _plural_heads(lang: str):
    """(pattern, plural -> singular) from ``plural_heads`` in kg/lang/<lang>/names.yaml: the pattern matches,
    right after a name, the rest of a list of capitalised names ("(, Riverside)( and ...)") and the
    plural; group 1 is the list part (None when the plural follows at once), group 2 the plural."""
    from kg import resources
    path = resources.lang_dir(lang) / "names.yaml"
    data = (resources.load_yaml(path.read_text(encoding="utf-8")) if path.exists() else None) or {}
    heads = {k.lower(): v for k, v in (data.get("plural_heads") or {}).items()}
    if not heads:
        return None, {}
    name = r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}"
    plural = "|".join(re.escape(h) for h in heads)
    pattern = re.compile(rf"((?:,? (?:and |or )?{name}|,? (?:and|or) {name})+)? ((?i:{plural}))\b")
    return pattern, heads


def _nickname(cand) -> bool:
    """A one-word alias that is neither an acronym nor a word of the entity's English label: "Koi"
    for Hiroshima Toyo Carp, not "Chelsea" for Chelsea F.C. nor "PSG"."""
    surface = cand.surface
    if cand.kind != "alias" or " " in surface or surface.isupper():
        return False
    label = cand.entity.labels.get("en") or ""
    return surface.lower() not in re.findall(r"\w+", label.lower())


@lru_cache(maxsize=None)
def _topic_words(lang: str) -> dict[str, tuple[int, re.Pattern]]:
    data = dict(_topics_data(lang))
    suffixes = data.pop("suffixes", None) or []
    tail = "(?:%s)?" % "|".join(re.escape(x) for x in suffixes) if suffixes else ""
    return {topic: (int(spec.get("min_words", 2)),
                    re.compile(r"\b(?:%s)%s\b" % ("|".join(re.escape(w) for w in spec["words"]), tail), re.I))
            for topic, spec in data.items()}


@lru_cache(maxsize=None)
def _topic_descriptions() -> dict[str, re.Pattern]:
    """Per topic, the words of English entity descriptions that place a person in it."""
    return {topic: re.compile(r"\b(?:%s)\b" % "|".join(re.escape(w) for w in spec["describes"]), re.I)
            for topic, spec in _topics_data("en").items() if isinstance(spec, dict) and spec.get("describes")}


@lru_cache(maxsize=None)
def _topics_data(lang: str) -> dict:
    """``kg/lang/<lang>/topics.yaml``, parsed once (both the topic words and the descriptions read it)."""
    from kg import resources
    path = resources.lang_dir(lang) / "topics.yaml"
    return (resources.load_yaml(path.read_text(encoding="utf-8")) if path.exists() else None) or {}


def article_topics(text: str, lang: str, short: bool = False) -> set[str]:
    """Topics the text has enough words of (``kg/lang/<lang>/topics.yaml``); one is enough in a
    ``short`` text."""
    found = set()
    for topic, (need, pattern) in _topic_words(lang).items():
        need = 1 if short else need
        hits = 0
        for _ in pattern.finditer(text):
            hits += 1
            if hits >= need:
                found.add(topic)
                break
    return found


def _is_initial(word: str) -> bool:
    """"B", "B.": one capital letter standing for a name."""
    return (len(word) == 1 and word.isupper()) or (len(word) == 2 and word[1] == "." and word[0].isupper())


def link(doc, kb, lang: str, published: date | None, boilerplate: list[Span],
         publisher: str | None = None) -> Linked:
    return Linker(kb, lang, published).link(doc, boilerplate, publisher)


__all__ = ["Linked", "Mention", "EntityInfo", "Holding", "link", "slug"]
