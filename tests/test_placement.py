"""Where the embedded store answers: the service's own questions in process once their cost is known
to be small, ad-hoc queries in the killable workers; and the snapshot's on-disk mirror, which lets
the service and a cold CLI query start without parsing the snapshot."""

from __future__ import annotations

import os

import pyoxigraph as ox
import pytest
from lpsplan.build import write_graph
from lpsplan.queries import Catalogue
from lpsplan.sparql.open import StoreLock, open_backend
from lpsplan.store import mirror_of, open_plan_store

JSON = "application/sparql-results+json"
NOTE = 'INSERT DATA { GRAPH <http://example.org/notes> { <http://example.org/n1> <http://www.w3.org/2000/01/rdf-schema#comment> "审阅"@zh } }'
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


@pytest.fixture()
def folder(tmp_path, built, settings):
    write_graph(built.graph, tmp_path / "plan.ttl")
    return settings.with_(build_dir=tmp_path, cache_entries=0, update_token="t")


def quads(store: ox.Store) -> set:
    return set(store.quads_for_pattern(None, None, None, None))


@pytest.mark.slow
def test_named_questions_run_in_process_once_measured_and_ad_hoc_queries_never(folder):
    backend, _ = open_backend(folder)
    try:
        catalogue = Catalogue.load(folder.paths.queries)
        backend.trust(q.render() for q in catalogue)
        question = catalogue.get("unit-load").render()
        placement = backend.placement
        first = backend.query(question, accept=JSON, adhoc=True)  # sent to /sparql verbatim: trusted
        assert placement.probe_count == 1 and placement.here_count == 0
        again = backend.query(question, accept=JSON, adhoc=True)
        assert placement.here_count == 1 and again.body == first.body
        assert backend.runs_here(question) in ("inline", "thread")
        workers = placement.worker_count
        for _ in range(3):  # the same question with one space more is a client's text: always a worker
            backend.query(question + " ", accept=JSON, adhoc=True)
        assert placement.worker_count == workers + 3 and placement.probe_count == 1
        assert backend.runs_here(question + " ") is None
        # a page's own query (adhoc=False) is placed the same way
        backend.query(COUNT, accept=JSON)
        backend.query(COUNT, accept=JSON)
        assert placement.probe_count == 2 and placement.here_count == 2
    finally:
        backend.close()


@pytest.mark.slow
def test_a_trusted_query_measured_costly_goes_back_to_the_workers(folder):
    backend, _ = open_backend(folder)
    try:
        backend.placement.limit = 0.0  # every run counts as costly
        backend.query(COUNT, accept=JSON)
        assert backend.placement.probe_count == 1
        before = backend.placement.worker_count
        backend.query(COUNT, accept=JSON)
        assert backend.placement.worker_count == before + 1 and backend.placement.here_count == 0
    finally:
        backend.close()


@pytest.mark.slow
def test_every_snapshot_gets_an_on_disk_mirror_holding_exactly_its_quads(folder):
    backend, _ = open_backend(folder)
    try:
        backend.wait_mirror()
        first = mirror_of(folder.snapshot_file)
        assert first is not None and backend.pool.snapshot == str(first)  # the workers read it
        backend.update(NOTE)
        backend.wait_mirror()
        second = mirror_of(folder.snapshot_file)
        assert second is not None and second != first
        assert quads(ox.Store.read_only(str(second))) == quads(backend.store)
        answer = backend.query(COUNT, accept=JSON, adhoc=True)  # a worker, now on the new mirror
        assert str(len(backend.store)) in answer.body.decode()
    finally:
        backend.close()
    # a restart answers from the mirror at once, loads the copy in memory behind it, and writes still work
    backend, origin = open_backend(folder)
    try:
        assert "on-disk mirror" in origin
        backend._loaded.wait(60)
        assert quads(backend.store) == quads(ox.Store.read_only(str(second)))
        backend.update('DELETE DATA { GRAPH <http://example.org/notes> { <http://example.org/n1> '
                       '<http://www.w3.org/2000/01/rdf-schema#comment> "审阅"@zh } }')
        assert not backend.store.contains_named_graph(ox.NamedNode("http://example.org/notes")) or \
            not list(backend.store.quads_for_pattern(None, None, None, ox.NamedNode("http://example.org/notes")))
    finally:
        backend.close()
    cold = open_plan_store(folder)  # the CLI reads the mirror read-only
    assert quads(cold.ox) == quads(ox.Store.read_only(str(mirror_of(folder.snapshot_file))))


@pytest.mark.slow
def test_a_mirror_of_another_snapshot_or_unfinished_is_never_read(folder):
    backend, _ = open_backend(folder)
    backend.wait_mirror()
    backend.close()
    assert mirror_of(folder.snapshot_file) is not None
    # the snapshot replaced behind the mirror's back (another file): the mirror no longer matches
    data = folder.snapshot_file.read_bytes() + b'<http://example.org/x> <http://example.org/p> "new" .\n'
    tmp = folder.snapshot_file.with_name(".store.test.nq")
    tmp.write_bytes(data)
    os.replace(tmp, folder.snapshot_file)
    assert mirror_of(folder.snapshot_file) is None
    store = open_plan_store(folder)
    assert store.ask('ASK { <http://example.org/x> <http://example.org/p> "new" }')
    # a mirror a killed writer did not finish is removed by the next lock holder
    unfinished = folder.build_dir / ".store-1-2-3.db.999"
    unfinished.mkdir()
    StoreLock(folder.build_dir).release()
    assert not unfinished.exists()
