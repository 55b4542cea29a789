from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from dongcheng.api.deps import SessionDep, require
from dongcheng.api.params import Id
from dongcheng.auth.service import Caller
from dongcheng.core.db import get_or_404
from dongcheng.core.errors import DomainError, FieldError, not_found
from dongcheng.directory import service
from dongcheng.directory.models import Post, Tenure, Unit

router = APIRouter(prefix="/api/directory", tags=["directory"])


def unit_dict(unit: Unit) -> dict:
    return {"id": unit.id, "name": unit.name, "full_name": unit.full_name, "kind": unit.kind,
            "aliases": unit.aliases or [], "parent_id": unit.parent_id, "basis": unit.clause, "note": unit.note}


def tenure_dict(tenure: Tenure) -> dict:
    return {"starts_on": tenure.starts_on, "ends_on": tenure.ends_on, "concurrent": tenure.concurrent,
            "probation_ends_on": tenure.probation_ends_on, "secondment_ends_on": tenure.secondment_ends_on,
            "rank_note": tenure.rank_note, "appointed_by": tenure.appointed_by or None,
            "removed_by": tenure.removed_by or None, "text": tenure.appointed_text or tenure.removed_text}


def post_dict(post: Post) -> dict:
    return {"id": post.id, "code": post.code, "title": post.title, "full_title": post.full_title,
            "kind": post.kind, "unit_id": post.unit_id}


@router.get("/units", summary="Units: district organs, special HQs, streets + key area, city units")
def units(session: SessionDep, kind: str | None = None) -> list[dict]:
    return [unit_dict(u) for u in service.list_units(session, kind)]


@router.get("/units/{unit_id}", summary="One unit with its posts and supervising leader")
def unit(unit_id: Id, session: SessionDep, on: date | None = None) -> dict:
    u = service.get_unit(session, unit_id)
    return {**unit_dict(u), "posts": [
        {**post_dict(p), "holders": [{"person": person.name, "person_id": person.id, **tenure_dict(t)}
                                     for person, t in service.holders_of(session, p, on)]}
        for p in service.posts_of_unit(session, u)
    ], "supervising_leader": service.supervising_leader(session, u, on).to_dict()}


@router.get("/units/{unit_id}/supervising-leader", summary="分管 > 协助分管 > 联系, with basis")
def supervising_leader(unit_id: Id, session: SessionDep, on: date | None = None) -> dict:
    return service.supervising_leader(session, service.get_unit(session, unit_id), on).to_dict()


@router.get("/supervising-leader", summary="Supervising leader of a unit given by any printed name")
def supervising_leader_by_name(unit: str, session: SessionDep, on: date | None = None) -> dict:
    found = service.find_unit(session, unit)
    if found is None:
        raise not_found("单位", "unit", unit)
    return service.supervising_leader(session, found, on).to_dict()


@router.get("/leaders", summary="The district leaders (东政办发〔2021〕18号) with holders and portfolios")
def leaders(session: SessionDep, on: date | None = None) -> list[dict]:
    out = []
    for seat in service.leader_seats(session):
        holders = service.holders_of(session, seat, on)
        out.append({**post_dict(seat), "holder": holders[0][0].name if holders else None,
                    "portfolio": [{"relation": e.relation, "text": e.text, "unit_id": e.unit_id,
                                   "unit_kind": e.unit_kind, "basis": e.clause, "starts_on": e.starts_on,
                                   "ends_on": e.ends_on}
                                  for e in service.portfolio_of(session, seat, on)]})
    return out


@router.get("/posts/{post_id}/holders", summary="Who holds post P on date D")
def holders(post_id: Id, session: SessionDep, on: date | None = None) -> dict:
    post = get_or_404(session, Post, post_id, "职务", "post")
    return {**post_dict(post), "on": on, "holders": [
        {"person": p.name, "person_id": p.id, **tenure_dict(t)} for p, t in service.holders_of(session, post, on)]}


@router.get("/holders", summary="Who holds a post, by unit name and title, on date D")
def holders_by_name(unit: str, title: str, session: SessionDep, on: date | None = None) -> dict:
    found = service.find_unit(session, unit)
    if found is None:
        raise not_found("单位", "unit", unit)
    posts = [p for p in service.posts_of_unit(session, found) if p.title == title]
    if not posts:
        raise not_found("职务", "post", f"{found.name}{title}")
    result = [{"person": p.name, "person_id": p.id, "post": post.full_title, **tenure_dict(t)}
              for post in posts for p, t in service.holders_of(session, post, on)]
    return {"unit": found.name, "title": title, "on": on, "holders": result}


@router.get("/people", summary="People in the directory")
def people(session: SessionDep) -> list[dict]:
    return [{"id": p.id, "name": p.name} for p in service.list_people(session)]


@router.get("/people/{person_id}", summary="A person's posts over time")
def person(person_id: Id, session: SessionDep) -> dict:
    p = service.get_person(session, person_id)
    return {"id": p.id, "name": p.name, "tenures": [
        {"post": post.full_title, "post_id": post.id, "unit": unit.name if unit else None, **tenure_dict(t)}
        for post, t, unit in service.tenures_of(session, p)]}


class AppointmentIn(BaseModel):
    action: Literal["任命", "免去"]
    person: str = Field(min_length=1, max_length=40)
    unit: str = Field(min_length=1, max_length=200, description="unit name, full name or alias")
    title: str = Field(min_length=1, max_length=80, description="post title, e.g. 副主任; for a leader seat its code")
    effective_on: date
    document: str = Field(min_length=1, max_length=80, description="e.g. 东政任〔2022〕3号")
    text: str = Field(default="", max_length=2000)
    concurrent: bool = False
    probation_months: int | None = Field(default=None, ge=1, le=36)


@router.post("/appointments", status_code=201, summary="Record a 任命 / 免去 (platform admin)")
def record_appointment(
    body: AppointmentIn, session: SessionDep,
    caller: Annotated[Caller, Depends(require("directory.record_appointment"))],
) -> dict:
    unit = service.find_unit(session, body.unit)
    if unit is None:
        raise DomainError("输入有误", "Invalid input", 422,
                          [FieldError("unit", f"未知单位“{body.unit}”", f"unknown unit {body.unit!r}")])
    tenure = service.record_appointment(
        session, actor=caller.actor, person_name=body.person, unit=unit, title=body.title, action=body.action,
        effective_on=body.effective_on, document=body.document, text=body.text, concurrent=body.concurrent,
        probation_months=body.probation_months)
    return {"id": tenure.id, "post_id": tenure.post_id, **tenure_dict(tenure)}
