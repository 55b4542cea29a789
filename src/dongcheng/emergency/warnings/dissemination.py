"""Dissemination (东政发〔2022〕3号 §3.2.8): subscribers, messages, fan-out through the outbox, deliveries, coverage.

publish / change-level / lift  ─(same transaction)→  warning_messages row + outbox "warnings.fanout"
worker: outbox job → INSERT … SELECT one delivery per subscriber in the affected streets (idempotent); a fan-out to
        more than FANOUT_CHUNK subscribers is first split into jobs over subscriber-id ranges, so every worker
        writes a share and sending starts when the first share commits
worker: a batch of due deliveries (up to DEFAULT_BATCH, fewer if a gateway asks: ``max_batch``), locked FOR UPDATE
        SKIP LOCKED on PostgreSQL → each channel gateway gets all its sends at once (``send_many``, idempotency key
        per send) → "sent" + receipts written back in the same transaction (one UPDATE for the sent rows on
        PostgreSQL); a failed send is retried with backoff, then marked failed.
"""
from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from dongcheng.core import outbox, plugins
from dongcheng.core.errors import DomainError
from dongcheng.core.time import utcnow
from dongcheng.directory.service import list_units
from dongcheng.emergency.warnings import cap, dissemination_rules, repository
from dongcheng.emergency.warnings.enums import Action, DeliveryStatus, MsgType
from dongcheng.emergency.warnings.models import EarlyWarning, WarningMessage
from dongcheng.reference import boundary

FANOUT_TOPIC = "warnings.fanout"
FANOUT_CHUNK = 50_000  # subscribers per fan-out job (a bigger fan-out is split into id ranges)
ANALYZE_AFTER = 20_000  # deliveries added by one fan-out job after which the table's statistics are refreshed


# --- messages ---------------------------------------------------------------------------------------------------


def _free_identifier(session: Session, at: datetime) -> tuple[str, datetime]:
    """The first free ``…_YYYYMMDDhhmmss_N`` slot at or after ``at`` (N is one digit, so ten per second)."""
    at = at.replace(microsecond=0)
    while True:
        prefix = cap.identifier(at, 0)[:-1]
        taken = repository.identifier_suffixes(session, prefix)
        free = next((n for n in range(10) if str(n) not in taken), None)
        if free is not None:
            return f"{prefix}{free}", at
        at += timedelta(seconds=1)


def new_message(session: Session, warning: EarlyWarning, action: Action) -> WarningMessage:
    """Record the CAP message of a step and, for a public warning, enqueue its fan-out in the same transaction."""
    previous = messages_of(session, warning)
    ident, sent_at = _free_identifier(session, utcnow())
    msg_type = dissemination_rules.message_type(action)
    message = WarningMessage(
        warning_id=warning.id, seq=len(previous) + 1, msg_type=msg_type.value, level=warning.level,
        identifier=ident, sender=cap.cap_settings().sender, sent_at=sent_at,
        references=[f"{p.sender},{p.identifier},{cap.cap_time(p.sent_at)}" for p in previous],
        note=str(dissemination_rules.message_basis(action)),
    )
    session.add(message)
    session.flush()
    if warning.public:  # internal warnings stay inside the industry (§3.2.3(3)): no public fan-out
        outbox.enqueue(session, FANOUT_TOPIC, {"message_id": message.id})
    return message


def messages_of(session: Session, warning: EarlyWarning) -> list[WarningMessage]:
    return repository.messages_of(session, warning.id)


def latest_message(session: Session, warning: EarlyWarning) -> WarningMessage | None:
    return repository.latest_message(session, warning.id)


def cap_xml(session: Session, warning: EarlyWarning, seq: int | None = None) -> bytes:
    msgs = messages_of(session, warning)
    if not msgs:
        raise DomainError("该预警尚未发布，没有 CAP 消息", "The warning has not been published: no CAP message yet", 409)
    chosen = next((m for m in msgs if m.seq == seq), None) if seq else msgs[-1]
    if chosen is None:
        raise DomainError(f"没有第 {seq} 条消息", f"no message {seq}", 404)
    issuer = warning.issuing_unit.full_name if warning.issuing_unit else warning.drafting_unit.full_name
    return cap.build_alert(warning=warning, message=chosen, previous=[m for m in msgs if m.seq < chosen.seq],
                           issuer_name=issuer, polygons=district_polygons(session, warning))


def district_polygons(session: Session, warning: EarlyWarning) -> tuple[str, ...]:
    """The district outline (WGS 84) for a warning whose area is every street and the 王府井地区 — the whole district;
    none for part of it: no package ships the streets' boundaries (reference/boundary.py)."""
    streets = {u.name for kind in ("street", "key_area") for u in list_units(session, kind)}
    if not streets or not streets <= set(warning.area_streets or ()):
        return ()
    return tuple(boundary.cap_polygons(boundary.district()))


