"""Every query of the warning module: warnings, their records, messages, deliveries and the subscriber registry.

The services (service.py, dissemination.py, subscribers.py) load and write through these functions and never build a
``select`` themselves. Nothing here decides or commits: the caller's transaction holds it all.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

from sqlalchemy import Text, and_, case, cast, exists, func, insert, literal, or_, select, text, update
from sqlalchemy.orm import Session

from dongcheng.audit.models import AuditEntry
from dongcheng.directory.models import Unit
from dongcheng.emergency.warnings.enums import DeliveryStatus, Status
from dongcheng.emergency.warnings.models import (
    Delivery,
    EarlyWarning,
    Subscriber,
    WarningChecklistItem,
    WarningFiling,
    WarningLevelChange,
    WarningMessage,
    WarningNotice,
)
from dongcheng.reference.models import ReferenceItem

# --- warnings ---------------------------------------------------------------------------------------------------


def unit_by_id(session: Session, unit_id: int | None) -> Unit | None:
    return session.get(Unit, unit_id) if unit_id else None


def get_warning(session: Session, warning_id: int) -> EarlyWarning | None:
    return session.get(EarlyWarning, warning_id)


def lock_warning(session: Session, warning_id: int) -> EarlyWarning | None:
    """The warning as it is now, re-read (``populate_existing``) and on PostgreSQL locked ``FOR UPDATE`` until commit:
    of two approvers, the second reads it after the first has moved it."""
    stmt = select(EarlyWarning).where(EarlyWarning.id == warning_id).execution_options(populate_existing=True)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=EarlyWarning)
    return session.scalar(stmt)


def warnings(session: Session, *, status: str | None = None) -> Iterator[EarlyWarning]:
    """Every warning, newest first (the caller filters what the reader may see)."""
    stmt = select(EarlyWarning).order_by(EarlyWarning.id.desc())
    if status:
        stmt = stmt.where(EarlyWarning.status == status)
    return iter(session.scalars(stmt))


def public_published(session: Session) -> list[EarlyWarning]:
    """The published, unlifted public warnings, latest publication first."""
    return list(session.scalars(
        select(EarlyWarning).where(EarlyWarning.status == Status.PUBLISHED, EarlyWarning.public.is_(True))
        .order_by(EarlyWarning.published_at.desc(), EarlyWarning.id.desc())
    ))


def public_feed_messages(session: Session, since: datetime) -> list[tuple[WarningMessage, EarlyWarning]]:
    """The CAP messages of public warnings (in force or lifted) sent since ``since``, plus every message of the
    warnings still in force; newest first (dissemination_rules.in_feed picks the entries)."""
    stmt = (select(WarningMessage, EarlyWarning).join(EarlyWarning, WarningMessage.warning_id == EarlyWarning.id)
            .where(EarlyWarning.public.is_(True), EarlyWarning.status.in_([Status.PUBLISHED, Status.LIFTED]),
                   or_(WarningMessage.sent_at >= since, EarlyWarning.status == Status.PUBLISHED))
            .order_by(WarningMessage.sent_at.desc(), WarningMessage.id.desc()))
    return [(m, w) for m, w in session.execute(stmt).all()]


def in_progress(session: Session) -> Iterator[EarlyWarning]:
    """Drafts, proposals and approved warnings not yet published, oldest first (what may wait for someone)."""
    stmt = select(EarlyWarning).where(EarlyWarning.status.in_([Status.DRAFT, Status.SUBMITTED, Status.APPROVED]))
    return iter(session.scalars(stmt.order_by(EarlyWarning.id)))


def audit_entries(session: Session, *, action: str, target_type: str, target_id: int) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(
        AuditEntry.action == action, AuditEntry.target_type == target_type,
        AuditEntry.target_id == str(target_id)).order_by(AuditEntry.id)))


def measure_items(session: Session, list_name: str) -> list[ReferenceItem]:
    """The §3.2.5 measures of one list (``blue_yellow``, ``orange_red``) as data/emergency/lists.yaml has them."""
    return list(session.scalars(select(ReferenceItem).where(ReferenceItem.list_name == f"warning_measures.{list_name}")
                                .order_by(ReferenceItem.seq)))


def checklist_keys(session: Session, warning_id: int) -> set[tuple[int, str, int]]:
    """(unit id, list, seq) of the measures a warning's checklist already holds."""
    return set(session.execute(select(WarningChecklistItem.unit_id, WarningChecklistItem.list_name,
                                      WarningChecklistItem.seq).where(WarningChecklistItem.warning_id == warning_id)))


