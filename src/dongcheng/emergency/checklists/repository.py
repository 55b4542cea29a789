"""Queries of disposal checklists (处置措施, §4.5)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dongcheng.core.basis import Basis
from dongcheng.emergency.checklists.models import DisposalChecklist
from dongcheng.emergency.checklists.rules import LIST_PREFIX, MeasureList
from dongcheng.emergency.incidents.models import Incident
from dongcheng.reference.models import ReferenceItem


def checklist_of(session: Session, incident: Incident) -> DisposalChecklist | None:
    return session.scalar(select(DisposalChecklist).where(DisposalChecklist.incident_id == incident.id))


def measure_lists(session: Session) -> dict[str, MeasureList]:
    """The §4.5 lists loaded from data/emergency/lists.yaml (`disposal_measures`), in clause order: key → its clause
    and the categories it applies to (carried by each of its items)."""
    firsts = session.scalars(select(ReferenceItem).where(ReferenceItem.list_name.startswith(LIST_PREFIX),
                                                         ReferenceItem.seq == 1))
    lists = [MeasureList(item.list_name.removeprefix(LIST_PREFIX), Basis.parse(item.clause).clause,
                         tuple(item.attrs.get("applies_to_categories", ()))) for item in firsts]
    return {m.key: m for m in sorted(lists, key=lambda m: m.clause)}


def items_of(session: Session, list_name: str) -> list[ReferenceItem]:
    return list(session.scalars(select(ReferenceItem).where(ReferenceItem.list_name == list_name)
                                .order_by(ReferenceItem.seq)))
