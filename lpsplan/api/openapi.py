"""The OpenAPI description with the errors the service really returns.

FastAPI documents 422 for request validation; this service answers those with 400
(one error handler, one error shape).  Every operation gets the error responses it
can give, each with the error schema, so a client generator — or schemathesis,
which checks every response against this description — sees the truth.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

ERROR_SCHEMA = {
    "type": "object",
    "required": ["status", "error", "detail"],
    "properties": {
        "status": {"type": "integer", "description": "the HTTP status, repeated"},
        "error": {"type": "string", "description": "its short name"},
        "detail": {"type": "string", "description": "what was wrong, in one sentence"},
        "report": {"type": "array", "items": {"type": "object"}, "description": "SHACL violations (a refused write)"},
    },
}

# status → when; every operation can give these
COMMON = {
    "400": "The request is malformed: a parameter, the query or the body (see `detail`)",
    "404": "No such resource",
    "405": "Method not allowed here",
    "413": "The body is larger than LPSPLAN_MAX_BODY, or the query or update longer than LPSPLAN_MAX_QUERY",
    "414": "The URL's query string is longer than LPSPLAN_MAX_QUERY, or the request target longer than 65,535 bytes",
    "431": "The request's header fields are more than 64 KiB or 256 fields",
}
# more, by kind of operation
QUERYING = {
    "403": "SERVICE or LOAD is refused (LPSPLAN_ALLOW_SERVICE is off)",
    "406": "None of the Accept types can be served",
    "415": "The body's media type is not one this operation takes",
    "429": "This client already has LPSPLAN_CLIENT_QUERIES queries in the query workers; retry after `Retry-After` seconds",
    "503": "The query ran past LPSPLAN_TIMEOUT and was stopped, or no query worker was free",
}
WRITING = {
    "401": "No bearer token",
    "403": "Wrong bearer token, or updates are off (no LPSPLAN_UPDATE_TOKEN)",
    "406": "None of the Accept types can be served",
    "415": "The body's media type is not one this operation takes",
    "422": "The change would break a SHACL shape; nothing was written (the violations are in `report`)",
    "503": "The store could not be reached or a worker failed; nothing was written",
}


def _errors_for(path: str, method: str) -> dict[str, str]:
    """status → the name of the shared response in components/responses."""
    errors = {status: f"Common{status}" for status in COMMON}
    writes = method in ("put", "post", "delete") and (path.startswith("/store") or path == "/update")
    if writes or path in ("/api/link", "/api/observations"):  # links may be stored (into_graph) through the SHACL gate, with the token
        errors |= {status: f"Write{status}" for status in WRITING}
    elif path.startswith(("/sparql", "/store", "/api/queries", "/api/network", "/api/search", "/api/vocabulary", "/viz", "/id/",
                          "/api/targets", "/targets")) or path == "/resource":
        errors |= {status: f"Query{status}" for status in QUERYING}
    if path == "/sparql" and method == "post":  # updates may come by POST /sparql
        errors |= {"401": "Write401", "422": "Write422"}
    return errors


def describe(app: FastAPI) -> dict:
    """The app's OpenAPI document, built once and kept (FastAPI's own convention)."""
    if app.openapi_schema:
        return app.openapi_schema
    doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    components = doc.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for name in ("HTTPValidationError", "ValidationError"):
        components["schemas"].pop(name, None)
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}, "text/html": {"schema": {"type": "string"}}}
    shared = components.setdefault("responses", {})
    for prefix, table in (("Common", COMMON), ("Query", QUERYING), ("Write", WRITING)):
        for status, why in table.items():
            shared[f"{prefix}{status}"] = {"description": why, "content": content}
    for path, operations in doc.get("paths", {}).items():
        for method, op in operations.items():
            responses = op.setdefault("responses", {})
            schema = responses.get("422", {}).get("content", {}).get("application/json", {}).get("schema", {})
            if schema.get("$ref", "").endswith("/HTTPValidationError"):
                del responses["422"]  # validation errors are 400 here
            if path.startswith("/store") and method in ("put", "post"):
                responses.setdefault("201", {"description": "Created: the graph did not exist before"})
                responses.setdefault("204", {"description": "Done: the graph existed and was replaced or merged into"})
            if path == "/sparql" and method == "post":
                responses.setdefault("204", {"description": "An update was applied"})
            for status, name in _errors_for(path, method).items():
                if status in responses:  # the operation says what this status means for it; add the body
                    responses[status]["content"] = content
                else:
                    responses[status] = {"$ref": f"#/components/responses/{name}"}
    app.openapi_schema = doc
    return doc
