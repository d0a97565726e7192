"""kill -9 in the middle of a write, eight times over for each kind of write: the store a restart finds is
exactly the state before the write or the state after it, and it passes SHACL.

Each cycle starts a real process on the same build folder (the state carries over),
starts a write, kills the whole process group with SIGKILL at a different moment,
then opens the store the way a restart does (``load_embedded_store``) and compares
every quad with the two allowed states.  The delays sweep from "before the request
is read" to "after the snapshot is renamed", so every window of the write path —
copy, apply, SHACL gate, snapshot write, rename — is hit in some cycle.
"""

from __future__ import annotations

import collections
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph

from conftest import MINI_PLAN
from server import TOKEN, free_port, wait_until_up

pytestmark = pytest.mark.slow

CYCLES = 8


def quads(settings) -> set[str]:
    from lpsplan.sparql.open import load_embedded_store

    store, _ = load_embedded_store(settings)
    return {str(q) for q in store}


def conforms(settings, state: set[str]) -> bool:
    from lpsplan.validate import load_shapes, validate_graph

    store = ox.Store()
    store.load("\n".join(f"{q} ." for q in state).encode(), format=ox.RdfFormat.N_QUADS)
    g = Graph()
    g.parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt")
    if not validate_graph(g, load_shapes(settings.paths.shapes_file)).conforms:
        return False
    for graph in store.named_graphs():  # each ingested plan is validated on its own, as ingest does
        if "/graph" in graph.value:
            pg = Graph()
            pg.parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph), format="nt")
            if not validate_graph(pg, load_shapes(settings.paths.shapes_file)).conforms:
                return False
    return True


def killpg(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)


@pytest.fixture()
def folder(tmp_path, built):
    from lpsplan.build import write_graph
    from lpsplan.config import Settings

    write_graph(built.graph, tmp_path / "plan.ttl")
    return Settings.from_env({}, build_dir=tmp_path)


