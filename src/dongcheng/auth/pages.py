"""Sign-in pages: the login form, its post (rate-limited, a session cookie) and logging out."""
from __future__ import annotations

from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from dongcheng.api.deps import SESSION_COOKIE, SessionDep, SettingsDep, request_token
from dongcheng.auth import service as auth
from dongcheng.core.errors import DomainError
from dongcheng.web.deps import PageCaller
from dongcheng.web.templating import check_csrf, render

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    parsed = urlparse(target or "/")
    return target if target and not parsed.netloc and not parsed.scheme and target.startswith("/") else "/"


@router.get("/login")
def login_page(request: Request, caller: PageCaller, next: str | None = None):
    return render(request, "login.html", {"next": _safe_next(next)})


@router.post("/login")
def login(
    request: Request, session: SessionDep, settings: SettingsDep,
    username: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/",
):
    request.state.caller = None
    check_csrf(request, csrf_token)
    try:
        user = auth.log_in(session, settings, username, password, request.client.host if request.client else "")
    except DomainError as exc:  # answered, not raised: the counted failure is committed with the request
        response = render(request, "login.html", {"message": f"{exc.zh}（{exc.en}）", "username": username,
                                                  "next": _safe_next(next)}, status_code=exc.status_code)
        response.headers.update(exc.headers)
        return response
    token = auth.issue_token(session, settings, user, kind="session")
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax",
                        secure=settings.environment == "production", max_age=settings.token_ttl_hours * 3600)
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep, csrf_token: Annotated[str, Form()] = ""):
    check_csrf(request, csrf_token)
    token = request_token(request)
    if token:
        auth.revoke_token(session, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
