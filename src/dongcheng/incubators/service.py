"""Incubator flows (东人社发〔2021〕101号): apply, each 第八条 step through one state table, certify, revoke, quarterly
reports. Loads through repository.py, asks rules.py, writes, audits every change, and never commits.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.auth.service import Caller, authorize
from dongcheng.calendar.service import working_days
from dongcheng.core.basis import Basis
from dongcheng.core.errors import conflict
from dongcheng.core.time import today_local, utcnow
from dongcheng.core.transition import move
from dongcheng.directory.service import find_unit
from dongcheng.incubators import management_rules as mr
from dongcheng.incubators import repository, rules
from dongcheng.incubators.enums import Action, Route, Status
from dongcheng.incubators.models import (
    IncubatorApplication,
    IncubatorChange,
    IncubatorEvent,
    IncubatorReevaluation,
    IncubatorReport,
)
from dongcheng.incubators.schemas import ApplicationIn, ChangeDecisionIn, ChangeIn, ReevaluationIn, ReportIn

TARGET = "incubator_application"
ACTION = "incubators.manage"


def check_authority(session: Session, caller: Caller) -> None:
    """区人力社保局负责…评审认定、复评及示范基地的日常管理、具体经办 (第五条): its clerks act, no one else."""
    authorize(caller, ACTION, unit=find_unit(session, rules.OWNING_UNIT))


def eligibility(app: IncubatorApplication) -> list[rules.Criterion]:
    return rules.eligibility(rules.facts_from(app.facts), app.applied_on)


def timeline(session: Session, app: IncubatorApplication) -> list[IncubatorEvent]:
    """The application's steps in order, for its page and its JSON (views.application_dict)."""
    return repository.events(session, app.id)


