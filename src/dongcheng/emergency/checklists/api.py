"""Disposal-checklist API (东政发〔2022〕3号 §4.5): thin handlers over service.py."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from dongcheng.api.deps import SessionDep, require
from dongcheng.api.params import Id
from dongcheng.auth.service import Caller
from dongcheng.core.errors import not_found
from dongcheng.emergency.checklists import service, views
from dongcheng.emergency.checklists.schemas import ChecklistIn, TickIn
from dongcheng.emergency.incidents import repository

router = APIRouter(prefix="/api/incidents/{incident_id}/checklist", tags=["disposal checklists"])

Actor = Annotated[Caller, Depends(require("incidents.act"))]
Reader = Annotated[Caller, Depends(require("incidents.read"))]
# Row ids are 32-bit integers on PostgreSQL; a larger id is a 422, not a driver overflow.
RowId = Id


@router.get("", summary="处置措施清单 with progress (§4.5)")
def get_checklist(incident_id: RowId, session: SessionDep, caller: Reader) -> dict:
    incident = repository.get(session, incident_id)
    checklist = service.get_checklist(session, incident)
    if checklist is None:
        raise not_found("处置措施清单", "checklist of incident", incident_id)
    return views.checklist_dict(checklist)


@router.post("", status_code=201, summary="Create from the category's list (§4.5.1/§4.5.2/§4.5.3) or a chosen one")
def create_checklist(incident_id: RowId, session: SessionDep, caller: Actor, body: ChecklistIn | None = None) -> dict:
    incident = repository.get(session, incident_id, for_update=True)
    return views.checklist_dict(service.create_checklist(session, caller, incident, body or ChecklistIn()))


@router.post("/items/{item_id}", summary="Tick a measure done, or un-tick it with a reason")
def tick(incident_id: RowId, item_id: RowId, body: TickIn, session: SessionDep, caller: Actor) -> dict:
    incident = repository.get(session, incident_id, for_update=True)
    item = service.tick(session, caller, incident, item_id, body)
    return {**views.checklist_dict(service.get_checklist(session, incident)), "item": views.item_dict(item)}
