"""Incident API (SPEC §4): thin handlers over service.py."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from dongcheng.api.deps import SessionDep, require
from dongcheng.api.hops import json_answer, one_hop
from dongcheng.api.idempotency import Idempotency
from dongcheng.api.params import Id
from dongcheng.auth.service import Caller
from dongcheng.core.errors import invalid
from dongcheng.core.time import ensure_utc, utcnow
from dongcheng.core.types import Instant
from dongcheng.emergency.incidents import archive, clock, repository, service, views
from dongcheng.emergency.incidents.schemas import (
    ArchiveQuery,
    DesignateIn,
    EndIn,
    GradeIn,
    HandoverIn,
    IncidentIn,
    LevelIn,
    MergeIn,
    ReportIn,
)

router = APIRouter(prefix="/api", tags=["incidents"])

Reporter = Annotated[Caller, Depends(require("incidents.create"))]
Actor = Annotated[Caller, Depends(require("incidents.act"))]
Reader = Annotated[Caller, Depends(require("incidents.read"))]


@router.post("/incidents", status_code=201, summary="接报: record an incident; routing, clocks and proposed level")
@one_hop
def create_incident(body: IncidentIn, session: SessionDep, caller: Reporter, once: Idempotency) -> dict:
    answer = once.run(session, caller, body, lambda: views.incident_dict(service.create_incident(session, caller, body)))
    return answer if isinstance(answer, Response) else json_answer(answer, 201)


PAGING_HEADERS = {
    "X-Total-Count": {"schema": {"type": "integer"}, "description": "incidents matching the filters, on every page"},
    "X-Page": {"schema": {"type": "integer"}, "description": "this page (from 1)"},
    "X-Per-Page": {"schema": {"type": "integer"}, "description": "incidents a page"},
    "Link": {"schema": {"type": "string"}, "description": 'RFC 8288 rel="next" / rel="prev" pages, when there are'},
}


@router.get("/incidents", summary="The incident archive: filters, Chinese full-text search, paged (newest first)",
            description="Without any of q, status, street, event_type, grade, from, to: the incidents not yet ended "
                        "(every status with all=true), as before. Drills only with drill=true. The body is the list "
                        "of incidents of this page; the totals and the next/prev links are in the headers.",
            responses={200: {"description": "one page of incidents", "headers": PAGING_HEADERS}})
@one_hop
def list_incidents(request: Request, session: SessionDep, caller: Reader,
                   filters: Annotated[ArchiveQuery, Query()]) -> list[dict]:
    now = utcnow()
    found = archive.search(session, caller, filters)
    headers = {"X-Total-Count": str(found.total), "X-Page": str(found.page), "X-Per-Page": str(found.per_page)}
    links = [f'<{request.url.include_query_params(page=n)}>; rel="{rel}"'
             for n, rel, shown in ((found.page + 1, "next", found.has_next), (found.page - 1, "prev", found.has_prev))
             if shown]
    if links:
        headers["Link"] = ", ".join(links)
    return json_answer([views.incident_dict(i, now) for i in found.incidents], headers=headers)


@router.get("/incidents/{incident_id}", summary="One incident with deadlines, reports and level history")
@one_hop
def get_incident(incident_id: Id, session: SessionDep, caller: Reader) -> dict:
    read = service.read_incident(session, incident_id)
    return json_answer({**views.incident_dict(read.incident),
                        "reports": [views.report_dict(r) for r in read.reports],
                        "level_history": [views.level_change_dict(c) for c in read.level_history],
                        "duplicate_suspects": read.duplicate_suspects, "merged_duplicates": read.merged_duplicates})


@router.post("/incidents/{incident_id}/reports", status_code=201, summary="信息报送: file a report (§4.1.4–§4.1.8)")
def file_report(incident_id: Id, body: ReportIn, session: SessionDep, caller: Actor, once: Idempotency) -> dict:
    def file() -> dict:  # a report meets a deadline of the clock: a retried one must not meet the next as well
        incident = repository.get(session, incident_id, for_update=True)
        report = service.file_report(session, caller, incident, body)
        return {**views.report_dict(report), "incident": views.incident_dict(incident)}

    return once.run(session, caller, body, file)


@router.post("/incidents/{incident_id}/grade", summary="Set the grade (§1.4.2); the clocks are recomputed")
def set_grade(incident_id: Id, body: GradeIn, session: SessionDep, caller: Actor) -> dict:
    incident = repository.get(session, incident_id, for_update=True)
    return views.incident_dict(service.set_grade(session, caller, incident, body))


@router.post("/incidents/{incident_id}/response-level", summary="Confirm, raise or lower the response level (§4.3)")
def set_response_level(incident_id: Id, body: LevelIn, session: SessionDep, caller: Actor) -> dict:
    incident = repository.get(session, incident_id, for_update=True)
    return views.incident_dict(service.set_response_level(session, caller, incident, body))


@router.post("/incidents/{incident_id}/handover", summary="Hand over to city command (§4.3.4, §4.3.6)")
def hand_over(incident_id: Id, body: HandoverIn, session: SessionDep, caller: Actor) -> dict:
    incident = repository.get(session, incident_id, for_update=True)
    return views.incident_dict(service.hand_over(session, caller, incident, body))


@router.post("/incidents/{incident_id}/designate-lead", summary="区应急委 designates a lead department (§4.3.5)")
def designate_lead(incident_id: Id, body: DesignateIn, session: SessionDep, caller: Actor) -> dict:
    incident = repository.get(session, incident_id, for_update=True)
    return views.incident_dict(service.designate_lead(session, caller, incident, body))


@router.post("/incidents/{incident_id}/end", summary="应急结束 (§4.8): follow-ups stop")
def end_response(incident_id: Id, body: EndIn, session: SessionDep, caller: Actor) -> dict:
    incident = repository.get(session, incident_id, for_update=True)
    return views.incident_dict(service.end_response(session, caller, incident, body))


@router.post("/incidents/{incident_id}/merge", summary="Close a suspected duplicate intake into the incident it repeats")
def merge(incident_id: Id, body: MergeIn, session: SessionDep, caller: Actor) -> dict:
    first, second = sorted((incident_id, body.into))  # lock both in id order: two merges never deadlock
    locked = {i: repository.get(session, i, for_update=True) for i in dict.fromkeys((first, second))}
    return views.incident_dict(service.merge_duplicate(session, caller, locked[incident_id], locked[body.into], body))


@router.get("/reports/overdue", summary="Mandated reports due and not met at an instant (default now)")
@one_hop
def overdue(session: SessionDep, caller: Reader, at: Instant | None = None, drill: bool = False) -> list[dict]:
    now = utcnow()
    instant = ensure_utc(at) if at else now
    if instant > now + service.MAX_BACKDATE:
        raise invalid("at", "查询时点不能晚于 7 天后", "at must be within the next 7 days")
    rows, leads = clock.overdue(session, instant, drill=drill)
    return json_answer([views.overdue_dict(row, instant, leads) for row in rows])
