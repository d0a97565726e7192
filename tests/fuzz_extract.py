"""Coverage-guided fuzzing of reading and extraction with atheris (libFuzzer), bounded.

    .venv/bin/python tests/fuzz_extract.py -runs=20000 -seed=1 CORPUS_DIR

Run by tests/test_properties.py in a subprocess (libFuzzer owns the process and
exits it).  Each input is a file's bytes: decoded as a plan source would be
(charset detection included), then extracted.  Anything but a plan or an
``LpsplanError`` is a crash, which libFuzzer reports with the input that caused
it and a non-zero exit.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import atheris

with atheris.instrument_imports(include=["lpsplan"]):
    import lpsplan.extract
    from lpsplan.errors import LpsplanError
    from lpsplan.extract import extract_plan
    from lpsplan.source import decode_source

    # the modules extraction imports only when a text calls for them (the table readers, metadata, the divisions'
    # names): imported here, so that they are instrumented too — imported later, their branches were no coverage
    # for libFuzzer to follow
    for _module in pkgutil.iter_modules(lpsplan.extract.__path__):
        importlib.import_module(f"lpsplan.extract.{_module.name}")
    importlib.import_module("lpsplan.divisions")
    importlib.import_module("lpsplan.segment")


def one_input(data: bytes) -> None:
    try:
        source = decode_source(data, "fuzz.txt")
        plan = extract_plan(source, "fuzz")
    except LpsplanError as exc:
        if not str(exc).startswith("fuzz.txt"):
            raise AssertionError(f"an error message that does not name the file: {exc}") from None
        return
    text = source.text
    for c in plan.clauses:  # what the graph is built from must point into the text it came from
        if text[c.text.span.start : c.text.span.end] != c.text.text:
            raise AssertionError(f"clause span {c.text.span} does not hold its text")
        if not c.units:
            raise AssertionError("a clause without a responsible unit")


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
