"""Recovery flows (恢复与重建, 东政发〔2022〕3号 §5): only after 应急结束 (§4.8); close when evaluated.

Loads through repository.py, asks rules.py, writes, records the audit entry — and never commits.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.auth.service import Caller
from dongcheng.core.errors import DomainError, FieldError, invalid
from dongcheng.core.time import CLOCK_SKEW, ensure_utc, to_local, today_local, utcnow
from dongcheng.emergency.incidents.models import Incident
from dongcheng.emergency.incidents.service import authorize_act
from dongcheng.emergency.recovery import repository, rules
from dongcheng.emergency.recovery.models import InsuranceClaim, LossReport, MeritEntry, Recovery, ReliefRecord
from dongcheng.emergency.recovery.schemas import ClaimIn, CloseIn, EvaluationIn, LossesIn, MeritIn, PlanIn, ReliefIn


def get_recovery(session: Session, incident: Incident) -> Recovery | None:
    return repository.recovery_of(session, incident)


def _open(session: Session, caller: Caller, incident: Incident, now: datetime) -> Recovery:
    """The incident's recovery record, opened on the first action — refused before the end or after closing."""
    rules.may_record(ended=incident.ended_at is not None, closed=incident.closed_at is not None).require()
    recovery = get_recovery(session, incident)
    if recovery is None:
        recovery = Recovery(incident_id=incident.id, started_at=now, started_by=caller.user.username, plan_text="",
                            investigation_text="", evaluation_text="")
        session.add(recovery)
        session.flush()
    return recovery


def _audit(session: Session, caller: Caller, incident: Incident, action: str, basis, after: dict,
           before: dict | None = None, note: str = "") -> None:
    audit.record(session, actor=caller.actor, action=f"recovery.{action}", target_type="incident",
                 target_id=incident.id, basis=basis, before=before, after=after, note=note)


def set_plan(session: Session, caller: Caller, incident: Incident, data: PlanIn,
             now: datetime | None = None) -> Recovery:
    """§5.1.1 恢复重建计划和善后处理措施 (replaces the previous text; the audit keeps it)."""
    now = now or utcnow()
    authorize_act(caller, incident)
    recovery = _open(session, caller, incident, now)
    before = {"plan": recovery.plan_text} if recovery.plan_text else None
    recovery.plan_text, recovery.plan_updated_at, recovery.plan_updated_by = data.text, now, caller.user.username
    session.flush()
    _audit(session, caller, incident, "plan", str(rules.PLAN), {"plan": data.text}, before)
    return recovery


def report_losses(session: Session, caller: Caller, incident: Incident, data: LossesIn,
                  now: datetime | None = None) -> LossReport:
    """§5.1.2: the losses, counted by the department the category names (it may report even if not the lead)."""
    now = now or utcnow()
    counting = rules.loss_counting_unit(incident.category)
    if not (caller.unit and counting.value and caller.unit.name == counting.value):
        authorize_act(caller, incident)
    recovery = _open(session, caller, incident, now)
    report = LossReport(recovery_id=recovery.id, dead=data.dead, injured=data.injured, missing=data.missing,
                        economic_loss_fen=rules.to_fen(data.direct_economic_loss_yuan),
                        houses_damaged=data.houses_damaged, notes=data.notes, counting_unit=counting.value,
                        reported_at=now, reported_by=caller.user.username,
                        reported_unit=caller.unit.name if caller.unit else "")
    recovery.losses.append(report)
    session.flush()
    _audit(session, caller, incident, "losses", counting.basis,
           {"loss_report_id": report.id, **data.model_dump(mode="json"), "counting_unit": counting.value})
    return report


def record_relief(session: Session, caller: Caller, incident: Incident, data: ReliefIn,
                  now: datetime | None = None) -> ReliefRecord:
    """§5.2 社会救助与抚恤: recipient, kind, amount."""
    now = now or utcnow()
    authorize_act(caller, incident)
    if data.given_on and data.given_on > today_local():
        raise invalid("given_on", "日期不能晚于今天", "must not be in the future")
    recovery = _open(session, caller, incident, now)
    basis = str(rules.relief_basis(data.kind))
    record = ReliefRecord(recovery_id=recovery.id, recipient=data.recipient, kind=data.kind,
                          amount_fen=rules.to_fen(data.amount_yuan), given_on=data.given_on, note=data.note,
                          basis=basis, recorded_at=now, recorded_by=caller.user.username)
    recovery.relief.append(record)
    session.flush()
    _audit(session, caller, incident, "relief", basis, {"relief_id": record.id, **data.model_dump(mode="json")})
    return record


