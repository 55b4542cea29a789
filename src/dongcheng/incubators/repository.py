"""Queries of the incubator module: applications, their timeline and reports, the public list."""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dongcheng.core.db import get_or_404
from dongcheng.core.errors import not_found
from dongcheng.incubators.enums import Status
from dongcheng.incubators.models import (
    IncubatorApplication,
    IncubatorChange,
    IncubatorEvent,
    IncubatorReevaluation,
    IncubatorReport,
)


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


def reevaluations(session: Session, application_id: int) -> list[IncubatorReevaluation]:
    return list(session.scalars(select(IncubatorReevaluation).where(
        IncubatorReevaluation.application_id == application_id).order_by(IncubatorReevaluation.year)))


def changes(session: Session, application_id: int) -> list[IncubatorChange]:
    return list(session.scalars(select(IncubatorChange).where(IncubatorChange.application_id == application_id)
                                .order_by(IncubatorChange.changed_on, IncubatorChange.id)))


def change(session: Session, application_id: int, change_id: int) -> IncubatorChange:
    row = session.get(IncubatorChange, change_id)
    if row is None or row.application_id != application_id:
        raise not_found("信息变更申请", "change report", change_id)
    return row


def decide_change(session: Session, row: IncubatorChange, **values) -> bool:
    """pending → retained | revoked in one conditional UPDATE: of two clerks deciding at once, one changes it."""
    result = session.execute(update(IncubatorChange).where(IncubatorChange.id == row.id,
                                                           IncubatorChange.outcome == "pending")
                             .values(**values).execution_options(synchronize_session=False))
    session.refresh(row)
    return result.rowcount == 1
