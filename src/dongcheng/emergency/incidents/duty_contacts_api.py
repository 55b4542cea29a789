"""Duty contacts API (where the reporting clock's escalation waves go, escalation.py): list, add, remove — by unit or
by leader seat, never by person. The same service functions as ``dongcheng duty-contacts`` and the page; the
permission is the table's ``reference.load`` (the platform administrator keeps reference data, SPEC §1)."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field

from dongcheng.api.deps import SessionDep, require
from dongcheng.api.params import Id
from dongcheng.auth.service import Caller
from dongcheng.emergency.incidents import escalation

PERMISSION = "reference.load"
router = APIRouter(prefix="/api/duty-contacts", tags=["duty contacts 值班联系方式"])
Keeper = Annotated[Caller, Depends(require(PERMISSION))]


class DutyContactIn(BaseModel):
    """Exactly one of ``unit`` (a unit's name or alias) or ``post`` (a leader seat's code); never a person."""

    model_config = ConfigDict(extra="forbid")
    unit: Annotated[str | None, Field(min_length=1, max_length=50, description="e.g. 区城市管理委")] = None
    post: Annotated[str | None, Field(min_length=1, max_length=200, description="e.g. executive-vice-mayor")] = None
    channel: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]{0,19}$", description="the gateway's channel")] = "sms"
    contact: Annotated[str, Field(min_length=1, max_length=120, description="the address on the channel")]
    label: Annotated[str, Field(min_length=1, max_length=80, description="e.g. 值班室, 办公室")] = "值班室"


class DutyContactOut(BaseModel):
    id: int
    kind: str = Field(description="unit | post")
    target: str = Field(description="the unit's name, or the seat's title (code)")
    unit: str | None
    post: str | None
    channel: str
    contact: str
    label: str
    created_at: datetime
    basis: str


def contact_dict(session, row, target: str) -> dict:
    """A duty contact as the API and the page show it."""
    unit, post = escalation.whom(session, row)
    return {"id": row.id, "kind": "unit" if row.unit_id is not None else "post", "target": target,
            "unit": unit, "post": post,
            "channel": row.channel, "contact": row.contact, "label": row.label, "created_at": row.created_at,
            "basis": escalation.CONTACT_BASIS}


@router.get("", summary="Every duty contact, with the unit or leader seat it reaches")
def list_duty_contacts(session: SessionDep, caller: Keeper) -> list[DutyContactOut]:
    return [DutyContactOut(**contact_dict(session, row, target)) for row, target in escalation.duty_contacts(session)]


@router.post("", status_code=201, summary="Add a duty contact of a unit or a leader seat (never a person)")
def add_duty_contact(body: DutyContactIn, session: SessionDep, caller: Keeper) -> DutyContactOut:
    row = escalation.add_duty_contact(session, actor=caller.actor, unit_name=body.unit, post_code=body.post,
                                      channel=body.channel, contact=body.contact, label=body.label)
    target = next(t for r, t in escalation.duty_contacts(session) if r.id == row.id)
    return DutyContactOut(**contact_dict(session, row, target))


@router.delete("/{contact_id}", status_code=204, response_class=Response, summary="Remove a duty contact")
def remove_duty_contact(contact_id: Id, session: SessionDep, caller: Keeper) -> Response:
    escalation.remove_duty_contact(session, actor=caller.actor, contact_id=contact_id)
    return Response(status_code=204)
