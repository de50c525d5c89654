"""Extract stage: facts with a Wikidata property, each tied to the mentions that support it.

- position held (P39): a person named with an office ("Presiden Rusia Vladimir Putin");
- country (P17): a government body named with its country ("Kementerian Pertahanan Azerbaijan"),
  whose country the knowledge base records for the generated body.
Events (PLOVER categories) come from trigger words in ``kg/lang/<lang>/events.yaml``, with their
actors, targets, place, date and, for what a speaker said, the speaker: a claim is attributed,
not asserted. Nothing is concluded from mentions inside related-article headlines.
"""
from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache


from kg import resources
from kg.link import Linked, Mention
from kg.read import Span


@dataclass(frozen=True)
class Fact:
    subject: str
    prop: str  # Wikidata property id, e.g. "P39"
    object: str
    evidence: tuple[Mention, ...]
    confidence: float
    method: str


@lru_cache(maxsize=None)
def relation_data(lang: str) -> dict:
    with open(resources.lang_dir(lang) / "relations.yaml", encoding="utf-8") as fh:
        d = resources.load_yaml(fh)
    rels = []
    for r in d.get("relations", []):
        rels.append({"property": r["property"], "subject": set(r["subject"]), "object": set(r["object"]),
                     "between": [re.compile(p, re.I) for p in r.get("between", [])],
                     "reverse": [re.compile(p, re.I) for p in r.get("reverse_between", [])]})
    anaphora = [re.compile(rf"\s*{re.escape(a)}\b", re.I) for a in d.get("anaphora", [])]
    return {"relations": rels, "anaphora": anaphora}


def extract_relations(doc, lang: str, linked: Linked, boilerplate: list[Span]) -> list[Fact]:
    """Facts stated by a pattern between two names in one sentence ("X diakui ... sebagai bagian dari Y")."""
    from kg.nlp import doc_tokens

    data = relation_data(lang)
    text = doc_tokens(doc)[1]
    spans = [(m.start, m.end) for m in linked.mentions]
    names = sorted((m for m in linked.mentions if not m.in_boilerplate and not any(
        b <= m.start and m.end <= e and (b, e) != (m.start, m.end) for b, e in spans)), key=lambda m: m.start)
    sentences = [(s.start_char, s.end_char) for s in doc.sents]
    out: list[Fact] = []
    for si, (sb, se) in enumerate(sentences):
        ms = [m for m in names if sb <= m.start < se]
        for rel in data["relations"]:
            for i, a in enumerate(ms):
                for b in ms[i + 1:]:
                    gap = text[a.end:b.start]
                    if a.type in rel["subject"] and b.type in rel["object"] and \
                            any(p.fullmatch(gap) for p in rel["between"]):
                        out.append(Fact(a.entity, rel["property"], b.entity, (a, b), round(min(a.confidence, b.confidence) * 0.9, 3), "pattern"))
                    elif b.type in rel["subject"] and a.type in rel["object"] and \
                            any(p.fullmatch(gap) for p in rel["reverse"]):
                        out.append(Fact(b.entity, rel["property"], a.entity, (b, a), round(min(a.confidence, b.confidence) * 0.9, 3), "pattern"))
            # "Wilayah tersebut ... bagian dari Azerbaijan": the subject is the last name of its kind
            for p in data["anaphora"]:
                hit = p.match(text, sb)
                if not hit:
                    continue
                for b in ms:
                    gap = text[hit.end():b.start]
                    if b.type not in rel["object"] or not any(pat.fullmatch(gap) for pat in rel["between"]):
                        continue
                    earlier = [m for m in names if sentences[max(0, si - 3)][0] <= m.start < sb and m.type in rel["subject"]]
                    if earlier:
                        a = earlier[-1]
                        out.append(Fact(a.entity, rel["property"], b.entity, (b, a), round(min(a.confidence, b.confidence) * 0.8, 3), "pattern+anaphora"))
    return out


def extract_facts(linked: Linked, relations: list[Fact] = ()) -> list[Fact]:
    facts: dict[tuple[str, str, str], Fact] = {}

    def put(fact: Fact) -> None:
        key = (fact.subject, fact.prop, fact.object)
        old = facts.get(key)
        if old is None or fact.confidence > old.confidence:
            facts[key] = fact

    for h in linked.holdings:
        if h.person_mention.in_boilerplate:
            continue
        put(Fact(h.person, "P39", h.position, (h.person_mention, h.office_mention),
                 round(min(h.confidence, h.office_mention.confidence), 3), "title+name"))
    for m in linked.mentions:
        info = linked.entities[m.entity]
        if m.in_boilerplate or info.type != "GovernmentOrganization" or not info.country:
            continue
        put(Fact(m.entity, "P17", info.country, (m,), round(m.confidence, 3), "name"))
    for f in relations:
        put(f)
    return sorted(facts.values(), key=lambda f: (f.evidence[0].start, f.prop))


# ---------------------------------------------------------------------------------------- events

PARTICIPANT_TYPES = {"Country", "Person", "Organization", "InternationalOrganization", "GovernmentOrganization",
                     "Territory", "Entity"}
PLACE_TYPES = {"City", "Location", "Territory"}
ROLE_TYPES = PARTICIPANT_TYPES - {"Territory"}  # a territory is where something happens, not who acts
SPEAKER_TYPES = {"Country", "Person", "Organization", "InternationalOrganization", "GovernmentOrganization"}
QUOTES = re.compile(r"[\"“”]([^\"“”]{3,})[\"“”]")
POSSESSIVE = {"'s", "’s", "'", "’"}


@dataclass(frozen=True)
class Event:
    plover: str
    cameo: str | None
    trigger: str
    trigger_span: tuple[int, int]
    sentence: tuple[int, int]
    actors: tuple[str, ...]
    targets: tuple[str, ...]
    place: str | None
    when: "When | None"  # noqa: F821
    speaker: str | None
    reported_by: str | None
    confidence: float


@dataclass(frozen=True)
class _Trigger:
    words: tuple[str, ...]
    category: str  # key in the data file
    plover: str
    cameo: str | None
    symmetric: bool
    needs_speech: bool
    not_after: frozenset
    not_before: tuple
    context_veto: tuple
    countries_are_places: bool = False
    speaker_accuses: bool = False  # the speaker accuses whoever the trigger names ("X said Y violated ...")
    object_through_nouns: bool = False  # the object may be another event ("meminta perjanjian ... dengan Rusia")
    near_agent: bool = False  # "oleh X" names the doer only right after the noun (its content may follow)
    verb: bool = True  # listed under `triggers`: roles from the subject and object of the verb
    noun: bool = False  # listed under `nouns`: roles only from the words tied to the noun


