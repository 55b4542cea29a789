"""Request-scoped dependencies: the one transaction per request, and who is calling."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from dongcheng.auth.service import Caller, authorize, caller_for, user_for_token
from dongcheng.core.config import Settings
from dongcheng.core.db import begin_write
from dongcheng.core.errors import unauthorized

SESSION_COOKIE = "dc_session"
MUTATING = {"POST", "PUT", "PATCH", "DELETE"}


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed before the response is sent, rolled back on any error."""
    session: Session = request.app.state.sessionmaker()
    try:
        if request.method in MUTATING:
            begin_write(session)
        yield session
        session.commit()
    except BaseException:
        # Detach first so the objects already loaded (the caller shown on an error page) keep their state;
        # a plain rollback would expire them and the error page would fail on a closed session.
        session.expunge_all()
        session.rollback()
        raise
    finally:
        session.close()


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def request_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.cookies.get(SESSION_COOKIE)


def optional_caller(request: Request, session: SessionDep) -> Caller | None:
    token = request_token(request)
    if not token:
        return None
    user = user_for_token(session, token)
    return caller_for(session, user) if user else None


def current_caller(caller: Annotated[Caller | None, Depends(optional_caller)]) -> Caller:
    if caller is None:
        raise unauthorized()
    return caller


OptionalCaller = Annotated[Caller | None, Depends(optional_caller)]
CurrentCaller = Annotated[Caller, Depends(current_caller)]


def require(action: str):
    """Route-level permission: ``caller: Annotated[Caller, Depends(require("users.manage"))]``."""

    def _check(caller: CurrentCaller) -> Caller:
        authorize(caller, action)
        return caller

    _check.permission_action = action  # read by the permission-matrix test
    return _check
