"""Warning pages (Chinese): list and inbox, drafting form, warning page (coverage, checklists, history), and the
public warnings page (no login, readable on a phone). Thin: every step calls the same service as the API.
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from dongcheng.api.deps import SessionDep
from dongcheng.auth.permissions import scope_for
from dongcheng.core.errors import DomainError
from dongcheng.core.time import BEIJING
from dongcheng.core.types import Id
from dongcheng.directory.service import list_units
from dongcheng.emergency.warnings import authority, dissemination, rules, service, subscribers
from dongcheng.emergency.warnings.enums import STATUS_LABELS, Level, Status
from dongcheng.emergency.warnings.schemas import SubscriberCreate, WarningCreate
from dongcheng.emergency.warnings.views import warning_dict
from dongcheng.reference.service import list_event_types, list_items
from dongcheng.web.deps import PageCaller, PageUser
from dongcheng.web.templating import check_csrf, render

router = APIRouter(include_in_schema=False)
PageId = Id
STEPS = {"submit", "approve", "return", "publish", "lift", "change-level"}


def _streets(session) -> list[str]:
    return [u.name for u in list_units(session, "street")] + [u.name for u in list_units(session, "key_area")]


def _form_context(session, **extra) -> dict:
    return {"active": "warnings", "levels": list(Level), "event_types": list_event_types(session),
            "streets": _streets(session), **extra}


def _shown(session, w, caller, *, detail: bool = True) -> dict:
    return warning_dict(w, service.warning_facts(session, w, caller, detail=detail))


@router.get("/warnings")
def warnings_page(request: Request, session: SessionDep, caller: PageUser, status: str | None = None):
    rows = [_shown(session, w, caller, detail=False) for w in service.list_warnings(session, caller, status=status)]
    waiting = [(_shown(session, w, caller, detail=False), step) for w, step in service.inbox(session, caller)]
    return render(request, "warnings/list.html", {
        "active": "warnings", "rows": rows, "waiting": waiting, "status": status, "statuses": STATUS_LABELS,
        "may_draft": rules.may_draft(authority.acting_of(session, caller)).allowed,
        "may_register": scope_for(subscribers.ACTION, caller.user.role) is not None,
    })


@router.get("/warnings/new")
def new_warning_page(request: Request, session: SessionDep, caller: PageUser):
    return render(request, "warnings/new.html", _form_context(session, form={"public": True, "level": "黄色"}))


@router.post("/warnings/new")
def create_warning_from_form(
    request: Request, session: SessionDep, caller: PageUser,
    csrf_token: Annotated[str, Form()] = "", level: Annotated[str, Form()] = "",
    event_type: Annotated[str, Form()] = "", title: Annotated[str, Form()] = "",
    starts_at: Annotated[str, Form()] = "", expected_duration_hours: Annotated[str, Form()] = "",
    area_streets: Annotated[list[str] | None, Form()] = None, precautions: Annotated[str, Form()] = "",
    measures: Annotated[str, Form()] = "", public: Annotated[str, Form()] = "",
):
    check_csrf(request, csrf_token)
    form = {"level": level, "event_type": event_type, "title": title, "starts_at": starts_at,
            "expected_duration_hours": expected_duration_hours, "area_streets": area_streets or [],
            "precautions": precautions, "measures": measures, "public": public == "on"}
    try:
        data = WarningCreate(
            level=level, event_type=event_type or None, title=title,
            starts_at=datetime.fromisoformat(starts_at).replace(tzinfo=BEIJING) if starts_at else None,
            expected_duration_hours=float(expected_duration_hours) if expected_duration_hours else None,
            area_streets=area_streets or [], precautions=precautions, measures=measures, public=public == "on")
        warning = service.create_draft(session, caller=caller, data=data)
    except DomainError as exc:
        if exc.status_code != 422:
            raise
        return render(request, "warnings/new.html", _form_context(session, form=form, errors=exc.fields),
                      status_code=422)
    except ValidationError as exc:
        errors = [{"field": ".".join(str(p) for p in e["loc"]) or "form", "zh": "取值无效", "en": e["msg"]}
                  for e in exc.errors()]
        return render(request, "warnings/new.html", _form_context(session, form=form, errors=errors), status_code=422)
    except ValueError as exc:  # a number or a time the browser should not have sent
        errors = [{"field": "form", "zh": "数字或时间格式有误", "en": str(exc)}]
        return render(request, "warnings/new.html", _form_context(session, form=form, errors=errors), status_code=422)
    return RedirectResponse(f"/warnings/{warning.id}", status_code=303)


# The registry's pages come before /warnings/{warning_id}, which would otherwise take “subscribers” for an id.
SUBSCRIBER_PAGE = 50


def _subscriber_context(session, caller, street: str | None, q: str, page: int, **extra) -> dict:
    street = subscribers.street_in_scope(session, caller, street or None)
    rows, total = subscribers.list_subscribers(session, street=street, query=q or None,
                                               limit=SUBSCRIBER_PAGE, offset=(page - 1) * SUBSCRIBER_PAGE)
    own_only = subscribers.street_in_scope(session, caller, None) is not None
    return {"active": "subscribers", "rows": rows, "total": total, "street": street, "q": q, "page": page,
            "pages": max(1, -(-total // SUBSCRIBER_PAGE)), "own_only": own_only,
            "stats": subscribers.subscriber_stats(session, street=street if own_only else None),
            "streets": [street] if own_only else _streets(session),
            "channels": [i.text for i in list_items(session, "warning_channels")],
            "groups": [i.text for i in list_items(session, "vulnerable_groups")],
            "places": [i.text for i in list_items(session, "special_places")], **extra}


@router.get("/warnings/subscribers")
def subscribers_page(request: Request, session: SessionDep, caller: PageUser, street: str = "", q: str = "",
                     page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                     registered: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None):
    """§3.2.8 registry: who in which street receives warnings, by which channels, and who needs a targeted notice."""
    return render(request, "warnings/subscribers.html",
                  _subscriber_context(session, caller, street[:40], q[:120], page, form={},
                                                     registered=registered))


@router.post("/warnings/subscribers")
def register_subscriber_from_form(
    request: Request, session: SessionDep, caller: PageUser,
    csrf_token: Annotated[str, Form()] = "", kind: Annotated[str, Form()] = "resident",
    name: Annotated[str, Form()] = "", street: Annotated[str, Form()] = "", contact: Annotated[str, Form()] = "",
    channels: Annotated[list[str] | None, Form()] = None, vulnerable_groups: Annotated[list[str] | None, Form()] = None,
    special_place: Annotated[str, Form()] = "", blind_spot: Annotated[str, Form()] = "",
):
    check_csrf(request, csrf_token)
    form = {"kind": kind, "name": name, "street": street, "contact": contact, "channels": channels or [],
            "vulnerable_groups": vulnerable_groups or [], "special_place": special_place, "blind_spot": blind_spot}
    try:
        subscribers.street_in_scope(session, caller, street or None)
        data = SubscriberCreate(kind=kind, name=name, street=street, contact=contact, channels=channels or [],
                                vulnerable_groups=vulnerable_groups or [], special_place=special_place or None,
                                blind_spot=blind_spot == "on")
        sub = subscribers.add_subscriber(session, actor=caller.actor, data=data)
    except DomainError as exc:
        if exc.status_code != 422:
            raise
        errors = exc.fields
    except ValidationError as exc:
        errors = [{"field": ".".join(str(p) for p in e["loc"]) or "form", "zh": FIELD_HINTS.get(
            str(e["loc"][0]) if e["loc"] else "", "取值无效"), "en": e["msg"]} for e in exc.errors()]
    else:
        return RedirectResponse(f"/warnings/subscribers?street={sub.street}&registered={sub.id}", status_code=303)
    return render(request, "warnings/subscribers.html",
                  _subscriber_context(session, caller, None, "", 1, form=form, errors=errors), status_code=422)


@router.post("/warnings/subscribers/{subscriber_id}/unsubscribe")
def unsubscribe_from_form(subscriber_id: PageId, request: Request, session: SessionDep, caller: PageUser,
                          csrf_token: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = ""):
    check_csrf(request, csrf_token)
    sub = subscribers.get_in_scope(session, caller, subscriber_id)
    subscribers.unsubscribe(session, actor=caller.actor, sub=sub, reason=reason[:500])
    return RedirectResponse(f"/warnings/subscribers?street={sub.street}", status_code=303)


FIELD_HINTS = {"name": "请填写姓名或单位名称", "channels": "请至少选择一个接收渠道", "street": "请选择街道",
               "contact": "联系方式过长"}


@router.get("/warnings/{warning_id}")
def warning_page(warning_id: PageId, request: Request, session: SessionDep, caller: PageUser):
    w = service.get_warning(session, warning_id, caller)
    data = _shown(session, w, caller)
    by_unit: dict[str, list[dict]] = {}
    for item in data["checklist"]:
        by_unit.setdefault(item["unit"], []).append(item)
    acting = authority.acting_of(session, caller)
    return render(request, "warnings/detail.html", {
        "active": "warnings", "w": data, "checklists": by_unit, "levels": list(Level),
        "my_units": {u for u in by_unit if acting and acting.in_unit(u)},
        "change_levels": [a.split(":", 1)[1] for a in data["allowed_actions"] if a.startswith("change_level:")],
    })


@router.post("/warnings/{warning_id}/{action}")
def warning_step(
    warning_id: PageId, action: str, request: Request, session: SessionDep, caller: PageUser,
    csrf_token: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "", level: Annotated[str, Form()] = "",
):
    check_csrf(request, csrf_token)
    if action not in STEPS:
        raise DomainError("不支持的操作", f"unknown step {action}", 404)
    if action == "submit":
        service.submit(session, caller=caller, warning_id=warning_id)
    elif action == "approve":
        service.approve(session, caller=caller, warning_id=warning_id)
    elif action == "return":
        service.return_for_revision(session, caller=caller, warning_id=warning_id, reason=reason)
    elif action == "publish":
        service.publish(session, caller=caller, warning_id=warning_id)
    elif action == "lift":
        service.lift(session, caller=caller, warning_id=warning_id, reason=reason)
    else:
        try:
            new_level = Level(level)
        except ValueError as exc:
            raise DomainError("输入有误", "Invalid input", 422) from exc
        service.change_level(session, caller=caller, warning_id=warning_id, level=new_level, reason=reason)
    return RedirectResponse(f"/warnings/{warning_id}", status_code=303)


@router.post("/warnings/checklist/{item_id}/tick")
def tick_page(item_id: PageId, request: Request, session: SessionDep, caller: PageUser,
              csrf_token: Annotated[str, Form()] = "", note: Annotated[str, Form()] = ""):
    check_csrf(request, csrf_token)
    item = service.tick_checklist_item(session, caller=caller, item_id=item_id, note=note)
    return RedirectResponse(f"/warnings/{item.warning_id}#checklists", status_code=303)


@router.get("/public/warnings")
def public_page(request: Request, session: SessionDep, caller: PageCaller):
    """No login: the published, unlifted public warnings (§3.2.3(3)), for a phone first."""
    rows = [(w, dissemination.messages_of(session, w)[-1:]) for w in service.public_warnings(session)]
    return render(request, "warnings/public.html", {"active": "public_warnings", "rows": rows,
                                                    "ends_at": rules.ends_at, "Level": Level,
                                                    "published": Status.PUBLISHED})