def test_kill_during_updates(folder):
    env = {**os.environ, "LPSPLAN_BUILD_DIR": str(folder.build_dir), "LPSPLAN_UPDATE_TOKEN": TOKEN, "LPSPLAN_WORKERS": "1"}
    duration = _update_duration(env)
    state = quads(folder)
    outcomes = collections.Counter()
    for cycle in range(CYCLES):
        port = free_port()
        # a service process, killed partway through a write
        proc = subprocess.Popen([sys.executable, "-m", "lpsplan.cli", "serve", "--port", str(port)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            wait_until_up(f"http://127.0.0.1:{port}/healthz", proc)  # a restart on what the last cycle left
            sent = threading.Thread(target=_post_quietly, args=(f"http://127.0.0.1:{port}/update", _update(cycle)))
            sent.start()
            time.sleep(duration * (0.1 + 1.2 * cycle / CYCLES))  # from before the request is read to after the rename
        finally:
            killpg(proc)
        sent.join()
        after = quads(folder)
        added = after - state
        assert after >= state, f"cycle {cycle}: quads of the earlier state were lost"
        assert len(added) in (0, 400), f"cycle {cycle}: {len(added)} of 400 quads — a partial write survived"
        assert conforms(folder, after), f"cycle {cycle}: the store does not pass SHACL"
        outcomes["after" if added else "before"] += 1
        state = after
    print(f"update kill cycles ({duration:.2f} s per update): {dict(outcomes)}")
    assert sum(outcomes.values()) == CYCLES


def _update(cycle: int) -> str:
    # even cycles: the default graph (copy → apply → SHACL gate → snapshot → swap);
    # odd cycles: a named graph (apply → snapshot)
    triples = " ".join(f'<urn:crash:{cycle}:{i}> <http://www.w3.org/2000/01/rdf-schema#comment> "第{cycle}次 {i}"@zh .' for i in range(400))
    return f"INSERT DATA {{ {triples} }}" if cycle % 2 == 0 else f"INSERT DATA {{ GRAPH <urn:crash:g{cycle}> {{ {triples} }} }}"


def _update_duration(env: dict) -> float:
    """How long one default-graph update takes here (on a scratch copy of the folder)."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        shutil.copy(os.path.join(env["LPSPLAN_BUILD_DIR"], "plan.ttl"), scratch)
        port = free_port()
        proc = subprocess.Popen([sys.executable, "-m", "lpsplan.cli", "serve", "--port", str(port)], env={**env, "LPSPLAN_BUILD_DIR": scratch},
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            wait_until_up(f"http://127.0.0.1:{port}/healthz", proc)
            started = time.monotonic()
            _post_quietly(f"http://127.0.0.1:{port}/update", _update(-2))
            return time.monotonic() - started
        finally:
            killpg(proc)


def _post_quietly(url: str, body: str) -> None:
    with contextlib.suppress(httpx.HTTPError):  # the server was killed: the point of the test
        httpx.post(url, content=body.encode(), timeout=30,
                   headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})


def test_kill_during_ingest(folder):
    env = {**os.environ, "LPSPLAN_BUILD_DIR": str(folder.build_dir)}
    # how long an ingest takes here, to spread the kills over it
    started = time.monotonic()  # a process, as the ones killed below: its time includes the start
    subprocess.run([sys.executable, "-m", "lpsplan.cli", "ingest", str(MINI_PLAN), "--id", "timing-run", "--jurisdiction", "moushi"],
                   env=env, check=True, capture_output=True)
    duration = time.monotonic() - started
    state = quads(folder)
    plan_quads = {q for q in state if "timing-run/graph" in q}
    assert plan_quads
    outcomes = collections.Counter()
    for cycle in range(CYCLES):
        slug = f"crash-{cycle}"
        # a process of its own: it is killed with SIGKILL partway
        proc = subprocess.Popen([sys.executable, "-m", "lpsplan.cli", "ingest", str(MINI_PLAN), "--id", slug, "--jurisdiction", "moushi"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(duration * (0.3 + 0.8 * cycle / CYCLES))  # from mid-extraction to after the rename
        killpg(proc)
        after = quads(folder)
        added = after - state
        assert after >= state, f"cycle {cycle}: quads of the earlier state were lost"
        assert len(added) in (0, len(plan_quads)), f"cycle {cycle}: {len(added)} of {len(plan_quads)} quads — a partial plan survived"
        assert all(f"{slug}/graph" in q for q in added)
        assert conforms(folder, after), f"cycle {cycle}: the store does not pass SHACL"
        outcomes["after" if added else "before"] += 1
        state = after
    print(f"ingest kill cycles ({duration:.1f} s per ingest): {dict(outcomes)}")
    assert sum(outcomes.values()) == CYCLES


def test_a_second_writer_is_refused_while_the_service_runs(folder):
    env = {**os.environ, "LPSPLAN_BUILD_DIR": str(folder.build_dir), "LPSPLAN_WORKERS": "1"}
    port = free_port()
    # the service in a process of its own, holding the store's lock
    proc = subprocess.Popen([sys.executable, "-m", "lpsplan.cli", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", proc)
        before = (folder.build_dir / "store.nq").read_bytes()
        # a second process: the store's lock is held between processes (flock)
        r = subprocess.run([sys.executable, "-m", "lpsplan.cli", "ingest", str(MINI_PLAN), "--id", "second", "--jurisdiction", "moushi"],
                           env=env, capture_output=True, text=True)
        assert r.returncode != 0
        assert "in use by lpsplan process" in r.stderr and "Traceback" not in r.stderr
        assert (folder.build_dir / "store.nq").read_bytes() == before
    finally:
        killpg(proc)


def _children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (read from /proc)."""
    out = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid and fields[0] != "Z":
                    out.add(int(entry))
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_query_workers_end_with_a_killed_service(folder):
    """kill -9 of the service alone (not its process group) while a worker runs a runaway query: its query workers
    end too, instead of evaluating on for nobody.  The waits are bounds against a hang, not judgements of speed."""
    port = free_port()
    env = {**os.environ, "LPSPLAN_BUILD_DIR": str(folder.build_dir), "LPSPLAN_PORT": str(port), "LPSPLAN_WORKERS": "2",
           "LPSPLAN_TIMEOUT": "600"}
    log = open(folder.build_dir / "serve.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "-m", "lpsplan.cli", "serve"], env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/healthz", proc)
        workers = _children(proc.pid)
        assert workers, "the service started no query worker"
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        def ask() -> None:
            with contextlib.suppress(httpx.HTTPError):  # the service is killed before it answers
                httpx.get(f"{base}/sparql", params={"query": runaway}, timeout=600)

        threading.Thread(target=ask, daemon=True).start()
        from server import until_metric

        until_metric(base, "lpsplan_worker_queries", lambda v: v >= 1)  # the runaway is in a worker
        proc.kill()
        proc.wait(10)
        deadline = time.monotonic() + 60
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(w) for w in workers), "query workers outlived the service"
    finally:
        killpg(proc)
        log.close()
