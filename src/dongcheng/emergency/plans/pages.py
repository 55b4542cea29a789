"""预案管理 and 应急演练 pages (Chinese, one column on a phone): the registry, a plan (versions, filing, evaluation,
revision triggers), the drills, a drill (phases, findings), the compliance page of a year. Thin: every change calls
the same service as the API."""
from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ValidationError

from dongcheng.api.deps import SessionDep
from dongcheng.api.params import Id
from dongcheng.core.errors import DomainError
from dongcheng.core.time import today_local
from dongcheng.emergency.plans import rules, service, views
from dongcheng.emergency.plans.schemas import (
    DrillIn,
    EvaluationIn,
    FilingIn,
    FindingDoneIn,
    FindingIn,
    PhaseIn,
    PlanIn,
    TriggerIn,
    VersionIn,
)
from dongcheng.web import steps
from dongcheng.web.deps import PageUser
from dongcheng.web.templating import check_csrf, render

router = APIRouter(include_in_schema=False)
LISTS = {"plan_ids", "units"}  # multi-value fields of the drill form
steps.register({"plans.add": "预案已登记", "plans.drill": "演练已登记", "plans.phase": "演练阶段已记录",
                "plans.finding": "问题及整改措施已登记", "plans.finding-done": "整改已完成",
                "plans.versions": "新版本已印发登记", "plans.filing": "备案已登记", "plans.evaluations": "评估已登记",
                "plans.triggers": "修订情形已登记，预案进入修订"})
FIELD_LABELS = {"name": "名称", "kind": "类别", "lead_unit": "牵头单位", "title": "标题", "document_no": "文号",
                "document_ref": "文件位置", "organiser": "组织单位", "plan_ids": "预案", "units": "参演单位",
                "incident_id": "事件编号", "drill_id": "演练编号", "on_date": "日期", "filed_with": "备案单位",
                "description": "情况说明", "phase": "阶段", "finding": "问题", "action": "整改措施",
                "owner_unit": "责任单位", "due_on": "期限", "done_on": "完成日期", "issued_on": "印发日期",
                "filed_on": "备案日期", "evaluated_on": "评估日期", "trigger": "修订情形", "note": "说明"}


async def _form(request: Request) -> dict:
    raw = await request.form()
    check_csrf(request, raw.get("csrf_token"))
    out: dict = {}
    for key in raw:
        if key == "csrf_token":
            continue
        values = [str(v)[:2000] for v in raw.getlist(key)]
        if key in LISTS:
            out[key] = [v.strip() for part in values for v in part.replace("、", ",").replace("，", ",").split(",")
                        if v.strip()]
        elif values and values[-1] != "":
            out[key] = values[-1]
    return out


def _invalid(exc: ValidationError) -> DomainError:
    return steps.refusal(exc, FIELD_LABELS)


async def _submit(request: Request, schema: type[BaseModel], act: Callable, again: Callable, done: Callable,
                  notice: str):
    """Validate the form, act, redirect (303); a 422 or 409 shows the page again with the error."""
    values = await _form(request)
    return steps.run(lambda: act(schema.model_validate(values)), then=lambda result: (done(result), notice),
                     refused=lambda exc: again(_invalid(exc) if isinstance(exc, ValidationError) else exc, values,
                                               steps.status_of(exc)))


def _may_manage(session, caller) -> bool:
    return service.acting_of(session, caller).role in ("duty_officer", "department")


# --- the registry ------------------------------------------------------------------------------------------------

def _registry(request, session, caller, error=None, values=None, status_code=200):
    rows = service.list_plans(session, caller)
    dues = service.filing_dues(session, rows)
    m = service.management()
    plans = [views.plan_summary(f, dues.get(f.row.id), today_local(), m) for f in rows]
    return render(request, "plans/registry.html", {
        "active": "plans", "plans": plans, "error": error, "values": values or {},
        "kinds": [(k.value, rules.KIND_LABELS[k]) for k in rules.ADDABLE_KINDS],
        "may_manage": _may_manage(session, caller), "period_basis": str(rules.FILING_PERIOD_BASIS),
        "evaluation_basis": str(rules.EVALUATION_BASIS)}, status_code=status_code)


@router.get("/plans")
def registry_page(request: Request, session: SessionDep, caller: PageUser):
    return _registry(request, session, caller)


@router.post("/plans")
async def add_plan_form(request: Request, session: SessionDep, caller: PageUser):
    return await _submit(request, PlanIn, lambda data: service.add_plan(session, caller=caller, data=data),
                         lambda e, v, s: _registry(request, session, caller, e, v, s), lambda row: f"/plans/{row.id}",
                         "plans.add")


# --- drills (before /plans/{plan_id}) ------------------------------------------------------------------------

