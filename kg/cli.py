"""The ``kg`` command: thin wrappers over the library functions.

Exit codes are a contract: 0 success; 1 some articles were rejected (the rest were written) or,
for ``kg validate``, the graph does not conform; 2 nothing could be done (bad input or options).
Errors are one line on stderr: ``kg: <input>: <problem>``.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import List, Optional

import typer

from kg.errors import KgError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Geopolitical news to a Wikidata-linked knowledge graph.")


def _err(msg: str) -> None:
    typer.echo(f"kg: {msg}", err=True)


def _fail(e: KgError) -> None:
    _err(str(e))
    raise typer.Exit(e.exit_code)


@app.command()
def build(
    inputs: List[str] = typer.Argument(..., metavar="INPUT...", help="Text file, directory of text files, JSONL file (id, text, ...), or - for stdin."),
    out: str = typer.Option(..., "-o", "--output", help="OUT.ttl (one article), OUT.trig (one named graph per article) or - (Turtle to stdout)."),
    published: Optional[str] = typer.Option(None, help="Publication date YYYY-MM-DD (resolves relative dates and office holders)."),
    lang: str = typer.Option("auto", help="id, en or auto (detected from the text)."),
    url: Optional[str] = typer.Option(None, help="Article URL."),
    title: Optional[str] = typer.Option(None, help="Article headline."),
    publisher: Optional[str] = typer.Option(None, help="Publisher name (else taken from the dateline)."),
    spacy_model: Optional[str] = typer.Option(None, "--spacy-model", help="An installed spaCy pipeline (name or path) whose entities replace ours for articles in its language."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No summary on stderr."),
) -> None:
    """Turn articles into a validated RDF graph."""
    from kg.pipeline import process, with_docs
    from kg.read import BadInput, check_lang, parse_date, read_inputs
    from kg.store import output_format, write_results

    try:
        output_format(out)
        if spacy_model:
            from kg.nlp import external_pipeline
            external_pipeline(spacy_model)  # fails once, before any article
        articles = read_inputs(inputs, lang=check_lang(lang), published=parse_date(published), url=url,
                               title=title, publisher=publisher)
        results, bad = [], []
        started = time.perf_counter()
        for item, doc in with_docs(articles, spacy_model):
            if isinstance(item, BadInput):
                bad.append(str(item))
                continue
            try:
                results.append(process(item, spacy_model=spacy_model, doc=doc))
            except KgError as e:
                msg = str(e)
                bad.append(msg if msg.startswith(item.source) else f"{item.source}: {msg}")
                report = getattr(e, "report", None)
                if report is not None and not quiet:
                    typer.echo(report.text(), err=True)
        for line in bad:
            _err(line)
        if not results:
            raise typer.Exit(2)
        write_results(results, out)
    except KgError as e:
        _fail(e)
    if not quiet and out != "-":
        secs = time.perf_counter() - started
        triples = sum(len(r.graphs) for r in results)
        _err(f"wrote {out}: {len(results)} article(s), {triples} triples, {len(bad)} rejected, {secs:.2f} s")
    raise typer.Exit(1 if bad else 0)


@app.command()
def ingest(
    inputs: List[str] = typer.Argument(..., metavar="INPUT...", help="Text file, directory, JSONL file, or - for stdin."),
    store: str = typer.Option(..., "--store", help="Store directory (embedded Oxigraph, created on first use) or SPARQL 1.1 endpoint URL."),
    update_endpoint: Optional[str] = typer.Option(None, help="SPARQL update URL of a remote store (default: the --store URL)."),
    published: Optional[str] = typer.Option(None, help="Publication date YYYY-MM-DD."),
    lang: str = typer.Option("auto", help="id, en or auto."),
    url: Optional[str] = typer.Option(None, help="Article URL."),
    title: Optional[str] = typer.Option(None, help="Article headline."),
    publisher: Optional[str] = typer.Option(None, help="Publisher name."),
    workers: Optional[int] = typer.Option(None, help="Processes for the NLP (default: one per core, up to 4; batches under 64 articles in-process, where starting workers costs more than it saves)."),
    timeout: float = typer.Option(30.0, help="Seconds per request to a remote store."),
    spacy_model: Optional[str] = typer.Option(None, "--spacy-model", help="An installed spaCy pipeline (name or path) whose entities replace ours for articles in its language."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress bar or summary."),
) -> None:
    """Add articles to a persistent graph: one named graph each, validated, all-or-nothing per article.

    Credentials for a remote store come from KG_STORE_USER / KG_STORE_PASSWORD (KG_STORE_AUTH=basic|digest)."""
    from contextlib import nullcontext

    from kg.ingest import ingest as run_ingest
    from kg.ingest import rich_progress
    from kg.read import check_lang, parse_date, read_inputs
    from kg.store import open_store

    try:
        items = list(read_inputs(inputs, lang=check_lang(lang), published=parse_date(published), url=url,
                                 title=title, publisher=publisher))
        with open_store(store, update_endpoint, timeout) as st:
            progress = nullcontext(None) if quiet else rich_progress(total=len(items))
            with progress as on_outcome:
                summary = run_ingest(items, st, workers=workers, on_outcome=on_outcome,
                                     spacy_model=spacy_model)
    except KgError as e:
        _fail(e)
    for o in summary.rejected:
        _err(f"{o.source}: {o.reason}")
        if o.report is not None and not quiet:
            typer.echo(o.report.text(), err=True)
    if not quiet:
        _err(summary.text().splitlines()[0])
    raise typer.Exit(summary.exit_code)


@app.command("export")
def export(
    store: str = typer.Option(..., "--store", help="Store directory or SPARQL endpoint URL."),
    fmt: str = typer.Option("trig", "--format", help="trig, nquads, turtle or jsonld."),
    out: str = typer.Option("-", "-o", "--output", help="Output file (written atomically), or - for stdout."),
    timeout: float = typer.Option(30.0, help="Seconds per request to a remote store."),
) -> None:
    """Write the whole store out, one named graph per article."""
    from kg.errors import InputError
    from kg.store import atomic_write, open_store

    try:
        if fmt not in ("trig", "nquads", "turtle", "jsonld"):
            raise InputError(f"unknown format {fmt!r} (use trig, nquads, turtle or jsonld)")
        with open_store(store, timeout=timeout, create=False) as st:
            if out == "-":
                st.export(fmt, sys.stdout.buffer)
                sys.stdout.flush()
            else:
                atomic_write(Path(out), st.export(fmt))
    except KgError as e:
        _fail(e)


@app.command("import")
def import_(
    files: List[Path] = typer.Argument(..., metavar="FILE...", help=".trig, .nq, .ttl, .nt or .jsonld files."),
    store: str = typer.Option(..., "--store", help="Store directory or SPARQL endpoint URL."),
    update_endpoint: Optional[str] = typer.Option(None, help="SPARQL update URL of a remote store."),
    timeout: float = typer.Option(30.0, help="Seconds per request to a remote store."),
) -> None:
    """Bulk-load RDF files into a store as they are (no pipeline, no validation gate)."""
    from kg.store import open_store

    try:
        with open_store(store, update_endpoint, timeout) as st:
            for f in files:
                n = st.import_file(f)
                typer.echo(f"{f}: imported {n} quads")
    except KgError as e:
        _fail(e)


@app.command()
def show(
    input: Optional[str] = typer.Argument(None, metavar="[INPUT]", help="An article graph written by `kg build` (.ttl, .trig, ...) or a text file (built first)."),
    out: str = typer.Option(..., "-o", "--output", help="OUT.html (written atomically), or - for stdout."),
    store: Optional[str] = typer.Option(None, "--store", help="Instead of INPUT: an existing store directory or SPARQL endpoint URL."),
    entity: Optional[str] = typer.Option(None, "--entity", help="With --store: the entity to show (Q399, wd:Q399, a kgr:entity/... IRI, or a name the store knows); without it, an overview of the store."),
    published: Optional[str] = typer.Option(None, help="Publication date YYYY-MM-DD (text input only)."),
    lang: str = typer.Option("auto", help="id, en or auto: the text's language (text input); with --store, the preferred label language."),
    limit: int = typer.Option(1000, help="With --entity: at most this many events, fact sources and articles listed."),
    timeout: float = typer.Option(30.0, help="Seconds per request to a remote store."),
) -> None:
    """Render a self-contained HTML page: one article (highlighted text, graph, event timeline, facts),
    or with --store an entity across all articles (--entity) or an overview of the store."""
    from kg.errors import InputError
    from kg.show import show as show_page
    from kg.show import show_store

    try:
        if (input is None) == (store is None):
            raise InputError("give either INPUT (an article) or --store PATH|URL")
        if store is None:
            if entity is not None:
                raise InputError("--entity needs --store")
            show_page(input, out, published=published, lang=lang)
        else:
            if published is not None:
                raise InputError("--published is for a text INPUT, not for --store")
            show_store(store, out, entity, timeout=timeout, lang=None if lang == "auto" else lang, limit=limit)
    except KgError as e:
        _fail(e)
    if out != "-":
        typer.echo(f"kg: wrote {out}", err=True)


@app.command()
def validate(
    file: Path = typer.Argument(..., help="A .ttl, .trig, .nt, .nq or .jsonld file."),
    engine: str = typer.Option("pyshacl", help="pyshacl (the reference) or turbo (pyshacl-turbo, faster; the gate of build and ingest)."),
) -> None:
    """Check a graph against the project's SHACL shapes: exit 0 conforms, 1 violations, 2 unreadable."""
    from kg.validate import validate_file

    try:
        report = validate_file(file, engine=engine)
    except KgError as e:
        _err(str(e))
        raise typer.Exit(2)
    if report.conforms:
        typer.echo(f"{file}: conforms")
        raise typer.Exit(0)
    typer.echo(report.text())
    typer.echo(f"{file}: {len(report.violations)} violation(s)")
    raise typer.Exit(1)


