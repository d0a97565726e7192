"""Answers that may be large: kept in memory while small, written on to a file past a size.

A query worker serialises its answer into a :class:`Spool`.  An answer up to
``INLINE_BYTES`` travels back to the service as bytes (and may be cached); a
larger one is written to a file in the backend's spool folder, and the service
streams that file to the client.  Neither the worker nor the service then holds
more than a batch of rows and a buffer, whatever the size of the answer.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

from .errors import ResultTooLarge

INLINE_BYTES = 4 * 1024 * 1024  # also the largest answer the result cache keeps
SPOOL_PREFIX = ".answers."  # spool folders beside the store snapshot; stale ones are removed at start


class TooManyBytes(ResultTooLarge):
    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(f"the answer is larger than {limit:,} bytes (LPSPLAN_MAX_ANSWER); add a LIMIT or ask for fewer or shorter values")


class Spool:
    """A binary sink: in memory up to ``limit`` bytes, then a file in ``folder`` (None: memory only);
    never more than ``max_bytes`` in all (None: no cap), so no answer can fill the disk."""

    def __init__(self, folder: str | os.PathLike[str] | None, limit: int = INLINE_BYTES, max_bytes: int | None = None):
        self.folder, self.limit, self.max_bytes = folder, limit, max_bytes
        self._memory = io.BytesIO()
        self._file: BinaryIO | None = None
        self.path: str | None = None
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.max_bytes is not None and self.size > self.max_bytes:
            raise TooManyBytes(self.max_bytes)
        if self._file is None and self.folder is not None and self._memory.tell() + len(data) > self.limit:
            fd, self.path = tempfile.mkstemp(prefix=f"answer.{os.getpid()}.", dir=self.folder)
            self._file = os.fdopen(fd, "wb", buffering=1 << 20)
            self._file.write(self._memory.getbuffer())
            self._memory = io.BytesIO()
        (self._file or self._memory).write(data)
        return len(data)

    def flush(self) -> None:  # file-like enough for pyoxigraph's serializers
        pass

    def finish(self) -> tuple[str, bytes]:
        """("inline", the bytes) or ("spooled", the file's path as bytes)."""
        if self._file is None:
            return "inline", self._memory.getvalue()
        self._file.close()
        return "spooled", os.fsencode(self.path)

    def discard(self) -> None:
        """Drop what was written (the answer failed part-way)."""
        if self._file is not None:
            self._file.close()
            Path(self.path).unlink(missing_ok=True)
        self._memory = io.BytesIO()


def claim(path: bytes | str) -> BinaryIO:
    """Open a spooled answer and remove its name at once: the data lives while the handle is open
    and is freed when it closes, however the response ends (sent, client gone, or an error)."""
    fh = open(path, "rb")  # noqa: SIM115 - handed on to the response, which closes it
    os.unlink(path)
    return fh


def drop_partial(folder: str | os.PathLike[str], pid: int) -> None:
    """Remove what a killed worker (process ``pid``) was writing."""
    for path in Path(folder).glob(f"answer.{pid}.*"):
        path.unlink(missing_ok=True)


def spool_folder(parent: str | os.PathLike[str]) -> str:
    """A fresh spool folder under ``parent``."""
    Path(parent).mkdir(parents=True, exist_ok=True)
    return tempfile.mkdtemp(prefix=SPOOL_PREFIX, dir=parent)


def remove_stale(parent: str | os.PathLike[str]) -> None:
    """Remove spool folders left by a service that died (call while holding the store's lock)."""
    for folder in Path(parent).glob(SPOOL_PREFIX + "*"):
        shutil.rmtree(folder, ignore_errors=True)
