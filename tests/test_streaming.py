"""Large answers: written by the query worker to a spool file in batches, streamed from it,
never held whole in memory; nothing left on disk however the answer ends.  See
docs/reliability.md ("Large results")."""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from lpsplan.api.app import create_app
from lpsplan.sparql.backend import Limits
from lpsplan.sparql.embedded import EmbeddedBackend
from lpsplan.sparql.errors import QueryTimeout, ResultTooLarge

from server import lpsplan_process, oxigraph_server, peak_rss_during, stream_size

pytestmark = pytest.mark.slow

ROWS = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def backend(tmp_path_factory, built):
    from lpsplan.build import serialize

    store = ox.Store()
    store.load(serialize(built.graph), format=ox.RdfFormat.TURTLE)
    b = EmbeddedBackend(store, None, Limits(timeout=30, max_rows=100_000), workers=2,
                        snapshot_path=tmp_path_factory.mktemp("streaming") / "store.nq")
    yield b
    b.close()


@contextlib.contextmanager
def inline(b, size: int):
    """Answers larger than ``size`` bytes go to the spool file (4 MiB in service)."""
    saved, b.inline_bytes = b.inline_bytes, size
    try:
        yield
    finally:
        b.inline_bytes = saved


def leftovers(b: EmbeddedBackend) -> list[str]:
    return os.listdir(b.spool)


@pytest.mark.parametrize("query, fmt", [(ROWS, "json"), (ROWS, "xml"), (ROWS, "csv"), (ROWS, "tsv"),
                                        (CONSTRUCT, "turtle"), (CONSTRUCT, "nt"), (CONSTRUCT, "rdfxml")])
def test_a_spooled_answer_is_the_same_bytes_as_one_held_in_memory(backend, query, fmt):
    with inline(backend, 1 << 30):
        whole = backend.query(query + " ", fmt=fmt)  # a different text: not the cached answer
    assert whole.spool is None and len(whole.body) > 100_000
    with inline(backend, 4096):
        streamed = backend.query(query, fmt=fmt, stream=True)
    assert streamed.spool is not None and streamed.media == whole.media
    with streamed.spool as fh:
        body = fh.read()
    if query is ROWS:  # ordered rows: the very same bytes
        assert body == whole.body
    else:  # a CONSTRUCT has no order: the store in memory and its on-disk mirror may list triples differently
        assert _triples(body, fmt) == _triples(whole.body, fmt)
    assert leftovers(backend) == []  # the file's name went when it was claimed; its space with the handle


def _triples(body: bytes, fmt: str) -> set:
    form = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML}[fmt]
    return {str(t) for t in ox.parse(body, format=form)}


def test_json_batches_join_into_one_valid_document(backend):
    with inline(backend, 4096):
        answer = backend.query("SELECT ?s WHERE { ?s ?p ?o }", fmt="json", stream=True)
    with answer.spool as fh:
        doc = json.load(fh)
    assert doc["head"]["vars"] == ["s"] and len(doc["results"]["bindings"]) == backend.triples() > 1024 * 3


def test_without_stream_the_caller_gets_bytes(backend):
    with inline(backend, 4096):
        answer = backend.query(ROWS, fmt="csv")
    assert answer.spool is None and answer.body.count(b"\r\n") == backend.triples() + 1
    assert leftovers(backend) == []


def test_too_many_rows_part_way_leaves_nothing(backend, tmp_path):
    small = EmbeddedBackend(backend.store, None, Limits(timeout=30, max_rows=5000), workers=1, snapshot_path=tmp_path / "store.nq")
    small.inline_bytes = 4096  # the file exists by the time the cap is reached
    try:
        with pytest.raises(ResultTooLarge):
            small.query(ROWS, fmt="csv", stream=True)
        assert leftovers(small) == []
    finally:
        small.close()
    assert not Path(small.spool).exists()


def test_a_worker_killed_at_the_timeout_leaves_no_partial_file(backend, tmp_path):
    slow = EmbeddedBackend(backend.store, None, Limits(timeout=1.5, max_rows=10**9), workers=1, snapshot_path=tmp_path / "store.nq")
    slow.inline_bytes = 4096
    try:
        with pytest.raises(QueryTimeout):  # 7,000² rows: the worker is writing its spool file when it is killed
            slow.query("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", fmt="tsv", stream=True, adhoc=True)  # a client's: a worker runs it
        assert leftovers(slow) == []
    finally:
        slow.close()


