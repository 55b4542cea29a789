"""Command-post API (东政发〔2022〕3号 §4.4): thin handlers over service.py."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from dongcheng.api.deps import SessionDep, require
from dongcheng.api.params import Id
from dongcheng.auth.service import Caller
from dongcheng.core.errors import not_found
from dongcheng.emergency.command_posts import service, views
from dongcheng.emergency.command_posts.schemas import CheckInIn, GroupIn, LogIn, SetUpIn, TaskDoneIn, TaskIn
from dongcheng.emergency.incidents import repository

router = APIRouter(prefix="/api/incidents/{incident_id}/command-post", tags=["command posts"])

Actor = Annotated[Caller, Depends(require("incidents.act"))]
Reader = Annotated[Caller, Depends(require("incidents.read"))]
# Row ids are 32-bit integers on PostgreSQL; a larger id is a 422, not a driver overflow.
RowId = Id


def _shown(session, incident_id: int) -> dict:
    incident = repository.get(session, incident_id)
    post = service.get_post(session, incident)
    if post is None:
        raise not_found("现场指挥部", "command post of incident", incident_id)
    return views.post_dict(post, incident)


@router.get("", summary="现场指挥部: commanders, working groups, check-ins, tasks, log (§4.4)")
def get_post(incident_id: RowId, session: SessionDep, caller: Reader) -> dict:
    return _shown(session, incident_id)


@router.post("", status_code=201, summary="成立现场指挥部 by the lead department (§4.4.1)")
def set_up(incident_id: RowId, body: SetUpIn, session: SessionDep, caller: Actor) -> dict:
    incident = repository.get(session, incident_id, for_update=True)
    return views.post_dict(service.set_up(session, caller, incident, body), incident)


@router.post("/groups", status_code=201, summary="设置工作组 — one of the nine of §4.4.1, with leader and contact")
def add_group(incident_id: RowId, body: GroupIn, session: SessionDep, caller: Actor) -> dict:
    incident = repository.get(session, incident_id, for_update=True)
    return views.group_dict(service.add_group(session, caller, incident, body))


@router.post("/check-ins", status_code=201, summary="报到: an arriving force reports to the post (§4.4.2)")
def check_in(incident_id: RowId, body: CheckInIn, session: SessionDep, caller: Actor) -> dict:
    incident = repository.get(session, incident_id, for_update=True)
    return views.check_in_dict(service.check_in(session, caller, incident, body))


@router.post("/tasks", status_code=201, summary="受领任务: a checked-in force receives a task (§4.4.2)")
def assign_task(incident_id: RowId, body: TaskIn, session: SessionDep, caller: Actor) -> dict:
    incident = repository.get(session, incident_id, for_update=True)
    return views.task_dict(service.assign_task(session, caller, incident, body))


@router.post("/tasks/{task_id}/done", summary="A task reported done (§4.4.2)")
def complete_task(incident_id: RowId, task_id: RowId, session: SessionDep, caller: Actor,
                  body: TaskDoneIn | None = None) -> dict:
    incident = repository.get(session, incident_id, for_update=True)
    return views.task_dict(service.complete_task(session, caller, incident, task_id, body or TaskDoneIn()))


@router.post("/log", status_code=201, summary="A line in the post's timestamped log (§4.4.2)")
def write_log(incident_id: RowId, body: LogIn, session: SessionDep, caller: Actor) -> dict:
    incident = repository.get(session, incident_id, for_update=True)
    return views.log_dict(service.write_log(session, caller, incident, body))
