"""12345 complaints pages (Chinese, phone-width): the month's three rates per unit with the workbook link, and the
tickets the caller may read — a unit answers its own from the page. Thin: the same services as the API."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from dongcheng.api.deps import SessionDep
from dongcheng.api.params import Id
from dongcheng.core.errors import DomainError
from dongcheng.core.time import today_local
from dongcheng.supervision.complaints import service, views
from dongcheng.supervision.complaints.schemas import AssignIn, ComplaintIn, RespondIn, VisitIn
from dongcheng.web import steps
from dongcheng.web.deps import PageUser
from dongcheng.web.templating import render

router = APIRouter(include_in_schema=False)
steps.register({"supervision.complaint-received": "诉求已受理", "supervision.complaint-answered": "答复已登记",
                "supervision.complaint-assign": "已派单", "supervision.complaint-visit": "回访已登记"})
# the form's own labels (complaints/month.html), so a refusal names the field the user sees
FIELD_LABELS = {"ticket_no": "工单号", "institution_id": "所涉机构编号", "street": "所涉街道", "content": "诉求内容",
                "received_at": "受理时间", "assign_to": "承办单位", "response": "答复", "at": "时间",
                "unit": "承办单位", "resolved": "是否解决", "satisfied": "是否满意"}
Year = Annotated[int | None, Query(ge=2000, le=2099)]
Month = Annotated[int | None, Query(ge=1, le=12)]


def _page(request: Request, session, caller, year: int, month: int, errors: list[dict] | None = None,
          status_code: int = 200):
    rows = service.visible(session, caller)
    units = service.units_for(session, rows)
    return render(request, "complaints/month.html", {
        "active": "complaints", "year": year, "month": month,
        "data": views.month_dict(year, month, service.month_rates(session, caller, year, month)),
        "tickets": [views.complaint_dict(r, units) for r in rows], "my_unit_id": caller.user.unit_id,
        "my_unit": caller.unit.name if caller.unit else None, "errors": errors or [],
        "dispatcher": service.is_dispatcher(session, caller), "streets": service.street_names(session)},
        status_code=status_code)


def _refused(request: Request, session, caller):
    """A refused step (steps.run's ``refused``): this month's page with each field it names by its label."""
    def again(exc: steps.Refusal):
        today = today_local()
        return _page(request, session, caller, today.year, today.month, steps.field_errors(exc, FIELD_LABELS),
                     steps.status_of(exc))
    return again


@router.get("/supervision/complaints")
def month_page(request: Request, session: SessionDep, caller: PageUser, year: Year = None, month: Month = None):
    today = today_local()
    return _page(request, session, caller, year or today.year, month or today.month)


@router.post("/supervision/complaints/{complaint_id}/respond")
async def respond_from_form(complaint_id: Id, request: Request, session: SessionDep, caller: PageUser):
    form = await steps.posted(request, 4000)
    return steps.run(lambda: service.respond(session, caller=caller, complaint_id=complaint_id,
                                             data=RespondIn.model_validate({k: v for k, v in form.items() if v != ""})),
                     then=("/supervision/complaints", "supervision.complaint-answered"),
                     refused=_refused(request, session, caller))


STEPS = {"assign": (AssignIn, service.assign), "visit": (VisitIn, service.visit)}  # the dispatch unit's steps


@router.post("/supervision/complaints/{complaint_id}/{action}")
async def dispatch_step_from_form(complaint_id: Id, action: str, request: Request, session: SessionDep,
                                  caller: PageUser):
    """派单 and 回访 from the page, as the API's /assign and /visit."""
    if action not in STEPS:
        raise DomainError("不支持的操作", f"unknown step {action}", 404)
    form: dict = await steps.posted(request, 4000)
    for key in ("resolved", "satisfied"):
        if key in form:
            form[key] = {"yes": True, "no": False}.get(form[key], form[key])
    schema, call = STEPS[action]
    return steps.run(lambda: call(session, caller=caller, complaint_id=complaint_id,
                                  data=schema.model_validate({k: v for k, v in form.items() if v != ""})),
                     then=(f"/supervision/complaints#ticket-{complaint_id}", f"supervision.complaint-{action}"),
                     refused=_refused(request, session, caller))


@router.post("/supervision/complaints")
async def intake_from_form(request: Request, session: SessionDep, caller: PageUser):
    """受理 from the page: the local time typed (Beijing) is taken with its +08:00 zone."""
    form = await steps.posted(request, 4000)
    data = {k: v.strip() for k, v in form.items() if v.strip() != ""}
    if "received_at" in data and len(data["received_at"]) in (16, 19):  # <input type=datetime-local>
        data["received_at"] += ("" if len(data["received_at"]) == 19 else ":00") + "+08:00"
    return steps.run(lambda: service.intake(session, caller=caller, data=ComplaintIn.model_validate(data)),
                     then=("/supervision/complaints", "supervision.complaint-received"),
                     refused=_refused(request, session, caller))
