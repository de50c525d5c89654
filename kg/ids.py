"""Identifiers we mint: slugs for articles and NIL entities.

A NIL entity's id is ``nil:<type>/<slug of its name>``: the same name and type in a later
article give the same id, and so the same IRI (see :func:`kg.rdf.entity_iri`).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=65536)  # names recur across articles
def slug(text: str, max_len: int = 120) -> str:
    """Lower-case ASCII letters, digits and '-': NFKD, marks dropped, everything else folded to '-'."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_ish = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    s = _NON_ALNUM.sub("-", ascii_ish).strip("-")
    if len(s) > max_len:
        s = s[:max_len].rstrip("-")
    return s


def nil_id(entity_type: str, name: str) -> str:
    key = slug(name)
    if not key:
        raise ValueError(f"cannot make a NIL id from {name!r}")
    return f"nil:{entity_type.lower()}/{key}"


def is_nil(entity_id: str) -> bool:
    return entity_id.startswith("nil:")