@lru_cache(maxsize=None)
def event_data(lang: str) -> dict:
    with open(resources.lang_dir(lang) / "events.yaml", encoding="utf-8") as fh:
        d = resources.load_yaml(fh)
    triggers: dict[tuple[str, ...], _Trigger] = {}
    for cat, spec in d["events"].items():
        plover = spec.get("plover", cat)
        verbs = [tuple(p.lower().split()) for p in spec.get("triggers", [])]
        nouns = [tuple(p.lower().split()) for p in spec.get("nouns", [])]
        for words in dict.fromkeys(verbs + nouns):
            triggers.setdefault(words, _Trigger(
                words, cat, plover, spec.get("cameo"), bool(spec.get("symmetric")), bool(spec.get("needs_speech")),
                frozenset(w.lower() for w in spec.get("not_after", [])),
                tuple(tuple(p.lower().split()) for p in spec.get("not_before", [])),
                tuple(p.lower() for p in spec.get("context_veto", [])),
                bool(spec.get("countries_are_places")), bool(spec.get("speaker_accuses")),
                bool(spec.get("object_through_nouns")), bool(spec.get("near_agent")), words in verbs,
                words in nouns))
    roles = d.get("roles", {})
    phrases = lambda key: tuple(sorted((tuple(p.lower().split()) for p in roles.get(key, [])), key=len, reverse=True))  # noqa: E731
    words = lambda key: frozenset(w.lower() for w in roles.get(key, []))  # noqa: E731
    speech = d.get("speech", {})
    anaphora = {a.lower(): frozenset(t) for a, t in roles.get("anaphora_types", {}).items()}
    return {
        "triggers": triggers,
        "max_trigger": max(len(w) for w in triggers),
        "trigger_words": frozenset(w[0] for w in triggers),
        "speech_first": _by_first_word(tuple(v.lower().split()) for v in speech.get("verbs", [])),
        "after_verb": {tuple(v.lower().split()) for v in speech.get("after_verb", [])},
        "scope_breaks": {w.lower() for w in speech.get("scope_breaks", [])},
        "agent": phrases("agent_markers"),
        "noun_agent": phrases("noun_agent_markers"),
        "target": phrases("target_markers"),
        "noun_target": phrases("target_markers") + phrases("noun_target_markers"),
        "between": phrases("between_markers"),
        "place": phrases("place_markers"),
        "continue": phrases("list_continuations"),
        "object": phrases("object_markers"),
        "light": phrases("light_verbs"),
        "receiving": phrases("receiving_verbs"),
        "passive_light": words("passive_light_verbs"),
        "passive_prefix": str(roles.get("passive_prefix", "")).lower(),
        "passive_suffix": str(roles.get("passive_suffix", "")).lower(),
        "passive_aux": words("passive_aux"),
        "not_passive": words("not_passive"),
        "bridge": words("bridge") | {"(", ")"},
        "determiners": words("determiners"),
        "modifiers": words("noun_modifiers"),
        "joiners": words("joiners") | {w for p in roles.get("list_continuations", []) for w in p.lower().split()},
        "relativizers": words("relativizers"),
        "coordinators": words("coordinators"),
        "control": words("control_markers"),
        "stops": words("object_stops"),
        "fronted": words("fronted"),
        "fronted_nouns": frozenset(roles.get("fronted_noun_categories", [])),
        "border": words("border_words"),
        "possessor": str(roles.get("possessor", "after")),
        "anaphora": {a.lower() for a in d.get("anaphora", [])},
        "anaphora_phrases": tuple(sorted((tuple(a.lower().split()) for a in d.get("anaphora", [])), key=len, reverse=True)),
        "anaphora_types": anaphora,
        "negation": {w.lower() for w in d.get("negation", [])},
        "modality": {w.lower() for w in d.get("modality", []) if " " not in w},
        "modality_phrases": tuple(tuple(w.lower().split()) for w in d.get("modality", []) if " " in w),
        "hedges": re.compile(r"(?<!\w)(?:%s)(?!\w)" % "|".join(re.escape(h.lower()) for h in d["hedges"]))
        if d.get("hedges") else None,
        "vetoed_topics": frozenset(d.get("vetoed_topics", [])),
        "demonym_heads": {w.lower() for w in roles.get("demonym_heads", [])},
        "titles": _titles(lang),
    }


def _by_first_word(phrases) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Phrases grouped by their first word, longest first: a token is checked only against its own."""
    out: dict[str, list] = {}
    for p in sorted(set(phrases), key=len, reverse=True):
        out.setdefault(p[0], []).append(p)
    return {w: tuple(ps) for w, ps in out.items()}


def _titles(lang: str) -> frozenset:
    """Title words that stand before a person's name (``kg/lang/<lang>/names.yaml``): "Presiden", "Jaksa"."""
    path = resources.lang_dir(lang) / "names.yaml"
    if not path.exists():
        return frozenset()
    d = resources.load_yaml(path.read_text(encoding="utf-8")) or {}
    return frozenset(w.lower() for t in d.get("titles", []) for w in str(t).split())


def _match_at(words: list[str], i: int, phrase: tuple[str, ...]) -> bool:
    return i >= 0 and tuple(words[i:i + len(phrase)]) == phrase


def _phrase_at(words: list[str], i: int, phrases) -> tuple[str, ...] | None:
    return next((p for p in phrases if _match_at(words, i, p)), None)


def _phrase_ending(words: list[str], i: int, phrases) -> tuple[str, ...] | None:
    """The phrase among ``phrases`` whose last word is token i."""
    return next((p for p in phrases if _match_at(words, i - len(p) + 1, p)), None)


class _Sentence:
    """The tokens of one sentence; per token the participant mention or other linked name covering it
    and whether it is part of a date; and the subjects of the verbs read so far."""

    def __init__(self, tokens: list, span: tuple[int, int], mentions: list[Mention], names: list[Mention],
                 dates=()):
        self.span = span
        self.names = [(m.start, m.end) for m in names]  # every linked name in the sentence
        self.tokens = tokens  # the sentence's tokens, spaces left out
        self.words = [t.text.lower() for t in self.tokens]
        self._idx = [t.idx for t in self.tokens]
        self.mentions = mentions  # sorted by start
        n = len(tokens)
        self.tok_of: dict[int, int] = {}
        self.end_of: dict[int, int] = {}  # token after the mention's last
        self.cover: list[Mention | None] = [None] * n
        for m in mentions:
            a = self.token_at(m.start)
            b = max(self.token_index(m.end), a + 1)
            self.tok_of[id(m)], self.end_of[id(m)] = a, b
            for t in range(a, min(b, n)):
                self.cover[t] = self.cover[t] or m
        self.in_name = [False] * n
        for b, e in self.names:
            for t in range(self.token_at(b), min(self.token_index(e), n)):
                self.in_name[t] = True
        self.in_date = [False] * n
        for w in dates:
            for t in range(self.token_at(w.start), min(self.token_index(w.end), n)):
                self.in_date[t] = True
        self.name_starts = {self.token_index(b) for b, _ in self.names}
        self.subjects: list[tuple[int, list[Mention]]] = []  # (trigger token, subject) of the verbs read so far

    def token_index(self, char: int) -> int:
        """The first token at or after a character offset."""
        return bisect_left(self._idx, char)

    def token_at(self, char: int) -> int:
        """The token that contains a character offset."""
        return max(0, bisect_right(self._idx, char) - 1)

    def next_mention(self, m: Mention) -> Mention | None:
        return next((x for x in self.mentions if x.start >= m.end), None)

    def prev_mention(self, m: Mention) -> Mention | None:
        return next((x for x in reversed(self.mentions) if x.end <= m.start), None)


