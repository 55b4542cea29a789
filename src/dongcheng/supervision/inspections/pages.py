"""双随机 pages (Chinese, public, phone-width): the items list, the plans, and a plan's draw page — the seed's SHA-256
from the start, the seed, selection, inspectors and results once published; the 区卫生健康委 draws from the page.
Thin: the same services as the API."""
from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import ValidationError

from dongcheng.api.deps import SessionDep
from dongcheng.api.params import Id
from dongcheng.core.errors import DomainError
from dongcheng.core.time import today_local
from dongcheng.supervision.inspections import files, repository, rules, service, views
from dongcheng.supervision.inspections.schemas import (
    ConflictIn,
    ConflictWithdrawal,
    InspectorIn,
    InspectorPatch,
    PlanIn,
    ResultIn,
)
from dongcheng.supervision.institutions import repository as institutions
from dongcheng.web import steps
from dongcheng.web.deps import PageCaller, PageUser
from dongcheng.web.templating import render

router = APIRouter(include_in_schema=False)
steps.register({"supervision.drawn": "已抽取检查对象和检查人员", "supervision.result": "检查结果已录入",
                "supervision.plan-closed": "抽查计划已结束，结果将按期公示",
                "supervision.plan-created": "抽查计划已创建，种子的 SHA-256 已公开",
                "supervision.inspector-added": "执法人员已登记，列入抽取名单",
                "supervision.inspector-out": "已移出抽取名单，今后抽取不再选派",
                "supervision.inspector-in": "已重新列入抽取名单",
                "supervision.conflict": "利益冲突已申报，今后抽取时回避该机构",
                "supervision.conflict-withdrawn": "利益冲突申报已撤回（申报与撤回均留档），今后抽取不再回避该机构"})
LABELS = {"title": "计划名称", "items": "抽查事项", "proportions": "抽取比例", "proportions.high": "高风险抽取比例",
          "proportions.medium": "中风险抽取比例", "proportions.low": "低风险抽取比例",
          "inspectors_per_inspection": "每家机构执法人员数", "publication_delay": "公示延迟（工作日）", "seed": "种子",
          "result": "检查结果", "note": "说明", "on": "检查日期", "name": "姓名", "badge_no": "执法证号",
          "unit": "所属单位", "active": "是否参加抽取", "institution_id": "回避机构", "reason": "回避事由",
          "declared_on": "申报日期", "confirm": "确认"}


def label(field: str) -> str:
    """A field's Chinese label; ``items[1]`` / ``items.1`` → 抽查事项."""
    base = field.split("[", 1)[0]
    if base not in LABELS:
        base = ".".join(p for p in base.split(".") if not p.isdigit())
    return LABELS.get(base, LABELS.get(base.split(".", 1)[0], field))


def _invalid(exc: ValidationError | DomainError) -> DomainError:
    return steps.refusal(exc, label)


def _plans_page(request: Request, session, caller, error: DomainError | None = None, form: dict | None = None,
                relabel: dict | None = None):
    items = files.items()
    plans = [views.plan_dict(service.plan_view(session, p, caller), items) for p in repository.plans(session)]
    manage = service.is_supervisor(session, caller)
    people = repository.inspectors(session, active_only=not manage)  # the 区卫生健康委 also sees those taken out
    units = institutions.units_by_id(session, {p.unit_id for p in people})
    conflicts: dict[int, list[dict]] = {}
    names: dict[int, str] = {}
    if manage:  # declared conflicts are the 区卫生健康委's, as in the API
        all_institutions = institutions.all_ordered(session)
        names = {i.id: i.name for i in all_institutions}
        for c in repository.all_conflicts(session):
            conflicts.setdefault(c.inspector_id, []).append(
                {**views.conflict_dict(c), "institution": names.get(c.institution_id, "")})
    return render(request, "inspections/plans.html", {
        "active": "inspections", "plans": plans, "basis": str(rules.DRAW_BASIS),
        "inspectors": [views.inspector_dict(p, units[p.unit_id].name if p.unit_id in units else None) for p in people],
        "can_manage": manage, "all_items": views.items_dict(items)["items"], "defaults": files.defaults(),
        "error": error, "form": form or {}, "conflicts": conflicts, "institutions": names,
        "label": (lambda f: relabel[f] if f in relabel else label(f)) if relabel else label,
        "today": today_local().isoformat()}, status_code=error.status_code if error else 200)


