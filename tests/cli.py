"""The CLI run in this process with click's CliRunner, through the same edge a shell
reaches (:func:`lpsplan.cli.main`, which turns errors into one line and an exit code).

Most CLI tests check an exit code and what was printed: a separate process proves
nothing more there, and costs an interpreter start and the imports each time.  Tests
that need a real process (a service, signals, locking between processes, the
interpreter's own traceback, a cold start) keep ``subprocess`` and say why.
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from dataclasses import dataclass

from click.testing import CliRunner


@dataclass
class Ran:
    """What ``subprocess.run(..., capture_output=True, text=True)`` would have given."""

    returncode: int
    stdout_bytes: bytes
    stderr_bytes: bytes

    @property
    def stdout(self) -> str:
        return self.stdout_bytes.decode("utf-8", "replace")

    @property
    def stderr(self) -> str:
        return self.stderr_bytes.decode("utf-8", "replace")


def run_cli(*args, env: dict[str, str] | None = None, cwd=None, input: str | bytes | None = None) -> Ran:
    """``lpsplan ARGS`` in this process.  ``env``: the whole environment of the command, as for
    ``subprocess.run`` (variables not in it are unset while it runs); ``cwd``: its working folder."""
    from lpsplan.cli import main

    overrides = None
    if env is not None:
        overrides = {k: None for k in os.environ if k not in env} | {k: str(v) for k, v in env.items()}
    code = 0
    with (contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext(),
          CliRunner().isolation(input=input, env=overrides) as (out, err, _),
          warnings.catch_warnings()):
        warnings.simplefilter("ignore")
        try:
            main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        sys.stdout.flush()  # (a process flushes its streams when it exits)
        sys.stderr.flush()
        stdout, stderr = out.getvalue(), err.getvalue()
    return Ran(code, stdout, stderr)
