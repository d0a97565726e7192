"""Small charts of a target's attainment (matplotlib, drawn on the server: no script, no CDN):
the baseline, the observed values by year, the target line and the straight path the
target requires from the baseline.  SVG for pages, PNG or SVG files for reports.

Labels stay in ASCII (years, numbers, the legend) so no CJK font is needed; the
page and the report name the indicator around the chart.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

from ..targets.attainment import Attainment
from ..targets.units import convert

DRAWABLE = 1e100  # beyond any indicator (observations are refused from 10^15); far below where the axes fail
COLORS = {"met": "#2e7d32", "on track": "#1565c0", "behind": "#ef6c00", "missed": "#c62828", "no data": "#757575"}


def chart(a: Attainment, ontology_file: str | Path, fmt: str = "svg", period_start: int | None = None) -> bytes:
    """One target's chart as SVG or PNG bytes (the same bytes for the same data)."""
    from matplotlib import rcParams
    from matplotlib.figure import Figure

    rcParams["svg.hashsalt"] = "lpsplan"
    rcParams["svg.fonttype"] = "none"
    fig = Figure(figsize=(3.4, 2.1), dpi=110 if fmt == "png" else 72)
    ax = fig.add_subplot()
    obs = [(p.year, convert(p.value, p.unit, a.unit, ontology_file)) for p in a.points if not p.baseline]
    obs = [(y, v) for y, v in obs if v is not None]
    shown = [a.target] + [v for _, v in obs] + ([a.baseline] if a.baseline is not None else [])
    if not all(math.isfinite(v) and abs(v) < DRAWABLE for v in shown):
        # a value stored by an update or read from a plan's text beyond what an axis can scale
        # (10^308 is an infinite limit, 10^300 a singular transform): said, not drawn
        ax.text(0.5, 0.5, "values out of range", transform=ax.transAxes, ha="center", va="center", fontsize=10, color="#757575")
        ax.set_axis_off()
        return _save(fig, fmt)
    years = [y for y, _ in obs] + [a.deadline] + ([a.baseline_year] if a.baseline_year else []) + ([period_start] if period_start else [])
    first, last = min(years) - 0.5, max(years) + 0.5
    color = COLORS.get(a.status, "#333333")
    ax.hlines(a.target, first, last, colors="#555555", linestyles="-", linewidth=1, label=f"target {a.comparator} {_fmt(a.target)}")
    if a.baseline is not None and a.baseline_year is not None:
        ax.plot([a.baseline_year, a.deadline], [a.baseline, a.target], linestyle="--", color="#888888", linewidth=1, label="required path")
        ax.plot([a.baseline_year], [a.baseline], marker="o", markerfacecolor="white", markeredgecolor=color, linestyle="none",
                markersize=6, label="baseline")
    if obs:
        ax.plot([y for y, _ in obs], [v for _, v in obs], marker="o", color=color, linewidth=1.5, markersize=5, label="observed")
        for y, v in obs:
            ax.annotate(_fmt(v), (y, v), textcoords="offset points", xytext=(0, 5), ha="center", fontsize=7, color=color)
    else:
        ax.text(0.5, 0.5, "no data", transform=ax.transAxes, ha="center", va="center", fontsize=10, color="#757575")
    ax.axvline(a.deadline, color="#bbbbbb", linewidth=0.8, linestyle=":")
    ax.set_xlim(first, last)
    ax.set_xticks(list(range(int(first + 0.5), int(last - 0.5) + 1)))
    ax.tick_params(labelsize=7)
    unit = a.unit if a.unit.isascii() else ""
    ax.set_ylabel(unit, fontsize=7)
    low = min([a.target] + [v for _, v in obs] + ([a.baseline] if a.baseline is not None else []))
    high = max([a.target] + [v for _, v in obs] + ([a.baseline] if a.baseline is not None else []))
    pad = (high - low) * 0.2 or abs(high) * 0.2 or 1
    ax.set_ylim(min(0, low - pad) if low >= 0 and low - pad < 0 else low - pad, high + pad)
    ax.legend(fontsize=6, loc="lower right", frameon=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout(pad=0.3)
    return _save(fig, fmt)


def _save(fig, fmt: str) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, metadata={"Date": None} if fmt == "svg" else {"Software": None})
    return buf.getvalue()


def _fmt(v: float) -> str:
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def write_charts(records: list[Attainment], folder: str | Path, ontology_file: str | Path, fmt: str = "svg") -> list[Path]:
    """One file per target, ``<plan>-target-<n>.<fmt>``, written atomically."""
    import os
    import tempfile

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for a in records:
        path = out / f"{a.slug}-target-{a.ordinal}.{fmt}"
        fd, tmp = tempfile.mkstemp(prefix=".chart.", dir=out)
        with os.fdopen(fd, "wb") as fh:
            fh.write(chart(a, ontology_file, fmt))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        written.append(path)
    return written
