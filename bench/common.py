"""Helpers the benchmark scripts share."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def median_ms(fn, repeat: int = 5) -> float:
    """Median wall time of ``fn()`` over ``repeat`` runs, in milliseconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def write_section(path: Path, section: str, name: str) -> None:
    """Replace (or append) the section between <!-- name:begin --> and <!-- name:end --> of a document."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    block = f"{begin}\n{section}{end}\n"
    if begin in text and end in text:
        text = text[: text.index(begin)] + block + text[text.index(end) + len(end) + 1 :]
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text, encoding="utf-8")


def percentile_ms(fn, repeat: int, pct: float) -> tuple[float, float]:
    """(median, pct-th percentile) wall time of ``fn()`` over ``repeat`` runs, in milliseconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(pct / 100 * (len(times) - 1)))]


def record(name: str, figures: dict) -> None:
    """Keep one benchmark's key figures in bench/out/<name>.json for bench/targets.py."""
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")


def recorded(name: str) -> dict | None:
    path = OUT / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def distinct_titles(titles: list[str], n: int = 600) -> list[str]:
    """``n`` distinct titles: the given ones, then each again with a numbered suffix, as often as needed."""
    return [f"{t}{'' if i < len(titles) else f'（{i // len(titles)}）'}" for i, t in enumerate(titles * (n // len(titles) + 1))][:n]


class LinkPasses:
    """Batch linking of the titles in batches of 64 by a hybrid linker: ``again`` (the cache of linked titles
    answers), ``new`` (both caches emptied: every title is embedded), ``rest`` (the embeddings cached, the
    results not: the linker's own work besides the encoder)."""

    def __init__(self, linker, titles: list[str]):
        self.linker, self.titles = linker, titles

    def again(self) -> None:
        for i in range(0, len(self.titles), 64):
            self.linker.link_many(self.titles[i:i + 64])

    def new(self) -> None:
        self.linker.encoder._titles.clear()
        self.linker._results.clear()
        self.again()

    def rest(self) -> None:
        self.linker._results.clear()
        self.again()
