"""Requisition (征用, §6.4.5) in the government's name, its return and compensation (突发事件应对法 第十二条), through
one state table (requisition_rules.FLOW); audited, never committed here."""
from __future__ import annotations

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.auth.service import Caller, authorize
from dongcheng.core.time import utcnow
from dongcheng.core.transition import move
from dongcheng.emergency.incidents import repository as incidents
from dongcheng.emergency.preparedness import authority, repository, requisition_rules
from dongcheng.emergency.preparedness.models import Requisition
from dongcheng.emergency.preparedness.registries import leader_holding_post
from dongcheng.emergency.preparedness.schemas import CompensationIn, RequisitionIn, RequisitionReturnIn

ACTION = "preparedness.requisition"
TARGET = "requisition"


def requisition(session: Session, *, caller: Caller, data: RequisitionIn) -> Requisition:
    authorize(caller, ACTION)
    acting = authority.acting_of(caller)
    post = leader_holding_post(session, data.decided_by) if data.decided_by else None
    requisition_rules.may_requisition(acting, decided_by_holds_post=post is not None).require()
    requisition_rules.check_choice(data.kind, requisition_rules.KINDS, "kind", requisition_rules.REQUISITION).require()
    if data.incident_id:
        incidents.get(session, data.incident_id)
    if acting.role == "leader":
        name = caller.user.person.name if caller.user.person else caller.user.username
        decided = f"{name}（{'、'.join(p.full_title for p in caller.posts)}）"
    else:
        decided = f"{data.decided_by}（{post}）"
    row = Requisition(incident_id=data.incident_id, owner_name=data.owner_name, owner_contact=data.owner_contact,
                      kind=data.kind, description=data.description, quantity=data.quantity, decided_by=decided,
                      recorded_by=caller.user.username, requisitioned_at=utcnow(), status="requisitioned", version=1)
    session.add(row)
    session.flush()
    audit.record(session, actor=caller.actor, action="preparedness.requisition.requisition", target_type=TARGET,
                 target_id=row.id, basis=requisition_rules.REQUISITION,
                 after={"owner": row.owner_name, "kind": row.kind, "quantity": row.quantity, "decided_by": decided,
                        "incident_id": row.incident_id})
    return row


def return_property(session: Session, *, caller: Caller, requisition_id: int, data: RequisitionReturnIn) -> Requisition:
    """及时返还 (第十二条), with the condition found (完好 / 毁损)."""
    authorize(caller, ACTION)
    row = repository.requisition(session, requisition_id)
    requisition_rules.may_handle(authority.acting_of(caller)).require()
    requisition_rules.FLOW.step(row.status, "return").require()
    requisition_rules.may_return(data.condition).require()
    move(session, row, "returned", what_zh="该征用", what_en="this requisition", returned_at=utcnow(),
         condition=data.condition, note=data.note)
    audit.record(session, actor=caller.actor, action="preparedness.requisition.return", target_type=TARGET,
                 target_id=row.id, basis=requisition_rules.RETURN, before={"status": "requisitioned"},
                 after={"status": row.status, "condition": data.condition}, note=data.note)
    return row


def compensate(session: Session, *, caller: Caller, requisition_id: int, data: CompensationIn) -> Requisition:
    """给予补偿 (第十二条): after the return, or directly for property lost (灭失)."""
    authorize(caller, ACTION)
    row = repository.requisition(session, requisition_id)
    requisition_rules.may_handle(authority.acting_of(caller)).require()
    requisition_rules.FLOW.step(row.status, "compensate").require()
    condition = row.condition
    if row.status == "requisitioned":
        if data.condition != "灭失":
            requisition_rules.refuse_unreturned().require()
        condition = "灭失"
    requisition_rules.check_compensation(data.amount_yuan, condition).require()
    before = row.status
    move(session, row, "compensated", what_zh="该征用", what_en="this requisition", compensation_yuan=data.amount_yuan,
         compensated_at=utcnow(), condition=condition, note=(row.note + "；" if row.note else "") + data.note)
    audit.record(session, actor=caller.actor, action="preparedness.requisition.compensate", target_type=TARGET,
                 target_id=row.id, basis=requisition_rules.COMPENSATION, before={"status": before},
                 after={"status": row.status, "amount_yuan": data.amount_yuan, "condition": condition})
    return row
