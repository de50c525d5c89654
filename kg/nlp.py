"""NLP stage: spaCy tokenizer per language, sentences, and the knowledge-base gazetteer.

The gazetteer is a spaCy component (``kg_gazetteer``) that proposes every span whose text is an
alias in the knowledge base, with its candidates. It looks spans up in the KB's alias table
instead of compiling a PhraseMatcher: a PhraseMatcher over a few hundred thousand aliases would
cost seconds of start-up, a dictionary probe per token costs microseconds.

Indonesian uses spaCy's Indonesian rules without its 16,000 hyphenated tokenizer exceptions
(building those takes ~2 s at every start); a ``token_match`` pattern from
``kg/lang/id/read.yaml`` keeps reduplications ("unit-unit") and decades ("1980-an") whole instead.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.read import common_words, lang_data, names_data

GAZETTEER_KEY = "kg_candidates"
TOKENS_KEY = "kg_tokens"  # (Token objects, text): see doc_tokens


@dataclass(frozen=True, slots=True)
class Match:
    start: int  # character offsets
    end: int
    text: str
    candidates: tuple  # kg.kb.Candidate, best first
    tokens: tuple[int, int]  # token offsets [start, end)


def _language_class(lang: str) -> type[Language]:
    base = spacy.util.get_lang_class(lang)
    pattern = lang_data(lang)["token_match"]
    if lang != "id" and not pattern:
        return base
    from spacy.lang.tokenizer_exceptions import BASE_EXCEPTIONS

    class Defaults(base.Defaults):
        tokenizer_exceptions = BASE_EXCEPTIONS if lang == "id" else base.Defaults.tokenizer_exceptions
        token_match = re.compile(pattern).match if pattern else None

    return type(f"Kg{base.__name__}", (base,), {"Defaults": Defaults, "lang": lang})


def _has_ner_model(lang: str) -> bool:
    from pathlib import Path
    return (Path(__file__).resolve().parent / "models" / f"{lang}_ner" / "config.cfg").is_file()


@lru_cache(maxsize=None)
def make_nlp(lang: str, gazetteer: bool = True, ner: bool = True) -> Language:
    """The pipeline for ``lang``: tokenizer, sentencizer, the statistical NER where a model ships
    (``kg/models/<lang>_ner``; Indonesian), and the KB gazetteer."""
    nlp = _language_class(lang)()
    nlp.add_pipe("sentencizer")
    if ner and _has_ner_model(lang):
        import kg.ner  # noqa: F401  (registers the kg_ner factory)
        nlp.add_pipe("kg_ner")
    if gazetteer:
        nlp.add_pipe("kg_gazetteer", config={"lang": lang})
    return nlp


@lru_cache(maxsize=4)
def external_pipeline(name: str) -> Language:
    """A spaCy pipeline the user installed (package name or directory), for its entities only."""
    from kg.errors import InputError

    try:
        ext = spacy.load(name)
    except (OSError, ImportError, ValueError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise InputError(f"--spacy-model {name}: cannot load this spaCy pipeline ({first})") from None
    if not any("doc.ents" in ext.get_pipe_meta(n).assigns for n in ext.pipe_names):
        raise InputError(f"--spacy-model {name}: the pipeline has no entity recogniser "
                         f"(components: {', '.join(ext.pipe_names) or 'none'})")
    return ext


def external_entities(name: str, text: str) -> list[tuple[int, int, str]]:
    """``[(start_char, end_char, label)]`` that the user's pipeline ``name`` finds in ``text``."""
    doc = external_pipeline(name)(text)
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


def set_entities(doc: Doc, entities) -> Doc:
    """Put another tokenizer's entities on our Doc (``doc.ents``), widened to our token boundaries;
    overlapping spans keep the longest. The linker then treats them as the shipped NER's."""
    from spacy.util import filter_spans

    spans = []
    for b, e, label in entities:
        span = doc.char_span(b, e, label=label, alignment_mode="expand")
        if span is not None and len(span):
            spans.append(span)
    doc.ents = filter_spans(spans)
    return doc


