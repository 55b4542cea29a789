"""Institutions and credit flows (东政办发〔2021〕17号 四（二）, 三（一）2, 三（一）4): register, points, blacklist, credit
repair, the policy in force, a record and the public lists. Loads through repository.py, asks rules.py, audits every
change and never commits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.auth.service import Caller, authorize
from dongcheng.core.errors import DomainError, FieldError, invalid
from dongcheng.core.time import today_local, utcnow
from dongcheng.directory.models import Unit
from dongcheng.supervision.complaints import repository as complaints
from dongcheng.supervision.institutions import files, repository, rules
from dongcheng.supervision.institutions.models import BlacklistEntry, CreditPolicy, Institution, PointRecord
from dongcheng.supervision.institutions.schemas import (
    BlacklistIn,
    InstitutionIn,
    InstitutionPatch,
    PointsIn,
    RepairIn,
)

MANAGE = "supervision.credit.manage"
POLICY = "supervision.credit.policy"


def check_supervisor(session: Session, caller: Caller, action: str = MANAGE) -> None:
    """The route admits department users; rules.may_supervise says which unit (区卫生健康委, 三（一）4)."""
    authorize(caller, action)
    unit = caller.unit
    parent = repository.unit(session, unit.parent_id) if unit else None
    rules.may_supervise(unit.name if unit else None, parent.name if parent else None).require()


def active_policy(session: Session) -> rules.Policy:
    """The newest policy an administrator loaded, else the shipped one (data/supervision/credit_policy.yaml)."""
    row = repository.latest_policy(session)
    if row is not None:
        policy, _ = rules.read_policy(row.body)
        if policy is not None:
            return policy
    return files.default_policy()


def load_policy(session: Session, *, actor: audit.Actor, data: object) -> CreditPolicy:
    """An administrator loads the Beijing table (or any corrected one): refused whole, naming each bad field."""
    policy, problems = rules.read_policy(data)
    if policy is None:
        raise DomainError("记分政策有误", "Invalid policy", 422,
                          [FieldError(f"policy.{f}" if f != "policy" else f, zh, en) for f, zh, en in problems])
    assert isinstance(data, dict)
    row = CreditPolicy(source=policy.source, body=data, sha256=files.digest(data), loaded_by=actor.username,
                       loaded_at=utcnow())
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="supervision.credit.policy", target_type="credit_policy",
                 target_id=row.id, basis=rules.CREDIT_BASIS, after={
                     "source": policy.source, "status": policy.status, "sha256": row.sha256,
                     "thresholds": [t.points for t in policy.thresholds], "cycle_months": policy.cycle_months})
    return row


def _street(session: Session, name: str) -> Unit:
    street = repository.street_named(session, name.strip())
    if street is None:
        raise invalid("street", f"不是东城区的街道：{name}（应为17个街道之一，如 东四街道）",
                      f"Not one of the district's streets: {name}")
    return street


def register(session: Session, *, caller: Caller, data: InstitutionIn) -> Institution:
    """登记 an institution: the code's check digit (GB 32100-2015), one of the 17 streets, public or social."""
    check_supervisor(session, caller)
    code = data.uscc.strip().upper()
    rules.check_uscc(code).require()
    if repository.by_uscc(session, code):
        raise DomainError("输入有误", "Invalid input", 409,
                          [FieldError("uscc", "该统一社会信用代码已登记", "This code is already registered")])
    street = _street(session, data.street)
    row = Institution(name=data.name.strip(), uscc=code, kind=data.kind, street_id=street.id, ownership=data.ownership,
                      licence_no=data.licence_no.strip(), risk=data.risk, created_by=caller.user.username,
                      created_at=utcnow())
    session.add(row)
    session.flush()
    audit.record(session, actor=caller.actor, action="supervision.institution.register", target_type="institution",
                 target_id=row.id, basis=rules.REGISTRY_BASIS, after={
                     "name": row.name, "uscc": code, "kind": row.kind, "street": street.name,
                     "ownership": row.ownership, "risk": row.risk, "check": str(rules.USCC_BASIS)})
    return row


def update(session: Session, *, caller: Caller, institution_id: int, data: InstitutionPatch) -> Institution:
    check_supervisor(session, caller)
    row = repository.get(session, institution_id)
    changes = data.model_dump(exclude_none=True)
    before = {k: getattr(row, k) for k in changes}
    for k, v in changes.items():
        setattr(row, k, v.strip() if isinstance(v, str) else v)
    session.flush()
    audit.record(session, actor=caller.actor, action="supervision.institution.update", target_type="institution",
                 target_id=row.id, basis=rules.REGISTRY_BASIS, before=before, after=changes)
    return row


