from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlalchemy import select

from dongcheng.api.deps import SessionDep, require
from dongcheng.audit import service as audit
from dongcheng.audit.models import AuditEntry
from dongcheng.auth import service
from dongcheng.auth.models import User
from dongcheng.auth.permissions import Role
from dongcheng.core.errors import DomainError, FieldError
from dongcheng.directory.models import Person
from dongcheng.directory.service import find_unit

router = APIRouter(prefix="/api", tags=["admin"])

Admin = Annotated[service.Caller, Depends(require("users.manage"))]
AuditReader = Annotated[service.Caller, Depends(require("audit.read"))]


def user_dict(user: User) -> dict:
    return {"id": user.id, "username": user.username, "display_name": user.display_name, "role": user.role,
            "person": user.person.name if user.person else None, "unit": user.unit.name if user.unit else None,
            "is_active": user.is_active}


class UserIn(BaseModel):
    username: str = Field(min_length=2, max_length=60, pattern=r"^[A-Za-z0-9._-]+$")
    password: str = Field(min_length=10, max_length=200)
    display_name: str = Field(min_length=1, max_length=80)
    role: Role
    person: str | None = Field(default=None, max_length=40, description="name of a person in the directory")
    unit: str | None = Field(default=None, max_length=200, description="unit name or alias")


@router.get("/admin/users", summary="Platform users")
def users(session: SessionDep, caller: Admin) -> list[dict]:
    return [user_dict(u) for u in session.scalars(select(User).order_by(User.id))]


@router.post("/admin/users", status_code=201, summary="Create a user linked to a person or a unit")
def create_user(body: UserIn, session: SessionDep, caller: Admin) -> dict:
    errors = []
    person = unit = None
    if body.person:
        person = session.scalar(select(Person).where(Person.name == body.person))
        if person is None:
            errors.append(FieldError("person", f"名录中无此人“{body.person}”", f"no person {body.person!r}"))
    if body.unit:
        unit = find_unit(session, body.unit)
        if unit is None:
            errors.append(FieldError("unit", f"未知单位“{body.unit}”", f"unknown unit {body.unit!r}"))
    if errors:
        raise DomainError("输入有误", "Invalid input", 422, errors)
    user = service.create_user(session, actor=caller.actor, username=body.username, password=body.password,
                               display_name=body.display_name, role=body.role, person=person, unit=unit)
    return user_dict(user)


@router.get("/audit", summary="Latest audit entries (newest first)")
def audit_entries(session: SessionDep, caller: AuditReader, limit: int = 50) -> list[dict]:
    limit = max(1, min(limit, 500))
    rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
    return [{"id": e.id, "at": e.at, "actor": e.actor, "post": e.post, "unit": e.unit, "action": e.action,
             "target_type": e.target_type, "target_id": e.target_id, "basis": e.basis, "before": e.before,
             "after": e.after, "hash": e.hash} for e in rows]


@router.get("/audit/verify", summary="Verify the hash chain; names the first broken entry")
def audit_verify(session: SessionDep, caller: AuditReader) -> dict:
    result = audit.verify(session)
    return {"ok": result.ok, "checked": result.checked, "first_broken_id": result.first_broken_id,
            "reason": result.reason}
