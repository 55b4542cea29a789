"""示范基地 API (东人社发〔2021〕101号): thin handlers over service.py; rules.py holds every clause."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from dongcheng.api.deps import SessionDep, require
from dongcheng.api.params import Id
from dongcheng.auth.service import Caller
from dongcheng.core.time import today_local
from dongcheng.incubators import repository, service, views
from dongcheng.incubators.enums import Action, Status
from dongcheng.incubators.schemas import (
    ApplicationIn,
    CertifyIn,
    ChangeDecisionIn,
    ChangeIn,
    ContinueIn,
    NoteIn,
    NoticeIn,
    ObjectionIn,
    ReevaluationIn,
    RejectIn,
    ReportIn,
    ResolveIn,
    ReviewIn,
    RevokeIn,
)

router = APIRouter(prefix="/api", tags=["incubators 创业孵化示范基地"])

Clerk = Annotated[Caller, Depends(require(service.ACTION))]
Reader = Annotated[Caller, Depends(require("incubators.read"))]
StatusFilter = Annotated[Status | None, Query(description="filter by status")]


@router.get("/incubators", summary="Applications and bases, newest first")
def list_applications(session: SessionDep, caller: Reader, status: StatusFilter = None) -> list[dict]:
    return [views.summary_dict(a) for a in repository.list_applications(session, status=status)]


@router.post("/incubators", status_code=201, summary="File an application (第八条（一）; 第十条 direct)")
def create_application(body: ApplicationIn, session: SessionDep, caller: Clerk) -> dict:
    app = service.apply(session, caller=caller, data=body)
    return views.application_dict(app, service.timeline(session, app))


@router.get("/incubators/{application_id}", summary="An application: eligibility, notice, timeline")
def get_application(application_id: Id, session: SessionDep, caller: Reader) -> dict:
    app = repository.get(session, application_id)
    return views.application_dict(app, service.timeline(session, app))


@router.get("/incubators/{application_id}/eligibility", summary="第七条, criterion by criterion")
def get_eligibility(application_id: Id, session: SessionDep, caller: Reader) -> dict:
    return views.eligibility_dict(repository.get(session, application_id))


def _step(session, caller, application_id, action, body) -> dict:
    app = service.act(session, caller=caller, application_id=application_id, action=action, body=body)
    return views.application_dict(app, service.timeline(session, app))


@router.post("/incubators/{application_id}/check-materials", summary="材料审核 (第八条（二）, 第九条)")
def check_materials(application_id: Id, body: NoteIn, session: SessionDep, caller: Clerk) -> dict:
    return _step(session, caller, application_id, Action.CHECK_MATERIALS, body)


@router.post("/incubators/{application_id}/visit-site", summary="实地走访 (第八条（二）)")
def visit_site(application_id: Id, body: NoteIn, session: SessionDep, caller: Clerk) -> dict:
    return _step(session, caller, application_id, Action.VISIT_SITE, body)


@router.post("/incubators/{application_id}/review", summary="评审会 (第八条（二）)")
def review(application_id: Id, body: ReviewIn, session: SessionDep, caller: Clerk) -> dict:
    return _step(session, caller, application_id, Action.REVIEW, body)


@router.post("/incubators/{application_id}/start-notice", summary="公示5个工作日 (第八条（二）)")
def start_notice(application_id: Id, body: NoticeIn, session: SessionDep, caller: Clerk) -> dict:
    return _step(session, caller, application_id, Action.START_NOTICE, body)


@router.post("/incubators/{application_id}/objections", summary="An objection raised during the notice")
def raise_objection(application_id: Id, body: ObjectionIn, session: SessionDep, caller: Clerk) -> dict:
    return _step(session, caller, application_id, Action.OBJECT, body)


@router.post("/incubators/{application_id}/resolve-objection", summary="Uphold (stops certification) or dismiss")
def resolve_objection(application_id: Id, body: ResolveIn, session: SessionDep, caller: Clerk) -> dict:
    return _step(session, caller, application_id, Action.RESOLVE_OBJECTION, body)


@router.post("/incubators/{application_id}/certify", summary="认定并授牌 after the notice (第八条（三）)")
def certify(application_id: Id, body: CertifyIn, session: SessionDep, caller: Clerk) -> dict:
    return _step(session, caller, application_id, Action.CERTIFY, body)


@router.post("/incubators/{application_id}/recognise", summary="直接认定 (第十条)")
def recognise(application_id: Id, body: NoteIn, session: SessionDep, caller: Clerk) -> dict:
    return _step(session, caller, application_id, Action.RECOGNISE, body)


@router.post("/incubators/{application_id}/continue",
             summary="附件3 base: assessed, continued (孵化效果良好 and 积极参与创业服务活动) or not (第十条)")
def continue_recognition(application_id: Id, body: ContinueIn, session: SessionDep, caller: Clerk) -> dict:
    return _step(session, caller, application_id, Action.CONTINUE, body)


@router.post("/incubators/{application_id}/reject", summary="不予认定")
def reject(application_id: Id, body: RejectIn, session: SessionDep, caller: Clerk) -> dict:
    return _step(session, caller, application_id, Action.REJECT, body)


@router.post("/incubators/{application_id}/revoke", summary="撤销称号 (第十三条; 3年内不得再次申请)")
def revoke(application_id: Id, body: RevokeIn, session: SessionDep, caller: Clerk) -> dict:
    return _step(session, caller, application_id, Action.REVOKE, body)


@router.get("/incubators/{application_id}/reports", summary="Quarterly reports, quarter by quarter (第十一条（一）)")
def list_reports(application_id: Id, session: SessionDep, caller: Reader) -> dict:
    app = repository.get(session, application_id)
    return views.reports_dict(app, service.reports_of(session, app), today_local())


@router.post("/incubators/{application_id}/reports", status_code=201, summary="Record a quarterly report")
def create_report(application_id: Id, body: ReportIn, session: SessionDep, caller: Clerk) -> dict:
    service.record_report(session, caller=caller, application_id=application_id, data=body)
    app = repository.get(session, application_id)
    return views.reports_dict(app, service.reports_of(session, app), today_local())


@router.get("/incubators/{application_id}/subsidies", summary="第十七条: one-time award and activity subsidies")
def get_subsidies(application_id: Id, session: SessionDep, caller: Reader,
                  offline: Annotated[list[Annotated[int, Query(ge=0, le=100_000)]], Query(
                      max_length=500, description="participants of each offline session")] = (),
                  online_sessions: Annotated[int, Query(ge=0, le=10_000)] = 0) -> dict:
    return views.subsidies_dict(repository.get(session, application_id), list(offline), online_sessions)


@router.get("/incubators/{application_id}/reevaluations", summary="复评, year by year (第十二条; 第十三条（三）)")
def list_reevaluations(application_id: Id, session: SessionDep, caller: Reader) -> dict:
    app = repository.get(session, application_id)
    return views.reevaluations_dict(app, service.reevaluations_of(session, app))


@router.post("/incubators/{application_id}/reevaluations", status_code=201,
             summary="Record a year's 复评 result; a second failure in a row revokes the title (第十三条（三）)")
def create_reevaluation(application_id: Id, body: ReevaluationIn, session: SessionDep, caller: Clerk) -> dict:
    service.record_reevaluation(session, caller=caller, application_id=application_id, data=body)
    app = repository.get(session, application_id)
    return {**views.reevaluations_dict(app, service.reevaluations_of(session, app)), "application": views.summary_dict(app)}


@router.get("/incubators/{application_id}/changes", summary="信息变更申请 (第十四条: 变更后30日内)")
def list_changes(application_id: Id, session: SessionDep, caller: Reader) -> dict:
    app = repository.get(session, application_id)
    return views.changes_dict(app, service.changes_of(session, app))


@router.post("/incubators/{application_id}/changes", status_code=201,
             summary="Report a change (第十四条); late when filed after the 30th day")
def create_change(application_id: Id, body: ChangeIn, session: SessionDep, caller: Clerk) -> dict:
    service.file_change(session, caller=caller, application_id=application_id, data=body)
    app = repository.get(session, application_id)
    return {**views.changes_dict(app, service.changes_of(session, app)), "application": views.summary_dict(app)}


@router.post("/incubators/{application_id}/changes/{change_id}/decide",
             summary="Decide a change: keep the title, or revoke it from the day of the change (第十四条)")
def decide_change(application_id: Id, change_id: Id, body: ChangeDecisionIn, session: SessionDep,
                  caller: Clerk) -> dict:
    service.decide_change(session, caller=caller, application_id=application_id, change_id=change_id, data=body)
    app = repository.get(session, application_id)
    return {**views.changes_dict(app, service.changes_of(session, app)), "application": views.summary_dict(app)}


@router.get("/public/incubators", summary="Certified demonstration incubation bases (no login)")
def public_incubators(session: SessionDep) -> list[dict]:
    return [views.public_dict(a) for a in repository.certified(session)]
