"""Every query of the institutions registry and its credit records."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dongcheng.core.db import get_or_404
from dongcheng.directory.models import Unit
from dongcheng.supervision.institutions.models import BlacklistEntry, CreditPolicy, Institution, PointRecord


def get(session: Session, institution_id: int) -> Institution:
    return get_or_404(session, Institution, institution_id, "医疗卫生机构", "institution")


def by_uscc(session: Session, uscc: str) -> Institution | None:
    return session.scalar(select(Institution).where(Institution.uscc == uscc))


def listing(session: Session, *, street_id: int | None = None, q: str | None = None) -> list[Institution]:
    stmt = select(Institution).order_by(Institution.id)
    if street_id:
        stmt = stmt.where(Institution.street_id == street_id)
    if q:
        stmt = stmt.where(Institution.name.contains(q, autoescape=True))
    return list(session.scalars(stmt))


def all_ordered(session: Session) -> list[Institution]:
    return list(session.scalars(select(Institution).order_by(Institution.id)))


def unit(session: Session, unit_id: int | None) -> Unit | None:
    return session.get(Unit, unit_id) if unit_id else None


def units_by_id(session: Session, ids: set[int]) -> dict[int, Unit]:
    if not ids:
        return {}
    return {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(ids)))}


def streets(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).where(Unit.kind == "street").order_by(Unit.sort_order, Unit.id)))


def street_named(session: Session, name: str) -> Unit | None:
    return session.scalar(select(Unit).where(Unit.kind == "street", Unit.name == name))


def points_of(session: Session, institution_id: int) -> list[PointRecord]:
    return list(session.scalars(select(PointRecord).where(PointRecord.institution_id == institution_id)
                                .order_by(PointRecord.occurred_on, PointRecord.id)))


def point(session: Session, record_id: int) -> PointRecord:
    return get_or_404(session, PointRecord, record_id, "记分记录", "point record")


def blacklist_of(session: Session, institution_id: int) -> list[BlacklistEntry]:
    return list(session.scalars(select(BlacklistEntry).where(BlacklistEntry.institution_id == institution_id)
                                .order_by(BlacklistEntry.start_on, BlacklistEntry.id)))


def blacklist_entry(session: Session, entry_id: int) -> BlacklistEntry:
    return get_or_404(session, BlacklistEntry, entry_id, "黑名单记录", "blacklist entry")


def points_since(session: Session, since: date) -> list[PointRecord]:
    """Records that may still be on the public list (given on or after ``since``)."""
    return list(session.scalars(select(PointRecord).where(PointRecord.occurred_on >= since)
                                .order_by(PointRecord.occurred_on.desc(), PointRecord.id)))


def blacklist_current(session: Session, on: date) -> list[BlacklistEntry]:
    return list(session.scalars(select(BlacklistEntry).where(BlacklistEntry.start_on <= on,
                                                             BlacklistEntry.end_on >= on)
                                .order_by(BlacklistEntry.start_on.desc(), BlacklistEntry.id)))


def institutions_by_id(session: Session, ids: set[int]) -> dict[int, Institution]:
    if not ids:
        return {}
    return {i.id: i for i in session.scalars(select(Institution).where(Institution.id.in_(ids)))}


def latest_policy(session: Session) -> CreditPolicy | None:
    return session.scalar(select(CreditPolicy).order_by(CreditPolicy.id.desc()).limit(1))


def policy_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(CreditPolicy)) or 0
