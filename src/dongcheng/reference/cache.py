"""The reference data intake reads on every report, kept in memory: the units (streets, the key area, the lead
departments, the 区应急办's seat) and the 36 event types of table §2.3.6 with their lead departments.

Each read costs one statement (none when the caller's token lookup read it in the same transaction: ``seen``): the
generation token (``reference_generation``), which a trigger on ``units``,
``event_types`` and ``event_type_leads`` replaces in any transaction that changes them (migration n1a0refgen) — the
reference loader, the directory service, a confirmed gazette change, an operator's SQL. A token other than the one the
kept copy was loaded under reloads it (four statements), in the reading transaction, so a request sees the reference
rows its own transaction sees. Every process (``serve --workers 2``, the worker, the CLI) checks for itself.

What is kept is plain frozen data (``UnitRef``, ``EventTypeRef``), never ORM objects: they outlive the session that
read them and are shared by the threads of the process.
"""
from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field

from sqlalchemy import event, literal_column, select, text
from sqlalchemy.orm import Session

from dongcheng.directory.models import Unit
from dongcheng.directory.units import UnitIndex, UnitRow
from dongcheng.reference.models import EventType, EventTypeLead

TOKEN = text("SELECT token FROM reference_generation WHERE id = 1")
# The same token as a column of another statement: the caller's token lookup reads it on every request (auth.repository),
# and ``seen`` keeps it for the transaction, so ``current`` needs no statement of its own (a round trip on PostgreSQL).
TOKEN_COLUMN = literal_column("(SELECT token FROM reference_generation WHERE id = 1)")
_SEEN = "dongcheng_reference_token"


@dataclass(frozen=True, slots=True)
class UnitRef:
    """A unit as plain data: the reference cache's, and the signed-in caller's (auth.records.Account.unit)."""

    id: int
    name: str
    kind: str
    parent_id: int | None
    emergency_office: bool
    full_name: str = ""


@dataclass(frozen=True)
class EventTypeRef:
    id: int
    name: str
    full_name: str
    category: str
    clause: str
    leads: tuple[UnitRef, ...]  # table §2.3.6's 处置主责部门, in its order


@dataclass(frozen=True)
class Reference:
    token: str
    units: dict[int, UnitRef]
    _by_name: dict[str, UnitRef]  # name and full name (directory.repository.unit_by_name)
    _index: UnitIndex  # every printed form (directory.service.find_unit)
    _event_types: dict[str, EventTypeRef]  # name and full name (reference.repository.find_event_type)
    event_types: dict[int, EventTypeRef]  # by id
    emergency_office_seat: UnitRef | None = field(default=None)

    def unit(self, name: str) -> UnitRef | None:
        """As ``directory.service.find_unit``: by name or full name, else by any alias printed in the gazette."""
        found = self._by_name.get(name)
        if found is None:
            canonical = self._index.resolve(name)
            found = self._by_name.get(canonical) if canonical else None
        return found

    def event_type(self, name: str) -> EventTypeRef | None:
        return self._event_types.get(name)


_lock = threading.Lock()
_kept: dict[str, Reference] = {}  # by database URL


def _load(session: Session, token: str) -> Reference:
    units = list(session.execute(select(Unit.id, Unit.name, Unit.full_name, Unit.kind, Unit.aliases, Unit.parent_id,
                                        Unit.emergency_office, Unit.clause, Unit.sort_order)
                                 .order_by(Unit.id)))
    refs = {u.id: UnitRef(u.id, u.name, u.kind, u.parent_id, bool(u.emergency_office), u.full_name) for u in units}
    by_name: dict[str, UnitRef] = {}
    for u in units:  # a name before any full name, as unit_by_name's OR finds the one row holding either
        by_name.setdefault(u.name, refs[u.id])
    for u in units:
        by_name.setdefault(u.full_name, refs[u.id])
    index = UnitIndex([UnitRow(u.name, u.full_name, u.kind, tuple(u.aliases or ()), None, u.clause, "", 0)
                       for u in units])
    leads: dict[int, list[UnitRef]] = {}
    for event_type_id, unit_id in session.execute(select(EventTypeLead.event_type_id, EventTypeLead.unit_id)
                                                  .order_by(EventTypeLead.event_type_id, EventTypeLead.position)):
        leads.setdefault(event_type_id, []).append(refs[unit_id])
    types: dict[str, EventTypeRef] = {}
    by_id: dict[int, EventTypeRef] = {}
    rows = list(session.execute(select(EventType.id, EventType.name, EventType.full_name, EventType.category,
                                       EventType.clause).order_by(EventType.no)))
    for row in rows:
        ref = EventTypeRef(row.id, row.name, row.full_name, row.category, row.clause, tuple(leads.get(row.id, ())))
        types.setdefault(row.name, ref)
        by_id[row.id] = ref
    for ref in list(types.values()):
        types.setdefault(ref.full_name, ref)
    seat = next((u for u in sorted(units, key=lambda u: (u.sort_order, u.id))
                 if u.emergency_office and not (u.parent_id and refs[u.parent_id].emergency_office)), None)
    return Reference(token, refs, by_name, index, types, by_id, refs[seat.id] if seat else None)


@event.listens_for(Session, "after_flush")
def _forget_after_flush(session: Session, _context) -> None:
    session.info.pop(_SEEN, None)  # the flush may have changed a unit (the trigger replaced the token)


@event.listens_for(Session, "do_orm_execute")
def _forget_after_a_write(state) -> None:
    if not state.is_select:  # an INSERT, UPDATE or DELETE (or a text() statement) may change a reference table
        state.session.info.pop(_SEEN, None)


@functools.lru_cache(maxsize=16)
def _database_key(url) -> str:
    """The kept copy's key: the database's URL as text (rendered once per URL, not on every request)."""
    return url.render_as_string(hide_password=False)


def seen(session: Session, token: str) -> None:
    """``token`` (TOKEN_COLUMN) was read in the session's current transaction: ``current`` uses it while that
    transaction lasts and writes nothing. A token read in a transaction that has ended (a SQLite writer's own read
    transaction for its token lookup, api/deps.py) is not used — unless ``carry`` kept it for the next transaction
    (PostgreSQL) — nor after the session flushed or executed a write: then ``current`` reads the token again, so a
    transaction sees its own change of a unit."""
    session.info[_SEEN] = (session.get_transaction(), token)


_NEXT = "the session's next transaction"


def carry(session: Session) -> None:
    """PostgreSQL: the token ``seen`` in a transaction that has just ended (a writer's token lookup, in autocommit:
    api/deps.py) serves the session's next transaction too, until the session writes (flush, or any write statement:
    the listeners above). Under READ COMMITTED each statement sees what was committed before it began, so the token
    read just before the transaction is as current as one its own first statement would read. Not on SQLite, where a
    transaction reads one snapshot, taken when it begins: there ``current`` reads the token again."""
    read = session.info.get(_SEEN)
    if read is not None:
        session.info[_SEEN] = (_NEXT, read[1])


def current(session: Session) -> Reference:
    """The reference data as the session's transaction sees it: the kept copy when its token is the database's."""
    read = session.info.get(_SEEN)
    transaction = session.get_transaction()
    if read is not None and (read[0] is _NEXT or (transaction is not None and read[0] is transaction)):
        token = read[1]
    else:
        token = session.execute(TOKEN).scalar_one()
    key = _database_key(session.get_bind().engine.url)
    kept = _kept.get(key)
    if kept is not None and kept.token == token:
        return kept
    fresh = _load(session, token)
    with _lock:
        _kept[key] = fresh
    return fresh
