"""How the extractor's time grows with the size of written inputs that repeat one form: each form at 8, 16 and 32 KB.

    .venv/bin/python bench/extract_inputs.py [--sizes 8 16 32] [--forms NAME ...] [--reader unit_cells]

A reader that is linear in its input takes about twice as long at twice the size; one that is quadratic four times
as long.  Each input is a title line and one block repeated up to the size (see FORMS); it is extracted as
``lpsplan ingest`` extracts a plan (not strict), once, in this process.  Prints a table of seconds per size and the
ratio of the largest size's time to the smallest's.  Nothing is written: the figures quoted in docs/reliability.md
were taken with this script.
"""

from __future__ import annotations

import argparse
import time

TITLE = "某市2023年重点工作任务分解表\n"

# written inputs, each a block repeated (the forms of docs/reliability.md's table of slow inputs)
FORMS = {
    # a run of header rows whose unit's word names no units (单位价格): no 序号 opens a header
    "headers naming no units": "序号\n单位价格\n目标值\n",
    # a run of header rows each a valid header, one cell a line
    "valid headers": "序号\n重点任务\n责任单位\n",
    # a one-cell-a-line table's rows under one section, no header: its number, the task's cell, a cell of units
    "unit cells": "1\n加快建设城市大脑。\n县大数据局、县财政局\n",
    # the same with a labelled line after each cell of units (read as one annotation with it)
    "unit cells and labels": "1\n加快建设城市大脑。\n县大数据局、县财政局\n省牵头单位:省大数据局\n",
    # one paragraph of numeric targets with no sentence's end
    "targets in one paragraph": "增长12.5%,",
    "deadlines and targets in one paragraph": "到2025年,产值达到100亿元,",
    # annotations left open, one after another on one line (each a warning with its line and column)
    "unclosed annotations in one line": "(责任单位:市住建局",
    # cells closed by | that are only spaces, after a sentence's end
    "lines of spaces closed by |": "    |\n",
}
HEAD = {"unclosed annotations in one line": "一、重点任务\n",
        "targets in one paragraph": "一、重点任务\n(一)推进改造。", "deadlines and targets in one paragraph": "一、重点任务\n(一)推进改造。",
        "unit cells": "一、重点任务\n", "unit cells and labels": "一、重点任务\n", "lines of spaces closed by |": "一、重点任务\n推进改造。\n"}


def text_of(form: str, kb: int) -> str:
    block = FORMS[form]
    head = TITLE + HEAD.get(form, "")
    n = max(1, (kb * 1024 - len(head.encode())) // len(block.encode()))
    return head + block * n


def seconds(text: str, reader: str = "extract") -> tuple[float, str]:
    from lpsplan.errors import LpsplanError
    from lpsplan.extract import extract_plan
    from lpsplan.extract.unitcells import unit_cells
    from lpsplan.source import SourceText

    t = time.perf_counter()
    if reader == "unit_cells":  # the reader alone, over the whole text
        found = unit_cells(text, 0, len(text))
        return time.perf_counter() - t, f"{len(found)} unit cells"
    try:
        out = f"{len(extract_plan(SourceText('x.txt', text, '0' * 64), 'x', strict=False).clauses)} clauses"
    except LpsplanError:
        out = "refused"
    return time.perf_counter() - t, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[8, 16, 32], help="sizes in KB")
    parser.add_argument("--forms", nargs="+", default=list(FORMS), choices=list(FORMS), metavar="NAME")
    parser.add_argument("--reader", choices=["extract", "unit_cells"], default="extract",
                        help="time the whole extraction (default) or one reader alone on the whole text")
    args = parser.parse_args()
    seconds(TITLE + "一、重点任务\n(一)推进改造。(责任单位:市住建局)\n")  # the modules loaded, the patterns compiled
    print(f"{'input':<40}" + "".join(f"{kb:>8} KB" for kb in args.sizes) + "   ratio  read as")
    for form in args.forms:
        times, outcome = [], ""
        for kb in args.sizes:
            s, outcome = seconds(text_of(form, kb), args.reader)
            times.append(s)
        ratio = times[-1] / times[0] if times[0] > 0 else float("inf")
        print(f"{form:<40}" + "".join(f"{s:>10.2f}s" for s in times) + f"  {ratio:>6.1f}  {outcome}", flush=True)


if __name__ == "__main__":
    main()
