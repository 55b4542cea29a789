"""双随机 pages (Chinese, public, phone-width): the items list, the plans, and a plan's draw page — the seed's SHA-256
from the start, the seed, selection, inspectors and results once published; the 区卫生健康委 draws from the page.
Thin: the same services as the API."""
from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import ValidationError

from dongcheng.api.deps import SessionDep
from dongcheng.api.errors import validation_fields
from dongcheng.api.params import Id
from dongcheng.core.errors import DomainError
from dongcheng.supervision.inspections import files, repository, rules, service, views
from dongcheng.supervision.inspections.schemas import PlanIn, ResultIn
from dongcheng.supervision.institutions import repository as institutions
from dongcheng.web import steps
from dongcheng.web.deps import PageCaller, PageUser
from dongcheng.web.templating import check_csrf, render

router = APIRouter(include_in_schema=False)
steps.register({"supervision.drawn": "已抽取检查对象和检查人员", "supervision.result": "检查结果已录入",
                "supervision.plan-closed": "抽查计划已结束，结果将按期公示",
                "supervision.plan-created": "抽查计划已创建，种子的 SHA-256 已公开"})
LABELS = {"title": "计划名称", "items": "抽查事项", "proportions": "抽取比例", "proportions.high": "高风险抽取比例",
          "proportions.medium": "中风险抽取比例", "proportions.low": "低风险抽取比例",
          "inspectors_per_inspection": "每家机构执法人员数", "publication_delay": "公示延迟（工作日）", "seed": "种子",
          "result": "检查结果", "note": "说明", "on": "检查日期"}


def label(field: str) -> str:
    """A field's Chinese label; ``items[1]`` / ``items.1`` → 抽查事项."""
    base = field.split("[", 1)[0]
    if base not in LABELS:
        base = ".".join(p for p in base.split(".") if not p.isdigit())
    return LABELS.get(base, LABELS.get(base.split(".", 1)[0], field))


def _invalid(exc: ValidationError) -> DomainError:
    fields = validation_fields(exc)
    return DomainError("输入有误：" + "；".join(f"{label(f.field)} {f.zh}" for f in fields), "Invalid input", 422,
                       fields)


def _plans_page(request: Request, session, caller, error: DomainError | None = None, form: dict | None = None):
    items = files.items()
    plans = [views.plan_dict(service.plan_view(session, p, caller), items) for p in repository.plans(session)]
    people = repository.inspectors(session, active_only=True)
    units = institutions.units_by_id(session, {p.unit_id for p in people})
    defaults = files.defaults()
    return render(request, "inspections/plans.html", {
        "active": "inspections", "plans": plans, "basis": str(rules.DRAW_BASIS),
        "inspectors": [views.inspector_dict(p, units[p.unit_id].name if p.unit_id in units else None) for p in people],
        "can_manage": service.is_supervisor(session, caller), "all_items": views.items_dict(items)["items"],
        "defaults": defaults, "error": error, "form": form or {}, "label": label},
        status_code=error.status_code if error else 200)


@router.get("/supervision/inspections")
def plans_page(request: Request, session: SessionDep, caller: PageCaller):
    return _plans_page(request, session, caller)


