"""Escalation waves of the reporting clock with a controlled clock (the worker's job is given ``now``): each notice is
raised within a second of its threshold and not before, never after the report is filed, never twice."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update

from dongcheng.core import outbox, plugins
from dongcheng.directory import service as directory
from dongcheng.emergency.incidents import escalation, repository, tasks
from dongcheng.emergency.incidents import escalation_repository as contacts
from dongcheng.emergency.incidents.escalation_models import DutyContact, EscalationNotice
from dongcheng.emergency.incidents.escalation_rules import ALARM_LEAD, OVERDUE_AFTER
from dongcheng.emergency.incidents.models import Deadline

from .test_api import BJ, body, report

assert tasks.send_escalation_notice  # importing tasks registers the job and the handler, as `dongcheng worker` does

TICK = timedelta(seconds=escalation.TICK_SECONDS)


class Recorder(plugins.ChannelGateway):
    """A gateway that remembers what it was asked to send."""

    name = "recorder"

    def __init__(self):
        self.sent: list[plugins.SendRequest] = []

    def send(self, request):
        self.sent.append(request)
        return f"rec:{request.idempotency_key}"


def start(client, headers, db, **kw) -> tuple[int, Deadline]:
    """An incident received a minute ago (its 初报 due in 9 minutes), with duty contacts for the units it involves."""
    received = datetime.now(BJ).replace(microsecond=0) - timedelta(minutes=1)
    r = client.post("/api/incidents", headers=headers, json=body(
        received_at=received.isoformat(), occurred_at=(received - timedelta(minutes=2)).isoformat(), **kw))
    assert r.status_code == 201, r.text
    incident_id = r.json()["id"]
    office = repository.emergency_office_seat(db)
    contacts.add_contact(db, unit_id=office.id, channel="sms", contact="test:应急办值班室", label="值班室")
    contacts.add_contact(db, unit_id=directory.find_unit(db, "区城市管理委").id, channel="sms",
                         contact="test:城管委值班室", label="值班室")
    for post in directory.leader_seats(db):
        contacts.add_contact(db, post_id=post.id, channel="sms", contact=f"test:{post.code}", label="办公室")
    [initial] = [d for d in repository.get(db, incident_id).deadlines if d.kind == "initial"]
    return incident_id, initial


def notices(db, incident_id: int) -> list[EscalationNotice]:
    return list(db.scalars(select(EscalationNotice).where(EscalationNotice.incident_id == incident_id)
                           .order_by(EscalationNotice.id).execution_options(populate_existing=True)))


def tick_through(db, incident_id: int, start_at: datetime, end_at: datetime) -> None:
    """The worker's job, run every TICK from ``start_at`` to ``end_at`` (the controlled clock)."""
    t = start_at
    while t <= end_at:
        escalation.raise_due_waves(db, t)
        t += TICK


