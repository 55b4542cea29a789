"""Disbursement flows (资金保障, §6.8): request for an incident → 区政府 approves (a leader holding a post that day)
→ the 区财政局 completes the formalities within 1 working day (§6.8.3). Loads through repository.py, asks rules.py,
audits each step with its clause, never commits."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.auth import rules as access
from dongcheng.auth.service import Caller, authorize
from dongcheng.calendar import service as calendar
from dongcheng.core.errors import forbidden, invalid
from dongcheng.core.time import BEIJING, ensure_utc, utcnow
from dongcheng.core.transition import move
from dongcheng.directory.models import Unit
from dongcheng.directory.service import posts_held
from dongcheng.emergency.funds import repository, rules
from dongcheng.emergency.funds.models import Disbursement
from dongcheng.emergency.funds.rules import Source, Status
from dongcheng.emergency.funds.schemas import CompleteIn, DecisionIn, DisbursementIn, RejectIn
from dongcheng.emergency.incidents import service as incidents

REQUEST, APPROVE, COMPLETE, READ = "funds.request", "funds.approve", "funds.complete", "funds.read"
TARGET = "disbursement"


def _reads_all(caller: Caller) -> bool:
    """Duty officers, leaders, the 区应急办 and the 区财政局 read every disbursement; a department its own unit's."""
    unit = caller.unit
    return (caller.user.role in ("duty_officer", "leader", "admin")
            or bool(unit and (unit.emergency_office or unit.name == rules.FINANCE_BUREAU)))


def visible(session: Session, caller: Caller, *, incident_id: int | None = None,
            status: str | None = None) -> list[Disbursement]:
    authorize(caller, READ)
    unit_ids = None if _reads_all(caller) else [caller.unit.id] if caller.unit else []
    return repository.listing(session, unit_ids=unit_ids, incident_id=incident_id, status=status)


def for_reading(session: Session, caller: Caller, disbursement_id: int) -> Disbursement:
    authorize(caller, READ)
    row = repository.get(session, disbursement_id)
    if not _reads_all(caller) and (caller.unit is None or caller.unit.id != row.requesting_unit_id):
        raise forbidden("只能查看本单位的拨款申请", "You may read your own unit's disbursements only")
    return row


def request(session: Session, *, caller: Caller, data: DisbursementIn, now: datetime | None = None) -> Disbursement:
    """拨款申请 by a unit handling the incident (its lead department, the 区应急办, §2.3.6, §2.2.1)."""
    authorize(caller, REQUEST)
    incident = repository.incident(session, data.incident_id)
    if incident is None:
        raise invalid("incident_id", f"未找到事件：{data.incident_id}", f"incident not found: {data.incident_id}")
    incidents.authorize_act(caller, incident)
    if caller.unit is None:
        raise invalid("unit", "申请单位不明（账号未关联单位）", "the caller's account has no unit")
    at = now or utcnow()
    row = Disbursement(incident_id=incident.id, requesting_unit_id=caller.unit.id, amount=data.amount,
                       purpose=data.purpose.strip(), source=data.source.value, status=Status.REQUESTED.value,
                       version=1, requested_by=caller.user.username, requested_at=at)
    session.add(row)
    session.flush()
    audit.record(session, actor=caller.actor, action="funds.request", target_type=TARGET, target_id=row.id,
                 basis=rules.SOURCE_BASIS[data.source], at=at,
                 after={"incident_id": incident.id, "unit": caller.unit.name, "amount": str(data.amount),
                        "source": data.source.value, "purpose": row.purpose})
    return row


def _leader_posts(session: Session, caller: Caller, at: datetime) -> list[str]:
    """The district leader seats (区长, 副区长 …) the caller's person holds on the day of ``at`` (the directory)."""
    day = ensure_utc(at).astimezone(BEIJING).date()
    return [p.full_title for p in posts_held(session, caller.user.person_id, day) if p.kind == "leader"]