@router.post("/supervision/inspections/plans")
async def plan_from_form(request: Request, session: SessionDep, caller: PageUser):
    """A new plan, as the API's POST …/plans: the seed (given or drawn) is fixed now and its SHA-256 shown at once."""
    raw = await request.form()
    check_csrf(request, str(raw.get("csrf_token") or "")[:200] or None)
    form = {k: str(v)[:200] for k, v in raw.items() if k not in ("csrf_token", "items")}
    chosen = [str(v)[:20] for v in raw.getlist("items")][:50]
    try:
        service.check_supervisor(session, caller)
        body: dict = {k: form[k].strip() for k in ("title", "inspectors_per_inspection", "publication_delay", "seed")
                      if form.get(k, "").strip()}
        body["items"] = chosen
        shares = {g: form.get(f"proportions.{g}", "").strip() for g in rules.GRADES}
        if any(shares.values()):  # a share left blank is the default the form showed
            body["proportions"] = {g: v or files.defaults().proportions[g] for g, v in shares.items()}
        try:
            data = PlanIn.model_validate(body)
        except ValidationError as exc:
            raise _invalid(exc) from None
        row = service.create_plan(session, caller=caller, data=data)
    except DomainError as exc:
        if exc.status_code not in (409, 422):
            raise
        return _plans_page(request, session, caller, exc, {**form, "items": chosen})
    return steps.done(f"/supervision/inspections/plans/{row.id}", "supervision.plan-created")


@router.get("/supervision/inspections/items")
def items_page(request: Request, caller: PageCaller):
    return render(request, "inspections/items.html", {"active": "inspections", "data": views.items_dict(files.items())})


def _plan_page(request: Request, session, plan, caller, error: DomainError | None = None, status_code: int = 200):
    return render(request, "inspections/plan.html", {
        "active": "inspections", "p": views.plan_dict(service.plan_view(session, plan, caller), files.items()),
        "can_draw": plan.status == "draft" and service.is_supervisor(session, caller), "error": error,
        "can_record": plan.status == "drawn" and service.is_supervisor(session, caller), "results": rules.RESULTS},
        status_code=status_code)


@router.get("/supervision/inspections/plans/{plan_id}")
def plan_page(plan_id: Id, request: Request, session: SessionDep, caller: PageCaller):
    return _plan_page(request, session, repository.plan(session, plan_id), caller)


@router.post("/supervision/inspections/plans/{plan_id}/draw")
async def draw_from_form(plan_id: Id, request: Request, session: SessionDep, caller: PageUser):
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "")[:200] or None)
    try:
        service.draw(session, caller=caller, plan_id=plan_id)
    except DomainError as exc:
        if exc.status_code != 409:
            raise
        return _plan_page(request, session, repository.plan(session, plan_id), caller, exc, 409)
    return steps.done(f"/supervision/inspections/plans/{plan_id}", "supervision.drawn")


@router.post("/supervision/inspections/plans/{plan_id}/inspections/{inspection_id}/result")
async def result_from_form(plan_id: Id, inspection_id: Id, request: Request, session: SessionDep, caller: PageUser):
    """An inspection's result, as the API's …/result; a bad value is named by its label."""
    form = {k: str(v)[:2000] for k, v in (await request.form()).items()}
    check_csrf(request, form.pop("csrf_token", None))
    try:
        try:
            data = ResultIn.model_validate({k: v for k, v in form.items() if v != ""})
        except ValidationError as exc:
            raise _invalid(exc) from None
        service.record_result(session, caller=caller, plan_id=plan_id, inspection_id=inspection_id, data=data)
    except DomainError as exc:
        if exc.status_code not in (409, 422):
            raise
        return _plan_page(request, session, repository.plan(session, plan_id), caller, exc, exc.status_code)
    return steps.done(f"/supervision/inspections/plans/{plan_id}#inspection-{inspection_id}", "supervision.result")


@router.post("/supervision/inspections/plans/{plan_id}/close")
async def close_from_form(plan_id: Id, request: Request, session: SessionDep, caller: PageUser):
    """结束 cannot be undone (the results go public after the delay): a confirmation first."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "")[:200] or None)
    try:
        steps.require_confirmation(str(form.get(steps.CONFIRM) or "")[:10], "结束本次抽查")
        service.close(session, caller=caller, plan_id=plan_id)
    except DomainError as exc:
        if exc.status_code not in (409, 422):
            raise
        return _plan_page(request, session, repository.plan(session, plan_id), caller, exc, exc.status_code)
    return steps.done(f"/supervision/inspections/plans/{plan_id}", "supervision.plan-closed")
