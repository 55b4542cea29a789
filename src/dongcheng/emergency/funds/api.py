"""资金保障 API (§6.8): thin handlers over service.py; rules.py holds every clause."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from dongcheng.api.deps import SessionDep, require
from dongcheng.api.params import Id
from dongcheng.auth.service import Caller
from dongcheng.core.time import utcnow
from dongcheng.core.types import Instant
from dongcheng.emergency.funds import service, views
from dongcheng.emergency.funds.schemas import CompleteIn, DecisionIn, DisbursementIn, RejectIn

router = APIRouter(prefix="/api/funds", tags=["funds 资金保障 §6.8"])
Reader = Annotated[Caller, Depends(require(service.READ))]
Requester = Annotated[Caller, Depends(require(service.REQUEST))]
Approver = Annotated[Caller, Depends(require(service.APPROVE))]
Finance = Annotated[Caller, Depends(require(service.COMPLETE))]
StatusQ = Literal["requested", "approved", "completed", "rejected"]


def _dicts(session, rows) -> list[dict]:
    units, incidents = service.context_of(session, rows)
    return views.rows(rows, units, incidents, utcnow())


def _one(session, row) -> dict:
    return _dicts(session, [row])[0]


@router.get("/disbursements", summary="拨款申请 the caller may read, newest first")
def list_disbursements(session: SessionDep, caller: Reader, incident_id: Annotated[int | None, Query(
        ge=1, le=2_147_483_647)] = None, status: StatusQ | None = None) -> list[dict]:
    return _dicts(session, service.visible(session, caller, incident_id=incident_id, status=status))


@router.post("/disbursements", status_code=201, summary="Request a disbursement for an incident (§6.8.2)")
def create_disbursement(body: DisbursementIn, session: SessionDep, caller: Requester) -> dict:
    return _one(session, service.request(session, caller=caller, data=body))


@router.get("/disbursements/{disbursement_id}", summary="A disbursement: status, approval, §6.8.3 deadline")
def get_disbursement(disbursement_id: Id, session: SessionDep, caller: Reader) -> dict:
    return _one(session, service.for_reading(session, caller, disbursement_id))


@router.post("/disbursements/{disbursement_id}/approve",
             summary="区政府批准 (a district leader holding a post today); due in 1 working day (§6.8.3)")
def approve(disbursement_id: Id, body: DecisionIn, session: SessionDep, caller: Approver) -> dict:
    return _one(session, service.approve(session, caller=caller, disbursement_id=disbursement_id, data=body))


@router.post("/disbursements/{disbursement_id}/reject", summary="区政府不予批准 (with a reason)")
def reject(disbursement_id: Id, body: RejectIn, session: SessionDep, caller: Approver) -> dict:
    return _one(session, service.reject(session, caller=caller, disbursement_id=disbursement_id, data=body))


@router.post("/disbursements/{disbursement_id}/complete", summary="区财政局: formalities completed (§6.8.3)")
def complete(disbursement_id: Id, body: CompleteIn, session: SessionDep, caller: Finance) -> dict:
    return _one(session, service.complete(session, caller=caller, disbursement_id=disbursement_id, data=body))


@router.get("/overdue", summary="Approved disbursements past the 1-working-day deadline (§6.8.3)")
def overdue(session: SessionDep, caller: Reader, at: Instant | None = None, drill: bool = False) -> list[dict]:
    return _dicts(session, service.overdue_for(session, caller, at, drill=drill))
