"""Auth API (SPEC §1): log in for a bearer token, log out, who am I; an admin's platform users."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from pydantic import BaseModel, Field

from dongcheng.api.deps import CurrentCaller, SessionDep, SettingsDep, request_token, require
from dongcheng.api.errors import error_response
from dongcheng.auth import rules, service
from dongcheng.auth.models import User
from dongcheng.auth.permissions import Role
from dongcheng.core.errors import DomainError

router = APIRouter(prefix="/api/auth", tags=["auth"])
users_router = APIRouter(prefix="/api", tags=["admin"])

Admin = Annotated[service.Caller, Depends(require("users.manage"))]


@router.post("/token", summary="Log in: form username + password → bearer token")
def issue_token(
    session: SessionDep, settings: SettingsDep, request: Request,
    username: Annotated[str, Form(min_length=1, max_length=60)],
    password: Annotated[str, Form(min_length=1, max_length=200)],
) -> dict:
    try:
        user = service.log_in(session, settings, username, password, request.client.host if request.client else "")
    except DomainError as exc:  # answered, not raised: the counted failure is committed with the request
        return error_response(request, exc)
    return {"access_token": service.issue_token(session, settings, user), "token_type": "bearer"}


@router.post("/logout", summary="Revoke the token used for this request")
def logout(session: SessionDep, caller: CurrentCaller, request: Request) -> dict:
    token = request_token(request)
    if token:
        service.revoke_token(session, token)
    return {"ok": True}


@router.get("/me", summary="Who am I: role, unit, and the posts I hold today")
def me(caller: CurrentCaller) -> dict:
    return caller.to_dict()


def user_dict(user: User) -> dict:
    return {"id": user.id, "username": user.username, "display_name": user.display_name, "role": user.role,
            "person": user.person.name if user.person else None, "unit": user.unit.name if user.unit else None,
            "is_active": user.is_active}


class UserIn(BaseModel):
    username: str = Field(min_length=2, max_length=60, pattern=r"^[A-Za-z0-9._-]+$")
    password: str = Field(min_length=rules.PASSWORD_MIN_LENGTH, max_length=rules.PASSWORD_MAX_LENGTH)
    display_name: str = Field(min_length=1, max_length=80)
    role: Role
    person: str | None = Field(default=None, max_length=40, description="name of a person in the directory")
    unit: str | None = Field(default=None, max_length=200, description="unit name or alias")


class PasswordIn(BaseModel):
    password: str = Field(min_length=1, max_length=rules.PASSWORD_MAX_LENGTH,
                          description=f"at least {rules.PASSWORD_MIN_LENGTH} characters")


@users_router.get("/admin/users", summary="Platform users")
def users(session: SessionDep, caller: Admin) -> list[dict]:
    return [user_dict(u) for u in service.list_users(session)]


@users_router.post("/admin/users/{username}/deactivate", summary="Deactivate a user and revoke their tokens")
def deactivate_user(username: str, session: SessionDep, caller: Admin) -> dict:
    return user_dict(service.deactivate_user(session, actor=caller.actor, username=username))


@users_router.post("/admin/users/{username}/reset-password", summary="Set a user's password and revoke their tokens")
def reset_password(username: str, body: PasswordIn, session: SessionDep, caller: Admin) -> dict:
    return user_dict(service.reset_password(session, actor=caller.actor, username=username, password=body.password))


@users_router.post("/admin/users", status_code=201, summary="Create a user linked to a person or a unit")
def create_user(body: UserIn, session: SessionDep, caller: Admin) -> dict:
    user = service.create_user_named(session, actor=caller.actor, username=body.username, password=body.password,
                                     display_name=body.display_name, role=body.role, person=body.person,
                                     unit=body.unit)
    return user_dict(user)
