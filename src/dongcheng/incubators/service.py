"""Incubator flows (东人社发〔2021〕101号): apply, each 第八条 step through one state table, certify, revoke, quarterly
reports. Loads through repository.py, asks rules.py, writes, audits every change, and never commits.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.auth.service import Caller, authorize
from dongcheng.calendar.service import working_days
from dongcheng.core.basis import Basis
from dongcheng.core.time import today_local, utcnow
from dongcheng.core.transition import move
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
    rules.check_direct_title(data.route, data.title_level).require()
    app = IncubatorApplication(
        base_name=data.base_name.strip(), operator_name=data.operator_name.strip(), credit_code=data.credit_code,
        address=data.address.strip(), route=data.route, title_level=data.title_level, title_name=data.title_name,
        facts=data.facts.model_dump(mode="json"), applied_on=on, status=Status.APPLIED.value, version=1,
        created_by=caller.user.username, created_at=utcnow())
    session.add(app)
    session.flush()
    basis = rules.application_basis(data.route)
    _event(session, caller, app, "apply", basis)
    audit.record(session, actor=caller.actor, action="incubators.apply", target_type=TARGET, target_id=app.id,
                 basis=basis, after={"base_name": app.base_name, "route": app.route, "applied_on": on.isoformat(),
                                     "eligibility": rules.overall(eligibility(app)).value})
    return app


def act(session: Session, *, caller: Caller, application_id: int, action: Action, body=None) -> IncubatorApplication:
    """One step of the state table (rules.FLOW); 409 when out of order or refused by its clause. The move is the
    conditional UPDATE on (id, status, version): two clerks acting at once change the state once."""
    check_authority(session, caller)
    app = repository.get(session, application_id)
    before = app.status
    status = Status(app.status)
    rules.step(status, action).require()
    rules.route_allows(Route(app.route), action).require()
    to = rules.leads_to(status, action, passed=getattr(body, "passed", True), upheld=getattr(body, "upheld", False))
    basis: Basis = rules.FLOW[action].basis
    values: dict = {}
    note = getattr(body, "note", "") or ""
    if action == Action.CHECK_MATERIALS:
        decision = rules.may_pass_materials(eligibility(app))
        decision.require()
        basis = decision.basis
    elif action == Action.REVIEW:
        if to == Status.REJECTED:
            values = {"outcome_note": note or "评审未通过"}
    elif action == Action.START_NOTICE:
        published = body.published_on or today_local()
        span, basis = rules.notice_period(published, working_days(session))
        values = {"notice_start": published, "notice_end": span.end, "notice_provisional": span.provisional}
        note = f"公示 {published} 起5个工作日，至 {span.end} 止" + ("（含未公布年份，暂定）" if span.provisional else "")
    elif action == Action.OBJECT:
        values, note = {"open_objections": app.open_objections + 1}, body.text
    elif action == Action.RESOLVE_OBJECTION:
        rules.may_resolve_objection(app.open_objections).require()
        values = {"open_objections": app.open_objections - 1}
        if to == Status.REJECTED:
            values["outcome_note"] = note or "公示异议成立"
        note = ("异议成立：" if body.upheld else "异议不成立：") + note
    elif action == Action.CERTIFY:
        on = body.on or today_local()
        rules.check_certification_day(on, today_local()).require()
        rules.may_certify(app.notice_end, on, app.open_objections).require()
        values = {"certified_on": on}
    elif action == Action.RECOGNISE:
        rules.may_recognise_directly(Route(app.route), app.title_level).require()
        values, note = {"certified_on": today_local()}, note or f"{app.title_level}：{app.title_name or ''}"
    elif action == Action.REJECT:
        values, note = {"outcome_note": body.reason}, body.reason
    elif action == Action.REVOKE:
        on = body.revoked_on or today_local()
        basis = rules.revocation_basis(body.ground)
        values = {"revoked_on": on, "revocation_ground": body.ground, "outcome_note": body.reason}
        note = f"{body.reason}；{rules.may_reapply_from(on)}起方可再次申请"
    move(session, app, to, what_zh="该申请", what_en="this application", **values)
    _event(session, caller, app, action.value, basis, note)
    audit.record(session, actor=caller.actor, action=f"incubators.{action.value}", target_type=TARGET,
                 target_id=app.id, basis=basis, before={"status": before},
                 after={"status": app.status, **{k: str(v) for k, v in values.items()}}, note=note)
    return app


def record_report(session: Session, *, caller: Caller, application_id: int, data: ReportIn) -> IncubatorReport:
    """季度基本情况报表 (第十一条（一）): one per quarter, for a certified base."""
    check_authority(session, caller)
    app = repository.get(session, application_id)
    filed = repository.report(session, app.id, data.year, data.quarter) is not None
    allowed = rules.may_report(Status(app.status), filed, data.year, data.quarter)
    allowed.require()
    report = IncubatorReport(
        application_id=app.id, year=data.year, quarter=data.quarter, submitted_on=data.submitted_on or today_local(),
        figures=data.model_dump(include={"trainings", "policy_beneficiaries", "incubated_entities",
                                         "service_activities"}), recorded_by=caller.user.username)
    session.add(report)
    session.flush()
    audit.record(session, actor=caller.actor, action="incubators.report", target_type=TARGET, target_id=app.id,
                 basis=allowed.basis, after={"year": data.year, "quarter": data.quarter,
                                             "submitted_on": report.submitted_on.isoformat()})
    return report

