"""资金保障 pages (Chinese): the disbursements with the overdue first and the request form; a disbursement with its
approval and completion forms. Thin: every change calls the same service as the API."""
from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, ValidationError

from dongcheng.api.deps import SessionDep
from dongcheng.api.params import Id
from dongcheng.core.errors import DomainError
from dongcheng.core.time import utcnow
from dongcheng.emergency.funds import rules, service, views
from dongcheng.emergency.funds.rules import SOURCE_LABELS
from dongcheng.emergency.funds.schemas import CompleteIn, DecisionIn, DisbursementIn, RejectIn
from dongcheng.web import steps
from dongcheng.web.deps import PageUser
from dongcheng.web.templating import render

router = APIRouter(include_in_schema=False)
ACTIONS: dict[str, tuple[type[BaseModel], object]] = {
    "approve": (DecisionIn, service.approve), "reject": (RejectIn, service.reject),
    "complete": (CompleteIn, service.complete)}
# Steps that cannot be undone (the money is committed, then paid out): a stated reason and a confirmation on the page.
IRREVERSIBLE = {"approve": ("批准拨款", "批准意见"), "complete": ("登记完成拨付", "拨付说明")}
steps.register({"funds.request": "拨款申请已提交，等待区政府批准", "funds.approve": "已批准，完成时限开始计算",
                "funds.reject": "已不予批准，理由已记录", "funds.complete": "已登记完成拨付手续"})
FIELD_LABELS = {"incident_id": "事件", "amount": "金额（元）", "purpose": "用途", "source": "资金来源",
                "note": "意见或说明", "voucher_no": "拨款凭证号", "confirm": "确认"}


async def _form(request: Request) -> dict:
    """The step's form (CSRF checked by steps.posted), blank fields left out: the schema's defaults apply."""
    return {k: v for k, v in (await steps.posted(request)).items() if v != ""}


def _error(exc: ValidationError | DomainError) -> DomainError:
    return steps.refusal(exc, FIELD_LABELS)


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
    return steps.run(lambda: service.request(session, caller=caller, data=DisbursementIn.model_validate(values)),
                     then=lambda row: (f"/funds/{row.id}", "funds.request"),
                     refused=lambda exc: _list_page(request, session, caller, _error(exc), values, steps.status_of(exc)))


def _detail(request: Request, session, caller, disbursement_id: int, error: DomainError | None = None,
            status_code: int = 200):
    row = service.for_reading(session, caller, disbursement_id)
    units, incidents = service.context_of(session, [row])
    return render(request, "funds/detail.html", {
        "active": "funds", "d": views.disbursement_dict(row, units, incidents, utcnow()), "error": error,
        "role": caller.user.role, "labels": FIELD_LABELS}, status_code=status_code)


@router.get("/funds/{disbursement_id}")
def disbursement_page(disbursement_id: Id, request: Request, session: SessionDep, caller: PageUser):
    return _detail(request, session, caller, disbursement_id)


@router.post("/funds/{disbursement_id}/{action}")
async def act_from_form(disbursement_id: Id, action: str, request: Request, session: SessionDep, caller: PageUser):
    if action not in ACTIONS:
        raise DomainError("未知操作", "Unknown action", 404)
    values = await _form(request)
    schema, step = ACTIONS[action]

    def act():
        if action in IRREVERSIBLE:
            what, label = IRREVERSIBLE[action]
            values["note"] = steps.irreversible(values, what, reason_field="note", reason_label=label)
            values.pop(steps.CONFIRM, None)
        step(session, caller=caller, disbursement_id=disbursement_id, data=schema.model_validate(values))

    return steps.run(act, then=(f"/funds/{disbursement_id}", f"funds.{action}"),
                     refused=lambda exc: _detail(request, session, caller, disbursement_id, _error(exc),
                                                 steps.status_of(exc)))
