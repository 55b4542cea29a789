"""Queries of the reference tables (loaded from data/): event types and their leads, lists, plans."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from dongcheng.reference.models import EventType, EventTypeLead, Plan, ReferenceItem


def list_event_types(session: Session) -> list[EventType]:
    return list(session.scalars(select(EventType).order_by(EventType.no)))


def find_event_type(session: Session, name: str) -> EventType | None:
    """By name or full name, with its lead departments and their units in one statement (intake runs this on
    every report: the relationships' default selectin loading would take two more round trips)."""
    stmt = (select(EventType).where((EventType.name == name) | (EventType.full_name == name))
            .options(joinedload(EventType.leads).joinedload(EventTypeLead.unit)))
    return session.scalars(stmt).unique().first()


def list_names(session: Session) -> list[str]:
    return list(session.scalars(select(ReferenceItem.list_name).distinct().order_by(ReferenceItem.list_name)))


def items_of(session: Session, list_name: str) -> list[ReferenceItem]:
    return list(session.scalars(
        select(ReferenceItem).where(ReferenceItem.list_name == list_name).order_by(ReferenceItem.seq)
    ))


def list_plans(session: Session) -> list[Plan]:
    return list(session.scalars(select(Plan).order_by(Plan.id)))
