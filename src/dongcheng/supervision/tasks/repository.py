"""Every query of the task reports."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dongcheng.directory.models import Unit
from dongcheng.supervision.tasks.models import TaskReport


def reports(session: Session, task_key: str | None = None) -> list[TaskReport]:
    query = select(TaskReport).order_by(TaskReport.year, TaskReport.quarter, TaskReport.id)
    if task_key is not None:
        query = query.where(TaskReport.task_key == task_key)
    return list(session.scalars(query))


def report(session: Session, task_key: str, year: int, quarter: int, unit_id: int) -> TaskReport | None:
    return session.scalar(select(TaskReport).where(
        TaskReport.task_key == task_key, TaskReport.year == year, TaskReport.quarter == quarter,
        TaskReport.unit_id == unit_id))


def units_named(session: Session, names: set[str]) -> dict[str, Unit]:
    if not names:
        return {}
    return {u.name: u for u in session.scalars(select(Unit).where(Unit.name.in_(names)))}


def unit_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Unit.id, Unit.name)).tuples().all())


def street_names(session: Session) -> list[str]:
    return list(session.scalars(select(Unit.name).where(Unit.kind == "street").order_by(Unit.sort_order)))
