"""Property-based API test: schemathesis generates requests from /openapi.json; no answer is a 5xx.

Bounded (few examples per operation) so that it runs in about a minute.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

sys.path.insert(0, str(Path(__file__).parent / "web"))
from memory_backend import MemoryBackend  # noqa: E402
from synth import make_coded_articles  # noqa: E402

from eventcoder.web import create_app  # noqa: E402

TOKEN = "schema-test-token"
_app = create_app(None, token=TOKEN, backend=MemoryBackend(make_coded_articles(60, seed=3)), env_token=False)
schema = schemathesis.openapi.from_asgi("/openapi.json", _app)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors(case):
    """Whatever schemathesis sends, the server never answers 5xx and answers as its schema says."""
    headers = {"Authorization": f"Bearer {TOKEN}"} if case.method.upper() != "GET" else None
    response = case.call(headers=headers)
    case.validate_response(
        response,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
    assert response.status_code < 500
