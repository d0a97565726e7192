"""The linking workflow behind `lpsplan link` and `/api/link`: open a linker over
the plan graph, link one title or a file, evaluate, store links in the graph."""

from __future__ import annotations

from pathlib import Path

import yaml
from rdflib.namespace import RDF

from ..config import DEFAULT_SLUG, SLUG_RE, Settings
from ..errors import LpsplanError
from ..vocab import LPS
from .io import projects_graph, read_titles
from .lexical import Linker, LinkError, LinkResult, check_title

METHODS = ("hybrid", "bm25", "semantic")


class LinkingError(LpsplanError):
    exit_code = 2


def english_labels(settings: Settings) -> dict[str, str]:
    path = settings.paths.registry / "technology-labels-en.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}


def english_glosses(settings: Settings) -> dict[str, list[str]]:
    """Each domain's English glosses (``en`` and ``en_terms`` of data/registry/domain-glosses.yaml), for
    the English words of its BM25 document."""
    path = settings.paths.registry / "domain-glosses.yaml"
    glosses = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return {str(k): [str(t) for key in ("en", "en_terms") for t in (v or {}).get(key) or []]
            for k, v in glosses.items() if k != "out_of_scope" and isinstance(v, dict)}


def calibration(settings: Settings) -> dict:
    path = settings.paths.registry / "link-calibration.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}


def open_linker(settings: Settings, select, method: str = "hybrid", probe: bool = True):
    """The BM25 linker, or the hybrid/semantic one on top of it (the model is loaded here), over the
    data ``select`` reads (a :meth:`lpsplan.project.Project.select`).  The linear probe's weights are read when
    the calibration weighs the probe (``probe=False``: never, for the fit that trains it)."""
    if method not in METHODS:
        raise LinkingError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    lexical = Linker.load(select, english_labels(settings), english_glosses(settings))
    if method == "bm25":
        return lexical
    from .hybrid import HybridLinker, Weights
    from .probe import Probe, ProbeError
    from .semantic import DIMENSIONS, MODEL_ID, DescriptionIndex, SemanticError, describe

    glosses_path = settings.paths.registry / "domain-glosses.yaml"
    glosses = yaml.safe_load(glosses_path.read_text(encoding="utf-8")) if glosses_path.is_file() else {}
    cal = calibration(settings)
    w = cal.get(method) or {"lexical": 1.0, "semantic": 1.0, "none": 0.0}  # unfitted: only for fitting
    weights = Weights.from_mapping(w)
    trained = None
    if probe and (weights.probe or weights.none_probe):
        labels = [c.label_zh for c in lexical.concepts if c.kind == "domain"] + ["none"]
        name = Path(str((cal.get("probe") or {}).get("file") or "link-probe.npz")).name  # a file of the registry only
        try:
            trained = Probe.load(settings.paths.registry / name, labels, DIMENSIONS, MODEL_ID)
        except ProbeError as exc:
            raise LinkingError(str(exc)) from None
    elif not probe:
        weights = Weights.from_mapping({**w, "probe": 0.0, "none_probe": 0.0})
    try:
        index = DescriptionIndex(describe(lexical.concepts, glosses), settings.build_dir / "cache")
        exemplars = read_exemplars(settings, str(cal.get("exemplar_pooling") or "max"), cal.get("none_exemplar_pooling"))
    except (SemanticError, ValueError) as exc:  # ValueError: a calibration naming an unknown pooling
        raise LinkingError(str(exc)) from None
    return HybridLinker(lexical, index, weights, method, exemplars, trained)


