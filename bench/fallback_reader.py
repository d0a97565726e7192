"""How far the last-resort table reader (``lpsplan/extract/unitrows.py``) carries on its own: on every dev document
whose labelled annotations a table or cell lines give, the reader runs ALONE on the whole text — as if every other
structure reader had failed — and its annotations are scored as ``plan_eval`` scores the pipeline's (units in order,
roles; names compared as words).  The figure says whether the reader will carry to a layout nobody wrote rules on.

    .venv/bin/python bench/fallback_reader.py            # dev only; prints one line a document and the total
    .venv/bin/python bench/fallback_reader.py --misses   # with the labels it missed

A document counts as a table document when the normal pipeline reads table rows in it (any reader of tables) or
the text has a line that is only a unit cell (★区发改委 / 市商务局、市发改委): which documents those are is decided by
the pipeline, not by this reader.  Prints only; writes no file.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lpsplan.errors import LpsplanError
from lpsplan.extract import without_stray_marks
from lpsplan.extract.structure import parse_skeleton
from lpsplan.extract.text import lines
from lpsplan.extract.traditional import folded, simplified
from lpsplan.extract.unitcells import starred_cells, unit_cells
from lpsplan.extract.unitrows import unit_rows
from lpsplan.ingest import page_cleaned
from lpsplan.inputs import read_plan_input
from lpsplan.plan_eval import fold


def table_document(text: str, doc_id: str) -> bool:
    try:
        if parse_skeleton(text, doc_id, doc_id).table_rows:
            return True
    except LpsplanError:
        pass
    return bool(unit_cells(text, 0, len(text)) or starred_cells(text, 0, len(text)))


def score(read: list[tuple[list[str], list[str]]], labelled: list[dict]) -> tuple[int, list[str]]:
    used = [False] * len(read)
    right, misses = 0, []
    for a in labelled:
        want = ([fold(u) for u in a["units"]], list(a["roles"]))
        hit = next((i for i, r in enumerate(read) if not used[i] and r == want), None)
        if hit is None:
            misses.append(" ".join(a["units"]) + " " + "/".join(a["roles"]))
        else:
            used[hit] = True
            right += 1
    return right, misses


def main(argv: list[str]) -> None:
    folder = ROOT / "tests" / "data" / "real"
    manifest = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
    gold = yaml.safe_load((folder / "gold.yaml").read_text(encoding="utf-8"))
    total = right_total = docs = 0
    for doc in manifest["documents"]:
        if doc["split"] != "dev":
            continue
        labelled = (gold.get(doc["id"]) or {}).get("annotations") or []
        if not labelled:
            continue
        source = page_cleaned(read_plan_input(folder / f"{doc['id']}.txt")).source
        text = without_stray_marks(simplified(folded(source.text)))
        if not table_document(text, doc["id"]):
            continue
        rows, _ = unit_rows(text, list(lines(text)))
        read = [([fold(u.written) for u in r.units], [u.role for u in r.units]) for r in rows]
        right, misses = score(read, labelled)
        docs += 1
        total += len(labelled)
        right_total += right
        print(f"{doc['id']:<40} {right:>3}/{len(labelled):<3} read {len(rows)}")
        if "--misses" in argv:
            for m in misses:
                print(f"{'':<40} missed: {m}")
    print(f"reader alone on {docs} dev table documents: {right_total} of {total} labelled annotations right")


if __name__ == "__main__":
    main(sys.argv[1:])
