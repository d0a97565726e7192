"""Build the plan graph: source → records → RDF → SHACL → Turtle, all or nothing.

>>> from lpsplan.config import Settings
>>> result = build_plan(Settings.from_env())       # doctest: +SKIP
>>> write_graph(result.graph, result.settings.plan_graph_file)   # doctest: +SKIP
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from .config import DEFAULT_ENGINE, DEFAULT_JURISDICTION, DEFAULT_SLUG, Settings
from .errors import LpsplanError, SourceError, ValidationFailed
from .extract import extract_plan
from .rdf import plan_graph
from .records import PlanRecord, Warning
from .registry import Registry, load_labels
from .source import MAX_PLAN_CHARACTERS, SourceText, read_source
from .validate import Report, load_shapes, validate_graph


def period_text(period: tuple[int, int] | None) -> str:
    """2021—2023, or what stands for a period the text does not state."""
    return f"{period[0]}—{period[1]}" if period else "period unknown"

@dataclass
class BuildResult:
    settings: Settings
    source: SourceText
    plan: PlanRecord
    graph: Graph
    report: Report
    unregistered: list[str]
    timings: dict[str, float] = field(default_factory=dict)
    triple_count: int = 0  # kept when the graph itself is dropped (a plan built in another process)
    path: Path | None = None  # where the graph was written, once it is

    @property
    def warnings(self) -> list[Warning]:
        found = list(self.plan.warnings)
        for name in self.unregistered:
            where = next((u.span for c in self.plan.clauses for u in c.units if u.written == name), None)
            found.append(Warning(f"unregistered unit {name!r}: kept, flagged lps:registered false; add it to the registry", where))
        return found

    def counts(self) -> dict[str, int]:
        plan = self.plan
        units = {u.written for c in plan.clauses for u in c.units}
        return {
            "sections": len(plan.sections),
            "principles": len(plan.principles),
            "objectives": len(plan.objectives),
            "targets": len(plan.targets),
            "domains": len(plan.domains),
            "technologies": len(plan.technologies),
            "topics": len(plan.topics),
            "shared terms": len(plan.shared_terms),
            "tasks": len(plan.tasks),
            "measures": len(plan.measures),
            "clauses": len(plan.clauses),
            "responsibilities": sum(len(c.units) for c in plan.clauses),
            "units named": len(units),
            "unregistered units": len(self.unregistered),
            "annexes": len(plan.annexes),
            "triples": len(self.graph) if self.graph is not None else self.triple_count,
        }

    def describe(self) -> str:
        lines = [f"plan: {self.plan.title.text} ({period_text(self.plan.period)})  source sha256 {self.source.sha256[:12]}…"]
        lines += [f"  {k:<20}{v:>6}" for k, v in self.counts().items()]
        for w in self.warnings:
            where = f" [{self.source.location(w.span.start)}: {w.span.of(self.source.text)[:60]}]" if w.span else ""
            lines.append(f"warning: {w.message}{where}")
        lines.append("SHACL: " + ("conforms" if self.report.conforms else f"{len(self.report.violations)} violation(s)"))
        if self.report.conforms:  # warnings only, such as a concept without a curated English label
            lines += [f"SHACL warning: {v.message_en}: {v.label or v.focus}" for v in self.report.violations]
        return "\n".join(lines)


def build_plan(
    settings: Settings,
    source_path: str | os.PathLike[str] | None = None,
    slug: str = DEFAULT_SLUG,
    jurisdiction: str = DEFAULT_JURISDICTION,
    engine: str = DEFAULT_ENGINE,
    registry_path: str | os.PathLike[str] | None = None,
    source: SourceText | None = None,
    title: str | None = None,
    period: tuple[int, int] | None = None,
    issuer: str | None = None,
    strict: bool = True,
) -> BuildResult:
    """Extract, convert and validate.  Raises SourceError/ExtractionError on bad
    input and ValidationFailed when the graph does not conform; writes nothing.
    ``source`` is an already-read text (see :mod:`lpsplan.inputs`); ``title``,
    ``period`` and ``issuer`` stand in for what the text does not state.  ``jurisdiction=None``:
    the one the plan names (see :func:`infer_jurisdiction`).  ``strict=False``: a damaged
    annotation is a warning and the rest is read (ingest's default); ``build`` stays strict."""
    timings: dict[str, float] = {}
    t = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        timings[name] = now - t
        t = now

    source = source or read_source(source_path or settings.paths.source)
    if len(source.text) > MAX_PLAN_CHARACTERS:
        raise SourceError(f"the text has {len(source.text):,} characters; one plan may have at most {MAX_PLAN_CHARACTERS:,} "
                          "(a long five-year plan has about 100,000): is this several plans in one file?", path=source.path)
    lap("read")
    plan = extract_plan(source, slug, title=title, period=period, strict=strict)
    if issuer:
        from .records import Mention

        plan.issuers = [Mention(issuer, plan.title.span)]
    lap("extract")
    division = None
    if jurisdiction is None:  # the place the plan's title or issuers name
        jurisdiction, division = infer_jurisdiction(settings, plan, source.text)
    registry_file = Path(registry_path) if registry_path else settings.paths.registry / f"units-{jurisdiction}.yaml"
    registry = Registry.load(registry_file) if registry_path or registry_file.is_file() else Registry.empty(jurisdiction, division)
    labels = load_labels(settings.paths.registry / "labels-en.yaml")
    technology_labels = load_labels(settings.paths.registry / "technology-labels-en.yaml")
    graph, unregistered = plan_graph(plan, source, registry, labels, settings.base_iri, technology_labels,
                                     names_file=settings.paths.registry / "department-names.yaml")
    lap("rdf")
    report = validate_graph(graph, load_shapes(settings.paths.shapes_file), engine=engine)
    lap("validate")
    if not report.conforms:
        raise ValidationFailed(report)
    return BuildResult(settings, source, plan, graph, report, unregistered, timings)


def infer_jurisdiction(settings: Settings, plan: PlanRecord, full_text: str = "") -> tuple[str, object]:
    """(jurisdiction id, division) for a plan: the division its title names, else its issuers, else
    its opening lines (documents it cites in 《…》 and, outside the title, the committees of zones
    (…管委会) do not count), else — when the title speaks of its own level without a name (区委、区政府…
    重点工作任务) — the one division of that level whose short name the text repeats (杨浦 … 杨浦).
    A division with a unit registry (``units-ID.yaml`` whose jurisdiction has that name) uses it; another gets the id ``cn-<code>``;
    a plan that names no place is ``unknown``.  What was found, from which line, goes to ``plan.inferred``."""
    import re

    from .divisions import in_hierarchy, jurisdiction_in
    from .extract.metadata import Found
    from .registry import fold, read_yaml

    sources = [(plan.title, "the title")] + [(m, "the issuer") for m in plan.issuers] + [(m, "the notice") for m in plan.addressees]
    if plan.preamble:
        sources.append((plan.preamble, "the opening text"))
    division = where = None
    short = None  # a division the title names by its short name alone (兰西城市群…: 兰西县?), kept if nothing names one in full
    for m, how in sources:
        text = re.sub(r"《[^《》]*》", "", fold(m.text))
        if how != "the title":  # 东城区管委会 among the addressees: a zone's committee, named like a district elsewhere
            text = re.sub(r"[^、,,;;\s]{0,20}管(?:理)?委(?:员)?会", "", text)
        if how == "the opening text":  # 为贯彻落实国家、省、临汾市有关…部署,: the bodies whose decisions the plan carries out
            text = re.sub(r"(?:贯彻|落实|根据|按照|依据|依照)[^,,。;;]*", "", text)
        division = jurisdiction_in([text])
        if division is not None and how == "the title" and division.name not in text and len(sources) > 1:
            short, division = (division, (m, how)), None
            continue
        if division is not None and short is not None and not in_hierarchy(division, short[0]) and division.name not in text:
            division = None  # short names both: the title's stands
        if division is not None:
            where = (m, how)
            break
    if division is None and short is not None:
        division, where = short
    if division is None and full_text:
        from .divisions import repeated_place

        level = re.search(r"(区|县|市|州|旗)(?:委|人民政府|政府)", fold(plan.title.text))
        division = repeated_place(re.sub(r"《[^《》]*》", "", fold(full_text)), level.group(1)) if level else None
        where = (plan.title, f"the text (the one {level.group(1) if level else ''} whose name it repeats)")
    if division is None:
        return "unknown", None
    plan.inferred.append(Found("jurisdiction", division.name, where[0].span, f"named in {where[1]}"))
    for path in sorted(settings.paths.registry.glob("units-*.yaml")):
        doc = read_yaml(path)
        if isinstance(doc, dict) and isinstance(doc.get("jurisdiction"), dict) and doc["jurisdiction"].get("zh") == division.name:
            return str(doc["jurisdiction"]["id"]), None
    return f"cn-{division.code}", division


def serialize(graph: Graph) -> bytes:
    """Turtle, byte-for-byte the same for the same graph: the triples sorted (no blank nodes are
    used), with the prefixes the data uses, written by Oxigraph — 0.03 s where rdflib's Turtle
    writer took 0.45 s for the plan graph (most of a cold `lpsplan build` after start-up)."""
    import pyoxigraph as ox

    text = to_ntriples(graph).decode("utf-8")
    lines = sorted(set(text.splitlines()))
    # the plan's own instance IRIs stay whole: as prefixed names their slashes would need escaping
    prefixes = {p: str(ns) for p, ns in graph.namespaces() if p and p != "id" and f"<{ns}" in text}
    triples = ox.parse("\n".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=dict(sorted(prefixes.items())))


def to_ntriples(graph: Graph) -> bytes:
    """N-Triples for handing a graph to a store: ~10× cheaper for rdflib to write than Turtle
    and for Oxigraph to read (measured in bench/ingest_bench.py)."""
    return graph.serialize(format="nt", encoding="utf-8")


def write_graph(graph: Graph, path: str | os.PathLike[str]) -> Path:
    """Write Turtle atomically: a reader sees the old file or the new one, never half."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = serialize(graph)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise LpsplanError(f"{path}: cannot write the graph: {exc.strerror}") from None
    return path
