"""The OpenAPI description is complete and the committed snapshot is current."""

from __future__ import annotations

import json
from pathlib import Path

from lpsplan.api.app import openapi_schema

SNAPSHOT = Path(__file__).resolve().parent.parent / "api" / "openapi.json"


def test_snapshot_is_current(settings):
    current = json.loads(json.dumps(openapi_schema(settings), sort_keys=True))
    assert current == json.loads(SNAPSHOT.read_text(encoding="utf-8")), "run: lpsplan openapi -o api/openapi.json"


def test_every_operation_is_described(settings):
    schema = openapi_schema(settings)
    expected = {"/sparql", "/update", "/store", "/store/{path}", "/api/queries", "/api/queries/{name}",
                "/api/queries/{name}/text", "/healthz", "/metrics", "/resource", "/id/{path}", "/api/prefixes"}
    assert expected <= set(schema["paths"])
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            assert op.get("summary"), f"{method.upper()} {path} has no summary"
            assert "200" in op["responses"] or "204" in op["responses"] or "201" in op["responses"], f"{method} {path}"
