"""Many readers or one writer: the lock between a named-graph write applied in place (a graph cleared,
then filled) and the queries the service evaluates in its own process on that same store."""

from __future__ import annotations

import contextlib
import threading


class ReadWriteLock:
    """Readers share it; a writer has it alone.  A writer waiting lets no new reader in, so a stream
    of cheap questions cannot hold a write off for ever (the readers in process are the ones measured
    cheap: a writer waits for a fraction of a second)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._waiting = 0

    @contextlib.contextmanager
    def shared(self):
        with self._cond:
            while self._writing or self._waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextlib.contextmanager
    def exclusive(self):
        with self._cond:
            self._waiting += 1
            try:
                while self._writing or self._readers:
                    self._cond.wait()
            finally:
                self._waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()
