"""Read the reference tables (loaded from data/)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from dongcheng.core.errors import not_found
from dongcheng.reference.models import EventType, EventTypeLead, Plan, ReferenceItem


def list_event_types(session: Session) -> list[EventType]:
    return list(session.scalars(select(EventType).order_by(EventType.no)))


def find_event_type(session: Session, name: str) -> EventType | None:
    """By name or full name, with its lead departments and their units in one statement (intake runs this on
    every report: the relationships' default selectin loading would take two more round trips)."""
    stmt = (select(EventType).where((EventType.name == name) | (EventType.full_name == name))
            .options(joinedload(EventType.leads).joinedload(EventTypeLead.unit)))
    return session.scalars(stmt).unique().first()


def event_type_dict(et: EventType) -> dict:
    return {"no": et.no, "name": et.name, "full_name": et.full_name, "category": et.category,
            "lead_departments": [lead.unit.name for lead in et.leads], "basis": et.clause}


def list_names(session: Session) -> list[str]:
    return list(session.scalars(select(ReferenceItem.list_name).distinct().order_by(ReferenceItem.list_name)))


def list_items(session: Session, list_name: str) -> list[ReferenceItem]:
    items = list(session.scalars(
        select(ReferenceItem).where(ReferenceItem.list_name == list_name).order_by(ReferenceItem.seq)
    ))
    if not items:
        raise not_found("参考列表", "reference list", list_name)
    return items


def list_plans(session: Session) -> list[Plan]:
    return list(session.scalars(select(Plan).order_by(Plan.id)))


def plan_dict(plan: Plan) -> dict:
    return {"kind": plan.kind, "category": plan.category, "seq": plan.seq, "name": plan.name,
            "lead_department": plan.lead_unit.name, "basis": plan.clause}
