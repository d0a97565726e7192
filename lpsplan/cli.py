"""The ``lpsplan`` command.  Commands mirror library functions and stay short;
every :class:`~lpsplan.errors.LpsplanError` becomes one line on stderr and a
non-zero exit, here and nowhere else."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click

from .config import DEFAULT_ENGINE, DEFAULT_JURISDICTION, DEFAULT_SLUG, SHACL_ENGINES, SLUG_RE, Settings
from .errors import LpsplanError, ValidationFailed, shown
from .tables import FORMATS as TABLE_FORMATS
from .tables import write


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj["settings_factory"]()


def _store_option(f):
    return click.option("--store", "store", metavar="URL",
                        help="The base URL of a SPARQL 1.1 server to use instead of the embedded store (LPSPLAN_STORE).")(f)


def _project(ctx: click.Context, store: str | None = None):
    """The project these settings name, over the embedded store or the server of --store."""
    from .project import Project

    settings = _settings(ctx)
    return Project(settings.with_(store=store) if store else settings)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", type=click.Path(file_okay=False), envvar="LPSPLAN_HOME", help="Project folder (ontology/, data/, …).")
@click.option("--base-iri", envvar="LPSPLAN_BASE_IRI", help="Base of the data IRIs.")
@click.version_option(package_name="lpsplan")
@click.pass_context
def cli(ctx: click.Context, home: str | None, base_iri: str | None) -> None:
    """lpsplan: government policy plans as a validated knowledge graph."""
    from .config import project_paths

    ctx.obj = {"settings_factory": lambda: Settings.from_env(paths=project_paths(home) if home else None, base_iri=base_iri)}


@cli.command()
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


@cli.command()
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


@cli.command()
@click.argument("name", required=False)
@click.option("-p", "--param", "params", multiple=True, metavar="K=V", help="A parameter of the named question (repeatable).")
@click.option("--sparql", "sparql", help="A SPARQL SELECT query string instead of a named question.")
@click.option("--file", "query_file", type=click.File("r", encoding="utf-8"), help="Read the query from a file ('-' for stdin).")
@click.option("--format", "fmt", type=click.Choice(["table", *TABLE_FORMATS]), default=None,
              help="table (the default on screen), csv, csv-bom (CSV for Excel), xlsx (with -o) or json; with -o, the file's extension decides.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the answer to a .csv, .xlsx or .json file.")
@_store_option
@click.pass_context
def query(ctx: click.Context, name: str | None, params: tuple[str, ...], sparql: str | None, query_file, fmt: str | None,
          output: str | None, store: str | None) -> None:
    """Answer a named question (see `lpsplan queries`) or a SELECT query over the built plan graph."""
    text = sparql if sparql is not None else (query_file.read() if query_file else None)
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


@cli.command()
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


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True, help="Output: a table for people or JSON.")
@click.pass_context
def queries(ctx: click.Context, fmt: str) -> None:
    """List the named questions and their parameters."""
    from .queries import Catalogue

    catalogue = Catalogue.load(_settings(ctx).paths.queries)
    click.echo(json.dumps([q.as_dict() for q in catalogue], ensure_ascii=False, indent=2) if fmt == "json" else catalogue.describe())


@cli.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to a file instead of stdout.")
@click.pass_context
def openapi(ctx: click.Context, output: str | None) -> None:
    """Print the service's OpenAPI description (the snapshot lives in api/openapi.json)."""
    from .api.app import openapi_schema

    text = json.dumps(openapi_schema(_settings(ctx)), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if output:
        write(output, text.encode("utf-8"))
    else:
        click.echo(text, nl=False)


@cli.command()
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
    from .api.app import serve as run_service
    from .sparql.open import open_backend

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


def _network(ctx: click.Context, store: str | None):
    """The networks of every plan in the store: the built plan and the ingested ones."""
    with _project(ctx, store) as project:
        return project.network()


def _filters(f):
    f = click.option("--domain", help="Only the clauses of this domain (its Chinese label, e.g. 现代煤化工).")(f)
    f = click.option("--task", type=int, help="Only the clauses of this task (1–9).")(f)
    f = click.option("--section", type=int, help="Only the clauses of this section (by ordinal).")(f)
    f = click.option("--min-weight", type=int, default=1, show_default=True, help="Fewest shared clauses an edge needs.")(f)
    f = click.option("--expand-groups", is_flag=True, help="Count the county-level group as its four members.")(f)
    f = click.option("--plan", help="Only this plan (its slug or IRI); all plans by default.")(f)
    return _store_option(f)


@cli.group()
def network() -> None:
    """Responsibility networks: metrics and exports (GraphML, GEXF, CSV)."""


@network.command("metrics")
@_filters
@click.option("--format", "fmt", type=click.Choice(["table", *TABLE_FORMATS]), default=None, help="table, csv, csv-bom, xlsx (with -o) or json.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to a .csv, .xlsx or .json file.")
@click.pass_context
def network_metrics(ctx, domain, task, section, min_weight, expand_groups, plan, store, fmt, output) -> None:
    """Per unit: clauses, first-listed count, weighted degree, betweenness, eigenvector centrality, community."""

    rows = _network(ctx, store).metrics(min_weight=min_weight, domain=domain, task=task, section=section, expand_groups=expand_groups,
                                 plan=plan)
    fmt = _table_format(fmt, output)
    if fmt == "table":
        rows = [{k: v for k, v in r.items() if k not in ("unit", "label_en")} for r in rows]
    _print_rows(rows, fmt, output, sheet="metrics")


@network.command("domains")
@click.option("--expand-groups", is_flag=True, help="Count the county-level group as its four members.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True, help="Output: a table for people, CSV or JSON.")
@_store_option
@click.pass_context
def network_domains(ctx, expand_groups, fmt, store) -> None:
    """Per domain: distinct units, clauses, density of its co-ownership network."""
    _print_rows(_network(ctx, store).domain_metrics(expand_groups=expand_groups), fmt)


@network.command("export")
@click.argument("view", type=click.Choice(["coownership", "unit-clause", "unit-domain", "unit-task"]))
@_filters
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "csv"]), default=None, help="Default: the output file's extension.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="A .graphml, .gexf or .csv file.")
@click.pass_context
def network_export(ctx, view, domain, task, section, min_weight, expand_groups, plan, store, fmt, output) -> None:
    """Write a network as GraphML, GEXF (Gephi) or a CSV edge list."""
    from .network import NetworkFilter, export

    ext = Path(output).suffix.lower().lstrip(".")
    if ext not in ("graphml", "gexf", "csv"):
        raise click.BadParameter(f"{output}: name the file .graphml, .gexf or .csv", param_hint="-o")
    if fmt and fmt != ext:
        raise click.BadParameter(f"{output}: a .{ext} file cannot hold {fmt}; name it .{fmt}", param_hint="-o")
    fmt = ext

    where = NetworkFilter(domain=domain, task=task, section=section, expand_groups=expand_groups, plan=plan, min_weight=min_weight)
    g = _network(ctx, store).graph(view, where)
    write(output, export(g, fmt))
    click.echo(f"wrote {output}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges")


