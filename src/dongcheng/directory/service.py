"""Directory queries and the appointments an administrator records after the gazette."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.calendar.dates import add_months_last_day
from dongcheng.core.basis import Basis
from dongcheng.core.db import get_or_404
from dongcheng.core.errors import DomainError, FieldError
from dongcheng.core.time import today_local
from dongcheng.directory.models import Person, PortfolioEntry, Post, Tenure, Unit
from dongcheng.directory.rules import PortfolioLine, choose_supervisor, holds_on
from dongcheng.directory.units import UnitIndex, UnitRow


def list_units(session: Session, kind: str | None = None) -> list[Unit]:
    stmt = select(Unit).order_by(Unit.sort_order, Unit.id)
    if kind:
        stmt = stmt.where(Unit.kind == kind)
    return list(session.scalars(stmt))


def find_unit(session: Session, name: str) -> Unit | None:
    """By canonical name, full name or any alias printed in the gazette."""
    unit = session.scalar(select(Unit).where(or_(Unit.name == name, Unit.full_name == name)))
    if unit:
        return unit
    units = list_units(session)
    index = UnitIndex([UnitRow(u.name, u.full_name, u.kind, tuple(u.aliases or ()), None, u.clause, "", 0)
                       for u in units])
    canonical = index.resolve(name)
    return next((u for u in units if u.name == canonical), None) if canonical else None


def get_unit(session: Session, unit_id: int) -> Unit:
    return get_or_404(session, Unit, unit_id, "单位", "unit")


def get_person(session: Session, person_id: int) -> Person:
    return get_or_404(session, Person, person_id, "人员", "person")


def list_people(session: Session) -> list[Person]:
    return list(session.scalars(select(Person).order_by(Person.id)))


def find_post(session: Session, code: str) -> Post | None:
    return session.scalar(select(Post).where(Post.code == code))


def posts_of_unit(session: Session, unit: Unit) -> list[Post]:
    return list(session.scalars(select(Post).where(Post.unit_id == unit.id).order_by(Post.sort_order, Post.id)))


def holders_of(session: Session, post: Post, on: date | None = None) -> list[tuple[Person, Tenure]]:
    """Who holds post P on date D (a deputy post can have several holders)."""
    day = on or today_local()
    return [(p, t) for p, t in tenures_of_post(session, post) if holds_on(t.starts_on, t.ends_on, day)]


def tenures_of_post(session: Session, post: Post) -> list[tuple[Person, Tenure]]:
    return list(session.execute(
        select(Person, Tenure).join(Tenure, Tenure.person_id == Person.id).where(Tenure.post_id == post.id)
        .order_by(Tenure.starts_on.is_(None).desc(), Tenure.starts_on, Tenure.id)
    ).tuples())


def tenures_of(session: Session, person: Person) -> list[tuple[Post, Tenure, Unit | None]]:
    """The posts of person X over time (every tenure, oldest first)."""
    rows = session.execute(
        select(Post, Tenure, Unit).join(Tenure, Tenure.post_id == Post.id).outerjoin(Unit, Unit.id == Post.unit_id)
        .where(Tenure.person_id == person.id).order_by(Tenure.starts_on.is_(None).desc(), Tenure.starts_on, Tenure.id)
    ).tuples()
    return list(rows)


def posts_held(session: Session, person_id: int | None, on: date | None = None) -> list[Post]:
    if person_id is None:
        return []
    day = on or today_local()
    rows = session.execute(
        select(Post, Tenure).join(Tenure, Tenure.post_id == Post.id).where(Tenure.person_id == person_id)
    ).all()
    return [post for post, t in rows if holds_on(t.starts_on, t.ends_on, day)]


def leader_seats(session: Session) -> list[Post]:
    return list(session.scalars(select(Post).where(Post.kind == "leader").order_by(Post.sort_order)))


def portfolio_of(session: Session, post: Post) -> list[PortfolioEntry]:
    return list(session.scalars(
        select(PortfolioEntry).where(PortfolioEntry.post_id == post.id).order_by(PortfolioEntry.seq)
    ))


@dataclass(frozen=True)
class LeaderRef:
    relation: str
    post_code: str
    post_title: str
    person: str | None
    text: str
    clause: str
    via_unit: str

    def to_dict(self) -> dict:
        return {"relation": self.relation, "post": self.post_title, "post_code": self.post_code,
                "person": self.person, "portfolio_line": self.text, "basis": self.clause, "via_unit": self.via_unit}


@dataclass(frozen=True)
class SupervisingLeader:
    unit: str
    leader: LeaderRef | None
    assisting: tuple[LeaderRef, ...]
    basis: Basis

    def to_dict(self) -> dict:
        return {"unit": self.unit, "leader": self.leader.to_dict() if self.leader else None,
                "assisting": [a.to_dict() for a in self.assisting], "basis": str(self.basis),
                "must_designate": self.leader is None}


def supervising_leader(session: Session, unit: Unit, on: date | None = None) -> SupervisingLeader:
    """分管 first, then 协助分管, then 联系; a unit with no line of its own takes its parent's (东政办发〔2021〕18号)."""
    day = on or today_local()
    current: Unit | None = unit
    lines: list[PortfolioLine] = []
    seats: dict[str, Post] = {}
    while current is not None and not lines:
        rows = session.execute(
            select(PortfolioEntry, Post).join(Post, Post.id == PortfolioEntry.post_id)
            .where(or_(PortfolioEntry.unit_id == current.id, PortfolioEntry.unit_kind == current.kind))
            .where(PortfolioEntry.relation.in_(("分管", "协助分管", "联系")))
            .order_by(Post.sort_order, PortfolioEntry.seq)
        ).all()
        for entry, post in rows:
            seats[post.code] = post
            lines.append(PortfolioLine(post.code, post.title, entry.relation, entry.text, entry.clause, current.name))
        current = session.get(Unit, current.parent_id) if current.parent_id else None
    choice = choose_supervisor(lines)

    def ref(line: PortfolioLine) -> LeaderRef:
        holders = holders_of(session, seats[line.seat_code], day)
        person = holders[0][0].name if holders else None
        return LeaderRef(line.relation, line.seat_code, line.seat_title, person, line.text, line.clause, line.via_unit)

    return SupervisingLeader(
        unit.name, ref(choice.primary) if choice.primary else None, tuple(ref(a) for a in choice.assisting),
        choice.basis,
    )