def _participants(linked: Linked, boilerplate: list[Span], holders: dict) -> list[Mention]:
    """Mentions that can take part in an event: outermost, outside boilerplate, not a source or title."""
    spans = sorted({(m.start, m.end) for m in linked.mentions})
    starts = [b for b, _ in spans]
    out = []
    for m in linked.mentions:
        if m.in_boilerplate or any(s.kind != "related-headline" and s.start <= m.start and m.end <= s.end
                                   for s in boilerplate):
            continue
        if any(m.end <= e and (b, e) != (m.start, m.end) for b, e in spans[:bisect_right(starts, m.start)]):
            continue  # nested: "Armenia" in "Perdana Menteri Armenia"
        if m.type == "Position" and (m.start, m.end) in holders:
            continue  # the title of a named person: the person takes part
        if m.type in PARTICIPANT_TYPES or m.type in PLACE_TYPES or m.type == "Position":
            out.append(m)
    return sorted(out, key=lambda m: m.start)


def extract_events(doc, lang: str, linked: Linked, boilerplate: list[Span], published) -> list[Event]:
    from kg.dates import find_dates
    from kg.link import article_topics

    from kg.nlp import doc_tokens

    data = event_data(lang)
    tokens, text = doc_tokens(doc)
    holders = {(h.office_mention.start, h.office_mention.end): h for h in linked.holdings}
    parts = _participants(linked, boilerplate, holders)
    headlines = [(s.start, s.end) for s in boilerplate if s.kind == "related-headline"]
    credits = [s for s in boilerplate if s.kind == "source-credit"]
    quotes = _attributed_quotes(text, parts, data)
    dates = find_dates(text, lang, published)
    sents = list(doc.sents)
    sentences = [(s.start_char, s.end_char) for s in sents]
    sent_tokens = [[t for t in tokens[s.start:s.end] if not t.is_space] for s in sents]
    events: list[Event] = []
    seen: set = set()
    last_speaker: list[tuple[int, str]] = []  # (sentence index, speaker)
    referents: list[tuple[int, str, str]] = []  # (sentence index, entity, type): who a pronoun may stand for
    for si, (sb, se) in enumerate(sentences):
        if any(hb <= sb and se <= he for hb, he in headlines):
            continue
        ms = [m for m in parts if sb <= m.start < se and not any(hb <= m.start < he for hb, he in headlines)]
        names = [m for m in linked.mentions if sb <= m.start < se]
        sent = _Sentence(sent_tokens[si], (sb, se), ms, names, [w for w in dates if sb <= w.start < se])
        speaker, verb_at, speaker_after = _speaker(sent, data, quotes, last_speaker, si, referents)
        unnamed = _unnamed_speech(sent, data) if speaker is None else None
        if speaker is not None:
            last_speaker.append((si, speaker.entity))
            referents.append((si, speaker.entity, speaker.type))
        when = next((w for w in dates if sb <= w.start < se and w.precision != "decade"), None)
        if when is None and si + 1 < len(sentences) and not _has_trigger(sent_tokens[si + 1], data):
            # the next sentence only adds detail ("Aktivitas yang terlihat ... pada Senin (12/9) malam")
            nb, ne = sentences[si + 1]
            when = next((w for w in dates if nb <= w.start < ne and w.precision == "day"), None)
        if when is None:
            # a day named in the sentence before carries over ("... pada Selasa (13/9). Otoritas X mengatakan ...")
            when = next((w for w in reversed(dates) if w.precision == "day" and
                         sentences[max(0, si - 1)][0] <= w.start < sb), None)
        source = None
        for c in credits:
            if sb <= c.start < se:
                b, e = c.groups["source"]
                source = next((m.entity for m in linked.mentions if m.start == b and m.end == e
                               and m.type in ("NewsAgency", "MediaOrganization")), source)
        lowered = text[sb:se].lower()
        question = lowered.rstrip().endswith("?")
        hedge = data["hedges"].search(lowered) if data["hedges"] is not None else None
        hedge_at = sb + hedge.start() if hedge else se
        topics: list[set] = []  # the sentence's topics, read once a trigger needs them

        def off_topic(sb=sb, se=se, topics=topics) -> bool:  # a match report
            if not topics:
                topics.append(article_topics(text[sb:se], lang))
            return bool(data["vetoed_topics"] & topics[0])
        recent = [(e, t) for i, e, t in referents if i == si - 1]

        def antecedent(pronoun: str, recent=recent):
            """The one speaker or actor of the sentence before that a pronoun can stand for ("Mereka", "the
            ministry"), else None."""
            kinds = data["anaphora_types"].get(pronoun)
            found = {e for e, t in recent if kinds is None or t in kinds}
            return found.pop() if len(found) == 1 else None

        k = 0
        prev_end = -1
        while k < len(sent.words):
            trig = None
            if sent.words[k] not in data["trigger_words"]:
                k += 1
                continue
            for n in range(min(data["max_trigger"], len(sent.words) - k), 0, -1):
                trig = data["triggers"].get(tuple(sent.words[k:k + n]))
                if trig:
                    break
            if trig is None:
                k += 1
                continue
            t0, t1 = sent.tokens[k].idx, sent.tokens[k + n - 1].idx + len(sent.tokens[k + n - 1].text)
            ev = None
            # a capitalised trigger after a capitalised word belongs to a name ("Wakil Rektor Urusan Kerjasama")
            inside_name = any(b <= t0 and t1 <= e for b, e in sent.names) or (
                k > 0 and sent.tokens[k].text[:1].isupper() and sent.tokens[k - 1].text[:1].isupper()
                and sent.tokens[k - 1].text.isalpha())
            # the object of the trigger before: "meminta perjanjian kerjasama", "meminta rapat konsultasi"
            chained = k == prev_end or (k == prev_end + 1 and sent.words[k - 1].isalpha() and
                                        not sent.in_name[k - 1] and sent.words[k - 1] not in data["stops"])
            if not inside_name:
                prev_end = k + n
            if inside_name or chained:
                k += n
                continue
            negated = any(w in data["negation"] for w in sent.words[max(0, k - 3):k]) or \
                any(w in data["modality"] for w in sent.words[max(0, k - 6):k]) or \
                any(_match_at(sent.words, i, p) for p in data["modality_phrases"] for i in range(max(0, k - 6), k))
            hedged = t0 >= hedge_at  # "apa yang dikatakan ... serangan", "disebut-sebut terkena dampak serangan"
            if not negated and not question and not off_topic() and not any(hb <= t0 < he for hb, he in headlines) \
                    and not _vetoed(trig, sent, k, n, text):
                in_speech = speaker is not None and (verb_at is None or (k < verb_at if speaker_after else k > verb_at))
                lo_, hi_ = (k, verb_at) if speaker_after and verb_at is not None else (verb_at or 0, k)
                if in_speech and any(w in data["scope_breaks"] for w in sent.words[lo_:hi_]):
                    in_speech = False  # "X mengatakan ..., sementara Y meminta ...": Y's act is not X's claim
                if unnamed is not None:  # "Khalid menyebut ...": someone we cannot name says so; no fact
                    u_at, u_after = unnamed
                    if (u_after is None or (k < u_at if u_after else k > u_at)) and not any(
                            w in data["scope_breaks"] for w in sent.words[min(k, u_at):max(k, u_at)]):
                        in_speech, hedged = False, True
                if not hedged or in_speech:  # "diartikan ... bahwa", "reportedly": nobody stands for it
                    ev = _build_event(trig, sent, k, n, data, linked, speaker if in_speech else None,
                                      when, source, (t0, t1), text, antecedent)
            if ev is not None:
                key = (ev.plover, ev.actors, ev.targets, ev.speaker)
                same = next((i for i, e in enumerate(events) if e.sentence == ev.sentence and e.plover == ev.plover
                             and e.actors == ev.actors and e.speaker == ev.speaker), None)
                if same is not None:  # one act named twice ("meminta ... dan mengajukan banding ke ...")
                    old = events[same]
                    merged = tuple(dict.fromkeys(old.targets + ev.targets))
                    events[same] = dataclasses.replace(old, targets=merged)
                elif key not in seen:
                    seen.add(key)
                    events.append(ev)
                for a in ev.actors:
                    info = linked.entities.get(a)
                    referents.append((si, a, info.type if info else "Entity"))
            k += n
    return events


