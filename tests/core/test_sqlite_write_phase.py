"""SQLite: a request takes the database's write lock for its write phase only (api/deps.py ``optional_caller``).

While another process writes (the worker, the CLI, a second ``serve`` worker), a refused caller is answered at once —
the token is looked up in a read transaction, which never waits in WAL mode — instead of queueing behind the write
lock for up to the 30 s busy timeout; an admitted write waits for the lock, then is saved whole.
"""
from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from dongcheng.core.config import Settings
from dongcheng.core.db import make_engine, sqlite_path
from dongcheng.main import create_app
from tests.conftest import issue_token_for, prepared_database

BODY = {"event_type": "燃气事故", "street": "东四街道", "address": "东四北大街 100 号", "source": "12345",
        "occurred_at": "2026-11-30T09:00:00+08:00", "title": "另一进程写入时的接报"}


@pytest.fixture
def sqlite_app(tmp_path, engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock")
    url = prepared_database(tmp_path, "write_phase")
    db_engine = make_engine(url)
    with db_engine.connect() as conn:
        tokens = {name: issue_token_for(conn, Settings(database_url=url), name) for name in ("duty", "clerk.rsj")}
        conn.commit()
    app = create_app(Settings(database_url=url, demo_mode=True, environment="test"))
    yield app, tokens, sqlite_path(url), db_engine
    db_engine.dispose()


def _post_in_thread(client, token: str, body: dict) -> tuple[threading.Thread, dict]:
    out: dict = {}

    def post():
        out["response"] = client.post("/api/incidents", json=body, headers={"Authorization": f"Bearer {token}"})

    thread = threading.Thread(target=post)
    thread.start()
    return thread, out


def test_a_refused_caller_is_answered_while_another_process_holds_the_write_lock(sqlite_app):
    app, tokens, path, _ = sqlite_app
    other = sqlite3.connect(path, isolation_level=None, timeout=1)
    other.execute("BEGIN IMMEDIATE")  # another process writing
    try:
        with TestClient(app) as client:
            thread, out = _post_in_thread(client, tokens["clerk.rsj"], {**BODY, "received_at": None})
            thread.join(timeout=10)
            answered_during_the_write = not thread.is_alive()
            other.execute("ROLLBACK")
            thread.join(timeout=40)
    finally:
        other.close()
    assert answered_during_the_write, "the refusal waited for another process's write lock"
    assert out["response"].status_code == 403
    assert "无权" in out["response"].json()["error"]["msg_zh"]


def test_an_admitted_intake_waits_for_the_lock_and_is_saved_whole(sqlite_app):
    app, tokens, path, db_engine = sqlite_app
    other = sqlite3.connect(path, isolation_level=None, timeout=1)
    other.execute("BEGIN IMMEDIATE")
    try:
        with TestClient(app) as client:
            thread, out = _post_in_thread(client, tokens["duty"], BODY)
            thread.join(timeout=1)
            waited = thread.is_alive()  # its write phase needs the lock the other process holds
            other.execute("ROLLBACK")
            thread.join(timeout=40)
    finally:
        other.close()
    assert waited
    response = out["response"]
    assert response.status_code == 201, response.text
    incident_id = response.json()["id"]
    with db_engine.connect() as conn:
        saved = conn.execute(text("SELECT (SELECT COUNT(*) FROM incidents WHERE id = :i),"
                                  " (SELECT COUNT(*) FROM deadlines WHERE incident_id = :i),"
                                  " (SELECT COUNT(*) FROM audit_entries WHERE action = 'incident.create'"
                                  "  AND target_id = :s)"), {"i": incident_id, "s": str(incident_id)}).one()
    assert tuple(saved) == (1, 1, 1)


def test_while_an_intake_waits_for_the_lock_the_other_requests_are_answered(sqlite_app):
    """The intake runs on the event loop only when its BEGIN IMMEDIATE needs no wait (api/hops.py); while another
    process holds the write lock it waits in a worker thread, so a read of the board is answered meanwhile."""
    app, tokens, path, _ = sqlite_app
    duty = {"Authorization": f"Bearer {tokens['duty']}"}
    with TestClient(app) as client:
        first = client.post("/api/incidents", json=BODY, headers=duty)
        assert first.status_code == 201, first.text
        other = sqlite3.connect(path, isolation_level=None, timeout=1)
        other.execute("BEGIN IMMEDIATE")
        try:
            thread, out = _post_in_thread(client, tokens["duty"], {**BODY, "title": "等锁的接报"})
            thread.join(timeout=1)
            waiting = thread.is_alive()
            started = time.monotonic()
            read = client.get(f"/api/incidents/{first.json()['id']}", headers=duty)
            read_took = time.monotonic() - started
            still_waiting = thread.is_alive()
            other.execute("ROLLBACK")
            thread.join(timeout=40)
        finally:
            other.close()
    assert waiting and still_waiting, "the intake did not wait for the other process's write lock"
    # on the event loop, the intake's BEGIN IMMEDIATE would hold every request for the 30 s busy timeout
    assert read_took < 5, f"the read waited {read_took:.1f} s behind the intake's wait for the lock"
    assert read.status_code == 200 and read.json()["title"] == BODY["title"]
    assert out["response"].status_code == 201, out["response"].text
