"""A read request only reads: one transaction, no INSERT / UPDATE / DELETE — even when the 续报 slots materialised so
far end before the instant asked about (they are written on write and by the worker, never by a GET)."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, update

from dongcheng.core.time import utcnow
from dongcheng.emergency.incidents.models import Incident

from .test_api import RECEIVED, at, create

HTML = {"Accept": "text/html"}
WRITES = ("INSERT", "UPDATE", "DELETE")


@contextmanager
def statements(connection):
    """Every statement sent on the test's connection while the block runs (first word, upper case)."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement.lstrip().split(None, 1)[0].upper())

    event.listen(connection, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(connection, "before_cursor_execute", record)


@pytest.fixture
def stale_incident(client, login, db):
    """A 重大 incident (续报 every 30 min, §4.1.5) whose slots were last materialised long ago: they end now."""
    duty = login("duty")
    inc = create(client, duty, grade="重大")
    db.execute(update(Incident).where(Incident.id == inc["id"]).values(follow_up_until=utcnow()))
    db.commit()
    return inc, duty


class TestReadsDoNotWrite:
    @pytest.mark.parametrize("url", ["/api/incidents", "/api/incidents/{id}", "/api/reports/overdue",
                                     "/api/reports/overdue?at={later}", "/api/incidents/{id}/recovery",
                                     "/api/accountability/reports"])
    def test_api_reads(self, client, connection, stale_incident, url):
        inc, duty = stale_incident
        later = at(RECEIVED + timedelta(hours=30, seconds=1)).replace("+", "%2B")
        with statements(connection) as seen:
            r = client.get(url.format(id=inc["id"], later=later), headers=duty)
        assert r.status_code == 200, r.text
        assert not [s for s in seen if s.startswith(WRITES)], seen
        # one transaction: the request's own (a savepoint of the test's connection), rolled back, never committed
        assert seen.count("SAVEPOINT") <= 1 and "RELEASE" not in seen, seen

    @pytest.mark.parametrize("url", ["/incidents/board", "/incidents/board/rows", "/incidents/{id}",
                                     "/incidents/board?drill=true"])
    def test_page_reads(self, client, connection, stale_incident, url):
        inc, duty = stale_incident
        with statements(connection) as seen:
            r = client.get(url.format(id=inc["id"]), headers={**HTML, **duty})
        assert r.status_code == 200, r.text[:500]
        assert not [s for s in seen if s.startswith(WRITES)], seen
        assert seen.count("SAVEPOINT") <= 1 and "RELEASE" not in seen, seen

    def test_the_overdue_answer_far_ahead_still_has_the_follow_up_then_due(self, client, stale_incident):
        inc, duty = stale_incident
        later = RECEIVED + timedelta(hours=30, seconds=1)
        rows = [r for r in client.get("/api/reports/overdue", params={"at": at(later)}, headers=duty).json()
                if r["incident_id"] == inc["id"] and r["kind"] == "follow_up"]
        assert [r["due_at"] for r in rows] == [at(RECEIVED + timedelta(hours=30))]
        assert rows[0]["basis"] == "东政发〔2022〕3号 §4.1.5, §4.1.7" and rows[0]["status"] == "pending"
