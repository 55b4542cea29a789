"""Dissemination (东政发〔2022〕3号 §3.2.8): subscribers, messages, fan-out through the outbox, deliveries, coverage.

publish / change-level / lift  ─(same transaction)→  warning_messages row + outbox "warnings.fanout"
worker: outbox message → INSERT … SELECT one delivery per subscriber in the affected streets (idempotent)
worker: due deliveries, locked FOR UPDATE SKIP LOCKED on PostgreSQL → channel gateways → "sent" + receipts, in one
        transaction per batch; a failed send is retried with backoff, then marked failed.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, exists, func, insert, literal, select, update
from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.core import outbox, plugins
from dongcheng.core.errors import DomainError, FieldError
from dongcheng.core.time import utcnow
from dongcheng.directory.service import find_unit, list_units
from dongcheng.emergency.warnings import cap, rules
from dongcheng.emergency.warnings.enums import Action, DeliveryStatus, MsgType
from dongcheng.emergency.warnings.models import Delivery, EarlyWarning, Subscriber, WarningMessage
from dongcheng.emergency.warnings.schemas import SubscriberCreate

FANOUT_TOPIC = "warnings.fanout"


# --- messages ---------------------------------------------------------------------------------------------------


def _free_identifier(session: Session, at: datetime) -> tuple[str, datetime]:
    """The first free ``…_YYYYMMDDhhmmss_N`` slot at or after ``at`` (N is one digit, so ten per second)."""
    at = at.replace(microsecond=0)
    while True:
        prefix = cap.identifier(at, 0)[:-1]
        taken = {row[-1] for row in session.scalars(
            select(WarningMessage.identifier).where(WarningMessage.identifier.like(f"{prefix}%")))}
        free = next((n for n in range(10) if str(n) not in taken), None)
        if free is not None:
            return f"{prefix}{free}", at
        at += timedelta(seconds=1)


def new_message(session: Session, warning: EarlyWarning, action: Action) -> WarningMessage:
    """Record the CAP message of a step and, for a public warning, enqueue its fan-out in the same transaction."""
    previous = messages_of(session, warning)
    ident, sent_at = _free_identifier(session, utcnow())
    msg_type = rules.message_type(action)
    message = WarningMessage(
        warning_id=warning.id, seq=len(previous) + 1, msg_type=msg_type.value, level=warning.level,
        identifier=ident, sender=cap.cap_settings().sender, sent_at=sent_at,
        references=[f"{p.sender},{p.identifier},{cap.cap_time(p.sent_at)}" for p in previous],
        note=str(rules.clause({Action.PUBLISH: "§3.2.3", Action.CHANGE_LEVEL: "§3.2.6", Action.LIFT: "§3.2.7"}[action])),
    )
    session.add(message)
    session.flush()
    if warning.public:  # internal warnings stay inside the industry (§3.2.3(3)): no public fan-out
        outbox.enqueue(session, FANOUT_TOPIC, {"message_id": message.id})
    return message


def messages_of(session: Session, warning: EarlyWarning) -> list[WarningMessage]:
    return list(session.scalars(select(WarningMessage).where(WarningMessage.warning_id == warning.id)
                                .order_by(WarningMessage.seq)))


def cap_xml(session: Session, warning: EarlyWarning, seq: int | None = None) -> bytes:
    msgs = messages_of(session, warning)
    if not msgs:
        raise DomainError("该预警尚未发布，没有 CAP 消息", "The warning has not been published: no CAP message yet", 409)
    chosen = next((m for m in msgs if m.seq == seq), None) if seq else msgs[-1]
    if chosen is None:
        raise DomainError(f"没有第 {seq} 条消息", f"no message {seq}", 404)
    issuer = warning.issuing_unit.full_name if warning.issuing_unit else warning.drafting_unit.full_name
    return cap.build_alert(warning=warning, message=chosen, previous=[m for m in msgs if m.seq < chosen.seq],
                           issuer_name=issuer)


# --- fan-out (outbox handler) -----------------------------------------------------------------------------------


@outbox.handler(FANOUT_TOPIC)
def fan_out(session: Session, payload: dict) -> None:
    """One delivery per active subscriber of the affected streets; re-running it adds nothing (idempotency key)."""
    message = session.get(WarningMessage, payload["message_id"])
    warning = session.get(EarlyWarning, message.warning_id)
    streets = list(warning.area_streets or ())
    now = utcnow()
    source = (
        select(literal(message.id), Subscriber.id, literal(DeliveryStatus.PENDING.value), literal(0), literal(now,
               type_=Delivery.__table__.c.next_attempt_at.type))
        .where(Subscriber.active.is_(True), Subscriber.street.in_(streets))
        .where(~exists().where(and_(Delivery.message_id == message.id, Delivery.subscriber_id == Subscriber.id)))
    )
    session.execute(insert(Delivery).from_select(
        ["message_id", "subscriber_id", "status", "attempts", "next_attempt_at"], source))


# --- sending (worker) -------------------------------------------------------------------------------------------


@dataclass
class SendResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed


def _text(warning: EarlyWarning, message: WarningMessage) -> str:
    verb = {MsgType.ALERT: "发布", MsgType.UPDATE: "调整为", MsgType.CANCEL: "解除"}[MsgType(message.msg_type)]
    body = "" if message.msg_type == MsgType.CANCEL else f"{warning.precautions} {warning.measures}".strip()
    return f"【东城区预警】{verb}{message.level}预警：{warning.title}。{body}"


def send_due(session: Session, *, batch: int = 500) -> SendResult:
    """Send up to ``batch`` due deliveries in the caller's transaction (the worker commits once per batch)."""
    now = utcnow()
    stmt = (select(Delivery.id, Delivery.attempts, Delivery.receipts, Delivery.message_id, Subscriber.name,
                   Subscriber.contact, Subscriber.channels, Subscriber.vulnerable_groups, Subscriber.special_place,
                   Subscriber.blind_spot)
            .join(Subscriber, Subscriber.id == Delivery.subscriber_id)
            .where(Delivery.status == DeliveryStatus.PENDING, Delivery.next_attempt_at <= now)
            .order_by(Delivery.id).limit(batch))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=Delivery.__table__, skip_locked=True)
    rows = session.execute(stmt).all()
    result = SendResult()
    if not rows:
        return result
    cache: dict[int, tuple[WarningMessage, str]] = {}
    updates = []
    for row in rows:
        if row.message_id not in cache:
            message = session.get(WarningMessage, row.message_id)
            cache[row.message_id] = (message, _text(session.get(EarlyWarning, message.warning_id), message))
        message, text = cache[row.message_id]
        channels, _ = rules.delivery_channels(tuple(row.channels or ()), vulnerable=bool(row.vulnerable_groups),
                                              special_place=bool(row.special_place), blind_spot=bool(row.blind_spot))
        receipts = dict(row.receipts or {})
        key = f"{message.identifier}/{row.id}"
        error = None
        for channel in channels:
            if channel in receipts:
                continue  # sent on an earlier attempt
            try:
                receipts[channel] = plugins.gateway_for(channel).send(plugins.SendRequest(
                    idempotency_key=f"{key}/{channel}", channel=channel, recipient=row.name, contact=row.contact,
                    text=text, cap_identifier=message.identifier))
            except Exception as exc:  # noqa: BLE001 - a gateway failure is retried, never fatal to the batch
                error = f"{channel}: {type(exc).__name__}: {exc}"[:1000]
        attempts = row.attempts + 1
        if error is None:
            updates.append({"id": row.id, "status": DeliveryStatus.SENT.value, "attempts": attempts, "sent_at": now,
                            "receipts": receipts, "last_error": None, "next_attempt_at": now})
            result.sent += 1
        elif attempts >= rules.MAX_ATTEMPTS:
            updates.append({"id": row.id, "status": DeliveryStatus.FAILED.value, "attempts": attempts,
                            "receipts": receipts, "last_error": error, "sent_at": None, "next_attempt_at": now})
            result.failed += 1
        else:
            delay = rules.retry_delay_seconds(attempts) * random.uniform(0.8, 1.2)
            updates.append({"id": row.id, "status": DeliveryStatus.PENDING.value, "attempts": attempts,
                            "receipts": receipts, "last_error": error, "sent_at": None,
                            "next_attempt_at": now + timedelta(seconds=delay)})
            result.retried += 1
    session.execute(update(Delivery), updates)
    return result


