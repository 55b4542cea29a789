"""Every query of the 双随机 inspections."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dongcheng.core.db import get_or_404
from dongcheng.supervision.inspections.models import Inspection, InspectionPlan, Inspector, InspectorConflict


def inspector(session: Session, inspector_id: int) -> Inspector:
    return get_or_404(session, Inspector, inspector_id, "执法人员", "inspector")


def inspector_by_badge(session: Session, badge_no: str) -> Inspector | None:
    return session.scalar(select(Inspector).where(Inspector.badge_no == badge_no))


def inspectors(session: Session, *, active_only: bool = False) -> list[Inspector]:
    stmt = select(Inspector).order_by(Inspector.id)
    if active_only:
        stmt = stmt.where(Inspector.active.is_(True))
    return list(session.scalars(stmt))


def inspectors_by_id(session: Session, ids: set[int]) -> dict[int, Inspector]:
    if not ids:
        return {}
    return {i.id: i for i in session.scalars(select(Inspector).where(Inspector.id.in_(ids)))}


def conflict(session: Session, inspector_id: int, institution_id: int) -> InspectorConflict | None:
    """The pair's standing declaration (a withdrawn one no longer recuses)."""
    return session.scalar(select(InspectorConflict).where(InspectorConflict.inspector_id == inspector_id,
                                                          InspectorConflict.institution_id == institution_id,
                                                          InspectorConflict.withdrawn_at.is_(None)))


def conflict_of(session: Session, inspector_id: int, conflict_id: int) -> InspectorConflict:
    """One declaration of this inspector, standing or withdrawn; another inspector's is a 404 too."""
    row = session.get(InspectorConflict, conflict_id)
    if row is None or row.inspector_id != inspector_id:
        from dongcheng.core.errors import not_found

        raise not_found("利益冲突申报", "conflict declaration", conflict_id)
    return row


def standing_conflicts(session: Session) -> list[InspectorConflict]:
    """The declarations the draw applies: those not withdrawn."""
    return list(session.scalars(select(InspectorConflict).where(InspectorConflict.withdrawn_at.is_(None))
                                .order_by(InspectorConflict.id)))


def conflicts_of(session: Session, inspector_id: int) -> list[InspectorConflict]:
    return list(session.scalars(select(InspectorConflict).where(InspectorConflict.inspector_id == inspector_id)
                                .order_by(InspectorConflict.id)))


def all_conflicts(session: Session) -> list[InspectorConflict]:
    return list(session.scalars(select(InspectorConflict).order_by(InspectorConflict.id)))


def plan(session: Session, plan_id: int) -> InspectionPlan:
    return get_or_404(session, InspectionPlan, plan_id, "抽查计划", "inspection plan")


def plans(session: Session) -> list[InspectionPlan]:
    return list(session.scalars(select(InspectionPlan).order_by(InspectionPlan.id.desc())))


def inspections_of(session: Session, plan_id: int) -> list[Inspection]:
    return list(session.scalars(select(Inspection).where(Inspection.plan_id == plan_id)
                                .order_by(Inspection.position)))


def inspection(session: Session, plan_id: int, inspection_id: int) -> Inspection:
    row = session.get(Inspection, inspection_id)
    if row is None or row.plan_id != plan_id:
        from dongcheng.core.errors import not_found

        raise not_found("检查", "inspection", inspection_id)
    return row