def _has_trigger(tokens: list, data) -> bool:
    words = [t.text.lower() for t in tokens]
    first = data["trigger_words"]
    return any(data["triggers"].get(tuple(words[i:i + n])) for i in range(len(words)) if words[i] in first
               for n in range(1, data["max_trigger"] + 1))


def _attributed_quotes(text: str, parts: list[Mention], data) -> list[tuple[int, int, Mention]]:
    """Quotations with their speaker: '"...," kata Kementerian Pertahanan Armenia'."""
    out = []
    for q in QUOTES.finditer(text):
        after = text[q.end():q.end() + 60].lower()
        for verb in data["after_verb"]:
            phrase = " ".join(verb)
            m = re.match(rf"[\s,.]*{re.escape(phrase)}\s+", after)
            if m:
                at = q.end() + m.end()
                who = next((p for p in parts if at <= p.start <= at + 2 and p.type in SPEAKER_TYPES), None)
                if who is not None:
                    out.append((q.start(), q.end(), who))
                break
    return out


def _speaker(sent: _Sentence, data, quotes, last_speaker, si, referents=()):
    """(speaker mention or None, token index of the speech verb, speaker after the verb?)."""
    sb, se = sent.span
    for qb, qe, who in quotes:
        if qb <= sb < qe or sb <= qb < se:
            return who, sent.token_index(qe), True
    for k in range(len(sent.words)):
        for verb in data["speech_first"].get(sent.words[k], ()):
            if not _match_at(sent.words, k, verb):
                continue
            end = k + len(verb)
            # "..., kata X", '..." said X', "Menurut X, ...": an after-verb only after a comma or quote, or first
            if verb in data["after_verb"] and (k == 0 or sent.tokens[k - 1].text in QUOTE_MARKS or
                                               sent.words[k - 1] == ","):
                # "kata Menteri X", not "imbuh politisi Golkar itu" (a Golkar politician, not the party)
                who = next((m for m in sent.mentions if m.type in SPEAKER_TYPES and
                            (sent.tok_of.get(id(m), -1) == end or sent.tok_of.get(id(m), -1) == end + 1 and
                             end < len(sent.words) and sent.in_name[end])), None)
                # "Menurut X, ...": what X says follows; "A, kata X, B": the whole sentence
                interposed = _interposed(sent, k)
                if who is not None:
                    return who, (None if interposed else k), k > 0
                if end < len(sent.words) and sent.words[end] in data["anaphora"]:  # "..., kata dia"
                    recent = [ent for i, ent in last_speaker if si - 2 <= i < si]
                    if recent:
                        return _Ref(recent[-1]), (None if interposed else k), k > 0
            before = [m for m in sent.mentions if m.type in SPEAKER_TYPES and
                      0 <= k - sent.tok_of.get(id(m), 99) <= 6 and m.end <= sent.tokens[k].idx]
            if before:
                return before[-1], k, False
            if k > 0 and sent.words[k - 1] in data["anaphora"] or k > 1 and sent.words[k - 2] in data["anaphora"]:
                recent = [ent for i, ent in last_speaker if si - 2 <= i < si]
                if recent and len(set(recent[-1:])) == 1:
                    ref = recent[-1]
                    return _Ref(ref), k, False
            # "The ministry said ...", "Mereka mengatakan ...": the one speaker or actor of the pronoun's
            # type in the sentence before
            for phrase in data["anaphora_phrases"]:
                n = len(phrase)
                if k >= n and tuple(sent.words[k - n:k]) == phrase:
                    kinds = data["anaphora_types"].get(" ".join(phrase), frozenset())
                    fits = {(e, t) for i, e, t in referents if i == si - 1 and t in kinds}
                    if len({e for e, _ in fits}) == 1:
                        e, t = next(iter(fits))
                        return _Ref(e, t), k, False
    return None, None, False


QUOTE_MARKS = set("\"“”'‘’")


def _interposed(sent: _Sentence, k: int) -> bool:
    """"A, kata X, B": a speech verb between commas speaks for the whole sentence."""
    return k > 0 and sent.words[k - 1] == "," and "," in sent.words[k + 1:k + 6] and \
        any(w.isalpha() for w in sent.words[sent.words.index(",", k + 1) + 1:])