def drain(engine, *, batch: int = 500, outbox_batch: int = 10, until_empty: bool = True, idle_sleep: float = 0.5,
          stop=lambda: False) -> SendResult:
    """The worker loop: outbox first (fan-outs), then due deliveries; one short transaction per batch."""
    from dongcheng.core.db import transaction

    total = SendResult()
    while not stop():
        with transaction(engine) as session:
            claimed = outbox.claim(session, limit=outbox_batch)
            for message in claimed:
                outbox.process(session, message)
            handled = len(claimed)
        with transaction(engine) as session:
            res = send_due(session, batch=batch)
        total.sent, total.retried, total.failed = total.sent + res.sent, total.retried + res.retried, \
            total.failed + res.failed
        if handled == 0 and res.handled == 0:
            if until_empty:
                break
            time.sleep(idle_sleep)
    return total


# --- coverage ---------------------------------------------------------------------------------------------------


def coverage(session: Session, warning: EarlyWarning) -> dict:
    """保障预警信息全覆盖 (§3.2.8): of the active subscribers in the affected streets, how many were reached by the
    latest public message — all of them, and the targeted ones (vulnerable groups, special places, alarm blind spots).
    """
    msgs = messages_of(session, warning)
    streets = list(warning.area_streets or ())
    base = select(func.count()).select_from(Subscriber).where(Subscriber.active.is_(True),
                                                                  Subscriber.street.in_(streets))
    total = session.scalar(base) or 0
    targeted_total = session.scalar(base.where(Subscriber.targeted.is_(True))) or 0
    out = {"message": None, "subscribers": total, "targeted_subscribers": targeted_total, "sent": 0, "pending": 0,
           "failed": 0, "reached_targeted": 0, "percent": None, "percent_targeted": None,
           "basis": str(rules.clause("§3.2.8"))}
    if not msgs or not warning.public:
        return out
    latest = msgs[-1]
    counts = dict(session.execute(select(Delivery.status, func.count()).where(Delivery.message_id == latest.id)
                                  .group_by(Delivery.status)).all())
    reached_targeted = session.scalar(
        select(func.count()).select_from(Delivery).join(Subscriber, Subscriber.id == Delivery.subscriber_id)
        .where(Delivery.message_id == latest.id, Delivery.status == DeliveryStatus.SENT,
               Subscriber.targeted.is_(True))) or 0
    sent = counts.get(DeliveryStatus.SENT.value, 0)
    out.update(message={"seq": latest.seq, "msg_type": latest.msg_type, "identifier": latest.identifier},
               sent=sent, pending=counts.get(DeliveryStatus.PENDING.value, 0),
               failed=counts.get(DeliveryStatus.FAILED.value, 0), reached_targeted=reached_targeted,
               percent=rules.coverage_percent(sent, total),
               percent_targeted=rules.coverage_percent(reached_targeted, targeted_total))
    return out