def reports_of(session: Session, app: IncubatorApplication) -> list[IncubatorReport]:
    """The quarterly reports on file, for views.reports_dict."""
    return repository.reports(session, app.id)


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
    rules.check_former_recognition(data.route, data.former_recognition).require()
    app = IncubatorApplication(
        base_name=data.base_name.strip(), operator_name=data.operator_name.strip(), credit_code=data.credit_code,
        address=data.address.strip(), route=data.route, title_level=data.title_level, title_name=data.title_name,
        former_recognition=(data.former_recognition or "").strip() or None,
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
    to = rules.leads_to(status, action, passed=getattr(body, "passed", True), upheld=getattr(body, "upheld", False),
                        good_incubation=getattr(body, "good_incubation", True),
                        active_in_services=getattr(body, "active_in_services", True))
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
    elif action == Action.CONTINUE:
        found = (f"孵化效果{'良好' if body.good_incubation else '不佳'}，"
                 f"{'能' if body.active_in_services else '未'}积极参与东城区创业服务活动")
        note = f"{found}：{body.assessment}"
        values = ({"certified_on": today_local()} if to == Status.CERTIFIED
                  else {"outcome_note": f"经评估不予继续认定（{found}）"})
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



# --- after certification: 第十二条 re-evaluation, 第十四条 change reports -------------------------------------------


def reevaluations_of(session: Session, app: IncubatorApplication) -> list[IncubatorReevaluation]:
    return repository.reevaluations(session, app.id)


def changes_of(session: Session, app: IncubatorApplication) -> list[IncubatorChange]:
    return repository.changes(session, app.id)


def _revoke(session: Session, caller: Caller, app: IncubatorApplication, *, on, ground: str, basis: Basis,
            reason: str) -> None:
    """撤销称号 as a consequence the text makes mandatory (第十三条（三）, 第十四条): the same state change, timeline
    entry and audit as a clerk's revocation, the 3-year ban running from ``on``."""
    move(session, app, Status.REVOKED, what_zh="该示范基地", what_en="this base", revoked_on=on,
         revocation_ground=ground, outcome_note=reason)
    note = f"{reason}；{rules.may_reapply_from(on)}起方可再次申请"
    _event(session, caller, app, Action.REVOKE.value, basis, note)
    audit.record(session, actor=caller.actor, action="incubators.revoke", target_type=TARGET, target_id=app.id,
                 basis=basis, before={"status": Status.CERTIFIED.value},
                 after={"status": app.status, "revoked_on": on.isoformat(), "revocation_ground": ground}, note=note)


def record_reevaluation(session: Session, *, caller: Caller, application_id: int,
                        data: ReevaluationIn) -> IncubatorReevaluation:
    """复评 of one year (第十二条): the result as published; the second failure in a row revokes the title
    (第十三条（三）连续两年复评未达标), from the day the result is published."""
    check_authority(session, caller)
    app = repository.get(session, application_id)
    published = data.published_on or today_local()
    past = repository.reevaluations(session, app.id)
    mr.may_record_reevaluation(
        certified=app.status == Status.CERTIFIED.value, certified_year=app.certified_on.year if app.certified_on
        else None, year=data.year, this_year=today_local().year, already=any(r.year == data.year for r in past),
    ).require()
    mr.check_published_after_applied(data.applied_on, published).require()
    failed_twice, revoke_basis = mr.failed_two_years_running({**{r.year: r.passed for r in past}, data.year: data.passed})
    row = IncubatorReevaluation(
        application_id=app.id, year=data.year, applied_on=data.applied_on, published_on=published,
        passed=data.passed, report=data.report.strip(), revoked=failed_twice,
        basis=str(revoke_basis if failed_twice else mr.REEVALUATION_BASIS), recorded_by=caller.user.username,
        recorded_at=utcnow())
    session.add(row)
    session.flush()
    result = "达标" if data.passed else "未达标"
    _event(session, caller, app, "reevaluate", mr.REEVALUATION_BASIS, f"{data.year}年度复评{result}：{row.report}")
    audit.record(session, actor=caller.actor, action="incubators.reevaluate", target_type=TARGET, target_id=app.id,
                 basis=mr.REEVALUATION_BASIS, after={"year": data.year, "passed": data.passed,
                                                     "published_on": published.isoformat()})
    if failed_twice:
        _revoke(session, caller, app, on=published, ground="（三）", basis=revoke_basis,
                reason=f"{data.year - 1}年度、{data.year}年度连续两年复评未达标")
    return row


def file_change(session: Session, *, caller: Caller, application_id: int, data: ChangeIn) -> IncubatorChange:
    """信息变更申请 (第十四条): recorded with the day of the change; late when filed after the 30th day."""
    check_authority(session, caller)
    app = repository.get(session, application_id)
    filed = data.filed_on or today_local()
    mr.may_file_change(certified=app.status == Status.CERTIFIED.value).require()
    mr.check_change_dates(data.changed_on, filed).require()
    late, basis = mr.change_filed_late(data.changed_on, filed)
    new_values = data.model_dump(include={"base_name", "operator_name", "address", "incubation_area_m2"},
                                 exclude_none=True)
    row = IncubatorChange(
        application_id=app.id, items=list(dict.fromkeys(data.items)), changes=new_values,
        description=data.description.strip(), changed_on=data.changed_on, filed_on=filed, late=late,
        outcome="pending", basis=str(basis), recorded_by=caller.user.username, recorded_at=utcnow())
    session.add(row)
    session.flush()
    due, _ = mr.change_report_due(data.changed_on)
    note = f"{'、'.join(row.items)}于{data.changed_on}变更，{filed}申请" + (f"（逾期，应于{due}前）" if late else "")
    _event(session, caller, app, "change", basis, note)
    audit.record(session, actor=caller.actor, action="incubators.change", target_type=TARGET, target_id=app.id,
                 basis=basis, after={"change_id": row.id, "items": row.items, "changed_on": data.changed_on.isoformat(),
                                     "filed_on": filed.isoformat(), "late": late, "changes": new_values})
    return row


def decide_change(session: Session, *, caller: Caller, application_id: int, change_id: int,
                  data: ChangeDecisionIn) -> IncubatorChange:
    """材料审核、实地走访 of a change (第十四条): still eligible → the title is kept and the new details recorded;
    no longer eligible → revoked from the day the conditions changed, and filed (备案)."""
    check_authority(session, caller)
    app = repository.get(session, application_id)
    row = repository.change(session, app.id, change_id)
    mr.may_decide_change(row.outcome == "pending").require()
    mr.may_file_change(certified=app.status == Status.CERTIFIED.value).require()
    outcome, revoked_on, basis = mr.change_outcome(data.still_eligible, row.changed_on)
    decided = data.decided_on or today_local()
    if not repository.decide_change(session, row, outcome=outcome, decided_on=decided, decision_note=data.note,
                                    basis=str(basis)):
        raise conflict("该变更申请已被他人审核，请刷新", "Someone else decided this change report first; reload")
    audit.record(session, actor=caller.actor, action="incubators.change_decide", target_type=TARGET,
                 target_id=app.id, basis=basis, before={"change_id": row.id, "outcome": "pending"},
                 after={"change_id": row.id, "outcome": outcome}, note=data.note)
    if outcome == "retained":
        before = {k: getattr(app, k) for k in ("base_name", "operator_name", "address")}
        for key in ("base_name", "operator_name", "address"):
            if key in row.changes:
                setattr(app, key, row.changes[key])
        if "incubation_area_m2" in row.changes:
            app.facts = {**(app.facts or {}), "incubation_area_m2": row.changes["incubation_area_m2"]}
        _event(session, caller, app, "change-retained", basis, data.note)
        audit.record(session, actor=caller.actor, action="incubators.change_apply", target_type=TARGET,
                     target_id=app.id, basis=basis, before=before, after=dict(row.changes))
    else:
        _revoke(session, caller, app, on=revoked_on, ground="（一）", basis=basis,
                reason=f"信息变更后不再符合认定条件（{data.note}），自{revoked_on}条件变化之日起撤销")
    return row