@app.command()
def query(
    query_name: str = typer.Argument(..., metavar="QUERY", help="A .rq file, or the name of a shipped query (see `kg queries`)."),
    data: List[Path] = typer.Option([], "--data", help="RDF files to query (.ttl, .trig, ...)."),
    store: Optional[str] = typer.Option(None, "--store", help="A store directory or SPARQL endpoint URL, instead of --data."),
    param: List[str] = typer.Option([], "--param", help="name=value, bound as an RDF term (wd:Q227, Q227, <iri>, text)."),
    fmt: str = typer.Option("table", "--format", help="table, csv or json."),
    timeout: float = typer.Option(30.0, help="Seconds per request to a remote store."),
) -> None:
    """Run a SPARQL query over RDF files or a store, with parameters bound as RDF terms."""
    from rdflib import Dataset

    from kg import query as q
    from kg.errors import InputError
    from kg.validate import load_rdf

    try:
        if fmt not in ("table", "csv", "json"):
            raise InputError(f"unknown format {fmt!r} (use table, csv or json)")
        qf = q.load_query(query_name)
        raw = {}
        for p in param:
            name, sep, value = p.partition("=")
            if not sep or not name:
                raise InputError(f"--param {p!r}: use name=value")
            raw[name.strip()] = value
        if bool(data) == bool(store):
            raise InputError("give either --data FILE... or --store PATH|URL")
        if store:
            from kg.store import open_store
            with open_store(store, timeout=timeout, create=False) as st:
                rendered = q.format_result(q.run(qf, st, raw), fmt)
            typer.echo(rendered, nl=not rendered.endswith("\n"))
            return
        ds = Dataset(default_union=True)
        for path in data:
            loaded = load_rdf(path)
            if isinstance(loaded, Dataset):
                for g in loaded.graphs():
                    target = ds.graph(g.identifier)
                    for t in g:
                        target.add(t)
            else:
                for t in loaded:
                    ds.add(t)
        result = q.run(qf, ds, raw)
        rendered = q.format_result(result, fmt)
        typer.echo(rendered, nl=not rendered.endswith("\n"))
    except KgError as e:
        _fail(e)


