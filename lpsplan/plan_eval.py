"""How well ingest reads real plans: each document of a labelled corpus is read and built as
``lpsplan ingest`` would (no title, issuer or years given), and compared with its hand labels.

A corpus folder holds the texts (``<id>.txt``), ``manifest.yaml`` (source address, retrieval
date, split) and ``gold.yaml`` (the labels; see its header).  Per document and per split:

- annotations read right: the units in order, each with its role, as labelled;
- units attributed to another jurisdiction: a unit whose canonical name starts with a place that
  is neither the plan's jurisdiction nor a division it lies in or contains;
- refused: the document could not be ingested (the message is reported);
- metadata: the title inferred matches a labelled one, the period matches where labelled (``none``: the
  text states no year, so no period is right), the jurisdiction inferred is the labelled division (``none``:
  the text names none, so none is right), an issuer read is a labelled one;
- documents labelled for metadata only (``labels: metadata``) count no annotations or targets, and an
  excerpt that stops before the plan's first section (``expect: preamble-only``) is rightly refused, as a
  notice that only issues a plan is;
- targets: labelled numbers (value and unit) found among the targets.

``python -m lpsplan.plan_eval tests/data/real [--split dev]`` prints the table.
"""

from __future__ import annotations

import sys
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from .config import Settings
from .errors import LpsplanError


@dataclass
class DocResult:
    id: str
    split: str
    expect: str
    refused: str | None = None
    title: str | None = None
    title_ok: bool | None = None
    period: tuple[int, int] | None = None
    period_ok: bool | None = None
    annotations: int = 0
    annotations_right: int = 0
    misses: list[str] = field(default_factory=list)
    other_jurisdiction: list[str] = field(default_factory=list)
    targets: int = 0
    targets_found: int = 0
    warnings: int = 0
    title_labelled: bool = False
    period_labelled: bool = False
    jurisdiction: str | None = None
    jurisdiction_ok: bool | None = None
    jurisdiction_labelled: bool = False
    issuers: list[str] = field(default_factory=list)
    issuer_ok: bool | None = None
    issuer_labelled: bool = False

    @property
    def outcome(self) -> str:
        if self.expect in REFUSED_RIGHT:
            return "refused (right)" if self.refused else f"READ ({self.expect})"
        return f"REFUSED: {self.refused}" if self.refused else "read"


# documents whose refusal is right: only the notice that issues a plan, or an excerpt that stops before the plan's
# first section
REFUSED_RIGHT = ("notice-only", "preamble-only")


def fold(text: str) -> str:
    """Compared as words: full-width forms, traditional characters, spaces and pinyin glosses a page inserted aside."""
    from .extract.pages import without_glosses
    from .extract.traditional import simplified

    return "".join(unicodedata.normalize("NFKC", simplified(without_glosses(text)[0])).split())


def _place(name: str | None):
    from .divisions import divisions

    if not name:
        return None
    found = [d for d in divisions().values() if d.name == name]
    return found[0] if found else None


def _other_jurisdiction(labels: list[str], place) -> list[str]:
    """Unit names that start with a place outside the plan's jurisdiction: read as the extractor reads
    them (``divisions.unit_place``: a name several divisions share is the one in the plan's hierarchy,
    a generic word or a 街道/镇 named like a county is no place), so the count is of units placed in
    another division — by the extractor, or by the text itself (listed all the same, to be checked)."""
    from .divisions import unit_place

    if place is None:
        return []
    out = []
    for label in labels:
        at = unit_place(fold(label), place)
        if at is not None and not at.inside:
            out.append(label)
    return out


