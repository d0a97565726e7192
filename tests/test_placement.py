"""Where the embedded store answers: the service's own questions in process once their cost is known
to be small, ad-hoc queries in the killable workers; and the snapshot's on-disk mirror, which lets
the service and a cold CLI query start without parsing the snapshot."""

from __future__ import annotations

import json
import os
import threading
import time

import pyoxigraph as ox
import pytest
from lpsplan.build import write_graph
from lpsplan.queries import Catalogue
from lpsplan.sparql.errors import QueryTimeout
from lpsplan.sparql.open import StoreLock, open_backend, open_reader
from lpsplan.sparql.snapshot import mirror_of

JSON = "application/sparql-results+json"
NOTE = 'INSERT DATA { GRAPH <http://example.org/notes> { <http://example.org/n1> <http://www.w3.org/2000/01/rdf-schema#comment> "审阅"@zh } }'
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


@pytest.fixture()
def folder(tmp_path, built, settings):
    write_graph(built.graph, tmp_path / "plan.ttl")
    return settings.with_(build_dir=tmp_path, cache_entries=0, update_token="t")


def quads(store: ox.Store) -> set:
    return set(store.quads_for_pattern(None, None, None, None))


@pytest.fixture()
def backend(folder):
    opened, _ = open_backend(folder)
    try:
        yield opened
    finally:
        opened.close()


@pytest.mark.slow
def test_named_questions_run_in_process_after_one_worker_run_and_ad_hoc_queries_never(folder, backend):
    catalogue = Catalogue.load(folder.paths.queries)
    backend.trust(q.render() for q in catalogue)
    question = catalogue.get("unit-load").render()
    placement = backend.placement
    first = backend.query(question, accept=JSON, adhoc=True)  # sent to /sparql verbatim: trusted, first run in a worker
    assert placement.worker_count == 1 and placement.here_count == 0
    assert backend.runs_here(question) == "thread"  # measured by the worker: in process from now on
    again = backend.query(question, accept=JSON, adhoc=True)
    assert placement.here_count == 1 and again.body == first.body
    assert backend.runs_here(question) in ("inline", "thread")
    workers = placement.worker_count
    for _ in range(3):  # the same question with one space more is a client's text: always a worker
        backend.query(question + " ", accept=JSON, adhoc=True)
    assert placement.worker_count == workers + 3 and placement.here_count == 1
    assert backend.runs_here(question + " ") is None
    # a page's own query (adhoc=False) is placed the same way
    backend.query(COUNT, accept=JSON)
    backend.query(COUNT, accept=JSON)
    assert placement.worker_count == workers + 4 and placement.here_count == 2


@pytest.mark.slow
def test_a_trusted_query_measured_costly_goes_back_to_the_workers(backend):
    placement = backend.placement
    backend.query(COUNT, accept=JSON)
    backend.query(COUNT, accept=JSON)
    assert placement.worker_count == 1 and placement.here_count == 1
    placement.limit = 0.0  # its last run in process now counts as costly: the next one goes to a worker
    backend.query(COUNT, accept=JSON)
    assert placement.worker_count == 2 and placement.here_count == 1
    placement.worker_limit = 0.0  # and so does the worker's run: it stays in the workers
    backend.query(COUNT, accept=JSON)
    backend.query(COUNT, accept=JSON)
    assert placement.worker_count == 4 and placement.here_count == 1


@pytest.mark.slow
def test_a_write_sends_every_query_back_to_a_worker_once(backend):
    placement = backend.placement
    backend.query(COUNT, accept=JSON)
    backend.query(COUNT, accept=JSON)
    assert placement.here_count == 1
    backend.update(NOTE)  # a write may make a cheap query costly: its cost is measured again, in a worker
    before = placement.worker_count
    backend.query(COUNT, accept=JSON)
    assert placement.worker_count == before + 1 and placement.here_count == 1
    backend.query(COUNT, accept=JSON)
    assert placement.here_count == 2


# A costly question a client can ask with any parameter value: each value is a query text never run before.
# Here each row costs a scan of the store (a row every ~10 ms, 8,000 rows): past any timeout, answering all along.
COSTLY = ('SELECT ?a ?b ?c WHERE {{ ?a ?b ?c . FILTER NOT EXISTS {{ ?d ?e ?f . '
          'FILTER(STR(?f) = CONCAT(STR(?c), "#{}")) }} }}')
CHEAP = "SELECT ?s WHERE {{ ?s a <https://w3id.org/lpsplan/ontology#Clause> }} LIMIT 1 OFFSET {}"


