"""The API against its own OpenAPI document, with generated input (schemathesis; SPEC §5, issue 9 item 10).

Every operation gets ``DONGCHENG_CONTRACT_EXAMPLES`` generated requests (default 3; positive and negative), each sent
as five roles and anonymously, against an application on a database of its own where every request commits, as in
production: thousands of requests as savepoints of one rolled-back transaction exhaust PostgreSQL's lock table (each
written savepoint holds a lock on its own transaction id until the end), which no real client could ever cause.

Each answer is checked twice over:
- schemathesis' response checks: no 5xx, every status declared for its route, the declared content type, every body
  (successes and the platform's errors alike) valid against its declared schema, the declared headers;
- the platform's error contract: every 4xx carries ``msg_zh`` and ``msg_en``, every 422 names each field it refuses.

``make fuzz`` runs the longer pass: ``DONGCHENG_CONTRACT_EXAMPLES=100`` and ``DONGCHENG_CONTRACT_COVERAGE=1``, which
adds schemathesis' explicit and coverage phases (boundary values of every parameter, ~60 cases an operation: minutes,
not for every CI run). Routes added by later modules are covered without a line here; each operation is a test of its
own, so pytest-xdist spreads them over the workers (one contract database each).
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
PHASES = [Phase.explicit, Phase.generate] if os.environ.get("DONGCHENG_CONTRACT_COVERAGE") else [Phase.generate]
ROLES = ["duty", "cgw", "sun.yang", "admin", "clerk.rsj"]  # duty room, department, leader, administrator, clerk
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


@pytest.fixture(scope="session")
def contract_app(tmp_path_factory):
    url = prepared_database(tmp_path_factory.mktemp("contract"), "contract")
    TARGET.app = app = create_app(Settings(database_url=url, demo_mode=True, environment="test"))
    yield app
    app.state.engine.dispose()
    drop_database(url)


@pytest.fixture(scope="session")
def role_headers(contract_app) -> list[dict]:
    with TestClient(contract_app) as client:
        tokens = [client.post("/api/auth/token", data={"username": name, "password": DEMO_PASSWORD}).json()
                  for name in ROLES]
    return [{"Authorization": f"Bearer {t['access_token']}"} for t in tokens] + [{}]


def assert_platform_error(response) -> None:
    """A refusal a person can read: both languages, and a 422 names every field it refuses."""
    if 400 <= response.status_code < 500:
        body = response.json()
        assert body["error"]["msg_zh"] and body["error"]["msg_en"], response.text
        if response.status_code == 422:
            assert all(d["field"] and d["msg_zh"] and d["msg_en"] for d in body["detail"]), response.text


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, phases=PHASES,
          suppress_health_check=list(HealthCheck))
def test_every_answer_is_the_documented_one(case, role_headers):
    for headers in role_headers:
        if case.path == "/api/auth/logout" and headers:
            continue  # would revoke the token the next examples use
        response = case.call_and_validate(headers={**(case.headers or {}), **headers}, checks=CHECKS)
        assert_platform_error(response)
