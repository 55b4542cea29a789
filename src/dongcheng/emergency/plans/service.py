"""Plan registry and drill flows (§7): the catalogue registered (§8.3), versions and filing (§7.1.4), evaluation and
revision triggers (§7.1.5), drills with their phases and findings (§7.2.3), the yearly compliance (§7.2.1, §7.2.2).
Loads through repository.py, asks rules.py, audits every change with its clause, never commits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.auth.service import Caller, authorize
from dongcheng.calendar import service as calendar
from dongcheng.core.errors import conflict, invalid
from dongcheng.core.time import to_local, today_local, utcnow
from dongcheng.core.transition import move
from dongcheng.directory.models import Unit
from dongcheng.directory.service import find_unit
from dongcheng.emergency.plans import files, repository, rules
from dongcheng.emergency.plans.models import (
    Drill,
    DrillFinding,
    DrillPhase,
    PlanRecord,
    PlanRevision,
    PlanVersion,
    RevisionTrigger,
)
from dongcheng.emergency.plans.rules import Phase, PlanKind, PlanStatus
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

MANAGE, READ, DRILLS = "plans.manage", "plans.read", "drills.manage"
STREET_KINDS = ("street", "key_area")
# §7.2.2 区各相关专项指挥部、相关部门和有关单位: the special HQs, and the units the plan gives an emergency role (a lead
# drafting unit of §8.3, a lead department of §2.3.6); any other unit joins the list once it organises a drill.
UNIT_EXCLUDED_KINDS = ("street", "key_area", "city", "command")


def management() -> files.PlanManagement:
    return files.shipped()


# --- who acts --------------------------------------------------------------------------------------------------

def acting_of(session: Session, caller: Caller) -> rules.Acting:
    unit = caller.unit
    parent = repository.unit(session, unit.parent_id) if unit is not None else None
    return rules.Acting(caller.user.role, unit.name if unit else None, parent.name if parent else None,
                        bool(unit is not None and unit.emergency_office))


def _unit_named(session: Session, name: str, field: str) -> Unit:
    unit = find_unit(session, name.strip())
    if unit is None:
        raise invalid(field, f"名录中没有该单位：{name}", f"unknown unit: {name}")
    return unit


# --- the registry ------------------------------------------------------------------------------------------------

def register_catalogue(session: Session, *, actor: audit.Actor = audit.SYSTEM) -> int:
    """The registry starts from §8.3: every catalogue plan (data/emergency/plans.yaml, loaded by dongcheng.reference)
    gets its registry row, and the district general plan its row with its issue (东政发〔2022〕3号). Idempotent."""
    have = repository.registered_catalogue_ids(session)
    added = 0
    for plan in repository.catalogue(session):
        if plan.id in have:
            continue
        session.add(PlanRecord(catalogue_plan_id=plan.id, kind=plan.kind, status=PlanStatus.NOT_ISSUED.value,
                               version=1, created_by=actor.username, created_at=utcnow()))
        added += 1
    general = management().general_plan
    if repository.plan_named(session, general.name) is None:
        lead = find_unit(session, general.lead)
        if lead is not None:
            row = PlanRecord(kind=PlanKind.DISTRICT_GENERAL.value, name=general.name, lead_unit_id=lead.id,
                             status=PlanStatus.IN_FORCE.value, version=1, issued_on=general.issued_on,
                             document_no=general.document_no, created_by=actor.username, created_at=utcnow())
            session.add(row)
            session.flush()
            session.add(PlanVersion(plan_id=row.id, seq=1, title=general.name, document_no=general.document_no,
                                    issued_on=general.issued_on, document_ref="/gazette/documents/东政发〔2022〕3号",
                                    note=general.clause, recorded_by=actor.username, recorded_at=utcnow()))
            added += 1
    if added:
        session.flush()
        audit.record(session, actor=actor, action="plans.register_catalogue", target_type="plan", target_id="§8.3",
                     basis=rules.clause("§8.3, §7.1.1"), after={"added": added})
    return added


@dataclass(frozen=True)
class PlanFacts:
    """A registry row with what it is known by: the catalogue's name and lead unit, or its own."""

    row: PlanRecord
    name: str
    lead: Unit | None
    category: str | None
    seq: int | None
    catalogue_clause: str | None


