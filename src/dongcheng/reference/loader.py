"""Write validated reference data into the database: idempotent upserts by natural key, one transaction.

The directory's people, seats, tenures and portfolio lines are not loaded from here: a fresh database builds them from
the gazette text (provision.build_directory); data/directory/leaders.yaml and appointments.yaml are read and validated
as the transcription that build is checked against."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.directory.models import Unit
from dongcheng.reference.files import ReferenceData, read_reference
from dongcheng.reference.models import DataVersion, EventType, EventTypeLead, Plan, ReferenceItem


@dataclass
class LoadReport:
    changed_files: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.changed_files)


def load_reference(session: Session, data_dir: Path, *, actor: audit.Actor = audit.SYSTEM,
                   force: bool = False) -> LoadReport:
    data = read_reference(data_dir)
    loaded = {v.name: v.sha256 for v in session.scalars(select(DataVersion))}
    changed = [name for name, sha in data.hashes.items() if loaded.get(name) != sha]
    report = LoadReport(changed_files=changed if not force else sorted(data.hashes))
    if not changed and not force:
        return report
    units = _load_units(session, data)
    _load_event_types(session, data, units)
    _load_lists(session, data)
    _load_plans(session, data, units)
    for name, sha in data.hashes.items():
        session.merge(DataVersion(name=name, sha256=sha))
    report.counts = {
        "units": len(data.units), "event_types": len(data.event_types), "list_items": len(data.lists),
        "plans": len(data.plans),
    }  # the directory's seats, portfolio and 任免 lines are built from the gazette text (provision.build_directory)
    audit.record(session, actor=actor, action="reference.load", target_type="reference", target_id="data",
                 basis="东政发〔2022〕3号; 东政办发〔2021〕18号; 东政任〔2021〕21/22号; 东政任〔2022〕1/2号",
                 before={k: loaded.get(k) for k in data.hashes}, after=dict(data.hashes))
    session.flush()
    return report


def _load_units(session: Session, data: ReferenceData) -> dict[str, Unit]:
    existing = {u.name: u for u in session.scalars(select(Unit))}
    for row in data.units:
        unit = existing.get(row.name) or Unit(name=row.name)
        unit.full_name, unit.kind, unit.aliases = row.full_name, row.kind, list(row.aliases)
        unit.clause, unit.note, unit.sort_order = row.clause, row.note, row.sort_order
        unit.emergency_office = row.emergency_office
        if unit.id is None:
            session.add(unit)
        existing[row.name] = unit
    session.flush()
    for row in data.units:
        existing[row.name].parent_id = existing[row.parent].id if row.parent else None
    session.flush()
    return existing


def _load_event_types(session: Session, data: ReferenceData, units: dict[str, Unit]) -> None:
    existing = {e.no: e for e in session.scalars(select(EventType))}
    for row in data.event_types:
        et = existing.get(row.no) or EventType(no=row.no)
        et.name, et.full_name, et.category, et.clause = row.name, row.full_name, row.category, row.clause
        if et.id is None:
            session.add(et)
            session.flush()
        session.execute(delete(EventTypeLead).where(EventTypeLead.event_type_id == et.id))
        session.flush()
        session.expire(et, ["leads"])
        for position, name in enumerate(row.lead_departments, 1):
            session.add(EventTypeLead(event_type_id=et.id, position=position, unit_id=units[name].id))
    session.flush()


def _load_lists(session: Session, data: ReferenceData) -> None:
    session.execute(delete(ReferenceItem))
    for item in (*data.categories, *data.lists):
        session.add(ReferenceItem(list_name=item.list_name, seq=item.seq, text=item.text, attrs=item.attrs,
                                  clause=item.clause))
    session.flush()


def _load_plans(session: Session, data: ReferenceData, units: dict[str, Unit]) -> None:
    existing = {p.name: p for p in session.scalars(select(Plan))}
    for row in data.plans:
        plan = existing.get(row.name) or Plan(name=row.name)
        plan.kind, plan.category, plan.seq, plan.clause = row.kind, row.category, row.seq, row.clause
        plan.lead_unit_id = units[row.lead].id
        if plan.id is None:
            session.add(plan)
    session.flush()
