"""Pages: login, logout, home; the domain pages live beside this file and are included here."""
from __future__ import annotations

from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from dongcheng.api.deps import SESSION_COOKIE, SessionDep, SettingsDep, request_token
from dongcheng.auth import service as auth
from dongcheng.auth.permissions import scope_for
from dongcheng.core.errors import DomainError
from dongcheng.core.time import utcnow
from dongcheng.directory import service as directory
from dongcheng.emergency.incidents import repository as incidents
from dongcheng.emergency.warnings import service as warnings
from dongcheng.reference import service as reference
from dongcheng.web import accountability_pages, directory_pages, incident_pages, reference_pages
from dongcheng.web.deps import PageCaller
from dongcheng.web.templating import check_csrf, render

router = APIRouter(include_in_schema=False)
router.include_router(directory_pages.router)
router.include_router(reference_pages.router)
router.include_router(incident_pages.router)
router.include_router(accountability_pages.router)


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
    limiter = request.app.state.login_limiter
    address = request.client.host if request.client else ""
    try:
        limiter.check(username, address)
        user = auth.authenticate(session, settings, username, password)
    except DomainError as exc:
        if exc.status_code == 401:
            limiter.failed(username, address)
        return render(request, "login.html", {"message": f"{exc.zh}（{exc.en}）", "username": username,
                                              "next": _safe_next(next)}, status_code=exc.status_code)
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


def _waiting(session, caller) -> list[dict]:
    """What waits for the signed-in user today, each with where to act and the clause that makes it due."""
    if caller is None:
        return []
    out = []
    if scope_for("incidents.read", caller.user.role):
        overdue = len(incidents.overdue_at(session, utcnow()))
        out += [{"label": "未结束的突发事件", "count": incidents.count_open(session), "url": "/incidents/board",
                 "urgent": False, "basis": "东政发〔2022〕3号 §4"},
                {"label": "已超时未报的信息报送", "count": overdue, "url": "/incidents/board#overdue", "urgent": overdue > 0,
                 "basis": "东政发〔2022〕3号 §4.1.4, §4.1.5"}]
    if scope_for("warnings.approve", caller.user.role) or scope_for("warnings.draft", caller.user.role):
        out.append({"label": "待我办理的预警", "count": len(warnings.inbox(session, caller)), "url": "/warnings#inbox",
                    "urgent": False, "basis": "东政发〔2022〕3号 §3.2.3(2)"})
    return out


@router.get("/")
def home(request: Request, session: SessionDep, caller: PageCaller):
    leaders = [(seat, directory.holders_of(session, seat)) for seat in directory.leader_seats(session)]
    return render(request, "home.html", {
        "active": "home", "leaders": leaders, "waiting": _waiting(session, caller),
        "event_type_count": len(reference.list_event_types(session)),
        "unit_count": len(directory.list_units(session)),
        "plan_count": len(reference.list_plans(session)),
    })