class TestEachWaveWithinASecond:
    def test_the_three_notices_at_their_thresholds_and_not_before(self, client, login, db):
        incident_id, initial = start(client, login("duty"), db)
        due = initial.due_at
        thresholds = {"lead": due - ALARM_LEAD, "due": due, "overdue": due + OVERDUE_AFTER}
        for wave, at in thresholds.items():
            escalation.raise_due_waves(db, at - timedelta(microseconds=1))
            assert wave not in {n.wave for n in notices(db, incident_id)}, f"{wave} raised before its threshold"
            tick_through(db, incident_id, at - timedelta(seconds=1.3), at + timedelta(seconds=2))
            [n] = [n for n in notices(db, incident_id) if n.wave == wave]
            assert n.threshold_at == at
            assert timedelta(0) <= n.enqueued_at - at < timedelta(seconds=1), (wave, n.enqueued_at - at)
        lead, on_due, overdue = notices(db, incident_id)
        assert [d.recipient for d in lead.deliveries] == ["区城市管理委 值班室"]
        assert [d.recipient for d in on_due.deliveries] == ["区应急局 值班室"]
        leader = directory.supervising_leader(db, directory.find_unit(db, "区城市管理委")).leader
        assert [d.recipient for d in overdue.deliveries] == [f"{leader.post_title}（{leader.person}） 办公室"]
        for n in (lead, on_due, overdue):
            assert n.basis == "东政发〔2022〕3号 §4.1.5" and n.basis in n.text and n.status == "queued"
            assert all(d.status == "pending" for d in n.deliveries)
        assert "将于" in lead.text and "尚未报送" in on_due.text and "10分钟仍未报送" in overdue.text

    def test_each_notice_has_one_outbox_message_that_sends_it_through_the_gateway(self, client, login, db):
        incident_id, initial = start(client, login("duty"), db)
        escalation.raise_due_waves(db, initial.due_at)
        lead, on_due = notices(db, incident_id)
        messages = [m for m in db.scalars(select(outbox.OutboxMessage).where(outbox.OutboxMessage.topic == escalation.TOPIC))
                    if m.payload["notice_id"] in (lead.id, on_due.id)]
        assert sorted(m.payload["notice_id"] for m in messages) == [lead.id, on_due.id]
        gateway = Recorder()
        plugins.register(gateway)
        try:
            for m in messages:
                assert outbox.process(db, m)
        finally:
            plugins.unregister(gateway)
        assert [(r.recipient, r.contact) for r in gateway.sent] == [("区城市管理委 值班室", "test:城管委值班室"),
                                                                     ("区应急局 值班室", "test:应急办值班室")]
        assert gateway.sent[0].idempotency_key == f"escalation/{lead.id}/{lead.deliveries[0].id}"
        lead, on_due = notices(db, incident_id)
        assert lead.status == on_due.status == "sent"
        assert lead.deliveries[0].receipt.startswith("rec:") and lead.deliveries[0].sent_at is not None

    def test_a_failed_send_is_retried_and_shown(self, client, login, db):
        incident_id, initial = start(client, login("duty"), db)
        escalation.raise_due_waves(db, initial.due_at - ALARM_LEAD)
        [lead] = notices(db, incident_id)

        class Down(Recorder):
            def send(self, request):
                raise plugins.GatewayError("短信网关无响应")

        gateway = Down()
        plugins.register(gateway)
        try:
            escalation.send_notice(db, lead.id)
        finally:
            plugins.unregister(gateway)
        [lead] = notices(db, incident_id)
        assert lead.status == "queued" and lead.deliveries[0].attempts == 1
        assert "短信网关无响应" in lead.deliveries[0].last_error
        retries = [m for m in db.scalars(select(outbox.OutboxMessage).where(outbox.OutboxMessage.topic == escalation.TOPIC))
                   if m.payload["notice_id"] == lead.id]
        assert len(retries) == 2 and retries[-1].available_at > retries[0].available_at


class TestNoneAfterFiling:
    def test_filing_cancels_the_pending_notice_and_stops_the_later_waves(self, client, login, db):
        duty = login("duty")
        incident_id, initial = start(client, duty, db)
        due = initial.due_at
        escalation.raise_due_waves(db, due - ALARM_LEAD)
        [lead] = notices(db, incident_id)
        [message] = [m for m in db.scalars(select(outbox.OutboxMessage).where(outbox.OutboxMessage.topic == escalation.TOPIC))
                     if m.payload["notice_id"] == lead.id]
        r = client.post(f"/api/incidents/{incident_id}/reports", headers=duty, json=report())
        assert r.status_code == 201, r.text
        [lead] = notices(db, incident_id)
        assert lead.status == "cancelled" and [d.status for d in lead.deliveries] == ["cancelled"]
        assert lead.deliveries[0].reason.startswith("报告已于") and "提醒取消" in lead.deliveries[0].reason
        gateway = Recorder()
        plugins.register(gateway)
        try:
            assert outbox.process(db, message)  # the worker picks the message up afterwards: nothing goes out
            tick_through(db, incident_id, due - timedelta(seconds=2), due + timedelta(seconds=2))
            escalation.raise_due_waves(db, due + OVERDUE_AFTER + timedelta(hours=1))
        finally:
            plugins.unregister(gateway)
        assert gateway.sent == []
        assert [n.wave for n in notices(db, incident_id)] == ["lead"]

    def test_a_report_filed_between_raising_and_sending_is_never_sent(self, client, login, db):
        duty = login("duty")
        incident_id, initial = start(client, duty, db)
        escalation.raise_due_waves(db, initial.due_at - ALARM_LEAD)
        [lead] = notices(db, incident_id)
        # the report lands without passing through the service's cancel (e.g. a clock closed another way)
        db.execute(update(Deadline).where(Deadline.id == initial.id).values(met_at=datetime.now(UTC), status="met"))
        gateway = Recorder()
        plugins.register(gateway)
        try:
            assert escalation.send_notice(db, lead.id) == 0
        finally:
            plugins.unregister(gateway)
        assert gateway.sent == [] and notices(db, incident_id)[0].status == "cancelled"


