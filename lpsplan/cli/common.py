"""What the ``lpsplan`` commands share: the project their settings name, and how a table is printed.

``_project`` opens the project over the embedded store or the server ``--store`` names;
``_filters`` and ``_store_option`` are the options several commands take; ``_print_rows`` writes
rows as a table on screen, CSV, JSON or a workbook, to stdout or a file, in the format
``_table_format`` settles from ``--format`` and the output file's extension.
"""

from __future__ import annotations

import csv
import json
import sys

import click

from ..config import Settings
from ..tables import write


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj["settings_factory"]()


def _store_option(f):
    return click.option("--store", "store", metavar="URL",
                        help="The base URL of a SPARQL 1.1 server to use instead of the embedded store (LPSPLAN_STORE).")(f)


def _project(ctx: click.Context, store: str | None = None):
    """The project these settings name, over the embedded store or the server of --store."""
    from ..project import Project

    settings = _settings(ctx)
    return Project(settings.with_(store=store) if store else settings)


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


def _table_format(fmt: str | None, output: str | None) -> str:
    """The format of a tabular answer: with -o, the one the file's extension names (a contradicting --format is
    refused); on screen, a table unless asked otherwise (an .xlsx workbook only goes to a file)."""
    from ..tables import format_for

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
        from ..tables import render

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
        from ..tables import screen_table

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
