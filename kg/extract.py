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
from dataclasses import dataclass
from functools import lru_cache

import yaml

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
        d = yaml.safe_load(fh)
    rels = []
    for r in d.get("relations", []):
        rels.append({"property": r["property"], "subject": set(r["subject"]), "object": set(r["object"]),
                     "between": [re.compile(p, re.I) for p in r.get("between", [])],
                     "reverse": [re.compile(p, re.I) for p in r.get("reverse_between", [])]})
    anaphora = [re.compile(rf"\s*{re.escape(a)}\b", re.I) for a in d.get("anaphora", [])]
    return {"relations": rels, "anaphora": anaphora}


def extract_relations(doc, lang: str, linked: Linked, boilerplate: list[Span]) -> list[Fact]:
    """Facts stated by a pattern between two names in one sentence ("X diakui ... sebagai bagian dari Y")."""
    data = relation_data(lang)
    text = doc.text
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
SPEAKER_TYPES = {"Country", "Person", "Organization", "InternationalOrganization", "GovernmentOrganization"}
QUOTES = re.compile(r"[\"“”]([^\"“”]{3,})[\"“”]")


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


@lru_cache(maxsize=None)
def event_data(lang: str) -> dict:
    with open(resources.lang_dir(lang) / "events.yaml", encoding="utf-8") as fh:
        d = yaml.safe_load(fh)
    triggers: dict[tuple[str, ...], _Trigger] = {}
    for cat, spec in d["events"].items():
        plover = spec.get("plover", cat)
        for phrase in spec["triggers"]:
            words = tuple(phrase.lower().split())
            triggers.setdefault(words, _Trigger(
                words, cat, plover, spec.get("cameo"), bool(spec.get("symmetric")), bool(spec.get("needs_speech")),
                frozenset(w.lower() for w in spec.get("not_after", [])),
                tuple(tuple(p.lower().split()) for p in spec.get("not_before", [])),
                tuple(p.lower() for p in spec.get("context_veto", [])),
                bool(spec.get("countries_are_places"))))
    roles = d.get("roles", {})
    phrases = lambda key: tuple(sorted((tuple(p.lower().split()) for p in roles.get(key, [])), key=len, reverse=True))  # noqa: E731
    speech = d.get("speech", {})
    return {
        "triggers": triggers,
        "max_trigger": max(len(w) for w in triggers),
        "speech_verbs": tuple(sorted((tuple(v.lower().split()) for v in speech.get("verbs", [])), key=len, reverse=True)),
        "after_verb": {tuple(v.lower().split()) for v in speech.get("after_verb", [])},
        "scope_breaks": {w.lower() for w in speech.get("scope_breaks", [])},
        "agent": phrases("agent_markers"),
        "target": phrases("target_markers"),
        "place": phrases("place_markers"),
        "continue": phrases("list_continuations"),
        "object": phrases("object_markers"),
        "anaphora": {a.lower() for a in d.get("anaphora", [])},
        "negation": {w.lower() for w in d.get("negation", [])},
        "modality": {w.lower() for w in d.get("modality", [])},
        "demonym_heads": {w.lower() for w in roles.get("demonym_heads", [])},
    }


def _match_at(words: list[str], i: int, phrase: tuple[str, ...]) -> bool:
    return tuple(words[i:i + len(phrase)]) == phrase


class _Sentence:
    """The tokens of one sentence with the participant mentions that start at each token."""

    def __init__(self, tokens: list, span: tuple[int, int], mentions: list[Mention], names: list[Mention]):
        self.span = span
        self.names = [(m.start, m.end) for m in names]  # every linked name in the sentence
        self.tokens = tokens  # the sentence's tokens, spaces left out
        self.words = [t.text.lower() for t in self.tokens]
        self.mentions = mentions  # sorted by start
        self.tok_of: dict[int, int] = {}
        for m in mentions:
            for k, t in enumerate(self.tokens):
                if t.idx >= m.start:
                    self.tok_of[id(m)] = k
                    break
        self.name_starts = {self.token_index(b) for b, _ in self.names}

    def token_index(self, char: int) -> int:
        for k, t in enumerate(self.tokens):
            if t.idx >= char:
                return k
        return len(self.tokens)


def _participants(linked: Linked, boilerplate: list[Span], holders: dict) -> list[Mention]:
    """Mentions that can take part in an event: outermost, outside boilerplate, not a source or title."""
    spans = [(m.start, m.end) for m in linked.mentions]
    out = []
    for m in linked.mentions:
        if m.in_boilerplate or any(s.kind != "related-headline" and s.start <= m.start and m.end <= s.end
                                   for s in boilerplate):
            continue
        if any(b <= m.start and m.end <= e and (b, e) != (m.start, m.end) for b, e in spans):
            continue  # nested: "Armenia" in "Perdana Menteri Armenia"
        if m.type == "Position" and (m.start, m.end) in holders:
            continue  # the title of a named person: the person takes part
        if m.type in PARTICIPANT_TYPES or m.type in PLACE_TYPES or m.type == "Position":
            out.append(m)
    return sorted(out, key=lambda m: m.start)


