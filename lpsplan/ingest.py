"""Many plans in one store: each ingested plan in a named graph of its own.

``ingest_plan`` reads a plan file (UTF-8 or GB18030/GBK text, or an HTML page),
extracts it, validates the plan's own graph with SHACL, and puts it into the
store as the named graph ``<base><slug>/graph`` in one atomic, SHACL-gated write:
a plan that fails leaves the store exactly as it was.  The same text under the
same slug gives the same IRIs and the same bytes, so re-ingesting is idempotent.

The plan built by ``lpsplan build`` stays in the default graph; questions that
span plans look at both (``{ … } UNION { GRAPH ?g { … } }``), which any SPARQL
1.1 server answers the same way.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from .build import BuildResult, build_plan, period_text, to_ntriples
from .config import SLUG_RE, Settings
from .errors import LpsplanError, SourceError, shown
from .inputs import PlanInput, read_plan_input
from .source import MAX_PLAN_CHARACTERS
from .vocab import sparql_prefixes

BRACKETS = re.compile("[(\uff08]([^()\uff08\uff09\n]{1,200})[)\uff09]")  # half- and full-width

PLANS_Q = sparql_prefixes() + """
SELECT ?plan ?title ?from ?to ?graph (COUNT(DISTINCT ?clause) AS ?clauses) (COUNT(DISTINCT ?unit) AS ?units) WHERE {
  { ?plan a lps:Plan ; dcterms:title ?title . OPTIONAL { ?plan lps:periodStart ?from ; lps:periodEnd ?to }
    OPTIONAL { ?clause a lps:Clause ; lps:responsibleUnit ?unit } BIND("" AS ?graph) }
  UNION
  { GRAPH ?g { ?plan a lps:Plan ; dcterms:title ?title . OPTIONAL { ?plan lps:periodStart ?from ; lps:periodEnd ?to }
    OPTIONAL { ?clause a lps:Clause ; lps:responsibleUnit ?unit } } BIND(STR(?g) AS ?graph) }
  FILTER(LANG(?title) = "zh")
} GROUP BY ?plan ?title ?from ?to ?graph ORDER BY ?graph ?plan"""


class IngestError(LpsplanError):
    exit_code = 2

    def __init__(self, message: str, exit_code: int | None = None):
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


@dataclass
class IngestReport:
    slug: str
    graph: str
    input: PlanInput
    build: BuildResult
    replaced: bool
    audit: list[tuple[int, str, str]]  # (offset, bracketed text, verdict)

    def describe(self) -> str:
        lines = [f"ingested {shown(str(self.input.source.path))} ({self.input.format}, {self.input.encoding}) as <{self.graph}>"
                 + (" (replacing the previous version)" if self.replaced else "")]
        lines += [f"not read: {note}" for note in self.input.unread]
        for found in self.build.plan.inferred:
            value = "—".join(map(str, found.value)) if isinstance(found.value, tuple) else found.value
            lines.append(f"inferred {found.what}: {value}  ({found.how}; {self.input.source.location(found.span.start)})")
        lines.append(self.build.describe())
        lines.append(f"brackets seen: {len(self.audit)}")
        for offset, text, verdict in self.audit:
            lines.append(f"  {self.input.source.location(offset)}  {verdict:<12} ({shown(text[:50])})")
        return "\n".join(lines)


    def summary(self) -> dict[str, object]:
        """One row of the table printed after ingesting several files."""
        plan = self.build.plan
        return {"file": Path(self.input.source.path).name, "slug": self.slug, "title": plan.title.text[:40],
                "period": period_text(plan.period), "clauses": len(plan.clauses),
                "units": len({u.written for c in plan.clauses for u in c.units}), "targets": len(plan.targets),
                "warnings": len(self.build.warnings)}


def graph_iri(settings: Settings, slug: str) -> str:
    return f"{settings.base_iri}{slug}/graph"


def audit(build: BuildResult) -> list[tuple[int, str, str]]:
    """Every parenthesis and labelled line of the text and what became of it, so a reader can see what was missed."""
    from .extract.annotationforms import LINE_LABEL_RE
    from .extract.traditional import folded

    annotations = {c.annotation.span.start for c in build.plan.clauses}
    spans = [c.annotation.span for c in build.plan.clauses]
    out = []
    text = build.source.text
    # labels matched in the same-length folded copy, as the extractor matches them (牵头单位：… with a full-width colon)
    for m in LINE_LABEL_RE.finditer(folded(text)):
        line_end = text.find("\n", m.start())
        line = text[m.start(): line_end if line_end >= 0 else len(text)].strip()
        used = any(s.start <= m.start() < s.end for s in spans)
        out.append((m.start(), line, "annotation" if used else "NOT USED"))
    for m in BRACKETS.finditer(text):
        inner = m.group(1)
        if m.start() in annotations:
            verdict = "annotation"
        elif re.search(r"单位|牵头|配合|负责", inner):
            verdict = "NOT USED"  # looks like a responsibility note the extractor did not take
        else:
            verdict = "other"
        out.append((m.start(), inner, verdict))
    return sorted(out)


# characters of a text read before what its page added is taken out: a plan's own (MAX_PLAN_CHARACTERS) and the markup
# around it.  Past it the text is refused unread: 3,000,000 "<p>" stored as text (9 MB) took 1.7 GB to take out.
MAX_PAGE_CHARACTERS = 4 * MAX_PLAN_CHARACTERS


def page_cleaned(plan_input: PlanInput) -> PlanInput:
    """The input without what a stored copy of the page added (pinyin after characters, paragraph tags
    as text, mis-decoded indentation), said in the report."""
    from dataclasses import replace

    from .extract.pages import cleaned

    size = len(plan_input.source.text)
    if size > MAX_PAGE_CHARACTERS:
        raise SourceError(f"the text has {size:,} characters; one plan may have at most {MAX_PLAN_CHARACTERS:,} (a long five-year "
                          "plan has about 100,000): is this several plans in one file?", path=plan_input.source.path)

    source, notes = cleaned(plan_input.source)
    if not notes:
        return plan_input
    return replace(plan_input, source=source, unread=(*plan_input.unread, *notes))


def _prepare(settings: Settings, path, slug: str, *, title=None, issuer=None, period=None, jurisdiction=None,
             registry_path=None, strict=False) -> tuple[PlanInput, BuildResult, bytes]:
    """Read, extract, convert, validate and serialise one plan: everything but the store write."""
    if not SLUG_RE.match(slug):
        raise IngestError(f"--id takes lowercase letters, digits and single hyphens, not {slug!r}")
    if period and period[0] > period[1]:
        raise IngestError(f"the period {period[0]}—{period[1]} runs backwards")
    t = time.perf_counter()
    plan_input = page_cleaned(read_plan_input(path))
    read_s = time.perf_counter() - t
    build = build_plan(settings, source=plan_input.source, slug=slug, jurisdiction=jurisdiction, title=title,
                       period=period, issuer=issuer, registry_path=registry_path, strict=strict)
    build.timings["input"] = read_s
    t = time.perf_counter()
    data = to_ntriples(build.graph)
    build.timings["serialize"] = time.perf_counter() - t
    return plan_input, build, data


def _store(settings: Settings, backend, plan_input: PlanInput, build: BuildResult, data: bytes, slug: str) -> IngestReport:
    iri = graph_iri(settings, slug)
    replaced = backend.has_graph(iri)
    t = time.perf_counter()
    # build_plan validated the plan's own graph, and a plan's graph is self-contained:
    # validating it again with the rest of the store would only cost time that grows with the corpus
    backend.put_graph(iri, data, "application/n-triples", validated=build.report.conforms)
    build.timings["store"] = time.perf_counter() - t
    return IngestReport(slug, iri, plan_input, build, replaced, audit(build))


def ingest_plan(settings: Settings, path, slug: str, *, title: str | None = None, issuer: str | None = None,
                period: tuple[int, int] | None = None, jurisdiction: str | None = None, backend=None,
                registry_path=None, strict: bool = False) -> IngestReport:
    """Ingest one plan.  ``jurisdiction=None``: the one its title or issuers name; ``strict``:
    refuse a plan with a damaged annotation instead of reading the rest with a warning."""
    plan_input, build, data = _prepare(settings, path, slug, title=title, issuer=issuer, period=period, jurisdiction=jurisdiction,
                                       registry_path=registry_path, strict=strict)
    own = backend is None
    if own:
        from .sparql.open import open_backend

        backend, _ = open_backend(settings, queries=False)
    try:
        return _store(settings, backend, plan_input, build, data, slug)
    finally:
        if own:
            backend.close()


def _prepare_elsewhere(args) -> tuple:
    """_prepare in a build process: the rdflib graph stays there (rebuilding it from a pickle
    costs as much as building it); errors come back as their message and exit code."""
    settings, path, slug, jurisdiction, registry_path, strict = args
    try:
        plan_input, build, data = _prepare(settings, path, slug, jurisdiction=jurisdiction, registry_path=registry_path, strict=strict)
    except LpsplanError as exc:
        return "error", str(exc), exc.exit_code
    build.triple_count, build.graph = len(build.graph), None
    return "ok", (plan_input, build, data), 0


def ingest_many(settings: Settings, files: list, jurisdiction: str | None = None, registry_path=None,
                processes: int | None = None, backend=None, strict: bool = False, progress=None) -> list[IngestReport]:
    """Ingest several plans (slug = file name) with one snapshot at the end; all or nothing per plan,
    in the order given: a plan that fails stops the batch, the plans before it are kept.
    Plans are built in ``processes`` processes (default: one per core, for 4 or more files);
    the store is written here, one plan at a time.  ``backend``: an open store to write to (several
    batches, e.g. one per city, then share one load and — inside its ``batch()`` — one snapshot)."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    from .sparql.open import open_backend

    jobs = [(settings, path, re.sub(r"[^a-z0-9]+", "-", Path(path).stem.lower()).strip("-"), jurisdiction, registry_path, strict)
            for path in files]
    processes = processes or (min(os.cpu_count() or 1, len(jobs)) if len(jobs) >= 4 else 1)
    pool = None
    if processes > 1:  # forked before the store is opened, so no build process holds a copy of it
        pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"))
        prepared = pool.map(_prepare_elsewhere, jobs, chunksize=4)
    else:
        prepared = map(_prepare_elsewhere, jobs)
    reports = []
    own = backend is None
    try:
        if own:
            backend, _ = open_backend(settings, queries=False)
        try:
            with backend.batch():
                for (_, _path, slug, *_), (status, value, code) in zip(jobs, prepared, strict=True):
                    if status == "error":
                        raise IngestError(value, exit_code=code)
                    reports.append(_store(settings, backend, *value, slug))
                    if progress is not None:
                        progress(reports[-1])
        finally:
            if own:
                backend.close()
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
    return reports


def list_plans(select) -> list[dict]:
    return [{"plan": r["plan"], "title": r["title"], "period": period_text((r["from"], r["to"]) if r.get("from") else None), "graph": r["graph"] or "(default graph)",
             "clauses": r["clauses"], "units": r["units"]} for r in select(PLANS_Q)]


def remove_plan(settings: Settings, slug: str, backend=None) -> str:
    iri = graph_iri(settings, slug)
    own = backend is None
    if own:
        from .sparql.open import open_backend

        backend, _ = open_backend(settings, queries=False)
    try:
        if not backend.has_graph(iri):
            raise IngestError(f"no ingested plan {slug!r} (no graph <{iri}>)")
        backend.delete_graph(iri)
    finally:
        if own:
            backend.close()
    return iri