@router.get("/supervision/inspections")
def plans_page(request: Request, session: SessionDep, caller: PageCaller):
    return _plans_page(request, session, caller)


@router.post("/supervision/inspections/plans")
async def plan_from_form(request: Request, session: SessionDep, caller: PageUser):
    """A new plan, as the API's POST …/plans: the seed (given or drawn) is fixed now and its SHA-256 shown at once."""
    form = await steps.posted(request, 200)
    form.pop("items", None)
    chosen = [str(v)[:20] for v in (await request.form()).getlist("items")][:50]

    def create():
        service.check_supervisor(session, caller)
        body: dict = {k: form[k].strip() for k in ("title", "inspectors_per_inspection", "publication_delay", "seed")
                      if form.get(k, "").strip()}
        body["items"] = chosen
        shares = {g: form.get(f"proportions.{g}", "").strip() for g in rules.GRADES}
        if any(shares.values()):  # a share left blank is the default the form showed
            body["proportions"] = {g: v or files.defaults().proportions[g] for g, v in shares.items()}
        return service.create_plan(session, caller=caller, data=PlanIn.model_validate(body))

    return steps.run(create, then=lambda row: (f"/supervision/inspections/plans/{row.id}", "supervision.plan-created"),
                     refused=lambda exc: _plans_page(request, session, caller, _invalid(exc), {**form, "items": chosen}))


async def _inspector_step(request: Request, session, caller, model, call, notice: str, anchor: str = "inspectors",
                          *, confirm: str | None = None, keep: dict | None = None):
    """An inspector registry step from the plans page, as the API; a bad field named by its label, nothing saved."""
    form = await steps.posted(request, 2000)

    def take() -> str:
        service.check_supervisor(session, caller)
        if confirm:
            steps.irreversible(form, confirm, reason_label=LABELS["reason"])
        form.pop(steps.CONFIRM, None)
        return call(model.model_validate({k: v.strip() for k, v in form.items() if v.strip() != ""})) or anchor

    return steps.run(take, then=lambda at: (f"/supervision/inspections#{at}", notice),
                     refused=lambda exc: _plans_page(request, session, caller, _invalid(exc), {**form, **(keep or {})}))


@router.post("/supervision/inspections/inspectors")
async def inspector_from_form(request: Request, session: SessionDep, caller: PageUser):
    def add(data: InspectorIn) -> str:
        return f"inspector-{service.add_inspector(session, caller=caller, data=data).id}"

    return await _inspector_step(request, session, caller, InspectorIn, add, "supervision.inspector-added")


@router.post("/supervision/inspections/inspectors/{inspector_id}/active")
async def active_from_form(inspector_id: Id, request: Request, session: SessionDep, caller: PageUser):
    """Out of the draw pool or back in (the API's PATCH); the notice says which."""
    form = await steps.posted(request, 200)
    active = form.get("active", "")[:5] == "true"
    service.set_active(session, caller=caller, inspector_id=inspector_id, data=InspectorPatch(active=active))
    return steps.done(f"/supervision/inspections#inspector-{inspector_id}",
                      "supervision.inspector-in" if active else "supervision.inspector-out")


@router.post("/supervision/inspections/inspectors/{inspector_id}/conflicts")
async def conflict_from_form(inspector_id: Id, request: Request, session: SessionDep, caller: PageUser):
    """申报利益冲突: a reason and a confirmation (the declaration stays on record; a withdrawal is another step)."""
    def declare(data: ConflictIn) -> str:
        service.declare_conflict(session, caller=caller, inspector_id=inspector_id, data=data)
        return f"inspector-{inspector_id}"

    return await _inspector_step(request, session, caller, ConflictIn, declare, "supervision.conflict",
                                 confirm="申报利益冲突", keep={"inspector": inspector_id})


