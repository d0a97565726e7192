"""Start real servers for the tests: `lpsplan serve` in a subprocess (so worker
processes and timeouts are the real ones), and `oxigraph serve` from the PyPI
package `oxigraph` for the remote-store path."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

TOKEN = "test-token-9f2c1e"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_log():
    """Where a server under test writes its output: a file, never a pipe nobody reads (a full pipe stalls the
    server in the middle of a long test)."""
    import tempfile

    return tempfile.TemporaryFile("w+")  # open while the server runs, closed by its caller


def wait_until_up(url: str, proc: subprocess.Popen, seconds: float = 60, log=None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            if log is not None:
                log.seek(0)
            out = log.read() if log is not None else (proc.stdout.read() if proc.stdout else "")
            raise RuntimeError(f"server exited with {proc.returncode}: {out}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"server at {url} did not come up in {seconds} s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextlib.contextmanager
def lpsplan_server(build_dir: Path, **env: str):
    with lpsplan_process(build_dir, **env) as (base, _):
        yield base


@contextlib.contextmanager
def lpsplan_process(build_dir: Path, **env: str):
    """`lpsplan serve` on ``build_dir``: yields (base URL, the process)."""
    port = free_port()
    environment = {**os.environ, "LPSPLAN_BUILD_DIR": str(build_dir), "LPSPLAN_PORT": str(port), "PYTHONUNBUFFERED": "1", **env}
    log = server_log()
    proc = subprocess.Popen([sys.executable, "-m", "lpsplan.cli", "serve"], env=environment, stdout=log,
                            stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/healthz", proc, log=log)
        yield base, proc
    finally:
        stop(proc)
        log.close()


def metric(base: str, name: str) -> float:
    """One unlabelled metric of a running `lpsplan serve`, as ``GET /metrics`` gives it now."""
    for line in httpx.get(f"{base}/metrics", timeout=30).text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} is not among the service's metrics")


def until_metric(base: str, name: str, reached, seconds: float = 120) -> float:
    """Wait for the server to report ``name`` with a value for which ``reached(value)`` holds, and
    return it; ``seconds`` only keeps a server that never does from hanging the suite."""
    deadline = time.monotonic() + seconds
    while not reached(value := metric(base, name)):
        if time.monotonic() > deadline:
            raise AssertionError(f"{name} stayed at {value:g}")
        time.sleep(0.05)
    return value


def rss_by_process(pid: int) -> dict[int, int]:
    """Resident memory of a process and each of its descendants (the service and its query workers), by pid."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return {}
    out = {}
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            out[p.pid] = p.memory_info().rss
    return out


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    return sum(rss_by_process(pid).values())


@dataclass
class MemoryDuring:
    """What a process tree's resident memory did while some work ran (bytes)."""

    before: int  # the whole tree, before the work
    peak: int  # the whole tree at its largest
    peak_existing: int  # the processes that were there before, at their largest together
    peak_started: int  # processes started meanwhile (e.g. a spare query worker), at their largest together
    result: object = None


def memory_during(pid: int, work, every: float = 0.02) -> MemoryDuring:
    """Sample the tree of ``pid`` every ``every`` seconds while ``work()`` runs."""
    import threading

    first = rss_by_process(pid)
    seen = MemoryDuring(sum(first.values()), sum(first.values()), sum(first.values()), 0)
    done = threading.Event()

    def take() -> None:
        now = rss_by_process(pid)
        existing = sum(v for k, v in now.items() if k in first)
        seen.peak = max(seen.peak, sum(now.values()))
        seen.peak_existing = max(seen.peak_existing, existing)
        seen.peak_started = max(seen.peak_started, sum(now.values()) - existing)

    def sample():
        while not done.is_set():
            take()
            done.wait(every)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        seen.result = work()
    finally:
        done.set()
        sampler.join()
    take()
    return seen


def peak_rss_during(pid: int, work, every: float = 0.02) -> tuple[int, int, object]:
    """(RSS before, peak RSS while ``work()`` runs, what it returned), sampling the process tree."""
    m = memory_during(pid, work, every)
    return m.before, m.peak, m.result


def stream_size(url: str, **kw) -> tuple[int, int]:
    """GET ``url`` and read the body as it comes, keeping none of it: (status, bytes)."""
    size = 0
    with httpx.stream("GET", url, timeout=600, **kw) as r:
        for chunk in r.iter_bytes(1 << 16):
            size += len(chunk)
        return r.status_code, size


@contextlib.contextmanager
def oxigraph_server(data_dir: Path, *options: str):
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    port = free_port()
    log = server_log()
    proc = subprocess.Popen([binary, "serve", "--location", str(data_dir), "--bind", f"127.0.0.1:{port}", *options],
                            stdout=log, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/query?query=ASK%7B%7D", proc, log=log)
        yield base
    finally:
        stop(proc)
        log.close()


FUSEKI_LIB = Path(__file__).resolve().parent.parent / ".cache" / "fuseki" / "lib"
FUSEKI_MAIN = "org.apache.jena.fuseki.main.cmds.FusekiMainCmd"


def fuseki_missing() -> str | None:
    """Why Fuseki cannot run here (None when it can): `make fuseki` fetches it from Maven Central."""
    if not shutil.which("java"):
        return "no java on PATH (Fuseki needs Java 17)"
    if not (FUSEKI_LIB / ".installed").is_file():
        return "Apache Jena Fuseki is not in .cache/fuseki (`make fuseki` fetches it from Maven Central; it is missing where Maven Central could not be reached)"
    return None


@contextlib.contextmanager
def fuseki_server(dataset: str = "ds"):
    """Apache Jena Fuseki (jena-fuseki-main) with one in-memory, updatable dataset, on the loopback
    interface only: yields the dataset's base URL (``/query``, ``/update``, ``/data`` under it).
    Its default graph is its own graph, not the union of the named graphs (as in `oxigraph serve`)."""
    port = free_port()
    log = server_log()
    proc = subprocess.Popen(["java", "-Xmx4g", "-cp", f"{FUSEKI_LIB}/*", FUSEKI_MAIN, "--localhost", "--port", str(port),
                             "--mem", "--update", f"/{dataset}"], stdout=log, stderr=subprocess.STDOUT, text=True)
    base = f"http://localhost:{port}/{dataset}"  # --localhost: Jetty listens on the loopback name
    try:
        wait_until_up(f"{base}/query?query=ASK%7B%7D", proc, seconds=120, log=log)
        yield base
    finally:
        stop(proc)
        log.close()


@contextlib.contextmanager
def sparql_server(engine: str, data_dir: Path):
    """`oxigraph serve` or Fuseki, empty: yields (base URL for --store, Graph Store endpoint)."""
    if engine == "oxigraph":
        with oxigraph_server(data_dir) as base:
            yield base, f"{base}/store"
    else:
        with fuseki_server() as base:
            yield base, f"{base}/data"