def evaluate_document(settings: Settings, folder: Path, doc: dict, gold: dict, retrieved=None) -> DocResult:
    from rdflib import URIRef
    from rdflib.namespace import SKOS

    from .build import build_plan
    from .inputs import read_plan_input
    from .vocab import LPS

    expect = gold.get("expect", "plan")
    result = DocResult(doc["id"], doc["split"], expect)
    title = period = None
    if expect == "no-title":  # the excerpt states none: read it as a user would, with one given
        title = doc.get("page_title") or f"(excerpt without a title: {doc['id']})"
        period = tuple(gold["eval_period"]) if gold.get("eval_period") else None
    result.title_labelled, result.period_labelled = bool(gold.get("title")), bool(gold.get("period"))
    result.jurisdiction_labelled, result.issuer_labelled = "jurisdiction" in gold, bool(gold.get("issuer"))
    labelled = gold.get("annotations") or []
    result.annotations = len(labelled)
    result.targets = len(gold.get("targets") or [])
    try:
        from .ingest import page_cleaned

        source = page_cleaned(read_plan_input(folder / f"{doc['id']}.txt")).source
        build = build_plan(settings, source=source, slug=doc["id"], jurisdiction=None, title=title, period=period,
                           strict=False)
    except LpsplanError as exc:
        result.refused = str(exc).splitlines()[0]
        if expect in REFUSED_RIGHT:  # nothing to read: its metadata labels cannot be scored
            result.title_labelled = result.period_labelled = result.jurisdiction_labelled = result.issuer_labelled = False
        result.title_ok = False if result.title_labelled else None
        result.period_ok = False if result.period_labelled else None
        result.jurisdiction_ok = False if result.jurisdiction_labelled else None
        result.issuer_ok = False if result.issuer_labelled else None
        result.misses = [" ".join(a["units"]) for a in labelled]
        return result
    plan = build.plan
    result.warnings = len(build.warnings)
    result.title, result.period = plan.title.text, plan.period
    if gold.get("title"):
        result.title_ok = fold(plan.title.text) in {fold(t) for t in gold["title"]}
    if gold.get("period") == "none":
        result.period_ok = plan.period is None
    elif gold.get("period"):
        result.period_ok = plan.period is not None and list(plan.period) == list(gold["period"])
    found = [f.value for f in plan.inferred if f.what == "jurisdiction"]
    result.jurisdiction = str(found[0]) if found else "none"
    if result.jurisdiction_labelled:
        result.jurisdiction_ok = result.jurisdiction == str(gold["jurisdiction"] or "none")
    result.issuers = [m.text for m in plan.issuers]
    if result.issuer_labelled:
        result.issuer_ok = any(fold(i) in {fold(g) for g in gold["issuer"]} for i in result.issuers)
    # each annotation once (a rider's inherited clauses repeat it)
    read = []
    seen = set()
    for c in plan.clauses:
        if c.inherited_from or c.annotation.span.start in seen:
            continue
        seen.add(c.annotation.span.start)
        read.append(([fold(u.written) for u in c.units], [u.role for u in c.units]))
    used = [False] * len(read)
    for a in labelled:
        want = ([fold(u) for u in a["units"]], list(a["roles"]))
        hit = next((i for i, r in enumerate(read) if not used[i] and r == want), None)
        if hit is None:
            result.misses.append(" ".join(a["units"]))
        else:
            used[hit] = True
            result.annotations_right += 1
    g = build.graph
    labels = []
    for unit in set(g.objects(None, LPS.responsibleUnit)):
        zh = [str(o) for o in g.objects(URIRef(unit), SKOS.prefLabel) if getattr(o, "language", None) == "zh"]
        labels += zh[:1]
    result.other_jurisdiction = sorted(_other_jurisdiction(labels, _place(doc.get("place"))))
    found = {(t.value, fold(t.unit)) for t in plan.targets}
    result.targets_found = sum((Decimal(str(v)), fold(u)) in found for v, u in gold.get("targets") or [])
    return result


def evaluate(folder: str | Path, split: str | None = None, settings: Settings | None = None,
             batch: int | None = None, batches=None, metadata_only: bool = False) -> list[DocResult]:
    """Every document of the manifest, or those of one split and (``batch``) one test batch (1: the
    documents that carry no batch number, collected in the first three rounds), or (``batches``) several."""
    folder = Path(folder)
    manifest = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
    gold = yaml.safe_load((folder / "gold.yaml").read_text(encoding="utf-8"))
    settings = settings or Settings.from_env()
    docs = [d for d in manifest["documents"] if split in (None, d["split"]) and batch in (None, d.get("batch", 1))
            and (batches is None or d.get("batch", 1) in batches)
            and (not metadata_only or (gold.get(d["id"]) or {}).get("labels") == "metadata")]
    return [evaluate_document(settings, folder, d, gold.get(d["id"], {}), manifest.get("retrieved")) for d in docs]


def totals(results: list[DocResult]) -> dict[str, int]:
    plans = [r for r in results if r.expect not in REFUSED_RIGHT]
    preambles = [r for r in results if r.expect == "preamble-only"]
    return {
        "documents": len(results),
        "annotations": sum(r.annotations for r in results),
        "annotations right": sum(r.annotations_right for r in results),
        "units of another jurisdiction": sum(len(r.other_jurisdiction) for r in results),
        "plans refused": sum(bool(r.refused) for r in plans),
        "notices refused (right)": sum(bool(r.refused) for r in results if r.expect == "notice-only"),
        "notices": sum(r.expect == "notice-only" for r in results),
        "preamble-only excerpts refused (right)": sum(bool(r.refused) for r in preambles),
        "preamble-only excerpts": len(preambles),
        "read with a title given (text states none)": sum(r.expect == "no-title" and not r.refused for r in results),
        "titles right": sum(bool(r.title_ok) for r in results),
        "titles labelled": sum(r.title_labelled for r in results),
        "periods right": sum(bool(r.period_ok) for r in results),
        "periods labelled": sum(r.period_labelled for r in results),
        "jurisdictions right": sum(bool(r.jurisdiction_ok) for r in results),
        "jurisdictions labelled": sum(r.jurisdiction_labelled for r in results),
        "issuers right": sum(bool(r.issuer_ok) for r in results),
        "issuers labelled": sum(r.issuer_labelled for r in results),
        "targets": sum(r.targets for r in results),
        "targets found": sum(r.targets_found for r in results),
    }


