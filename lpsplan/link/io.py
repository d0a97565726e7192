"""Project lists in and link records out: CSV/TSV/XLSX reading, JSON/CSV writing,
and the RDF of linked projects (``lps:Project`` and qualified ``lps:Link`` nodes)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from ..errors import SourceError
from ..rdf import decimal_lexical
from ..vocab import LPS, OA, PREFIXES
from .lexical import Evidence, LinkResult

MAX_ROWS = 100_000
METHODS = {"bm25": "lpsplan-bm25-v1", "hybrid": "lpsplan-hybrid-v1", "semantic": "lpsplan-semantic-v1"}  # recorded on stored links


def read_titles(path: str | Path, column: str) -> list[str]:
    """The titles of one column, in input order; a clear error for every way a file can be unusable."""
    from ..tables import read_rows

    p = Path(path)
    rows = read_rows(p, text_types=(".csv", ".tsv", ".txt"))
    if not rows:
        raise SourceError("the file is empty", path=p)
    header = [h.strip() for h in rows[0]]
    if column not in header:
        raise SourceError(f"no column {column!r}; the columns are: {', '.join(header)}", path=p)
    if len(rows) - 1 > MAX_ROWS:
        raise SourceError(f"{len(rows) - 1:,} rows; at most {MAX_ROWS:,} per batch", path=p)
    i = header.index(column)
    return [(r[i] if i < len(r) else "") for r in rows[1:]]


def records_json(results: list[LinkResult | str]) -> str:
    """One object per input row, in order; a row that could not be linked carries its error."""
    out = []
    for i, r in enumerate(results, 1):
        out.append({"row": i, "error": r} if isinstance(r, str) else {"row": i, **r.as_dict()})
    return json.dumps(out, ensure_ascii=False, indent=2)


def records_rows(results: list[LinkResult | str], k: int = 3) -> list[list]:
    """The flat records (header first) shared by the CSV and XLSX outputs."""
    head = ["row", "title", "fits"]
    for i in range(1, k + 1):
        head += [f"domain_{i}", f"domain_{i}_en", f"domain_{i}_score", f"domain_{i}_evidence", f"domain_{i}_similar_to"]
    head += [f"technology_{i}" for i in range(1, k + 1)] + ["error"]
    rows = [head]
    for n, r in enumerate(results, 1):
        if isinstance(r, str):
            rows.append([n, "", "", *[""] * (5 * k + k), r])
            continue
        cells = [n, r.title, "yes" if r.fits else "no"]
        for i in range(k):
            d = r.domains[i] if i < len(r.domains) else None
            cells += ([d.label_zh, d.label_en, d.score, "、".join(e.phrase for e in d.evidence),
                       f"{d.similar_to} ({d.similarity:.2f})" if d.similar_to else ""] if d else [""] * 5)
        cells += [r.technologies[i].label_zh if i < len(r.technologies) else "" for i in range(k)] + [""]
        rows.append(cells)
    return rows


def records_csv(results: list[LinkResult | str], k: int = 3, bom: bool = False) -> str:
    """The records as CSV; a title that starts like a formula is written so a spreadsheet shows it as text."""
    from ..tables import spreadsheet_text

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([[spreadsheet_text(c) if isinstance(c, str) else c for c in row]
                                                     for row in records_rows(results, k)])
    return ("\ufeff" if bom else "") + buf.getvalue()


def records_xlsx(results: list[LinkResult | str], k: int = 3) -> bytes:
    from openpyxl import Workbook

    from ..tables import excel_safe

    wb = Workbook()
    ws = wb.active
    ws.title = "links"
    for row in records_rows(results, k):
        ws.append([excel_safe(c) for c in row])
    for cells in ws.iter_rows():
        for cell in cells:
            if cell.data_type == "f":  # a title such as "=HYPERLINK(…)": text, never a formula
                cell.data_type = "s"
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_atomic(path: str | Path, data: bytes) -> None:
    """The whole file or none of it: written beside the target, then renamed over it."""
    from ..tables import write

    p = Path(path)
    try:  # a temporary name of its own (O_EXCL), never a fixed one a link planted beside the target could redirect
        write(p, data)
    except OSError as exc:
        raise SourceError(f"cannot write the output ({exc.strerror})", path=p) from None


def records_table(results: list[LinkResult | str], k: int = 3) -> str:
    """For people: per title, a table of rank, domain (zh/en), score, best technology and top evidence."""
    from ..tables import pad_to, text_width

    blocks = []
    for n, r in enumerate(results, 1):
        if isinstance(r, str):
            blocks.append(f"{n}. (row not linked: {r})")
            continue
        head = f"{n}. {r.title}" if len(results) > 1 else r.title
        if not r.fits:
            p = f" (calibrated probability of none: {r.none_probability:.2f}, above every domain's)" if r.none_probability is not None else ""
            blocks.append(f"{head}\n   fits none of the plan's domains{p}")
            continue
        rows = [["#", "domain", "score", "best technology", "evidence"]]
        for d in r.domains[:k]:
            words = "、".join(e.phrase for e in d.evidence[:4])
            similar = f"similar to: {d.similar_to} ({d.similarity:.2f})" if d.similar_to else ""
            rows.append([str(d.rank), f"{d.label_zh} / {d.label_en}", f"{d.score:.2f}", str(d.breakdown.get("best_technology") or ""),
                         "; ".join(x for x in (words, similar) if x) or "-"])
        widths = [max(text_width(row[i]) for row in rows) for i in range(4)]
        lines = [head]
        for j, row in enumerate(rows):
            lines.append("   " + "  ".join(pad_to(row[i], widths[i]) for i in range(4)) + "  " + row[4])
            if j == 0:
                lines.append("   " + "  ".join("-" * widths[i] for i in range(4)) + "  " + "-" * 8)
        if r.technologies:
            lines.append("   technologies: " + "、".join(f"{t.label_zh} ({t.score:.2f})" for t in r.technologies[:k]))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def records_as(results: list[LinkResult | str], fmt: str, k: int = 3, bom: bool = False) -> bytes:
    """The link records in one format: xlsx, csv (with a byte-order mark for Excel when ``bom``), json, or the table for
    people (any other)."""
    if fmt == "xlsx":
        return records_xlsx(results, k)
    if fmt == "csv":
        return records_csv(results, k, bom=bom).encode("utf-8")
    if fmt == "json":
        return records_json(results).encode("utf-8")
    return records_table(results, k).encode("utf-8")


def projects_graph(results: list[LinkResult | str], base_iri: str, batch: str, source_iri: str) -> tuple[Graph, str]:
    """The linked projects as RDF in a named graph of their own: (graph, graph IRI)."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    graph_iri = f"{base_iri}projects/{batch}"
    for n, r in enumerate(results, 1):
        if isinstance(r, str) or not r.fits:
            continue
        digest = hashlib.sha1(r.normalized.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]
        project = URIRef(f"{graph_iri}/{n}-{digest}")
        g.add((project, RDF.type, LPS.Project))
        g.add((project, DCTERMS.title, Literal(r.title, lang="zh")))
        g.add((project, LPS.ordinal, Literal(n)))
        for link in r.domains + r.technologies:
            evidence = list(link.evidence)
            if not evidence and link.similar_to:  # the semantic part: the whole title is the phrase, the sentence its context
                evidence = [Evidence(r.normalized, 0, len(r.normalized), link.similarity or 0.0,
                                     link.similar_start, link.similar_end, link.similar_to, "similar")]
            if link.score <= 0 or not evidence:  # a share that rounds to nothing, or no readable evidence: no link
                continue
            node = URIRef(f"{project}/link/{link.kind}/{link.rank}")
            g.add((node, RDF.type, LPS.Link))
            g.add((node, LPS.project, project))
            g.add((node, LPS.target, URIRef(link.iri)))
            g.add((node, LPS.score, Literal(decimal_lexical(link.score), datatype=XSD.decimal)))
            g.add((node, LPS.rank, Literal(link.rank)))
            g.add((node, LPS.method, Literal(METHODS.get(r.method, r.method))))
            for j, ev in enumerate(evidence, 1):
                e = URIRef(f"{node}/evidence/{j}")
                g.add((node, LPS.evidence, e))
                g.add((e, RDF.type, LPS.Evidence))
                g.add((e, LPS.phrase, Literal(ev.phrase, lang="zh")))
                g.add((e, LPS.titleStart, Literal(ev.title_start)))
                g.add((e, LPS.titleEnd, Literal(ev.title_end)))
                g.add((e, LPS.score, Literal(decimal_lexical(ev.weight), datatype=XSD.decimal)))
                if ev.plan_start is not None:
                    span = URIRef(f"{e}/span")
                    sel = URIRef(f"{span}/selector")
                    g.add((e, PROV.wasDerivedFrom, span))
                    g.add((span, RDF.type, OA.SpecificResource))
                    g.add((span, OA.hasSource, URIRef(source_iri)))
                    g.add((span, OA.hasSelector, sel))
                    g.add((sel, RDF.type, OA.TextPositionSelector))
                    g.add((sel, OA.start, Literal(ev.plan_start)))
                    g.add((sel, OA.end, Literal(ev.plan_end)))
    return g, graph_iri
