"""The reporting clock (信息报送, 东政发〔2022〕3号 §4.1.4–§4.1.7): deadline rows written from rules.py, the 续报 slots
(§4.1.5) kept 24 h ahead, and the overdue read.

The 续报 slots are rows written ahead: 24 h of them whenever the clock is recomputed (``sync_deadlines``), topped up
by any write to the incident (``top_up``) and by the worker (``top_up_follow_up_run``, queued through the outbox, see
tasks.py) before they run out. A read never writes: what it asks about beyond the slots written so far is computed by
the same rules (``projected_follow_ups``), so the answer is the one the rows will give once written.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from dongcheng.core import outbox
from dongcheng.core.basis import platform_default
from dongcheng.core.time import utcnow
from dongcheng.emergency.incidents import repository, rules
from dongcheng.emergency.incidents.enums import DeadlineKind, DeadlineStatus, Grade
from dongcheng.emergency.incidents.models import Deadline, Incident

FOLLOW_UP_HORIZON = timedelta(hours=24)  # follow-up slots are materialised this far ahead
FOLLOW_UP_TOP_UP = timedelta(hours=12)  # … and topped up (by a write or the worker) when less than this is left
FOLLOW_UP_HORIZON_DEFAULT = platform_default(
    "follow_up_horizon", "每30分钟一次的续报时限提前生成24小时，剩余不足12小时时补足；条文只规定到响应结束")
FOLLOW_UP_TOPIC = "incidents.follow_up_slots"  # the outbox message that tops a run up (tasks.py)


def clock_input(incident: Incident) -> rules.ClockInput:
    """What the clock depends on, from the incident."""
    return rules.ClockInput(
        received_at=incident.received_at, occurred_at=incident.occurred_at,
        grade_at_receipt=incident.grade_at_receipt, grade=incident.grade, sensitive=incident.sensitive,
        key_area=incident.street.kind == "key_area", special_period=incident.special_period,
        foreign_related=incident.foreign_related, follow_up_from=incident.follow_up_from,
        ended_at=incident.ended_at,
    )


class _Responsible:
    """Who owes the incident's reports: its first lead department, else the 区应急办 (looked up once, when needed)."""

    def __init__(self, session: Session, incident: Incident):
        self.session, self.incident, self._seat = session, incident, False

    def unit_id(self) -> int | None:
        if self.incident.leads:
            return self.incident.leads[0].unit_id
        if self._seat is False:
            seat = repository.emergency_office_seat(self.session)
            self._seat = seat.id if seat else None
        return self._seat


def _add_deadline(incident: Incident, spec: rules.DeadlineSpec, responsible: _Responsible) -> Deadline:
    deadline = Deadline(kind=spec.kind, seq=spec.seq, due_at=spec.due_at,
                        basis=str(spec.basis), recipients=list(spec.recipients), notify=list(spec.notify),
                        responsible_unit_id=responsible.unit_id(), status="pending",
                        is_drill=incident.is_drill)
    incident.deadlines.append(deadline)  # the incident's id is set on flush (a new incident has none yet)
    return deadline


def sync_deadlines(session: Session, incident: Incident, now: datetime) -> None:
    """Bring the mandated reports in line with the incident's grade, flags and status (§4.1.4–§4.1.7)."""
    clock = clock_input(incident)
    responsible = _Responsible(session, incident)
    existing = {(d.kind, d.seq): d for d in incident.deadlines}
    for spec in (rules.initial_deadline(clock), rules.detailed_deadline(clock)):
        if spec is None:
            continue
        current = existing.get((spec.kind, spec.seq))
        if current is None:
            _add_deadline(incident, spec, responsible)
        elif current.met_at is None and current.closed_at is None:
            current.recipients, current.basis = list(spec.recipients), str(spec.basis)
    _materialise_follow_ups(session, incident, now, responsible)