def _unnamed_speech(sent: _Sentence, data) -> tuple[int, bool] | None:
    """Reported speech whose speaker is no linked name: "...,' imbuh politisi Golkar itu", "Khalid menyebut
    ...", "Kremlin mengatakan ..." (a place). (token of the speech verb, speaker after the verb?), or
    None. News agencies ("Interfax melaporkan") report; they are not unnamed speakers."""
    for k in range(len(sent.words)):
        prev = sent.tokens[k - 1].text if k else ""
        for verb in data["speech_first"].get(sent.words[k], ()):
            if not _match_at(sent.words, k, verb):
                continue
            if verb in data["after_verb"] and k == 0:  # "Menurut Lukman, ..."
                return k, False
            if verb in data["after_verb"] and (prev in QUOTE_MARKS or prev == ","):
                return k, (None if _interposed(sent, k) else True)
            place = sent.cover[k - 1] if k else None
            if prev[:1].isupper() and prev.isalpha() and (
                    not sent.in_name[k - 1] or (place is not None and place.type in PLACE_TYPES)):
                return k, False  # "Khalid menyebut", "Kremlin mengatakan" (a place is no speaker we can name)
    return None


@dataclass(frozen=True)
class _Ref:
    """A speaker found through a pronoun ("Mereka menyebut ...")."""
    entity: str
    type: str = "Entity"
    start: int = -1
    end: int = -1


def _vetoed(trig: _Trigger, sent: _Sentence, k: int, n: int, text: str) -> bool:
    if k > 0 and sent.words[k - 1] in trig.not_after:
        return True
    if any(_match_at(sent.words, k + n, p) for p in trig.not_before):
        return True
    lowered = text[sent.span[0]:sent.span[1]].lower()
    return any(re.search(rf"\b{re.escape(v)}\b", lowered) for v in trig.context_veto)


def _clause(sent: _Sentence, k: int, n: int, data) -> tuple[int, int]:
    """Token range of the trigger's clause: commas end it unless a list of names goes on."""
    words, toks = sent.words, sent.tokens
    starts = sent.name_starts

    def continues(i: int) -> bool:  # token i follows a comma
        if i in starts:
            return True
        for p in data["continue"]:
            if _match_at(words, i, p) and i + len(p) in starts:
                return True
        return False

    lo = k
    while lo > 0 and not (words[lo - 1] in (",", ";", ":") and not continues(lo)) and toks[lo - 1].text not in '"“”':
        lo -= 1
    hi = k + n
    while hi < len(words) and not (words[hi] in (",", ";", ":") and not continues(hi + 1)) and words[hi] not in ".!?":
        hi += 1
    return lo, hi


_DEMONYM = re.compile(r"(?:ian|ean|ese|ish|i|ic|ch|an|ai)$")


def _demonym_only(m: Mention, sent: _Sentence, ti: int, data, linked: Linked) -> bool:
    """"the Turkish stock market", "the Israeli city": an adjective, not the state taking part;
    "Armenian forces" is (the head noun is in ``demonym_heads``)."""
    if not data["demonym_heads"] or m.type != "Country":
        return False
    info = linked.entities.get(m.entity)
    labels = {v.lower() for v in (info.labels.values() if info else [])}
    if m.text.lower() in labels or m.text.isupper() or not _DEMONYM.search(m.text.lower()):
        return False
    nxt = sent.end_of.get(id(m), ti + 1)
    return (sent.words[nxt] if nxt < len(sent.words) else "") not in data["demonym_heads"]


def _after_place_marker(sent: _Sentence, ti: int, data) -> bool:
    """A name shortly after "di"/"in" ("in the Israeli city of ...", "di kota Paris") is a place."""
    for gap in range(0, 3):
        for p in data["place"]:
            at = ti - gap - len(p)
            if at >= 0 and _match_at(sent.words, at, p) and \
                    all(w.isalpha() and not w[:1].isupper() for w in (t.text for t in sent.tokens[at + len(p):ti])):
                return True
    return False


# --- roles. There is no parser: a participant takes a role only from a position tied to the trigger
# (the subject right before a verb, its object right after, a possessor or marker next to a noun).
# A name anywhere else in the sentence takes no role: a doubtful role is dropped, not guessed.