def facts(session: Session, rows: list[PlanRecord]) -> list[PlanFacts]:
    catalogue = repository.catalogue_by_id(session)
    units = repository.units(session)
    out = []
    for r in rows:
        c = catalogue.get(r.catalogue_plan_id) if r.catalogue_plan_id else None
        if c is not None:
            out.append(PlanFacts(r, c.name, units.get(c.lead_unit_id), c.category, c.seq, c.clause))
        else:
            out.append(PlanFacts(r, r.name or "", units.get(r.lead_unit_id), None, None, None))
    return out


def plan_facts(session: Session, row: PlanRecord) -> PlanFacts:
    return facts(session, [row])[0]


def list_plans(session: Session, caller: Caller) -> list[PlanFacts]:
    authorize(caller, READ)
    return facts(session, repository.plans(session))


def plan_for_reading(session: Session, caller: Caller, plan_id: int) -> PlanFacts:
    authorize(caller, READ)
    return plan_facts(session, repository.plan(session, plan_id))


def _for_managing(session: Session, caller: Caller, plan_id: int) -> PlanFacts:
    authorize(caller, MANAGE)
    f = plan_facts(session, repository.plan(session, plan_id))
    rules.may_manage_plan(acting_of(session, caller), f.lead.name if f.lead else None).require()
    return f


def add_plan(session: Session, *, caller: Caller, data: PlanIn) -> PlanRecord:
    authorize(caller, MANAGE)
    lead = _unit_named(session, data.lead_unit, "lead_unit")
    rules.may_add_plan(acting_of(session, caller), data.kind, lead.name, lead.kind).require()
    name = data.name.strip()
    if repository.plan_named(session, name) is not None or name in {p.name for p in repository.catalogue(session)}:
        raise invalid("name", f"预案“{name}”已在登记册中", f"plan {name!r} is already registered")
    row = PlanRecord(kind=data.kind.value, name=name, lead_unit_id=lead.id, status=PlanStatus.NOT_ISSUED.value,
                     version=1, created_by=caller.user.username, created_at=utcnow())
    session.add(row)
    session.flush()
    filing = rules.filing_for(data.kind, management().filing)
    audit.record(session, actor=caller.actor, action="plans.add", target_type="plan", target_id=row.id,
                 basis=filing.basis, after={"name": name, "kind": data.kind.value, "lead_unit": lead.name,
                                            "filing_recipient": filing.recipient})
    return row