def _materialise_follow_ups(session: Session, incident: Incident, now: datetime,
                            responsible: _Responsible | None = None) -> None:
    """Write the run's slots 24 h ahead; when that moved the horizon, ask the worker to top it up in time."""
    before = incident.follow_up_until
    _sync_follow_ups(session, incident, now, responsible or _Responsible(session, incident))
    session.flush()
    until = incident.follow_up_until
    if until is not None and until != before:
        schedule_top_up(session, incident.id, until)


def schedule_top_up(session: Session, incident_id: int, until: datetime) -> None:
    """Ask the worker to top the run whose slots end at ``until`` up in time (``FOLLOW_UP_TOP_UP`` before)."""
    outbox.enqueue(session, FOLLOW_UP_TOPIC, {"incident_id": incident_id, "until": until.isoformat()},
                   delay_seconds=max(0.0, (until - FOLLOW_UP_TOP_UP - utcnow()).total_seconds()))


@dataclass(frozen=True)
class IntakeClock:
    deadlines: list[rules.DeadlineSpec]
    follow_up_until: datetime | None


def intake_deadlines(clock: rules.ClockInput, now: datetime) -> IntakeClock:
    """The deadlines of a new incident, as ``sync_deadlines`` writes them for one with none: 初报 and 详报 (§4.1.4,
    §4.1.5), then — graded 较大 or above — the 续报 slots of its run ``FOLLOW_UP_HORIZON`` ahead, numbered from 1."""
    specs = [spec for spec in (rules.initial_deadline(clock), rules.detailed_deadline(clock)) if spec is not None]
    if clock.follow_up_from is None or not rules.is_at_least(clock.grade, Grade.LARGER) or clock.ended_at is not None:
        return IntakeClock(specs, None)
    until = now + FOLLOW_UP_HORIZON
    for seq, spec in enumerate(rules.follow_up_deadlines(clock, until), 1):
        specs.append(rules.DeadlineSpec(spec.kind, seq, spec.due_at, spec.basis, spec.recipients))
    return IntakeClock(specs, until)


def top_up(session: Session, incident: Incident, now: datetime) -> None:
    """On a write to the incident: make sure its 续报 slots reach at least ``FOLLOW_UP_TOP_UP`` ahead of now."""
    if incident.follow_up_until is not None and incident.follow_up_until < now + FOLLOW_UP_TOP_UP:
        _materialise_follow_ups(session, incident, now)


def top_up_follow_up_run(session: Session, incident_id: int, until: datetime, now: datetime | None = None) -> bool:
    """The worker's task (tasks.py): top up the run whose slots end at ``until``. A message about a horizon that has
    moved since (a write topped the run up and queued its own message) or a run that has stopped does nothing.
    Returns whether slots were written."""
    incident = repository.find(session, incident_id, for_update=True)
    if incident is None or incident.ended_at is not None or incident.follow_up_until != until:
        return False
    _materialise_follow_ups(session, incident, now or utcnow())
    return True


def _sync_follow_ups(session: Session, incident: Incident, now: datetime, responsible: _Responsible) -> None:
    clock = clock_input(incident)
    open_slots = [d for d in incident.deadlines if d.kind == DeadlineKind.FOLLOW_UP and d.met_at is None
                  and d.closed_at is None]
    active = clock.follow_up_from is not None and rules.is_at_least(incident.grade, Grade.LARGER)
    if not active or incident.ended_at is not None:
        stop = incident.ended_at or now
        for slot in open_slots:
            # Slots already due when the run stopped are missed; later ones are no longer owed.
            slot.closed_at = stop
            slot.status = DeadlineStatus.MISSED if slot.due_at <= stop else DeadlineStatus.CANCELLED
        incident.follow_up_until = None
        return
    until = max(now, incident.follow_up_until or now) + FOLLOW_UP_HORIZON
    run = [d for d in incident.deadlines if d.kind == DeadlineKind.FOLLOW_UP and d.due_at > clock.follow_up_from]
    have = {d.due_at for d in run}
    next_seq = max((d.seq for d in incident.deadlines if d.kind == DeadlineKind.FOLLOW_UP), default=0) + 1
    for spec in rules.follow_up_deadlines(clock, until):
        if spec.due_at in have:
            continue
        _add_deadline(incident, rules.DeadlineSpec(spec.kind, next_seq, spec.due_at, spec.basis, spec.recipients),
                      responsible)
        next_seq += 1
    incident.follow_up_until = until


