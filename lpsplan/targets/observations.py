"""Observed values of a plan's indicators: read from a table (CSV/XLSX), checked row by
row, and written as a W3C Data Cube data set (``qb:Observation`` in a ``qb:DataSet``)
in a named graph of their own, never in the plan's graph.

One row is one value of one indicator in one area and year, with where it was
published: the source's URL, its publisher and publication date, and the sentence
that states the value, verbatim.  A row whose value does not appear in its quote
is refused: a value is recorded as found, never estimated.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS, XSD

from ..config import DEFAULT_JURISDICTION, SLUG_RE
from ..errors import SourceError
from ..rdf import decimal_lexical, iri_slug
from ..vocab import LPS

QB = Namespace("http://purl.org/linked-data/cube#")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")

COLUMNS = ("indicator", "year", "value", "unit", "source_url", "publisher", "date", "quote")
OPTIONAL_COLUMNS = ("area", "baseline", "retrieved", "note")
MAX_ROWS = 10_000
AREA_RE = SLUG_RE
NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
LARGEST = Decimal(10) ** 15  # no indicator of a plan comes near it; a float and the chart still hold it
YES = {"yes", "true", "1", "y", "是", "基期"}
NO = {"", "no", "false", "0", "n", "否"}


@dataclass(frozen=True)
class Observation:
    """One sourced value.  ``line`` is where it was read (0: from the store)."""

    indicator: str
    year: int
    value: Decimal
    unit: str
    source_url: str
    publisher: str
    published: dt.date
    quote: str
    area: str
    baseline: bool = False
    retrieved: dt.date | None = None
    note: str = ""
    line: int = field(default=0, compare=False)

    @property
    def key(self) -> tuple[str, str, int, bool]:
        return (self.area, self.indicator, self.year, self.baseline)

    def iri(self, base: str) -> URIRef:
        tail = "/baseline" if self.baseline else ""
        return URIRef(f"{base}observations/{self.area}/{iri_slug(self.indicator)}/{self.year}{tail}")

    def as_row(self) -> dict[str, str]:
        return {"indicator": self.indicator, "year": str(self.year), "value": format(self.value, "f"), "unit": self.unit,
                "source_url": self.source_url, "publisher": self.publisher, "date": self.published.isoformat(),
                "quote": self.quote, "area": self.area, "baseline": "yes" if self.baseline else "no",
                "retrieved": self.retrieved.isoformat() if self.retrieved else "", "note": self.note}


@dataclass(frozen=True)
class Refusal:
    line: int
    reason: str

    def describe(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line else self.reason


def graph_iri(base: str) -> str:
    """The named graph that holds every observation."""
    return f"{base}observations/graph"


def dataset_iri(base: str) -> URIRef:
    return URIRef(f"{base}observations")


def area_iri(base: str, area: str) -> URIRef:
    """The reference area: the IRI under which the jurisdiction's units are minted (``<base>org/liupanshui``),
    so an observation meets the targets of the plans that jurisdiction's units issued."""
    return URIRef(f"{base}org/{area}")


# -- reading ---------------------------------------------------------------

def read_table(path: str | Path, area: str = DEFAULT_JURISDICTION) -> tuple[list[Observation], list[Refusal]]:
    """The rows of a CSV/TSV/XLSX file as observations, and the rows refused with their reasons.
    A file that cannot be read at all (missing, not UTF-8, no header, missing columns) raises SourceError."""
    from ..tables import read_rows

    p = Path(path)
    rows = read_rows(p)
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise SourceError("the file is empty", path=p)
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise SourceError(f"missing column(s) {', '.join(missing)}; a table of observations has the columns "
                          f"{', '.join(COLUMNS)} (and optionally {', '.join(OPTIONAL_COLUMNS)})", path=p)
    if len(rows) - 1 > MAX_ROWS:
        raise SourceError(f"{len(rows) - 1:,} rows; at most {MAX_ROWS:,} per import", path=p)
    if not AREA_RE.match(area):
        raise SourceError(f"area {area!r} is not a lowercase slug such as {DEFAULT_JURISDICTION}", path=p)
    observations: list[Observation] = []
    refused: list[Refusal] = []
    seen: dict[tuple, int] = {}
    for number, raw in enumerate(rows[1:], start=2):
        cells = {h: (raw[i].strip() if i < len(raw) else "") for i, h in enumerate(header)}
        try:
            obs = parse_row(cells, area, number)
        except ValueError as exc:
            refused.append(Refusal(number, str(exc)))
            continue
        if obs.key in seen:
            refused.append(Refusal(number, f"the same indicator, area, year and kind as line {seen[obs.key]}"))
            continue
        seen[obs.key] = number
        observations.append(obs)
    refused += _conflicting_sources(observations)
    bad = {r.line for r in refused}
    return [o for o in observations if o.line not in bad], refused


