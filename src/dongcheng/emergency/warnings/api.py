"""Warning API (SPEC §4): thin handlers over service.py; the rules decide who may do what (403) and when (409)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.orm import Session

from dongcheng.api.deps import CurrentCaller, OptionalCaller, SessionDep, require
from dongcheng.api.params import Id
from dongcheng.auth.service import Caller, authorize
from dongcheng.core.time import utcnow
from dongcheng.emergency.warnings import cap, dissemination, service, subscribers
from dongcheng.emergency.warnings.enums import Level
from dongcheng.emergency.warnings.models import EarlyWarning
from dongcheng.emergency.warnings.schemas import (
    ChecklistTick,
    LevelChange,
    Lift,
    Return,
    SubscriberCreate,
    SubscriberUpdate,
    Unsubscribe,
    WarningCreate,
    WarningUpdate,
)
from dongcheng.emergency.warnings.views import public_dict, subscriber_dict, warning_dict

router = APIRouter(prefix="/api", tags=["warnings 预警"])
CAP_MEDIA_TYPE = "application/cap+xml"
WarningId = Id
ItemId = Id
SubscriberId = Id

# Route-level permissions (auth/permissions.py); rules.py then decides per warning (unit, post, state).
Drafter = Annotated[Caller, Depends(require("warnings.draft"))]
Editor = Annotated[Caller, Depends(require("warnings.edit"))]
Approver = Annotated[Caller, Depends(require("warnings.approve"))]
Publisher = Annotated[Caller, Depends(require("warnings.publish"))]
Lifter = Annotated[Caller, Depends(require("warnings.lift"))]
Ticker = Annotated[Caller, Depends(require("warnings.tick"))]
SubscriberAdmin = Annotated[Caller, Depends(require("warnings.subscribers"))]


def _shown(session: Session, w: EarlyWarning, caller: Caller, *, detail: bool = True) -> dict:
    """The warning's JSON for this caller: the facts read through the service, shaped by views.py."""
    return warning_dict(w, service.warning_facts(session, w, caller, detail=detail))


@router.post("/warnings", status_code=201, summary="Draft a warning for the caller's unit (§3.2.4)")
def create_warning(body: WarningCreate, session: SessionDep, caller: Drafter) -> dict:
    return _shown(session, service.create_draft(session, caller=caller, data=body), caller)


@router.get("/warnings", summary="Warnings the caller may see")
def list_warnings(session: SessionDep, caller: CurrentCaller, status: str | None = None) -> list[dict]:
    return [_shown(session, w, caller, detail=False) for w in service.list_warnings(session, caller, status=status)]


@router.get("/warnings/inbox", summary="What waits for the caller: approvals, publications, drafts")
def warnings_inbox(session: SessionDep, caller: CurrentCaller) -> list[dict]:
    return [{**_shown(session, w, caller, detail=False), "waiting_for": step}
            for w, step in service.inbox(session, caller)]


# The registry's routes come before /warnings/{warning_id}, which would otherwise take “subscribers” for an id.
@router.post("/warnings/subscribers", status_code=201, summary="Register a subscriber (§3.2.8)")
def add_subscriber(body: SubscriberCreate, session: SessionDep, caller: SubscriberAdmin) -> dict:
    subscribers.street_in_scope(session, caller, body.street)
    return subscriber_dict(subscribers.add_subscriber(session, actor=caller.actor, data=body))