# --- subscribers ------------------------------------------------------------------------------------------------


def _targeted(vulnerable_groups, special_place, blind_spot) -> bool:
    return bool(vulnerable_groups) or bool(special_place) or bool(blind_spot)


def add_subscriber(session: Session, *, actor: audit.Actor, data: SubscriberCreate) -> Subscriber:
    errors = []
    street = find_unit(session, data.street)
    if street is None or street.kind not in ("street", "key_area"):
        errors.append(FieldError("street", f"“{data.street}”不是东城区的街道", f"{data.street!r} is not a Dongcheng street"))
    from dongcheng.reference.service import list_items

    allowed_channels = {i.text for i in list_items(session, "warning_channels")}
    bad = [c for c in data.channels if c not in allowed_channels]
    if bad:
        errors.append(FieldError("channels", f"未知的发布渠道：{'、'.join(bad)}（§3.2.8）", f"unknown channels: {bad}"))
    groups = {i.text for i in list_items(session, "vulnerable_groups")}
    if any(g not in groups for g in data.vulnerable_groups):
        errors.append(FieldError("vulnerable_groups", "群体应为 老、幼、病、残、孕（§3.2.8）",
                                 "groups are 老 幼 病 残 孕 (§3.2.8)"))
    places = {i.text for i in list_items(session, "special_places")}
    if data.special_place and data.special_place not in places:
        errors.append(FieldError("special_place", "特殊场所应为 学校、医院、旅游景点、交通枢纽（§3.2.8）",
                                 "special places are 学校 医院 旅游景点 交通枢纽 (§3.2.8)"))
    if errors:
        raise DomainError("输入有误", "Invalid input", 422, errors)
    sub = Subscriber(kind=data.kind, name=data.name, street=street.name, contact=data.contact,
                     channels=list(data.channels), vulnerable_groups=list(data.vulnerable_groups),
                     special_place=data.special_place, blind_spot=data.blind_spot,
                     targeted=_targeted(data.vulnerable_groups, data.special_place, data.blind_spot), active=True,
                     created_at=utcnow())
    session.add(sub)
    session.flush()
    audit.record(session, actor=actor, action="warnings.subscriber_add", target_type="subscriber", target_id=sub.id,
                 basis=rules.clause("§3.2.8"), after={"street": sub.street, "kind": sub.kind,
                                                       "channels": sub.channels, "targeted": sub.targeted})
    return sub