def record_version(session: Session, *, caller: Caller, plan_id: int, data: VersionIn) -> PlanRecord:
    """印发 a text: the first issue puts the plan in force; a later one closes the open revision — for a 区级专项应急预案
    only once its 验证性 drill was held (§7.2.1). The filing clock (20 working days) starts again from this issue."""
    f = _for_managing(session, caller, plan_id)
    row = f.row
    previous = repository.versions(session, row.id)
    if previous and data.issued_on < previous[-1].issued_on:
        raise invalid("issued_on", f"印发日期不能早于上一版本（{previous[-1].issued_on.isoformat()}）",
                      "the issue date must not be before the previous version's")
    revision = repository.open_revision(session, row.id)
    if revision is not None:
        held = [d.held_on for d in repository.validation_drills_of(session, row.id) if d.held_on >= revision.opened_on]
        rules.may_close_revision(PlanKind(row.kind), len(held)).require()
    version = PlanVersion(plan_id=row.id, seq=len(previous) + 1, title=data.title.strip(),
                          document_no=data.document_no.strip(), issued_on=data.issued_on,
                          document_ref=data.document_ref.strip(), note=data.note, recorded_by=caller.user.username,
                          recorded_at=utcnow())
    session.add(version)
    session.flush()
    if revision is not None:
        revision.closed_on, revision.closed_version_id = data.issued_on, version.id
    before = {"status": row.status, "issued_on": row.issued_on.isoformat() if row.issued_on else None}
    move(session, row, PlanStatus.IN_FORCE, what_zh="该预案", what_en="this plan", issued_on=data.issued_on,
         document_no=version.document_no, filed_on=None, filed_with="", filing_note="")
    due = rules.filing_due(data.issued_on, calendar.working_days(session))
    audit.record(session, actor=caller.actor, action="plans.version", target_type="plan", target_id=row.id,
                 basis=rules.FILING_PERIOD_BASIS, before=before,
                 after={"seq": version.seq, "title": version.title, "issued_on": data.issued_on.isoformat(),
                        "filing_due": due.end.isoformat(), "provisional": due.provisional,
                        "revision_closed": revision.id if revision else None})
    return row


def record_filing(session: Session, *, caller: Caller, plan_id: int, data: FilingIn) -> PlanRecord:
    """备案 (§7.1.4) with the recipient its kind names; on time within 20 working days (国办发〔2024〕5号 第二十六条)."""
    f = _for_managing(session, caller, plan_id)
    row = f.row
    if row.issued_on is None:
        raise conflict("预案尚未登记印发，不能备案", "the plan has no issued version yet")
    if data.filed_on < row.issued_on:
        raise invalid("filed_on", "备案日期不能早于印发日期", "the filing date must not be before the issue date")
    filing = rules.filing_for(PlanKind(row.kind), management().filing)
    filed_with = data.filed_with.strip() or filing.recipient
    move(session, row, row.status, what_zh="该预案", what_en="this plan", filed_on=data.filed_on,
         filed_with=filed_with, filing_note=data.note)
    due = rules.filing_due(row.issued_on, calendar.working_days(session))
    status = rules.filing_status(row.issued_on, data.filed_on, due.end, today_local())
    audit.record(session, actor=caller.actor, action="plans.filing", target_type="plan", target_id=row.id,
                 basis=filing.basis, after={"filed_on": data.filed_on.isoformat(), "filed_with": filed_with,
                                            "reviewer": filing.reviewer, "due": due.end.isoformat(),
                                            "status": status.value, "period_basis": str(rules.FILING_PERIOD_BASIS)})
    return row


def record_evaluation(session: Session, *, caller: Caller, plan_id: int, data: EvaluationIn) -> PlanRecord:
    """定期评估 (§7.1.5): the next is due 3 years on (platform default)."""
    f = _for_managing(session, caller, plan_id)
    row = f.row
    if data.evaluated_on > today_local():
        raise invalid("evaluated_on", "评估日期不能晚于今天", "the evaluation date must not be in the future")
    move(session, row, row.status, what_zh="该预案", what_en="this plan", evaluated_on=data.evaluated_on,
         evaluation_note=data.note)
    audit.record(session, actor=caller.actor, action="plans.evaluation", target_type="plan", target_id=row.id,
                 basis=rules.EVALUATION_BASIS, after={"evaluated_on": data.evaluated_on.isoformat(), "note": data.note,
                                                      "next_due": rules.evaluation_due(row.issued_on,
                                                                                       data.evaluated_on).isoformat()})
    return row