def feed_entries(session: Session, now: datetime | None = None) -> list[dict]:
    """The public Atom feed's entries, newest first: one per CAP message (Alert, Update, Cancel) of a public warning
    within dissemination_rules.FEED_RETENTION, and the latest message of every warning still in force."""
    now = now or utcnow()
    rows = repository.public_feed_messages(session, now - dissemination_rules.FEED_RETENTION)
    latest_seq: dict[int, int] = {}
    for message, _ in rows:
        latest_seq[message.warning_id] = max(latest_seq.get(message.warning_id, 0), message.seq)
    entries = []
    for message, warning in rows:
        if not dissemination_rules.in_feed(sent_at=message.sent_at, latest=message.seq == latest_seq[warning.id],
                                           current=warning.status == "published", now=now):
            continue
        kind = MsgType(message.msg_type)
        cancelled = kind is MsgType.CANCEL
        entries.append({
            "id": warning.id, "seq": message.seq, "identifier": message.identifier, "msg_type": kind.value,
            "title": f"【{dissemination_rules.FEED_LABELS[kind]}】{message.level}预警：{warning.title}",
            "updated": message.sent_at, "level": message.level,
            "summary": (f"预警已解除。{message.note}".strip() if cancelled else warning.precautions),
        })
    return entries


# --- fan-out (outbox handler) -----------------------------------------------------------------------------------


