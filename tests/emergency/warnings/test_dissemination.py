"""§3.2.8 dissemination in one transaction: fan-out through the outbox, per-recipient delivery, retries, coverage."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from dongcheng.audit.service import SYSTEM
from dongcheng.core import outbox, plugins
from dongcheng.core.errors import DomainError
from dongcheng.core.time import utcnow
from dongcheng.emergency.warnings import dissemination
from dongcheng.emergency.warnings import subscribers as registry
from dongcheng.emergency.warnings.models import Delivery, EarlyWarning, Subscriber, WarningMessage
from dongcheng.emergency.warnings.schemas import SubscriberCreate

STREETS = ["东四街道", "景山街道"]


def run_outbox(db) -> int:
    msgs = outbox.claim(db, limit=50)
    for m in msgs:
        assert outbox.process(db, m), m.last_error
    return len(msgs)


@pytest.fixture
def subscribers(db):
    registry.seed_subscribers(db, actor=SYSTEM, count=300, streets=[*STREETS, "前门街道"])
    elder = registry.add_subscriber(db, actor=SYSTEM, data=SubscriberCreate(
        name="张大爷", street="东四街道", channels=["手机短信"], vulnerable_groups=["老"]))
    school = registry.add_subscriber(db, actor=SYSTEM, data=SubscriberCreate(
        kind="unit", name="东四小学", street="东四街道", channels=["电子显示屏"], special_place="学校"))
    db.flush()
    return elder, school


def affected(db) -> int:
    return db.scalar(select(func.count()).select_from(Subscriber).where(Subscriber.street.in_(STREETS)))


class TestSubscribers:
    def test_registry_validates_street_channels_and_groups(self, db):
        with pytest.raises(DomainError) as exc:
            registry.add_subscriber(db, actor=SYSTEM, data=SubscriberCreate(
                name="x", street="中关村街道", channels=["信鸽"], vulnerable_groups=["青年"], special_place="商场"))
        assert {f.field for f in exc.value.fields} == {"street", "channels", "vulnerable_groups", "special_place"}

    def test_seed_spreads_over_streets_with_targeted_share(self, db):
        registry.seed_subscribers(db, actor=SYSTEM, count=1700)
        stats = registry.subscriber_stats(db)
        assert len(stats) == 17 and all(s["subscribers"] >= 100 for s in stats)
        assert 0.05 < sum(s["targeted"] for s in stats) / 1700 < 0.25


class TestFanOut:
    def test_publishing_enqueues_in_the_same_transaction(self, db, published):
        before = db.scalar(select(func.count()).select_from(outbox.OutboxMessage))
        w = published("黄色", area_streets=STREETS)
        assert db.scalar(select(func.count()).select_from(outbox.OutboxMessage)) == before + 1
        assert w["coverage"]["message"]["msg_type"] == "Alert"

    def test_one_delivery_per_subscriber_and_rerun_adds_none(self, db, subscribers, published):
        published("黄色", area_streets=STREETS)
        run_outbox(db)
        message = db.scalar(select(WarningMessage).order_by(WarningMessage.id.desc()))
        count = db.scalar(select(func.count()).select_from(Delivery).where(Delivery.message_id == message.id))
        assert count == affected(db)
        dissemination.fan_out(db, {"message_id": message.id})  # a worker redoing the job
        assert db.scalar(select(func.count()).select_from(Delivery).where(Delivery.message_id == message.id)) == count

    def test_the_idempotency_key_is_a_unique_constraint(self, db, subscribers, published):
        published("黄色", area_streets=STREETS)
        run_outbox(db)
        d = db.scalar(select(Delivery).limit(1))
        with pytest.raises(IntegrityError), db.begin_nested():
            db.add(Delivery(message_id=d.message_id, subscriber_id=d.subscriber_id, status="pending", attempts=0,
                            next_attempt_at=utcnow()))
            db.flush()

    def test_send_reaches_everyone_and_targets_the_vulnerable(self, db, subscribers, published, client, as_):
        elder, school = subscribers
        w = published("橙色", area_streets=STREETS)
        run_outbox(db)
        result = dissemination.send_due(db, batch=10_000)
        assert result.sent == affected(db) and result.failed == 0
        receipts = {d.subscriber_id: d.receipts for d in db.scalars(select(Delivery))}
        assert set(receipts[elder.id]) == {"手机短信", "组织人员逐户通知"}  # 线上线下相结合 §3.2.8
        assert set(receipts[school.id]) == {"电子显示屏", "组织人员逐户通知"}
        cov = client.get(f"/api/warnings/{w['id']}/coverage", headers=as_("duty")).json()
        assert cov["percent"] == 100.0 and cov["percent_targeted"] == 100.0
        assert cov["subscribers"] == affected(db) and "§3.2.8" in cov["basis"]

    def test_lifting_sends_a_cancel_to_the_same_people(self, db, subscribers, published, step):
        w = published("黄色", area_streets=STREETS)
        step(w["id"], "lift", "cgw", {"reason": "结束"})
        assert run_outbox(db) == 2
        per_message = dict(db.execute(select(Delivery.message_id, func.count()).group_by(Delivery.message_id)).all())
        assert sorted(per_message.values()) == [affected(db), affected(db)]


class FlakySms(plugins.ChannelGateway):
    name = "flaky-sms"
    channels = frozenset({"手机短信"})

    def __init__(self, failures: int):
        self.failures, self.calls = failures, 0

    def send(self, request: plugins.SendRequest) -> str:
        self.calls += 1
        if self.calls <= self.failures:
            raise plugins.GatewayError("gateway busy")
        return f"sms:{request.idempotency_key}"


@pytest.fixture
def flaky():
    gateways = []

    def _register(failures: int) -> FlakySms:
        g = FlakySms(failures)
        plugins.register(g)
        gateways.append(g)
        return g

    yield _register
    for g in gateways:
        plugins.unregister(g)


class TestRetries:
    def make_due(self, db):
        db.execute(update(Delivery).values(next_attempt_at=utcnow() - timedelta(seconds=1)))

    def test_failed_send_is_retried_with_backoff_and_done_channels_are_not_resent(self, db, subscribers, published,
                                                                                    flaky):
        elder, _ = subscribers
        published("黄色", area_streets=["东四街道"])
        run_outbox(db)
        db.execute(update(Delivery).where(Delivery.subscriber_id != elder.id).values(status="sent"))
        gateway = flaky(1)
        first = dissemination.send_due(db)
        assert (first.sent, first.retried) == (0, 1)
        d = db.scalar(select(Delivery).where(Delivery.subscriber_id == elder.id).execution_options(
            populate_existing=True))
        assert d.status == "pending" and d.attempts == 1 and "gateway busy" in d.last_error
        assert set(d.receipts) == {"组织人员逐户通知"}  # the door-to-door notice went out and is kept
        assert d.next_attempt_at > utcnow() + timedelta(seconds=3)  # ~5 s backoff
        assert dissemination.send_due(db).handled == 0  # not due yet
        self.make_due(db)
        second = dissemination.send_due(db)
        assert second.sent == 1 and gateway.calls == 2
        d = db.scalar(select(Delivery).where(Delivery.id == d.id).execution_options(populate_existing=True))
        assert d.status == "sent" and set(d.receipts) == {"手机短信", "组织人员逐户通知"}

    def test_gives_up_after_the_last_attempt(self, db, subscribers, published, flaky):
        elder, _ = subscribers
        published("黄色", area_streets=["东四街道"])
        run_outbox(db)
        db.execute(update(Delivery).where(Delivery.subscriber_id != elder.id).values(status="sent"))
        flaky(100)
        for _ in range(6):
            self.make_due(db)
            dissemination.send_due(db)
        d = db.scalar(select(Delivery).where(Delivery.subscriber_id == elder.id).execution_options(
            populate_existing=True))
        assert d.status == "failed" and d.attempts == 6
        w = db.scalar(select(EarlyWarning).order_by(EarlyWarning.id.desc()))
        cov = dissemination.coverage(db, w)
        assert cov["failed"] == 1 and cov["percent"] < 100


class TestBatchPath:
    def drain_outbox(self, db) -> int:
        jobs = 0
        while n := run_outbox(db):
            jobs += n
        return jobs

    def test_a_big_fan_out_is_split_into_id_ranges_and_still_reaches_everyone_once(self, db, subscribers, published,
                                                                                   monkeypatch):
        monkeypatch.setattr(dissemination, "FANOUT_CHUNK", 50)
        published("黄色", area_streets=STREETS)
        assert self.drain_outbox(db) == 1 + -(-affected(db) // 50)  # the job, then its shares
        message = db.scalar(select(WarningMessage).order_by(WarningMessage.id.desc()))
        rows = db.execute(select(Delivery.subscriber_id).where(Delivery.message_id == message.id)).scalars().all()
        assert len(rows) == len(set(rows)) == affected(db)
        share = db.scalar(select(outbox.OutboxMessage).where(outbox.OutboxMessage.payload["from_id"].isnot(None))
                          .limit(1))
        dissemination.fan_out(db, share.payload)  # a worker redoing a share adds nothing
        assert db.scalar(select(func.count()).select_from(Delivery).where(Delivery.message_id == message.id)) \
            == affected(db)

    def test_every_gateway_gets_the_whole_batch_at_once_with_idempotency_keys(self, db, subscribers, published,
                                                                              batch_gateway):
        published("黄色", area_streets=STREETS)
        run_outbox(db)
        result = dissemination.send_due(db, batch=10_000)
        assert result.sent == affected(db) and len(batch_gateway.calls) == 1
        message = db.scalar(select(WarningMessage).order_by(WarningMessage.id.desc()))
        keys = [r.idempotency_key for r in batch_gateway.calls[0]]
        assert len(keys) == len(set(keys)) and all(k.startswith(f"{message.identifier}/") for k in keys)
        assert all(r.channel == "手机短信" and r.cap_identifier == message.identifier for r in batch_gateway.calls[0])
        stored = {d.id: d.receipts for d in db.scalars(select(Delivery).where(Delivery.message_id == message.id)
                                                       .execution_options(populate_existing=True))}
        for request in batch_gateway.calls[0]:
            delivery_id = int(request.idempotency_key.split("/")[1])
            assert stored[delivery_id]["手机短信"] == f"batch:{request.idempotency_key}"
        assert all(d.status == "sent" and d.attempts == 1 and d.sent_at for d in db.scalars(
            select(Delivery).where(Delivery.message_id == message.id)))

    def test_a_failed_item_in_a_batch_is_retried_alone(self, db, subscribers, published, batch_gateway):
        elder, _ = subscribers
        published("黄色", area_streets=STREETS)
        run_outbox(db)
        batch_gateway.fail_contact = elder.contact
        result = dissemination.send_due(db, batch=10_000)
        assert (result.sent, result.retried) == (affected(db) - 1, 1)
        d = db.scalar(select(Delivery).where(Delivery.subscriber_id == elder.id).execution_options(
            populate_existing=True))
        assert d.status == "pending" and set(d.receipts) == {"组织人员逐户通知"} and "quota" in d.last_error

    def test_a_rate_limited_gateway_gets_small_batches(self, db, subscribers, published, batch_gateway):
        published("黄色", area_streets=STREETS)
        run_outbox(db)
        batch_gateway.max_batch = 7
        assert dissemination.send_due(db, batch=10_000).handled == 7


class BatchSms(plugins.ChannelGateway):
    """A gateway with a batch API (overrides send_many); one contact can be made to fail."""

    name = "batch-sms"
    channels = frozenset({"手机短信"})

    def __init__(self):
        self.calls: list[list[plugins.SendRequest]] = []
        self.fail_contact: str | None = None

    def send(self, request: plugins.SendRequest) -> str:  # pragma: no cover - the worker uses send_many
        raise AssertionError("send_many expected")

    def send_many(self, requests):
        self.calls.append(list(requests))
        return [plugins.GatewayError("quota") if r.contact == self.fail_contact else f"batch:{r.idempotency_key}"
                for r in requests]


@pytest.fixture
def batch_gateway():
    g = BatchSms()
    plugins.register(g)
    yield g
    plugins.unregister(g)
