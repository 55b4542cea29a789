"""Queries of 信息发布 (§4.7.1): an incident's statements, the public list, the one conditional release."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dongcheng.emergency.incidents.models import Incident
from dongcheng.emergency.statements.models import Statement

DRAFT, RELEASED = "draft", "released"


def statements_of(session: Session, incident: Incident) -> list[Statement]:
    return list(session.scalars(select(Statement).where(Statement.incident_id == incident.id)
                                .order_by(Statement.id)))


def get(session: Session, statement_id: int) -> Statement | None:
    return session.get(Statement, statement_id)


def release_draft(session: Session, statement: Statement, *, at: datetime, by: str, basis: str,
                  topics: list[str]) -> bool:
    """Draft → released in one conditional UPDATE: of two releasers at once, exactly one changes the row."""
    result = session.execute(
        update(Statement).where(Statement.id == statement.id, Statement.status == DRAFT)
        .values(status=RELEASED, released_at=at, released_by=by, release_basis=basis, topics=topics)
        .execution_options(synchronize_session=False))
    return result.rowcount == 1


def public_statements(session: Session, *, limit: int = 50) -> list[tuple[Statement, Incident]]:
    """Released statements of real incidents, newest first (exercises and drafts never appear)."""
    return list(session.execute(
        select(Statement, Incident).join(Incident, Incident.id == Statement.incident_id)
        .where(Statement.status == RELEASED, Statement.is_drill.is_(False))
        .order_by(Statement.released_at.desc(), Statement.id.desc()).limit(limit)).tuples())