def extract_events(doc, lang: str, linked: Linked, boilerplate: list[Span], published) -> list[Event]:
    from kg.dates import find_dates

    data = event_data(lang)
    text = doc.text
    holders = {(h.office_mention.start, h.office_mention.end): h for h in linked.holdings}
    parts = _participants(linked, boilerplate, holders)
    headlines = [(s.start, s.end) for s in boilerplate if s.kind == "related-headline"]
    credits = [s for s in boilerplate if s.kind == "source-credit"]
    quotes = _attributed_quotes(text, parts, data)
    dates = find_dates(text, lang, published)
    sents = list(doc.sents)
    sentences = [(s.start_char, s.end_char) for s in sents]
    sent_tokens = [[t for t in s if not t.is_space] for s in sents]
    events: list[Event] = []
    seen: set = set()
    last_speaker: list[tuple[int, str]] = []  # (sentence index, speaker)
    for si, (sb, se) in enumerate(sentences):
        if any(hb <= sb and se <= he for hb, he in headlines):
            continue
        ms = [m for m in parts if sb <= m.start < se and not any(hb <= m.start < he for hb, he in headlines)]
        names = [m for m in linked.mentions if sb <= m.start < se]
        sent = _Sentence(sent_tokens[si], (sb, se), ms, names)
        speaker, verb_at, speaker_after = _speaker(sent, data, quotes, last_speaker, si)
        if speaker is not None:
            last_speaker.append((si, speaker.entity))
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
        k = 0
        prev_end = -1
        while k < len(sent.words):
            trig = None
            for n in range(min(data["max_trigger"], len(sent.words) - k), 0, -1):
                trig = data["triggers"].get(tuple(sent.words[k:k + n]))
                if trig:
                    break
            if trig is None:
                k += 1
                continue
            t0, t1 = sent.tokens[k].idx, sent.tokens[k + n - 1].idx + len(sent.tokens[k + n - 1].text)
            ev = None
            inside_name = any(b <= t0 and t1 <= e for b, e in sent.names)
            chained = k == prev_end  # "meminta perjanjian kerjasama": the object of the first trigger
            if not inside_name:
                prev_end = k + n
            if inside_name or chained:
                k += n
                continue
            negated = any(w in data["negation"] for w in sent.words[max(0, k - 3):k]) or \
                any(w in data["modality"] for w in sent.words[max(0, k - 4):k])
            question = text[sb:se].rstrip().endswith("?")
            if not negated and not question and not any(hb <= t0 < he for hb, he in headlines) and \
                    not _vetoed(trig, sent, k, n, text):
                in_speech = speaker is not None and (verb_at is None or (k < verb_at if speaker_after else k > verb_at))
                lo_, hi_ = (k, verb_at) if speaker_after and verb_at is not None else (verb_at or 0, k)
                if in_speech and any(w in data["scope_breaks"] for w in sent.words[lo_:hi_]):
                    in_speech = False  # "X mengatakan ..., sementara Y meminta ...": Y's act is not X's claim
                ev = _build_event(trig, sent, k, n, data, linked, speaker if in_speech else None,
                                  when, source, (t0, t1), text)
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
            k += n
    return events


