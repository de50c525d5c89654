"""Writing graphs: files now (atomic: temp file + rename), the persistent store later.

A reader never sees a half-written file, and a failed run leaves no file behind.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from rdflib import Dataset, Graph

from kg.errors import InputError
from kg.vocab import bind_prefixes

FORMATS = {".ttl": "turtle", ".trig": "trig"}


def output_format(out: str) -> str:
    if out == "-":
        return "turtle"
    fmt = FORMATS.get(Path(out).suffix.lower())
    if fmt is None:
        raise InputError(f"output {out!r}: use a .ttl file (one article), a .trig file (a dataset) or - (stdout)")
    return fmt


def atomic_write(path: Path, data: bytes) -> None:
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(f"output {path}: directory {parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; an output file gets the usual mode
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def dataset(results) -> Dataset:
    """One named graph per article (named by the article IRI) and one background graph."""
    from kg.rdf import BACKGROUND_GRAPH
    ds = Dataset()
    bind_prefixes(ds)
    bg = ds.graph(BACKGROUND_GRAPH)
    for r in results:
        ag = ds.graph(r.graphs.article)
        for t in r.graphs.graph:
            ag.add(t)
        for t in r.graphs.background:
            bg.add(t)
    return ds


def serialise(results, fmt: str) -> bytes:
    if fmt == "trig":
        return dataset(results).serialize(format="trig", encoding="utf-8")
    g = Graph()
    bind_prefixes(g)
    for r in results:
        for t in r.graphs.graph:
            g.add(t)
        for t in r.graphs.background:
            g.add(t)
    return g.serialize(format="turtle", encoding="utf-8")


def write_results(results, out: str) -> None:
    fmt = output_format(out)
    if fmt == "turtle" and out != "-" and len(results) > 1:
        raise InputError(f"output {out}: {len(results)} articles need a .trig dataset (one named graph each)")
    data = serialise(results, fmt)
    if out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        atomic_write(Path(out), data)