def record_claim(session: Session, caller: Caller, incident: Incident, data: ClaimIn,
                 now: datetime | None = None) -> InsuranceClaim:
    """§5.3.1 保险理赔: losses notified to insurers, claims and their outcome."""
    now = now or utcnow()
    authorize_act(caller, incident)
    errors = []
    if data.status == "已赔付" and data.amount_paid_yuan is None:
        errors.append(FieldError("amount_paid_yuan", "已赔付须填写赔付金额", "required when the status is 已赔付"))
    if (data.amount_paid_yuan is not None and data.amount_claimed_yuan is not None
            and data.amount_paid_yuan > data.amount_claimed_yuan):
        errors.append(FieldError("amount_paid_yuan", "赔付金额不能超过索赔金额", "must not exceed the amount claimed"))
    if errors:
        raise DomainError("输入有误", "Invalid input", 422, errors)
    recovery = _open(session, caller, incident, now)
    claim = InsuranceClaim(recovery_id=recovery.id, claimant=data.claimant, insurer=data.insurer,
                           description=data.description, amount_claimed_fen=rules.to_fen(data.amount_claimed_yuan),
                           amount_paid_fen=rules.to_fen(data.amount_paid_yuan), status=data.status, note=data.note,
                           recorded_at=now, recorded_by=caller.user.username)
    recovery.claims.append(claim)
    session.flush()
    _audit(session, caller, incident, "insurance", str(rules.INSURANCE),
           {"claim_id": claim.id, **data.model_dump(mode="json")})
    return claim


def submit_evaluation(session: Session, caller: Caller, incident: Incident, data: EvaluationIn,
                      now: datetime | None = None) -> Recovery:
    """§5.4 调查与评估: the investigation and evaluation report, with its date."""
    now = now or utcnow()
    authorize_act(caller, incident)
    if incident.ended_at is not None and data.date < to_local(incident.ended_at).date():
        raise invalid("date", "报告日期不能早于应急结束日期", "must not be before the response ended")
    if data.date > today_local():
        raise invalid("date", "报告日期不能晚于今天", "must not be in the future")
    recovery = _open(session, caller, incident, now)
    before = ({"report": recovery.evaluation_text, "date": recovery.evaluation_date}
              if recovery.evaluation_submitted_at else None)
    recovery.evaluation_text, recovery.investigation_text = data.report, data.investigation
    recovery.evaluation_date, recovery.evaluation_submitted_at = data.date, now
    recovery.evaluation_submitted_by = caller.user.username
    session.flush()
    required = rules.evaluation_required(incident.grade)
    _audit(session, caller, incident, "evaluation", str(rules.EVALUATION),
           {"date": data.date, "required": required.value, "report_chars": len(data.report)}, before)
    return recovery


def record_merit(session: Session, caller: Caller, incident: Incident, data: MeritIn,
                 now: datetime | None = None) -> MeritEntry:
    """§5.5.1 表彰、奖励、通报批评、责令（限期）整改; §5.5.2 处分."""
    now = now or utcnow()
    authorize_act(caller, incident)
    decision = rules.may_record_merit(data.kind, has_deadline=data.deadline is not None)
    decision.require()
    recovery = _open(session, caller, incident, now)
    basis = str(decision.basis)
    entry = MeritEntry(recovery_id=recovery.id, subject=data.subject, kind=data.kind, reason=data.reason,
                       deadline=data.deadline, basis=basis, recorded_at=now, recorded_by=caller.user.username)
    recovery.merits.append(entry)
    session.flush()
    _audit(session, caller, incident, "merit", basis, {"entry_id": entry.id, **data.model_dump(mode="json")})
    return entry


def close_incident(session: Session, caller: Caller, incident: Incident, data: CloseIn,
                   now: datetime | None = None) -> Recovery:
    """结案: status "closed" once the §5.4.2 evaluation, where required, is in."""
    now = now or utcnow()
    authorize_act(caller, incident)
    at = now if data.at is None else ensure_utc(data.at)
    if at > now + CLOCK_SKEW:
        raise invalid("at", "时间不能晚于当前时间", "must not be in the future")
    recovery = _open(session, caller, incident, now)
    if incident.ended_at is not None and at < incident.ended_at:
        raise invalid("at", "结案时间不能早于应急结束时间", "must not be before the response ended")
    required = rules.evaluation_required(incident.grade)
    blockers = rules.close_blockers(ended=True, closed=False, evaluation_required=bool(required.value),
                                    evaluation_in=recovery.evaluation_submitted_at is not None)
    rules.may_close(blockers).require()
    before = {"status": incident.status, "closed_at": incident.closed_at}
    incident.status, incident.closed_at = "closed", at
    session.flush()
    _audit(session, caller, incident, "close", f"{required.basis}; {rules.RECOVERY}",
           {"status": "closed", "closed_at": at, "evaluation_required": required.value}, before, data.note)
    return recovery
