"""Transactional outbox: a message is enqueued in the caller's transaction (so it exists iff the change committed)
and worker processes drain it. On PostgreSQL several workers share the queue with ``FOR UPDATE SKIP LOCKED``;
on SQLite writers are serialised by ``BEGIN IMMEDIATE``.

A handler runs inside the worker's transaction: its writes and the message's "done" mark commit together, so a
worker killed mid-way leaves the message pending and another worker redoes it. Handlers must therefore be
idempotent (the warning fan-out inserts with the deliveries' idempotency key).
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import JSON, Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from dongcheng.core.db import Base, UTCDateTime
from dongcheng.core.time import utcnow

log = logging.getLogger("dongcheng.outbox")

MAX_ATTEMPTS = 8


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_queue", "status", "available_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | done | dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    available_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)


Handler = Callable[[Session, dict], None]
_HANDLERS: dict[str, Handler] = {}


def handler(topic: str) -> Callable[[Handler], Handler]:
    """Register the function that processes messages of ``topic`` (in the worker's transaction)."""

    def _register(fn: Handler) -> Handler:
        _HANDLERS[topic] = fn
        return fn

    return _register


Periodic = Callable[[Session, datetime], int]
_PERIODIC: dict[str, tuple[float, Periodic]] = {}
_last_run: dict[str, float] = {}


def periodic(name: str, *, every_seconds: float) -> Callable[[Periodic], Periodic]:
    """Register a job the worker runs every ``every_seconds`` in its own transaction (``fn(session, now)`` → the
    work it did). Jobs must be idempotent: several workers run them, and a killed one redoes nothing twice."""

    def _register(fn: Periodic) -> Periodic:
        _PERIODIC[name] = (every_seconds, fn)
        return fn

    return _register


def run_periodic(engine, *, clock: Callable[[], float] = time.monotonic) -> int:
    """Run each periodic job whose interval has passed since its last run in this process; returns the work done.
    A failing job is logged and tried again at its next interval."""
    from dongcheng.core.db import transaction

    done = 0
    for name, (every, fn) in list(_PERIODIC.items()):
        started = clock()
        if started - _last_run.get(name, float("-inf")) < every:
            continue
        _last_run[name] = started
        try:
            with transaction(engine) as session:
                done += int(fn(session, utcnow()) or 0)
        except Exception:  # noqa: BLE001 - a periodic job's failure must not stop the worker
            log.exception("periodic job %s failed", name)
    return done


def enqueue(session: Session, topic: str, payload: dict, *, delay_seconds: float = 0) -> OutboxMessage:
    """Add a message in the caller's transaction; never commits."""
    msg = OutboxMessage(topic=topic, payload=payload, status="pending", attempts=0,
                        available_at=utcnow() + timedelta(seconds=delay_seconds))
    session.add(msg)
    session.flush()
    return msg


def claim(session: Session, *, limit: int = 10) -> list[OutboxMessage]:
    """Lock up to ``limit`` due messages; other workers skip them (PostgreSQL) or wait (SQLite)."""
    stmt = (select(OutboxMessage).where(OutboxMessage.status == "pending", OutboxMessage.available_at <= utcnow())
            .order_by(OutboxMessage.id).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return list(session.scalars(stmt))


@dataclass
class DrainResult:
    done: int = 0
    failed: int = 0


def process(session: Session, msg: OutboxMessage) -> bool:
    """Run one message's handler in a savepoint; on error, schedule a retry with backoff (or give up)."""
    fn = _HANDLERS.get(msg.topic)
    try:
        if fn is None:
            raise LookupError(f"no handler for topic {msg.topic!r}")
        with session.begin_nested():
            fn(session, msg.payload)
    except Exception as exc:  # noqa: BLE001 - any handler failure is retried, then parked
        msg.attempts += 1
        msg.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if msg.attempts >= MAX_ATTEMPTS:
            msg.status = "dead"
        else:
            msg.available_at = utcnow() + timedelta(seconds=min(600, 5 * 2 ** (msg.attempts - 1)))
        log.warning("outbox message %s (%s) failed: %s", msg.id, msg.topic, msg.last_error)
        return False
    msg.status, msg.processed_at, msg.attempts = "done", utcnow(), msg.attempts + 1
    return True
