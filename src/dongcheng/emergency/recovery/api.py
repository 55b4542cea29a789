"""Recovery API (恢复与重建, 东政发〔2022〕3号 §5): thin handlers over service.py."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from dongcheng.api.deps import SessionDep, require
from dongcheng.api.params import Id
from dongcheng.auth.service import Caller
from dongcheng.emergency.incidents import repository
from dongcheng.emergency.recovery import service, views
from dongcheng.emergency.recovery.schemas import ClaimIn, CloseIn, EvaluationIn, LossesIn, MeritIn, PlanIn, ReliefIn

router = APIRouter(prefix="/api/incidents/{incident_id}/recovery", tags=["recovery"])

Actor = Annotated[Caller, Depends(require("incidents.act"))]
Reader = Annotated[Caller, Depends(require("incidents.read"))]
# Row ids are 32-bit integers on PostgreSQL; a larger id is a 422, not a driver overflow.
RowId = Id


def _shown(session, incident) -> dict:
    return views.recovery_dict(incident, service.get_recovery(session, incident))


@router.get("", summary="恢复与重建: plan, losses, relief, insurance, evaluation, commendation/accountability (§5)")
def get_recovery(incident_id: RowId, session: SessionDep, caller: Reader) -> dict:
    return _shown(session, repository.get(session, incident_id))


@router.post("/plan", summary="恢复重建计划 (§5.1.1)")
def set_plan(incident_id: RowId, body: PlanIn, session: SessionDep, caller: Actor) -> dict:
    incident = repository.get(session, incident_id, for_update=True)
    service.set_plan(session, caller, incident, body)
    return _shown(session, incident)


@router.post("/losses", status_code=201, summary="损失统计 (§5.1.2), by the department the category names")
def report_losses(incident_id: RowId, body: LossesIn, session: SessionDep, caller: Actor) -> dict:
    incident = repository.get(session, incident_id, for_update=True)
    return views.loss_dict(service.report_losses(session, caller, incident, body))


@router.post("/relief", status_code=201, summary="社会救助与抚恤 (§5.2)")
def record_relief(incident_id: RowId, body: ReliefIn, session: SessionDep, caller: Actor) -> dict:
    incident = repository.get(session, incident_id, for_update=True)
    return views.relief_dict(service.record_relief(session, caller, incident, body))


@router.post("/insurance-claims", status_code=201, summary="保险理赔 (§5.3.1)")
def record_claim(incident_id: RowId, body: ClaimIn, session: SessionDep, caller: Actor) -> dict:
    incident = repository.get(session, incident_id, for_update=True)
    return views.claim_dict(service.record_claim(session, caller, incident, body))


@router.post("/evaluation", summary="调查评估报告 (§5.4.1, §5.4.2)")
def submit_evaluation(incident_id: RowId, body: EvaluationIn, session: SessionDep, caller: Actor) -> dict:
    incident = repository.get(session, incident_id, for_update=True)
    service.submit_evaluation(session, caller, incident, body)
    return _shown(session, incident)


@router.post("/accountability", status_code=201, summary="表彰、奖励、通报批评、责令整改 (§5.5.1), 处分 (§5.5.2)")
def record_merit(incident_id: RowId, body: MeritIn, session: SessionDep, caller: Actor) -> dict:
    incident = repository.get(session, incident_id, for_update=True)
    return views.merit_dict(service.record_merit(session, caller, incident, body))


@router.post("/close", summary="结案: once the evaluation (where §5.4.2 requires it) is in")
def close_incident(incident_id: RowId, session: SessionDep, caller: Actor, body: CloseIn | None = None) -> dict:
    incident = repository.get(session, incident_id, for_update=True)
    service.close_incident(session, caller, incident, body or CloseIn())
    return _shown(session, incident)
