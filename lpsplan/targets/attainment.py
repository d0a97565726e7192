"""Attainment of the plans' targets, derived from the observations every time it is asked.

The status, the share reached and the value the path to the target requires come
from the named question ``target-attainment`` (plain SPARQL, so any store answers
it alike); this module adds what SPARQL cannot compute — compound annual growth
rates, required and actual — and the summary line.  Nothing here is stored: change
an observation and the next answer changes with it.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from decimal import Decimal

STATUSES = ("met", "on track", "behind", "missed", "no data")
STATUS_ZH = {"met": "已完成", "on track": "进度正常", "behind": "进度落后", "missed": "未完成", "no data": "无数据"}

HISTORY_QUERY = """
PREFIX lps: <https://w3id.org/lpsplan/ontology#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?indicator ?area ?year ?value ?unit ?baseline ?source ?publisher ?date ?quote WHERE {
  GRAPH ?g { ?o a qb:Observation ; lps:observedIndicator ?indicator ; sdmx-dimension:refArea ?area ; lps:refYear ?y ;
                sdmx-measure:obsValue ?value ; lps:unitOfMeasure ?unit ; dcterms:source ?source ; lps:quote ?quote .
             ?source dcterms:publisher ?publisher ; dcterms:issued ?date .
             OPTIONAL { ?o lps:baseline ?b } }
  BIND(STR(?y) AS ?year) BIND(COALESCE(?b, false) AS ?baseline)
} ORDER BY ?indicator ?area ?year ?baseline"""


@dataclass
class Point:
    year: int
    value: float  # in the observation's own unit
    unit: str
    baseline: bool
    source: str
    publisher: str
    date: str
    quote: str


@dataclass
class Attainment:
    plan: str
    ordinal: int
    indicator: str
    comparator: str
    target: float
    unit: str
    deadline: int
    status: str
    area: str = ""
    baseline_year: int | None = None
    baseline: float | None = None
    year: int | None = None
    value: float | None = None
    required: float | None = None
    share: float | None = None
    observations: int = 0
    required_growth: float | None = None
    actual_growth: float | None = None
    points: list[Point] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.plan.rstrip("/").rsplit("/", 1)[-1]

    def as_row(self) -> dict[str, object]:
        row = asdict(self)
        row.pop("points")
        for k in ("share", "required_growth", "actual_growth", "required"):
            row[k] = None if row[k] is None else round(row[k], 4)
        row["status_zh"] = STATUS_ZH[self.status]
        row["sources"] = " ; ".join(sorted({p.source for p in self.points}))
        return row


def growth_rate(start: float | None, end: float | None, years: int | None) -> float | None:
    """The compound annual growth rate from ``start`` to ``end`` over ``years`` (None when undefined)."""
    if start is None or end is None or not years or years <= 0 or start <= 0 or end <= 0:
        return None
    return math.pow(end / start, 1 / years) - 1


def _num(v) -> float | None:
    if v is None or v == "":
        return None
    return float(Decimal(str(v)))


def _int(v) -> int | None:
    return None if v is None or v == "" else int(str(v))


def attainment(select, catalogue, slug: str = "") -> list[Attainment]:
    """Every target (of the plan ``slug``, or of every plan) with its attainment; ``select`` runs a
    SELECT and returns rows of plain values (strings are fine), ``catalogue`` holds the named questions."""
    rows = select(catalogue.get("target-attainment").render({"slug": slug}))
    history = _history(select)
    out = []
    for r in rows:
        if r.get("status") is None:  # a value the store's decimal arithmetic cannot compare (beyond its range): no status
            r = {k: v for k, v in r.items() if k not in ("value", "required", "share", "year")} | {"status": "no data"}
        a = Attainment(plan=str(r["plan"]), ordinal=int(r["ordinal"]), indicator=str(r["indicator"]), comparator=str(r["comparator"]),
                       target=_num(r["target"]), unit=str(r["unit"]), deadline=int(r["deadline"]), status=str(r["status"]),
                       area=str(r.get("area") or ""), baseline_year=_int(r.get("baselineYear")), baseline=_num(r.get("baseline")),
                       year=_int(r.get("year")), value=_num(r.get("value")), required=_num(r.get("required")) if r.get("value") is not None else None,
                       share=_num(r.get("share")), observations=_int(r.get("observations")) or 0)
        if a.baseline_year is not None:
            a.required_growth = growth_rate(a.baseline, a.target, a.deadline - a.baseline_year)
            if a.year is not None:
                a.actual_growth = growth_rate(a.baseline, a.value, a.year - a.baseline_year)
        a.points = history.get((a.indicator, a.area), [])
        out.append(a)
    return out


def _history(select) -> dict[tuple[str, str], list[Point]]:
    points: dict[tuple[str, str], list[Point]] = {}
    for r in select(HISTORY_QUERY):
        points.setdefault((str(r["indicator"]), str(r["area"])), []).append(
            Point(int(str(r["year"])), float(Decimal(str(r["value"]))), str(r["unit"]), str(r["baseline"]).lower() == "true",
                  str(r["source"]), str(r["publisher"]), str(r["date"]), str(r["quote"])))
    return points


def summary(records: list[Attainment]) -> dict[str, int]:
    counts = Counter(a.status for a in records)
    return {s: counts.get(s, 0) for s in STATUSES}


def summary_line(records: list[Attainment]) -> str:
    """'1 of 12 met, 1 missed, 10 no data' — the statuses that occur, in a fixed order."""
    counts = summary(records)
    parts = [f"{counts['met']} of {len(records)} met"] + [f"{n} {s}" for s, n in counts.items() if s != "met" and n]
    return ", ".join(parts)


def summary_line_zh(records: list[Attainment]) -> str:
    counts = summary(records)
    return f"共{len(records)}项目标:" + "、".join(f"{STATUS_ZH[s]}{n}项" for s, n in counts.items() if n)
