"""Every command and option of the ``lpsplan`` CLI is documented: docs/cli.md is
the ``--help`` of every command, and must equal what the code says today; every
option has a help text; every command is also shown in use in the README or in
docs/.  After changing the CLI, rewrite the reference with ``make docs``."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click
import pytest
from lpsplan.cli import cli

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "docs" / "cli.md"
HEAD = """# Command reference

Every command's `--help`, as the code has it (`make docs` writes this page; a test
keeps it equal to the code).  How the commands are used together: the
[README](../README.md) and the page of each feature in this folder.
"""


def commands(group: click.Group = cli, path: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))


def help_text(path: tuple[str, ...]) -> str:
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, [*path, "--help"], prog_name="lpsplan", terminal_width=100)
    assert result.exit_code == 0, result.output
    return result.output.rstrip()


def reference() -> str:
    parts = [HEAD, "## lpsplan\n", "```\n" + help_text(()) + "\n```\n"]
    for path, _ in commands():
        parts += [f"## lpsplan {' '.join(path)}\n", "```\n" + help_text(path) + "\n```\n"]
    return "\n".join(parts)


COMMANDS = list(commands())
USAGE_DOCS = "\n".join(p.read_text(encoding="utf-8")
                       for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))] if p != REFERENCE)


def test_reference_is_current():
    assert REFERENCE.read_text(encoding="utf-8") == reference(), "docs/cli.md is out of date: run `make docs`"


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=" ".join)
def test_every_command_is_shown_in_use(path):
    pattern = r"lpsplan\s+" + r"\s+".join(map(re.escape, path)) + r"(?![\w-])"
    assert re.search(pattern, USAGE_DOCS), f"`lpsplan {' '.join(path)}` is used in no doc"


@pytest.mark.parametrize("path", [(), *(p for p, _ in COMMANDS)], ids=lambda p: " ".join(p) or "lpsplan")
def test_every_option_has_help(path):
    command = cli
    for name in path:
        command = command.commands[name]
    silent = [max(p.opts, key=len) for p in command.params if isinstance(p, click.Option) and not p.help and not p.hidden]
    assert not silent, f"options without help: {silent}"


if __name__ == "__main__":  # `make docs`
    REFERENCE.write_text(reference(), encoding="utf-8")
    print(f"wrote {REFERENCE.relative_to(ROOT)}", file=sys.stderr)
