"""No client waits behind another's runaway query: with the default settings, a cheap ad-hoc
query and a named question are answered while four runaway queries run (see WorkerPool)."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from server import lpsplan_process
from test_hardening import RUNAWAYS

pytestmark = pytest.mark.slow

JSON = {"Accept": "application/sparql-results+json"}
CHEAP = "SELECT ?s WHERE { ?s a <https://w3id.org/lpsplan/ontology#Clause> } LIMIT 1"


def test_cheap_queries_are_answered_while_runaways_run(tmp_path, built):
    from lpsplan.build import write_graph

    write_graph(built.graph, tmp_path / "plan.ttl")
    with lpsplan_process(tmp_path, LPSPLAN_CACHE="0") as (base, _):  # every other setting as shipped
        stop = threading.Event()

        def attack():
            with httpx.Client(timeout=60) as client:
                while not stop.is_set():
                    client.get(f"{base}/sparql", params={"query": RUNAWAYS["cartesian"]}, headers=JSON)

        attackers = [threading.Thread(target=attack) for _ in range(4)]
        for a in attackers:
            a.start()
        try:
            time.sleep(2)  # the runaways hold their workers; spares have started
            waits = []
            for i in range(5):
                t = time.monotonic()
                r = httpx.get(f"{base}/sparql", params={"query": CHEAP + f" OFFSET {i}"}, headers=JSON, timeout=30)
                waits.append(("ad hoc", r.status_code, time.monotonic() - t))
                t = time.monotonic()
                r = httpx.get(f"{base}/api/queries/unit-load", params={"format": "json"}, timeout=30)
                waits.append(("named", r.status_code, time.monotonic() - t))
        finally:
            stop.set()
            for a in attackers:
                a.join()
        assert all(status == 200 and seconds < 2 for _, status, seconds in waits), waits
