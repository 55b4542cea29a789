"""A PostgreSQL connection killed server-side between two requests (core/db.py: no pre-ping; api/disconnect.py).

The platform's pool keeps connections between requests; when the server ends one (a restart, an idle cut by a
firewall, an operator's ``pg_terminate_backend``), the next request to take it finds it dead on its first statement.
A read is then run again on a fresh connection and answers normally; a mutation answers 503 "nothing was saved,
retry" once and the retry succeeds.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from dongcheng.auth import service as auth
from dongcheng.auth.models import User
from dongcheng.core.config import Settings
from dongcheng.core.db import transaction
from dongcheng.core.time import utcnow
from dongcheng.emergency.incidents.models import Incident
from dongcheng.main import create_app
from tests.conftest import _base_url, drop_database, prepared_database

pytestmark = pytest.mark.skipif(_base_url().startswith("sqlite"),
                                reason="a server-side disconnect needs a database server (PostgreSQL)")


@pytest.fixture
def served(tmp_path):
    """The app on its own database with its own pool (not the suite's rolled-back transaction), and a token."""
    url = prepared_database(tmp_path, "disconnect")
    settings = Settings(database_url=url, demo_mode=True, environment="test")
    app = create_app(settings)
    with transaction(app.state.engine) as session:
        token = auth.issue_token(session, settings, session.scalar(select(User).where(User.username == "duty")))
    yield app, {"Authorization": f"Bearer {token}"}
    app.state.engine.dispose()
    drop_database(url)


def _kill_app_connections(app) -> int:
    """pg_terminate_backend on every other session of the app's database: its pooled connections die."""
    with app.state.engine.dialect.dbapi.connect(app.state.engine.url.set(drivername="postgresql")
                                                 .render_as_string(hide_password=False), autocommit=True) as conn:
        return len(conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                " WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchall())


def _incidents(app) -> int:
    with app.state.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(Incident))


def test_a_read_after_the_server_killed_its_connection_is_answered_normally(served):
    app, headers = served
    client = TestClient(app)
    first = client.get("/api/incidents", headers=headers)
    assert first.status_code == 200
    assert _kill_app_connections(app) >= 1  # the pooled connection the first request used
    second = client.get("/api/incidents", headers=headers)
    assert second.status_code == 200, second.text  # retried once on a fresh connection, the user sees no failure
    assert second.json() == first.json()


def test_a_mutation_after_the_server_killed_its_connection_fails_once_with_503_and_nothing_saved(served):
    app, headers = served
    client = TestClient(app)
    assert client.get("/api/incidents", headers=headers).status_code == 200
    before = _incidents(app)
    assert _kill_app_connections(app) >= 1
    now = utcnow().replace(microsecond=0)
    body = {"event_type": "燃气事故", "street": "东四街道", "address": "东四北大街 101 号", "title": "燃气泄漏",
            "occurred_at": (now - timedelta(minutes=2)).isoformat(), "received_at": now.isoformat(), "source": "12345",
            "casualties": {"dead": 0, "injured": 0, "missing": 0, "trapped": 0}}
    failed = client.post("/api/incidents", json=body, headers=headers)
    assert failed.status_code == 503
    assert failed.headers["Retry-After"] == "1"
    assert failed.json()["error"]["msg_zh"] == "数据库连接中断，操作未保存，请重试"
    assert _incidents(app) == before  # nothing half-saved
    retried = client.post("/api/incidents", json=body, headers=headers)  # the pool was refreshed: the retry works
    assert retried.status_code == 201, retried.text
    assert _incidents(app) == before + 1
    with app.state.engine.connect() as conn:  # and its audit entry committed with it
        assert conn.scalar(text("SELECT count(*) FROM audit_entries WHERE action = 'incident.create'"
                                " AND target_id = :id"), {"id": str(retried.json()["id"])}) == 1
