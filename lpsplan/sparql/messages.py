"""What the service asks of a query worker and what the worker answers (see :mod:`.worker`),
and the :class:`Answer` a backend gives its caller (what :mod:`.cache` keeps).

The same types serve a query evaluated in the service process (:func:`.worker.execute`
is called directly then), so both paths classify outcomes alike.  They travel between
processes pickled, so they live here rather than in the worker's main module.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import BinaryIO


@dataclass(frozen=True)
class QueryRequest:
    """One query to evaluate, with everything its answer depends on and the limits it runs under."""

    query: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()  # the protocol's named-graph-uri: the default graph is then empty
    accept: str | None = None
    format: str | None = None  # the ?format= parameter, which wins over ``accept``
    base_iri: str | None = None
    max_rows: int = 100_000
    max_bytes: int | None = None  # of the answer, in memory or spooled
    spool: str | None = None  # the folder for an answer larger than ``inline`` bytes (None: the system's temp folder)
    inline: int | None = None  # bytes kept in memory before spooling (None: spool.INLINE_BYTES)
    remote: bool = False  # the query calls SERVICE (allowed on this server): a failure is the remote side's


class Outcome(Enum):
    """How a query ended.  Every failure is the query's or the data's, except ``BUG``."""

    OK = "ok"  # the answer is in ``Result.body``
    SPOOLED = "spooled"  # the answer outgrew memory: ``Result.body`` is its file's path (see .spool)
    SYNTAX = "syntax"  # the query does not parse, or names a malformed IRI or term
    NOT_ACCEPTABLE = "not-acceptable"  # no result format fits the request's Accept/format
    TOO_LARGE = "too-large"  # past max_rows or max_bytes
    UPSTREAM = "upstream"  # a SERVICE call failed or answered something unreadable
    ERROR = "error"  # the store or the spool's disk failed
    BUG = "bug"  # anything else: ``Result.detail`` holds the traceback


@dataclass(frozen=True)
class Result:
    """A worker's answer: ``detail`` is the media type when the outcome is OK or SPOOLED, and
    the message (for the server's log, or the client when it is the query's fault) otherwise."""

    outcome: Outcome
    detail: str
    body: bytes = b""


@dataclass(frozen=True)
class Answer:
    """An answer: ``body`` in memory, or (for a large one asked for with ``stream=True``) ``spool``, an
    open file with no name left on disk, to be read once and closed (see :mod:`.spool`)."""

    media: str
    body: bytes = b""
    spool: BinaryIO | None = None


@dataclass(frozen=True)
class Ready:
    """The first message of a worker that has loaded its store: ``isolated`` when it runs without
    a network (see :func:`.worker.cut_network`)."""

    isolated: bool