@outbox.handler(FANOUT_TOPIC)
def fan_out(session: Session, payload: dict) -> None:
    """One delivery per active subscriber of the affected streets; re-running it adds nothing (idempotency key).

    A fan-out to more than ``FANOUT_CHUNK`` subscribers is split into jobs over subscriber-id ranges, enqueued in
    this transaction: every worker takes a share, and sending starts when the first share commits.
    """
    message = repository.get_message(session, payload["message_id"])
    warning = repository.get_warning(session, message.warning_id)
    streets = list(warning.area_streets or ())
    id_range = None
    if "from_id" not in payload:
        n, first, last = repository.affected_span(session, streets)
        if n > FANOUT_CHUNK:
            parts = -(-n // FANOUT_CHUNK)
            width = -(-(last - first + 1) // parts)
            for k, lo in enumerate(range(first, last + 1, width)):
                outbox.enqueue(session, FANOUT_TOPIC, {"message_id": message.id, "from_id": lo,
                                                       "to_id": min(last, lo + width - 1), "analyze": k == 0})
            return
    else:
        id_range = (payload["from_id"], payload["to_id"])
    added = repository.add_deliveries(session, message.id, streets, utcnow(), id_range)
    if (payload.get("analyze", True) and added >= ANALYZE_AFTER
            and session.get_bind().dialect.name == "postgresql"):
        # The workers' claim query is planned from the table's statistics: refresh them now (ANALYZE counts this
        # transaction's rows) rather than a minute later by autovacuum, or the first big fan-out on a young table
        # (or one whose deliveries were all sent) re-reads every pending delivery for each batch.
        repository.analyze_deliveries(session)


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


DEFAULT_BATCH = 5000  # deliveries per worker transaction (a rate-limited gateway asks for fewer: plugins.max_batch)


_request = tuple.__new__  # SendRequest(*fields) without the keyword-argument wrapper: ~3x cheaper per send


def _channels_for(cache: dict, channels_json, groups_json, special_place, blind_spot) -> tuple[str, ...]:
    key = (channels_json, groups_json, special_place is not None and special_place != "", bool(blind_spot))
    chosen = cache.get(key)
    if chosen is None:
        channels = tuple(json.loads(channels_json) or ()) if channels_json else ()
        groups = json.loads(groups_json) if groups_json else None
        chosen = cache[key] = dissemination_rules.delivery_channels(channels, vulnerable=bool(groups), special_place=key[2],
                                                      blind_spot=key[3])[0]
    return chosen


def send_due(session: Session, *, batch: int = DEFAULT_BATCH) -> SendResult:
    """Send up to ``batch`` due deliveries in the caller's transaction (the worker commits once per batch).

    The batch's deliveries are claimed (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), every gateway gets all its sends
    at once (``ChannelGateway.send_many``, each with the idempotency key ``<CAP identifier>/<delivery>/<channel>``),
    and the outcomes are written back in the same transaction: the sent ones in one statement on PostgreSQL.
    """
    now = utcnow()
    postgres = session.get_bind().dialect.name == "postgresql"
    hint = plugins.max_batch()
    limit = min(batch, hint) if hint else batch
    rows = repository.claim_due(session, now, limit, postgres)
    result = SendResult()
    if not rows:
        return result
    messages: dict[int, tuple[str, str]] = {}
    for message_id in {row[3] for row in rows}:
        message = repository.get_message(session, message_id)
        messages[message_id] = (message.identifier, _text(repository.get_warning(session, message.warning_id), message))
    gateways: dict[str, plugins.ChannelGateway] = {}
    channel_cache: dict = {}
    # per gateway: the requests, and for each the (row index, channel) it answers
    work: dict[int, tuple[plugins.ChannelGateway, list[plugins.SendRequest], list[tuple[int, str]]]] = {}
    receipts_of: list[dict] = []
    for i, (delivery_id, _, receipts, message_id, name, contact, channels_json, groups_json, special_place,
            blind_spot) in enumerate(rows):
        identifier, text_ = messages[message_id]
        done = dict(receipts) if receipts else {}
        receipts_of.append(done)
        for channel in _channels_for(channel_cache, channels_json, groups_json, special_place, blind_spot):
            if channel in done:
                continue  # sent on an earlier attempt
            gateway = gateways.get(channel)
            if gateway is None:
                gateway = gateways[channel] = plugins.gateway_for(channel)
            entry = work.get(id(gateway))
            if entry is None:
                entry = work[id(gateway)] = (gateway, [], [])
            entry[1].append(_request(plugins.SendRequest, (f"{identifier}/{delivery_id}/{channel}", channel, name,
                                                           contact, text_, identifier)))
            entry[2].append((i, channel))
    errors: dict[int, str] = {}
    for gateway, requests, targets in work.values():
        try:
            outcomes = gateway.send_many(requests)
            if len(outcomes) != len(requests):
                raise RuntimeError(f"{gateway.name} answered {len(outcomes)} of {len(requests)} sends")
        except Exception as exc:  # noqa: BLE001 - a gateway failure is retried, never fatal to the batch
            outcomes = [exc] * len(requests)
        for (i, channel), outcome in zip(targets, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                errors[i] = f"{channel}: {type(outcome).__name__}: {outcome}"[:1000]
            else:
                receipts_of[i][channel] = outcome
    sent_ids, sent_attempts, sent_receipts, others = [], [], [], []
    for i, row in enumerate(rows):
        attempts = row[1] + 1
        error = errors.get(i)
        if error is None:
            sent_ids.append(row[0])
            sent_attempts.append(attempts)
            sent_receipts.append(receipts_of[i])
        elif attempts >= dissemination_rules.MAX_ATTEMPTS:
            others.append({"id": row[0], "status": DeliveryStatus.FAILED.value, "attempts": attempts,
                           "receipts": receipts_of[i], "last_error": error, "sent_at": None, "next_attempt_at": now})
            result.failed += 1
        else:
            delay = dissemination_rules.retry_delay_seconds(attempts) * random.uniform(0.8, 1.2)
            others.append({"id": row[0], "status": DeliveryStatus.PENDING.value, "attempts": attempts,
                           "receipts": receipts_of[i], "last_error": error, "sent_at": None,
                           "next_attempt_at": now + timedelta(seconds=delay)})
            result.retried += 1
    result.sent = len(sent_ids)
    if sent_ids and postgres:
        repository.mark_sent_pg(session, now, sent_ids, sent_attempts, sent_receipts)
    elif sent_ids:
        others.extend({"id": i, "status": DeliveryStatus.SENT.value, "attempts": a, "sent_at": now, "receipts": r,
                       "last_error": None, "next_attempt_at": now}
                      for i, a, r in zip(sent_ids, sent_attempts, sent_receipts, strict=True))
    if others:
        repository.update_deliveries(session, others)
    return result


def drain(engine, *, batch: int = DEFAULT_BATCH, outbox_batch: int = 1, until_empty: bool = True,
          idle_sleep: float = 0.5, stop=lambda: False) -> SendResult:
    """The worker loop: an outbox job (a fan-out share), then a batch of due deliveries, each its own transaction;
    so several workers share a big fan-out and send while it is still being written."""
    from dongcheng.core.db import transaction

    total = SendResult()
    while not stop():
        with transaction(engine) as session:
            claimed = outbox.claim(session, limit=outbox_batch)
            for message in claimed:
                outbox.process(session, message)
            handled = len(claimed)
        handled += outbox.run_periodic(engine)  # the modules' periodic jobs (e.g. the reporting clock's escalation)
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
    latest = msgs[-1] if msgs and warning.public else None
    counts = repository.coverage_counts(session, list(warning.area_streets or ()), latest.id if latest else None)
    total, targeted_total = counts["total"], counts["targeted_total"]
    out = {"message": None, "subscribers": total, "targeted_subscribers": targeted_total, "sent": 0, "pending": 0,
           "failed": 0, "reached_targeted": 0, "percent": None, "percent_targeted": None,
           "basis": str(dissemination_rules.DISSEMINATION)}
    if latest is None:
        return out
    by_status, reached_targeted = counts["by_status"], counts["reached_targeted"]
    sent = by_status.get(DeliveryStatus.SENT.value, 0)
    out.update(message={"seq": latest.seq, "msg_type": latest.msg_type, "identifier": latest.identifier},
               sent=sent, pending=by_status.get(DeliveryStatus.PENDING.value, 0),
               failed=by_status.get(DeliveryStatus.FAILED.value, 0), reached_targeted=reached_targeted,
               percent=dissemination_rules.coverage_percent(sent, total),
               percent_targeted=dissemination_rules.coverage_percent(reached_targeted, targeted_total))
    return out