def history(session: Session, warning_id: int) -> dict:
    """A warning's level changes, filings, notices and checklist, each in the order it was written."""
    return {
        "level_changes": list(session.scalars(select(WarningLevelChange).where(
            WarningLevelChange.warning_id == warning_id).order_by(WarningLevelChange.id))),
        "filings": list(session.scalars(select(WarningFiling).where(
            WarningFiling.warning_id == warning_id).order_by(WarningFiling.id))),
        "notices": list(session.scalars(select(WarningNotice).where(
            WarningNotice.warning_id == warning_id).order_by(WarningNotice.id))),
        "checklist": list(session.scalars(select(WarningChecklistItem).where(
            WarningChecklistItem.warning_id == warning_id).order_by(
            WarningChecklistItem.unit_id, WarningChecklistItem.list_name, WarningChecklistItem.seq))),
    }


# --- messages ---------------------------------------------------------------------------------------------------


def messages_of(session: Session, warning_id: int) -> list[WarningMessage]:
    return list(session.scalars(select(WarningMessage).where(WarningMessage.warning_id == warning_id)
                                .order_by(WarningMessage.seq)))


def latest_message(session: Session, warning_id: int) -> WarningMessage | None:
    return session.scalar(select(WarningMessage).where(WarningMessage.warning_id == warning_id)
                          .order_by(WarningMessage.seq.desc()).limit(1))


def get_message(session: Session, message_id: int) -> WarningMessage | None:
    return session.get(WarningMessage, message_id)


def identifier_suffixes(session: Session, prefix: str) -> set[str]:
    """The last characters of the CAP identifiers already taken under ``prefix`` (one second's slots)."""
    return {row[-1] for row in session.scalars(
        select(WarningMessage.identifier).where(WarningMessage.identifier.like(f"{prefix}%")))}


# --- fan-out and deliveries -------------------------------------------------------------------------------------


def _affected(streets: Sequence[str], id_range: tuple[int, int] | None) -> tuple:
    conditions = (Subscriber.active.is_(True), Subscriber.street.in_(list(streets)))
    if id_range is not None:
        conditions = (*conditions, Subscriber.id.between(*id_range))
    return conditions


def affected_span(session: Session, streets: Sequence[str]) -> tuple[int, int | None, int | None]:
    """(count, lowest id, highest id) of the active subscribers in ``streets``."""
    n, first, last = session.execute(select(func.count(), func.min(Subscriber.id), func.max(Subscriber.id))
                                      .where(*_affected(streets, None))).one()
    return n, first, last


def add_deliveries(session: Session, message_id: int, streets: Sequence[str], now: datetime,
                   id_range: tuple[int, int] | None = None) -> int:
    """INSERT … SELECT one pending delivery per active subscriber of ``streets`` (within ``id_range``) that has none
    for this message yet; returns how many were added (a re-run adds nothing)."""
    source = (
        select(literal(message_id), Subscriber.id, literal(DeliveryStatus.PENDING.value), literal(0), literal(now,
               type_=Delivery.__table__.c.next_attempt_at.type))
        .where(*_affected(streets, id_range))
        .where(~exists().where(and_(Delivery.message_id == message_id, Delivery.subscriber_id == Subscriber.id)))
    )
    return session.connection().execute(insert(Delivery.__table__).from_select(
        ["message_id", "subscriber_id", "status", "attempts", "next_attempt_at"], source),
        execution_options={"preserve_rowcount": True}).rowcount


def analyze_deliveries(session: Session) -> None:
    """Refresh the planner's statistics of ``deliveries`` (PostgreSQL; ANALYZE counts this transaction's rows)."""
    session.execute(text("ANALYZE deliveries"))