def _has_trigger(tokens: list, data) -> bool:
    words = [t.text.lower() for t in tokens]
    return any(data["triggers"].get(tuple(words[i:i + n])) for i in range(len(words))
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


def _speaker(sent: _Sentence, data, quotes, last_speaker, si):
    """(speaker mention or None, token index of the speech verb, speaker after the verb?)."""
    sb, se = sent.span
    for qb, qe, who in quotes:
        if qb <= sb < qe or sb <= qb < se:
            return who, sent.token_index(qe), True
    for k in range(len(sent.words)):
        for verb in data["speech_verbs"]:
            if not _match_at(sent.words, k, verb):
                continue
            end = k + len(verb)
            if verb in data["after_verb"]:
                who = next((m for m in sent.mentions if m.type in SPEAKER_TYPES and
                            end <= sent.tok_of.get(id(m), -1) <= end + 1), None)
                if who is not None:
                    return who, k, True
            before = [m for m in sent.mentions if m.type in SPEAKER_TYPES and
                      0 <= k - sent.tok_of.get(id(m), 99) <= 6 and m.end <= sent.tokens[k].idx]
            if before:
                return before[-1], k, False
            if k > 0 and sent.words[k - 1] in data["anaphora"] or k > 1 and sent.words[k - 2] in data["anaphora"]:
                recent = [ent for i, ent in last_speaker if si - 2 <= i < si]
                if recent and len(set(recent[-1:])) == 1:
                    ref = recent[-1]
                    return _Ref(ref), k, False
    return None, None, False


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


def _subject(sent: _Sentence, before: list[tuple[int, str]], data) -> tuple[list[str], list[str]]:
    """Who acts: the last group of names before the trigger ("Azerbaijan dan Armenia" is one group)
    that is not the object of a preposition ("dengan Rusia", "to Britain"); the other names before
    the trigger are objects of an earlier verb."""
    if not before:
        return [], []
    groups: list[list[tuple[int, str]]] = [[before[0]]]
    for ti, ent in before[1:]:
        last = groups[-1][-1][0]
        linked_by = all(any(_match_at(sent.words, j, p) for p in data["continue"]) or not w.isalpha()
                        for j, w in enumerate(sent.words[last + 1:ti], last + 1) if w != ",")
        if linked_by and _no_verb_between(sent, last, ti):
            groups[-1].append((ti, ent))
        else:
            groups.append([(ti, ent)])

    def governed(group) -> bool:  # right after "dengan", "kepada", "with", "to" ...
        ti = group[0][0]
        return any(ti - len(p) >= 0 and _match_at(sent.words, ti - len(p), p) for p in data["object"])

    free = [g for g in groups if not governed(g)]
    chosen = free[0] if free else groups[0]
    subject = [e for _, e in chosen]
    rest = [e for g in groups if g is not chosen for _, e in g]
    return subject, rest


def _no_verb_between(sent: _Sentence, a: int, b: int) -> bool:
    """Nothing but the names' own words, commas and list words between two names."""
    span_end = max((e for s, e in sent.names if sent.token_index(s) == a), default=None)
    first = sent.token_index(span_end) if span_end is not None else a + 1
    return all(w in (",", "dan", "serta", "and", "&") for w in sent.words[first:b])


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
    nxt = sent.words[ti + 1] if ti + 1 < len(sent.words) else ""
    return nxt not in data["demonym_heads"]


def _after_place_marker(sent: _Sentence, ti: int, data) -> bool:
    """A name shortly after "di"/"in" ("in the Israeli city of ...", "di kota Paris") is a place."""
    for gap in range(0, 3):
        for p in data["place"]:
            at = ti - gap - len(p)
            if at >= 0 and _match_at(sent.words, at, p) and \
                    all(w.isalpha() and not w[:1].isupper() for w in (t.text for t in sent.tokens[at + len(p):ti])):
                return True
    return False


def _build_event(trig: _Trigger, sent: _Sentence, k: int, n: int, data, linked: Linked, speaker, when, source,
                 tspan, text) -> Event | None:
    if trig.needs_speech and speaker is None:
        return None
    lo, hi = _clause(sent, k, n, data)
    spk = speaker.entity if speaker is not None else None
    before, after, agents, place = [], [], [], None
    agent_from = agent_to = None
    for i in range(k + n, len(sent.words)):
        if any(_match_at(sent.words, i, p) for p in data["agent"]):
            # the marker belongs to this trigger only if no other trigger stands between them
            if not any(data["triggers"].get(tuple(sent.words[j:j + m])) for j in range(k + n, i)
                       for m in range(1, data["max_trigger"] + 1)):
                agent_from = i
                agent_to = _clause(sent, i, 1, data)[1]
            break
    for m in sent.mentions:
        ti = sent.tok_of.get(id(m))
        in_agent = agent_from is not None and agent_from < ti < agent_to
        if ti is None or not (lo <= ti < hi or in_agent) or m.entity == spk:
            continue
        if m.type in PLACE_TYPES - {"Territory"} or _after_place_marker(sent, ti, data) or \
                (trig.countries_are_places and m.type == "Country"):
            place = place or m.entity
            continue
        if m.type == "Territory":
            place = place or m.entity
            continue
        if m.type == "Position" or _demonym_only(m, sent, ti, data, linked):
            continue
        if in_agent:
            agents.append(m.entity)
        elif ti < k:
            before.append((ti, m.entity))
        elif ti >= k + n and (agent_from is None or ti < agent_from):
            after.append(m.entity)
    subject, objects = _subject(sent, before, data)
    uniq = lambda xs: tuple(dict.fromkeys(xs))  # noqa: E731
    if trig.plover == "ACCUSE" and spk is not None:
        actors = [spk]
        info = linked.entities.get(spk)
        if info is not None and info.type == "GovernmentOrganization" and info.country:
            actors.append(info.country)
        targets = subject + objects + agents + after
    elif agents:  # passive: "di bawah penembakan ... oleh tentara Armenia"
        actors, targets = agents, subject + after
    elif trig.symmetric and not subject:
        actors, targets = after, []
    elif trig.symmetric:
        actors, targets = subject + after, []
    elif trig.plover == "CONSULT":  # "X meminta A, B, dan C untuk membahas": all of them talk
        actors, targets = subject or after[:1], objects + (after if subject else after[1:])
    else:
        actors, targets = subject, after
    actors, targets = uniq(actors), tuple(t for t in uniq(targets) if t not in actors)
    if not actors and not targets:
        return None
    if trig.plover == "CONSULT" and len(actors) + len(targets) < 2:
        return None  # a consultation takes two: "the Council will meet" is no CONSULT between actors
    conf = 0.6 + (0.15 if actors and targets else 0.0) + (0.1 if speaker is not None else 0.0)
    return Event(trig.plover, trig.cameo, text[tspan[0]:tspan[1]], tspan, sent.span, actors, targets, place,
                 when, spk, source, round(min(conf, 0.9), 3))
