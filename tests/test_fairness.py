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


def client_from(address: str, timeout: float = 60) -> httpx.Client:
    """A client connecting from its own loopback address (127.0.0.0/8 is all this machine's), so
    the service tells it from the others."""
    return httpx.Client(timeout=timeout, transport=httpx.HTTPTransport(local_address=address))


def test_cheap_queries_are_answered_while_runaways_run(tmp_path, built):
    from lpsplan.build import write_graph

    write_graph(built.graph, tmp_path / "plan.ttl")
    with lpsplan_process(tmp_path, LPSPLAN_CACHE="0") as (base, _):  # every other setting as shipped
        stop = threading.Event()

        def attack(address):
            with client_from(address) as client:
                while not stop.is_set():
                    client.get(f"{base}/sparql", params={"query": RUNAWAYS["cartesian"]}, headers=JSON)

        attackers = [threading.Thread(target=attack, args=(f"127.0.0.{2 + i}",)) for i in range(4)]  # four clients
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


def test_one_client_holds_no_more_than_its_share_of_workers(tmp_path, built):
    """One client sending runaway queries on many connections holds LPSPLAN_CLIENT_QUERIES (2)
    workers; its further queries are refused at once (429, Retry-After), and another client's
    cheap query is answered meanwhile."""
    from concurrent.futures import ThreadPoolExecutor

    from lpsplan.build import write_graph

    write_graph(built.graph, tmp_path / "plan.ttl")
    with lpsplan_process(tmp_path, LPSPLAN_CACHE="0", LPSPLAN_TIMEOUT="4") as (base, _):
        def runaway(_):
            with client_from("127.0.0.2") as client:
                t = time.monotonic()
                r = client.get(f"{base}/sparql", params={"query": RUNAWAYS["cartesian"]}, headers=JSON)
                return r.status_code, time.monotonic() - t, r.headers.get("retry-after"), r.json()

        with ThreadPoolExecutor(6) as pool:
            sent = pool.map(runaway, range(6))
            time.sleep(1)  # the two admitted runaways hold their workers
            with client_from("127.0.0.3", timeout=30) as other:
                t = time.monotonic()
                r = other.get(f"{base}/sparql", params={"query": CHEAP}, headers=JSON)
                cheap = (r.status_code, time.monotonic() - t)
            outcomes = list(sent)
    stopped = [o for o in outcomes if o[0] == 503]
    refused = [o for o in outcomes if o[0] == 429]
    assert len(stopped) == 2 and len(refused) == 4, [(s, round(t, 1)) for s, t, _, _ in outcomes]
    assert all(o[3]["error"] == "query timeout" for o in stopped)
    assert all(o[1] < 2 and o[2] == "1" and "LPSPLAN_CLIENT_QUERIES" in o[3]["detail"] for o in refused), refused
    assert cheap[0] == 200 and cheap[1] < 2, cheap
