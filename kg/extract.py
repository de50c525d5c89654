"""Extract stage: facts with a Wikidata property, each tied to the mentions that support it.

- position held (P39): a person named with an office ("Presiden Rusia Vladimir Putin");
- country (P17): a government body named with its country ("Kementerian Pertahanan Azerbaijan"),
  whose country the knowledge base records for the generated body.
Nothing is concluded from mentions inside related-article headlines.
"""
from __future__ import annotations

from dataclasses import dataclass

from kg.link import Linked, Mention


@dataclass(frozen=True)
class Fact:
    subject: str
    prop: str  # Wikidata property id, e.g. "P39"
    object: str
    evidence: tuple[Mention, ...]
    confidence: float
    method: str


def extract_facts(linked: Linked) -> list[Fact]:
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
    return sorted(facts.values(), key=lambda f: (f.evidence[0].start, f.prop))
