"""Property-based: schemathesis reads /openapi.json and fuzzes every operation.

Runs on the embedded store (no server needed) with a bounded number of examples per
operation so the whole file stays well under a minute. The default checks run (no 500s,
responses that match their documented models, status codes, content types, headers), but
not positive_data_acceptance (see the test).

The schema is loaded at import (schemathesis' `from_fixture` does not work with pytest 9);
the app opens its store, and so builds the graph, only on the first request.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from api.app import create_app
from tests.conftest import PLANS_DIR


def _bundled_store():
    from ingest.build import build_graph
    from queries.embedded_store import EmbeddedStore

    return EmbeddedStore.from_graph(build_graph(sorted(PLANS_DIR.glob("*.txt"))).graph)


schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(_bundled_store))


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,  # the same inputs each run: a failure reproduces
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_and_never_500s(case):
    # positive_data_acceptance is left out on purpose: a well-formed name of nothing (plan
    # "0") is a 404/422 by design, and the schema cannot list every loaded name.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