@cli.command()
@click.argument("view", type=click.Choice(["coownership", "bipartite", "ego", "tree"]))
@click.option("--domain", help="Only the clauses of this domain.")
@click.option("--task", type=int, help="Only the clauses of this task.")
@click.option("--min-weight", type=int, default=1, show_default=True, help="Fewest shared clauses an edge needs.")
@click.option("--expand-groups", is_flag=True, help="Count the county-level group as its four members.")
@click.option("--unit", help="The unit of the ego view (e.g. 市科技局).")
@click.option("--kind", type=click.Choice(["domain", "task"]), default="domain", show_default=True, help="bipartite: domains or tasks.")
@click.option("--color", type=click.Choice(["type", "community"]), default="type", show_default=True, help="Colour nodes by their type or by detected community.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Language of the labels.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="The HTML file to write (opens offline).")
@_store_option
@click.pass_context
def viz(ctx, view, domain, task, min_weight, expand_groups, unit, kind, color, lang, output, store) -> None:
    """Write an interactive network view as one self-contained HTML file."""
    from .viz import ViewOptions, render_view

    opts = ViewOptions(domain=domain, task=task, min_weight=min_weight, expand_groups=expand_groups, unit=unit, kind=kind,
                       color=color, lang=lang)
    page = render_view(view, _network(ctx, store), opts)
    write(output, page.html.encode("utf-8"))
    click.echo(f"wrote {output}: {page.nodes} nodes, {page.edges} edges")


@cli.command()
@click.argument("title", required=False)
@click.option("--input", "input_file", type=click.Path(dir_okay=False), help="A project list: .csv, .tsv or .xlsx.")
@click.option("--column", default="title", show_default=True, help="The column holding the titles.")
@click.option("-k", "--top", "k", type=click.IntRange(1, 13), default=3, show_default=True, help="Links per kind.")
@click.option("--method", type=click.Choice(["hybrid", "bm25", "semantic"]), default="hybrid", show_default=True,
              help="hybrid: BM25 evidence and the bundled sentence-embedding model, calibrated; bm25: words only; semantic: the model only.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "csv-bom", "xlsx"]), default=None,
              help="Default: table on the terminal; with -o, the file's extension decides (.json, .csv, .xlsx); csv-bom: CSV for Excel.")
@click.option("--bom", is_flag=True, help="CSV: start with a UTF-8 byte-order mark (for Excel); the same as --format csv-bom.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the records to a .json, .csv or .xlsx file (whole, or not at all).")
@click.option("--into-graph", "into_graph", metavar="NAME", help="Also store the linked projects in the named graph <base>projects/NAME.")
@click.option("--evaluate", "evaluate_file", type=click.Path(exists=True, dir_okay=False),
              help="Score the linker on labelled titles (CSV title,label,alt_label,...,split or TSV title,domain,also).")
@click.option("--split", help="With --evaluate: only the rows of this split (dev or test).")
@click.option("--diagram", type=click.Path(dir_okay=False), default="link-reliability.png", show_default=True,
              help="With --evaluate: where to write the reliability diagram (PNG) of a calibrated method.")
@_store_option
@click.pass_context
def link(ctx, title, input_file, column, k, method, fmt, bom, output, into_graph, evaluate_file, split, diagram, store) -> None:
    """Link project titles to the plan's domains and technology directions, with evidence."""
    from .link import workflow as linking
    from .link.io import records_as, write_atomic

    project = _project(ctx, store)
    if sum(x is not None for x in (title, input_file, evaluate_file)) != 1:
        raise click.UsageError("give one TITLE, or --input FILE, or --evaluate FILE")
    if output and not evaluate_file:  # the file's extension decides; a contradicting --format is refused before any work
        from .tables import format_for

        if fmt == "table":
            raise click.UsageError("--format table is for the screen; with -o give .json, .csv or .xlsx")
        fmt = format_for(output, fmt)
    elif fmt == "xlsx":
        raise click.UsageError("an .xlsx workbook goes to a file: add -o FILE.xlsx")
    if fmt == "csv-bom":
        fmt, bom = "csv", True
    if evaluate_file:
        from .link.evaluate import read_labelled

        rows = read_labelled(evaluate_file, split)  # a clear error before the model is loaded
        linker = project.linker(method)
        metrics = linking.evaluate_rows(linker, rows)
        click.echo(linking.describe_evaluation(metrics, method))
        if metrics["calibration"]:
            from .link.evaluate import reliability_diagram

            reliability_diagram(metrics["calibration"], diagram, f"{method}, {Path(evaluate_file).name}" + (f" ({split})" if split else ""))
            click.echo(f"wrote the reliability diagram to {diagram}")
        return
    if title is not None:
        linker = project.linker(method)
        results = linking.link_titles(linker, [title], k)
    else:
        linking.read_titles(input_file, column)  # a file that cannot be read fails before the model is loaded
        linker = project.linker(method)
        results = linking.link_file(linker, input_file, column, k, progress=True)
    data = records_as(results, fmt or "table", k, bom=bom)
    if output:
        write_atomic(output, data)
        click.echo(f"wrote {output}: {len(results)} record(s)", err=True)
    else:
        click.echo(data.decode("utf-8"))
    if into_graph:
        with project:
            iri, stored = project.store_links(results, into_graph)
        click.echo(f"stored {stored} linked project(s) in <{iri}> (SHACL-validated)", err=True)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--id", "slug", help="The plan's slug: its IRIs and named graph (one file; several files take their names).")
@click.option("--title", help="The plan's title, when the text does not state it.")
@click.option("--issuer", help="The issuing body, when the text does not state it.")
@click.option("--year-from", type=int, help="First year of the plan's period, when the text does not state it.")
@click.option("--year-to", type=int, help="Last year of the plan's period.")
@click.option("--jurisdiction",
              help="Whose units: data/registry/units-<jurisdiction>.yaml (one without a registry gets every unit flagged "
                   "unregistered).  Default: the place the plan's title or issuers name.")
@click.option("--strict", is_flag=True, help="Refuse a plan with a damaged annotation or no title line (default: warn with its place, read the rest; a plan with no title line is read under its --id).")
@_store_option
@click.pass_context
def ingest(ctx, files, slug, title, issuer, year_from, year_to, jurisdiction, strict, store) -> None:
    """Add plans (.txt in UTF-8 or GB18030/GBK, .html, .docx, .pdf), each as a named graph of its own,
    SHACL-validated, atomically.  Several files are ingested with one snapshot at the end."""
    if (year_from is None) != (year_to is None):
        raise click.UsageError("give --year-from and --year-to together")
    period = (year_from, year_to) if year_from is not None else None
    if len(files) > 1:
        if slug or title or issuer or period:
            raise click.UsageError("--id, --title, --issuer and the years go with one file")
        with click.progressbar(length=len(files), label="ingesting", file=sys.stderr) as bar, _project(ctx, store) as project:
            reports = project.ingest_many(files, jurisdiction=jurisdiction, strict=strict, progress=lambda _: bar.update(1))
        _print_rows([report.summary() for report in reports], "table")
        return
    if not slug:
        raise click.UsageError("give the plan's --id")
    with _project(ctx, store) as project:
        report = project.ingest(files[0], slug, title=title, issuer=issuer, period=period, jurisdiction=jurisdiction, strict=strict)
    click.echo(report.describe())


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True, help="Output: a table for people, CSV or JSON.")
@_store_option
@click.pass_context
def plans(ctx, fmt, store) -> None:
    """List the plans in the store (the built plan and every ingested one) with their counts."""
    with _project(ctx, store) as project:
        _print_rows(project.plans(), fmt)