class _Roles:
    """Role finding for one trigger occurrence."""

    def __init__(self, sent: _Sentence, data, linked: Linked, trig: _Trigger, speaker: str | None, antecedent):
        self.s, self.d, self.linked, self.trig, self.spk = sent, data, linked, trig, speaker
        self.antecedent = antecedent

    # which mentions may take a role
    def ok(self, m: Mention) -> bool:
        if m.type not in ROLE_TYPES or m.entity == self.spk:
            return False
        if self.trig.countries_are_places and m.type == "Country":
            return False  # "Turkey protests": where the protests are
        ti = self.s.tok_of[id(m)]
        if m.type != "Person" and self.in_title(m) and self.head(m) is m:
            return False  # "menahan Sekretaris Jenderal Kementerian Energi": the officer, not the ministry
        return not _after_place_marker(self.s, ti, self.d) and not _demonym_only(m, self.s, ti, self.d, self.linked)

    def head(self, m: Mention) -> Mention:
        """A party or country right before a person names the person's side: "PDIP Hasto", "(PM) Singapura Lee
        Kuan Yew"; one inside a title names the office: "Sekretaris Jenderal Kementerian Energi, Waryono Karno"."""
        s = self.s
        nxt = s.next_mention(m)
        if m.type == "Person" or nxt is None or nxt.type != "Person":
            return m
        gap = s.words[s.end_of[id(m)]:s.tok_of[id(nxt)]]
        if not gap or (gap == [","] and self.in_title(m)):
            return nxt
        return m

    def in_title(self, m: Mention) -> bool:
        """A name inside an unlinked title: "Ketua Umum PPP", "Sekretaris Jenderal Kementerian Energi"."""
        s, i = self.s, self.s.tok_of[id(m)] - 1
        while i >= 0 and s.cover[i] is None and s.tokens[i].text[:1].isupper() and s.tokens[i].text.isalpha():
            if s.words[i] in self.d["titles"]:
                return True
            i -= 1
        return False

    def _title(self, t: int) -> bool:
        """Token t may belong to a title or office before a name ("Presiden", "Jaksa Agung"): a linked
        office, or a capitalised word inside the sentence (a title word anywhere)."""
        s = self.s
        text = s.tokens[t].text
        if s.cover[t] is not None and s.cover[t].type != "Position":
            return False
        return (s.in_name[t] and (s.cover[t] is None or s.cover[t].type == "Position")) or \
            (text[:1].isupper() and text.isalpha() and (t > 0 or s.words[t] in self.d["titles"]))

    def _join(self, a: Mention, b: Mention, extra=frozenset()) -> int:
        """How two names are listed: 2 with a list word between ("dan", "-"), 1 with only a comma (and
        titles: "Putin, Presiden Prancis Emmanuel Macron"), 0 when other words stand between or nothing does."""
        s, d = self.s, self.d
        gap = range(s.end_of[id(a)], s.tok_of[id(b)])
        if not gap or not all(s.words[t] in d["joiners"] or s.words[t] in extra or s.words[t] in d["determiners"]
                              or (s.in_name[t] and (s.cover[t] is None or s.cover[t].type == "Position"))
                              or (s.words[t] in d["titles"] and s.tokens[t].text[:1].isupper()) for t in gap):
            return 0
        if any((s.words[t] in d["joiners"] or s.words[t] in extra) and s.words[t] != "," for t in gap):
            return 2
        return 1 if "," in (s.words[t] for t in gap) else 0

    def group_fwd(self, m: Mention, extra=frozenset()) -> list[Mention]:
        """The names listed from m on: "Putin, Macron, dan Blinken"; commas alone ("PDIP, Taufiq Kiemas,")
        are an apposition, not a list."""
        out, kinds = [m], []
        while (nxt := self.s.next_mention(out[-1])) is not None and (kind := self._join(out[-1], nxt, extra)):
            out.append(nxt)
            kinds.append(kind)
        return out if 2 in kinds else out[:1]

    def group_back(self, m: Mention) -> list[Mention]:
        out, kinds = [m], []
        while (prv := self.s.prev_mention(out[0])) is not None and (kind := self._join(prv, out[0])):
            out.insert(0, prv)
            kinds.append(kind)
        return out if 2 in kinds else out[-1:]

    def skip_fwd(self, i: int) -> int:
        """Past determiners and titles ("pihak", "the", "Presiden Rusia")."""
        s = self.s
        while i < len(s.words) and (s.words[i] in self.d["determiners"] or self._title(i)):
            i += 1
        return i

    def names_at(self, i: int, extra=frozenset()) -> list[Mention]:
        """The participants listed from token i on (after determiners and titles)."""
        i = self.skip_fwd(i)
        m = self.s.cover[i] if i < len(self.s.words) else None
        if m is None or self.s.tok_of[id(m)] != i:
            return []
        return [x for x in self.group_fwd(self.head(m), extra) if self.ok(x)]

    def governed(self, first: int) -> bool:
        """A name right after "dengan", "kepada", "di", "to" is an object or a place, never the subject."""
        s, i = self.s, first - 1
        while i >= 0 and (s.words[i] in self.d["determiners"] or self._title(i)):
            i -= 1
        return i >= 0 and (_phrase_ending(s.words, i, self.d["object"]) is not None or
                           _phrase_ending(s.words, i, self.d["place"]) is not None)

    # subject of a verb
    def subject(self, j: int, depth: int = 0) -> list[Mention]:
        """Who does the verb at token j: the participants right before it with only bridge words (adverbs,
        auxiliaries), dates or a parenthesis between. Also: the subject of the verb before for coordinated
        verbs ("meminta ... dan mengajukan banding"), the referent of a pronoun, and the subject of the main
        clause for a fronted phrase ("Saat memberikan bantuan, Jokowi ..."). Nothing else: "X said the ..."
        gives the noun or verb after it no subject."""
        s, d = self.s, self.d
        i = j - 1
        while i >= 0:
            w, m = s.words[i], s.cover[i]
            if m is not None:
                if not self.ok(m) and m.type != "Position":
                    return []
                if m.type == "Position":  # an office with no named holder: someone we do not know
                    return []
                grp = self.group_back(m)
                if self.governed(s.tok_of[id(grp[0])]):
                    return []
                if i + 1 < len(s.words) and s.words[i + 1] in POSSESSIVE:
                    return []  # "Cameron's defeat could ...": a possessor
                return [x for x in grp if self.ok(x)]
            if s.in_name[i]:
                return []
            if s.in_date[i] or w in d["bridge"]:
                i -= 1
                continue
            if w == ",":
                c = max((t for t in range(max(0, i - 6), i) if s.words[t] == ","), default=None)
                if c is not None and _phrase_at(s.words, c + 1, tuple(d["after_verb"])) is not None:
                    i = c - 1  # "Kader-kader Partai Demokrat, kata dia, mendukung ...": skip the speech tag
                    continue
            if w == "," and (i == j - 1 or s.words[i + 1] in d["relativizers"]):
                i -= 1
                continue
            pron = _phrase_ending(s.words, i, d["anaphora_phrases"])
            if pron is not None:
                ref = self.antecedent(" ".join(pron))
                return [_Ref(ref)] if ref is not None and ref != self.spk else []
            if w in d["coordinators"] and depth == 0:
                prev = [subj for t, subj in s.subjects if t < i]
                return list(prev[-1]) if prev else []
            if i == 0 and w in d["fronted"]:
                return self.fronted(j)
            return []
        return []

    def governing(self, grp: list) -> "tuple[_Trigger, int] | tuple[None, int]":
        """The trigger verb whose object a subject is: "meminta Rusia menarik pasukan", "menuduh Armenia
        melakukan serangan" (the act after it is asked for or alleged, not reported as done)."""
        s = self.s
        if not grp or isinstance(grp[0], _Ref):
            return None, -1
        v = s.tok_of[id(grp[0])] - 1
        while v >= 0 and (s.words[v] in self.d["determiners"] or self._title(v)):
            v -= 1
        for x in range(self.d["max_trigger"]):
            t = self.d["triggers"].get(tuple(s.words[v - x:v + 1])) if v - x >= 0 else None
            if t is not None and t.verb:
                return t, v - x
        return None, -1

    def fronted(self, j: int) -> list[Mention]:
        """"Saat memberikan bantuan, Jokowi ...": the subject after the fronted phrase's comma."""
        s = self.s
        c = next((t for t in range(j, len(s.words)) if s.words[t] == ","), None)
        if c is None:
            return []
        grp = self.names_at(c + 1)
        return grp[:1]

    def passive(self, k: int, n: int) -> bool:
        w, d = self.s.words[k], self.d
        if not self.trig.verb or w in d["not_passive"]:
            return False
        if d["passive_prefix"] and w.startswith(d["passive_prefix"]) and len(w) > len(d["passive_prefix"]) + 2:
            return True
        return bool(d["passive_aux"]) and k > 0 and w.endswith(d["passive_suffix"] or "ed") and \
            any(x in d["passive_aux"] for x in self.s.words[max(0, k - 2):k])

    def agents(self, k: int, n: int) -> list[Mention]:
        """"... oleh unit-unit tentara Armenia", "attacked by X": the doer, unless another trigger or
        passive verb comes first ("didampingi oleh X": X accompanies, it does not take part)."""
        s, d = self.s, self.d
        start = k + n
        while start < len(s.words) and s.words[start] in d["modifiers"]:
            start += 1
        for i in range(k + n, len(s.words)):
            if s.words[i] in ".!?;":
                return []
            if self.trig.near_agent and i > start and _phrase_at(s.words, start, d["agent"]) is None:
                return []  # "tuduhan penculikan ... oleh seorang pangeran": the prince kidnaps, he does not accuse
            if not s.in_name[i] and any(d["triggers"].get(tuple(s.words[i:i + m]))
                                        for m in range(1, d["max_trigger"] + 1)):
                return []
            w = s.words[i]
            if w not in d["passive_light"] and w not in d["not_passive"] and w.isalpha() and not s.in_name[i] and (
                    (d["passive_prefix"] and w.startswith(d["passive_prefix"]) and len(w) > len(d["passive_prefix"]) + 2)
                    or (d["passive_aux"] and w.endswith("ed") and len(w) > 4)):
                return []
            if _phrase_at(s.words, i, d["agent"]) is not None:
                hi = _clause(s, i, 1, d)[1]
                return [m for m in s.mentions if i < s.tok_of[id(m)] < hi and self.ok(m)]
        return []

    def marker_list(self, i: int, hi: int) -> list[Mention]:
        """Every participant from a marker right after a verb to the end of its phrase ("mengajukan banding ke
        blok ... Rusia, CSTO, serta Dewan Keamanan PBB")."""
        s, d = self.s, self.d
        out = []
        for t in range(i, hi):
            w = s.words[t]
            if not s.in_name[t] and (w in d["stops"] or (_phrase_at(s.words, t, d["place"]) and
                                                         not _phrase_at(s.words, t, d["target"]))):
                break
            if not s.in_name[t] and t > i and any(d["triggers"].get(tuple(s.words[t:t + m]))
                                                  for m in range(1, d["max_trigger"] + 1)):
                break
            m = s.cover[t]
            if m is not None and s.tok_of[id(m)] == t and self.ok(self.head(m)) and self.head(m) not in out:
                out.append(self.head(m))
        return out

    def objects(self, j: int, hi: int) -> list[Mention]:
        """The verb's object right after it: "meminta Presiden Jokowi", "backed Georgia's bid", "meminta
        perjanjian kerjasama dengan Rusia". At most one other word may come first ("mendukung pencalonan X");
        a name deeper in the object ("meminta proses pembangunan LRT") is no target."""
        s, d = self.s, self.d
        p = _phrase_at(s.words, j, d["target"])
        if p is not None:  # "banding ke ...": the whole list; "threatened to block X": an infinitive, not a target
            return self.names_at(j + len(p)) if p[-1] in d["control"] else self.marker_list(j + len(p), hi)
        i, others = j, 0
        while i < hi:
            w, m = s.words[i], s.cover[i]
            if m is not None and s.tok_of[id(m)] == i and m.type != "Position":
                return [x for x in self.group_fwd(self.head(m)) if self.ok(x)] if self.ok(self.head(m)) else []
            if w in d["trigger_words"] and not s.in_name[i]:
                if not self.trig.object_through_nouns:
                    return []  # "menandatangani dukungan ke X": X belongs to the other act
                i += 1
                continue
            if self._title(i) or s.in_name[i] or w in d["determiners"]:
                i += 1
                continue
            p = _phrase_at(s.words, i, d["target"])
            if p is not None:
                got = self.names_at(i + len(p))
                if got:
                    return got
                return []
            if w in d["stops"] or not w.isalpha() or others >= 1 or _phrase_at(s.words, i, d["place"]):
                return []
            others += 1
            i += 1
        return []

    def control(self, k: int) -> tuple[list[Mention], list[Mention]] | None:
        """"Pashinyan meminta Putin, Macron, dan Blinken untuk membahas ...": (requester, addressees) when the
        trigger follows "untuk"/"to" after the object of a request; None otherwise."""
        s, d = self.s, self.d
        i = k - 1
        while i >= 0 and s.words[i] in d["bridge"]:
            i -= 1
        if i < 1 or s.words[i] not in d["control"]:
            return None
        m = s.cover[i - 1]
        if m is None or not self.ok(m):
            return None
        grp = [x for x in self.group_back(m) if self.ok(x)]
        v = s.tok_of[id(grp[0])] - 1
        while v >= 0 and (s.words[v] in d["determiners"] or self._title(v)):
            v -= 1
        req = None
        for x in range(self.d["max_trigger"]):
            phrase = tuple(s.words[v - x:v + 1]) if v - x >= 0 else ()
            t = self.d["triggers"].get(phrase)
            if t is not None and t.plover == "REQUEST":
                req = phrase
                break
        if req is None:
            return None
        return self.subject(v - len(req) + 1), grp

    def before_noun(self, k: int) -> int:
        """The token before a noun and the modifiers and determiners in front of it."""
        s, i = self.s, k - 1
        while i >= 0 and (s.words[i] in self.d["modifiers"] or s.words[i] in self.d["determiners"]):
            i -= 1
        return i

    def noun(self, k: int, n: int, hi: int) -> tuple[list, list]:
        """Roles tied to a noun trigger: its possessor ("serangan Israel", "Russia's attack", "pertemuan
        Mega-JK"), "antara X dan Y", "dari/oleh/by X" (the doer), a marker and a name right after it
        ("terhadap X", "on X"), and the subject of a light verb before it ("X melakukan serangan",
        "X launched an attack"); the subject of a receiving verb is the target ("X mendapat dukungan dari Y")."""
        s, d = self.s, self.d
        actors, targets = [], []
        j = k + n
        while j < len(s.words) and s.words[j] in d["modifiers"]:
            j += 1
        if d["possessor"] == "after":
            got = self.names_at(j)
            if got:
                actors += got
                j = s.end_of[id(got[-1])]
        for _ in range(2):  # "serangan Israel terhadap Gaza", "kerja sama dari X dengan Y"
            p = _phrase_at(s.words, j, d["between"])
            if p is not None:
                got = self.names_at(j + len(p), extra=frozenset({"dengan", "with"}))
                actors += got
                j = s.end_of[id(got[-1])] if got else j
                continue
            p = _phrase_at(s.words, j, d["noun_agent"])
            if p is not None and not actors:
                got = self.names_at(j + len(p))
                actors += got
                j = s.end_of[id(got[-1])] if got else j
                if got:
                    continue
            p = _phrase_at(s.words, j, d["noun_target"])
            if p is not None:
                got = self.names_at(j + len(p))
                targets += got
                j = s.end_of[id(got[-1])] if got else j
            break
        if d["possessor"] == "before" and not actors:
            i = k - 1
            while i >= 0 and s.words[i] in d["modifiers"]:
                i -= 1
            if i >= 0 and s.words[i] in POSSESSIVE:
                i -= 1
            m = s.cover[i] if i >= 0 else None
            if m is not None and (self.ok(m) or (m.type == "Country" and not self.trig.countries_are_places)):
                actors += [x for x in self.group_back(m) if x is m or self.ok(x)]
        i = self.before_noun(k)
        if not actors and i >= 0:
            p = _phrase_ending(s.words, i, d["light"])
            if p is not None:
                actors += self.subject(i - len(p) + 1)
        if i >= 0:
            p = _phrase_ending(s.words, i, d["receiving"])
            if p is not None:
                targets += [m for m in self.subject(i - len(p) + 1) if m not in actors]
        if not actors:  # "Penyerahan bantuan ... dilakukan Jokowi"
            for t in range(j, hi):
                if s.words[t] in d["passive_light"]:
                    actors += self.names_at(t + 1)
                    break
        if not actors and self.trig.category in d["fronted_nouns"] and s.words and s.words[0] in d["fronted"] \
                and "," not in s.words[:k]:
            actors += self.fronted(k)
        return actors, targets


