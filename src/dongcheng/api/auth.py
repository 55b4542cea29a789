from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request

from dongcheng.api.deps import CurrentCaller, SessionDep, SettingsDep, request_token
from dongcheng.auth import service

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post("/token", summary="Log in: form username + password → bearer token")
def issue_token(
    session: SessionDep, settings: SettingsDep, request: Request,
    username: Annotated[str, Form(min_length=1, max_length=60)],
    password: Annotated[str, Form(min_length=1, max_length=200)],
) -> dict:
    request.app.state.login_limiter.check(username, request.client.host if request.client else "")
    try:
        user = service.authenticate(session, settings, username, password)
    except Exception:
        request.app.state.login_limiter.failed(username, request.client.host if request.client else "")
        raise
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