@app.command("eval")
def eval_(
    gold: Path = typer.Argument(..., help="Gold annotations: NIF Turtle (.ttl, e.g. IndEL), ELEVANT JSONL (.jsonl, e.g. News-Fair), or BIO NER (.txt/.conll, e.g. idner-news-2k)."),
    fmt: str = typer.Option("auto", "--format", help="nif, elevant, bio or auto (from the file suffix)."),
    lang: str = typer.Option("auto", help="id, en or auto (detected once from the gold texts)."),
    limit: Optional[int] = typer.Option(None, help="Only the first N documents."),
    errors: int = typer.Option(10, help="How many groups of each error kind to list."),
    published: Optional[str] = typer.Option(None, help="Publication date YYYY-MM-DD for documents that have none."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Score our entity linking against gold: precision, recall, F1 (strong matching), overall and in our KB.
    With BIO gold: entity-level NER scores (exact span and type) of the mentions `kg build` writes."""
    import json

    from kg.evaluate import detect_format, evaluate, evaluate_ner

    try:
        if fmt not in ("auto", "nif", "elevant", "bio"):
            from kg.errors import InputError
            raise InputError(f"unknown format {fmt!r} (use nif, elevant, bio or auto)")
        if fmt == "bio" or (fmt == "auto" and detect_format(gold) == "bio"):
            report = evaluate_ner(gold, lang=lang, limit=limit, published=published)
        else:
            report = evaluate(gold, format=fmt, lang=lang, limit=limit, errors=errors, published=published)
    except KgError as e:
        _fail(e)
    typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=1) if as_json else report.text())


kb_app = typer.Typer(no_args_is_help=True, help="The embedded knowledge base: stats, lookup, refresh.")
app.add_typer(kb_app, name="kb")


@kb_app.command("stats")
def kb_stats(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Counts by type, aliases, office holdings, file size, and the refresh overlay if any."""
    import json

    from kg import kbrefresh

    try:
        stats = kbrefresh.kb_stats()
    except KgError as e:
        _fail(e)
    typer.echo(json.dumps(stats, indent=1, default=str) if as_json else kbrefresh.format_stats(stats))


@kb_app.command("lookup")
def kb_lookup(
    name: str = typer.Argument(..., help="A name as written in the text, e.g. 'Presiden Rusia'."),
    lang: Optional[str] = typer.Option(None, help="id or en: the language of the text."),
    on: Optional[str] = typer.Option(None, "--date", help="YYYY-MM-DD: who held an office then (default: today)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Candidates for a name, with their scores and why."""
    import json

    from kg import kbrefresh
    from kg.read import check_lang, parse_date

    try:
        if lang is not None and check_lang(lang) == "auto":
            lang = None
        results = kbrefresh.explain_lookup(name, lang=lang, on=parse_date(on, "--date"))
    except KgError as e:
        _fail(e)
    typer.echo(json.dumps(results, indent=1, default=str, ensure_ascii=False) if as_json
               else kbrefresh.format_lookup(name, results))
    raise typer.Exit(0 if results else 1)


@kb_app.command("refresh")
def kb_refresh(
    endpoint: str = typer.Option(..., help="SPARQL endpoint in Wikidata's RDF shape (WDQS or a mirror)."),
    since: Optional[str] = typer.Option(None, help="YYYY-MM-DD: only office terms starting or ending since then."),
    timeout: float = typer.Option(90.0, help="Seconds per request."),
    store: Optional[str] = typer.Option(None, "--store", help="Then link the store's NIL entities that the knowledge base now knows (owl:sameAs)."),
) -> None:
    """Add or update office holders (and their labels) from a SPARQL endpoint, into a local overlay."""
    from kg import kbrefresh

    from contextlib import nullcontext

    try:
        if store:
            from kg.store import open_store
        # the store is opened first: a wrong --store fails before the knowledge base changes
        with (open_store(store, timeout=timeout, create=False) if store else nullcontext()) as st:
            summary = kbrefresh.refresh(endpoint, since=since, timeout=timeout, progress=_err)
            typer.echo(kbrefresh.format_refresh(summary))
            if st is not None:
                from kg.ingest import reconcile
                pairs = reconcile(st)
                for nil, entity in pairs:
                    typer.echo(f"same as: {nil} = {entity}")
                typer.echo(f"{len(pairs)} NIL entit{'y' if len(pairs) == 1 else 'ies'} of {store} "
                           "linked with owl:sameAs")
    except KgError as e:
        _fail(e)


@app.command("queries")
def list_queries() -> None:
    """List the shipped queries and their parameters."""
    from kg import query as q
    for qf in q.list_queries():
        params = ", ".join(f"{p.name}{'?' if p.optional else ''}" for p in qf.params)
        typer.echo(f"{qf.name:24} {qf.title}" + (f"  [{params}]" if params else ""))


@app.command()
def version() -> None:
    """Print the version."""
    from kg import __version__
    typer.echo(__version__)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