def _build_event(trig: _Trigger, sent: _Sentence, k: int, n: int, data, linked: Linked, speaker, when, source,
                 tspan, text, antecedent=lambda p: None) -> Event | None:
    """The event of one trigger with the roles `_Roles` finds, or None when it has none, when it is only
    asked for or alleged (a REQUEST or ACCUSE verb governs it), or when a clash or meeting lacks two sides."""
    if trig.needs_speech and speaker is None:
        return None
    lo, hi = _clause(sent, k, n, data)
    spk = speaker.entity if speaker is not None else None
    r = _Roles(sent, data, linked, trig, spk, antecedent)
    actors: list = []
    targets: list = []
    agents = r.agents(k, n)
    subject = r.subject(k) if trig.verb else []
    if trig.verb and subject:
        sent.subjects.append((k, subject))
    if trig.verb and (subject or not trig.noun):
        ctl = None if subject else r.control(k)
        if ctl is not None:
            if trig.plover != "CONSULT":
                return None  # "meminta X untuk menyerang": a requested act, not one that happened
            actors, targets = ctl
        elif not subject and any(w in data["control"] for w in sent.words[max(0, k - 2):k]):
            return None  # "untuk mendukung ...": a purpose, not an act
        elif r.passive(k, n):  # "Iran dituduh Amerika Serikat", "X was attacked by Y"
            actors = agents or (r.objects(k + n, hi) if data["passive_prefix"] else [])
            targets = subject
        else:
            actors = subject  # an "oleh" further on belongs to a passive verb after this one
            targets = r.objects(k + n, hi)
            gov, at = r.governing(subject)
            if gov is not None and gov.plover in ("REQUEST", "ACCUSE"):
                if trig.plover != "CONSULT" or gov.plover != "REQUEST":
                    return None  # "meminta Rusia menarik pasukan": asked for; "menuduh X menyerang": alleged
                actors, targets = r.subject(at), subject + targets
    else:
        actors, targets = r.noun(k, n, hi)
        gov, _ = r.governing(actors)
        if gov is not None and gov.plover in ("REQUEST", "ACCUSE"):
            return None  # "menuduh Armenia melakukan serangan": the attack is alleged
        if agents:
            actors, targets = agents, targets + [m for m in actors if m not in agents]
    ents = lambda ms: [m.entity for m in ms]  # noqa: E731
    actors, targets = ents(actors), ents(targets)
    if trig.symmetric:
        sides = actors + targets
        if len(set(sides)) < 2:
            sides += ents(_pair(r, sent, lo, hi, data))
        if len(set(sides)) < 2:
            return None  # a clash or a war takes two sides
        actors, targets = sides, []
    if trig.speaker_accuses and spk is not None:
        accused = actors + targets
        actors = [spk]
        info = linked.entities.get(spk)
        if info is not None and info.type == "GovernmentOrganization" and info.country:
            actors.append(info.country)
        targets = accused
    uniq = lambda xs: tuple(dict.fromkeys(xs))  # noqa: E731
    actors, targets = uniq(actors), tuple(t for t in uniq(targets) if t not in actors)
    if not actors and not targets:
        return None
    if trig.plover == "CONSULT" and len(actors) + len(targets) < 2:
        return None  # a consultation takes two: "the Council will meet" is no CONSULT between actors
    place = _place(sent, lo, hi, data, linked, trig, set(actors) | set(targets))
    conf = 0.6 + (0.15 if actors and targets else 0.0) + (0.1 if speaker is not None else 0.0)
    return Event(trig.plover, trig.cameo, text[tspan[0]:tspan[1]], tspan, sent.span, actors, targets, place,
                 when, spk, source, round(min(conf, 0.9), 3))


