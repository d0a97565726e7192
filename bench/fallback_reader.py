"""How far the last-resort table reader (``lpsplan/extract/unitrows.py``) carries on its own: on every dev document
whose labelled annotations a table or cell lines give, the reader runs ALONE on the whole text — as if every other
structure reader had failed — and its annotations are scored as ``plan_eval`` scores the pipeline's (units in order,
roles; names compared as words).  The figure says whether the reader will carry to a layout nobody wrote rules on.

    .venv/bin/python bench/fallback_reader.py            # dev only; prints one line a document and the total
    .venv/bin/python bench/fallback_reader.py --misses   # with the labels it missed

A document counts as a table document when the normal pipeline reads table rows in it (any reader of tables) or
the text has a line that is only a unit cell (★区发改委 / 市商务局、市发改委): which documents those are is decided by
the pipeline, not by this reader.  Prints only; writes no file.

Leave-one-layout-out: the reader's rules were drawn from dev documents too, so its own figure flatters it.  Each rule
that can be switched off (``unitrows.RULES``) is listed below with the dev documents it was drawn from; the column
"left out" scores each document with the rules drawn from it switched off — only what it learnt from OTHER layouts.  The
rules written before that list (round 23's) are not switched off: the figure is of the later rules' carrying.
The column "pipeline" is the normal pipeline's figure on the same document (``plan_eval``'s).
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
from lpsplan.extract.unitrows import rules_off, unit_rows
from lpsplan.ingest import page_cleaned
from lpsplan.inputs import read_plan_input
from lpsplan.plan_eval import fold

# each rule of unitrows that can be switched off, and the dev documents it was drawn from
DRAWN_FROM = {
    "group": {"xinjian-livelihood-progress-2024"},
    "beside": {"zhonglou-report-tasks-2024"},
    "bracket": {"zhonglou-report-tasks-2024"},
    "collective": {"zhonglou-report-tasks-2024", "hangzhou-report-duties-2021"},
    "placed": {"yuhang-report-tasks-2018"},
    "weak-list": {"jinan-shizhong-report-progress-2025"},
    "zones": {"pingdingshan-river-chief-tasks-2018", "yuhang-report-tasks-2018"},
    "stop-list": {"qiaocheng-sti-table-2023", "qiaocheng-education-table-2025"},
    "header-first": {"qiaocheng-education-table-2025"},
    "serial-header": {"yueyanglou-livelihood-progress-2017"},
    "issuer-heading": {"changsha-report-duties-2021"},
    "scorers": {"shengsi-rural-revitalization-list-2021", "jinan-shizhong-report-progress-2025"},
}


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


def _read(text: str) -> list[tuple[list[str], list[str]]]:
    rows, _ = unit_rows(text, list(lines(text)))
    return [([fold(u.written) for u in r.units], [u.role for u in r.units]) for r in rows]


def main(argv: list[str]) -> None:
    from lpsplan.config import Settings
    from lpsplan.plan_eval import evaluate_document

    folder = ROOT / "tests" / "data" / "real"
    manifest = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
    gold = yaml.safe_load((folder / "gold.yaml").read_text(encoding="utf-8"))
    settings = Settings.from_env()
    total = right_total = left_total = pipe_total = docs = whole = whole_left = 0
    print(f"{'document':<40} {'alone':>7} {'left out':>8} {'pipeline':>8}  rows read alone")
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
        read = _read(text)
        right, misses = score(read, labelled)
        with rules_off(*[r for r, drawn in DRAWN_FROM.items() if doc["id"] in drawn]):
            left, _ = score(_read(text), labelled)
        piped = evaluate_document(settings, folder, doc, gold.get(doc["id"]) or {}).annotations_right
        docs += 1
        total += len(labelled)
        right_total += right
        left_total += left
        pipe_total += piped
        whole += right == len(labelled)
        whole_left += left == len(labelled)
        n = len(labelled)
        print(f"{doc['id']:<40} {right:>3}/{n:<3} {left:>4}/{n:<3} {piped:>4}/{n:<3}  {len(read)}")
        if "--misses" in argv:
            for m in misses:
                print(f"{'':<40} missed: {m}")
    print(f"reader alone on {docs} dev table documents: {right_total} of {total} labelled annotations right "
          f"({whole} documents whole)")
    print(f"left out (each document without the rules drawn from it): {left_total} of {total} ({whole_left} documents whole)")
    print(f"the pipeline on the same documents: {pipe_total} of {total}")


if __name__ == "__main__":
    main(sys.argv[1:])