class TestNeverTwice:
    def test_running_the_job_twice_raises_each_wave_once(self, client, login, db):
        incident_id, initial = start(client, login("duty"), db)
        at = initial.due_at + OVERDUE_AFTER
        first = [n for n in escalation.raise_due_waves(db, at) if n.incident_id == incident_id]
        again = [n for n in escalation.raise_due_waves(db, at) if n.incident_id == incident_id]
        assert len(first) == 3 and again == []
        assert len(notices(db, incident_id)) == 3

    def test_a_concurrent_worker_that_saw_the_same_waves_inserts_nothing(self, client, login, db):
        incident_id, initial = start(client, login("duty"), db)
        escalation.raise_due_waves(db, initial.due_at)
        # the other worker read the clocks before our commit: it tries the same (incident, clock, wave)
        values = {"incident_id": incident_id, "deadline_id": initial.id, "wave": "due", "audience": "emergency_office",
                  "threshold_at": initial.due_at, "enqueued_at": initial.due_at, "basis": "b", "wave_basis": "w",
                  "text": "t", "status": "queued", "is_drill": False}
        assert contacts.insert_notice_once(db, values) is None
        assert [n.wave for n in notices(db, incident_id)] == ["lead", "due"]


class TestUndeliverable:
    def test_a_unit_with_no_duty_contact(self, client, login, db):
        incident_id, initial = start(client, login("duty"), db)
        db.execute(delete(DutyContact).where(DutyContact.unit_id == initial.responsible_unit_id))
        escalation.raise_due_waves(db, initial.due_at - ALARM_LEAD)
        [lead] = notices(db, incident_id)
        assert lead.status == "undeliverable"
        [d] = lead.deliveries
        assert d.status == "undeliverable" and d.reason == "“区城市管理委”未登记值班联系方式"
        assert not [m for m in db.scalars(select(outbox.OutboxMessage).where(outbox.OutboxMessage.topic == escalation.TOPIC))
                    if m.payload["notice_id"] == lead.id]

    def test_a_unit_with_no_supervising_leader(self, client, login, db):
        incident_id, initial = start(client, login("duty"), db)
        orphan = directory.find_unit(db, "京诚集团")
        assert directory.supervising_leader(db, orphan).leader is None
        db.execute(update(Deadline).where(Deadline.id == initial.id).values(responsible_unit_id=orphan.id))
        db.expire_all()
        escalation.raise_due_waves(db, initial.due_at + OVERDUE_AFTER)
        overdue = next(n for n in notices(db, incident_id) if n.wave == "overdue")
        [d] = overdue.deliveries
        assert overdue.status == "undeliverable" and d.status == "undeliverable"
        assert "京诚集团" in d.reason and "分管区领导" in d.reason


class TestThePage:
    def test_the_incident_page_shows_each_recipient_and_its_status(self, client, login, db):
        duty = login("duty")
        incident_id, initial = start(client, duty, db)
        db.execute(delete(DutyContact).where(DutyContact.unit_id == initial.responsible_unit_id))
        escalation.raise_due_waves(db, initial.due_at)
        db.commit()
        html = client.get(f"/incidents/{incident_id}", headers=duty).text
        section = html.split('id="escalation"', 1)[1].split("</section>", 1)[0]
        assert "时限前提醒" in section and "到期提醒" in section and "超时督促" in section
        assert "“区城市管理委”未登记值班联系方式" in section and "无法送达" in section
        assert "区应急局 值班室" in section and "待发送" in section and "待触发" in section
        assert "§4.1.5" in section
        assert 'data-alarm-lead="300"' in html