def parse_row(cells: dict[str, str], default_area: str, line: int = 0) -> Observation:
    """One row as an Observation; ValueError with the reason when it does not hold one sourced value."""
    indicator = cells.get("indicator", "")
    if not indicator:
        raise ValueError("no indicator")
    if not re.fullmatch(r"\d{4}", cells.get("year", "")) or not 1949 <= int(cells["year"]) <= 2100:
        raise ValueError(f"year {cells.get('year', '')!r} is not a year such as 2023")
    raw_value = cells.get("value", "").replace(",", "")
    if raw_value.lower() in ("", "no data", "n/a", "-"):
        raise ValueError("no value: a target without a found value is left without a row (it shows 'no data')")
    try:
        value = Decimal(raw_value)
    except InvalidOperation:
        raise ValueError(f"value {cells['value']!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"value {cells['value']!r} is not a number")
    if abs(value) >= LARGEST:  # 10^400 is infinite as a float: the chart of its target could not be drawn
        raise ValueError(f"value {_short(cells['value'])} is out of range: an indicator's value is less than 10^15 in magnitude")
    unit = cells.get("unit", "")
    if not unit:
        raise ValueError("no unit")
    url = cells.get("source_url", "")
    if not url:
        raise ValueError("no source: every value needs the URL where it was published")
    if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", url):
        raise ValueError(f"source_url {url!r} is not an http(s) URL")
    publisher = cells.get("publisher", "")
    if not publisher:
        raise ValueError("no publisher of the source")
    published = _date(cells.get("date", ""), "date")
    quote = cells.get("quote", "")
    if not quote:
        raise ValueError("no quote: the sentence of the source that states the value is required")
    if not any(_same_number(n, value) for n in NUMBER_RE.findall(quote)):
        raise ValueError(f"the value {raw_value} does not appear in its quote")
    area = cells.get("area") or default_area
    if not AREA_RE.match(area):
        raise ValueError(f"area {area!r} is not a lowercase slug such as {DEFAULT_JURISDICTION}")
    flag = cells.get("baseline", "").lower()
    if flag not in YES | NO:
        raise ValueError(f"baseline {cells.get('baseline')!r} is not yes or no")
    retrieved = _date(cells["retrieved"], "retrieved") if cells.get("retrieved") else None
    return Observation(indicator, int(cells["year"]), value, unit, url, publisher, published, quote, area,
                       flag in YES, retrieved, cells.get("note", ""), line)


def _short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _date(text: str, column: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{column} {text!r} is not a date such as 2024-01-31") from None


def _same_number(written: str, value: Decimal) -> bool:
    try:
        return Decimal(written.replace(",", "")) == value
    except InvalidOperation:
        return False


def _conflicting_sources(observations: list[Observation]) -> list[Refusal]:
    """One URL is one document: rows citing it must agree on its publisher and date."""
    first: dict[str, Observation] = {}
    refused = []
    for o in observations:
        f = first.setdefault(o.source_url, o)
        if (f.publisher, f.published) != (o.publisher, o.published):
            refused.append(Refusal(o.line, f"source {o.source_url} has publisher/date {f.publisher} {f.published} on line {f.line}"))
    return refused


# -- merging ---------------------------------------------------------------

@dataclass
class Merge:
    observations: list[Observation]
    added: list[Observation]
    replaced: list[Observation]
    unchanged: list[Observation]


def merge(existing: list[Observation], new: list[Observation]) -> Merge:
    """The new rows over the existing ones: same area, indicator, year and kind replaces."""
    by_key = {o.key: o for o in existing}
    added, replaced, unchanged = [], [], []
    for o in new:
        old = by_key.get(o.key)
        if old is None:
            added.append(o)
        elif _content(old) == _content(o):
            unchanged.append(o)
        else:
            replaced.append(o)
        by_key[o.key] = o
    return Merge(sorted(by_key.values(), key=lambda o: o.key), added, replaced, unchanged)


def _content(o: Observation) -> tuple:
    return tuple(v for k, v in o.as_row().items())


# -- RDF -------------------------------------------------------------------

def observation_graph(observations: list[Observation], base: str, area_labels: dict[str, tuple[str, str]] | None = None) -> Graph:
    """The data set as RDF: every observation with its dimensions, value, unit and source."""
    g = Graph()
    for prefix, ns in (("qb", QB), ("sdmx-dimension", SDMX_DIMENSION), ("sdmx-measure", SDMX_MEASURE), ("lps", LPS._NS),
                       ("dcterms", DCTERMS), ("skos", SKOS), ("foaf", FOAF)):
        g.bind(prefix, ns)
    ds = dataset_iri(base)
    g.add((ds, RDF.type, QB.DataSet))
    g.add((ds, QB.structure, LPS.observationStructure))
    g.add((ds, DCTERMS.title, Literal("规划目标指标的观测值", lang="zh")))
    g.add((ds, DCTERMS.title, Literal("Observed values of the plans' target indicators", lang="en")))
    labels = area_labels or {}
    for area in sorted({o.area for o in observations}):
        node = area_iri(base, area)
        g.add((node, RDF.type, DCTERMS.Location))
        zh, en = labels.get(area, (area, area))
        g.add((node, SKOS.prefLabel, Literal(zh, lang="zh")))
        g.add((node, SKOS.prefLabel, Literal(en, lang="en")))
    for o in observations:
        node = o.iri(base)
        g.add((node, RDF.type, QB.Observation))
        g.add((node, QB.dataSet, ds))
        g.add((node, LPS.observedIndicator, Literal(o.indicator, lang="zh")))
        g.add((node, SDMX_DIMENSION.refArea, area_iri(base, o.area)))
        g.add((node, LPS.refYear, Literal(str(o.year), datatype=XSD.gYear)))
        g.add((node, SDMX_MEASURE.obsValue, Literal(decimal_lexical(o.value), datatype=XSD.decimal)))
        g.add((node, LPS.unitOfMeasure, Literal(o.unit)))
        if o.baseline:
            g.add((node, LPS.baseline, Literal(True)))
        source = URIRef(o.source_url)
        g.add((node, DCTERMS.source, source))
        g.add((node, LPS.quote, Literal(o.quote, lang="zh")))
        if o.retrieved:
            g.add((node, LPS.retrieved, Literal(o.retrieved.isoformat(), datatype=XSD.date)))
        if o.note:
            g.add((node, SKOS.note, Literal(o.note)))
        g.add((source, RDF.type, FOAF.Document))
        g.add((source, DCTERMS.publisher, Literal(o.publisher, lang="zh")))
        g.add((source, DCTERMS.issued, Literal(o.published.isoformat(), datatype=XSD.date)))
    return g


OBSERVATIONS_QUERY = """
PREFIX lps: <https://w3id.org/lpsplan/ontology#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?indicator ?year ?value ?unit ?source_url ?publisher ?date ?quote ?areaIri ?baseline ?retrieved ?note WHERE {
  GRAPH <%s> {
    ?o a qb:Observation ; lps:observedIndicator ?indicator ; lps:refYear ?year ; sdmx-measure:obsValue ?value ;
       lps:unitOfMeasure ?unit ; sdmx-dimension:refArea ?areaIri ; dcterms:source ?source_url ; lps:quote ?quote .
    ?source_url dcterms:publisher ?publisher ; dcterms:issued ?date .
    OPTIONAL { ?o lps:baseline ?baseline } OPTIONAL { ?o lps:retrieved ?retrieved } OPTIONAL { ?o skos:note ?note }
  }
}"""


def stored_observations(select, base: str) -> list[Observation]:
    """The observations a store holds, read back through ``select`` (a query → rows of strings)."""
    out = []
    for r in select(OBSERVATIONS_QUERY % graph_iri(base)):
        area = str(r["areaIri"]).rsplit("/", 1)[-1]
        cells = {k: ("" if r.get(k) is None else str(r[k])) for k in ("indicator", "year", "value", "unit", "source_url",
                                                                     "publisher", "date", "quote", "retrieved", "note")}
        cells["baseline"] = "yes" if str(r.get("baseline")).lower() == "true" else "no"
        cells["area"] = area
        try:
            out.append(replace(parse_row(cells, area), line=0))
        except ValueError as exc:
            # written by an update (the SHACL gate checks less than an import does); an import rewrites the whole
            # graph, so it can neither drop this row nor keep it: the token holder corrects it first
            from ..sparql.errors import StoredConflict

            raise StoredConflict(f"the store holds an observation an import cannot carry over ({cells['indicator']}, "
                                 f"{cells['area']}, {cells['year']}): {exc}; correct or delete it by an update first") from None
    return sorted(out, key=lambda o: o.key)


def curated_files(data_dir: Path) -> list[Path]:
    """The curated tables shipped with the project: ``data/observations/<area>.csv``."""
    folder = data_dir / "observations"
    return sorted(folder.glob("*.csv")) if folder.is_dir() else []


def curated_observations(data_dir: Path) -> list[Observation]:
    """Every curated table's observations (the file name is the area); a refused row is an error here."""
    out: list[Observation] = []
    for path in curated_files(data_dir):
        rows, refused = read_table(path, area=path.stem)
        if refused:
            raise SourceError("; ".join(r.describe() for r in refused), path=path)
        out += rows
    return out


def area_labels(registry_dir: Path, areas) -> dict[str, tuple[str, str]]:
    """Chinese and English names of the areas, from their unit registries when there is one."""
    from ..registry import Registry

    labels = {}
    for area in areas:
        path = registry_dir / f"units-{area}.yaml"
        if path.is_file():
            reg = Registry.load(path)
            labels[area] = (reg.jurisdiction_zh, reg.jurisdiction_en)
    return labels


def curated_graph_ntriples(settings) -> tuple[str, bytes] | None:
    """The curated observations as (graph IRI, N-Triples), for a store that starts from the plan graph."""
    observations = curated_observations(settings.paths.data)
    if not observations:
        return None
    g = observation_graph(observations, settings.base_iri, area_labels(settings.paths.registry, {o.area for o in observations}))
    return graph_iri(settings.base_iri), g.serialize(format="nt", encoding="utf-8")
