"""Jinja2 set-up for the server-rendered pages: filters (local time, dates), CSRF tokens, error pages."""
from __future__ import annotations

import secrets
from datetime import date, datetime
from pathlib import Path

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates

from dongcheng import modules
from dongcheng.api.deps import CSRF_COOKIE
from dongcheng.auth.service import permitted
from dongcheng.core.errors import DomainError
from dongcheng.core.modules import NavLink
from dongcheng.core.time import to_local
from dongcheng.gazette.filters import basis_link
from dongcheng.web import steps

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"

# The shell's templates and every module's templates/ folder (dongcheng.modules), each module's pages under a
# sub-folder of its name ("incidents/board.html"), so a name is found in exactly one folder.
templates = Jinja2Templates(env=jinja2.Environment(
    loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(folder) for folder in modules.template_dirs()]),
    autoescape=jinja2.select_autoescape()))
NAV_LINKS = modules.nav_links()  # the nav bar of base.html, in the registry's order


def nav_for(caller) -> list[tuple[NavLink, str]]:
    """(link, href) of the nav bar for this caller: a link whose page authorizes an action is shown only to whom
    ``authorize`` would admit (the role's row, and a leader only while holding a post: ``permitted``)."""
    role = caller.user.role if caller else None
    return [(link, link.href_for(role)) for link in NAV_LINKS if link.shown_to(role)
            and (caller is None or link.permission is None or permitted(caller, link.permission))]


templates.env.globals["nav_for"] = nav_for


def local_time(value: datetime | str | None, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    """A UTC datetime, or an ISO string with its offset (as the views return), shown in Beijing time."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return to_local(value).strftime(fmt)


def _day(value: date | None, empty: str = "—") -> str:
    return empty if value is None else f"{value.year}年{value.month}月{value.day}日"


templates.env.filters["local"] = local_time
templates.env.filters["day"] = _day
templates.env.filters["basis_link"] = basis_link  # a basis with its document and clauses linked to the gazette


def csrf_token(request: Request) -> str:
    """Double-submit token: the same random value in a SameSite cookie and in each form."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "csrf", None)
    if not token:
        token = secrets.token_urlsafe(24)
        request.state.csrf = token
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not submitted or not secrets.compare_digest(cookie, submitted):
        raise DomainError("页面已过期，请刷新后重试", "Form expired (CSRF check failed); reload and retry", 403)


def render(request: Request, name: str, context: dict | None = None, status_code: int = 200):
    ctx = {"caller": getattr(request.state, "caller", None), "csrf_token": csrf_token(request),
           "step_notice": steps.notice_for(request), **(context or {})}
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    if getattr(request.state, "csrf", None) and not request.cookies.get(CSRF_COOKIE):
        response.set_cookie(CSRF_COOKIE, request.state.csrf, httponly=True, samesite="strict",
                            secure=request.app.state.settings.environment == "production")
    return response


def render_error(request: Request, exc: DomainError):
    return render(request, "error.html", {"error": exc}, status_code=exc.status_code)
