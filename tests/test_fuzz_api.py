"""Generated bad input against our own OpenAPI (schemathesis): zero 5xx, every 4xx well formed (SPEC §5).

Every generated request is sent as each of several roles and anonymously. Bounded for CI by
DONGCHENG_FUZZ_EXAMPLES (default 5 per operation); `make fuzz` runs a longer pass.

The run has a database of its own where every request commits, as in production: thousands of requests as
savepoints of one rolled-back transaction exhaust PostgreSQL's lock table (each written savepoint holds a lock on
its own transaction id until the end), which no real client could ever cause.
"""
from __future__ import annotations

import os

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from dongcheng.core.config import DEMO_PASSWORD, Settings
from dongcheng.main import create_app
from tests.conftest import drop_database, prepared_database

EXAMPLES = int(os.environ.get("DONGCHENG_FUZZ_EXAMPLES", "5"))
ROLES = ["duty", "cgw", "sun.yang", "admin", "clerk.rsj"]


class ToFuzzApp:
    """The ASGI application the cases are sent to: the one on the fuzz database once ``fuzz_app`` made it. The schema
    is read at import from an application without a database (the OpenAPI document needs none), so that each
    operation is a test of its own and pytest-xdist spreads them over the workers (one fuzz database each)."""

    def __init__(self):
        self.app = create_app(Settings(database_url="sqlite:///never-opened.db", demo_mode=True, environment="test"))

    async def __call__(self, scope, receive, send):
        await self.app(scope, receive, send)


TARGET = ToFuzzApp()
schema = schemathesis.openapi.from_asgi("/openapi.json", TARGET)


@pytest.fixture(scope="session")
def fuzz_app(tmp_path_factory):
    url = prepared_database(tmp_path_factory.mktemp("fuzz"), "fuzz")
    TARGET.app = app = create_app(Settings(database_url=url, demo_mode=True, environment="test"))
    yield app
    app.state.engine.dispose()
    drop_database(url)


@pytest.fixture(scope="session")
def role_headers(fuzz_app) -> list[dict]:
    with TestClient(fuzz_app) as client:
        tokens = [client.post("/api/auth/token", data={"username": name, "password": DEMO_PASSWORD}).json()
                  for name in ROLES]
    return [{"Authorization": f"Bearer {t['access_token']}"} for t in tokens] + [{}]


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_well_formed_client_errors(case, role_headers):
    for headers in role_headers:
        if case.path == "/api/auth/logout" and headers:
            continue  # would revoke the token the next examples use
        response = case.call(headers={**(case.headers or {}), **headers})
        assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:500]}"
        if 400 <= response.status_code < 500:
            body = response.json()
            assert body["error"]["msg_zh"] and body["error"]["msg_en"], response.text
            if response.status_code == 422:
                assert all(d["field"] and d["msg_zh"] and d["msg_en"] for d in body["detail"]), response.text
