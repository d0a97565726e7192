"""The ``lpsplan`` command.  Commands mirror library functions and stay short;
every :class:`~lpsplan.errors.LpsplanError` becomes one line on stderr and a
non-zero exit, here and nowhere else.

This package is the top layer, the only one besides ``api`` and ``viz`` that
uses a framework (click).  Its modules hold the commands by what they work on:
``graph`` (build, validate, query, search, queries, openapi, serve, over the plan
graph), ``network`` (the responsibility networks' measures, exports and views),
``plans`` (linking titles, ingesting and removing plans, observations and targets)
and ``common`` (the options and the printing of tables they share).  This module
is the group that holds them and the entry point that turns errors into exit
codes; ``python -m lpsplan.cli`` runs it too."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..config import Settings
from ..errors import LpsplanError, ValidationFailed, shown
from .graph import build, openapi, queries, query, search, serve, validate
from .network import network, viz
from .plans import ingest, link, observe, plans, remove, targets


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", type=click.Path(file_okay=False), envvar="LPSPLAN_HOME", help="Project folder (ontology/, data/, …).")
@click.option("--base-iri", envvar="LPSPLAN_BASE_IRI", help="Base of the data IRIs.")
@click.version_option(package_name="lpsplan")
@click.pass_context
def cli(ctx: click.Context, home: str | None, base_iri: str | None) -> None:
    """lpsplan: government policy plans as a validated knowledge graph."""
    from ..config import project_paths

    ctx.obj = {"settings_factory": lambda: Settings.from_env(paths=project_paths(home) if home else None, base_iri=base_iri)}


for command in (build, validate, query, search, queries, openapi, serve, network, viz, link, ingest, plans, remove, observe, targets):
    cli.add_command(command)


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
    except UnicodeEncodeError as exc:
        if exc.reason != "surrogates not allowed":
            raise
        # an argument (or a file's name) holding bytes that are not UTF-8 reaches Python as lone surrogates, which
        # no query, graph or file can carry: `query -p unit=$'\x85'`, `ingest --title`, `remove` were tracebacks
        bad = exc.object[exc.start]
        byte = f"byte 0x{ord(bad) - 0xDC00:02x}" if "\udc80" <= bad <= "\udcff" else f"U+{ord(bad):04X}"
        click.echo(f"lpsplan: error: an argument holds text that is not UTF-8 ({byte}); give names and values in UTF-8", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("lpsplan: aborted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo("lpsplan: interrupted", err=True)
        sys.exit(130)