@router.post("/supervision/inspections/inspectors/{inspector_id}/conflicts/{conflict_id}/withdraw")
async def withdraw_from_form(inspector_id: Id, conflict_id: Id, request: Request, session: SessionDep,
                             caller: PageUser):
    """撤回利益冲突申报, as the API's …/withdraw: a reason (撤回理由) required; the declaration stays on the page, marked
    withdrawn, and the pair is drawn together again from the next plan on."""
    form = await steps.posted(request)
    try:
        service.check_supervisor(session, caller)
        try:
            data = ConflictWithdrawal.model_validate({"reason": form.get("reason", "").strip()})
        except ValidationError as exc:
            raise _invalid(exc) from None
        service.withdraw_conflict(session, caller=caller, inspector_id=inspector_id, conflict_id=conflict_id,
                                  data=data)
    except DomainError as exc:
        if exc.status_code not in (409, 422):
            raise
        return _plans_page(request, session, caller, exc, {**form, "inspector": inspector_id, "withdraw": conflict_id},
                           relabel={"reason": "撤回理由"})
    return steps.done(f"/supervision/inspections#conflict-row-{conflict_id}", "supervision.conflict-withdrawn")


@router.get("/supervision/inspections/items")
def items_page(request: Request, caller: PageCaller):
    return render(request, "inspections/items.html", {"active": "inspections", "data": views.items_dict(files.items())})


def _plan_page(request: Request, session, plan, caller, error: DomainError | None = None, status_code: int = 200):
    return render(request, "inspections/plan.html", {
        "active": "inspections", "p": views.plan_dict(service.plan_view(session, plan, caller), files.items()),
        "can_draw": plan.status == "draft" and service.is_supervisor(session, caller), "error": error,
        "can_record": plan.status == "drawn" and service.is_supervisor(session, caller), "results": rules.RESULTS},
        status_code=status_code)


def _plan_again(request: Request, session, plan_id: int, caller, exc: ValidationError | DomainError):
    """A refused step of the plan's page (steps.run's ``refused``): the page as it now is, with the error."""
    error = _invalid(exc)
    return _plan_page(request, session, repository.plan(session, plan_id), caller, error, error.status_code)


@router.get("/supervision/inspections/plans/{plan_id}")
def plan_page(plan_id: Id, request: Request, session: SessionDep, caller: PageCaller):
    return _plan_page(request, session, repository.plan(session, plan_id), caller)


@router.post("/supervision/inspections/plans/{plan_id}/draw")
async def draw_from_form(plan_id: Id, request: Request, session: SessionDep, caller: PageUser):
    await steps.posted(request, 200)
    return steps.run(lambda: service.draw(session, caller=caller, plan_id=plan_id),
                     then=(f"/supervision/inspections/plans/{plan_id}", "supervision.drawn"), statuses=(409,),
                     refused=lambda exc: _plan_again(request, session, plan_id, caller, exc))


@router.post("/supervision/inspections/plans/{plan_id}/inspections/{inspection_id}/result")
async def result_from_form(plan_id: Id, inspection_id: Id, request: Request, session: SessionDep, caller: PageUser):
    """An inspection's result, as the API's …/result; a bad value is named by its label."""
    form = await steps.posted(request, 2000)
    return steps.run(
        lambda: service.record_result(session, caller=caller, plan_id=plan_id, inspection_id=inspection_id,
                                      data=ResultIn.model_validate({k: v for k, v in form.items() if v != ""})),
        then=(f"/supervision/inspections/plans/{plan_id}#inspection-{inspection_id}", "supervision.result"),
        refused=lambda exc: _plan_again(request, session, plan_id, caller, exc))


@router.post("/supervision/inspections/plans/{plan_id}/close")
async def close_from_form(plan_id: Id, request: Request, session: SessionDep, caller: PageUser):
    """结束 cannot be undone (the results go public after the delay): a confirmation first."""
    form = await steps.posted(request, 200)

    def close() -> None:
        steps.require_confirmation(form.get(steps.CONFIRM, "")[:10], "结束本次抽查")
        service.close(session, caller=caller, plan_id=plan_id)

    return steps.run(close, then=(f"/supervision/inspections/plans/{plan_id}", "supervision.plan-closed"),
                     refused=lambda exc: _plan_again(request, session, plan_id, caller, exc))
