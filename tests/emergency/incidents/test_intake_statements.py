"""Intake writes a new incident's rows in as few statements as the engine allows (issue 11): on PostgreSQL, where each
statement is a round trip to the server, the incident, its lead departments, its deadlines, the level proposal, its
search entry and its audit entry (its leaf hash computed by the database around the new id) go in one statement of
data-modifying CTEs — sent in autocommit, with no BEGIN or COMMIT, when it is the request's only write. What that one
statement wrote is what the separate statements wrote: each deadline keeps its own id, the audit entry its leaf."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select

from dongcheng.audit import service as audit
from dongcheng.audit.models import AuditEntry
from dongcheng.core.config import Settings
from dongcheng.core.db import make_engine, transaction
from dongcheng.emergency.incidents.models import Deadline, Incident
from dongcheng.main import create_app
from tests.conftest import DEMO_PASSWORD, drop_database, prepared_database

from .test_api import body, create
from .test_read_requests import statements


def test_intake_statements_by_engine(client, login, connection):
    duty = login("duty")
    create(client, duty, title="先接一起")  # the reference cache filled, the token seen once
    with statements(connection) as seen:
        create(client, duty, grade="较大", title="燃气泄漏（较大）")  # 续报 slots: many deadlines, one statement
    if connection.dialect.name == "postgresql":
        # the token lookup, the rows and the audit entry (WITH … INSERT …), the worker's 续报 top-up job (较大 only)
        assert [s for s in seen if s not in ("SAVEPOINT", "RELEASE")] == ["SELECT", "WITH", "INSERT"], seen
    else:
        assert seen.count("WITH") == 0 and seen.count("INSERT") >= 6, seen


def test_the_one_statement_rows_are_the_incidents_own(client, login, db):
    duty = login("duty")
    made = create(client, duty, grade="较大", title="东四燃气（较大）", description="三单元楼道燃气味浓")
    rows = {(d.kind, d.seq): d.id for d in db.scalars(select(Deadline).where(Deadline.incident_id == made["id"]))}
    answered = {(d["kind"], d["seq"]): d["id"] for d in made["deadlines"]}
    assert len(answered) >= 3 and answered == rows  # 初报, 详报 and the 续报 run: each id is its own row's
    assert [lead["unit"] for lead in made["leads"]] == ["区城市管理委"]
    found = client.get("/api/incidents", params={"q": "三单元楼道"}, headers=duty).json()
    assert [i["id"] for i in found] == [made["id"]]  # its search entry was written with it


def test_the_audit_entry_written_with_the_rows_has_the_leaf_the_rules_give(client, login, db):
    duty = login("duty")
    made = create(client, duty, title="和平里燃气")
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "incident.create",
                                                AuditEntry.target_id == str(made["id"]))).one()
    assert entry.leaf_hash == audit.leaf_hash(entry)  # recomputed from what the entry says, as `audit verify` does
    assert entry.target_type == "incident" and entry.actor == "duty" and entry.after["status"] == "open"
    assert entry.after["leads"] == [lead["unit"] for lead in made["leads"]]


@pytest.fixture
def live_db(tmp_path):
    url = prepared_database(tmp_path, "intake_tx")
    yield url
    drop_database(url)


def _intake_transactions(url: str, *bodies: dict, key: str | None = None) -> list[tuple[dict, list]]:
    """POST incidents through the real application on its own database (committed, not rolled back), after one to
    fill its reference cache; for each, the answer and the connection's transaction state after each statement."""
    app = create_app(Settings(database_url=url, demo_mode=True, environment="test"))
    engine, out = app.state.engine, []
    with TestClient(app) as client:
        token = client.post("/api/auth/token", data={"username": "duty", "password": DEMO_PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        assert client.post("/api/incidents", json=body(title="先接一起"), headers=headers).status_code == 201
        for kw in bodies:
            seen: list = []

            def after(conn, _cursor, statement, _parameters, _context, _executemany, seen=seen):
                raw = conn.connection.dbapi_connection
                state = raw.info.transaction_status.name if engine.dialect.name == "postgresql" else raw.in_transaction
                seen.append((statement.lstrip().split(None, 1)[0].upper(), state))

            event.listen(engine, "after_cursor_execute", after)
            try:
                r = client.post("/api/incidents", json=body(**kw),
                                headers={**headers, **({"Idempotency-Key": key} if key else {})})
            finally:
                event.remove(engine, "after_cursor_execute", after)
            assert r.status_code == 201, r.text
            out.append((r.json(), seen))
    return out


def test_an_intake_that_is_one_statement_sends_it_in_autocommit(live_db):
    (made, seen), (graded, graded_seen) = _intake_transactions(
        live_db, {"title": "燃气泄漏（自动提交）"}, {"title": "燃气泄漏（较大）", "grade": "较大"})
    if live_db.startswith("postgresql"):
        # the token lookup and the rows: both in autocommit (IDLE after each: no BEGIN was sent, no COMMIT is owed)
        assert seen == [("SELECT", "IDLE"), ("WITH", "IDLE")], seen
        # 较大: the 续报 top-up job is written too, so the rows and the job share one transaction
        assert graded_seen == [("SELECT", "IDLE"), ("WITH", "INTRANS"), ("INSERT", "INTRANS")], graded_seen
        # with an Idempotency-Key the key's row is written too: one transaction for the key, the rows and the answer
        [(_keyed, keyed_seen)] = _intake_transactions(live_db, {"title": "燃气泄漏（带幂等键）"}, key="intake-tx-1")
        assert ("WITH", "INTRANS") in keyed_seen and ("WITH", "IDLE") not in keyed_seen, keyed_seen
    else:  # the lookup in a read transaction of its own, then the write transaction (BEGIN IMMEDIATE …)
        assert ("SELECT", True) in seen and seen.count(("INSERT", True)) >= 6, seen
    engine = make_engine(live_db)
    try:
        with transaction(engine, write=False) as session:
            for answer in (made, graded):  # both committed, with their audit entries, each with its own leaf
                assert session.get(Incident, answer["id"]).title == answer["title"]
                entry = session.scalars(select(AuditEntry).where(AuditEntry.target_id == str(answer["id"]),
                                                                 AuditEntry.action == "incident.create")).one()
                assert entry.leaf_hash == audit.leaf_hash(entry)
            assert audit.verify(session).ok
    finally:
        engine.dispose()