def _pair(r: _Roles, sent: _Sentence, lo: int, hi: int, data) -> list[Mention]:
    """Two sides named together in the clause: "bentrokan di perbatasan Azerbaijan dan Armenia"; a pair
    right after a place marker is where it happened ("fighting in Syria and Iraq") unless a border word
    ("perbatasan") says they are the sides."""
    for m in sent.mentions:
        ti = sent.tok_of[id(m)]
        if not lo <= ti < hi or m.type not in ROLE_TYPES:
            continue
        grp = [x for x in r.group_fwd(m) if x.type in ROLE_TYPES]
        if len(grp) < 2:
            continue
        border = any(w in data["border"] for w in sent.words[max(lo, ti - 4):ti])
        if all(r.ok(x) or (border and x.type == "Country") for x in grp):
            return grp
    return []


def _place(sent: _Sentence, lo: int, hi: int, data, linked: Linked, trig: _Trigger, roles: set) -> str | None:
    """Where: a place named after "di"/"in" in the clause first, else a known (linked) city or region
    in it; an unknown (NIL) name only after such a marker."""
    found = []
    for m in sent.mentions:
        ti = sent.tok_of[id(m)]
        if not lo <= ti < hi or m.entity in roles:
            continue
        marked = _after_place_marker(sent, ti, data)
        placey = m.type in PLACE_TYPES or (m.type == "Country" and (trig.countries_are_places or marked))
        info = linked.entities.get(m.entity)
        if placey and (marked or (info is not None and not info.nil)):
            found.append((not marked, m.start, m.entity))
    return min(found)[2] if found else None
