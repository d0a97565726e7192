"""No client waits behind another's runaway query: with the default settings, a cheap ad-hoc
query and a named question are answered while four runaway queries run (see WorkerPool)."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from server import lpsplan_process, metric, until_metric
from test_hardening import RUNAWAYS

pytestmark = pytest.mark.slow

JSON = {"Accept": "application/sparql-results+json"}
CHEAP = "SELECT ?s WHERE { ?s a <https://w3id.org/lpsplan/ontology#Clause> } LIMIT 1"


def client_from(address: str, timeout: float = 60) -> httpx.Client:
    """A client connecting from its own loopback address (127.0.0.0/8 is all this machine's), so
    the service tells it from the others."""
    return httpx.Client(timeout=timeout, transport=httpx.HTTPTransport(local_address=address))


def test_cheap_queries_are_answered_while_runaways_run(tmp_path, built):
    """Judged by what happened in what order, never by how long it took: each cheap query is sent
    while four runaway queries are being evaluated in query workers (the service's
    lpsplan_worker_queries reads 4 while the same four are unanswered), and is answered before any
    worker was killed (lpsplan_worker_kills_total the same before and after): answered while all
    four still ran.  One during whose wait a runaway reached the timeout proves nothing either way
    (it may have waited for that worker) and is not counted; one more is sent."""
    from lpsplan.build import write_graph

    write_graph(built.graph, tmp_path / "plan.ttl")
    with lpsplan_process(tmp_path, LPSPLAN_CACHE="0") as (base, _):  # every other setting as shipped
        stop = threading.Event()
        addresses = [f"127.0.0.{2 + i}" for i in range(4)]  # four clients
        current = {a: {"answered": True} for a in addresses}  # each one's runaway in flight: {"answered": whether}

        def attack(address):
            with client_from(address) as client:
                while not stop.is_set():
                    request = {"answered": False}
                    current[address] = request
                    client.get(f"{base}/sparql", params={"query": RUNAWAYS["cartesian"]}, headers=JSON)
                    request["answered"] = True

        def cheap(kind: str, i: int) -> int:
            if kind == "ad hoc":
                return httpx.get(f"{base}/sparql", params={"query": CHEAP + f" OFFSET {i}"}, headers=JSON, timeout=30).status_code
            return httpx.get(f"{base}/api/queries/unit-load", params={"format": "json"}, timeout=30).status_code

        attackers = [threading.Thread(target=attack, args=(a,)) for a in addresses]
        for a in attackers:
            a.start()
        statuses, during = [], {"ad hoc": 0, "named": 0}
        try:
            for i in range(20):
                if min(during.values()) >= 5:
                    break
                kind = "ad hoc" if during["ad hoc"] <= during["named"] else "named"
                held = list(current.values())
                kills = metric(base, "lpsplan_worker_kills_total")
                until_metric(base, "lpsplan_worker_queries", lambda n: n >= 4)
                if any(r["answered"] for r in held):
                    continue  # one of them ended meanwhile: the four in the workers may be others
                statuses.append((kind, cheap(kind, i)))
                if metric(base, "lpsplan_worker_kills_total") == kills:
                    during[kind] += 1
        finally:
            stop.set()
            for a in attackers:
                a.join()
        assert all(status == 200 for _, status in statuses), statuses
        assert min(during.values()) >= 5, f"answered while the four runaways held their workers: {during} of {statuses}"


def test_one_client_holds_no_more_than_its_share_of_workers(tmp_path, built):
    """One client sending runaway queries on many connections holds LPSPLAN_CLIENT_QUERIES (2)
    workers; its further queries are refused at once (429, Retry-After: answered before either
    admitted one), and another client's cheap query, sent while those two are in their workers, is
    answered before either of them is stopped (no worker was killed meanwhile)."""
    from concurrent.futures import ThreadPoolExecutor

    from lpsplan.build import write_graph

    write_graph(built.graph, tmp_path / "plan.ttl")
    with lpsplan_process(tmp_path, LPSPLAN_CACHE="0", LPSPLAN_TIMEOUT="4") as (base, _):
        def runaway(_):
            with client_from("127.0.0.2") as client:
                r = client.get(f"{base}/sparql", params={"query": RUNAWAYS["cartesian"]}, headers=JSON)
                return time.monotonic(), r.status_code, r.headers.get("retry-after"), r.json()

        with ThreadPoolExecutor(6) as pool:
            sent = pool.map(runaway, range(6))
            until_metric(base, "lpsplan_worker_queries", lambda n: n >= 2)  # the two admitted runaways hold their workers
            kills = metric(base, "lpsplan_worker_kills_total")
            with client_from("127.0.0.3", timeout=30) as other:
                r = other.get(f"{base}/sparql", params={"query": CHEAP}, headers=JSON)
            cheap = (r.status_code, metric(base, "lpsplan_worker_kills_total") - kills)
            outcomes = list(sent)
    stopped = [o for o in outcomes if o[1] == 503]
    refused = [o for o in outcomes if o[1] == 429]
    assert len(stopped) == 2 and len(refused) == 4, [status for _, status, _, _ in outcomes]
    assert kills == 0 and all(o[3]["detail"] == "the query ran longer than 4 s and was stopped" for o in stopped), stopped
    first_stop = min(o[0] for o in stopped)
    assert all(o[0] < first_stop and o[2] == "1" and "LPSPLAN_CLIENT_QUERIES" in o[3]["detail"] for o in refused), refused
    assert cheap == (200, 0), f"the other client's query: {cheap[0]}, answered after {cheap[1]:g} runaway(s) were stopped"