def record_appointment(
    session: Session, *, actor: audit.Actor, person_name: str, unit: Unit, title: str, action: str,
    effective_on: date, document: str, text: str = "", concurrent: bool = False, probation_months: int | None = None,
) -> Tenure:
    """Record a 任命 or 免去 decided after the gazette; the approval rights of the post move with it."""
    person_name = person_name.strip()
    post = session.scalar(select(Post).where(Post.unit_id == unit.id, Post.title == title, Post.kind == "unit"))
    if unit.name == "区政府":
        post = session.scalar(select(Post).where(Post.kind == "leader", Post.code == title)) or post
    if action == "任命" and post is None:
        post = Post(code=f"{unit.name}/{title}", title=title, kind="unit", unit_id=unit.id,
                    full_title=f"{unit.full_name}{title}", clause=document)
        session.add(post)
        session.flush()
    if post is None:
        raise DomainError("输入有误", "Invalid input", 422,
                          [FieldError("title", f"{unit.name}没有“{title}”职务", f"{unit.name} has no post {title!r}")])
    person = session.scalar(select(Person).where(Person.name == person_name))
    if action == "任命":
        if person is None:
            person = Person(name=person_name)
            session.add(person)
            session.flush()
        if post.kind == "leader":
            # A leader seat has one holder: the incumbent's tenure ends when the successor's begins.
            for _, current in holders_of(session, post, effective_on):
                current.ends_on, current.removed_by = effective_on, document
        tenure = Tenure(person_id=person.id, post_id=post.id, starts_on=effective_on, concurrent=concurrent,
                        probation_ends_on=add_months_last_day(effective_on, probation_months)
                        if probation_months else None,
                        appointed_by=document, appointed_text=text)
        session.add(tenure)
        before = None
    else:
        open_tenures = [t for p, t in holders_of(session, post, effective_on) if person and p.id == person.id]
        if not open_tenures:
            raise DomainError("输入有误", "Invalid input", 422, [FieldError(
                "person", f"{person_name}在{effective_on}未担任{unit.name}{post.title}",
                f"{person_name} does not hold {unit.name} {post.title} on {effective_on}")])
        tenure = open_tenures[0]
        before = {"ends_on": None}
        tenure.ends_on, tenure.removed_by, tenure.removed_text = effective_on, document, text
    session.flush()
    audit.record(session, actor=actor, action=f"directory.{'appoint' if action == '任命' else 'remove'}",
                 target_type="tenure", target_id=tenure.id, basis=document, before=before,
                 after={"person": person_name, "post": post.full_title, "starts_on": tenure.starts_on,
                        "ends_on": tenure.ends_on, "document": document})
    return tenure
