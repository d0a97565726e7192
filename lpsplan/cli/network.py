"""The commands on the responsibility networks: ``network metrics|domains|export`` and ``viz``.

``network metrics`` and ``network domains`` print the per-unit and per-domain measures,
``network export`` writes a network as GraphML, GEXF or a CSV edge list, and ``viz`` writes
an interactive view as one self-contained HTML file.  The networks are those of every plan in
the store, narrowed by the shared filters (domain, task, section, plan, weight).
"""

from __future__ import annotations

from pathlib import Path

import click

from ..tables import FORMATS as TABLE_FORMATS
from ..tables import write
from .common import _filters, _network, _print_rows, _store_option, _table_format


@click.group()
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
    from ..network import NetworkFilter, export

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


@click.command()
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
    from ..viz import ViewOptions, render_view

    opts = ViewOptions(domain=domain, task=task, min_weight=min_weight, expand_groups=expand_groups, unit=unit, kind=kind,
                       color=color, lang=lang)
    page = render_view(view, _network(ctx, store), opts)
    write(output, page.html.encode("utf-8"))
    click.echo(f"wrote {output}: {page.nodes} nodes, {page.edges} edges")
