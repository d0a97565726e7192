"""Scoring a linker on labelled titles: accuracy, "fits none", per domain, calibration.

A labelled file is either the CSV of real titles (``title,label,alt_label,...,split``)
or the older TSV (``title<TAB>domain<TAB>also``).  "none" is a class of its own.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError

CJK = re.compile(r"[\u4e00-\u9fff]")
BATCH = 64


@dataclass
class Labelled:
    title: str
    domain: str  # a domain's Chinese label, or "none"
    also: str = ""  # another acceptable answer, if any
    split: str = ""

    @property
    def english(self) -> bool:
        return not CJK.search(self.title)


def read_labelled(path, split: str | None = None) -> list[Labelled]:
    """The labelled rows of a file (only those of ``split`` when given); a clear error when unusable."""
    p = Path(path)
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError("the labelled file is not UTF-8", path=p) from None
    except OSError as exc:
        raise SourceError(f"cannot read the labelled file ({exc.strerror})", path=p) from None
    rows = list(csv.DictReader(io.StringIO(text), delimiter="\t" if p.suffix.lower() == ".tsv" else ","))
    if not rows:
        raise SourceError("the labelled file has no rows", path=p)
    head = set(rows[0])
    if {"title", "label"} <= head:
        out = [Labelled(r["title"], r["label"], r.get("alt_label") or "", r.get("split") or "") for r in rows]
    elif {"title", "domain"} <= head:
        out = [Labelled(r["title"], r["domain"], r.get("also") or "") for r in rows]
    else:
        raise SourceError(f"a labelled file needs the columns title and label (or domain); it has: {', '.join(rows[0])}", path=p)
    if split:
        out = [r for r in out if r.split == split]
        if not out:
            raise SourceError(f"no rows in split {split!r}", path=p)
    return out


def evaluate(linker, rows: list[Labelled]) -> dict:
    """top-1, top-3, MRR, fits-none precision/recall, per-domain precision/recall, the confusion
    matrix, the English subset, and (for a calibrated linker) the confidence of each top answer."""
    ranked: list[tuple[list[str], float | None]] = []
    for i in range(0, len(rows), BATCH):
        ranked += linker.ranked_labels([r.title for r in rows[i:i + BATCH]])
    top1 = top3 = 0
    rr = 0.0
    confusion: dict[str, Counter] = defaultdict(Counter)
    calibration = []
    en = [0, 0]
    for row, (labels, confidence) in zip(rows, ranked, strict=True):
        ok = {row.domain} | ({row.also} if row.also else set())
        hit = labels[0] in ok
        top1 += hit
        top3 += bool(ok & set(labels[:3]))
        rank = next((i for i, d in enumerate(labels, 1) if d in ok), None)
        rr += 1 / rank if rank else 0.0
        confusion[row.domain][row.domain if hit else labels[0]] += 1
        if confidence is not None:
            calibration.append((round(confidence, 4), bool(hit)))
        if row.english:
            en[0] += hit
            en[1] += 1
    labels = sorted({r.domain for r in rows} | {p for c in confusion.values() for p in c})
    per_domain = {}
    for label in labels:
        tp = confusion[label][label]
        predicted = sum(confusion[g][label] for g in confusion)
        actual = sum(confusion[label].values())
        per_domain[label] = {"precision": round(tp / predicted, 3) if predicted else 0.0,
                             "recall": round(tp / actual, 3) if actual else 0.0, "support": actual}
    n = len(rows)
    none = per_domain.get("none", {"precision": 0.0, "recall": 0.0, "support": 0})
    return {"titles": n, "top1": round(top1 / n, 4), "top3": round(top3 / n, 4), "mrr": round(rr / n, 4),
            "none_precision": none["precision"], "none_recall": none["recall"], "none_support": none["support"],
            "english_titles": en[1], "english_top1": round(en[0] / en[1], 4) if en[1] else None,
            "per_domain": per_domain, "confusion": {g: dict(c) for g, c in sorted(confusion.items())},
            "calibration": calibration}


def reliability(calibration: list[tuple[float, bool]], bins: int = 10) -> list[dict]:
    """Confidence bins: mean confidence, observed accuracy and count of the top answers in each."""
    out = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(c, h) for c, h in calibration if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if inside:
            out.append({"from": lo, "to": hi, "confidence": round(sum(c for c, _ in inside) / len(inside), 3),
                        "accuracy": round(sum(h for _, h in inside) / len(inside), 3), "count": len(inside)})
    return out


def expected_calibration_error(calibration: list[tuple[float, bool]]) -> float | None:
    if not calibration:
        return None
    return round(sum(abs(b["confidence"] - b["accuracy"]) * b["count"] for b in reliability(calibration)) / len(calibration), 4)


def reliability_diagram(calibration: list[tuple[float, bool]], path, title: str = "") -> Path:
    """A PNG of observed accuracy against calibrated confidence, written whole or not at all."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    bins = reliability(calibration)
    fig, ax = plt.subplots(figsize=(4.5, 4.5), dpi=120)
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1, label="perfect calibration")
    ax.bar([b["from"] for b in bins], [b["accuracy"] for b in bins], width=0.1, align="edge",
           edgecolor="black", alpha=0.6, label="observed top-1 accuracy")
    for b in bins:
        ax.text(b["from"] + 0.05, min(b["accuracy"] + 0.02, 0.97), str(b["count"]), ha="center", fontsize=7)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("calibrated probability of the top answer")
    ax.set_ylabel("fraction correct")
    ece = expected_calibration_error(calibration)
    ax.set_title(f"{title}  ECE {ece:.3f}" if ece is not None else title, fontsize=9)
    ax.legend(loc="upper left", fontsize=7)
    fig.tight_layout()
    p = Path(path)
    tmp = p.with_name(p.name + ".tmp")
    fig.savefig(tmp, format="png")
    plt.close(fig)
    tmp.replace(p)
    return p
