"""Queries of the incubator module: applications, their timeline and reports, the public list."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dongcheng.core.db import get_or_404
from dongcheng.incubators.enums import Status
from dongcheng.incubators.models import IncubatorApplication, IncubatorEvent, IncubatorReport


def get(session: Session, application_id: int) -> IncubatorApplication:
    return get_or_404(session, IncubatorApplication, application_id, "示范基地申请", "incubator application")


def list_applications(session: Session, *, status: str | None = None) -> list[IncubatorApplication]:
    query = select(IncubatorApplication).order_by(IncubatorApplication.id.desc())
    if status:
        query = query.where(IncubatorApplication.status == status)
    return list(session.scalars(query))


def certified(session: Session) -> list[IncubatorApplication]:
    """The bases holding the title today (revoked ones have left this status)."""
    return list(session.scalars(select(IncubatorApplication).where(
        IncubatorApplication.status == Status.CERTIFIED.value).order_by(IncubatorApplication.certified_on,
                                                                        IncubatorApplication.id)))


def revoked_by_code(session: Session, credit_code: str) -> list[IncubatorApplication]:
    return list(session.scalars(select(IncubatorApplication).where(
        IncubatorApplication.credit_code == credit_code, IncubatorApplication.status == Status.REVOKED.value)))


def events(session: Session, application_id: int) -> list[IncubatorEvent]:
    return list(session.scalars(select(IncubatorEvent).where(IncubatorEvent.application_id == application_id)
                                .order_by(IncubatorEvent.at, IncubatorEvent.id)))


def reports(session: Session, application_id: int) -> list[IncubatorReport]:
    return list(session.scalars(select(IncubatorReport).where(IncubatorReport.application_id == application_id)
                                .order_by(IncubatorReport.year, IncubatorReport.quarter)))


def report(session: Session, application_id: int, year: int, quarter: int) -> IncubatorReport | None:
    return session.scalar(select(IncubatorReport).where(
        IncubatorReport.application_id == application_id, IncubatorReport.year == year,
        IncubatorReport.quarter == quarter))
