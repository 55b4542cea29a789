"""Read the reference tables (loaded from data/); the queries are repository.py's."""
from __future__ import annotations

from sqlalchemy.orm import Session

from dongcheng.core.errors import not_found
from dongcheng.reference import repository
from dongcheng.reference.models import EventType, Plan, ReferenceItem

# Reads the service offers as the repository answers them (other modules call them by these names).
list_event_types = repository.list_event_types
find_event_type = repository.find_event_type
list_names = repository.list_names
list_plans = repository.list_plans


def event_type_dict(et: EventType) -> dict:
    return {"no": et.no, "name": et.name, "full_name": et.full_name, "category": et.category,
            "lead_departments": [lead.unit.name for lead in et.leads], "basis": et.clause}


def list_items(session: Session, list_name: str) -> list[ReferenceItem]:
    items = repository.items_of(session, list_name)
    if not items:
        raise not_found("参考列表", "reference list", list_name)
    return items


def plan_dict(plan: Plan) -> dict:
    return {"kind": plan.kind, "category": plan.category, "seq": plan.seq, "name": plan.name,
            "lead_department": plan.lead_unit.name, "basis": plan.clause}
