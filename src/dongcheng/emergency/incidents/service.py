"""Incident flows: intake, routing, the reporting clock, grade and response level, handover, end.

Loads through the repository, asks rules.py, writes, records the audit entry — and never commits. The reporting
clock (deadlines, the 续报 slots kept ahead, the overdue read) is clock.py.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.auth.service import Caller, holds_post_today
from dongcheng.core.basis import platform_default
from dongcheng.core.errors import DomainError, FieldError, conflict
from dongcheng.core.time import CLOCK_SKEW, ensure_utc, utcnow
from dongcheng.directory.models import Unit
from dongcheng.directory.service import find_unit
from dongcheng.emergency.incidents import clock, escalation, repository, rules
from dongcheng.emergency.incidents.enums import DeadlineKind, DeadlineStatus, Grade, Status
from dongcheng.emergency.incidents.models import Incident, IncidentLead, LevelChange, Report
from dongcheng.emergency.incidents.records import IncidentRead, RecordedDeadline, RecordedIncident, RecordedLead
from dongcheng.emergency.incidents.schemas import (
    DesignateIn,
    EndIn,
    GradeIn,
    HandoverIn,
    IncidentIn,
    LevelIn,
    MergeIn,
    ReportIn,
)
from dongcheng.reference import cache as reference

MAX_BACKDATE = timedelta(days=7)  # intake is live work; older records belong to a data import, not this form
MAX_BACKDATE_DEFAULT = platform_default("intake_backdate", "接报时间不早于7天前；更早的事件属于数据导入")


def _bad(field: str, zh: str, en: str) -> DomainError:
    return DomainError("输入有误", "Invalid input", 422, [FieldError(field, zh, en)])


def _effective(at: datetime | None, now: datetime, incident: Incident, field: str = "at") -> datetime:
    """When an action took effect: given by the caller (not in the future, not before the incident) or now."""
    if at is None:
        return now
    at = ensure_utc(at)
    if at > now + CLOCK_SKEW:
        raise _bad(field, "时间不能晚于当前时间", "must not be in the future")
    if at < incident.received_at:
        raise _bad(field, "时间不能早于接报时间", "must not be before the incident was received")
    return at


def actor_facts(caller: Caller) -> rules.ActorFacts:
    unit = caller.unit
    return rules.ActorFacts(caller.user.role, unit.id if unit else None, bool(unit and unit.emergency_office))


def may_act(caller: Caller, incident: Incident) -> rules.Decision:
    """A leader first holds a post today (auth's one rule), then the §2 rule of who acts on this incident."""
    post = holds_post_today(caller)
    if not post.allowed:
        return post
    return rules.may_act(actor_facts(caller), lead_unit_ids={lead.unit_id for lead in incident.leads},
                         street_unit_id=incident.street_unit_id,
                         level=incident.response_level or incident.proposed_level)


def authorize_act(caller: Caller, incident: Incident) -> None:
    may_act(caller, incident).require()
    if incident.merged_into_id is not None:
        raise conflict(f"此事件是重复接报，已并入事件 #{incident.merged_into_id}，请在该事件上办理",
                       f"This is a duplicate report merged into incident #{incident.merged_into_id}; act there")


def _propose(incident: Incident) -> rules.LevelProposal:
    proposal = rules.propose_response_level(
        grade=incident.grade, situation_only=incident.situation_only, sensitive=incident.sensitive,
        key_area=incident.street.kind == "key_area", special_period=incident.special_period,
        needs_other_districts=incident.needs_other_districts)
    incident.proposed_level = proposal.level.value if proposal.level else None
    incident.proposed_level_reason, incident.proposed_level_basis = proposal.reason, str(proposal.basis)
    return proposal


def _snapshot(incident: Incident) -> dict:
    return {"status": incident.status, "grade": incident.grade, "response_level": incident.response_level,
            "leads": [lead.unit.name for lead in incident.leads], "ended_at": incident.ended_at,
            **({"merged_into": incident.merged_into_id} if incident.merged_into_id else {})}


def create_incident(session: Session, caller: Caller, data: IncidentIn,
                    now: datetime | None = None) -> RecordedIncident:
    """接报 (§4.1): validate, route by table §2.3.6, start the reporting clock, propose the response level — and write
    it all in one statement on PostgreSQL, seven on SQLite (reference/cache.py answers the street and the event type
    from memory; repository.insert_incident)."""
    now = now or utcnow()
    holds_post_today(caller).require()  # a leader takes intake only while holding a post today
    errors: list[FieldError] = []
    known = reference.current(session)
    street = known.unit(data.street)
    if street is None or street.kind not in ("street", "key_area"):
        errors.append(FieldError("street", f"“{data.street}”不是东城区 17 个街道或重点地区之一",
                                 f"{data.street!r} is not one of the 17 streets or the key area"))
    event_type = None
    if data.event_type:
        event_type = known.event_type(data.event_type)
        found = rules.known_event_type(data.event_type, event_type is not None)
        if not found.allowed:
            errors += found.error().fields  # reported with the other fields' errors, in one 422
    received_at = ensure_utc(data.received_at) if data.received_at else now
    occurred_at = ensure_utc(data.occurred_at)
    if received_at > now + CLOCK_SKEW:
        errors.append(FieldError("received_at", "接报时间不能晚于当前时间", "must not be in the future"))
    elif received_at < now - MAX_BACKDATE:
        errors.append(FieldError("received_at", "接报时间不能早于 7 天前（历史事件请走数据导入）",
                                 "must be within the last 7 days (older records are imported, not reported; "
                                 f"{MAX_BACKDATE_DEFAULT})"))
    if occurred_at > received_at:
        errors.append(FieldError("occurred_at", "事发时间不能晚于接报时间", "must not be after received_at"))
    if errors:
        raise DomainError("输入有误", "Invalid input", 422, errors)
    rules.may_report_intake(actor_facts(caller), street_unit_id=street.id,
                            caller_unit_kind=caller.unit.kind if caller.unit else None).require()
    grade = data.grade.value if data.grade else None
    incident = RecordedIncident(
        title=data.title.strip(), description=data.description, event_type_id=event_type.id if event_type else None,
        category=event_type.category if event_type else None, street_unit_id=street.id, address=data.address.strip(),
        occurred_at=occurred_at, received_at=received_at, source=data.source.value, grade=grade,
        grade_at_receipt=grade, graded_at=received_at if grade else None,
        dead=data.casualties.dead, injured=data.casualties.injured, missing=data.casualties.missing,
        trapped=data.casualties.trapped, foreign_related=data.foreign_related, sensitive=data.sensitive,
        special_period=data.special_period, situation_only=data.situation_only,
        needs_other_districts=data.needs_other_districts, is_drill=data.drill, status=Status.OPEN.value,
        created_by=caller.user.username, created_at=now,
        follow_up_from=received_at if rules.is_at_least(grade, Grade.LARGER) else None,
        street=street, event_type=event_type,
        # routing: the lead departments of table §2.3.6, in the table's order
        leads=[RecordedLead(unit.id, unit, position, event_type.clause)
               for position, unit in enumerate(event_type.leads, 1)] if event_type else [],
    )
    proposal = _propose(incident)
    # the reporting clock (clock.sync_deadlines for a new incident): 初报 / 详报, and 续报 slots 24 h ahead
    owes = incident.leads[0].unit if incident.leads else known.emergency_office_seat
    specs = clock.intake_deadlines(clock.clock_input(incident), now)
    incident.follow_up_until = specs.follow_up_until
    incident.deadlines = [RecordedDeadline(None, None, spec.kind, spec.seq, spec.due_at, str(spec.basis),
                                           list(spec.recipients), list(spec.notify), owes.id if owes else None, owes,
                                           incident.is_drill) for spec in specs.deadlines]
    incident.id, deadline_ids = repository.insert_incident(
        session, incident.row(),
        leads=[{"unit_id": lead.unit_id, "position": lead.position, "basis": lead.basis, "designated_by": None,
                "reason": ""} for lead in incident.leads],
        deadlines=[{"kind": d.kind, "seq": d.seq, "due_at": d.due_at, "basis": d.basis, "recipients": d.recipients,
                    "notify": d.notify, "responsible_unit_id": d.responsible_unit_id, "status": d.status,
                    "met_at": None, "closed_at": None, "report_id": None, "is_drill": d.is_drill}
                   for d in incident.deadlines],
        level_change={"at": received_at, "what": "proposal", "from_value": None, "to_value": incident.proposed_level,
                      "proposed": incident.proposed_level, "reason": proposal.reason, "basis": str(proposal.basis),
                      "by": "system"},
        entry=_entry(incident),
        audit_entry=audit.pending_entry(actor=caller.actor, action="incident.create", target_type="incident",
                                        basis=str(rules.INTAKE), after=_snapshot(incident)),
        alone=incident.follow_up_until is None)  # else the follow-up top-up is written too, in the same transaction
    for deadline, deadline_id in zip(incident.deadlines, deadline_ids, strict=True):
        deadline.id, deadline.incident_id = deadline_id, incident.id
    if incident.follow_up_until is not None:
        clock.schedule_top_up(session, incident.id, incident.follow_up_until)
    return incident


def _entry(incident: Incident | RecordedIncident) -> dict:
    """The incident's entry in the archive's full-text index (core/search.py, archive.py): title; address and
    description. The migration m2a0incidentsearch wrote the same entry for the incidents before it."""
    return {"title": incident.title, "body": f"{incident.address}\n{incident.description}"}


def lead_candidate(session: Session, unit: Unit) -> rules.LeadCandidate:
    return rules.LeadCandidate(unit.name, unit.kind, repository.unit_name(session, unit.parent_id))


def designatable_units(session: Session) -> list[tuple[str, list[Unit]]]:
    """The units the 区应急委 may designate as lead (rules.may_lead), by kind in ``rules.LEAD_KINDS`` order: what the
    incident page's designation form offers."""
    units = repository.units_of_kinds(session, rules.LEAD_KINDS)
    names = {u.id: u.name for u in units}
    allowed = [u for u in units if rules.may_lead(rules.LeadCandidate(
        u.name, u.kind, names.get(u.parent_id) or repository.unit_name(session, u.parent_id))).allowed]
    return [(kind, [u for u in allowed if u.kind == kind]) for kind in rules.LEAD_KINDS]


def designate_lead(session: Session, caller: Caller, incident: Incident, data: DesignateIn,
                   now: datetime | None = None) -> Incident:
    """§4.3.5: 尚不能判定等级且未明确主责部门 → 区应急委指定主责部门."""
    now = now or utcnow()
    holds_post_today(caller).require()  # the 区应急委 designates through a leader who holds a post today
    decision = rules.may_designate_lead(actor_facts(caller))
    decision.require()
    if incident.ended_at:
        raise conflict("应急已结束，不能再指定主责部门", "The response has ended")
    unit = find_unit(session, data.unit)
    if unit is None:
        raise _bad("unit", f"未知单位“{data.unit}”", f"unknown unit {data.unit!r}")
    rules.may_lead(lead_candidate(session, unit)).require()
    if any(lead.unit_id == unit.id for lead in incident.leads):
        raise conflict(f"{unit.name}已是本事件的主责部门", f"{unit.name} already leads this incident")
    before = _snapshot(incident)
    clock.top_up(session, incident, now)
    incident.leads.append(IncidentLead(incident_id=incident.id, unit_id=unit.id, position=len(incident.leads) + 1,
                                       basis=str(decision.basis), designated_by=caller.user.username,
                                       reason=data.reason, unit=unit))
    for deadline in incident.deadlines:
        if deadline.met_at is None and deadline.closed_at is None:
            deadline.responsible_unit = incident.leads[0].unit
    session.flush()
    audit.record(session, actor=caller.actor, action="incident.designate_lead", target_type="incident",
                 target_id=incident.id, basis=str(decision.basis), before=before, after=_snapshot(incident),
                 note=data.reason)
    return incident


def _record_step(session: Session, caller: Caller, incident: Incident, *, at: datetime, what: str,
                 from_value: str | None, to_value: str | None, reason: str, basis: str, action: str, audit_basis: str,
                 before: dict, proposed: str | None = None) -> None:
    """A step of the grade / response-level history (§4.3): its LevelChange row and its audit entry, together."""
    session.add(LevelChange(incident_id=incident.id, at=at, what=what, from_value=from_value, to_value=to_value,
                            proposed=proposed, reason=reason, basis=basis, by=caller.user.username))
    session.flush()
    audit.record(session, actor=caller.actor, action=action, target_type="incident", target_id=incident.id,
                 basis=audit_basis, before=before, after=_snapshot(incident), note=reason)


def set_grade(session: Session, caller: Caller, incident: Incident, data: GradeIn,
              now: datetime | None = None) -> Incident:
    now = now or utcnow()
    authorize_act(caller, incident)
    if incident.ended_at:
        raise conflict("应急已结束，不能再调整等级", "The response has ended")
    at = _effective(data.at, now, incident)
    before = _snapshot(incident)
    old, new = incident.grade, data.grade.value
    if old == new:
        raise conflict(f"事件等级已是{new}", f"The grade is already {new}")
    incident.grade, incident.graded_at = new, at
    was_follow, now_follow = rules.is_at_least(old, Grade.LARGER), rules.is_at_least(new, Grade.LARGER)
    if now_follow and not was_follow:
        incident.follow_up_from = at  # §4.1.5: 较大及以上 → 每 30 分钟续报 from now on
    elif was_follow and not now_follow:
        clock.close_follow_ups(incident, at)
        incident.follow_up_from = None
    proposal = _propose(incident)
    clock.sync_deadlines(session, incident, now)
    _record_step(session, caller, incident, at=at, what="grade", from_value=old, to_value=new, reason=data.reason,
                 basis=rules.grade_step_basis(proposal.basis), action="incident.grade", audit_basis=str(rules.GRADE),
                 before=before, proposed=incident.proposed_level)
    return incident


def file_report(session: Session, caller: Caller, incident: Incident, data: ReportIn,
                now: datetime | None = None) -> Report:
    """File a mandated report: it meets the earliest open deadline of its kind (§4.1.4, §4.1.5), completeness §4.1.8."""
    now = now or utcnow()
    authorize_act(caller, incident)
    filed_at = _effective(data.filed_at, now, incident, "filed_at")
    clock.top_up(session, incident, now)  # the 续报 this report meets is written before it is looked for
    elements = data.elements()
    report = Report(incident_id=incident.id, kind=data.kind.value, filed_at=filed_at, filed_by=caller.user.username,
                    unit_id=caller.unit.id if caller.unit else None, elements=elements,
                    missing_elements=rules.missing_elements(elements, repository.report_elements(session)),
                    casualties=data.casualties.model_dump() if data.casualties else {})
    session.add(report)
    session.flush()
    candidates = [d for d in incident.deadlines if d.kind == data.kind and d.met_at is None and d.closed_at is None
                  and not rules.superseded(d.kind, d.due_at, filed_at)]
    met = min(candidates, key=lambda d: (d.due_at, d.id), default=None)
    if met is not None:
        met.met_at, met.report_id = filed_at, report.id
        met.status = rules.report_outcome(met.due_at, filed_at)
        report.recipients = list(met.recipients)
        escalation.cancel_for_closed(session, incident, filed_at, [met])  # its pending reminders are never sent
    if data.casualties:
        incident.dead, incident.injured = data.casualties.dead, data.casualties.injured
        incident.missing, incident.trapped = data.casualties.missing, data.casualties.trapped
    session.flush()
    audit.record(session, actor=caller.actor, action="incident.report", target_type="incident",
                 target_id=incident.id, basis=met.basis if met else str(rules.VOLUNTARY_REPORT),
                 after={"report_id": report.id, "kind": report.kind, "filed_at": filed_at,
                        "deadline_id": met.id if met else None, "outcome": met.status if met else "voluntary",
                        "missing_elements": report.missing_elements})
    return report


def set_response_level(session: Session, caller: Caller, incident: Incident, data: LevelIn,
                       now: datetime | None = None) -> Incident:
    """§4.3: a person confirms, raises or lowers the proposed level, with a reason."""
    now = now or utcnow()
    authorize_act(caller, incident)
    if incident.ended_at:
        raise conflict("应急已结束", "The response has ended")
    rules.may_set_level(handed_over=incident.handed_over_at is not None).require()
    at = _effective(data.at, now, incident)
    new = data.level.value
    if new != incident.proposed_level and not data.reason.strip():
        raise _bad("reason", "与系统建议级别不同，须说明理由", "a reason is required when departing from the proposal")
    old = incident.response_level
    if old == new:
        raise conflict(f"响应级别已是{new}", f"The response level is already {new}")
    before = _snapshot(incident)
    clock.top_up(session, incident, now)
    kind = rules.level_change_kind(old, new)
    incident.response_level = new
    if incident.status == Status.OPEN:
        incident.status = Status.RESPONDING
    _record_step(session, caller, incident, at=at, what=f"response_level:{kind}", from_value=old, to_value=new,
                 reason=data.reason, basis=incident.proposed_level_basis if new == incident.proposed_level
                 else str(rules.LEVEL_DEPARTURE), action=f"incident.response_level.{kind}",
                 audit_basis=str(rules.RESPONSE_LEVEL), before=before, proposed=incident.proposed_level)
    return incident


def hand_over(session: Session, caller: Caller, incident: Incident, data: HandoverIn,
              now: datetime | None = None) -> Incident:
    """§4.3.4 / §4.3.6: the city's on-site command takes over; the district follows city command."""
    now = now or utcnow()
    authorize_act(caller, incident)
    if incident.ended_at or incident.handed_over_at:
        raise conflict("事件已移交或已结束", "Already handed over or ended")
    at = _effective(data.at, now, incident)
    before = _snapshot(incident)
    clock.top_up(session, incident, now)
    incident.handed_over_at, incident.status = at, Status.HANDED_OVER
    _record_step(session, caller, incident, at=at, what="handover", from_value=incident.response_level,
                 to_value="市级指挥", reason=data.reason, basis=str(rules.HANDOVER),
                 action="incident.handover", audit_basis=str(rules.HANDOVER), before=before)
    return incident


def end_response(session: Session, caller: Caller, incident: Incident, data: EndIn,
                 now: datetime | None = None) -> Incident:
    """§4.8 应急结束: follow-ups stop; reports still owed become missed."""
    now = now or utcnow()
    authorize_act(caller, incident)
    if incident.ended_at:
        raise conflict("应急已经结束", "The response has already ended")
    at = _effective(data.at, now, incident)
    before = _snapshot(incident)
    clock.top_up(session, incident, now)  # every 续报 due before the end is a row, so it can be counted missed
    incident.ended_at, incident.status = at, Status.ENDED
    for deadline in incident.deadlines:
        if deadline.met_at is not None or deadline.closed_at is not None:
            continue
        if deadline.due_at <= at:
            deadline.closed_at, deadline.status = at, DeadlineStatus.MISSED
        elif deadline.kind == DeadlineKind.FOLLOW_UP:
            # 续报 are owed "直到应急处置结束" (§4.1.5); the 初报 / 详报 of the event stay owed until their time.
            deadline.closed_at, deadline.status = at, DeadlineStatus.CANCELLED
    incident.follow_up_until = None
    escalation.cancel_for_closed(session, incident, at)
    _record_step(session, caller, incident, at=at, what="end", from_value=incident.response_level, to_value="应急结束",
                 reason=data.reason, basis=str(rules.END), action="incident.end",
                 audit_basis=str(rules.END), before=before)
    return incident


def duplicate_suspects(session: Session, incident: Incident) -> list[Incident]:
    """Incidents this one may repeat (same street, type and minute of receipt; rules.duplicate_suspect)."""
    if incident.merged_into_id is not None:
        return []
    return repository.duplicate_suspects(session, incident)


def merge_duplicate(session: Session, caller: Caller, duplicate: Incident, original: Incident, data: MergeIn,
                    now: datetime | None = None) -> Incident:
    """Close a duplicate intake into the incident it repeats: it leaves the board, its open deadlines are cancelled
    and none of its deadlines counts in the §5.5.2 accountability report; audited with the officer's reason."""
    now = now or utcnow()
    holds_post_today(caller).require()
    suspect = rules.duplicate_suspect(
        rules.intake_key(duplicate.street_unit_id, duplicate.event_type_id, duplicate.is_drill, duplicate.received_at),
        rules.intake_key(original.street_unit_id, original.event_type_id, original.is_drill, original.received_at))
    decision = rules.may_merge(actor_facts(caller), same_incident=duplicate.id == original.id, suspect=suspect,
                               duplicate_merged=duplicate.merged_into_id is not None,
                               original_merged=original.merged_into_id is not None,
                               duplicate_has_merged=bool(repository.merged_into(session, duplicate)))
    decision.require()
    before = _snapshot(duplicate)
    duplicate.merged_into_id, duplicate.status = original.id, Status.MERGED
    duplicate.ended_at = duplicate.ended_at or now
    duplicate.closed_at, duplicate.follow_up_until = now, None
    for deadline in duplicate.deadlines:
        if deadline.met_at is None and deadline.closed_at is None:
            deadline.closed_at, deadline.status = now, DeadlineStatus.CANCELLED
    escalation.cancel_for_closed(session, duplicate, now)
    session.add(LevelChange(incident_id=duplicate.id, at=now, what="merge", from_value=duplicate.response_level,
                            to_value=f"#{original.id}", reason=data.reason, basis=str(decision.basis),
                            by=caller.user.username))
    session.flush()
    audit.record(session, actor=caller.actor, action="incident.merge", target_type="incident",
                 target_id=duplicate.id, basis=str(decision.basis), before=before,
                 after={**_snapshot(duplicate), "original": original.id, "original_title": original.title},
                 note=data.reason)
    return duplicate


def merge_into(session: Session, caller: Caller, duplicate: Incident, data: MergeIn,
               now: datetime | None = None) -> Incident:
    """merge_duplicate with the original loaded (and locked) by its id."""
    return merge_duplicate(session, caller, duplicate, repository.get(session, data.into, for_update=True), data, now)


def read_incident(session: Session, incident_id: int) -> IncidentRead:
    """The incident with its reports, level history, suspected duplicates and merged duplicates: ten statements, the
    units and the event type from the reference cache."""
    known = reference.current(session)
    incident = repository.incident_record(session, incident_id, known)
    return IncidentRead(incident, repository.report_records(session, incident_id, known),
                        repository.level_rows(session, incident_id),
                        [] if incident.merged_into_id is not None else repository.duplicate_suspect_ids(session, incident),
                        repository.merged_ids(session, incident_id))


def level_history(session: Session, incident: Incident) -> list[LevelChange]:
    return repository.level_history(session, incident)


def reports_of(session: Session, incident: Incident) -> list[Report]:
    return repository.reports_of(session, incident)


def report_elements(session: Session) -> list[tuple[str, str]]:
    """The §4.1.8 elements (key, 中文) as data/emergency/lists.yaml lists them (the report form's fields)."""
    return repository.report_elements(session)
