"""Named questions while runaway queries hammer the endpoint.

    .venv/bin/python bench/attack_bench.py [--seconds 20]

A fifth client asks named questions one after another (/api/queries/NAME), each
followed by a cheap ad-hoc query and an uncached named question (a `search` for a
keyword never asked before: a query text the service has never run, so neither
cached nor measured) — first with the service idle, then while four clients keep
sending runaway queries to /sparql (a cartesian product, a regex over every pair
of literals, a property path over every pair of nodes), each stopped at the
timeout.  lpsplan serve with its default settings, with its answer cache and
without it.  Targets: named questions p99 under attack within 3× of p99 idle
(issue: hardening); the cheap ad-hoc query and the uncached named question p99
under attack ≤ 3× idle + 50 ms (issue #20, fairness).  Writes the "Under attack"
section of docs/benchmarks.md and bench/out/attack.json.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from common import record, write_section
from server import free_port, wait_until_up
from test_hardening import RUNAWAYS

QUESTIONS = ["unit-load", "coownership-domain", "targets", "domain-technologies", "unit-portfolio"]
ATTACKERS = 4
FRESH = "search"  # the uncached named question: this one with a keyword never asked before
KEYWORDS = ["玄武岩", "氢", "5G", "煤层气"]  # (the question's own examples), each with a number never used before


def default_timeout() -> float:
    from lpsplan.config import Settings

    return Settings.from_env({}).timeout


def percentile(values: list[float], pct: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(pct / 100 * (len(values) - 1)))]


CHEAP = "SELECT ?s WHERE {{ ?s a <https://w3id.org/lpsplan/ontology#Clause> }} LIMIT 1 OFFSET {}"


_fresh = iter(range(1, 10**9))


def ask(base: str, seconds: float, adhoc: list[float] | None = None, fresh: list[float] | None = None) -> list[float]:
    """The fifth client: named questions in turn for ``seconds``, each followed by a cheap ad-hoc
    query never asked before (so never cached), whose latencies go to ``adhoc``, and by an uncached
    named question (:data:`FRESH` with a new keyword), whose latencies go to ``fresh``; latencies in ms
    of the named questions.  A failure counts as a timeout."""
    latencies, i = [], 0
    timeout_ms = default_timeout() * 1000.0  # an unanswered request is as bad as a timeout

    def timed(list_, url, **kw):
        t = time.perf_counter()
        r = client.get(url, **kw)
        list_.append(max((time.perf_counter() - t) * 1000, 0 if r.status_code == 200 else timeout_ms))

    deadline = time.monotonic() + seconds
    with httpx.Client(timeout=60) as client:
        while time.monotonic() < deadline:
            timed(latencies, f"{base}/api/queries/{QUESTIONS[i % len(QUESTIONS)]}", params={"format": "rows"})
            if adhoc is not None:
                timed(adhoc, f"{base}/sparql", params={"query": CHEAP.format(i % 40)}, headers={"Accept": "application/sparql-results+json"})
            if fresh is not None:
                n = next(_fresh)
                timed(fresh, f"{base}/api/queries/{FRESH}", params={"format": "rows", "keyword": f"{KEYWORDS[n % len(KEYWORDS)]}{n}"})
            i += 1
    return latencies


def attack(base: str, stop: threading.Event, outcomes: list, address: str) -> None:
    """One connection sending runaway queries, from ``address`` (a loopback address: the service tells
    clients apart by address)."""
    kinds = list(RUNAWAYS.values())
    i = 0
    with httpx.Client(timeout=120, transport=httpx.HTTPTransport(local_address=address)) as client:
        while not stop.is_set():
            t = time.monotonic()
            r = client.get(f"{base}/sparql", params={"query": kinds[i % len(kinds)]}, headers={"Accept": "application/sparql-results+json"})
            outcomes.append((r.status_code, time.monotonic() - t))
            i += 1


def measure(base: str, seconds: float) -> dict:
    ask(base, 2)  # warm up: first answers, the linker, the connection
    idle_adhoc, attack_adhoc, idle_fresh, attack_fresh = [], [], [], []
    idle = ask(base, seconds / 2, idle_adhoc, idle_fresh)
    stop, outcomes = threading.Event(), []
    threads = [threading.Thread(target=attack, args=(base, stop, outcomes, f"127.0.0.{2 + i}")) for i in range(ATTACKERS)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    under = ask(base, seconds, attack_adhoc, attack_fresh)
    stop.set()
    for t in threads:
        t.join()
    stopped = [s for code, s in outcomes if code == 503]
    greedy = greedy_client(base, seconds)
    return {"idle_p50": percentile(idle, 50), "idle_p99": percentile(idle, 99), "idle_n": len(idle),
            "attack_p50": percentile(under, 50), "attack_p99": percentile(under, 99), "attack_n": len(under),
            "adhoc_idle_p99": percentile(idle_adhoc, 99), "adhoc_attack_p50": percentile(attack_adhoc, 50),
            "adhoc_attack_p99": percentile(attack_adhoc, 99), "adhoc_n": len(attack_adhoc),
            "fresh_idle_p99": percentile(idle_fresh, 99), "fresh_attack_p50": percentile(attack_fresh, 50),
            "fresh_attack_p99": percentile(attack_fresh, 99), "timeout_s": default_timeout(),
            "runaways": len(outcomes), "runaways_stopped": len(stopped), "runaway_max_s": max((s for _, s in outcomes), default=0)} | greedy


GREEDY = 8  # connections of the one greedy client


def greedy_client(base: str, seconds: float) -> dict:
    """One client (one address) sending runaway queries on :data:`GREEDY` connections while the
    measuring client asks: the workers it holds on average (the time its runaways spent evaluated,
    over the phase) against its share, the refusals it got, and the other client's ad-hoc p99."""
    stop, outcomes, adhoc = threading.Event(), [], []
    threads = [threading.Thread(target=attack, args=(base, stop, outcomes, "127.0.0.20")) for _ in range(GREEDY)]
    started = time.monotonic()
    for t in threads:
        t.start()
    time.sleep(0.5)
    ask(base, seconds, adhoc)
    stop.set()
    for t in threads:
        t.join()
    phase = time.monotonic() - started
    from lpsplan.config import Settings

    return {"greedy_connections": GREEDY, "greedy_share": Settings.from_env({}).client_queries,
            "greedy_held": sum(s for code, s in outcomes if code == 503) / phase,
            "greedy_refused": sum(1 for code, _ in outcomes if code == 429), "greedy_sent": len(outcomes),
            "greedy_adhoc_p99": percentile(adhoc, 99)}


