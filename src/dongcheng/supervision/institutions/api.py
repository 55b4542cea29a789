"""Institutions and credit API (东政办发〔2021〕17号 四（二）, 三（一）2): thin handlers over service.py."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from dongcheng.api.deps import SessionDep, require
from dongcheng.api.params import Id
from dongcheng.auth.service import Caller
from dongcheng.supervision.institutions import repository, service, views
from dongcheng.supervision.institutions.schemas import (
    BlacklistIn,
    InstitutionIn,
    InstitutionPatch,
    PointsIn,
    PolicyIn,
    RepairIn,
)

router = APIRouter(prefix="/api/supervision", tags=["supervision 医疗卫生机构与信用"])

Supervisor = Annotated[Caller, Depends(require(service.MANAGE))]
Admin = Annotated[Caller, Depends(require(service.POLICY))]


def _one(session, row) -> dict:
    return views.institution_dict(row, repository.unit(session, row.street_id))


@router.get("/institutions", summary="The registry of medical and health institutions (public)")
def list_institutions(session: SessionDep, street: Annotated[str | None, Query(max_length=50)] = None,
                      q: Annotated[str | None, Query(max_length=50)] = None) -> list[dict]:
    street_row = repository.street_named(session, street) if street else None
    rows = repository.listing(session, street_id=street_row.id if street_row else None, q=q) if (
        street_row or not street) else []
    units = service.streets_by_id(session, rows)
    return [views.institution_dict(r, units.get(r.street_id)) for r in rows]


@router.post("/institutions", status_code=201, summary="Register an institution (统一社会信用代码 checked, GB 32100-2015)")
def create_institution(body: InstitutionIn, session: SessionDep, caller: Supervisor) -> dict:
    return _one(session, service.register(session, caller=caller, data=body))


@router.get("/institutions/{institution_id}", summary="An institution's credit record: points, blacklist, complaints")
def get_institution(institution_id: Id, session: SessionDep, caller: Supervisor) -> dict:
    service.check_supervisor(session, caller)
    return views.record_dict(service.record(session, repository.get(session, institution_id)))


@router.patch("/institutions/{institution_id}", summary="Change an institution's risk grade, licence or kind")
def patch_institution(institution_id: Id, body: InstitutionPatch, session: SessionDep, caller: Supervisor) -> dict:
    return _one(session, service.update(session, caller=caller, institution_id=institution_id, data=body))


@router.post("/institutions/{institution_id}/points", status_code=201, summary="不良执业行为记分 (四（二）)")
def create_points(institution_id: Id, body: PointsIn, session: SessionDep, caller: Supervisor) -> dict:
    row = service.add_points(session, caller=caller, institution_id=institution_id, data=body)
    return views.record_dict(service.record(session, repository.get(session, row.institution_id)))


@router.post("/institutions/{institution_id}/blacklist", status_code=201, summary="黑名单 entry: ground and period")
def create_blacklist(institution_id: Id, body: BlacklistIn, session: SessionDep, caller: Supervisor) -> dict:
    row = service.add_blacklist(session, caller=caller, institution_id=institution_id, data=body)
    return views.blacklist_dict(row)


@router.post("/credit/{kind}/{record_id}/repair", summary="信用修复: end a record's publication early (三（一）2)")
def repair(kind: Literal["points", "blacklist"], record_id: Id, body: RepairIn, session: SessionDep,
           caller: Supervisor) -> dict:
    row = service.repair(session, caller=caller, kind=kind, record_id=record_id, data=body)
    return views.point_dict(row) if kind == "points" else views.blacklist_dict(row)


@router.get("/credit/public", summary="The published lists: points and blacklist in their publication period (public)")
def public_lists(session: SessionDep) -> dict:
    return views.public_dict(service.public_lists(session))


@router.get("/credit/policy", summary="The points thresholds and publication periods in force, with their source")
def get_policy(session: SessionDep) -> dict:
    return views.policy_dict(service.active_policy(session))


@router.post("/credit/policy", status_code=201, summary="Load a points / repair policy (admin), validated field by field")
def load_policy(body: PolicyIn, session: SessionDep, caller: Admin) -> dict:
    service.load_policy(session, actor=caller.actor, data=body.policy)
    return views.policy_dict(service.active_policy(session))
