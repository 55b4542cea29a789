"""The task API (东政办发〔2021〕17号): the plan, my tasks, the overview, a task, filing. Thin over service.py."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from dongcheng.api.deps import SessionDep, SettingsDep, require
from dongcheng.auth.service import Caller
from dongcheng.supervision.tasks import service, views
from dongcheng.supervision.tasks.schemas import ContributionIn, ReportIn

router = APIRouter(prefix="/api/supervision/tasks", tags=["supervision 医疗卫生行业综合监管：任务"])

Reader = Annotated[Caller, Depends(require(service.READ))]
Reporter = Annotated[Caller, Depends(require(service.REPORT))]
Contributor = Annotated[Caller, Depends(require(service.CONTRIBUTE))]
Slug = Annotated[str, Path(max_length=20, pattern=r"^[0-9-]+$", description="3-2-4 for 三（二）4")]


@router.get("", summary="The plan: goals, the 21 tasks with their units in order (the first leads)")
def get_plan(settings: SettingsDep, caller: Reader) -> dict:
    return views.plan_dict(service.load_plan(settings.data_dir))


@router.get("/mine", summary="The caller's unit's tasks (lead or co-unit), with each period's reports")
def get_mine(session: SessionDep, settings: SettingsDep, caller: Reader) -> list[dict]:
    plan = service.load_plan(settings.data_dir)
    return [views.view_dict(v) for v in service.my_tasks(session, caller=caller, plan=plan)]


@router.get("/overview", summary="Every task: lead, supervising leader, latest period, overdue periods")
def get_overview(session: SessionDep, settings: SettingsDep, caller: Reader) -> list[dict]:
    plan = service.load_plan(settings.data_dir)
    return [views.view_dict(v, periods=False) for v in service.overview(session, caller=caller, plan=plan)]


@router.get("/{slug}", summary="A task with every period: the lead's report, each co-unit's contribution")
def get_task(slug: Slug, session: SessionDep, settings: SettingsDep, caller: Reader) -> dict:
    plan = service.load_plan(settings.data_dir)
    return views.view_dict(service.task_view(session, caller=caller, plan=plan, slug=slug))


@router.post("/{slug}/reports", status_code=201, summary="The lead's progress report for a quarter")
def post_report(slug: Slug, body: ReportIn, session: SessionDep, settings: SettingsDep, caller: Reporter) -> dict:
    plan = service.load_plan(settings.data_dir)
    return views.report_dict(service.file(session, caller=caller, plan=plan, slug=slug, data=body))


@router.post("/{slug}/contributions", status_code=201, summary="A co-unit's contribution for a quarter")
def post_contribution(slug: Slug, body: ContributionIn, session: SessionDep, settings: SettingsDep,
                      caller: Contributor) -> dict:
    plan = service.load_plan(settings.data_dir)
    return views.report_dict(service.file(session, caller=caller, plan=plan, slug=slug, data=body))
