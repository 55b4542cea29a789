"""Every query of the plan registry and drills (§7)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from dongcheng.core.db import get_or_404
from dongcheng.directory.models import Unit
from dongcheng.emergency.incidents.models import Incident
from dongcheng.emergency.plans.models import (
    Drill,
    DrillFinding,
    DrillPhase,
    PlanRecord,
    PlanRevision,
    PlanVersion,
    RevisionTrigger,
    drill_plans,
    drill_units,
)
from dongcheng.reference.models import EventTypeLead, Plan


def plan(session: Session, plan_id: int) -> PlanRecord:
    return get_or_404(session, PlanRecord, plan_id, "预案", "plan")


def plans(session: Session) -> list[PlanRecord]:
    return list(session.scalars(select(PlanRecord).order_by(PlanRecord.id)))


def catalogue(session: Session) -> list[Plan]:
    return list(session.scalars(select(Plan).order_by(Plan.id)))


def catalogue_by_id(session: Session) -> dict[int, Plan]:
    return {p.id: p for p in catalogue(session)}


def registered_catalogue_ids(session: Session) -> set[int]:
    return set(session.scalars(select(PlanRecord.catalogue_plan_id).where(PlanRecord.catalogue_plan_id.is_not(None))))


def plan_named(session: Session, name: str) -> PlanRecord | None:
    return session.scalar(select(PlanRecord).where(PlanRecord.name == name))


def unit(session: Session, unit_id: int | None) -> Unit | None:
    return session.get(Unit, unit_id) if unit_id else None


def units(session: Session) -> dict[int, Unit]:
    return {u.id: u for u in session.scalars(select(Unit))}


def units_of_kind(session: Session, kinds: tuple[str, ...]) -> list[Unit]:
    return list(session.scalars(select(Unit).where(Unit.kind.in_(kinds)).order_by(Unit.sort_order, Unit.id)))


def lead_department_ids(session: Session) -> set[int]:
    """Units with an emergency role in the plan: a lead drafting unit of §8.3 or a lead department of §2.3.6."""
    return set(session.scalars(select(Plan.lead_unit_id))) | set(session.scalars(select(EventTypeLead.unit_id)))


def versions(session: Session, plan_id: int) -> list[PlanVersion]:
    return list(session.scalars(select(PlanVersion).where(PlanVersion.plan_id == plan_id).order_by(PlanVersion.seq)))


def revisions(session: Session, plan_id: int | None = None) -> list[PlanRevision]:
    q = select(PlanRevision).order_by(PlanRevision.id)
    if plan_id is not None:
        q = q.where(PlanRevision.plan_id == plan_id)
    return list(session.scalars(q))


def open_revision(session: Session, plan_id: int) -> PlanRevision | None:
    return session.scalar(select(PlanRevision).where(PlanRevision.plan_id == plan_id,
                                                     PlanRevision.closed_on.is_(None)))


def triggers(session: Session, plan_id: int) -> list[RevisionTrigger]:
    return list(session.scalars(select(RevisionTrigger).where(RevisionTrigger.plan_id == plan_id)
                                .order_by(RevisionTrigger.id)))


def incident(session: Session, incident_id: int) -> Incident | None:
    return session.get(Incident, incident_id)


def drill(session: Session, drill_id: int) -> Drill:
    return get_or_404(session, Drill, drill_id, "演练", "drill")


def drill_or_none(session: Session, drill_id: int) -> Drill | None:
    return session.get(Drill, drill_id)


def drills(session: Session, *, year: int | None = None, organiser_id: int | None = None) -> list[Drill]:
    q = select(Drill).order_by(Drill.id.desc())
    if year is not None:
        q = q.where(Drill.held_on >= date(year, 1, 1), Drill.held_on <= date(year, 12, 31))
    if organiser_id is not None:
        q = q.where(Drill.organiser_unit_id == organiser_id)
    return list(session.scalars(q))


def drill_plan_ids(session: Session, drill_id: int) -> list[int]:
    return list(session.scalars(select(drill_plans.c.plan_id).where(drill_plans.c.drill_id == drill_id)))


def drill_unit_ids(session: Session, drill_id: int) -> list[int]:
    return list(session.scalars(select(drill_units.c.unit_id).where(drill_units.c.drill_id == drill_id)))


def link_drill(session: Session, drill_id: int, plan_ids: list[int], unit_ids: list[int]) -> None:
    if plan_ids:
        session.execute(drill_plans.insert(), [{"drill_id": drill_id, "plan_id": p} for p in plan_ids])
    if unit_ids:
        session.execute(drill_units.insert(), [{"drill_id": drill_id, "unit_id": u} for u in unit_ids])


def validation_drills_of(session: Session, plan_id: int) -> list[Drill]:
    """验证性 drills that exercise the plan and were held (实施 recorded)."""
    return list(session.scalars(
        select(Drill).join(drill_plans, drill_plans.c.drill_id == Drill.id)
        .where(drill_plans.c.plan_id == plan_id, Drill.kind == "validation", Drill.held_on.is_not(None))))


def validation_drills_by_plan(session: Session) -> dict[int, list[date]]:
    out: dict[int, list[date]] = {}
    for plan_id, held in session.execute(
            select(drill_plans.c.plan_id, Drill.held_on).join(Drill, Drill.id == drill_plans.c.drill_id)
            .where(Drill.kind == "validation", Drill.held_on.is_not(None))):
        out.setdefault(plan_id, []).append(held)
    return out


def phases(session: Session, drill_id: int) -> list[DrillPhase]:
    return list(session.scalars(select(DrillPhase).where(DrillPhase.drill_id == drill_id).order_by(DrillPhase.id)))


def findings(session: Session, drill_id: int) -> list[DrillFinding]:
    return list(session.scalars(select(DrillFinding).where(DrillFinding.drill_id == drill_id)
                                .order_by(DrillFinding.id)))


def finding(session: Session, finding_id: int) -> DrillFinding:
    return get_or_404(session, DrillFinding, finding_id, "演练发现的问题", "drill finding")


def drill_of_incident(session: Session, incident_id: int) -> Drill | None:
    return session.scalar(select(Drill).where(Drill.incident_id == incident_id))
