"""续报 slots (§4.1.5) are written ahead on write and topped up by the worker — never by a read."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from dongcheng.core import outbox
from dongcheng.core.time import utcnow
from dongcheng.emergency.incidents import clock, service, tasks
from dongcheng.emergency.incidents.models import Deadline, Incident

from .test_api import at, create, report

assert tasks.top_up_follow_ups  # importing tasks registers the handler, as `dongcheng worker` does


def top_up_messages(db, incident_id: int) -> list[outbox.OutboxMessage]:
    messages = db.scalars(select(outbox.OutboxMessage).where(outbox.OutboxMessage.topic == clock.FOLLOW_UP_TOPIC)
                          .order_by(outbox.OutboxMessage.id))
    return [m for m in messages if m.payload["incident_id"] == incident_id]


def follow_ups(db, incident_id: int) -> int:
    return db.scalar(select(func.count()).select_from(Deadline).where(Deadline.incident_id == incident_id,
                                                                        Deadline.kind == "follow_up"))


def incident_row(db, incident_id: int) -> Incident:
    return db.scalars(select(Incident).where(Incident.id == incident_id)
                      .execution_options(populate_existing=True)).one()


class TestTheWorkerTopsUp:
    def test_a_run_queues_its_top_up_12_hours_before_its_slots_end(self, client, login, db):
        inc = create(client, login("duty"), grade="较大")
        until = incident_row(db, inc["id"]).follow_up_until
        assert until > utcnow() + timedelta(hours=23)
        [msg] = top_up_messages(db, inc["id"])
        assert datetime.fromisoformat(msg.payload["until"]) == until and msg.status == "pending"
        assert abs((msg.available_at - (until - clock.FOLLOW_UP_TOP_UP)).total_seconds()) < 60

    def test_the_task_writes_the_next_slots_and_queues_the_next_top_up_once(self, client, login, db):
        inc = create(client, login("duty"), grade="重大")
        [msg] = top_up_messages(db, inc["id"])
        before, until = follow_ups(db, inc["id"]), incident_row(db, inc["id"]).follow_up_until
        assert outbox.process(db, msg)
        db.flush()
        assert follow_ups(db, inc["id"]) == before + 48  # 24 h more of half-hourly slots
        moved = incident_row(db, inc["id"]).follow_up_until
        assert moved == until + clock.FOLLOW_UP_HORIZON
        first, second = top_up_messages(db, inc["id"])
        assert datetime.fromisoformat(second.payload["until"]) == moved
        # the same message again (a worker killed before marking it done) changes nothing: its horizon has moved
        assert outbox.process(db, first)
        assert follow_ups(db, inc["id"]) == before + 48 and len(top_up_messages(db, inc["id"])) == 2

    def test_an_ended_run_is_not_topped_up(self, client, login, db):
        duty = login("duty")
        inc = create(client, duty, grade="较大")
        assert client.post(f"/api/incidents/{inc['id']}/end", headers=duty, json={"reason": "处置完毕"}).status_code == 200
        [msg] = top_up_messages(db, inc["id"])
        count = follow_ups(db, inc["id"])
        assert outbox.process(db, msg)
        assert follow_ups(db, inc["id"]) == count and len(top_up_messages(db, inc["id"])) == 1


class TestAWriteTopsUp:
    def test_filing_a_follow_up_writes_the_slots_it_may_meet(self, client, login, db):
        """A run whose slots ran out (no worker for a day): the report filed now meets the 续报 due now."""
        duty = login("duty")
        inc = create(client, duty, grade="重大")
        db.execute(update(Incident).where(Incident.id == inc["id"]).values(follow_up_until=utcnow()
                                                                             - timedelta(hours=2)))
        db.execute(Deadline.__table__.delete().where(Deadline.incident_id == inc["id"], Deadline.kind == "follow_up",
                                                     Deadline.due_at > utcnow() - timedelta(hours=2)))
        db.commit()
        r = client.post(f"/api/incidents/{inc['id']}/reports", headers=duty, json=report(kind="follow_up"))
        assert r.status_code == 201, r.text
        slots = client.get(f"/api/incidents/{inc['id']}", headers=duty).json()["deadlines"]
        due = [d for d in slots if d["kind"] == "follow_up" and d["status"] == "pending"]
        assert due and datetime.fromisoformat(due[-1]["due_at"]) > utcnow() + timedelta(hours=23)
        met = [d for d in slots if d["kind"] == "follow_up" and d["status"] in ("met", "late")]
        assert len(met) == 1 and met[0]["report_id"] == r.json()["id"]
        seqs = [d["seq"] for d in slots if d["kind"] == "follow_up"]
        assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)

    def test_the_overdue_answer_is_the_same_before_and_after_the_top_up(self, client, login, db):
        """What a read computes beyond the written slots is what the worker then writes (same due time, seq, basis)."""
        duty = login("duty")
        inc = create(client, duty, grade="重大")
        until = incident_row(db, inc["id"]).follow_up_until
        later = until + timedelta(hours=3, minutes=10)
        if later > utcnow() + service.MAX_BACKDATE:
            later = until + timedelta(minutes=40)

        def owed():
            rows = client.get("/api/reports/overdue", params={"at": at(later)}, headers=duty).json()
            return [{k: r[k] for k in ("kind", "seq", "due_at", "basis", "recipients", "responsible_unit",
                                       "lead_departments", "status")}
                    for r in rows if r["incident_id"] == inc["id"]]

        projected = owed()
        assert [r["kind"] for r in projected] == ["detailed", "follow_up"]  # the 详报 is owed too (§4.1.4)
        [msg] = top_up_messages(db, inc["id"])
        assert outbox.process(db, msg)
        db.commit()
        assert owed() == projected