SEED_CHANNELS = (["手机短信"], ["手机客户端"], ["手机短信", "手机客户端"], ["互联网"], ["电子显示屏"], ["应急广播"])


def seed_subscribers(session: Session, *, actor: audit.Actor, count: int, streets: list[str] | None = None,
                     seed: int = 20221, chunk: int = 20000) -> int:
    """N synthetic subscribers spread over the streets, ~12 % targeted; bulk insert (COPY on PostgreSQL)."""
    names = streets or [u.name for u in list_units(session, "street")]
    rng = random.Random(seed)
    groups = ["老", "幼", "病", "残", "孕"]
    places = ["学校", "医院", "旅游景点", "交通枢纽"]
    now = utcnow()
    start = (session.scalar(select(func.max(Subscriber.id))) or 0) + 1

    def rows():
        for i in range(count):
            r = rng.random()
            vg = [rng.choice(groups)] if r < 0.10 else []
            sp = rng.choice(places) if 0.10 <= r < 0.11 else None
            bs = 0.11 <= r < 0.12
            kind = "unit" if sp else "resident"
            yield (kind, f"订阅者{start + i}", names[i % len(names)], f"1{rng.randrange(3000000000, 9999999999)}",
                   rng.choice(SEED_CHANNELS), vg, sp, bs, bool(vg or sp or bs))

    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        import json

        cursor = session.connection().connection.driver_connection.cursor()
        with cursor.copy("COPY subscribers (kind, name, street, contact, channels, vulnerable_groups, special_place, "
                         "blind_spot, targeted, active, created_at) FROM STDIN") as copy:
            for kind, name, street, contact, ch, vg, sp, bs, tg in rows():
                copy.write_row((kind, name, street, contact, json.dumps(ch, ensure_ascii=False),
                                json.dumps(vg, ensure_ascii=False), sp, bs, tg, True, now))
    else:
        table = Subscriber.__table__
        buffer: list[dict] = []
        for kind, name, street, contact, ch, vg, sp, bs, tg in rows():
            buffer.append({"kind": kind, "name": name, "street": street, "contact": contact, "channels": ch,
                           "vulnerable_groups": vg, "special_place": sp, "blind_spot": bs, "targeted": tg,
                           "active": True, "created_at": now})
            if len(buffer) >= chunk:
                session.execute(insert(table), buffer)
                buffer = []
        if buffer:
            session.execute(insert(table), buffer)
    audit.record(session, actor=actor, action="warnings.subscribers_seed", target_type="subscriber",
                 target_id=f"{start}+{count}", basis="SPEC §2.2 (synthetic subscribers for demos and benchmarks)",
                 after={"count": count, "streets": len(names)})
    return count


def subscriber_stats(session: Session) -> list[dict]:
    targeted = func.sum(case((Subscriber.targeted.is_(True), 1), else_=0))
    rows = session.execute(select(Subscriber.street, func.count(), targeted).where(Subscriber.active.is_(True))
                           .group_by(Subscriber.street).order_by(Subscriber.street)).all()
    return [{"street": street, "subscribers": n, "targeted": int(t or 0)} for street, n, t in rows]
