"""Where the shipped files live.

An installed wheel carries ``ontology/`` and ``queries/`` inside the package (``kg/ontology``,
``kg/queries``); a source checkout or editable install has them at the repository root. Every
module asks here instead of building paths itself, so both layouts work.
"""
from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    inside = _PKG / name
    if inside.is_dir():
        return inside
    beside = _PKG.parent / name
    if beside.is_dir():
        return beside
    raise FileNotFoundError(f"kg installation is missing its {name}/ directory (looked in {inside} and {beside})")


def ontology_dir() -> Path:
    return _shipped("ontology")


def ontology_path() -> Path:
    return ontology_dir() / "kg.ttl"


def shapes_path() -> Path:
    return ontology_dir() / "shapes.ttl"


def queries_dir() -> Path:
    return _shipped("queries")


def data_dir() -> Path:
    return _PKG / "data"


def kb_path() -> Path:
    return data_dir() / "kb.json.gz"


def lang_dir(lang: str) -> Path:
    """Language data (patterns, titles, aliases) for one language, e.g. ``lang_dir("id")``."""
    path = _PKG / "lang" / lang
    if not path.is_dir():
        raise FileNotFoundError(f"no language data for {lang!r} (expected {path})")
    return path


def load_yaml(stream):
    """Language data in YAML (text or an open file), through libyaml when PyYAML has it: the pure
    Python parser costs a tenth of a second of every start-up for our data files."""
    import yaml

    return yaml.load(stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