def report(results: dict, seconds: float) -> list[str]:
    timeout = next(iter(results.values()))["timeout_s"]
    lines = ["## Under attack", "",
             f"One client asks named questions ({', '.join(f'`{q}`' for q in QUESTIONS)}) in turn, first idle, then while "
             f"{ATTACKERS} clients keep sending runaway queries to /sparql (cartesian product, regex over pairs of literals, "
             f"property path over all pairs), each stopped at the {timeout:g} s timeout; lpsplan serve with its default settings "
             f"(2 workers kept, spares started on demand up to 6).  After each question the client also sends a cheap ad-hoc query "
             f"never sent before and an uncached named question (`{FRESH}` for a keyword never asked before: neither its answer "
             f"nor its cost is known to the service).  {seconds:g} s under attack.  Targets: p99 under attack ≤ 3× p99 idle "
             f"(questions); ad-hoc and uncached named question p99 under attack ≤ 3× idle + 50 ms (issue #20).", "",
             "| lpsplan | idle p50 / p99 ms (questions) | under attack p50 / p99 ms (questions) | p99 ratio | ad-hoc p99 idle → under attack (limit) "
             "| uncached named question p99 idle → under attack (limit) | runaways sent / stopped at the timeout | longest runaway |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for mode, r in results.items():
        lines.append(f"| {mode} | {r['idle_p50']:.1f} / {r['idle_p99']:.1f} ({r['idle_n']:,}) | {r['attack_p50']:.1f} / {r['attack_p99']:.1f} "
                     f"({r['attack_n']:,}) | {r['attack_p99'] / r['idle_p99']:.2f}× | {r['adhoc_idle_p99']:.1f} → {r['adhoc_attack_p99']:.1f} ms "
                     f"({fair_limit(r['adhoc_idle_p99']):.0f}) | {r['fresh_idle_p99']:.1f} → {r['fresh_attack_p99']:.1f} ms "
                     f"({fair_limit(r['fresh_idle_p99']):.0f}) | {r['runaways']} / {r['runaways_stopped']} | {r['runaway_max_s']:.1f} s |")
    lines += ["", f"One greedy client: {GREEDY} connections from one address sending runaway queries, while the measuring "
              "client asks as above; workers it held on average (its runaways' time in the workers ÷ the phase) against its share "
              "(`LPSPLAN_CLIENT_QUERIES`), and the measuring client's ad-hoc p99.", "",
              "| lpsplan | runaways sent / refused (429) | workers held on average (share) | ad-hoc p99 idle → under the greedy client (limit) |",
              "|---|---:|---:|---:|"]
    for mode, r in results.items():
        if "greedy_held" in r:
            lines.append(f"| {mode} | {r['greedy_sent']} / {r['greedy_refused']} | {r['greedy_held']:.2f} ({r['greedy_share']}) | "
                         f"{r['adhoc_idle_p99']:.1f} → {r['greedy_adhoc_p99']:.1f} ms ({fair_limit(r['adhoc_idle_p99']):.0f}) |")
    lines.append("")
    return lines


def fair_limit(idle_p99: float) -> float:
    """Issue #20's fairness bound: p99 under attack ≤ 3× idle + 50 ms."""
    return 3 * idle_p99 + 50


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=20)
    args = ap.parse_args()

    from lpsplan.build import build_plan, write_graph
    from lpsplan.config import Settings

    graph = build_plan(Settings.from_env()).graph
    results = {}
    for mode, env in (("cache on", {}), ("cache off", {"LPSPLAN_CACHE": "0"})):
        work = Path(tempfile.mkdtemp(prefix="lpsplan-attack-"))
        write_graph(graph, work / "plan.ttl")
        port = free_port()
        proc = subprocess.Popen([sys.executable, "-m", "lpsplan.cli", "serve", "--port", str(port)],
                                env={**os.environ, "LPSPLAN_BUILD_DIR": str(work), **env},  # every limit as shipped
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until_up(f"http://127.0.0.1:{port}/healthz", proc)
            results[mode] = measure(f"http://127.0.0.1:{port}", args.seconds)
        finally:
            proc.terminate()
            proc.wait(20)
            shutil.rmtree(work, ignore_errors=True)
    record("attack", results)
    lines = report(results, args.seconds)
    write_section(ROOT / "docs" / "benchmarks.md", "\n".join(lines), "attack")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
