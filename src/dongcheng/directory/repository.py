"""Queries of the directory: units, people, posts, tenures and portfolio lines."""
from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session

from dongcheng.core.db import get_or_404
from dongcheng.directory.models import Person, PortfolioEntry, Post, Tenure, Unit


def list_units(session: Session, kind: str | None = None) -> list[Unit]:
    stmt = select(Unit).order_by(Unit.sort_order, Unit.id)
    if kind:
        stmt = stmt.where(Unit.kind == kind)
    return list(session.scalars(stmt))


def unit_by_name(session: Session, name: str) -> Unit | None:
    """By canonical or full name (aliases: service.find_unit)."""
    return session.scalar(select(Unit).where(or_(Unit.name == name, Unit.full_name == name)))


def unit(session: Session, unit_id: int | None) -> Unit | None:
    return session.get(Unit, unit_id) if unit_id else None


def get_unit(session: Session, unit_id: int) -> Unit:
    return get_or_404(session, Unit, unit_id, "单位", "unit")


def get_person(session: Session, person_id: int) -> Person:
    return get_or_404(session, Person, person_id, "人员", "person")


def list_people(session: Session) -> list[Person]:
    return list(session.scalars(select(Person).order_by(Person.id)))


def person_by_name(session: Session, name: str) -> Person | None:
    return session.scalar(select(Person).where(Person.name == name))


def find_post(session: Session, code: str) -> Post | None:
    return session.scalar(select(Post).where(Post.code == code))


def unit_post(session: Session, unit: Unit, title: str) -> Post | None:
    """A unit's own post of that title (局长, 主任 …)."""
    return session.scalar(select(Post).where(Post.unit_id == unit.id, Post.title == title, Post.kind == "unit"))


def leader_seat(session: Session, code: str) -> Post | None:
    return session.scalar(select(Post).where(Post.kind == "leader", Post.code == code))


def posts_of_unit(session: Session, unit: Unit) -> list[Post]:
    return list(session.scalars(select(Post).where(Post.unit_id == unit.id).order_by(Post.sort_order, Post.id)))


def leader_seats(session: Session) -> list[Post]:
    return list(session.scalars(select(Post).where(Post.kind == "leader").order_by(Post.sort_order)))


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


_POSTS_AND_TENURES = (select(Post, Tenure).join(Tenure, Tenure.post_id == Post.id)
                      .where(Tenure.person_id == bindparam("person_id")))  # every request of a leader: built once


def posts_and_tenures(session: Session, person_id: int) -> list[tuple[Post, Tenure]]:
    """Every tenure of a person with its post (current or not: the caller filters by day)."""
    return list(session.execute(_POSTS_AND_TENURES, {"person_id": person_id}).tuples())


def portfolio_of(session: Session, post: Post) -> list[PortfolioEntry]:
    return list(session.scalars(
        select(PortfolioEntry).where(PortfolioEntry.post_id == post.id).order_by(PortfolioEntry.seq)
    ))


def supervision_lines(session: Session, unit: Unit, on: date | None = None) -> list[tuple[PortfolioEntry, Post]]:
    """The 分管 / 协助分管 / 联系 lines naming this unit or its kind (held on ``on``, when given), by seat order then
    line order."""
    stmt = (select(PortfolioEntry, Post).join(Post, Post.id == PortfolioEntry.post_id)
            .where(or_(PortfolioEntry.unit_id == unit.id, PortfolioEntry.unit_kind == unit.kind))
            .where(PortfolioEntry.relation.in_(("分管", "协助分管", "联系"))))
    if on is not None:
        stmt = stmt.where(or_(PortfolioEntry.starts_on.is_(None), PortfolioEntry.starts_on <= on),
                          or_(PortfolioEntry.ends_on.is_(None), PortfolioEntry.ends_on > on))
    return list(session.execute(stmt.order_by(Post.sort_order, PortfolioEntry.seq)).tuples())


def open_lines_of_unit(session: Session, unit_id: int, relation: str) -> list[tuple[PortfolioEntry, Post]]:
    """Lines of this relation naming the unit that have no end yet."""
    return list(session.execute(
        select(PortfolioEntry, Post).join(Post, Post.id == PortfolioEntry.post_id)
        .where(PortfolioEntry.unit_id == unit_id, PortfolioEntry.relation == relation, PortfolioEntry.ends_on.is_(None))
    ).tuples())


def next_portfolio_seq(session: Session, post_id: int) -> int:
    return (session.scalar(select(func.max(PortfolioEntry.seq)).where(PortfolioEntry.post_id == post_id)) or 0) + 1


def next_seat_order(session: Session) -> int:
    return (session.scalar(select(func.max(Post.sort_order)).where(Post.kind == "leader")) or 0) + 1


def portfolio_entry_like(session: Session, document: str, relation: str, text: str) -> PortfolioEntry | None:
    """A line recorded from this document (its clause names it) with this relation and text."""
    return session.scalars(select(PortfolioEntry).where(
        PortfolioEntry.clause.startswith(document, autoescape=True), PortfolioEntry.relation == relation,
        PortfolioEntry.text == text)).first()


def tenure_from(session: Session, document: str, person_name: str, *, removed: bool) -> Tenure | None:
    """A tenure of this person appointed (or, ``removed``, ended) by this document."""
    column = Tenure.removed_by if removed else Tenure.appointed_by
    return session.scalars(select(Tenure).join(Person, Person.id == Tenure.person_id)
                           .where(column == document, Person.name == person_name)).first()


def everything(session: Session) -> tuple[dict[int, str], dict[int, Post], list[Tenure], list[PortfolioEntry]]:
    """People's names by id, posts by id, every tenure and every portfolio line (by seat and order): the whole
    directory, for a comparison with the gazette."""
    people = {p.id: p.name for p in session.scalars(select(Person))}
    posts = {p.id: p for p in session.scalars(select(Post))}
    tenures = list(session.scalars(select(Tenure).order_by(Tenure.id)))
    entries = list(session.scalars(select(PortfolioEntry).order_by(PortfolioEntry.post_id, PortfolioEntry.seq)))
    return people, posts, tenures, entries


def first_portfolio_start(session: Session) -> tuple[date, str] | None:
    """(starts_on, clause) of the earliest portfolio line; None when there is none or one has no recorded start."""
    if session.scalar(select(PortfolioEntry.id).where(PortfolioEntry.starts_on.is_(None)).limit(1)) is not None:
        return None
    row = session.execute(select(PortfolioEntry.starts_on, PortfolioEntry.clause)
                          .order_by(PortfolioEntry.starts_on, PortfolioEntry.id).limit(1)).first()
    return (row[0], row[1]) if row else None