def table(results: list[DocResult]) -> str:
    lines = [f"{'document':<32} {'split':<5} {'annotations':>11} {'other-jur':>9} {'targets':>7}  meta (TPJI)   outcome"]
    for r in results:
        meta = "".join(up if ok else up.lower() if ok is False else "-"
                       for up, ok in zip("TPJI", (r.title_ok, r.period_ok, r.jurisdiction_ok, r.issuer_ok), strict=True))
        lines.append(f"{r.id:<32} {r.split:<5} {r.annotations_right:>5}/{r.annotations:<5} {len(r.other_jurisdiction):>9} "
                     f"{r.targets_found:>3}/{r.targets:<3}  {meta:<12}  {r.outcome[:70]}")
        for miss in r.misses:
            lines.append(f"{'':<40}missed: {miss}")
        for name in r.other_jurisdiction:
            lines.append(f"{'':<40}other jurisdiction: {name}")
        if r.title_ok is False:
            lines.append(f"{'':<40}title read: {r.title}")
        if r.period_ok is False:
            lines.append(f"{'':<40}period read: {r.period}")
        if r.jurisdiction_ok is False:
            lines.append(f"{'':<40}jurisdiction read: {r.jurisdiction}")
        if r.issuer_ok is False:
            lines.append(f"{'':<40}issuers read: {'、'.join(r.issuers) or 'none'}")
    for k, v in totals(results).items():
        lines.append(f"  {k:<44}{v:>5}")
    return "\n".join(lines)


def markdown(results: list[DocResult]) -> str:
    """The per-document table and the totals as Markdown (for docs/plans.md)."""
    import re

    out = ["| document | annotations right | other jurisdiction | targets found | title / period / jurisdiction / issuer | outcome |",
           "|---|---|---|---|---|---|"]
    for r in results:
        meta = " / ".join(["✓" if ok else "✗" if ok is False else "–" for ok in (r.title_ok, r.period_ok, r.jurisdiction_ok, r.issuer_ok)])
        outcome = re.sub(r"^\S+?\.txt:(\d+):(\d+): ", r"refused at \1:\2: ", r.refused) if r.refused else "read"
        if r.expect in REFUSED_RIGHT:
            what = "notice only" if r.expect == "notice-only" else "no plan structure in the excerpt"
            outcome = (f"refused (right: {what}) — " if r.refused else f"READ, but {what} — ") + outcome
        if r.expect == "no-title" and not r.refused:
            outcome += " (with a title given: the excerpt states none)"
        out.append(f"| {r.id} | {r.annotations_right}/{r.annotations} | {len(r.other_jurisdiction)} | {r.targets_found}/{r.targets} "
                   f"| {meta} | {outcome} |")
    out.append("")
    out += [f"- {k}: {v}" for k, v in totals(results).items()]
    return "\n".join(out)


def agreement(folder: str | Path, second: list[str | Path]) -> dict[str, int]:
    """How far a second, blind reading of some documents (files in gold.yaml's form, ``id: entry``) agrees with
    gold.yaml: annotations of the first reading found in the second with the same units in order and the same roles
    (compared as words, as the scores are), and documents whose ``expect`` or number of damaged annotations differ."""
    gold = yaml.safe_load((Path(folder) / "gold.yaml").read_text(encoding="utf-8"))
    counts = {"documents": 0, "annotations (first reading)": 0, "annotations (second reading)": 0, "annotations agreeing": 0,
              "expect differs": 0, "damaged differs": 0}

    def read(entry: dict) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        return [(tuple(fold(u) for u in a["units"]), tuple(a["roles"])) for a in entry.get("annotations") or []]

    for path in second:
        for doc, entry in yaml.safe_load(Path(path).read_text(encoding="utf-8")).items():
            first = gold[doc]
            counts["documents"] += 1
            counts["expect differs"] += first.get("expect") != entry.get("expect")
            counts["damaged differs"] += (first.get("damaged") or 0) != (entry.get("damaged") or 0)
            theirs = read(entry)
            counts["annotations (second reading)"] += len(theirs)
            for annotation in read(first):
                counts["annotations (first reading)"] += 1
                if annotation in theirs:
                    theirs.remove(annotation)
                    counts["annotations agreeing"] += 1
    return counts


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--split")
    parser.add_argument("--batch", type=int, help="one test batch (1 = batches 1-3, which carry no number; 4 and later by their number)")
    parser.add_argument("--markdown", action="store_true", help="a Markdown table, as in docs/plans.md")
    parser.add_argument("--metadata-only", action="store_true", help="only the documents labelled for metadata (labels: metadata)")
    parser.add_argument("--second-reading", nargs="+", metavar="FILE",
                        help="compare these blind second readings (gold.yaml's form) with gold.yaml instead of scoring the extractor")
    args = parser.parse_args(argv)
    if args.second_reading:
        for key, value in agreement(args.folder, args.second_reading).items():
            print(f"  {key:<40}{value:>6}")
        return
    results = evaluate(args.folder, args.split, batch=args.batch, metadata_only=args.metadata_only)
    print(markdown(results) if args.markdown else table(results))


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
