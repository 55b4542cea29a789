"""Queries of the commissioner module: streets (units of kind street), their retiree counts, commissioners, ratings."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dongcheng.commissioners.enums import Status
from dongcheng.commissioners.models import Commissioner, FundApplication, MonthlyRating, StreetRetirees
from dongcheng.core.db import get_or_404
from dongcheng.core.errors import not_found
from dongcheng.directory.models import Unit


def streets(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).where(Unit.kind == "street").order_by(Unit.sort_order, Unit.id)))


def street(session: Session, name: str) -> Unit:
    unit = session.scalar(select(Unit).where(Unit.kind == "street", Unit.name == name))
    if unit is None:
        raise not_found("街道", "street", name)
    return unit


def unit(session: Session, unit_id: int | None) -> Unit | None:
    return session.get(Unit, unit_id) if unit_id else None


def retirees(session: Session, street_id: int) -> StreetRetirees | None:
    return session.scalar(select(StreetRetirees).where(StreetRetirees.street_id == street_id))


def all_retirees(session: Session) -> dict[int, StreetRetirees]:
    return {r.street_id: r for r in session.scalars(select(StreetRetirees))}


def active_counts(session: Session) -> dict[int, int]:
    rows = session.execute(select(Commissioner.street_id, func.count()).where(
        Commissioner.status == Status.ACTIVE.value).group_by(Commissioner.street_id))
    return {street_id: n for street_id, n in rows}


def get(session: Session, commissioner_id: int) -> Commissioner:
    return get_or_404(session, Commissioner, commissioner_id, "服务专员", "commissioner")


def in_street(session: Session, street_id: int, *, active_only: bool = False) -> list[Commissioner]:
    query = select(Commissioner).where(Commissioner.street_id == street_id)
    if active_only:
        query = query.where(Commissioner.status == Status.ACTIVE.value)
    return list(session.scalars(query.order_by(Commissioner.start_on, Commissioner.id)))


def ratings(session: Session, commissioner_id: int, year: int | None = None) -> list[MonthlyRating]:
    query = select(MonthlyRating).where(MonthlyRating.commissioner_id == commissioner_id)
    if year is not None:
        query = query.where(MonthlyRating.year == year)
    return list(session.scalars(query.order_by(MonthlyRating.year, MonthlyRating.month)))


def rating(session: Session, commissioner_id: int, year: int, month: int) -> MonthlyRating | None:
    return session.scalar(select(MonthlyRating).where(
        MonthlyRating.commissioner_id == commissioner_id, MonthlyRating.year == year, MonthlyRating.month == month))


def fund_application(session: Session, street_id: int, year: int) -> FundApplication | None:
    return session.scalar(select(FundApplication).where(FundApplication.street_id == street_id,
                                                        FundApplication.year == year))


def get_fund_application(session: Session, application_id: int) -> FundApplication:
    return get_or_404(session, FundApplication, application_id, "岗补资金申请", "fund application")


def fund_applications(session: Session, street_ids: list[int], year: int | None = None) -> list[FundApplication]:
    query = select(FundApplication).where(FundApplication.street_id.in_(street_ids))
    if year is not None:
        query = query.where(FundApplication.year == year)
    return list(session.scalars(query.order_by(FundApplication.year.desc(), FundApplication.street_id)))
