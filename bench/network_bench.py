"""Network analytics and view generation time on the seed plan.

    make bench     # or: .venv/bin/python bench/network_bench.py

Loading the responsibility rows from the embedded store by SPARQL, the metrics,
each export and each view page, medians of 5 runs.  Writes the "Networks"
section of docs/benchmarks.md.  (The 1,000-plan corpus comes with the corpus
generator; until then only the seed is measured.)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import median_ms, write_section


def main() -> None:
    from lpsplan.config import Settings
    from lpsplan.network import PlanNetwork, export
    from lpsplan.sparql.open import open_reader
    from lpsplan.viz import ViewOptions, render_view

    store = open_reader(Settings.from_env())
    net = PlanNetwork.load(store.select)
    rows = [
        ("load rows from Oxigraph (4 SPARQL queries)", median_ms(lambda: PlanNetwork.load(store.select))),
        ("co-ownership graph", median_ms(lambda: net.coownership())),
        ("unit metrics (betweenness, eigenvector, Louvain)", median_ms(lambda: net.metrics())),
        ("domain metrics", median_ms(lambda: net.domain_metrics())),
        ("GraphML export", median_ms(lambda: export(net.coownership(), "graphml"))),
        ("GEXF export", median_ms(lambda: export(net.coownership(), "gexf"))),
    ]
    for view, opts in [("coownership", ViewOptions()), ("bipartite", ViewOptions()), ("ego", ViewOptions(unit="市科技局")), ("tree", ViewOptions())]:
        rows.append((f"view page: {view}", median_ms(lambda v=view, o=opts: render_view(v, net, o))))
    g = net.coownership()
    section = "\n".join(["## Networks", "",
                         f"Seed plan: {len(net.rows)} responsibilities, co-ownership network of {g.number_of_nodes()} units and "
                         f"{g.number_of_edges()} edges. Medians of 5 runs, in process.", "",
                         "| step | median |", "|---|---:|", *[f"| {name} | {ms:,.1f} ms |" for name, ms in rows], ""])
    write_section(ROOT / "docs" / "benchmarks.md", section, "networks")
    print(section)


if __name__ == "__main__":
    main()