def record_trigger(session: Session, *, caller: Caller, plan_id: int, data: TriggerIn,
                   now: datetime | None = None) -> RevisionTrigger:
    """A §7.1.5 situation, recorded: it opens a revision (or joins the open one) and puts the plan 修订中."""
    f = _for_managing(session, caller, plan_id)
    row = f.row
    rules.check_trigger(data.trigger, management().triggers, incident_id=data.incident_id,
                        drill_id=data.drill_id).require()
    if data.incident_id is not None and repository.incident(session, data.incident_id) is None:
        raise invalid("incident_id", f"未找到事件：{data.incident_id}", f"incident not found: {data.incident_id}")
    if data.drill_id is not None and repository.drill_or_none(session, data.drill_id) is None:
        raise invalid("drill_id", f"未找到演练：{data.drill_id}", f"drill not found: {data.drill_id}")
    if row.issued_on is None:
        raise conflict("预案尚未登记印发，无从修订", "the plan has no issued version to revise")
    at = now or utcnow()
    revision = repository.open_revision(session, row.id)
    if revision is None:
        revision = PlanRevision(plan_id=row.id, opened_on=to_local(at).date(), opened_at=at)
        session.add(revision)
        session.flush()
        move(session, row, PlanStatus.UNDER_REVISION, what_zh="该预案", what_en="this plan")
    trigger = RevisionTrigger(plan_id=row.id, revision_id=revision.id, trigger=data.trigger,
                              description=data.description.strip(), incident_id=data.incident_id,
                              drill_id=data.drill_id, recorded_by=caller.user.username,
                              recorded_unit=caller.unit.name if caller.unit else "", recorded_at=at)
    session.add(trigger)
    session.flush()
    audit.record(session, actor=caller.actor, action="plans.trigger", target_type="plan", target_id=row.id,
                 basis=management().triggers[data.trigger].clause, at=at,
                 after={"trigger": data.trigger, "revision_id": revision.id, "incident_id": data.incident_id,
                        "drill_id": data.drill_id, "description": trigger.description})
    return trigger


@dataclass(frozen=True)
class PlanDetail:
    facts: PlanFacts
    versions: list[PlanVersion]
    revisions: list[PlanRevision]
    triggers: list[RevisionTrigger]
    filing_due: object | None  # calendar Span
    validation_drills: list[Drill]


def detail(session: Session, f: PlanFacts) -> PlanDetail:
    row = f.row
    due = rules.filing_due(row.issued_on, calendar.working_days(session)) if row.issued_on else None
    return PlanDetail(f, repository.versions(session, row.id), repository.revisions(session, row.id),
                      repository.triggers(session, row.id), due, repository.validation_drills_of(session, row.id))


def filing_dues(session: Session, rows: list[PlanFacts]) -> dict[int, object]:
    cal = calendar.working_days(session)
    return {f.row.id: rules.filing_due(f.row.issued_on, cal) for f in rows if f.row.issued_on}


# --- drills ------------------------------------------------------------------------------------------------------

def create_drill(session: Session, *, caller: Caller, data: DrillIn) -> Drill:
    authorize(caller, DRILLS)
    organiser = _unit_named(session, data.organiser, "organiser")
    rules.may_manage_drill(acting_of(session, caller), organiser.name).require()
    plan_ids = list(dict.fromkeys(data.plan_ids))
    for i, pid in enumerate(plan_ids):
        if session.get(PlanRecord, pid) is None:
            raise invalid(f"plan_ids.{i}", f"未找到预案：{pid}", f"plan not found: {pid}")
    unit_ids = list(dict.fromkeys(_unit_named(session, n, f"units.{i}").id for i, n in enumerate(data.units)))
    if data.incident_id is not None:
        incident = repository.incident(session, data.incident_id)
        rules.check_exercise_incident(incident.is_drill if incident else None).require()
    if data.kind == rules.DrillKind.VALIDATION and not plan_ids:
        raise invalid("plan_ids", "验证性应急演练须注明所验证的预案", "a validation drill names the plan it validates")
    drill = Drill(title=data.title.strip(), organiser_unit_id=organiser.id, kind=data.kind.value,
                  incident_id=data.incident_id, note=data.note, created_by=caller.user.username, created_at=utcnow())
    if data.incident_id is not None and repository.drill_of_incident(session, data.incident_id) is not None:
        raise conflict("该演练事件已关联其他演练", "that exercise incident is already linked to a drill")
    session.add(drill)
    session.flush()
    repository.link_drill(session, drill.id, plan_ids, unit_ids)
    audit.record(session, actor=caller.actor, action="drills.create", target_type="drill", target_id=drill.id,
                 basis=rules.DRILL_BASIS, after={"title": drill.title, "organiser": organiser.name,
                                                 "kind": data.kind.value, "plan_ids": plan_ids,
                                                 "incident_id": data.incident_id})
    return drill