@pytest.mark.slow
def test_a_client_varying_a_costly_questions_parameter_runs_nothing_past_the_timeout(folder):
    """The attack: many clients at once ask a trusted costly question, each time with a new parameter
    value, so its cost is never known.  No such query may run in the service's process (a thread there
    cannot be stopped); each is stopped at the timeout with its worker, whose partial answer file goes
    too; and a cheap ad-hoc query is answered all along, by the worker the service's questions leave free."""
    backend, _ = open_backend(folder.with_(timeout=3.0))  # every other setting as shipped: 2 workers, up to 6
    try:
        variants = [COSTLY.format(i) for i in range(16)]
        backend.trust(variants)
        backend.inline_bytes = 0  # every answer goes through a spool file, so a killed one leaves a partial file
        placement, pool = backend.placement, backend.pool
        outcomes: list = []

        def attack(texts):
            for text in texts:
                try:
                    backend.query(text, accept=JSON)  # as /api/queries/NAME?param=... sends it
                    outcomes.append("answered")
                except QueryTimeout as exc:
                    outcomes.append(str(exc))

        attackers = [threading.Thread(target=attack, args=(variants[i::8],)) for i in range(8)]
        for a in attackers:
            a.start()
        cheap = []
        i = 0
        while any(a.is_alive() for a in attackers):
            answer = backend.query(CHEAP.format(i % 40), accept=JSON, adhoc=True)  # raises if no worker was free in time
            cheap.append(json.loads(answer.body)["results"]["bindings"])
            i += 1
        for a in attackers:
            a.join()
        assert len(outcomes) == len(variants) and all("longer than" in o or "busy" in o for o in outcomes), outcomes
        assert pool.killed >= 5 and len(cheap) >= 2 and all(len(rows) == 1 for rows in cheap)
        # none of them ever ran in this process, nothing runs here now, and no thread of old is still evaluating
        assert placement.here_count == 0 and placement.evaluating == 0
        assert all(placement.cost((backend.generation, v, (), ())) is None for v in variants)
        assert not [t.name for t in threading.enumerate() if t.name.startswith("lpsplan-probe")]
        while pool._growing:  # spares still starting (they start idle)
            time.sleep(0.05)
        with pool._lock:  # (the reaper retires spares beyond the pool's size under this lock)
            assert pool._idle.qsize() == len(pool._all)  # every worker idle: the killed ones' work is gone with them
        assert os.listdir(backend.spool) == []  # and so are their partial answers
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
    cold = open_reader(folder)  # the CLI reads the mirror read-only
    assert quads(cold.store) == quads(ox.Store.read_only(str(mirror_of(folder.snapshot_file))))


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
    store = open_reader(folder)
    assert store.ask('ASK { <http://example.org/x> <http://example.org/p> "new" }')
    # a mirror a killed writer did not finish is removed by the next lock holder
    unfinished = folder.build_dir / ".store-1-2-3.db.999"
    unfinished.mkdir()
    StoreLock(folder.build_dir).release()
    assert not unfinished.exists()


def test_a_writers_own_store_answers_its_own_queries_in_process_and_refuses_ad_hoc_ones(tmp_path):
    """A store opened to write (ingest, no query workers) serves no client: its own queries run in process."""
    from lpsplan.sparql.backend import Limits
    from lpsplan.sparql.embedded import EmbeddedBackend
    from lpsplan.sparql.errors import BackendUnavailable

    b = EmbeddedBackend(ox.Store(), None, Limits(timeout=5), workers=0, snapshot_path=tmp_path / "store.nq")
    try:
        b.store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o")))
        answer = json.loads(b.query(COUNT, fmt="json").body)
        assert answer["results"]["bindings"][0]["n"]["value"] == "1"
        with pytest.raises(BackendUnavailable, match="writing only"):
            b.query(COUNT + " ", fmt="json", adhoc=True)
    finally:
        b.close()


def test_the_cost_table_is_bounded_in_characters_too():
    """A resource page asked about a 60,000-character IRI keeps half a dozen costs of queries that long: 150 such
    requests grew the service by 31 MB, and 4,096 entries of them would be hundreds of MB."""
    from lpsplan.sparql.pool import Placement

    placement = Placement(entries=4096, max_chars=1_000_000)
    for i in range(100):
        placement.measured((1, f"SELECT * WHERE {{ <http://x/{i}/{'a' * 60000}> ?p ?o }}", (), ()), 0.001, here=False)
    assert placement.chars <= 1_000_000 and 10 < len(placement._cost) <= 1_000_000 // 60_000
    last = (1, f"SELECT * WHERE {{ <http://x/99/{'a' * 60000}> ?p ?o }}", (), ())
    assert placement.placed(last)  # the most recent are kept
