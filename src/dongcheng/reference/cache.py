"""The reference data intake reads on every report, kept in memory: the units (streets, the key area, the lead
departments, the 区应急办's seat) and the 36 event types of table §2.3.6 with their lead departments.

Each read costs one statement: the generation token (``reference_generation``), which a trigger on ``units``,
``event_types`` and ``event_type_leads`` replaces in any transaction that changes them (migration n1a0refgen) — the
reference loader, the directory service, a confirmed gazette change, an operator's SQL. A token other than the one the
kept copy was loaded under reloads it (four statements), in the reading transaction, so a request sees the reference
rows its own transaction sees. Every process (``serve --workers 2``, the worker, the CLI) checks for itself.

What is kept is plain frozen data (``UnitRef``, ``EventTypeRef``), never ORM objects: they outlive the session that
read them and are shared by the threads of the process.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from dongcheng.directory.models import Unit
from dongcheng.directory.units import UnitIndex, UnitRow
from dongcheng.reference.models import EventType, EventTypeLead

TOKEN = text("SELECT token FROM reference_generation WHERE id = 1")


@dataclass(frozen=True)
class UnitRef:
    id: int
    name: str
    kind: str
    parent_id: int | None
    emergency_office: bool


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
    refs = {u.id: UnitRef(u.id, u.name, u.kind, u.parent_id, bool(u.emergency_office)) for u in units}
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


def current(session: Session) -> Reference:
    """The reference data as the session's transaction sees it: the kept copy when its token is the database's."""
    token = session.execute(TOKEN).scalar_one()
    key = session.get_bind().engine.url.render_as_string(hide_password=False)
    kept = _kept.get(key)
    if kept is not None and kept.token == token:
        return kept
    fresh = _load(session, token)
    with _lock:
        _kept[key] = fresh
    return fresh