def drills_for_reading(session: Session, caller: Caller, year: int | None = None) -> list[Drill]:
    authorize(caller, READ)
    return repository.drills(session, year=year)


def drill_for_reading(session: Session, caller: Caller, drill_id: int) -> Drill:
    authorize(caller, READ)
    return repository.drill(session, drill_id)


def _drill_for_managing(session: Session, caller: Caller, drill_id: int) -> Drill:
    authorize(caller, DRILLS)
    drill = repository.drill(session, drill_id)
    organiser = repository.unit(session, drill.organiser_unit_id)
    rules.may_manage_drill(acting_of(session, caller), organiser.name if organiser else None).require()
    return drill


def record_phase(session: Session, *, caller: Caller, drill_id: int, data: PhaseIn) -> DrillPhase:
    """§7.2.3 the five phases, in order; 实施 dates the drill (its year in the compliance page)."""
    drill = _drill_for_managing(session, caller, drill_id)
    recorded = {Phase(p.phase): p.on_date for p in repository.phases(session, drill.id)}
    open_actions = sum(f.done_on is None for f in repository.findings(session, drill.id))
    if data.phase == Phase.CONDUCT and data.on_date > today_local():
        raise invalid("on_date", "实施日期不能晚于今天", "a drill is held on a date not in the future")
    rules.check_phase(data.phase, recorded, data.on_date, open_actions).require()
    phase = DrillPhase(drill_id=drill.id, phase=data.phase.value, on_date=data.on_date, note=data.note,
                       recorded_by=caller.user.username, recorded_at=utcnow())
    session.add(phase)
    if data.phase == Phase.CONDUCT:
        drill.held_on = data.on_date
    session.flush()
    audit.record(session, actor=caller.actor, action="drills.phase", target_type="drill", target_id=drill.id,
                 basis=rules.PHASE_BASIS, after={"phase": data.phase.value, "on_date": data.on_date.isoformat()})
    return phase


def add_finding(session: Session, *, caller: Caller, drill_id: int, data: FindingIn) -> DrillFinding:
    """发现…问题 and the follow-up (整改措施, owner, due date), recorded once the drill has been held (§7.2.3)."""
    drill = _drill_for_managing(session, caller, drill_id)
    recorded = {Phase(p.phase) for p in repository.phases(session, drill.id)}
    if Phase.CONDUCT not in recorded:
        raise conflict("演练尚未实施，不能登记发现的问题", "the drill has not been held yet")
    if Phase.IMPROVE in recorded:
        raise conflict("“改进”阶段已完成，不能再登记问题", "the improvement phase is complete")
    owner = _unit_named(session, data.owner_unit, "owner_unit")
    if drill.held_on and data.due_on < drill.held_on:
        raise invalid("due_on", "整改期限不能早于演练实施日期", "the due date must not be before the drill")
    row = DrillFinding(drill_id=drill.id, finding=data.finding.strip(), action=data.action.strip(),
                       owner_unit_id=owner.id, due_on=data.due_on, recorded_by=caller.user.username,
                       recorded_at=utcnow())
    session.add(row)
    session.flush()
    audit.record(session, actor=caller.actor, action="drills.finding", target_type="drill", target_id=drill.id,
                 basis=rules.PHASE_BASIS, after={"finding_id": row.id, "owner": owner.name,
                                                 "due_on": data.due_on.isoformat()})
    return row


