"""The answer cache: answers by store generation and everything an answer depends on.

One per backend (:attr:`lpsplan.sparql.backend.Backend.cache`).  A write starts a new
store generation; the cache keeps one generation at a time, so an entry can never
outlive the data it came from, and an answer computed before a write (under the old
generation) is never kept after it.

Besides answers it keeps *replies*: how the service sent a cached answer to one
exact HTTP request (status and headers), so that the same request again is answered
by resending them with the answer's body — no request parsing, no response object.
A reply holds the key of its answer, not a copy of the body: the body is stored once,
and a reply whose answer has been evicted is gone too.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .messages import Answer


class ByteLRU:
    """Least recently used entries, bounded in bytes (each entry's size is given when it is put) and
    in the number of *counted* entries (the cache counts answers, not the small replies beside
    them).  Not thread-safe on its own: :class:`AnswerCache` holds a lock around it."""

    def __init__(self, entries: int, max_bytes: int):
        self.entries, self.max_bytes = entries, max_bytes
        self._data: OrderedDict[Hashable, tuple[Any, int, bool]] = OrderedDict()
        self.bytes = self.counted = 0

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key: Hashable) -> Any | None:
        item = self._data.get(key)
        if item is None:
            return None
        self._data.move_to_end(key)
        return item[0]

    def put(self, key: Hashable, value: Any, size: int, counted: bool = True) -> None:
        """Keep ``value`` (unless it alone would take more than a sixteenth of the bytes), then
        evict the least recently used entries until both bounds hold."""
        if not self.entries or size > self.max_bytes // 16 or key in self._data:
            return
        self._data[key] = (value, size, counted)
        self.bytes += size
        self.counted += counted
        while self.counted > self.entries or self.bytes > self.max_bytes:
            _, (_, old_size, old_counted) = self._data.popitem(last=False)
            self.bytes -= old_size
            self.counted -= old_counted

    def clear(self) -> None:
        self._data.clear()
        self.bytes = self.counted = 0


@dataclass(frozen=True)
class Reply:
    """How a cached answer was sent to one HTTP request: its ``http.response.start`` message's
    status and headers; the body is the answer's (looked up by ``answer_key``)."""

    answer_key: tuple
    status: int
    headers: tuple[tuple[bytes, bytes], ...]


class AnswerCache:
    """Answers (at most ``entries``) and the replies that sent them, of one store generation at a
    time, in one LRU bounded in bytes: an answer counts its body and its key (the query), a reply its
    request key and headers, each as the objects Python holds.
    ``entries=0``: no cache."""

    def __init__(self, entries: int, max_bytes: int = 64 * 2**20):
        self._lru = ByteLRU(entries, max_bytes)
        self.enabled = entries > 0
        self._generation: int | None = None
        self._lock = threading.Lock()
        self.hits = self.misses = self.replayed = 0

    def _at(self, generation: int) -> bool:
        """Whether ``generation`` is the one held (a newer one empties the cache; called under the lock)."""
        if generation == self._generation:
            return True
        if self._generation is None or generation > self._generation:
            self._lru.clear()
            self._generation = generation
            return True
        return False  # an answer computed before a write, arriving after it

    def get(self, generation: int, key: tuple, count_miss: bool = True) -> Answer | None:
        if not self.enabled:
            return None
        with self._lock:
            answer = self._lru.get(("answer", key)) if self._at(generation) else None
            if answer is None:
                self.misses += count_miss
                return None
            self.hits += 1
            return answer

    def put(self, generation: int, key: tuple, answer: Answer) -> None:
        if not self.enabled or answer.spool is not None:
            return
        with self._lock:
            if self._at(generation):
                self._lru.put(("answer", key), answer, len(answer.body) + _size(key))  # the key holds the query text

    def reply(self, generation: int, request: Hashable) -> tuple[Reply, Answer] | None:
        """The reply kept for this exact request, with its answer, or None."""
        if not self.enabled:
            return None
        with self._lock:
            if not self._at(generation):
                return None
            reply = self._lru.get(("reply", request))
            answer = self._lru.get(("answer", reply.answer_key)) if reply is not None else None
            if answer is None:
                return None
            self.replayed += 1
            return reply, answer

    def keep_reply(self, generation: int, request: tuple[bytes | str | tuple, ...], reply: Reply) -> None:
        """Keep how a cached answer was sent, while that answer is in the cache.  ``request``: the
        request's key, a tuple of byte strings, strings and tuples of them (its size is counted)."""
        if not self.enabled:
            return
        size = _size(request) + _size(reply.headers)
        with self._lock:
            if self._at(generation) and self._lru.get(("answer", reply.answer_key)) is not None:
                self._lru.put(("reply", request), reply, size, counted=False)


def _size(value) -> int:
    """Bytes a key made of byte strings, strings, numbers and tuples of them holds in memory: its
    objects as Python stores them, not only their characters — a request of a thousand two-byte
    headers is two thousand objects of some 35 bytes each and a thousand tuples, nine times its
    characters, and the bound must hold for what the cache really keeps."""
    if isinstance(value, tuple | list):
        return sys.getsizeof(value) + sum(_size(v) for v in value)
    return sys.getsizeof(value)
