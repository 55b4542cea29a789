"""预案管理 and 应急演练 API (§7): thin handlers over service.py; rules.py holds every clause."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from dongcheng.api.deps import SessionDep, require
from dongcheng.api.params import Id
from dongcheng.auth.service import Caller
from dongcheng.core.time import today_local
from dongcheng.emergency.plans import service, views, xlsx
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

router = APIRouter(prefix="/api/plans", tags=["plans 预案管理与应急演练 §7"])
Reader = Annotated[Caller, Depends(require(service.READ))]
Manager = Annotated[Caller, Depends(require(service.MANAGE))]
DrillManager = Annotated[Caller, Depends(require(service.DRILLS))]
YearPath = Annotated[int, Path(ge=2000, le=2099)]


def _plan(session, f) -> dict:
    return views.plan_detail(service.detail(session, f), today_local(), service.management())


def _drill(session, drill) -> dict:
    return views.drill_detail(service.drill_detail(session, drill))


@router.get("", summary="The plan registry: §8.3's catalogue + general, street, department and catastrophe plans")
def list_plans(session: SessionDep, caller: Reader) -> list[dict]:
    rows = service.list_plans(session, caller)
    dues = service.filing_dues(session, rows)
    return [views.plan_summary(f, dues.get(f.row.id), today_local(), service.management()) for f in rows]


@router.post("", status_code=201, summary="Register a street, department or catastrophe plan (§7.1.4)")
def create_plan(body: PlanIn, session: SessionDep, caller: Manager) -> dict:
    row = service.add_plan(session, caller=caller, data=body)
    return _plan(session, service.plan_facts(session, row))


@router.get("/revision-triggers", summary="The four §7.1.5 situations that call for a revision (transcribed)")
def revision_triggers(caller: Reader) -> list[dict]:
    return views.triggers_catalogue(service.management())


@router.get("/drills", summary="Drills, newest first; ?year= those held (实施) in that year")
def list_drills(session: SessionDep, caller: Reader,
                year: Annotated[int | None, Query(ge=2000, le=2099)] = None) -> list[dict]:
    units = service.units_by_id(session)
    return [views.drill_summary(d, units) for d in service.drills_for_reading(session, caller, year)]


@router.post("/drills", status_code=201, summary="Record a drill: organiser, kind, plans, units (§7.2)")
def create_drill(body: DrillIn, session: SessionDep, caller: DrillManager) -> dict:
    return _drill(session, service.create_drill(session, caller=caller, data=body))


@router.get("/drills/compliance/{year}.xlsx", summary="The same as an Excel workbook", response_class=Response,
            responses={200: {"content": {xlsx.XLSX: {}}}})
def compliance_xlsx(year: YearPath, session: SessionDep, caller: Reader) -> Response:
    data = views.compliance(year, service.compliance(session, caller, year))
    return Response(xlsx.compliance(data), media_type=xlsx.XLSX,
                    headers={"Content-Disposition": f'attachment; filename="drills-compliance-{year}.xlsx"'})


@router.get("/drills/compliance/{year}", summary="Who drilled in the year (§7.2.1, §7.2.2), each line with its clause")
def compliance(year: YearPath, session: SessionDep, caller: Reader) -> dict:
    return views.compliance(year, service.compliance(session, caller, year))


@router.get("/drills/{drill_id}", summary="A drill: phases (§7.2.3), plans, units, findings and actions")
def get_drill(drill_id: Id, session: SessionDep, caller: Reader) -> dict:
    return _drill(session, service.drill_for_reading(session, caller, drill_id))


@router.post("/drills/{drill_id}/phases", summary="Record a phase (计划→准备→实施→评估总结→改进, §7.2.3)")
def record_phase(drill_id: Id, body: PhaseIn, session: SessionDep, caller: DrillManager) -> dict:
    service.record_phase(session, caller=caller, drill_id=drill_id, data=body)
    return _drill(session, service.drill_for_reading(session, caller, drill_id))


@router.post("/drills/{drill_id}/findings", status_code=201, summary="A finding and its follow-up action (§7.2.3)")
def add_finding(drill_id: Id, body: FindingIn, session: SessionDep, caller: DrillManager) -> dict:
    service.add_finding(session, caller=caller, drill_id=drill_id, data=body)
    return _drill(session, service.drill_for_reading(session, caller, drill_id))


@router.post("/drills/{drill_id}/findings/{finding_id}/done", summary="The follow-up action is done")
def finish_finding(drill_id: Id, finding_id: Id, body: FindingDoneIn, session: SessionDep,
                   caller: DrillManager) -> dict:
    service.finish_finding(session, caller=caller, drill_id=drill_id, finding_id=finding_id, data=body)
    return _drill(session, service.drill_for_reading(session, caller, drill_id))


@router.get("/{plan_id}", summary="A plan: filing (§7.1.4), versions, evaluation, revisions and triggers (§7.1.5)")
def get_plan(plan_id: Id, session: SessionDep, caller: Reader) -> dict:
    return _plan(session, service.plan_for_reading(session, caller, plan_id))


@router.post("/{plan_id}/versions", status_code=201, summary="印发 a version (closes a revision; §7.2.1 for special)")
def record_version(plan_id: Id, body: VersionIn, session: SessionDep, caller: Manager) -> dict:
    row = service.record_version(session, caller=caller, plan_id=plan_id, data=body)
    return _plan(session, service.plan_facts(session, row))


@router.post("/{plan_id}/filing", summary="备案 recorded (§7.1.4; 20 working days, 国办发〔2024〕5号 第二十六条)")
def record_filing(plan_id: Id, body: FilingIn, session: SessionDep, caller: Manager) -> dict:
    row = service.record_filing(session, caller=caller, plan_id=plan_id, data=body)
    return _plan(session, service.plan_facts(session, row))


@router.post("/{plan_id}/evaluations", summary="定期评估 recorded (§7.1.5; every 3 years by default: plan_evaluation_period)")
def record_evaluation(plan_id: Id, body: EvaluationIn, session: SessionDep, caller: Manager) -> dict:
    row = service.record_evaluation(session, caller=caller, plan_id=plan_id, data=body)
    return _plan(session, service.plan_facts(session, row))


@router.post("/{plan_id}/triggers", status_code=201, summary="A §7.1.5 revision trigger: opens a revision")
def record_trigger(plan_id: Id, body: TriggerIn, session: SessionDep, caller: Manager) -> dict:
    service.record_trigger(session, caller=caller, plan_id=plan_id, data=body)
    return _plan(session, service.plan_for_reading(session, caller, plan_id))