def finish_finding(session: Session, *, caller: Caller, drill_id: int, finding_id: int,
                   data: FindingDoneIn) -> DrillFinding:
    """The owner unit (or the drill's organiser, or the 区应急办) records the action done."""
    authorize(caller, DRILLS)
    drill = repository.drill(session, drill_id)
    row = repository.finding(session, finding_id)
    if row.drill_id != drill.id:
        raise invalid("finding_id", "该问题不属于此演练", "the finding belongs to another drill")
    acting = acting_of(session, caller)
    owner = repository.unit(session, row.owner_unit_id)
    organiser = repository.unit(session, drill.organiser_unit_id)
    if not acting.in_unit(owner.name if owner else None):
        rules.may_manage_drill(acting, organiser.name if organiser else None).require()
    if row.done_on is not None:
        raise conflict("该整改措施已完成", "the action is already done")
    row.done_on, row.done_by = data.done_on, caller.user.username
    session.flush()
    audit.record(session, actor=caller.actor, action="drills.finding_done", target_type="drill", target_id=drill.id,
                 basis=rules.PHASE_BASIS, after={"finding_id": row.id, "done_on": data.done_on.isoformat()})
    return row


@dataclass(frozen=True)
class DrillDetail:
    drill: Drill
    organiser: Unit | None
    plans: list[PlanFacts]
    units: list[Unit]
    phases: list[DrillPhase]
    findings: list[tuple[DrillFinding, Unit | None]]


def drill_detail(session: Session, drill: Drill) -> DrillDetail:
    units = repository.units(session)
    plan_rows = [session.get(PlanRecord, pid) for pid in repository.drill_plan_ids(session, drill.id)]
    return DrillDetail(drill, units.get(drill.organiser_unit_id), facts(session, [p for p in plan_rows if p]),
                       sorted((units[u] for u in repository.drill_unit_ids(session, drill.id) if u in units),
                              key=lambda u: (u.sort_order, u.id)),
                       repository.phases(session, drill.id),
                       [(f, units.get(f.owner_unit_id)) for f in repository.findings(session, drill.id)])


def units_by_id(session: Session) -> dict[int, Unit]:
    return repository.units(session)


# --- compliance per year (§7.2.1, §7.2.2) --------------------------------------------------------------------

def compliance(session: Session, caller: Caller, year: int) -> list[rules.Line]:
    authorize(caller, READ)
    units = repository.units(session)
    drills = repository.drills(session, year=year)
    facts_ = [rules.DrillFact(units[d.organiser_unit_id].name, d.kind, d.held_on) for d in drills if d.held_on]
    organisers = {d.organiser_unit_id for d in drills}
    expected = ({u.id for u in units.values() if u.kind == "special_hq"} | repository.lead_department_ids(session)
                | organisers)
    body_units = sorted((units[i] for i in expected if i in units and units[i].kind not in UNIT_EXCLUDED_KINDS),
                        key=lambda u: (u.kind != "special_hq", u.sort_order, u.id))
    streets = repository.units_of_kind(session, STREET_KINDS)
    plan_facts_ = {f.row.id: f for f in facts(session, repository.plans(session))}
    validation = repository.validation_drills_by_plan(session)
    revisions = []
    for r in repository.revisions(session):
        f = plan_facts_.get(r.plan_id)
        if f is None or PlanKind(f.row.kind) not in rules.SPECIAL_KINDS:
            continue
        revisions.append(rules.RevisionFact(r.plan_id, f.name, f.lead.name if f.lead else "", r.opened_on, r.closed_on,
                                            tuple(validation.get(r.plan_id, ()))))
    return rules.compliance(year, units=[u.name for u in body_units], streets=[s.name for s in streets],
                            drills=facts_, revisions=revisions)


def as_of(day: date | None = None) -> date:
    return day or today_local()