def read_exemplars(settings: Settings, pooling: str = "max", none_pooling: str | None = None):
    """The labelled real titles the linker compares a title with (the dev split of the real
    titles, written by ``python -m lpsplan.link.fit``), or None when there are none; ``pooling``
    (from the calibration) says how the similarities to one answer's exemplars are pooled, and
    ``none_pooling`` how those of the titles that fit none are (the same when not given)."""
    import csv

    from .lexical import normalize
    from .semantic import Exemplars

    path = settings.paths.registry / "link-exemplars.csv"
    if not path.is_file():
        return None
    rows = list(csv.DictReader(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")))
    return Exemplars([normalize(r["title"]) for r in rows], [{r["label"], r["alt_label"]} - {""} for r in rows],
                     [r["source_url"] for r in rows], settings.build_dir / "cache", pooling,
                     str(none_pooling) if none_pooling else None)


def link_one(linker: Linker, title: str, k: int = 3) -> LinkResult:
    try:
        return linker.link(title, k)
    except LinkError as exc:
        raise LinkingError(str(exc)) from None


def link_file(linker, path, column: str, k: int = 3, progress: bool = False, batch: int = 64) -> list[LinkResult | str]:
    """One result per row, in input order; a row that cannot be linked keeps its error message."""
    titles = read_titles(path, column)
    out: list[LinkResult | str] = [""] * len(titles)
    good = []
    for i, t in enumerate(titles):
        try:
            check_title(t)
            good.append(i)
        except LinkError as exc:
            out[i] = str(exc)
    chunks = [good[j:j + batch] for j in range(0, len(good), batch)]
    if progress:
        from tqdm import tqdm

        chunks = tqdm(chunks, desc="linking", unit="batch", disable=None)
    for chunk in chunks:
        for i, r in zip(chunk, linker.link_many([titles[i] for i in chunk], k), strict=True):
            out[i] = r
    return out


def link_titles(linker, titles: list[str], k: int = 3) -> list[LinkResult]:
    try:
        return linker.link_many(titles, k)
    except LinkError as exc:
        raise LinkingError(str(exc)) from None


def evaluate_file(linker, path, split: str | None = None) -> dict:
    from .evaluate import read_labelled

    return evaluate_rows(linker, read_labelled(path, split))


def evaluate_rows(linker, rows) -> dict:
    from .evaluate import evaluate

    try:
        return evaluate(linker, rows)
    except LinkError as exc:
        raise LinkingError(f"a labelled title cannot be linked: {exc}") from None


def describe_evaluation(m: dict, method: str = "") -> str:
    from .evaluate import expected_calibration_error, reliability

    none = f"fits none: precision {m['none_precision']:.2f}  recall {m['none_recall']:.2f}  (n={m['none_support']})"
    english = f"English titles: top-1 {m['english_top1']:.1%} (n={m['english_titles']})" if m["english_titles"] else ""
    lines = [f"{method + ': ' if method else ''}titles {m['titles']}  top-1 {m['top1']:.1%}  top-3 {m['top3']:.1%}  MRR {m['mrr']:.3f}",
             none, english, "", "per domain:"]
    for label, v in m["per_domain"].items():
        lines.append(f"  {label:<12} precision {v['precision']:.2f}  recall {v['recall']:.2f}  n={v['support']}")
    lines += ["", "confusion (rows: labelled, then predicted top-1 with counts):"]
    for g in m["per_domain"]:
        row = m["confusion"].get(g, {})
        if row:
            lines.append(f"  {g}: " + ", ".join(f"{p} {n}" for p, n in sorted(row.items(), key=lambda x: -x[1])))
    if m["calibration"]:
        lines += ["", f"calibration (top answer): expected calibration error {expected_calibration_error(m['calibration']):.3f}"]
        lines += [f"  p {b['from']:.1f}-{b['to']:.1f}: mean {b['confidence']:.2f}, correct {b['accuracy']:.2f}, n={b['count']}"
                  for b in reliability(m["calibration"])]
    return "\n".join(x for x in lines if x is not None)


def store_links(settings: Settings, results, name: str, backend=None) -> tuple[str, int]:
    """Put the linked projects into their own named graph, through the SHACL gate."""
    if not SLUG_RE.match(name):
        raise LinkingError("--into-graph takes a lowercase-with-hyphens name")
    from ..build import serialize

    source_iri = f"{settings.base_iri}{DEFAULT_SLUG}/source"  # the text the linker's words come from
    graph, iri = projects_graph(results, settings.base_iri, name, source_iri)
    own = backend is None
    if own:
        from ..sparql.open import open_backend

        backend, _ = open_backend(settings.with_(workers=1))
    try:
        backend.put_graph(iri, serialize(graph), "text/turtle")
    finally:
        if own:
            backend.close()
    return iri, len(set(graph.subjects(RDF.type, LPS.Project)))