def add_points(session: Session, *, caller: Caller, institution_id: int, data: PointsIn) -> PointRecord:
    """不良执业行为记分 (四（二）): counted in its cycle; the audit says which threshold the cycle now reaches."""
    check_supervisor(session, caller)
    institution = repository.get(session, institution_id)
    policy = active_policy(session)
    rules.check_points(data.points, policy).require()
    cycle, _, _ = rules.cycle_of(data.occurred_on, policy.cycle_months)
    row = PointRecord(institution_id=institution.id, occurred_on=data.occurred_on, points=data.points,
                      ground=data.ground.strip(), legal_basis=data.legal_basis.strip(), cycle=cycle,
                      removal_reason="", recorded_by=caller.user.username, recorded_at=utcnow())
    session.add(row)
    session.flush()
    now = rules.standing(cycle, [p.points for p in repository.points_of(session, institution.id)
                                 if p.cycle == cycle], policy)
    audit.record(session, actor=caller.actor, action="supervision.credit.points", target_type="institution",
                 target_id=institution.id, basis=policy.basis, after={
                     "record": row.id, "points": row.points, "cycle": cycle, "cycle_total": now.total,
                     "reached": now.reached.points if now.reached else None,
                     "consequence": now.reached.consequence if now.reached else None})
    return row


def add_blacklist(session: Session, *, caller: Caller, institution_id: int, data: BlacklistIn) -> BlacklistEntry:
    check_supervisor(session, caller)
    institution = repository.get(session, institution_id)
    policy = active_policy(session)
    decision = rules.check_blacklist_period(data.start_on, data.end_on, policy.blacklist_publication)
    decision.require()
    row = BlacklistEntry(institution_id=institution.id, ground=data.ground.strip(), legal_basis=data.legal_basis.strip(),
                         start_on=data.start_on, end_on=data.end_on, removal_reason="",
                         recorded_by=caller.user.username, recorded_at=utcnow())
    session.add(row)
    session.flush()
    audit.record(session, actor=caller.actor, action="supervision.credit.blacklist", target_type="institution",
                 target_id=institution.id, basis=decision.basis, after={
                     "entry": row.id, "ground": row.ground, "start_on": row.start_on.isoformat(),
                     "end_on": row.end_on.isoformat()})
    return row


def repair(session: Session, *, caller: Caller, kind: str, record_id: int, data: RepairIn) -> PointRecord | BlacklistEntry:
    """信用修复 (三（一）2): remove a record from the public list early, once its shortest period has passed."""
    check_supervisor(session, caller)
    policy = active_policy(session)
    if kind == "points":
        row: PointRecord | BlacklistEntry = repository.point(session, record_id)
        start, period = row.occurred_on, policy.points_publication
    else:
        row = repository.blacklist_entry(session, record_id)
        start, period = row.start_on, policy.blacklist_publication
    if data.on > today_local():
        raise invalid("on", "修复日期不得晚于今天", "The repair day cannot be in the future")
    decision = rules.may_remove_early(start, row.removed_on, data.on, period)
    decision.require()
    row.removed_on, row.removal_reason = data.on, data.reason.strip()
    session.flush()
    audit.record(session, actor=caller.actor, action="supervision.credit.repair", target_type="institution",
                 target_id=row.institution_id, basis=decision.basis, after={
                     "kind": kind, "record": row.id, "removed_on": data.on.isoformat(), "reason": row.removal_reason})
    return row


@dataclass(frozen=True)
class InstitutionRecord:
    institution: Institution
    street: Unit | None
    points: list[PointRecord]
    blacklist: list[BlacklistEntry]
    standing: rules.Standing
    complaints: int  # 12345 complaints naming it (三（一）5)
    complaints_this_cycle: int
    policy: rules.Policy


def record(session: Session, institution: Institution, on: date | None = None) -> InstitutionRecord:
    day = on or today_local()
    policy = active_policy(session)
    cycle, start, end = rules.cycle_of(day, policy.cycle_months)
    points = repository.points_of(session, institution.id)
    counts = complaints.count_for_institution(session, institution.id, start, end)
    return InstitutionRecord(
        institution, repository.unit(session, institution.street_id), points,
        repository.blacklist_of(session, institution.id),
        rules.standing(cycle, [p.points for p in points if p.cycle == cycle], policy), counts[0], counts[1], policy)


@dataclass(frozen=True)
class PublicLists:
    on: date
    points: list[tuple[PointRecord, Institution, date]]  # record, institution, published until
    blacklist: list[tuple[BlacklistEntry, Institution, date]]
    policy: rules.Policy


def public_lists(session: Session, on: date | None = None) -> PublicLists:
    """What the public sees (四（一） 行政执法公示): records inside their publication period and not repaired."""
    day = on or today_local()
    policy = active_policy(session)
    since = rules.add_months(day, -policy.points_publication.max_months)
    points = [(p, rules.published_until(p.occurred_on, policy.points_publication)) for p in
              repository.points_since(session, since)]
    points = [(p, until) for p, until in points if rules.is_public(p.occurred_on, until, p.removed_on, day)]
    black = [(b, rules.published_until(b.start_on, policy.blacklist_publication, b.end_on))
             for b in repository.blacklist_current(session, day)]
    black = [(b, until) for b, until in black if rules.is_public(b.start_on, until, b.removed_on, day)]
    by_id = repository.institutions_by_id(session, {p.institution_id for p, _ in points}
                                          | {b.institution_id for b, _ in black})
    return PublicLists(day, [(p, by_id[p.institution_id], u) for p, u in points],
                       [(b, by_id[b.institution_id], u) for b, u in black], policy)


def streets_by_id(session: Session, rows: list[Institution]) -> dict[int, Unit]:
    return repository.units_by_id(session, {r.street_id for r in rows})