def test_graph_store_get_streams_the_graph(backend, settings):
    with TestClient(create_app(settings, backend)) as client:
        r = client.get("/store", params={"default": ""}, headers={"Accept": "application/n-triples"})
        assert r.status_code == 200 and int(r.headers["content-length"]) == len(r.content)
        assert len(list(ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES))) == backend.triples()
        head = client.head("/store", params={"graph": "http://example.org/none"})
        assert head.status_code == 404
    assert leftovers(backend) == []


def test_sparql_endpoint_streams_with_a_content_length(backend, settings):
    with inline(backend, 4096), TestClient(create_app(settings, backend)) as client:
        r = client.get("/sparql", params={"query": ROWS}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert int(r.headers["content-length"]) == len(r.content) and r.text.count("\r\n") == backend.triples() + 1
    assert leftovers(backend) == []


def test_stale_spool_folders_are_removed_when_the_store_is_next_opened(tmp_path):
    from lpsplan.sparql.open import StoreLock
    from lpsplan.sparql.spool import spool_folder

    stale = Path(spool_folder(tmp_path))
    (stale / "answer.123.x").write_bytes(b"half an answer")
    lock = StoreLock(tmp_path)
    try:
        assert not stale.exists()
    finally:
        lock.release()


def test_remote_backend_spools_a_large_answer(built, tmp_path):
    from lpsplan.build import serialize
    from lpsplan.sparql.remote import Endpoints, RemoteBackend

    with oxigraph_server(tmp_path / "ox") as base:
        httpx.post(f"{base}/store", params={"default": ""}, content=serialize(built.graph),
                   headers={"Content-Type": "text/turtle"}, timeout=60).raise_for_status()
        remote = RemoteBackend(Endpoints.from_base(base), None, Limits(timeout=30))
        try:
            whole = remote.query(ROWS, fmt="csv")
            assert whole.spool is None and whole.body.count(b"\r\n") > 7000
            with inline(remote, 4096):
                streamed = remote.query(ROWS, fmt="csv", stream=True)
            with streamed.spool as fh:
                assert fh.read() == whole.body
            graph = remote.get_graph(None, "application/n-triples")
            body = graph.spool.read() if graph.spool else graph.body
            assert len(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))) == len(built.graph)
        finally:
            remote.close()
        assert not Path(remote.spool).exists()


def wait_for_mirror(snapshot: Path, seconds: float = 60) -> None:
    """Until the snapshot's on-disk mirror is finished (the service writes it in the background)."""
    from lpsplan.sparql.snapshot import mirror_of

    deadline = time.monotonic() + seconds
    while mirror_of(snapshot) is None:
        assert time.monotonic() < deadline, "the service wrote no on-disk mirror of its snapshot"
        time.sleep(0.2)


def test_memory_stays_flat_while_a_large_answer_streams(built, tmp_path):
    """400,000 rows of CSV (~68 MB) through a live `lpsplan serve`: before spooling, the service
    and its worker grew by several times the answer (212 MB for 69 MB measured); now by a few buffers."""
    from lpsplan.build import write_graph

    write_graph(built.graph, tmp_path / "plan.ttl")
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o . ?x a ?t } LIMIT 400000"
    with lpsplan_process(tmp_path, LPSPLAN_MAX_ROWS="500000", LPSPLAN_TIMEOUT="300", LPSPLAN_WORKERS="1",
                         LPSPLAN_MAX_WORKERS="1") as (base, proc):  # no spare worker: the tree measured is the one answering
        wait_for_mirror(tmp_path / "store.nq")  # written by the service after it starts: not part of the answer's cost
        stream_size(f"{base}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 10", "format": "csv"})
        before, peak, (status, size) = peak_rss_during(proc.pid, lambda: stream_size(
            f"{base}/sparql", params={"query": query, "format": "csv"}))
        assert status == 200 and size > 50_000_000
        assert peak - before < size / 2, f"grew {(peak - before) / 1e6:.0f} MB for a {size / 1e6:.0f} MB answer"
        assert list(tmp_path.glob(".answers.*/*")) == []
