"""The commands over the plan graph itself: build, validate, query, search, queries, openapi and serve.

``build`` extracts the plan, validates it with SHACL and writes it as Turtle; ``validate`` checks
a graph against the shapes; ``query`` answers a named question or a SELECT query, ``search``
searches the full text and ``queries`` lists the named questions; ``openapi`` prints the
service's description and ``serve`` runs the service.  Each is a thin adapter over
``project.Project``.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..config import DEFAULT_ENGINE, DEFAULT_SLUG, SHACL_ENGINES, SLUG_RE
from ..errors import SourceError, ValidationFailed
from ..tables import FORMATS as TABLE_FORMATS
from ..tables import write
from .common import _pairs, _print_rows, _project, _settings, _store_option, _table_format


@click.command()
@click.option("--source", type=click.Path(dir_okay=False), help="Plan text (default: data/source/…).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Turtle file to write (default: data/build/plan.ttl).")
@click.option("--slug", default=DEFAULT_SLUG, show_default=True, help="The plan's IRI slug.")
@click.option("--registry", type=click.Path(dir_okay=False), help="Unit registry YAML (default: data/registry/units-liupanshui.yaml).")
@click.option("--engine", type=click.Choice(SHACL_ENGINES), default=DEFAULT_ENGINE, show_default=True, help="SHACL engine.")
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors.")
@click.pass_context
def build(ctx, source, output, slug, registry, engine, quiet) -> None:
    """Extract the plan, validate it with SHACL and write it as Turtle."""
    if not SLUG_RE.match(slug):
        raise click.BadParameter("lowercase letters, digits and single hyphens only", param_hint="--slug")
    result = _project(ctx).build(output, source=source, slug=slug, engine=engine, registry=registry)
    path = result.path
    report = result.describe()
    click.echo(report if not quiet else "\n".join(l for l in report.splitlines() if l.startswith("warning")), err=quiet)
    if not quiet:
        click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")


@click.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--engine", type=click.Choice(SHACL_ENGINES), default=DEFAULT_ENGINE, show_default=True, help="SHACL engine.")
@click.pass_context
def validate(ctx: click.Context, file: str | None, engine: str) -> None:
    """Validate a graph (default: the built plan graph) against ontology/shapes.ttl."""
    project = _project(ctx)
    path = Path(file) if file else project.settings.plan_graph_file
    report = project.validate(path, engine=engine)
    click.echo(f"{path}: {report.describe()}")
    if not report.conforms:
        ctx.exit(ValidationFailed.exit_code)


@click.command()
@click.argument("name", required=False)
@click.option("-p", "--param", "params", multiple=True, metavar="K=V", help="A parameter of the named question (repeatable).")
@click.option("--sparql", "sparql", help="A SPARQL SELECT query string instead of a named question.")
@click.option("--file", "query_file", type=click.File("r", encoding="utf-8"), help="Read the query from a file ('-' for stdin; UTF-8, at most LPSPLAN_MAX_QUERY characters).")
@click.option("--format", "fmt", type=click.Choice(["table", *TABLE_FORMATS]), default=None,
              help="table (the default on screen), csv, csv-bom (CSV for Excel), xlsx (with -o) or json; with -o, the file's extension decides.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the answer to a .csv, .xlsx or .json file.")
@_store_option
@click.pass_context
def query(ctx: click.Context, name: str | None, params: tuple[str, ...], sparql: str | None, query_file, fmt: str | None,
          output: str | None, store: str | None) -> None:
    """Answer a named question (see `lpsplan queries`) or a SELECT query over the built plan graph."""
    text = sparql if sparql is not None else (_query_text(query_file, _settings(ctx).max_query) if query_file else None)
    if (name is None) == (text is None):
        raise click.UsageError("give a question NAME, or a query with --sparql '…' / --file FILE")
    if text is not None and not text.strip():
        raise click.UsageError("the query is empty")
    values = _pairs(params, "--param")
    if text is not None and values:
        raise click.UsageError("--param goes with a named question")
    fmt = _table_format(fmt, output)
    with _project(ctx, store) as project:
        result = project.query(name or text, values)
    _print_rows(result.rows, fmt, output, columns=result.columns, sheet=name or "answer")


def _query_text(query_file, limit: int) -> str:
    """The text of ``--file``, read no further than ``limit`` characters (LPSPLAN_MAX_QUERY, as the service reads a
    query): /dev/zero or an endless pipe was read whole, gigabytes in seconds; a file that is not UTF-8 is one line."""
    name = getattr(query_file, "name", "-")
    try:
        text = query_file.read(limit + 1)
    except UnicodeDecodeError as exc:
        raise SourceError(f"the query is not UTF-8 (byte 0x{exc.object[exc.start]:02x} cannot be decoded); save it as UTF-8",
                          path=name) from None
    if len(text) > limit:
        raise SourceError(f"the query is longer than {limit:,} characters (LPSPLAN_MAX_QUERY)", path=name)
    return text


@click.command()
@click.argument("words", nargs=-1, required=True)
@click.option("--facet", "facets", multiple=True, metavar="K=V", help="Only hits with this facet value: kind, plan, section, domain, task, unit, year.")
@click.option("-n", "--limit", type=click.IntRange(1, 500), default=20, show_default=True, help="Most hits to show.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True, help="Output: a table for people or JSON.")
@_store_option
@click.pass_context
def search(ctx: click.Context, words: tuple[str, ...], facets: tuple[str, ...], limit: int, fmt: str, store: str | None) -> None:
    """Full-text search over clauses, technology directions, targets, units and plans (Chinese segmented), with facets."""
    with _project(ctx, store) as project:
        index = project.search_index()
    results = index.search(" ".join(words), _pairs(facets, "--facet"), limit)
    click.echo(json.dumps(results.as_dict(), ensure_ascii=False, indent=2) if fmt == "json" else results.describe())


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True, help="Output: a table for people or JSON.")
@click.pass_context
def queries(ctx: click.Context, fmt: str) -> None:
    """List the named questions and their parameters."""
    from ..queries import Catalogue

    catalogue = Catalogue.load(_settings(ctx).paths.queries)
    click.echo(json.dumps([q.as_dict() for q in catalogue], ensure_ascii=False, indent=2) if fmt == "json" else catalogue.describe())


@click.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to a file instead of stdout.")
@click.pass_context
def openapi(ctx: click.Context, output: str | None) -> None:
    """Print the service's OpenAPI description (the snapshot lives in api/openapi.json)."""
    from ..api.app import openapi_schema

    text = json.dumps(openapi_schema(_settings(ctx)), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if output:
        write(output, text.encode("utf-8"))
    else:
        click.echo(text, nl=False)


@click.command()
@click.option("--host", help="Interface to listen on (default 127.0.0.1; LPSPLAN_HOST).")
@click.option("--port", type=int, help="Port (default 8000; LPSPLAN_PORT).")
@click.option("--store", help="'embedded' (default) or the base URL of a SPARQL 1.1 server (LPSPLAN_STORE).")
@click.option("--timeout", type=float, help="Seconds a query may run (default 10; LPSPLAN_TIMEOUT).")
@click.option("--workers", type=int, help="Query worker processes of the embedded store (default 2; LPSPLAN_WORKERS).")
@click.option("--allow-service", is_flag=True, default=None, help="Allow SERVICE and LOAD (they fetch URLs; off by default).")
@click.pass_context
def serve(ctx: click.Context, host, port, store, timeout, workers, allow_service) -> None:
    """Serve the SPARQL endpoint, the named questions and the query UI.  The update
    token comes from LPSPLAN_UPDATE_TOKEN only (never from the command line)."""
    from ..api.app import serve as run_service
    from ..sparql.open import open_backend

    settings = _settings(ctx).with_(host=host, port=port, store=store, timeout=timeout, workers=workers, allow_service=allow_service)
    backend, origin = open_backend(settings)
    click.echo(f"lpsplan {__import__('lpsplan').__version__}: {origin}")
    for key, value in settings.describe().items():
        click.echo(f"  {key:<18}{value}")
    click.echo(f"  open http://{settings.host}:{settings.port}/")
    for note in settings.notes():
        click.echo(f"note: {note}", err=True)
    try:
        run_service(settings, backend)
    finally:
        backend.close()
