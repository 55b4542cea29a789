"""双随机 inspections API (国办发〔2015〕58号; 东政办发〔2021〕17号 四（一）): thin handlers over service.py."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from dongcheng.api.deps import OptionalCaller, SessionDep, require
from dongcheng.api.params import Id
from dongcheng.auth.service import Caller
from dongcheng.supervision.inspections import files, repository, service, views
from dongcheng.supervision.inspections.schemas import (
    ConflictIn,
    ConflictWithdrawal,
    InspectorIn,
    InspectorPatch,
    PlanIn,
    ResultIn,
)
from dongcheng.supervision.institutions import repository as institutions

router = APIRouter(prefix="/api/supervision/inspections", tags=["supervision 双随机抽查"])

Supervisor = Annotated[Caller, Depends(require(service.MANAGE))]


def _plan(session, plan, caller) -> dict:
    return views.plan_dict(service.plan_view(session, plan, caller), files.items())


def _inspector(session, row) -> dict:
    unit = institutions.unit(session, row.unit_id)
    return views.inspector_dict(row, unit.name if unit else None)


@router.get("/items", summary="双随机抽查事项清单 (public, 四（一）)")
def list_items() -> dict:
    return views.items_dict(files.items())


@router.get("/inspectors", summary="执法人员信息 (public, 四（一）): names, badge numbers, units")
def list_inspectors(session: SessionDep) -> list[dict]:
    return [_inspector(session, r) for r in repository.inspectors(session)]


@router.post("/inspectors", status_code=201, summary="Add an inspector to the registry the draw picks from")
def create_inspector(body: InspectorIn, session: SessionDep, caller: Supervisor) -> dict:
    return _inspector(session, service.add_inspector(session, caller=caller, data=body))


@router.patch("/inspectors/{inspector_id}", summary="Take an inspector in or out of the draw pool")
def patch_inspector(inspector_id: Id, body: InspectorPatch, session: SessionDep, caller: Supervisor) -> dict:
    return _inspector(session, service.set_active(session, caller=caller, inspector_id=inspector_id, data=body))


@router.get("/inspectors/{inspector_id}/conflicts",
            summary="An inspector's declared conflicts, standing and withdrawn (区卫生健康委)")
def list_conflicts(inspector_id: Id, session: SessionDep, caller: Supervisor) -> list[dict]:
    service.check_supervisor(session, caller)
    return [views.conflict_dict(c) for c in repository.conflicts_of(session, repository.inspector(
        session, inspector_id).id)]


@router.post("/inspectors/{inspector_id}/conflicts", status_code=201, summary="申报利益冲突: recused from then on")
def create_conflict(inspector_id: Id, body: ConflictIn, session: SessionDep, caller: Supervisor) -> dict:
    return views.conflict_dict(service.declare_conflict(session, caller=caller, inspector_id=inspector_id, data=body))


@router.post("/inspectors/{inspector_id}/conflicts/{conflict_id}/withdraw",
             summary="撤回利益冲突申报 (a reason required): no longer recused; the declaration stays on record")
def withdraw_conflict(inspector_id: Id, conflict_id: Id, body: ConflictWithdrawal, session: SessionDep,
                      caller: Supervisor) -> dict:
    return views.conflict_dict(service.withdraw_conflict(session, caller=caller, inspector_id=inspector_id,
                                                         conflict_id=conflict_id, data=body))


@router.get("/plans", summary="Plans: the public sees the seed's SHA-256 until publication, then everything")
def list_plans(session: SessionDep, caller: OptionalCaller) -> list[dict]:
    return [_plan(session, p, caller) for p in repository.plans(session)]


@router.post("/plans", status_code=201, summary="A plan: items, risk-graded proportions, the seed fixed and committed")
def create_plan(body: PlanIn, session: SessionDep, caller: Supervisor) -> dict:
    return _plan(session, service.create_plan(session, caller=caller, data=body), caller)


@router.get("/plans/{plan_id}", summary="A plan (the draw, seed and results once published)")
def get_plan(plan_id: Id, session: SessionDep, caller: OptionalCaller) -> dict:
    return _plan(session, repository.plan(session, plan_id), caller)


@router.post("/plans/{plan_id}/draw", summary="抽取: institutions by risk grade, inspectors with recusal (sha256-rank-v1)")
def draw(plan_id: Id, session: SessionDep, caller: Supervisor) -> dict:
    return _plan(session, service.draw(session, caller=caller, plan_id=plan_id), caller)


@router.post("/plans/{plan_id}/inspections/{inspection_id}/result", summary="Record an inspection's result")
def record_result(plan_id: Id, inspection_id: Id, body: ResultIn, session: SessionDep, caller: Supervisor) -> dict:
    service.record_result(session, caller=caller, plan_id=plan_id, inspection_id=inspection_id, data=body)
    return _plan(session, repository.plan(session, plan_id), caller)


@router.post("/plans/{plan_id}/close", summary="结束: results public after the plan's publication delay")
def close(plan_id: Id, session: SessionDep, caller: Supervisor) -> dict:
    return _plan(session, service.close(session, caller=caller, plan_id=plan_id), caller)