def _drills(request, session, caller, error=None, values=None, status_code=200):
    units = service.units_by_id(session)
    drills = [views.drill_summary(d, units) for d in service.drills_for_reading(session, caller)]
    return render(request, "plans/drills.html", {
        "active": "plans", "drills": drills, "error": error, "values": values or {},
        "kinds": [(k.value, rules.DRILL_KIND_LABELS[k]) for k in rules.DrillKind],
        "may_manage": _may_manage(session, caller), "year": today_local().year,
        "basis": str(rules.DRILL_BASIS)}, status_code=status_code)


@router.get("/plans/drills")
def drills_page(request: Request, session: SessionDep, caller: PageUser):
    return _drills(request, session, caller)


@router.post("/plans/drills")
async def create_drill_form(request: Request, session: SessionDep, caller: PageUser):
    return await _submit(request, DrillIn, lambda data: service.create_drill(session, caller=caller, data=data),
                         lambda e, v, s: _drills(request, session, caller, e, v, s),
                         lambda row: f"/plans/drills/{row.id}", "plans.drill")


@router.get("/plans/drills/compliance")
def compliance_page(request: Request, session: SessionDep, caller: PageUser,
                    year: Annotated[int | None, Query(ge=2000, le=2099)] = None):
    year = year or today_local().year
    data = views.compliance(year, service.compliance(session, caller, year))
    return render(request, "plans/compliance.html", {"active": "plans", "data": data, "year": year})


def _drill_page(request, session, caller, drill_id, error=None, values=None, status_code=200):
    d = views.drill_detail(service.drill_detail(session, service.drill_for_reading(session, caller, drill_id)))
    return render(request, "plans/drill.html", {
        "active": "plans", "d": d, "error": error, "values": values or {},
        "may_manage": _may_manage(session, caller), "today": today_local().isoformat()}, status_code=status_code)


@router.get("/plans/drills/{drill_id}")
def drill_page(drill_id: Id, request: Request, session: SessionDep, caller: PageUser):
    return _drill_page(request, session, caller, drill_id)


@router.post("/plans/drills/{drill_id}/phases")
async def phase_form(drill_id: Id, request: Request, session: SessionDep, caller: PageUser):
    return await _submit(request, PhaseIn,
                         lambda data: service.record_phase(session, caller=caller, drill_id=drill_id, data=data),
                         lambda e, v, s: _drill_page(request, session, caller, drill_id, e, v, s),
                         lambda _: f"/plans/drills/{drill_id}", "plans.phase")


@router.post("/plans/drills/{drill_id}/findings")
async def finding_form(drill_id: Id, request: Request, session: SessionDep, caller: PageUser):
    return await _submit(request, FindingIn,
                         lambda data: service.add_finding(session, caller=caller, drill_id=drill_id, data=data),
                         lambda e, v, s: _drill_page(request, session, caller, drill_id, e, v, s),
                         lambda _: f"/plans/drills/{drill_id}#findings", "plans.finding")


@router.post("/plans/drills/{drill_id}/findings/{finding_id}/done")
async def finding_done_form(drill_id: Id, finding_id: Id, request: Request, session: SessionDep, caller: PageUser):
    return await _submit(request, FindingDoneIn,
                         lambda data: service.finish_finding(session, caller=caller, drill_id=drill_id,
                                                             finding_id=finding_id, data=data),
                         lambda e, v, s: _drill_page(request, session, caller, drill_id, e, v, s),
                         lambda _: f"/plans/drills/{drill_id}#findings", "plans.finding-done")


# --- a plan --------------------------------------------------------------------------------------------------

def _plan_page(request, session, caller, plan_id, error=None, values=None, status_code=200):
    f = service.plan_for_reading(session, caller, plan_id)
    p = views.plan_detail(service.detail(session, f), today_local(), service.management())
    return render(request, "plans/plan.html", {
        "active": "plans", "p": p, "error": error, "values": values or {},
        "triggers": views.triggers_catalogue(service.management()), "may_manage": _may_manage(session, caller),
        "today": today_local().isoformat()}, status_code=status_code)


@router.get("/plans/{plan_id}")
def plan_page(plan_id: Id, request: Request, session: SessionDep, caller: PageUser):
    return _plan_page(request, session, caller, plan_id)


STEPS: dict[str, tuple[type[BaseModel], Callable]] = {
    "versions": (VersionIn, service.record_version), "filing": (FilingIn, service.record_filing),
    "evaluations": (EvaluationIn, service.record_evaluation), "triggers": (TriggerIn, service.record_trigger)}


@router.post("/plans/{plan_id}/{step}")
async def plan_step_form(plan_id: Id, step: str, request: Request, session: SessionDep, caller: PageUser):
    if step not in STEPS:
        raise DomainError("未知操作", "Unknown action", 404)
    schema, act = STEPS[step]
    return await _submit(request, schema, lambda data: act(session, caller=caller, plan_id=plan_id, data=data),
                         lambda e, v, s: _plan_page(request, session, caller, plan_id, e, v, s),
                         lambda _: f"/plans/{plan_id}", f"plans.{step}")