# The sent rows of a batch in one statement. The batch travels as one JSON document ([[id, attempts, receipts], …],
# encoded by the C encoder) and the ids as one array literal: psycopg's list adapter is pure Python, and that
# was the largest cost in the worker. ``= ANY(ids)``: primary-key lookups whatever the planner's estimates.
_SENT_PG = text(
    "UPDATE deliveries AS d SET status = 'sent', attempts = (e->>1)::integer, sent_at = :now, next_attempt_at = :now, "
    "receipts = e->2, last_error = NULL "
    "FROM json_array_elements(CAST(:batch AS json)) AS e "
    "WHERE d.id = ANY(CAST(:ids AS bigint[])) AND d.id = (e->>0)::bigint")
_RECIPIENTS_PG = text(
    "SELECT id, name, contact, CAST(channels AS text), CAST(vulnerable_groups AS text), special_place, blind_spot "
    "FROM subscribers WHERE id = ANY(CAST(:ids AS integer[]))")


def _array_literal(ids: Iterable[int]) -> str:
    return "{" + ",".join(map(str, ids)) + "}"


def claim_due(session: Session, now: datetime, limit: int, postgres: bool) -> list[tuple]:
    """Lock up to ``limit`` due deliveries (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite writers are serialised)
    in due order along ix_deliveries_queue, then read their recipients by primary key.

    Rows: (id, attempts, receipts, message_id, name, contact, channels JSON text, vulnerable_groups JSON text,
    special_place, blind_spot) — the JSON columns as text: a batch has a handful of distinct values to parse.
    """
    d, s = Delivery.__table__, Subscriber.__table__
    claim = (select(d.c.id, d.c.attempts, d.c.receipts, d.c.message_id, d.c.subscriber_id)
             .where(d.c.status == DeliveryStatus.PENDING.value, d.c.next_attempt_at <= now)
             .order_by(d.c.next_attempt_at).limit(limit))
    if postgres:
        claim = claim.with_for_update(skip_locked=True)
    claimed = session.execute(claim).all()
    if not claimed:
        return []
    ids = sorted({row[4] for row in claimed})
    recipients: dict[int, tuple] = {}
    if postgres:
        recipients = {r[0]: r for r in session.execute(_RECIPIENTS_PG, {"ids": _array_literal(ids)})}
    else:  # within SQLite's limit on bound parameters
        cols = (s.c.id, s.c.name, s.c.contact, cast(s.c.channels, Text), cast(s.c.vulnerable_groups, Text),
                s.c.special_place, s.c.blind_spot)
        for k in range(0, len(ids), 5000):
            recipients.update((r[0], r) for r in session.execute(select(*cols).where(s.c.id.in_(ids[k:k + 5000]))))
    return [(i, attempts, receipts, message_id, *recipients[sub][1:])
            for i, attempts, receipts, message_id, sub in claimed]


def mark_sent_pg(session: Session, now: datetime, ids: list[int], attempts: list[int], receipts: list[dict]) -> None:
    """PostgreSQL: the sent deliveries of a batch in one UPDATE."""
    session.execute(_SENT_PG, {"now": now, "ids": _array_literal(ids), "batch": json.dumps(
        list(zip(ids, attempts, receipts, strict=True)), ensure_ascii=False)})


def update_deliveries(session: Session, rows: list[dict]) -> None:
    """Write back each delivery's outcome (bulk UPDATE by primary key)."""
    session.execute(update(Delivery), rows)


