"""Geopolitical news to a Wikidata-linked knowledge graph.

``kg.build(text, published="2022-09-13")`` returns an rdflib Graph; see kg.pipeline.
"""
from __future__ import annotations

__version__ = "0.1.0"


def build(text, **kwargs):
    """One article's text in, its rdflib Graph out; keyword arguments as in kg.pipeline.build."""
    from kg.pipeline import build as _build
    return _build(text, **kwargs)


__all__ = ["build", "__version__"]