@router.get("/warnings/subscribers", summary="The subscriber registry, a page at a time (§3.2.8)")
def list_subscribers(session: SessionDep, caller: CurrentCaller,
                     street: Annotated[str | None, Query(max_length=40, description="街道")] = None,
                     q: Annotated[str | None, Query(max_length=120, description="姓名或联系方式")] = None,
                     targeted: Annotated[bool | None, Query(description="须定向通知（§3.2.8）")] = None,
                     include_inactive: bool = False,
                     limit: Annotated[int, Query(ge=1, le=500)] = 50,
                     offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> dict:
    street = subscribers.street_in_scope(session, caller, street)
    rows, total = subscribers.list_subscribers(session, street=street, query=q, targeted=targeted,
                                               include_inactive=include_inactive, limit=limit, offset=offset)
    return {"total": total, "limit": limit, "offset": offset, "items": [subscriber_dict(r) for r in rows]}


@router.get("/warnings/subscribers/stats", summary="Subscribers per street (all and targeted, §3.2.8)")
def subscriber_stats(session: SessionDep, caller: CurrentCaller) -> list[dict]:
    authorize(caller, "warnings.subscribers")
    return subscribers.subscriber_stats(session)


@router.get("/warnings/subscribers/{subscriber_id}", summary="One subscriber")
def get_subscriber(subscriber_id: SubscriberId, session: SessionDep, caller: CurrentCaller) -> dict:
    return subscriber_dict(subscribers.get_in_scope(session, caller, subscriber_id))


@router.patch("/warnings/subscribers/{subscriber_id}", summary="Change channels, contact or targeting flags")
def update_subscriber(subscriber_id: SubscriberId, body: SubscriberUpdate, session: SessionDep,
                      caller: SubscriberAdmin) -> dict:
    sub = subscribers.get_in_scope(session, caller, subscriber_id)
    if body.street is not None:
        subscribers.street_in_scope(session, caller, body.street)
    return subscriber_dict(subscribers.update_subscriber(session, actor=caller.actor, sub=sub, data=body))


@router.post("/warnings/subscribers/{subscriber_id}/unsubscribe", summary="Unsubscribe (kept for the record)")
def unsubscribe(subscriber_id: SubscriberId, body: Unsubscribe, session: SessionDep, caller: SubscriberAdmin) -> dict:
    sub = subscribers.get_in_scope(session, caller, subscriber_id)
    return subscriber_dict(subscribers.unsubscribe(session, actor=caller.actor, sub=sub, reason=body.reason))


@router.get("/warnings/{warning_id}", summary="A warning with status, required_approver and basis")
def get_warning(warning_id: WarningId, session: SessionDep, caller: CurrentCaller) -> dict:
    return _shown(session, service.get_warning(session, warning_id, caller), caller)


@router.patch("/warnings/{warning_id}", summary="Edit a draft")
def edit_warning(warning_id: WarningId, body: WarningUpdate, session: SessionDep, caller: Editor) -> dict:
    return _shown(session, service.update_draft(session, caller=caller, warning_id=warning_id, data=body), caller)


@router.post("/warnings/{warning_id}/submit", summary="Propose for approval (orange/red go to the 区应急办)")
def submit_warning(warning_id: WarningId, session: SessionDep, caller: Editor) -> dict:
    return _shown(session, service.submit(session, caller=caller, warning_id=warning_id), caller)


@router.post("/warnings/{warning_id}/approve", summary="Approve (§3.2.3(2): 区长 red, 分管区领导 orange, unit blue/yellow)")
def approve_warning(warning_id: WarningId, session: SessionDep, caller: Approver) -> dict:
    return _shown(session, service.approve(session, caller=caller, warning_id=warning_id), caller)


@router.post("/warnings/{warning_id}/return", summary="Send a proposal back to its drafter with a reason (§3.2.3(2))")
def return_warning(warning_id: WarningId, body: Return, session: SessionDep, caller: Approver) -> dict:
    return _shown(session, service.return_for_revision(session, caller=caller, warning_id=warning_id,
                                                       reason=body.reason), caller)


@router.post("/warnings/{warning_id}/publish", summary="Publish (§3.2.3(3): public via the 区预警信息发布中心)")
def publish_warning(warning_id: WarningId, session: SessionDep, caller: Publisher) -> dict:
    return _shown(session, service.publish(session, caller=caller, warning_id=warning_id), caller)


@router.post("/warnings/{warning_id}/change-level", summary="Change the level (§3.2.6)")
def change_warning_level(warning_id: WarningId, body: LevelChange, session: SessionDep, caller: Approver) -> dict:
    w = service.change_level(session, caller=caller, warning_id=warning_id, level=Level(body.level), reason=body.reason)
    return _shown(session, w, caller)


@router.post("/warnings/{warning_id}/lift", summary="Lift (§3.2.7 谁发布、谁解除)")
def lift_warning(warning_id: WarningId, session: SessionDep, caller: Lifter, body: Lift | None = None) -> dict:
    w = service.lift(session, caller=caller, warning_id=warning_id, reason=(body.reason if body else ""))
    return _shown(session, w, caller)


@router.post("/warnings/checklist/{item_id}/tick", summary="Tick a §3.2.5 response measure of the caller's unit")
def tick_measure(item_id: ItemId, body: ChecklistTick, session: SessionDep, caller: Ticker) -> dict:
    item = service.tick_checklist_item(session, caller=caller, item_id=item_id, note=body.note)
    return {"id": item.id, "unit": item.unit.name, "done_by": item.done_by, "note": item.note, "basis": item.clause}


@router.get("/warnings/{warning_id}/coverage", summary="Share of affected subscribers reached (§3.2.8)")
def warning_coverage(warning_id: WarningId, session: SessionDep, caller: CurrentCaller) -> dict:
    return dissemination.coverage(session, service.get_warning(session, warning_id, caller))


@router.get("/warnings/{warning_id}/cap", summary="OASIS CAP 1.2 XML (Alert / Update / Cancel)",
            response_class=Response, responses={200: {"content": {CAP_MEDIA_TYPE: {}}}})
def warning_cap(warning_id: WarningId, session: SessionDep, caller: OptionalCaller,
                seq: Annotated[int | None, Query(ge=1, le=10_000)] = None) -> Response:
    """Public warnings' CAP is public once published; an internal one only inside its industry."""
    warning = service.get_warning(session, warning_id, caller)
    return Response(dissemination.cap_xml(session, warning, seq), media_type=CAP_MEDIA_TYPE)


@router.get("/public/warnings", summary="Published, unlifted public warnings (no login)")
def public_warnings(session: SessionDep) -> list[dict]:
    return [public_dict(w) for w in service.public_warnings(session)]


@router.get("/public/warnings.atom", summary="Atom feed of public warnings: every Alert, Update and Cancel of "
            "the last 7 days and the warnings in force, each linking to its CAP message",
            response_class=Response, responses={200: {"content": {"application/atom+xml": {}}}})
def public_warnings_feed(request: Request, session: SessionDep) -> Response:
    entries = dissemination.feed_entries(session)
    updated = max((e["updated"] for e in entries), default=None) or utcnow()
    base = cap.cap_settings().base_url or str(request.base_url).rstrip("/")
    return Response(cap.atom_feed(entries, base_url=base, updated=updated), media_type="application/atom+xml")
