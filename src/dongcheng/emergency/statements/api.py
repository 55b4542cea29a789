"""信息发布 API (东政发〔2022〕3号 §4.7.1): thin handlers over service.py; rules.py decides who may release what."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from dongcheng.api.deps import SessionDep, require
from dongcheng.api.params import Id
from dongcheng.auth.service import Caller
from dongcheng.emergency.incidents import repository
from dongcheng.emergency.statements import service, views
from dongcheng.emergency.statements.schemas import StatementIn

router = APIRouter(prefix="/api", tags=["information release 信息发布"])

Drafter = Annotated[Caller, Depends(require("statements.draft"))]
Releaser = Annotated[Caller, Depends(require("statements.release"))]
Reader = Annotated[Caller, Depends(require("incidents.read"))]
RowId = Id


@router.get("/incidents/{incident_id}/statements", summary="Drafts and released statements of an incident")
def list_statements(incident_id: RowId, session: SessionDep, caller: Reader) -> list[dict]:
    incident = repository.get(session, incident_id)
    return [views.statement_dict(s) for s in service.statements_of(session, incident)]


@router.post("/incidents/{incident_id}/statements", status_code=201, summary="Draft a statement (private until released)")
def draft_statement(incident_id: RowId, body: StatementIn, session: SessionDep, caller: Drafter) -> dict:
    incident = repository.get(session, incident_id)
    return views.statement_dict(service.draft(session, caller, incident, body))


@router.post("/incidents/{incident_id}/statements/{statement_id}/release",
             summary="Release; cause, casualties or accountability only with the command's approval (§4.7.1)")
def release_statement(incident_id: RowId, statement_id: RowId, session: SessionDep, caller: Releaser) -> dict:
    incident = repository.get(session, incident_id, for_update=True)
    return views.statement_dict(service.release(session, caller, incident, statement_id))


@router.get("/public/statements", summary="Released statements of real incidents (no login)")
def public_statements(session: SessionDep, limit: Annotated[int, Query(ge=1, le=200)] = 50) -> list[dict]:
    return [views.public_dict(s, i) for s, i in service.public_statements(session, limit=limit)]
