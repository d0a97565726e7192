"""Anonymous clients that try to hold the server's memory, connections and disk.

    .venv/bin/python bench/client_attack_bench.py [--seconds 20]

Against `lpsplan serve` with its default limits, all at once for ``--seconds``:

* 100 slow bodies: each sends the headers of a chunked POST /sparql and 9 MiB of
  body, then never finishes it;
* 1,500 slow connections: each sends part of a request's headers, then one more
  header line a second, never the end;
* 4 clients that ask for a large answer (a CONCAT over a product of the graph,
  about 80 MB of CSV) and never read it.

A sixth client asks /healthz throughout.  Reported: the service's RSS (with its
workers) and the disk held by answer spool files (counted through the open file
handles, so deleted files still held count) — before, at the peak, and 5 s after
the attackers have gone — and /healthz p50/p99 idle and under attack.  Writes the
"Anonymous clients" section of docs/reliability.md and bench/out/client_attack.json.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from attack_bench import percentile
from common import record, write_section
from server import lpsplan_process, tree_rss

HUGE = ("SELECT (CONCAT(STR(?a), STR(?b), STR(?c), STR(?d)) AS ?x) WHERE { ?a <https://w3id.org/lpsplan/ontology#text> ?t1 . "
        "?b ?p ?o . ?c ?q ?r . ?d ?s ?u } LIMIT 300000")


def spool_bytes(pid: int) -> int:
    """Bytes of answer spool files the service and its workers hold open (deleted or not)."""
    import psutil

    total = 0
    try:
        procs = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for p in procs:
        try:
            fds = list(Path(f"/proc/{p.pid}/fd").iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                if ".answers." in os.readlink(fd):
                    total += os.stat(fd).st_size
            except OSError:
                pass
    return total


def connect(port: int) -> socket.socket | None:
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        return s
    except OSError:
        return None


def open_many(port: int, n: int, first: bytes, *more: bytes) -> list[socket.socket]:
    """``n`` connections, each sent ``first`` and then each of ``more`` (as far as the server takes them)."""
    opened = []
    for _ in range(n):
        s = connect(port)
        if s is None:
            continue
        opened.append(s)
        try:
            for data in (first, *more):
                s.sendall(data)
        except OSError:
            pass
    return opened


def slow_bodies(port: int, n: int, stop: threading.Event, held: list) -> None:
    chunk = b"#" * (1 << 20)
    part = b"%x\r\n" % len(chunk) + chunk + b"\r\n"
    held.extend(open_many(port, n, b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                                   b"Transfer-Encoding: chunked\r\n\r\n", *[part] * 9))
    stop.wait()


def slow_connections(port: int, n: int, stop: threading.Event, held: list) -> None:
    mine = open_many(port, n, b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    held.extend(mine)
    while not stop.wait(1):
        for s in mine:
            with contextlib.suppress(OSError):
                s.sendall(b"X-Slow: 1\r\n")


def non_readers(port: int, n: int, stop: threading.Event, held: list) -> None:
    target = "/sparql?" + str(httpx.QueryParams({"query": HUGE, "format": "csv"}))
    held.extend(open_many(port, n, f"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode()))
    stop.wait()


def healthz(base: str, stop: threading.Event, latencies: list) -> None:
    with httpx.Client(timeout=30) as client:
        while not stop.is_set():
            t = time.perf_counter()
            try:
                client.get(f"{base}/healthz")
            except httpx.HTTPError:
                client = httpx.Client(timeout=30)
            latencies.append((time.perf_counter() - t) * 1000)
            stop.wait(0.05)


def measure(base: str, port: int, pid: int, seconds: float) -> dict:
    idle: list[float] = []
    quiet = threading.Event()
    t = threading.Thread(target=healthz, args=(base, quiet, idle))
    t.start()
    time.sleep(3)
    quiet.set()
    t.join()
    before_rss, before_disk = tree_rss(pid), spool_bytes(pid)

    stop, under, held = threading.Event(), [], []
    attackers = [threading.Thread(target=slow_bodies, args=(port, 100, stop, held)),
                 threading.Thread(target=slow_connections, args=(port, 1500, stop, held)),
                 threading.Thread(target=non_readers, args=(port, 4, stop, held))]
    probe = threading.Thread(target=healthz, args=(base, stop, under))
    for a in [*attackers, probe]:
        a.start()
    peak_rss, peak_disk, started = before_rss, before_disk, time.monotonic()
    while time.monotonic() - started < seconds:
        peak_rss, peak_disk = max(peak_rss, tree_rss(pid)), max(peak_disk, spool_bytes(pid))
        time.sleep(0.2)
    open_at_end = sum(1 for s in held if s.fileno() != -1)
    stop.set()
    for a in [*attackers, probe]:
        a.join()
    for s in held:
        s.close()
    time.sleep(5)
    return {"idle_p50": percentile(idle, 50), "idle_p99": percentile(idle, 99), "attack_p50": percentile(under, 50),
            "attack_p99": percentile(under, 99), "healthz_requests": len(under), "rss_before": before_rss, "rss_peak": peak_rss,
            "rss_after": tree_rss(pid), "disk_before": before_disk, "disk_peak": peak_disk, "disk_after": spool_bytes(pid),
            "client_sockets": len(held), "client_sockets_open_at_end": open_at_end}


def report(r: dict, seconds: float) -> list[str]:
    mb = 2**20
    return [
        "### Anonymous clients — *bench* `bench/client_attack_bench.py`", "",
        f"Default limits; for {seconds:g} s at once: 100 slow bodies (9 MiB of an unfinished chunked body each), "
        "1,500 slow-header connections, 4 clients that never read a large answer. RSS is the service with its query "
        "workers; disk is what answer spool files hold open.", "",
        "| | before | peak | 5 s after |", "|---|---|---|---|",
        f"| RSS | {r['rss_before'] / mb:,.0f} MB | {r['rss_peak'] / mb:,.0f} MB | {r['rss_after'] / mb:,.0f} MB |",
        f"| spool disk | {r['disk_before'] / mb:,.1f} MB | {r['disk_peak'] / mb:,.1f} MB | {r['disk_after'] / mb:,.1f} MB |", "",
        f"/healthz p50 / p99: idle {r['idle_p50']:.1f} / {r['idle_p99']:.1f} ms; under attack {r['attack_p50']:.1f} / "
        f"{r['attack_p99']:.1f} ms ({r['healthz_requests']:,} requests).", "",
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=20)
    args = ap.parse_args()

    from lpsplan.build import build_plan, write_graph
    from lpsplan.config import Settings

    work = Path(tempfile.mkdtemp(prefix="lpsplan-clients-"))
    write_graph(build_plan(Settings.from_env()).graph, work / "plan.ttl")
    try:
        with lpsplan_process(work) as (base, proc):  # every limit as shipped
            result = measure(base, int(base.rsplit(":", 1)[1]), proc.pid, args.seconds)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    record("client_attack", result)
    lines = report(result, args.seconds)
    write_section(ROOT / "docs" / "reliability.md", "\n".join(lines), "client-attack")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
