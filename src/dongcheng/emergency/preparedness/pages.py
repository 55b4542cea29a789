"""应急保障 pages (Chinese, usable at 390 px): the overview with the §6.2.2 registries and stock alerts, material
dispatch (list, request form, the order page with approve / return / issue / receive), stock per lot, each registry
(list, search, filters, create, edit; shelters opened by the 区政府), team call-ups. Thin: the same services as the
API; a bad form re-renders with each field's error (422), nothing half-saved."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import ValidationError

from dongcheng.api.deps import SessionDep
from dongcheng.api.params import Id
from dongcheng.auth.service import authorize
from dongcheng.core.errors import DomainError, FieldError
from dongcheng.core.validation import field_errors
from dongcheng.emergency.incidents import repository as incidents
from dongcheng.emergency.preparedness import (
    authority,
    callups,
    registries,
    registry_rules,
    repository,
    service,
    stock,
    stock_rules,
    views,
    xlsx,
)
from dongcheng.emergency.preparedness.enums import MOVEMENT_LABELS, ORIGIN_LABELS
from dongcheng.emergency.preparedness.schemas import (
    ArriveIn,
    CallUpIn,
    DispatchIn,
    IssueIn,
    ReceiptIn,
    ReceiveIn,
    ShelterOpenIn,
)
from dongcheng.web import steps
from dongcheng.web.deps import PageUser
from dongcheng.web.templating import check_csrf, render

router = APIRouter(include_in_schema=False)
steps.register({
    "preparedness.request": "物资需求已提出，等待批准", "preparedness.approve": "已批准，调拨指令已下达",
    "preparedness.return": "已退回申请单位", "preparedness.resubmit": "已重新提交",
    "preparedness.issue": "已确认出库", "preparedness.receive": "已确认签收", "preparedness.receipt": "已入库",
    "preparedness.record": "记录已登记", "preparedness.record-saved": "修改已保存",
    "preparedness.shelter-open": "应急避难场所已启用", "preparedness.shelter-close": "应急避难场所已关闭",
    "preparedness.call-up": "队伍已调用", "preparedness.arrive": "队伍已到达现场，已向现场指挥部报到"})
READ = "preparedness.read"
CHOICES = {"risk_grade": registry_rules.RISK_GRADES, "readiness": registry_rules.READINESS,
           "field": registry_rules.EXPERT_FIELDS, "availability": registry_rules.AVAILABILITY,
           "kind": tuple(k.code for k in registry_rules.TEAM_KINDS)}
KIND_LABELS = {k.code: f"{k.name}（{k.clause}）" for k in registry_rules.TEAM_KINDS}
NUMBERS = ("size", "capacity", "occupancy")
DATES = ("last_inspected_on", "next_due_on")
LONG = ("equipment", "note", "body")
FILTERS = {"hazards": ("risk_grade",), "teams": ("kind", "readiness"), "experts": ("field", "availability"),
           "shelters": (), "knowledge": ()}


def _errors(exc: Exception) -> list[dict]:
    if isinstance(exc, ValidationError):
        fields = field_errors(exc.errors())
    else:
        fields = exc.fields or [FieldError("form", exc.zh, exc.en)]
    return [{"field": f.field, "zh": f.zh, "en": f.en} for f in fields]


def _form(raw) -> dict:
    return {k: str(v)[:20000] for k, v in raw.items() if k != "csrf_token"}


@router.get("/preparedness")
def overview(request: Request, session: SessionDep, caller: PageUser):
    authorize(caller, READ)
    keys = {r.name: f"/preparedness/registries/{k}" for k, r in registries.REGISTRIES.items()}
    keys["应急物资库"] = "/preparedness/stock"
    rows = [{"seq": i, "name": n, "url": keys.get(n)} for i, n in enumerate(registry_rules.REGISTRIES, 1)]
    return render(request, "preparedness/overview.html", {
        "active": "preparedness", "registries": rows, "alerts": stock.alerts_for(session, caller),
        "days": stock.expiry_alert_days(), "basis": str(registry_rules.REGISTRIES_BASIS),
        "dispatches": [views.dispatch_summary(d) for d in repository.dispatches(session, limit=10)],
        "reports": [views.call_up_dict(c) for c in repository.call_ups(session, reports_only=True)][:10]})


# --- dispatch ------------------------------------------------------------------------------------------------------


def _dispatch_context(session, caller, **extra) -> dict:
    acting = authority.acting_of(caller)
    return {"active": "preparedness", "rows": [views.dispatch_summary(d) for d in repository.dispatches(session)],
            "items": [views.item_dict(i) for i in repository.items(session)],
            "incidents": incidents.open_incidents(session), "origins": ORIGIN_LABELS,
            "for_committee": bool(acting and acting.for_committee), "form": {}, **extra}


@router.get("/preparedness/dispatches")
def dispatches_page(request: Request, session: SessionDep, caller: PageUser,
                    incident: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None):
    authorize(caller, READ)
    return render(request, "preparedness/dispatches.html",
                  _dispatch_context(session, caller, form={"incident_id": str(incident or "")}))


@router.post("/preparedness/dispatches")
async def request_from_form(request: Request, session: SessionDep, caller: PageUser):
    raw = await request.form()
    check_csrf(request, raw.get("csrf_token"))
    form = _form(raw)
    lines = []
    for n in range(5):
        if form.get(f"item_{n}"):
            lines.append({"item_id": form.get(f"item_{n}"), "quantity": form.get(f"quantity_{n}") or "0",
                          "destination": form.get(f"destination_{n}", ""),
                          "needed_by": (form.get(f"needed_by_{n}") or "") + ":00+08:00"})
    body = {"origin": form.get("origin") or "district", "purpose": form.get("purpose", ""), "lines": lines,
            "incident_id": form.get("incident_id") or None, "requesting_unit": form.get("requesting_unit") or None,
            "requesting_party": form.get("requesting_party", "")}
    try:
        d = service.create_request(session, caller=caller, data=DispatchIn.model_validate(body))
    except (ValidationError, DomainError) as exc:
        if isinstance(exc, DomainError) and exc.status_code not in (409, 422):
            raise
        return render(request, "preparedness/dispatches.html",
                      _dispatch_context(session, caller, form=form, errors=_errors(exc)), status_code=422)
    return steps.done(f"/preparedness/dispatches/{d.id}", "preparedness.request")


def _dispatch_page(request, session, caller, dispatch_id: int, errors=None, status_code=200):
    d = repository.dispatch(session, dispatch_id)
    warehouse = repository.warehouse(session, d.warehouse_id).name if d.warehouse_id else None
    data = views.dispatch_dict(d, approver=authority.required_approver(session, d),
                               events=repository.events(session, d.id),
                               allowed=service.allowed_actions(session, d, caller), warehouse=warehouse)
    return render(request, "preparedness/dispatch.html", {
        "active": "preparedness", "d": data, "errors": errors,
        "warehouses": [views.warehouse_dict(w) for w in repository.warehouses(session)]}, status_code=status_code)


@router.get("/preparedness/dispatches/{dispatch_id}")
def dispatch_page(dispatch_id: Id, request: Request, session: SessionDep, caller: PageUser):
    authorize(caller, READ)
    return _dispatch_page(request, session, caller, dispatch_id)


@router.post("/preparedness/dispatches/{dispatch_id}/{action}")
async def dispatch_step(dispatch_id: Id, action: str, request: Request, session: SessionDep, caller: PageUser):
    raw = await request.form()
    check_csrf(request, raw.get("csrf_token"))
    form = _form(raw)
    lines = [{"line_id": k.split("_", 1)[1], "quantity": v} for k, v in form.items() if k.startswith("line_") and v]
    try:
        if action == "approve":
            service.approve(session, caller=caller, dispatch_id=dispatch_id)
        elif action == "return":
            if not form.get("reason", "").strip():
                raise DomainError("输入有误", "Invalid input", 422, [FieldError("reason", "请填写退回理由",
                                                                                 "a reason is required")])
            service.return_request(session, caller=caller, dispatch_id=dispatch_id, reason=form["reason"].strip())
        elif action == "resubmit":
            service.resubmit(session, caller=caller, dispatch_id=dispatch_id)
        elif action == "issue":
            service.issue(session, caller=caller, dispatch_id=dispatch_id, data=IssueIn.model_validate(
                {"warehouse_id": form.get("warehouse_id") or 0, "lines": lines}))
        elif action == "receive":
            service.receive(session, caller=caller, dispatch_id=dispatch_id, data=ReceiveIn.model_validate(
                {"lines": lines, "note": form.get("note", "")}))
        else:
            raise DomainError("不支持的操作", f"unknown step {action}", 404)
    except (ValidationError, DomainError) as exc:
        if isinstance(exc, DomainError) and exc.status_code not in (409, 422):
            raise
        status = 422 if isinstance(exc, ValidationError) else exc.status_code
        return _dispatch_page(request, session, caller, dispatch_id, _errors(exc), status)
    return steps.done(f"/preparedness/dispatches/{dispatch_id}", f"preparedness.{action}")


# --- stock ---------------------------------------------------------------------------------------------------------


def _stock_context(session, caller, warehouse: int | None, item: int | None, **extra) -> dict:
    rows = [views.lot_dict(lot, b) for lot, b in repository.stock_rows(session, warehouse_id=warehouse, item_id=item)]
    return {"active": "preparedness", "rows": rows, "warehouse": warehouse, "item": item,
            "warehouses": [views.warehouse_dict(w) for w in repository.warehouses(session)],
            "items": [views.item_dict(i) for i in repository.items(session)],
            "alerts": stock.alerts_for(session, caller), "days": stock.expiry_alert_days(),
            "movements": [views.movement_dict(m) for m in repository.movements(session, limit=30)],
            "labels": MOVEMENT_LABELS, "ledger_basis": str(stock_rules.LEDGER), "form": {}, **extra}


Pos = Annotated[int | None, Query(ge=1, le=2**31 - 1)]


@router.get("/preparedness/stock")
def stock_page(request: Request, session: SessionDep, caller: PageUser, warehouse: Pos = None, item: Pos = None):
    authorize(caller, READ)
    return render(request, "preparedness/stock.html", _stock_context(session, caller, warehouse, item))


@router.post("/preparedness/stock/receipts")
async def receipt_from_form(request: Request, session: SessionDep, caller: PageUser):
    raw = await request.form()
    check_csrf(request, raw.get("csrf_token"))
    form = _form(raw)
    try:
        data = ReceiptIn.model_validate({k: v for k, v in form.items() if v != ""})
        stock.receive(session, caller=caller, data=data)
    except (ValidationError, DomainError) as exc:
        if isinstance(exc, DomainError) and exc.status_code not in (409, 422):
            raise
        return render(request, "preparedness/stock.html", _stock_context(session, caller, None, None, form=form,
                                                                         errors=_errors(exc)), status_code=422)
    return steps.done("/preparedness/stock", "preparedness.receipt")


# --- registries ----------------------------------------------------------------------------------------------------


def _fields(key: str) -> list[dict]:
    out = []
    for field, label in xlsx.COLUMNS[key]:
        kind = "select" if field in CHOICES else "number" if field in NUMBERS else "date" if field in DATES else \
            "textarea" if field in LONG else "text"
        out.append({"name": field, "label": label, "kind": kind, "required": field in xlsx.REQUIRED[key],
                    "choices": [(c, KIND_LABELS.get(c, c)) for c in CHOICES.get(field, ())],
                    "hint": "多个以“、”分隔" if field in xlsx.LISTS else ""})
    return out


def _registry_context(session, caller, key: str, q: str, filters: dict, **extra) -> dict:
    reg = registries.registry(key)
    acting = authority.acting_of(caller)
    rows = [views.record_dict(key, r, contact_visible=registry_rules.may_see_contact(acting, r.owner_unit_id))
            for r in repository.records(session, key, q=q or None, filters=filters)]
    return {"active": "preparedness", "key": key, "name": reg.name, "rows": rows, "q": q, "filters": filters,
            "filter_fields": [f for f in _fields(key) if f["name"] in FILTERS[key]], "fields": _fields(key),
            "kind_labels": KIND_LABELS, "basis": str(registry_rules.REGISTRIES_BASIS), "form": {},
            "may_keep": bool(acting and acting.role in ("department", "duty_officer")), **extra}


def _body(key: str, form: dict) -> dict:
    body = {}
    for f in _fields(key):
        value = form.get(f["name"], "")
        if f["name"] in xlsx.LISTS:
            body[f["name"]] = [v.strip() for v in value.replace("，", "、").replace(",", "、").split("、") if v.strip()]
        elif value != "":
            body[f["name"]] = value
    return body


Short = Annotated[str, Query(max_length=100)]


@router.get("/preparedness/registries/{key}")
def registry_page(key: str, request: Request, session: SessionDep, caller: PageUser, q: Short = "",
                  risk_grade: Short = "", kind: Short = "", readiness: Short = "", field: Short = "",
                  availability: Short = ""):
    authorize(caller, READ)
    registries.registry(key)
    given = {"risk_grade": risk_grade, "kind": kind, "readiness": readiness, "field": field,
             "availability": availability}
    filters = {k: v for k, v in given.items() if k in FILTERS[key] and v}
    return render(request, "preparedness/registry.html", _registry_context(session, caller, key, q, filters))


@router.post("/preparedness/registries/{key}")
async def create_from_form(key: str, request: Request, session: SessionDep, caller: PageUser):
    raw = await request.form()
    check_csrf(request, raw.get("csrf_token"))
    form = _form(raw)
    reg = registries.registry(key)
    try:
        row = registries.create(session, caller=caller, key=key, data=reg.schema.model_validate(_body(key, form)))
    except (ValidationError, DomainError) as exc:
        if isinstance(exc, DomainError) and exc.status_code != 422:
            raise
        return render(request, "preparedness/registry.html",
                      _registry_context(session, caller, key, "", {}, form=form, errors=_errors(exc)), status_code=422)
    return steps.done(f"/preparedness/registries/{key}/{row.id}", "preparedness.record")


def _record_page(request, session, caller, key: str, record_id: int, form=None, errors=None, status_code=200):
    reg = registries.registry(key)
    row = repository.record(session, key, record_id)
    acting = authority.acting_of(caller)
    data = views.record_dict(key, row, contact_visible=registry_rules.may_see_contact(acting, row.owner_unit_id))
    may_edit = bool(acting) and registry_rules.may_keep(acting, row.owner_unit_id).allowed
    if form is None:
        form = {k: ("、".join(v) if isinstance(v, list) else "" if v is None else str(v)) for k, v in data.items()}
        if not data["contact_visible"]:
            form = {k: v for k, v in form.items() if k not in registries.PERSONAL}
    return render(request, "preparedness/record.html", {
        "active": "preparedness", "key": key, "name": reg.name, "r": data, "fields": _fields(key), "form": form,
        "errors": errors, "may_edit": may_edit, "kind_labels": KIND_LABELS,
        "may_open": key == "shelters" and acting is not None and (acting.role == "leader" or acting.for_committee),
        "call_ups": [views.call_up_dict(c) for c in repository.call_ups(session) if c.team_id == record_id]
        if key == "teams" else [],
        "shelter_basis": str(registry_rules.SHELTER_BASIS)}, status_code=status_code)


@router.get("/preparedness/registries/{key}/{record_id}")
def record_page(key: str, record_id: Id, request: Request, session: SessionDep, caller: PageUser):
    authorize(caller, READ)
    return _record_page(request, session, caller, key, record_id)


@router.post("/preparedness/registries/{key}/{record_id}")
async def update_from_form(key: str, record_id: Id, request: Request, session: SessionDep, caller: PageUser):
    raw = await request.form()
    check_csrf(request, raw.get("csrf_token"))
    form = _form(raw)
    reg = registries.registry(key)
    try:
        registries.update(session, caller=caller, key=key, record_id=record_id,
                          data=reg.schema.model_validate(_body(key, form)))
    except (ValidationError, DomainError) as exc:
        if isinstance(exc, DomainError) and exc.status_code != 422:
            raise
        return _record_page(request, session, caller, key, record_id, form, _errors(exc), 422)
    return steps.done(f"/preparedness/registries/{key}/{record_id}", "preparedness.record-saved")


@router.post("/preparedness/shelters/{shelter_id}/{action}")
async def shelter_step(shelter_id: Id, action: str, request: Request, session: SessionDep, caller: PageUser):
    raw = await request.form()
    check_csrf(request, raw.get("csrf_token"))
    form = _form(raw)
    try:
        if action == "open":
            registries.open_shelter(session, caller=caller, shelter_id=shelter_id, data=ShelterOpenIn.model_validate(
                {"reason": form.get("reason", ""), "decided_by": form.get("decided_by", "")}))
        elif action == "close":
            registries.close_shelter(session, caller=caller, shelter_id=shelter_id, reason=form.get("reason", ""))
        else:
            raise DomainError("不支持的操作", f"unknown step {action}", 404)
    except (ValidationError, DomainError) as exc:
        if isinstance(exc, DomainError) and exc.status_code not in (409, 422):
            raise
        return _record_page(request, session, caller, "shelters", shelter_id, None, _errors(exc), 422)
    return steps.done(f"/preparedness/registries/shelters/{shelter_id}", f"preparedness.shelter-{action}")


@router.post("/preparedness/call-ups")
async def call_up_from_form(request: Request, session: SessionDep, caller: PageUser):
    raw = await request.form()
    check_csrf(request, raw.get("csrf_token"))
    form = _form(raw)
    team_id = form.get("team_id") or "0"
    try:
        callups.call_up(session, caller=caller, data=CallUpIn.model_validate({
            "team_id": team_id, "incident_id": form.get("incident_id") or None, "task": form.get("task", ""),
            "other_district": form.get("other_district") or None, "city_requested": form.get("city_requested") == "on",
            "city_requester": form.get("city_requester", "")}))
    except (ValidationError, DomainError) as exc:
        if isinstance(exc, DomainError) and exc.status_code not in (409, 422):
            raise
        return _record_page(request, session, caller, "teams", int(team_id) if team_id.isdigit() else 1, None,
                            _errors(exc), 422)
    return steps.done(f"/preparedness/registries/teams/{team_id}", "preparedness.call-up")


@router.post("/preparedness/call-ups/{call_up_id}/arrive")
async def arrive_from_form(call_up_id: Id, request: Request, session: SessionDep, caller: PageUser):
    """到达现场 (§4.4.2, §6.1.2) from the team's page, as the API's …/arrive: the command post's check-in."""
    raw = await request.form()
    check_csrf(request, raw.get("csrf_token"))
    form = _form(raw)
    row = repository.call_up(session, call_up_id)
    try:
        callups.arrive(session, caller=caller, call_up_id=call_up_id,
                       data=ArriveIn.model_validate({"headcount": form.get("headcount") or None}))
    except (ValidationError, DomainError) as exc:
        if isinstance(exc, DomainError) and exc.status_code not in (404, 409, 422):  # 404: no command post yet
            raise
        return _record_page(request, session, caller, "teams", row.team_id, None, _errors(exc), 422)
    return steps.done(f"/preparedness/registries/teams/{row.team_id}#call-ups", "preparedness.arrive")