def coverage_counts(session: Session, streets: Sequence[str], message_id: int | None) -> dict:
    """Active subscribers of ``streets`` (all, targeted) and, for ``message_id``, deliveries by status and the
    targeted subscribers reached."""
    base = select(func.count()).select_from(Subscriber).where(Subscriber.active.is_(True),
                                                              Subscriber.street.in_(list(streets)))
    out = {"total": session.scalar(base) or 0,
           "targeted_total": session.scalar(base.where(Subscriber.targeted.is_(True))) or 0}
    if message_id is not None:
        out["by_status"] = dict(session.execute(select(Delivery.status, func.count())
                                                .where(Delivery.message_id == message_id)
                                                .group_by(Delivery.status)).all())
        out["reached_targeted"] = session.scalar(
            select(func.count()).select_from(Delivery).join(Subscriber, Subscriber.id == Delivery.subscriber_id)
            .where(Delivery.message_id == message_id, Delivery.status == DeliveryStatus.SENT,
                   Subscriber.targeted.is_(True))) or 0
    return out


# --- the subscriber registry ------------------------------------------------------------------------------------


def subscribers_page(session: Session, *, street: str | None, query: str | None, targeted: bool | None,
                     include_inactive: bool, limit: int, offset: int) -> tuple[list[Subscriber], int]:
    """A page of the registry, newest first, and how many match in all."""
    conditions = []
    if street:
        conditions.append(Subscriber.street == street)
    if query:
        # autoescape: a % or _ typed in the search box is that character, not a wildcard matching everyone
        q = query.strip()
        conditions.append(or_(Subscriber.name.contains(q, autoescape=True), Subscriber.contact.contains(q, autoescape=True)))
    if targeted is not None:
        conditions.append(Subscriber.targeted.is_(targeted))
    if not include_inactive:
        conditions.append(Subscriber.active.is_(True))
    total = session.scalar(select(func.count()).select_from(Subscriber).where(*conditions)) or 0
    rows = session.scalars(select(Subscriber).where(*conditions).order_by(Subscriber.id.desc())
                           .limit(limit).offset(offset))
    return list(rows), total


def subscribers_per_street(session: Session, *, street: str | None) -> list[tuple[str, int, int]]:
    """(street, active subscribers, targeted ones) per street."""
    targeted = func.sum(case((Subscriber.targeted.is_(True), 1), else_=0))
    query = (select(Subscriber.street, func.count(), targeted).where(Subscriber.active.is_(True))
             .group_by(Subscriber.street).order_by(Subscriber.street))
    if street:
        query = query.where(Subscriber.street == street)
    return [(s, n, int(t or 0)) for s, n, t in session.execute(query).all()]


def next_subscriber_id(session: Session) -> int:
    return (session.scalar(select(func.max(Subscriber.id))) or 0) + 1


def insert_subscribers(session: Session, rows: Iterable[tuple], *, now: datetime, chunk: int = 20000) -> None:
    """Bulk insert of active registry rows (kind, name, street, contact, channels, vulnerable_groups, special_place,
    blind_spot, targeted): COPY on PostgreSQL, batched INSERTs elsewhere."""
    if session.get_bind().dialect.name == "postgresql":
        cursor = session.connection().connection.driver_connection.cursor()
        with cursor.copy("COPY subscribers (kind, name, street, contact, channels, vulnerable_groups, special_place, "
                         "blind_spot, targeted, active, created_at) FROM STDIN") as copy:
            for kind, name, street, contact, ch, vg, sp, bs, tg in rows:
                copy.write_row((kind, name, street, contact, json.dumps(ch, ensure_ascii=False),
                                json.dumps(vg, ensure_ascii=False), sp, bs, tg, True, now))
        return
    table = Subscriber.__table__
    buffer: list[dict] = []
    for kind, name, street, contact, ch, vg, sp, bs, tg in rows:
        buffer.append({"kind": kind, "name": name, "street": street, "contact": contact, "channels": ch,
                       "vulnerable_groups": vg, "special_place": sp, "blind_spot": bs, "targeted": tg,
                       "active": True, "created_at": now})
        if len(buffer) >= chunk:
            session.execute(insert(table), buffer)
            buffer = []
    if buffer:
        session.execute(insert(table), buffer)


def titled(session: Session, prefix: str) -> bool:
    """Whether a warning titled ``prefix…`` exists (the demo scenario's mark)."""
    return session.scalar(select(func.count()).select_from(EarlyWarning).where(EarlyWarning.title.startswith(prefix))) > 0


def has_subscribers(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(Subscriber)) > 0
