"""``lpsplan observe``: add observed values to the store, all of them or none.

The rows are read and checked (a value must appear in its quote, a source must be
named…), merged over the observations the store holds (same area, indicator, year
and kind: replaced), and the observations' graph is written as one SHACL-gated
write: a unit that cannot be compared with the target's, a year before the plan
period or a missing source refuses the whole import and leaves the store as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..config import DEFAULT_JURISDICTION
from ..errors import LpsplanError
from .observations import (
    Merge,
    Observation,
    Refusal,
    area_labels,
    graph_iri,
    merge,
    observation_graph,
    read_table,
    stored_observations,
)


class ImportRefused(LpsplanError):
    """Some rows cannot be recorded; nothing was written."""

    exit_code = 4

    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__(f"{len(report.refused)} row(s) refused; nothing was written")


@dataclass
class ImportReport:
    path: str
    graph: str = ""
    merge: Merge | None = None
    refused: list[Refusal] = field(default_factory=list)
    written: bool = False

    def describe(self) -> str:
        lines = []
        if self.merge:
            verb = "" if self.written else "would be "
            for label, items in (("added", self.merge.added), ("replaced", self.merge.replaced), ("unchanged", self.merge.unchanged)):
                lines.append(f"{verb}{label}: {len(items)}")
                lines += [f"  line {o.line}: {o.indicator} {o.year}{' (baseline)' if o.baseline else ''} = {o.value} {o.unit}" for o in items]
        if self.refused:
            lines.append(f"refused: {len(self.refused)}")
            lines += [f"  {r.describe()}" for r in self.refused]
        if self.written:
            lines.append(f"wrote <{self.graph}>: {len(self.merge.observations)} observations in all")
        else:
            lines.append("nothing was written")
        return "\n".join(lines)

    def as_dict(self) -> dict:
        rows = lambda items: [o.as_row() | {"line": o.line} for o in items]
        m = self.merge
        return {"file": self.path, "graph": self.graph, "written": self.written,
                "added": rows(m.added) if m else [], "replaced": rows(m.replaced) if m else [],
                "unchanged": rows(m.unchanged) if m else [],
                "refused": [{"line": r.line, "reason": r.reason} for r in self.refused]}


def write_observations(backend, settings, path: str | Path, area: str = DEFAULT_JURISDICTION) -> ImportReport:
    """Import a table of observations through ``backend``'s SHACL gate (the CLI's store or the running service's)."""
    from ..sparql.backend import select_rows
    from ..sparql.errors import UpdateRejected

    report = ImportReport(str(path), graph_iri(settings.base_iri))
    rows, report.refused = read_table(path, area)
    if report.refused:
        raise ImportRefused(report)
    existing = stored_observations(lambda q: select_rows(backend, q), settings.base_iri)
    report.merge = merge(existing, rows)
    graph = observation_graph(report.merge.observations, settings.base_iri,
                              area_labels(settings.paths.registry, {o.area for o in report.merge.observations}))
    if report.merge.added or report.merge.replaced:
        try:
            backend.put_graph(report.graph, graph.serialize(format="nt", encoding="utf-8"), "application/n-triples")
        except UpdateRejected as exc:
            report.refused = refusals(exc.report, rows, settings.base_iri)
            raise ImportRefused(report) from None
    report.written = True
    return report


def refusals(shacl_report, rows: list[Observation], base: str) -> list[Refusal]:
    """The SHACL gate's violations as refused rows, by the observation (or source) they concern."""
    by_iri = {str(o.iri(base)): o for o in rows}
    by_source: dict[str, list[Observation]] = {}
    for o in rows:
        by_source.setdefault(o.source_url, []).append(o)
    out = []
    for v in shacl_report.violations:
        message = v.message_en + (f" ({v.path} {v.value})" if v.value and v.value not in v.message_en else "")
        if v.focus in by_iri:
            out.append(Refusal(by_iri[v.focus].line, message))
        elif v.focus in by_source:
            out += [Refusal(o.line, f"{message}: <{v.focus}>") for o in by_source[v.focus]]
        else:  # an observation already in the store that this import's rows do not replace
            out.append(Refusal(0, f"stored observation <{v.focus}>: {message}"))
    return sorted(set(out), key=lambda r: (r.line, r.reason))
