"""The commands that add to the store and read what was added: link, ingest, plans, remove, observe, targets.

``link`` links project titles to the plan's domains and technology directions (and scores the
linker on labelled titles); ``ingest`` adds plans as named graphs, ``plans`` lists them and
``remove`` takes one out; ``observe`` adds observed values of the indicators and ``targets``
reports each target's attainment from them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..config import DEFAULT_JURISDICTION
from .common import _print_rows, _project, _settings, _store_option


@click.command()
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
    from ..link import workflow as linking
    from ..link.io import records_as, write_atomic

    project = _project(ctx, store)
    if sum(x is not None for x in (title, input_file, evaluate_file)) != 1:
        raise click.UsageError("give one TITLE, or --input FILE, or --evaluate FILE")
    if output and not evaluate_file:  # the file's extension decides; a contradicting --format is refused before any work
        from ..tables import format_for

        if fmt == "table":
            raise click.UsageError("--format table is for the screen; with -o give .json, .csv or .xlsx")
        fmt = format_for(output, fmt)
    elif fmt == "xlsx":
        raise click.UsageError("an .xlsx workbook goes to a file: add -o FILE.xlsx")
    if fmt == "csv-bom":
        fmt, bom = "csv", True
    if evaluate_file:
        from ..link.evaluate import read_labelled

        rows = read_labelled(evaluate_file, split)  # a clear error before the model is loaded
        linker = project.linker(method)
        metrics = linking.evaluate_rows(linker, rows)
        click.echo(linking.describe_evaluation(metrics, method))
        if metrics["calibration"]:
            from ..link.evaluate import reliability_diagram

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


@click.command()
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


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True, help="Output: a table for people, CSV or JSON.")
@_store_option
@click.pass_context
def plans(ctx, fmt, store) -> None:
    """List the plans in the store (the built plan and every ingested one) with their counts."""
    with _project(ctx, store) as project:
        _print_rows(project.plans(), fmt)


@click.command()
@click.argument("slug")
@_store_option
@click.pass_context
def remove(ctx, slug, store) -> None:
    """Remove an ingested plan (its named graph)."""
    with _project(ctx, store) as project:
        click.echo(f"removed <{project.remove(slug)}>")


@click.command()
@click.option("--input", "input_file", required=True, type=click.Path(dir_okay=False),
              help="A table of observed values (.csv, .tsv or .xlsx; see docs/targets.md for the columns).")
@click.option("--area", default=DEFAULT_JURISDICTION, show_default=True, help="The area of rows without an 'area' column.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output: text for people or JSON.")
@_store_option
@click.pass_context
def observe(ctx, input_file, area, fmt, store) -> None:
    """Add observed values of the plans' indicators, each with its source; all rows or none
    (the report says which rows were added, replaced or refused, and why)."""
    from ..targets.observe import ImportRefused

    try:
        with _project(ctx, store) as project:
            report = project.observe(input_file, area)
    except ImportRefused as exc:
        click.echo(json.dumps(exc.report.as_dict(), ensure_ascii=False, indent=2) if fmt == "json" else exc.report.describe())
        raise
    click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) if fmt == "json" else report.describe())


@click.command()
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
    from ..targets.attainment import summary_line
    from ..targets.export import write_table

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
        from ..viz.targets import write_charts

        paths = write_charts(records, charts, settings.paths.ontology_file, chart_format)
        click.echo(f"wrote {len(paths)} charts into {charts}", err=True)
    click.echo(summary_line(records), err=True)
