"""任务 pages (Chinese, 390 px): my tasks (a unit), the district overview (leaders, 区卫生健康委), a task with its
periods and the filing forms. Thin: every step calls the same service as the API."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from dongcheng.api.deps import SessionDep, SettingsDep
from dongcheng.core.time import today_local
from dongcheng.supervision.tasks import rules, service, views
from dongcheng.supervision.tasks.schemas import ContributionIn, ReportIn
from dongcheng.web import steps
from dongcheng.web.deps import PageUser
from dongcheng.web.templating import render

router = APIRouter(include_in_schema=False)
steps.register({"supervision.task-filed": "进展情况已报送"})
FIELD_LABELS = {"year": "年度", "quarter": "季度", "progress": "工作进展", "issues": "存在问题", "next_steps": "下步计划"}


def _common(plan) -> dict:
    return {"active": "supervision_tasks", "plan": views.plan_dict(plan), "period_basis": str(rules.PERIOD_BASIS),
            "lead_basis": str(rules.LEAD_BASIS), "labels": views.STATUS_LABELS, "roles": views.ROLE_LABELS}


@router.get("/supervision/tasks")
def my_tasks_page(request: Request, session: SessionDep, settings: SettingsDep, caller: PageUser):
    plan = service.load_plan(settings.data_dir)
    if caller.user.role == "leader":
        return RedirectResponse("/supervision/tasks/overview", status_code=303)
    rows = [views.view_dict(v) for v in service.my_tasks(session, caller=caller, plan=plan)]
    unit = caller.unit.name if caller.unit else None
    return render(request, "supervision_tasks/mine.html", {
        **_common(plan), "rows": rows, "unit": unit,
        "may_overview": rules.may_view_overview(caller.user.role, unit, plan.administering_unit).allowed})


@router.get("/supervision/tasks/overview")
def overview_page(request: Request, session: SessionDep, settings: SettingsDep, caller: PageUser):
    plan = service.load_plan(settings.data_dir)
    rows = [views.view_dict(v, periods=False) for v in service.overview(session, caller=caller, plan=plan)]
    due = rules.last_due(plan.signed_on, today_local())
    person = caller.user.person.name if caller.user.person else None
    return render(request, "supervision_tasks/overview.html", {
        **_common(plan), "rows": rows, "person": person, "last_due": due,
        "overdue_now": sum(1 for r in rows if due and due.code in r["overdue_periods"]),
        "overdue_total": sum(len(r["overdue_periods"]) for r in rows)})


def _task_page(request, session, plan, caller, slug, *, errors=None, form=None, status_code=200):
    view = service.task_view(session, caller=caller, plan=plan, slug=slug)
    today = today_local()
    periods = rules.periods(plan.signed_on, today)
    return render(request, "supervision_tasks/task.html", {
        **_common(plan), "t": views.view_dict(view), "errors": errors or [], "form": form or {},
        "choices": [p for p in reversed(periods)], "default": rules.last_due(plan.signed_on, today) or periods[-1],
        "field_labels": FIELD_LABELS}, status_code=status_code)


@router.get("/supervision/tasks/{slug}")
def task_page(slug: str, request: Request, session: SessionDep, settings: SettingsDep, caller: PageUser):
    return _task_page(request, session, service.load_plan(settings.data_dir), caller, slug[:20])


@router.post("/supervision/tasks/{slug}/file")
async def file_from_form(slug: str, request: Request, session: SessionDep, settings: SettingsDep, caller: PageUser):
    form = await steps.posted(request, 4000)
    plan = service.load_plan(settings.data_dir)
    slug = slug[:20]
    year, _, quarter = form.get("period", "").partition("Q")
    body = {"year": year or None, "quarter": quarter or None, "progress": form.get("progress", "")}

    def file() -> None:
        if form.get("kind") == "lead":
            data = ReportIn.model_validate({**body, "issues": form.get("issues", ""),
                                            "next_steps": form.get("next_steps", "")})
        else:
            data = ContributionIn.model_validate(body)
        service.file(session, caller=caller, plan=plan, slug=slug, data=data)

    def again(exc: steps.Refusal):
        errors = steps.field_errors(exc, FIELD_LABELS)
        return _task_page(request, session, plan, caller, slug, errors=errors, form=form,
                          status_code=steps.status_of(exc))

    return steps.run(file, then=(f"/supervision/tasks/{slug}#filed", "supervision.task-filed"), refused=again)