def approve(session: Session, *, caller: Caller, disbursement_id: int, data: DecisionIn,
            now: datetime | None = None) -> Disbursement:
    """区政府批准 (§6.8.2, §6.8.3): the deadline is set at once — the end of the first working day after approval."""
    authorize(caller, APPROVE)
    row = repository.get(session, disbursement_id)
    at = now or utcnow()
    posts = _leader_posts(session, caller, at)
    rules.may_approve(caller.user.role, posts).require()
    rules.FLOW.step(row.status, "approve").require()
    due = rules.due(at, calendar.working_days(session))
    move(session, row, Status.APPROVED, what_zh="该拨款申请", what_en="this disbursement",
         decided_by=caller.user.username, decided_post="、".join(posts), decided_at=at, decision_note=data.note,
         due_on=due.on, due_at=due.at, due_provisional=due.provisional)
    audit.record(session, actor=caller.actor, action="funds.approve", target_type=TARGET, target_id=row.id,
                 basis=rules.DEADLINE_BASIS, at=at, before={"status": Status.REQUESTED.value},
                 after={"status": Status.APPROVED.value, "post": "、".join(posts), "note": data.note, **due.to_dict(),
                        "source_basis": str(rules.SOURCE_BASIS[Source(row.source)])})
    return row


def reject(session: Session, *, caller: Caller, disbursement_id: int, data: RejectIn,
           now: datetime | None = None) -> Disbursement:
    authorize(caller, APPROVE)
    row = repository.get(session, disbursement_id)
    at = now or utcnow()
    posts = _leader_posts(session, caller, at)
    rules.may_approve(caller.user.role, posts).require()
    rules.FLOW.step(row.status, "reject").require()
    move(session, row, Status.REJECTED, what_zh="该拨款申请", what_en="this disbursement",
         decided_by=caller.user.username, decided_post="、".join(posts), decided_at=at, decision_note=data.note)
    audit.record(session, actor=caller.actor, action="funds.reject", target_type=TARGET, target_id=row.id,
                 basis=rules.APPROVAL_BASIS, at=at, before={"status": Status.REQUESTED.value},
                 after={"status": Status.REJECTED.value, "note": data.note})
    return row


def complete(session: Session, *, caller: Caller, disbursement_id: int, data: CompleteIn,
             now: datetime | None = None) -> Disbursement:
    """The 区财政局 records the formalities complete; on time or late against §6.8.3's 1 working day."""
    authorize(caller, COMPLETE)
    row = repository.get(session, disbursement_id)
    unit = caller.unit
    parent = repository.unit(session, unit.parent_id) if unit else None
    rules.may_complete(caller.user.role, unit.name if unit else None, parent.name if parent else None).require()
    rules.FLOW.step(row.status, "complete").require()
    at = now or utcnow()
    move(session, row, Status.COMPLETED, what_zh="该拨款申请", what_en="this disbursement",
         completed_by=caller.user.username, completed_at=at, voucher_no=data.voucher_no.strip(),
         completion_note=data.note)
    timeliness = rules.timeliness(row.due_at, at, at)
    audit.record(session, actor=caller.actor, action="funds.complete", target_type=TARGET, target_id=row.id,
                 basis=rules.DEADLINE_BASIS, at=at, before={"status": Status.APPROVED.value},
                 after={"status": Status.COMPLETED.value, "voucher_no": row.voucher_no, "note": data.note,
                        "due_at": row.due_at.isoformat(), "timeliness": timeliness.value})
    return row


def overdue(session: Session, at: datetime | None = None, *, drill: bool = False) -> list[Disbursement]:
    """Approved and past the §6.8.3 deadline (the duty board, the accountability report)."""
    return repository.overdue(session, at or utcnow(), drill=drill)


def late_or_overdue(session: Session, start: datetime, end: datetime, at: datetime, *,
                    drill: bool = False) -> list[Disbursement]:
    rows = repository.due_between(session, start, end, at, drill=drill)
    return [r for r in rows if rules.timeliness(r.due_at, r.completed_at, at) in
            (rules.Timeliness.LATE, rules.Timeliness.OVERDUE)]


def context_of(session: Session, rows: list[Disbursement]) -> tuple[dict[int, Unit], dict]:
    """The units and incidents the rows name (for views)."""
    units = repository.units_by_id(session, {r.requesting_unit_id for r in rows})
    found = repository.incidents_by_id(session, {r.incident_id for r in rows})
    return units, {i: (inc.title, inc.is_drill) for i, inc in found.items()}


def overdue_for(session: Session, caller: Caller, at: datetime | None = None, *,
                drill: bool = False) -> list[Disbursement]:
    """The overdue disbursements the caller may read."""
    authorize(caller, READ)
    rows = overdue(session, at, drill=drill)
    if _reads_all(caller):
        return rows
    return [r for r in rows if caller.unit is not None and r.requesting_unit_id == caller.unit.id]


def may_read(caller: Caller) -> bool:
    """Whether the caller's role reads disbursements at all (the duty board shows the panel only then)."""
    return access.may(caller.user.role, READ).allowed and access.leader_holds_post(
        caller.user.role, len(caller.posts)).allowed