@cli.command()
@click.argument("slug")
@_store_option
@click.pass_context
def remove(ctx, slug, store) -> None:
    """Remove an ingested plan (its named graph)."""
    with _project(ctx, store) as project:
        click.echo(f"removed <{project.remove(slug)}>")


@cli.command()
@click.option("--input", "input_file", required=True, type=click.Path(dir_okay=False),
              help="A table of observed values (.csv, .tsv or .xlsx; see docs/targets.md for the columns).")
@click.option("--area", default=DEFAULT_JURISDICTION, show_default=True, help="The area of rows without an 'area' column.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output: text for people or JSON.")
@_store_option
@click.pass_context
def observe(ctx, input_file, area, fmt, store) -> None:
    """Add observed values of the plans' indicators, each with its source; all rows or none
    (the report says which rows were added, replaced or refused, and why)."""
    from .targets.observe import ImportRefused

    try:
        with _project(ctx, store) as project:
            report = project.observe(input_file, area)
    except ImportRefused as exc:
        click.echo(json.dumps(exc.report.as_dict(), ensure_ascii=False, indent=2) if fmt == "json" else exc.report.describe())
        raise
    click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) if fmt == "json" else report.describe())


@cli.command()
@click.option("--plan", "slug", default="", help="Only this plan's targets (its slug); every plan by default.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "xlsx"]), default="table", show_default=True, help="Output: a table for people, CSV, JSON or a workbook (xlsx needs -o).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the table to a file (needed for xlsx).")
@click.option("--charts", type=click.Path(file_okay=False), help="Also write one chart per target into this folder.")
@click.option("--chart-format", type=click.Choice(["svg", "png"]), default="svg", show_default=True, help="Image format of the charts.")
@_store_option
@click.pass_context
def targets(ctx, slug, fmt, output, charts, chart_format, store) -> None:
    """Attainment of every target, derived from the observations: status, share reached,
    required and actual growth; with --charts, a chart per target for reports."""
    from .targets.attainment import summary_line
    from .targets.export import write_table

    settings = _settings(ctx)
    with _project(ctx, store) as project:
        records = project.attainment(slug)
    if not records:
        raise click.UsageError(f"no targets{' for plan ' + slug if slug else ''}")
    rows = [a.as_row() for a in records]
    if fmt == "xlsx" and not output:
        raise click.UsageError("--format xlsx needs -o FILE")
    if output:
        write_table(rows, output, fmt if fmt != "table" else "csv")
        click.echo(f"wrote {output} ({len(rows)} targets)", err=True)
    else:
        _print_rows([{k: r[k] for k in ("ordinal", "indicator", "comparator", "target", "unit", "deadline", "year", "value",
                                         "share", "status")} for r in rows] if fmt == "table" else rows, fmt)
    if charts:
        from .viz.targets import write_charts

        paths = write_charts(records, charts, settings.paths.ontology_file, chart_format)
        click.echo(f"wrote {len(paths)} charts into {charts}", err=True)
    click.echo(summary_line(records), err=True)


def _table_format(fmt: str | None, output: str | None) -> str:
    """The format of a tabular answer: with -o, the one the file's extension names (a contradicting --format is
    refused); on screen, a table unless asked otherwise (an .xlsx workbook only goes to a file)."""
    from .tables import format_for

    if output:
        if fmt == "table":
            raise click.UsageError("--format table is for the screen; with -o give .csv, .xlsx or .json")
        return format_for(output, fmt)
    if fmt == "xlsx":
        raise click.UsageError("an .xlsx workbook goes to a file: add -o FILE.xlsx")
    return fmt or "table"


def _print_rows(rows: list[dict[str, object]], fmt: str, output: str | None = None, columns: list[str] | None = None,
                sheet: str = "answer") -> None:
    columns = list(columns) if columns else (list(rows[0]) if rows else [])
    if output or fmt in ("csv-bom", "xlsx"):
        from .tables import render

        data = render(rows, fmt, columns, sheet)
        if output:
            write(output, data)
            click.echo(f"wrote {output}: {len(rows)} row{'s' if len(rows) != 1 else ''} ({fmt})", err=True)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        return
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([["" if r.get(c) is None else r[c] for c in columns] for r in rows])
    else:
        from .tables import screen_table

        click.echo(screen_table(rows, columns))


def _pairs(items: tuple[str, ...], option: str) -> dict[str, str]:
    """K=V values of a repeatable option (--param, --facet) as a mapping."""
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"{item!r} is not K=V", param_hint=option)
        out[key] = value
    return out


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors become one line on stderr and a non-zero exit."""
    try:
        code = cli.main(args=argv, prog_name="lpsplan", standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except LpsplanError as exc:
        if isinstance(exc, ValidationFailed):
            click.echo(exc.report.describe(), err=True)
        click.echo(f"lpsplan: error: {shown(str(exc))}", err=True)  # one line, whatever a file name holds
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except OSError as exc:  # a file that cannot be written or read (-o into a folder that does not exist, a full disk)
        name = str(exc.filename or "")
        where = f"{Path(name).parent if Path(name).name.startswith('.') else name}: " if name else ""  # a file's hidden .part: its folder
        click.echo(f"lpsplan: error: {shown(where)}{exc.strerror or exc}", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("lpsplan: aborted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo("lpsplan: interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