def test_two_workers_at_once_raise_each_wave_once(tmp_path):
    """Two workers' jobs at the same instant, on two connections (truly in parallel on PostgreSQL)."""
    import threading

    from dongcheng.auth import repository as users
    from dongcheng.auth.service import caller_for
    from dongcheng.core.db import make_engine, transaction
    from dongcheng.emergency.incidents.schemas import IncidentIn
    from dongcheng.emergency.incidents.service import create_incident
    from tests.conftest import drop_database, prepared_database

    url = prepared_database(tmp_path, "esc_race", demo=True)
    engine = make_engine(url, pool_size=5) if url.startswith("postgresql") else make_engine(url)
    try:
        with transaction(engine) as s:
            now = datetime.now(UTC)
            incident = create_incident(s, caller_for(s, users.user_by_username(s, "duty")), IncidentIn(
                event_type="燃气事故", street="东四街道", address="东四北大街 100 号", occurred_at=now - timedelta(minutes=3),
                received_at=now - timedelta(minutes=1), source="12345", title="燃气泄漏（并发）"), now=now)
            incident_id = incident.id
            due = next(d.due_at for d in incident.deadlines if d.kind == "initial")
        at = due + OVERDUE_AFTER
        barrier = threading.Barrier(2 if engine.dialect.name == "postgresql" else 1)
        raised: list[int] = []
        errors: list[BaseException] = []

        def work() -> None:
            try:
                with transaction(engine) as s:
                    if engine.dialect.name == "postgresql":
                        barrier.wait(10)
                    raised.extend(n.id for n in escalation.raise_due_waves(s, at) if n.incident_id == incident_id)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert errors == [] and len(raised) == 3
        with transaction(engine, write=False) as s:
            rows = s.scalars(select(EscalationNotice).where(EscalationNotice.incident_id == incident_id)).all()
            assert sorted(n.wave for n in rows) == ["due", "lead", "overdue"]
            ids = {n.id for n in rows}
            messages = [m for m in s.scalars(select(outbox.OutboxMessage).where(outbox.OutboxMessage.topic
                                                                                == escalation.TOPIC))
                        if m.payload["notice_id"] in ids]
            assert len(messages) == len({m.payload["notice_id"] for m in messages})  # one message per notice at most
    finally:
        engine.dispose()
        drop_database(url)


class TestDutyContacts:
    def test_added_by_unit_or_post_audited_without_the_address(self, db):
        from dongcheng.audit.models import AuditEntry
        from dongcheng.audit.service import Actor
        from dongcheng.core.errors import DomainError

        actor = Actor("cli:test")
        row = escalation.add_duty_contact(db, actor=actor, unit_name="东四街道", contact="13800000001")
        assert row.unit_id == directory.find_unit(db, "东四街道").id and row.channel == "sms"
        seat = escalation.add_duty_contact(db, actor=actor, post_code="executive-vice-mayor", contact="13800000002",
                                           label="办公室")
        assert seat.post_id is not None and seat.unit_id is None
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "incident.duty_contact.add")
                           .order_by(AuditEntry.id.desc())).first()
        assert "13800000002" not in str(entry.after) and "常务副区长" in str(entry.after)
        for kwargs, status in (({"unit_name": "东四街道", "contact": "13800000001"}, 409),
                               ({"unit_name": "没有这个单位", "contact": "1"}, 422),
                               ({"post_code": "no-such-seat", "contact": "1"}, 422),
                               ({"contact": "1"}, 422),
                               ({"unit_name": "东四街道", "post_code": "mayor", "contact": "1"}, 422),
                               ({"unit_name": "东四街道", "contact": "  "}, 422)):
            try:
                escalation.add_duty_contact(db, actor=actor, **kwargs)
            except DomainError as exc:
                assert exc.status_code == status, (kwargs, exc)
            else:
                raise AssertionError(f"accepted {kwargs}")
        escalation.remove_duty_contact(db, actor=actor, contact_id=row.id)
        assert all(r.id != row.id for r, _ in escalation.duty_contacts(db))


def test_the_lead_time_and_the_overdue_wait_are_configurable(client, login, db, monkeypatch):
    monkeypatch.setenv("DONGCHENG_ALARM_LEAD_SECONDS", "120")
    monkeypatch.setenv("DONGCHENG_ESCALATION_OVERDUE_SECONDS", "300")
    duty = login("duty")
    incident_id, initial = start(client, duty, db)
    escalation.raise_due_waves(db, initial.due_at - timedelta(seconds=121))
    assert notices(db, incident_id) == []
    escalation.raise_due_waves(db, initial.due_at - timedelta(seconds=120))
    assert [n.wave for n in notices(db, incident_id)] == ["lead"]
    escalation.raise_due_waves(db, initial.due_at + timedelta(seconds=299))
    assert [n.wave for n in notices(db, incident_id)] == ["lead", "due"]
    escalation.raise_due_waves(db, initial.due_at + timedelta(seconds=300))
    *_, overdue = notices(db, incident_id)
    assert overdue.wave == "overdue" and "5分钟仍未报送" in overdue.text
    db.commit()
    html = client.get(f"/incidents/{incident_id}", headers=duty).text
    assert 'data-alarm-lead="120"' in html and "报送时限前 2 分钟" in html
