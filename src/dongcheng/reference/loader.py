"""Write validated reference data into the database: idempotent upserts by natural key, one transaction."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.directory.models import Person, PortfolioEntry, Post, Tenure, Unit
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
    _load_directory(session, data, units)
    for name, sha in data.hashes.items():
        session.merge(DataVersion(name=name, sha256=sha))
    report.counts = {
        "units": len(data.units), "event_types": len(data.event_types), "list_items": len(data.lists),
        "plans": len(data.plans), "leader_seats": len(data.seats), "portfolio_lines": len(data.portfolio),
        "appointment_lines": len(data.appointments),
    }
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


def _person(session: Session, people: dict[str, Person], name: str) -> Person:
    if name not in people:
        people[name] = Person(name=name)
        session.add(people[name])
        session.flush()
    return people[name]


def _load_directory(session: Session, data: ReferenceData, units: dict[str, Unit]) -> None:
    people = {p.name: p for p in session.scalars(select(Person))}
    posts = {p.code: p for p in session.scalars(select(Post))}
    government = units["区政府"]

    def post_for(code: str, title: str, unit: Unit, kind: str, full_title: str, clause: str, order: int) -> Post:
        post = posts.get(code) or Post(code=code)
        post.title, post.kind, post.unit_id, post.full_title = title, kind, unit.id, full_title
        post.clause, post.sort_order = clause, order
        if post.id is None:
            session.add(post)
            session.flush()
        posts[code] = post
        return post

    tenures = {t.source_key: t for t in session.scalars(select(Tenure).where(Tenure.source_key.is_not(None)))}
    seat_posts: dict[str, Post] = {}
    for seat in data.seats:
        post = post_for(seat.code, seat.post, government, "leader", f"北京市东城区人民政府{seat.post}", seat.clause,
                        seat.sort_order)
        seat_posts[seat.code] = post
        key = f"{seat.clause}#{seat.code}"
        tenure = tenures.get(key) or Tenure(source_key=key)
        tenure.person_id = _person(session, people, seat.holder).id
        tenure.post_id = post.id
        tenure.appointed_by, tenure.appointed_text = seat.clause, f"{seat.holder}同志（{seat.clause}）"
        if tenure.id is None:
            session.add(tenure)
        tenures[key] = tenure
    session.flush()

    session.execute(delete(PortfolioEntry).where(PortfolioEntry.post_id.in_([p.id for p in seat_posts.values()])))
    for line in data.portfolio:
        session.add(PortfolioEntry(
            post_id=seat_posts[line.seat].id, relation=line.relation, seq=line.seq, text=line.text,
            unit_id=units[line.unit].id if line.unit else None, unit_kind=line.unit_kind, clause=line.clause,
        ))
    session.flush()

    # 任免: apply in the order the government decided them (常务会议 date), then notice order.
    for row in sorted(data.appointments, key=lambda a: (a.decided_on, a.document, a.seq)):
        unit = units[row.unit]
        post = post_for(f"{unit.name}/{row.title}", row.title, unit, "unit", row.post_text, row.document, 0)
        person = _person(session, people, row.person)
        if row.action == "任命":
            tenure = tenures.get(row.source_key) or Tenure(source_key=row.source_key)
            tenure.person_id, tenure.post_id, tenure.starts_on = person.id, post.id, row.decided_on
            tenure.concurrent, tenure.probation_ends_on = row.concurrent, row.probation_ends_on
            tenure.secondment_ends_on, tenure.rank_note = row.secondment_ends_on, row.rank_note
            tenure.appointed_by, tenure.appointed_text = row.document, row.text
            # 挂职 … 到期自动免职: the tenure ends the day after the term's last day.
            if row.secondment_ends_on:
                tenure.ends_on = row.secondment_ends_on + timedelta(days=1)
                tenure.removed_by, tenure.removed_text = row.document, "挂职期满，到期自动免职"
        else:
            open_tenure = session.scalars(
                select(Tenure).where(Tenure.person_id == person.id, Tenure.post_id == post.id,
                                     Tenure.ends_on.is_(None), Tenure.source_key != row.source_key)
            ).first()
            tenure = open_tenure or tenures.get(row.source_key) or Tenure(source_key=row.source_key)
            tenure.person_id, tenure.post_id = person.id, post.id
            tenure.ends_on, tenure.removed_by, tenure.removed_text = row.decided_on, row.document, row.text
            tenure.rank_note = tenure.rank_note or row.rank_note
        if tenure.id is None:
            session.add(tenure)
        tenures[row.source_key] = tenure
        session.flush()
