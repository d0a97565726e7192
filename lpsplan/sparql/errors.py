"""Errors of the SPARQL layer, each with the HTTP status the service answers with."""

from __future__ import annotations

from ..errors import LpsplanError


class SparqlError(LpsplanError):
    status = 400
    error = "bad request"


class QuerySyntaxError(SparqlError):
    error = "syntax error"


class ProtocolError(SparqlError):
    error = "protocol error"


class Refused(SparqlError):
    status = 403
    error = "refused"


class NotAcceptableError(SparqlError):
    status = 406
    error = "not acceptable"


class NotFound(SparqlError):
    status = 404
    error = "not found"


class GraphNotFound(NotFound):
    error = "graph not found"


class ResultTooLarge(SparqlError):
    status = 400
    error = "result too large"


class QueryTimeout(SparqlError):
    status = 503
    error = "query timeout"


class TooManyQueries(SparqlError):
    """One client already has its share of the query workers (``LPSPLAN_CLIENT_QUERIES``)."""

    status = 429
    error = "too many queries"


class UpdateRejected(SparqlError):
    """The update would leave a graph that breaks the SHACL shapes."""

    status = 422
    error = "shacl violation"

    def __init__(self, report):
        self.report = report
        super().__init__(f"the update was not applied: the result would break {len(report.violations)} SHACL rule(s)")


class StoredConflict(SparqlError):
    """What the store holds already keeps the request from being carried out (an observation stored by an
    update that an import could not carry over): the request may be right, the stored data must change first."""

    status = 409
    error = "conflict with stored data"


class StructureRemoved(SparqlError):
    """The write would remove an ontology, part of a plan, or a plan's last section."""

    status = 422
    error = "required structure removed"


class UpstreamError(SparqlError):
    """A SERVICE call (allowed on this server) failed or answered something unreadable."""

    status = 502
    error = "remote service failed"


class InternalError(SparqlError):
    status = 500
    error = "internal error"


class BackendUnavailable(SparqlError):
    status = 502
    error = "store unavailable"
