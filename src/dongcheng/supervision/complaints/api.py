"""12345 complaints API (东政办发〔2021〕17号 三（一）5): thin handlers over service.py."""
from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from dongcheng.api.deps import SessionDep, require
from dongcheng.api.params import Id
from dongcheng.auth.service import Caller
from dongcheng.supervision.complaints import repository, service, views, xlsx
from dongcheng.supervision.complaints.schemas import AssignIn, ComplaintIn, RespondIn, VisitIn

router = APIRouter(prefix="/api/supervision/complaints", tags=["supervision 12345 接诉即办"])

Dispatcher = Annotated[Caller, Depends(require(service.INTAKE))]
Responder = Annotated[Caller, Depends(require(service.RESPOND))]
Reader = Annotated[Caller, Depends(require(service.READ))]
Year = Annotated[int, Query(ge=2000, le=2099)]
Month = Annotated[int, Query(ge=1, le=12)]


def _one(session, row) -> dict:
    return views.complaint_dict(row, service.units_for(session, [row]))


@router.get("", summary="Tickets the caller may read (dispatch units and leaders: all; a unit: its own)")
def list_complaints(session: SessionDep, caller: Reader) -> list[dict]:
    rows = service.visible(session, caller)
    units = service.units_for(session, rows)
    return [views.complaint_dict(r, units) for r in rows]


@router.post("", status_code=201, summary="受理 a 12345 ticket (and 派单 with assign_to)")
def create_complaint(body: ComplaintIn, session: SessionDep, caller: Dispatcher) -> dict:
    return _one(session, service.intake(session, caller=caller, data=body))


@router.get("/rates", summary="The month's 响应率, 解决率, 满意率 per unit, with their definitions")
def month_rates(year: Year, month: Month, session: SessionDep, caller: Reader) -> dict:
    return views.month_dict(year, month, service.month_rates(session, caller, year, month))


@router.get("/rates.xlsx", summary="The month's rates as a workbook", response_class=Response,
            responses={200: {"content": {xlsx.XLSX: {}}}})
def month_rates_xlsx(year: Year, month: Month, session: SessionDep, caller: Reader) -> Response:
    data = views.month_dict(year, month, service.month_rates(session, caller, year, month))
    name = f"{year}年{month}月12345接诉即办三率.xlsx"
    return Response(xlsx.month_workbook(data), media_type=xlsx.XLSX, headers={
        "Content-Disposition": f"attachment; filename=\"complaints.xlsx\"; filename*=UTF-8''{quote(name)}"})


@router.get("/{complaint_id}", summary="A ticket")
def get_complaint(complaint_id: Id, session: SessionDep, caller: Reader) -> dict:
    row = repository.get(session, complaint_id)
    service.check_reader(session, caller, row)
    return _one(session, row)


@router.post("/{complaint_id}/assign", summary="派单 to the responsible unit")
def assign(complaint_id: Id, body: AssignIn, session: SessionDep, caller: Dispatcher) -> dict:
    return _one(session, service.assign(session, caller=caller, complaint_id=complaint_id, data=body))


@router.post("/{complaint_id}/respond", summary="The assigned unit answers (承办单位答复)")
def respond(complaint_id: Id, body: RespondIn, session: SessionDep, caller: Responder) -> dict:
    return _one(session, service.respond(session, caller=caller, complaint_id=complaint_id, data=body))


@router.post("/{complaint_id}/visit", summary="回访: resolved? satisfied?")
def visit(complaint_id: Id, body: VisitIn, session: SessionDep, caller: Dispatcher) -> dict:
    return _one(session, service.visit(session, caller=caller, complaint_id=complaint_id, data=body))
