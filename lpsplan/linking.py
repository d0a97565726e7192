"""The linking workflow behind `lpsplan link` and `/api/link`: open a linker over
the plan graph, link one title or a file, evaluate, store links in the graph."""

from __future__ import annotations

import re

import yaml
from rdflib.namespace import RDF

from .config import Settings
from .errors import LpsplanError
from .link import LinkError, Linker, LinkResult, evaluate, read_labelled
from .linkio import projects_graph, read_titles, records_csv, records_json
from .vocab import LPS


class LinkingError(LpsplanError):
    exit_code = 2


def english_labels(settings: Settings) -> dict[str, str]:
    path = settings.paths.registry / "technology-labels-en.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}


def open_linker(settings: Settings, select=None) -> Linker:
    if select is None:
        from .store import open_plan_store

        select = open_plan_store(settings).select
    return Linker.load(select, english_labels(settings))


def link_one(linker: Linker, title: str, k: int = 3) -> LinkResult:
    try:
        return linker.link(title, k)
    except LinkError as exc:
        raise LinkingError(str(exc)) from None


def link_file(linker: Linker, path, column: str, k: int = 3, progress: bool = False) -> list[LinkResult | str]:
    """One result per row, in input order; a row that cannot be linked keeps its error message."""
    titles = read_titles(path, column)
    out: list[LinkResult | str] = []
    iterator = titles
    if progress:
        from tqdm import tqdm

        iterator = tqdm(titles, desc="linking", unit="title", disable=None)
    for t in iterator:
        try:
            out.append(linker.link(t, k))
        except LinkError as exc:
            out.append(str(exc))
    return out


def to_text(results, fmt: str, k: int) -> str:
    return records_csv(results, k) if fmt == "csv" else records_json(results)


def describe(r: LinkResult) -> str:
    if not r.fits:
        return f"{r.title}\n  fits none of the plan's domains"
    lines = [r.title]
    for d in r.domains:
        ev = "、".join(f"{e.phrase}[{e.title_start}:{e.title_end}]" + (f"@{e.plan_start}" if e.plan_start is not None else "") for e in d.evidence[:6])
        lines.append(f"  {d.rank}. {d.label_zh} / {d.label_en}  score {d.score}  {d.breakdown}\n     evidence: {ev}")
    for t in r.technologies:
        lines.append(f"  technology {t.rank}. {t.label_zh} ({t.domain})  score {t.score}")
    return "\n".join(lines)


def evaluate_file(linker: Linker, path) -> dict:
    return evaluate(linker, read_labelled(path))


def describe_evaluation(m: dict) -> str:
    lines = [f"titles {m['titles']}  top-1 {m['top1']:.1%}  top-3 {m['top3']:.1%}  MRR {m['mrr']:.3f}", "", "per domain:"]
    for label, v in m["per_domain"].items():
        lines.append(f"  {label:<12} precision {v['precision']:.2f}  recall {v['recall']:.2f}  n={v['support']}")
    labels = list(m["per_domain"])
    lines += ["", "confusion (rows: labelled, columns: predicted top-1):", "  " + " | ".join(labels)]
    for g in labels:
        row = m["confusion"].get(g, {})
        lines.append(f"  {g}: " + ", ".join(f"{p} {n}" for p, n in sorted(row.items(), key=lambda x: -x[1])))
    return "\n".join(lines)


def store_links(settings: Settings, results, name: str, backend=None) -> tuple[str, int]:
    """Put the linked projects into their own named graph, through the SHACL gate."""
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", name):
        raise LinkingError("--into-graph takes a lowercase-with-hyphens name")
    from .build import serialize

    source_iri = f"{settings.base_iri}liupanshui-sti-2021-2023/source"
    graph, iri = projects_graph(results, settings.base_iri, name, source_iri)
    own = backend is None
    if own:
        from .service import open_backend

        backend, _ = open_backend(settings.with_(workers=1))
    try:
        backend.put_graph(iri, serialize(graph), "text/turtle")
    finally:
        if own:
            backend.close()
    return iri, len(set(graph.subjects(RDF.type, LPS.Project)))