_WORD = re.compile(r"\w+").match


def _case_ok(span_text: str, cand, common: frozenset[str], sentence_start: bool = False) -> bool:
    """Names are written capitalised in news; aliases that are acronyms must match exactly."""
    if cand.case_sensitive:
        return span_text == cand.surface
    words, alias_words = span_text.split(), cand.surface.split()
    if len(words) == len(alias_words) > 1 and cand.entity.type not in ("Position", "GovernmentOrganization") and any(
            a[:1].isupper() and w[:1].islower() for w, a in zip(words[1:], alias_words[1:])):
        return False  # "The police" is not the band The Police (office and ministry names may be lower case)
    if not any(c.isupper() for c in span_text[:1]) and not any(w[:1].isupper() for w in span_text.split()):
        return False
    if " " not in span_text and span_text.lower() in common and cand.kind not in ("acronym",):
        # a capitalised common word ("Saat", "Namun") is a sentence start, not a name, unless the
        # alias is exactly this word as a proper name with a strong prior, capitalised where only a
        # name would be ("kota Malang"; not "Malang bagi Samsung ...", "Lima nama itu ...")
        return span_text == cand.surface and cand.entity.prior >= 0.5 and not (
            sentence_start and cand.entity.type not in ("Position", "GovernmentOrganization"))
    return True


class Gazetteer:
    """Proposes KB candidates for every span whose text is a known alias (longest spans first)."""

    def __init__(self, lang: str, kb=None):
        self.lang = lang
        self._kb = kb

    @property
    def kb(self):
        if self._kb is None:
            from kg.kb import KnowledgeBase
            self._kb = KnowledgeBase.load()
        return self._kb

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data[GAZETTEER_KEY] = self.matches(doc)
        return doc

    def matches(self, doc: Doc) -> list[Match]:
        from kg.kb import normalise

        kb, n = self.kb, len(doc)
        tokens, text = doc_tokens(doc)
        words = [t.text for t in tokens]
        starts = [t.idx for t in tokens]
        common = common_words(self.lang)
        out: list[Match] = []
        not_names = names_data(self.lang)["not_names"]
        for i, w in enumerate(words):
            if not (w[:1].isupper() or w[:1].isdigit()):
                continue  # names start with a capital; no alias match survives the case check otherwise
            first = _WORD(normalise(w))
            if first is None:
                continue
            width = kb.max_tokens(first.group())
            if not width:
                continue
            begin = starts[i]
            for j in range(min(n, i + width) - 1, i - 1, -1):
                last = words[j]
                if not last[:1].isalnum() and not last.endswith("."):
                    continue
                if j + 1 < n and words[j + 1] == "$":
                    continue  # "US $ 250 juta", "HK$": a currency, not the place
                end = starts[j] + len(last)
                surface = text[begin:end]
                if "\n" in surface.strip():
                    continue
                if surface in not_names:
                    continue
                cands = [c for c in kb.lookup(surface, self.lang)
                         if _case_ok(surface, c, common, j == i and tokens[i].is_sent_start)]
                if cands:
                    out.append(Match(begin, end, surface, tuple(cands), (i, j + 1)))
        return out


@Language.factory("kg_gazetteer", default_config={"lang": "id"})
def make_gazetteer(nlp: Language, name: str, lang: str) -> Gazetteer:
    return Gazetteer(lang)


def doc_tokens(doc: Doc) -> tuple[list, str]:
    """The Doc's Token objects and its text, made once per Doc and kept with it: each access to a Doc
    (doc[j], doc.text, iteration) makes new Token objects, and the gazetteer and the linker both
    walk every token."""
    got = doc.user_data.get(TOKENS_KEY)
    if got is None or len(got[0]) != len(doc):
        tokens = list(doc)
        got = doc.user_data[TOKENS_KEY] = (tokens, "".join(t.text_with_ws for t in tokens))
    return got


def matches(doc: Doc) -> list[Match]:
    return doc.user_data.get(GAZETTEER_KEY, [])
