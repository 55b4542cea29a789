"""The API answers what its OpenAPI document says (issue 9 item 10), checked by schemathesis with its response
checks on: no 5xx, every status declared for its route, the declared content type, every body (successes and the
platform's errors alike) valid against its declared schema, the declared headers.

Each operation gets ``DONGCHENG_CONTRACT_EXAMPLES`` generated requests (default 3; positive and negative), each sent
as a duty officer, a department user and anonymously, against an application on a database of its own where every
request commits (as tests/test_fuzz_api.py explains). Routes added by later modules are covered without a line here.
"""
from __future__ import annotations

import os

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dongcheng.core.config import DEMO_PASSWORD, Settings
from dongcheng.main import create_app
from tests.conftest import drop_database, prepared_database

EXAMPLES = int(os.environ.get("DONGCHENG_CONTRACT_EXAMPLES", "3"))
# DONGCHENG_CONTRACT_COVERAGE=1 adds schemathesis' explicit and coverage phases (boundary values of every parameter,
# ~60 cases an operation: minutes, not for every CI run). Without it only generated cases run.
PHASES = [Phase.explicit, Phase.generate] if os.environ.get("DONGCHENG_CONTRACT_COVERAGE") else [Phase.generate]
ROLES = ["duty", "cgw"]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]


class ContractApp:
    """The application the cases go to: the schema is read at import from one without a database (the document
    needs none), the cases go to the one on the contract database once ``contract_app`` made it."""

    def __init__(self):
        self.app = create_app(Settings(database_url="sqlite:///never-opened.db", demo_mode=True, environment="test"))

    async def __call__(self, scope, receive, send):
        await self.app(scope, receive, send)


TARGET = ContractApp()
schema = schemathesis.openapi.from_asgi("/openapi.json", TARGET)


@pytest.fixture(scope="module")
def contract_app(tmp_path_factory):
    url = prepared_database(tmp_path_factory.mktemp("contract"), "contract")
    TARGET.app = app = create_app(Settings(database_url=url, demo_mode=True, environment="test"))
    yield app
    app.state.engine.dispose()
    drop_database(url)


@pytest.fixture(scope="module")
def role_headers(contract_app) -> list[dict]:
    with TestClient(contract_app) as client:
        tokens = [client.post("/api/auth/token", data={"username": name, "password": DEMO_PASSWORD}).json()
                  for name in ROLES]
    return [{"Authorization": f"Bearer {t['access_token']}"} for t in tokens] + [{}]


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, phases=PHASES,
          suppress_health_check=list(HealthCheck))
def test_every_answer_is_the_documented_one(case, role_headers):
    for headers in role_headers:
        if case.path == "/api/auth/logout" and headers:
            continue  # would revoke the token the next examples use
        case.call_and_validate(headers={**(case.headers or {}), **headers}, checks=CHECKS)
