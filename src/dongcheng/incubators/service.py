"""Incubator flows (东人社发〔2021〕101号): apply, each 第八条 step through one state table, certify, revoke, quarterly
reports. Loads through repository.py, asks rules.py, writes, audits every change, and never commits.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import update
from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.auth.service import Caller, authorize
from dongcheng.calendar.service import working_days
from dongcheng.core.basis import Basis
from dongcheng.core.errors import conflict, invalid
from dongcheng.core.time import today_local, utcnow
from dongcheng.directory.service import find_unit
from dongcheng.incubators import repository, rules
from dongcheng.incubators.enums import Action, Route, Status
from dongcheng.incubators.models import IncubatorApplication, IncubatorEvent, IncubatorReport
from dongcheng.incubators.schemas import ApplicationIn, ReportIn

TARGET = "incubator_application"
ACTION = "incubators.manage"


def check_authority(session: Session, caller: Caller) -> None:
    """区人力社保局负责…评审认定、复评及示范基地的日常管理、具体经办 (第五条): its clerks act, no one else."""
    authorize(caller, ACTION, unit=find_unit(session, rules.OWNING_UNIT))


def facts_of(app: IncubatorApplication) -> rules.Facts:
    raw = dict(app.facts or {})
    if raw.get("operating_since"):
        raw["operating_since"] = date.fromisoformat(raw["operating_since"])
    for key in ("utilisation_pct", "incubated_entities", "jobs", "renewal_pct"):
        if raw.get(key) is not None:
            raw[key] = tuple(raw[key])
    return rules.Facts(**raw)


def eligibility(app: IncubatorApplication) -> list[rules.Criterion]:
    return rules.eligibility(facts_of(app), app.applied_on)


def _event(session: Session, caller: Caller, app: IncubatorApplication, action: str, basis: Basis | str,
           note: str = "") -> None:
    session.add(IncubatorEvent(application_id=app.id, at=utcnow(), action=action, actor=caller.user.username,
                               status_after=app.status, basis=str(basis), note=note))


def apply(session: Session, *, caller: Caller, data: ApplicationIn) -> IncubatorApplication:
    """申报 (第八条（一）); refused within 3 years of a revocation of the same operator (第十三条)."""
    check_authority(session, caller)
    on = data.applied_on or today_local()
    revoked = [(a.base_name, a.revoked_on) for a in repository.revoked_by_code(session, data.credit_code)]
    rules.may_apply(on, revoked).require()
    if data.route == Route.DIRECT and data.title_level is None:
        raise invalid("title_level", "直接认定须注明国家级或市级示范基地称号（第十条）",
                      "a direct application needs the national or municipal title it holds (第十条)")
    app = IncubatorApplication(
        base_name=data.base_name.strip(), operator_name=data.operator_name.strip(), credit_code=data.credit_code,
        address=data.address.strip(), route=data.route, title_level=data.title_level, title_name=data.title_name,
        facts=data.facts.model_dump(mode="json"), applied_on=on, status=Status.APPLIED.value, version=1,
        created_by=caller.user.username, created_at=utcnow())
    session.add(app)
    session.flush()
    basis = rules.clause("第十条") if data.route == Route.DIRECT else rules.clause("第八条（一）")
    _event(session, caller, app, "apply", basis)
    audit.record(session, actor=caller.actor, action="incubators.apply", target_type=TARGET, target_id=app.id,
                 basis=basis, after={"base_name": app.base_name, "route": app.route, "applied_on": on.isoformat(),
                                     "eligibility": rules.overall(eligibility(app)).value})
    return app


def _move(session: Session, app: IncubatorApplication, to: Status, **values) -> None:
    """Conditional UPDATE on (status, version): two clerks acting at once change the state once."""
    result = session.execute(
        update(IncubatorApplication)
        .where(IncubatorApplication.id == app.id, IncubatorApplication.status == app.status,
               IncubatorApplication.version == app.version)
        .values(status=to.value, version=IncubatorApplication.version + 1, **values)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise conflict("该申请已被他人处理，请刷新", "Someone else acted on this application first; reload")
    session.refresh(app)


def act(session: Session, *, caller: Caller, application_id: int, action: Action, body=None) -> IncubatorApplication:
    """One step of the state table (rules.TRANSITIONS); 409 when out of order or refused by its clause."""
    check_authority(session, caller)
    app = repository.get(session, application_id)
    before = app.status
    status = Status(app.status)
    rules.step(status, action).require()
    rules.route_allows(Route(app.route), action).require()
    to = rules.next_status(status, action)
    basis: Basis = rules.STEP_BASIS[action]
    values: dict = {}
    note = getattr(body, "note", "") or ""
    if action == Action.CHECK_MATERIALS:
        decision = rules.may_pass_materials(eligibility(app))
        decision.require()
        basis = decision.basis
    elif action == Action.REVIEW:
        if not body.passed:
            to, values = Status.REJECTED, {"outcome_note": note or "评审未通过"}
    elif action == Action.START_NOTICE:
        published = body.published_on or today_local()
        span, basis = rules.notice_period(published, working_days(session))
        values = {"notice_start": published, "notice_end": span.end, "notice_provisional": span.provisional}
        note = f"公示 {published} 起5个工作日，至 {span.end} 止" + ("（含未公布年份，暂定）" if span.provisional else "")
    elif action == Action.OBJECT:
        values, note = {"open_objections": app.open_objections + 1}, body.text
    elif action == Action.RESOLVE_OBJECTION:
        if app.open_objections < 1:
            raise conflict("没有待处理的异议", "There is no open objection")
        values = {"open_objections": app.open_objections - 1}
        if body.upheld:
            to, values["outcome_note"] = Status.REJECTED, note or "公示异议成立"
        note = ("异议成立：" if body.upheld else "异议不成立：") + note
    elif action == Action.CERTIFY:
        on = body.on or today_local()
        if on > today_local():
            raise invalid("on", "认定日期不能晚于今天", "the certification day cannot be in the future")
        decision = rules.may_certify(app.notice_end, on, app.open_objections)
        decision.require()
        values = {"certified_on": on}
    elif action == Action.RECOGNISE:
        decision = rules.may_recognise_directly(Route(app.route), app.title_level)
        decision.require()
        values, note = {"certified_on": today_local()}, note or f"{app.title_level}：{app.title_name or ''}"
    elif action == Action.REJECT:
        values, note = {"outcome_note": body.reason}, body.reason
    elif action == Action.REVOKE:
        on = body.revoked_on or today_local()
        basis = rules.clause(f"第十三条{body.ground}", rules.REVOCATION_GROUNDS[body.ground])
        values = {"revoked_on": on, "revocation_ground": body.ground, "outcome_note": body.reason}
        note = f"{body.reason}；{rules.may_reapply_from(on)}起方可再次申请"
    _move(session, app, to, **values)
    _event(session, caller, app, action.value, basis, note)
    audit.record(session, actor=caller.actor, action=f"incubators.{action.value}", target_type=TARGET,
                 target_id=app.id, basis=basis, before={"status": before},
                 after={"status": app.status, **{k: str(v) for k, v in values.items()}}, note=note)
    return app


def record_report(session: Session, *, caller: Caller, application_id: int, data: ReportIn) -> IncubatorReport:
    """季度基本情况报表 (第十一条（一）): one per quarter, for a certified base."""
    check_authority(session, caller)
    app = repository.get(session, application_id)
    if app.status != Status.CERTIFIED.value:
        raise conflict("只有已认定的示范基地报送季报", "Only a certified base files quarterly reports")
    if repository.report(session, app.id, data.year, data.quarter) is not None:
        raise conflict(f"{data.year}年第{data.quarter}季度报表已报送", "That quarter's report is already on file")
    report = IncubatorReport(
        application_id=app.id, year=data.year, quarter=data.quarter, submitted_on=data.submitted_on or today_local(),
        figures=data.model_dump(include={"trainings", "policy_beneficiaries", "incubated_entities",
                                         "service_activities"}), recorded_by=caller.user.username)
    session.add(report)
    session.flush()
    audit.record(session, actor=caller.actor, action="incubators.report", target_type=TARGET, target_id=app.id,
                 basis=rules.clause("第十一条（一）"), after={"year": data.year, "quarter": data.quarter,
                                                          "submitted_on": report.submitted_on.isoformat()})
    return report

