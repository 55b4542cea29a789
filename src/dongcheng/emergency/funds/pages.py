"""资金保障 pages (Chinese): the disbursements with the overdue first and the request form; a disbursement with its
approval and completion forms. Thin: every change calls the same service as the API."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ValidationError

from dongcheng.api.deps import SessionDep
from dongcheng.api.errors import validation_fields
from dongcheng.api.params import Id
from dongcheng.core.errors import DomainError
from dongcheng.core.time import utcnow
from dongcheng.emergency.funds import rules, service, views
from dongcheng.emergency.funds.rules import SOURCE_LABELS
from dongcheng.emergency.funds.schemas import CompleteIn, DecisionIn, DisbursementIn, RejectIn
from dongcheng.web.deps import PageUser
from dongcheng.web.templating import check_csrf, render

router = APIRouter(include_in_schema=False)
ACTIONS: dict[str, tuple[type[BaseModel], object]] = {
    "approve": (DecisionIn, service.approve), "reject": (RejectIn, service.reject),
    "complete": (CompleteIn, service.complete)}


async def _form(request: Request) -> dict:
    form = {k: str(v)[:2000] for k, v in (await request.form()).items()}
    check_csrf(request, form.pop("csrf_token", None))
    return {k: v for k, v in form.items() if v != ""}


def _error(exc: ValidationError) -> DomainError:
    fields = validation_fields(exc)
    return DomainError("输入有误：" + "；".join(f"{f.field} {f.zh}" for f in fields), "Invalid input", 422, fields)


def _list_page(request: Request, session, caller, error: DomainError | None = None, values: dict | None = None,
               status_code: int = 200):
    rows = service.visible(session, caller)
    units, incidents = service.context_of(session, rows)
    items = views.rows(rows, units, incidents, utcnow())
    items.sort(key=lambda r: (r["timeliness"] != "overdue", -r["id"]))
    return render(request, "funds/list.html", {
        "active": "funds", "items": items, "error": error, "values": values or {},
        "sources": [(s.value, label) for s, label in SOURCE_LABELS.items()],
        "deadline_basis": str(rules.DEADLINE_BASIS), "source_basis": str(rules.SOURCE_BASIS[rules.Source.SPECIAL_RESERVE]),
    }, status_code=status_code)


@router.get("/funds")
def funds_page(request: Request, session: SessionDep, caller: PageUser):
    return _list_page(request, session, caller)


@router.post("/funds")
async def request_from_form(request: Request, session: SessionDep, caller: PageUser):
    values = await _form(request)
    try:
        row = service.request(session, caller=caller, data=DisbursementIn.model_validate(values))
    except ValidationError as exc:
        return _list_page(request, session, caller, _error(exc), values, 422)
    except DomainError as exc:
        if exc.status_code not in (409, 422):
            raise
        return _list_page(request, session, caller, exc, values, exc.status_code)
    return RedirectResponse(f"/funds/{row.id}", status_code=303)


def _detail(request: Request, session, caller, disbursement_id: int, error: DomainError | None = None,
            status_code: int = 200):
    row = service.for_reading(session, caller, disbursement_id)
    units, incidents = service.context_of(session, [row])
    return render(request, "funds/detail.html", {
        "active": "funds", "d": views.disbursement_dict(row, units, incidents, utcnow()), "error": error,
        "role": caller.user.role}, status_code=status_code)


@router.get("/funds/{disbursement_id}")
def disbursement_page(disbursement_id: Id, request: Request, session: SessionDep, caller: PageUser):
    return _detail(request, session, caller, disbursement_id)


@router.post("/funds/{disbursement_id}/{action}")
async def act_from_form(disbursement_id: Id, action: str, request: Request, session: SessionDep, caller: PageUser):
    if action not in ACTIONS:
        raise DomainError("未知操作", "Unknown action", 404)
    values = await _form(request)
    schema, step = ACTIONS[action]
    try:
        step(session, caller=caller, disbursement_id=disbursement_id, data=schema.model_validate(values))
    except ValidationError as exc:
        return _detail(request, session, caller, disbursement_id, _error(exc), 422)
    except DomainError as exc:
        if exc.status_code not in (409, 422):
            raise
        return _detail(request, session, caller, disbursement_id, exc, exc.status_code)
    return RedirectResponse(f"/funds/{disbursement_id}", status_code=303)
