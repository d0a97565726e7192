"""Reading the real plans of tests/data/real and written examples the way `lpsplan ingest` does, for the tests of
the extractor's rules: the units and roles of each clause, as written."""

from pathlib import Path

from lpsplan.build import build_plan
from lpsplan.extract.annotations import find_annotations
from lpsplan.inputs import SourceText, read_plan_input

REAL = Path(__file__).parent / "data" / "real"


def read(settings, name: str, title: str | None = None):
    source = read_plan_input(REAL / f"{name}.txt").source
    return build_plan(settings, source=source, slug=name, jurisdiction=None, title=title, strict=False).plan


def written(settings, text: str):
    source = SourceText("written.txt", text, "0" * 64)
    return build_plan(settings, source=source, slug="written", jurisdiction=None, strict=False).plan


def roles(plan):
    return [[(u.written, u.role) for u in c.units] for c in plan.clauses if not c.inherited_from]


def found(text: str):
    return [[(u.written, u.role) for u in units] for _, units in find_annotations(text, 0, len(text), "x.txt", strict=False, warnings=[])]
