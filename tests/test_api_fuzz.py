"""API fuzzing: schemathesis generates requests for every operation of the service's
own OpenAPI description and checks every response against it.

Against a real `lpsplan serve` (worker processes, timeouts and the body cap are the
real ones), once without credentials and once with the update token, so the write
operations are exercised too.  What must hold: no response is a server error
(≥ 500), and every status, content type and JSON body is one the description
promises.  The operations are driven with Hypothesis directly (schemathesis's
pytest plugin does not yet run under pytest 9).
"""

from __future__ import annotations

import collections

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from schemathesis.checks import (content_type_conformance, not_a_server_error, response_headers_conformance,
                                 response_schema_conformance, status_code_conformance)

from server import TOKEN, lpsplan_server

# What the description promises.  Not checked: "schema-valid data is accepted" — a string
# that fits the schema is rarely a valid SPARQL query or RDF document, and a 400 is right.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]

EXAMPLES = 50  # per operation and credential; the service has 23 operations


@pytest.fixture(scope="module")
def api(tmp_path_factory, built):
    from lpsplan.build import write_graph

    build_dir = tmp_path_factory.mktemp("fuzz")
    write_graph(built.graph, build_dir / "plan.ttl")
    with lpsplan_server(build_dir, LPSPLAN_UPDATE_TOKEN=TOKEN, LPSPLAN_TIMEOUT="5", LPSPLAN_MAX_ROWS="5000") as base:
        yield base, schemathesis.openapi.from_url(f"{base}/openapi.json")


def fuzz(base: str, schema, headers: dict) -> collections.Counter:
    seen: collections.Counter = collections.Counter()
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
        def check(case):
            response = case.call(base_url=base, headers=headers, timeout=30)
            seen[response.status_code] += 1
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}"
            case.validate_response(response, checks=CHECKS)

        check()
    return seen


@pytest.mark.parametrize("credentials", ["none", "token"])
def test_every_operation_answers_as_described(api, credentials):
    base, schema = api
    seen = fuzz(base, schema, {"Authorization": f"Bearer {TOKEN}"} if credentials == "token" else {})
    print(f"fuzz ({credentials}): {sum(seen.values())} requests, statuses {dict(sorted(seen.items()))}")
    assert sum(seen.values()) >= 23 * 5
    assert all(status < 500 for status in seen)
