"""The answer cache on its own: bounds, generations, and replies that never outlive their answer."""

from __future__ import annotations

from lpsplan.sparql.backend import Answer
from lpsplan.sparql.cache import AnswerCache, ByteLRU, Reply

JSON = "application/sparql-results+json"


def test_the_lru_holds_both_bounds_evicting_the_least_recently_used():
    lru = ByteLRU(entries=3, max_bytes=160)
    for key in "abc":
        lru.put(key, key.upper(), 10)
    assert lru.get("a") == "A"  # now b is the least recently used
    lru.put("d", "D", 10)
    assert lru.get("b") is None and [lru.get(k) for k in "acd"] == ["A", "C", "D"]
    lru.put("e", "E", 10)
    lru.put("big", "x", 11)  # more than a sixteenth of the bytes: not kept
    assert lru.get("big") is None
    lru2 = ByteLRU(entries=100, max_bytes=160)
    for i in range(20):
        lru2.put(i, i, 10)
    assert len(lru2) == 16 and lru2.bytes == 160 and lru2.get(3) is None and lru2.get(19) == 19


def test_an_answer_never_outlives_its_generation_nor_comes_back_from_an_older_one():
    cache = AnswerCache(entries=8)
    cache.put(1, ("q",), Answer(JSON, b"old"))
    assert cache.get(1, ("q",)).body == b"old"
    assert cache.get(2, ("q",)) is None  # a write: generation 2 starts empty
    cache.put(1, ("q",), Answer(JSON, b"old"))  # computed before the write, arriving after it
    assert cache.get(2, ("q",)) is None
    cache.put(2, ("q",), Answer(JSON, b"new"))
    assert cache.get(2, ("q",)).body == b"new" and cache.hits == 2 and cache.misses == 2


def test_a_reply_is_resent_with_its_answers_body_and_goes_when_the_answer_goes():
    cache = AnswerCache(entries=1)  # room for one answer (and replies, which count in bytes only)
    reply = Reply(("q",), 200, ((b"content-type", JSON.encode()),))
    cache.keep_reply(1, "request", reply)  # no answer cached for it: nothing kept
    assert cache.reply(1, "request") is None
    cache.put(1, ("q",), Answer(JSON, b"body"))
    cache.keep_reply(1, "request", reply)
    kept, answer = cache.reply(1, "request")
    assert kept == reply and answer.body == b"body" and cache.replayed == 1
    assert cache.reply(2, "request") is None  # a write
    cache.put(2, ("q",), Answer(JSON, b"body"))
    cache.keep_reply(2, "request", reply)
    cache.put(2, ("other",), Answer(JSON, b"other"))  # evicts the least recently used: the answer the reply sends
    assert cache.get(2, ("q",), count_miss=False) is None and cache.reply(2, "request") is None


def test_replies_never_crowd_out_answers():
    cache = AnswerCache(entries=2)
    cache.put(1, ("a",), Answer(JSON, b"a"))
    cache.put(1, ("b",), Answer(JSON, b"b"))
    for i in range(100):  # many clients, each with headers of its own, asking for b
        cache.keep_reply(1, ("request", str(i)), Reply(("b",), 200, ()))
    assert cache.get(1, ("a",)).body == b"a" and cache.reply(1, ("request", "99")) is not None


def test_a_cache_of_no_entries_keeps_nothing():
    cache = AnswerCache(entries=0)
    cache.put(1, ("q",), Answer(JSON, b"x"))
    assert cache.get(1, ("q",)) is None and not cache.enabled


def test_replies_are_counted_as_the_memory_they_hold():
    """A request of a thousand two-byte headers is a thousand tuples of two small objects: the bound holds
    for them as Python keeps them (150 such requests took the service from 135 to 829 MB when only their
    characters counted)."""
    import tracemalloc

    bound = 4 * 2**20
    cache = AnswerCache(entries=4, max_bytes=bound)
    cache.put(1, ("q",), Answer(JSON, b"x"))
    tracemalloc.start()
    try:
        for i in range(60):
            headers = tuple((f"h{j}".encode(), f"{i:02d}".encode()) for j in range(1000))
            cache.keep_reply(1, ("http", b"query=q", headers), Reply(("q",), 200, ()))
            del headers
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held < bound * 1.25, held
    assert cache.reply(1, ("http", b"query=q", tuple((f"h{j}".encode(), b"59") for j in range(1000)))) is not None
