"""12345 complaints flows (东政办发〔2021〕17号 三（一）5): intake, assignment to the responsible unit, the unit's
response, the 回访, and per unit and month the three rates. Loads through repository.py, asks rules.py, audits
every change and never commits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.auth.service import Caller, authorize
from dongcheng.core.errors import DomainError, FieldError, invalid
from dongcheng.core.time import ensure_utc, utcnow
from dongcheng.core.transition import move
from dongcheng.directory import service as directory
from dongcheng.directory.models import Unit
from dongcheng.supervision.complaints import repository, rules
from dongcheng.supervision.complaints.models import Complaint
from dongcheng.supervision.complaints.schemas import AssignIn, ComplaintIn, RespondIn, VisitIn
from dongcheng.supervision.institutions import repository as institutions

INTAKE = "supervision.complaints.intake"
RESPOND = "supervision.complaints.respond"
READ = "supervision.complaints.read"


def _names(session: Session, caller: Caller) -> tuple[str | None, str | None]:
    unit = caller.unit
    parent = repository.unit(session, unit.parent_id) if unit else None
    return (unit.name if unit else None), (parent.name if parent else None)


def check_dispatcher(session: Session, caller: Caller) -> None:
    authorize(caller, INTAKE)
    rules.may_dispatch(*_names(session, caller)).require()


def is_dispatcher(session: Session, caller: Caller) -> bool:
    return rules.may_dispatch(*_names(session, caller)).allowed


def _unit(session: Session, name: str, field: str) -> Unit:
    unit = directory.find_unit(session, name.strip())
    if unit is None:
        raise invalid(field, f"目录中没有该单位：{name}", f"No such unit in the directory: {name}")
    return unit


def _at(value: datetime | None, field: str, after: datetime | None = None) -> datetime:
    at = ensure_utc(value) if value else utcnow()
    if at > utcnow():
        raise invalid(field, "时间不得晚于现在", "The time cannot be in the future")
    if after is not None and at < ensure_utc(after):
        raise invalid(field, "时间不得早于上一步", "The time is before the previous step")
    return at


def intake(session: Session, *, caller: Caller, data: ComplaintIn) -> Complaint:
    """受理: ticket number unique, an institution or a street named, the received time not in the future."""
    check_dispatcher(session, caller)
    problems: list[FieldError] = []
    ticket = data.ticket_no.strip()
    if repository.by_ticket(session, ticket):
        raise DomainError("输入有误", "Invalid input", 409,
                          [FieldError("ticket_no", "该工单号已登记", "This ticket number is already recorded")])
    if data.institution_id is None and not data.street:
        problems.append(FieldError("institution_id", "须注明所涉机构或街道", "Name an institution or a street"))
    street = None
    if data.street:
        street = institutions.street_named(session, data.street.strip())
        if street is None:
            problems.append(FieldError("street", f"不是东城区的街道：{data.street}", f"Not a street: {data.street}"))
    institution = None
    if data.institution_id is not None:
        institution = institutions.institutions_by_id(session, {data.institution_id}).get(data.institution_id)
        if institution is None:
            problems.append(FieldError("institution_id", "未登记的机构", "No such institution"))
    if problems:
        raise DomainError("输入有误", "Invalid input", 422, problems)
    received = _at(data.received_at, "received_at")
    row = Complaint(source=data.source, ticket_no=ticket, institution_id=institution.id if institution else None,
                    street_id=(street.id if street else institution.street_id if institution else None),
                    content=data.content.strip(), received_at=received, status="received", version=1, response="",
                    intake_by=caller.user.username)
    session.add(row)
    session.flush()
    audit.record(session, actor=caller.actor, action="supervision.complaints.intake", target_type="complaint",
                 target_id=row.id, basis=rules.BASIS, after={
                     "ticket_no": ticket, "institution_id": row.institution_id, "street_id": row.street_id,
                     "received_at": received.isoformat()})
    if data.assign_to:
        assign(session, caller=caller, complaint_id=row.id, data=AssignIn(unit=data.assign_to, at=None),
               field="assign_to")
    return row


def assign(session: Session, *, caller: Caller, complaint_id: int, data: AssignIn, field: str = "unit") -> Complaint:
    """派单 to the responsible unit (承办单位); a ticket may be reassigned until answered."""
    check_dispatcher(session, caller)
    row = repository.get(session, complaint_id)
    unit = _unit(session, data.unit, field)
    rules.FLOW.step(row.status, "assign").require()
    at = _at(data.at, "at", row.received_at)
    before = {"assigned_unit_id": row.assigned_unit_id}
    move(session, row, rules.FLOW.target(row.status, "assign"), what_zh="该工单", what_en="this ticket",
         assigned_unit_id=unit.id, assigned_at=at)
    audit.record(session, actor=caller.actor, action="supervision.complaints.assign", target_type="complaint",
                 target_id=row.id, basis=rules.BASIS, before=before,
                 after={"unit": unit.name, "assigned_at": at.isoformat()})
    return row


def respond(session: Session, *, caller: Caller, complaint_id: int, data: RespondIn) -> Complaint:
    """The assigned unit answers (its first answer sets 响应 time; a later one only updates the text)."""
    authorize(caller, RESPOND)
    row = repository.get(session, complaint_id)
    rules.may_respond(caller.user.unit_id, row.assigned_unit_id).require()
    rules.FLOW.step(row.status, "respond").require()
    at = _at(data.at, "at", row.assigned_at)
    first = row.responded_at or at
    move(session, row, rules.FLOW.target(row.status, "respond"), what_zh="该工单", what_en="this ticket",
         responded_at=first, response=data.response.strip())
    audit.record(session, actor=caller.actor, action="supervision.complaints.respond", target_type="complaint",
                 target_id=row.id, basis=rules.RESPONSE_BASIS, after={
                     "responded_at": first.isoformat(),
                     "on_time": rules.responded_on_time(row.assigned_at, first)})
    return row


def visit(session: Session, *, caller: Caller, complaint_id: int, data: VisitIn) -> Complaint:
    """回访 recorded by the dispatch unit: resolved and satisfied as the caller says."""
    check_dispatcher(session, caller)
    row = repository.get(session, complaint_id)
    rules.FLOW.step(row.status, "visit").require()
    at = _at(data.at, "at", row.responded_at)
    move(session, row, rules.FLOW.target(row.status, "visit"), what_zh="该工单", what_en="this ticket",
         resolved=data.resolved, satisfied=data.satisfied, visited_at=at)
    audit.record(session, actor=caller.actor, action="supervision.complaints.visit", target_type="complaint",
                 target_id=row.id, basis=rules.BASIS,
                 after={"resolved": data.resolved, "satisfied": data.satisfied, "visited_at": at.isoformat()})
    return row


def check_reader(session: Session, caller: Caller, row: Complaint) -> None:
    """The dispatch units and leaders read every ticket; a unit its own (the content is the caller's words)."""
    authorize(caller, READ)
    if caller.role == "leader" or is_dispatcher(session, caller):
        return
    rules.may_respond(caller.user.unit_id, row.assigned_unit_id).require()


def visible(session: Session, caller: Caller) -> list[Complaint]:
    authorize(caller, READ)
    if caller.role == "leader" or is_dispatcher(session, caller):
        return repository.listing(session)
    return repository.listing(session, unit_id=caller.user.unit_id or -1)


@dataclass(frozen=True)
class UnitMonth:
    unit: Unit
    rates: rules.Rates


def month_rates(session: Session, caller: Caller, year: int, month: int) -> list[UnitMonth]:
    """Per unit, the month's 响应率, 解决率, 满意率 (tickets received in the month, Beijing time). A unit sees its own."""
    authorize(caller, READ)
    everyone = caller.role == "leader" or is_dispatcher(session, caller)
    rows = repository.assigned_in_month(session, year, month, None if everyone else (caller.user.unit_id or -1))
    by_unit: dict[int, list[rules.TicketFacts]] = {}
    for r in rows:
        by_unit.setdefault(r.assigned_unit_id, []).append(
            rules.TicketFacts(r.assigned_at, r.responded_at, r.resolved, r.satisfied))
    units = repository.units_by_id(session, set(by_unit))
    return sorted((UnitMonth(units[uid], rules.rates(facts)) for uid, facts in by_unit.items()),
                  key=lambda m: (m.unit.sort_order, m.unit.id))


def units_for(session: Session, rows: list[Complaint]) -> dict[int, Unit]:
    return repository.units_by_id(session, {r.assigned_unit_id for r in rows} | {r.street_id for r in rows})


def street_names(session: Session) -> list[str]:
    return [u.name for u in institutions.streets(session)]