def close_follow_ups(incident: Incident, at: datetime) -> None:
    """The run stops at ``at`` (the grade fell below 较大): slots due by then are missed, later ones not owed."""
    for slot in incident.deadlines:
        if slot.kind == DeadlineKind.FOLLOW_UP and slot.met_at is None and slot.closed_at is None:
            slot.closed_at = at
            slot.status = DeadlineStatus.MISSED if slot.due_at <= at else DeadlineStatus.CANCELLED


# --- reading the clock: what is overdue at an instant, without writing -----------------------------------------

@dataclass(frozen=True)
class ProjectedDeadline:
    """A 续报 owed at an instant whose slot is not written yet (the run's slots end before it): the shape of a row of
    ``repository.overdue_rows``, with no id (there is no row), computed by the same rules as the slots."""

    incident_id: int
    kind: str
    seq: int
    due_at: datetime
    basis: str
    recipients: list[str]
    title: str
    responsible: str | None
    lead_departments: tuple[str, ...]
    notify: list[str] = field(default_factory=list)
    status: str = DeadlineStatus.PENDING.value
    id: None = None
    met_at: None = None
    closed_at: None = None
    report_id: None = None


def projected_follow_ups(session: Session, at: datetime, *, drill: bool = False) -> list[ProjectedDeadline]:
    """The 续报 owed at ``at`` (due, its successor not yet due: §4.1.5) of every run whose slots end before it."""
    out: list[ProjectedDeadline] = []
    seat: list[str | None] = []
    for incident in repository.follow_up_runs_behind(session, at, drill=drill):
        clock = clock_input(incident)
        spec = rules.follow_up_owed_at(clock, at)
        if spec is None or spec.due_at <= incident.follow_up_until:
            continue  # written: the overdue query finds the row itself
        slots = [d for d in incident.deadlines if d.kind == DeadlineKind.FOLLOW_UP]
        written = sum(1 for d in slots if d.due_at > clock.follow_up_from)
        seq = max((d.seq for d in slots), default=0) + spec.seq - written  # numbered on, as _sync_follow_ups would
        leads = tuple(lead.unit.name for lead in incident.leads)
        if not leads and not seat:
            office = repository.emergency_office_seat(session)
            seat.append(office.name if office else None)
        out.append(ProjectedDeadline(incident.id, spec.kind.value, seq, spec.due_at, str(spec.basis),
                                     list(spec.recipients), incident.title, leads[0] if leads else seat[0], leads))
    return out


def count_overdue(session: Session, at: datetime, *, drill: bool = False) -> int:
    """How many mandated reports are overdue at ``at``: what ``overdue`` answers (the written rows and the 续报 owed
    beyond them), counted in the database instead of loaded. Reads only."""
    return repository.count_overdue_rows(session, at, drill=drill) + len(projected_follow_ups(session, at, drill=drill))


def overdue(session: Session, at: datetime, *, drill: bool = False, limit: int = 1000,
            projected: list[ProjectedDeadline] | None = None) -> tuple[list, dict[int, list[str]]]:
    """Mandated reports due and not met at ``at``: the rows (``repository.overdue_rows``) and the 续报 owed then whose
    slots are not written yet; with the lead departments of their incidents. Reads only."""
    rows, leads = repository.overdue_rows(session, at, drill=drill, limit=limit)
    projected = projected_follow_ups(session, at, drill=drill) if projected is None else projected
    if projected:
        rows = sorted([*rows, *projected], key=lambda r: (r.due_at, r.id is None, r.id or 0))[:limit]
        for p in projected:
            leads.setdefault(p.incident_id, list(p.lead_departments))
    return rows, leads
