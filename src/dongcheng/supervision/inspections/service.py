"""双随机 inspections flows (国办发〔2015〕58号; 东政办发〔2021〕17号 四（一）): the inspector registry and declared
conflicts, plans (seed committed at creation), the draw, results, closing and publication. Loads through
repository.py, asks rules.py, audits every change and never commits."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.auth.service import Caller, authorize
from dongcheng.calendar.service import working_days
from dongcheng.core.errors import DomainError, FieldError, invalid
from dongcheng.core.time import today_local, utcnow
from dongcheng.core.transition import move
from dongcheng.directory import service as directory
from dongcheng.supervision.inspections import files, repository, rules
from dongcheng.supervision.inspections.models import Inspection, InspectionPlan, Inspector, InspectorConflict
from dongcheng.supervision.inspections.schemas import (
    ConflictIn,
    ConflictWithdrawal,
    InspectorIn,
    InspectorPatch,
    PlanIn,
    ResultIn,
)
from dongcheng.supervision.institutions import repository as institutions
from dongcheng.supervision.institutions import rules as institution_rules

MANAGE = "supervision.inspections.manage"


def check_supervisor(session: Session, caller: Caller) -> None:
    """The route admits department users; the 区卫生健康委 (or a unit under it) runs the inspections."""
    authorize(caller, MANAGE)
    unit = caller.unit
    parent = institutions.unit(session, unit.parent_id) if unit else None
    institution_rules.may_supervise(unit.name if unit else None, parent.name if parent else None).require()


def add_inspector(session: Session, *, caller: Caller, data: InspectorIn) -> Inspector:
    check_supervisor(session, caller)
    if repository.inspector_by_badge(session, data.badge_no):
        raise DomainError("输入有误", "Invalid input", 409,
                          [FieldError("badge_no", "该执法证号已登记", "This badge number is already registered")])
    unit = directory.find_unit(session, data.unit.strip())
    if unit is None:
        raise invalid("unit", f"目录中没有该单位：{data.unit}", f"No such unit: {data.unit}")
    row = Inspector(name=data.name.strip(), badge_no=data.badge_no, unit_id=unit.id, active=True,
                    created_by=caller.user.username, created_at=utcnow())
    session.add(row)
    session.flush()
    audit.record(session, actor=caller.actor, action="supervision.inspections.inspector", target_type="inspector",
                 target_id=row.id, basis=rules.DRAW_BASIS, after={"name": row.name, "badge_no": row.badge_no,
                                                                  "unit": unit.name})
    return row


def set_active(session: Session, *, caller: Caller, inspector_id: int, data: InspectorPatch) -> Inspector:
    check_supervisor(session, caller)
    row = repository.inspector(session, inspector_id)
    before = {"active": row.active}
    row.active = data.active
    session.flush()
    audit.record(session, actor=caller.actor, action="supervision.inspections.inspector_active",
                 target_type="inspector", target_id=row.id, basis=rules.DRAW_BASIS, before=before,
                 after={"active": row.active})
    return row


def declare_conflict(session: Session, *, caller: Caller, inspector_id: int, data: ConflictIn) -> InspectorConflict:
    """申报利益冲突 (回避): recorded once per inspector and institution; every later draw excludes the pair."""
    check_supervisor(session, caller)
    person = repository.inspector(session, inspector_id)
    if not institutions.institutions_by_id(session, {data.institution_id}):
        raise invalid("institution_id", "未登记的机构", "No such institution")
    if repository.conflict(session, person.id, data.institution_id):
        raise DomainError("输入有误", "Invalid input", 409,
                          [FieldError("institution_id", "已申报过与该机构的利益冲突", "Already declared")])
    row = InspectorConflict(inspector_id=person.id, institution_id=data.institution_id, reason=data.reason.strip(),
                            declared_on=data.declared_on or today_local(), declared_by=caller.user.username)
    session.add(row)
    session.flush()
    audit.record(session, actor=caller.actor, action="supervision.inspections.conflict", target_type="inspector",
                 target_id=person.id, basis=rules.RECUSAL_BASIS,
                 after={"institution_id": data.institution_id, "reason": row.reason})
    return row


def withdraw_conflict(session: Session, *, caller: Caller, inspector_id: int, conflict_id: int,
                      data: ConflictWithdrawal) -> InspectorConflict:
    """撤回利益冲突申报: by whoever may declare one (the 区卫生健康委, or a unit under it: ``check_supervisor``); a
    reason is required; the row stays with who withdrew it, when and why, and later draws no longer recuse the pair
    (a draw already made stands as published)."""
    check_supervisor(session, caller)
    row = repository.conflict_of(session, repository.inspector(session, inspector_id).id, conflict_id)
    rules.may_withdraw_conflict(row.withdrawn_at is not None, data.reason).require()
    before = {"institution_id": row.institution_id, "reason": row.reason, "declared_on": row.declared_on.isoformat(),
              "declared_by": row.declared_by, "standing": True}
    row.withdrawn_at, row.withdrawn_by, row.withdrawal_reason = utcnow(), caller.user.username, data.reason.strip()
    session.flush()
    audit.record(session, actor=caller.actor, action="supervision.inspections.conflict_withdrawn",
                 target_type="inspector", target_id=row.inspector_id, basis=rules.WITHDRAW_BASIS, before=before,
                 after={"institution_id": row.institution_id, "standing": False, "conflict_id": row.id,
                        "withdrawal_reason": row.withdrawal_reason})
    return row


def create_plan(session: Session, *, caller: Caller, data: PlanIn) -> InspectionPlan:
    """A plan from the items list; the proportions, inspectors per inspection and delay default to the policy file.
    The seed is fixed now and its SHA-256 published at once, so the draw cannot be re-rolled unseen."""
    check_supervisor(session, caller)
    defaults = files.defaults()
    known = files.items().codes()
    problems = [FieldError(f"items[{i}]", f"不在抽查事项清单中：{c}", f"Not in the items list: {c}")
                for i, c in enumerate(data.items) if c not in known]
    if len(set(data.items)) != len(data.items):
        problems.append(FieldError("items", "事项重复", "An item is repeated"))
    shares = data.proportions.model_dump() if data.proportions else dict(defaults.proportions)
    for grade in rules.GRADES:
        decision = rules.proportion(shares[grade], f"proportions.{grade}")[1]
        if not decision.allowed:
            problems.append(FieldError(decision.field or grade, decision.zh, decision.en))
    per = data.inspectors_per_inspection or defaults.inspectors_per_inspection
    two = rules.check_per_inspection(per)
    if not two.allowed:
        problems.append(FieldError("inspectors_per_inspection", two.zh, two.en))
    if problems:
        raise DomainError("输入有误", "Invalid input", 422, problems)
    seed = data.seed or secrets.token_hex(32)
    delay = defaults.publication_delay_working_days if data.publication_delay is None else data.publication_delay
    row = InspectionPlan(title=data.title.strip(), items=list(data.items), proportions={g: str(shares[g]).strip()
                                                                                        for g in rules.GRADES},
                         inspectors_per_inspection=per, publication_delay=delay, seed=seed,
                         seed_sha256=hashlib.sha256(seed.encode("utf-8")).hexdigest(), status="draft", version=1,
                         drawn_by="", created_by=caller.user.username, created_at=utcnow())
    session.add(row)
    session.flush()
    audit.record(session, actor=caller.actor, action="supervision.inspections.plan", target_type="inspection_plan",
                 target_id=row.id, basis=rules.DRAW_BASIS, after={
                     "title": row.title, "items": row.items, "proportions": row.proportions,
                     "inspectors_per_inspection": per, "publication_delay": delay, "seed_sha256": row.seed_sha256})
    return row


def draw(session: Session, *, caller: Caller, plan_id: int) -> InspectionPlan:
    """抽取: institutions by grade and inspectors (recusal applied) by rules.draw; the record is kept whole."""
    check_supervisor(session, caller)
    plan = repository.plan(session, plan_id)
    rules.FLOW.step(plan.status, "draw").require()
    candidates: dict[str, list[int]] = {g: [] for g in rules.GRADES}
    for inst in institutions.all_ordered(session):
        candidates.setdefault(inst.risk, []).append(inst.id)
    conflicts: dict[int, set[int]] = {}
    for c in repository.standing_conflicts(session):  # a withdrawn declaration no longer recuses
        conflicts.setdefault(c.institution_id, set()).add(c.inspector_id)
    pool = [i.id for i in repository.inspectors(session, active_only=True)]
    result, decision = rules.draw(plan.seed, candidates, plan.proportions, pool, conflicts,
                                  plan.inspectors_per_inspection)
    decision.require()
    assert result is not None
    record = result.to_dict()
    move(session, plan, rules.FLOW.target(plan.status, "draw"), what_zh="该计划", what_en="this plan",
         draw=record, drawn_at=utcnow(), drawn_by=caller.user.username)
    for n, d in enumerate(result.selection, 1):
        session.add(Inspection(plan_id=plan.id, institution_id=d.institution_id, grade=d.grade, position=n,
                               inspectors=list(d.inspectors), result_note="", recorded_by=""))
    session.flush()
    audit.record(session, actor=caller.actor, action="supervision.inspections.draw", target_type="inspection_plan",
                 target_id=plan.id, basis=rules.DRAW_BASIS, after={
                     "algorithm": rules.ALGORITHM, "seed_sha256": plan.seed_sha256,
                     "selection": record["selection"]})
    return plan


def record_result(session: Session, *, caller: Caller, plan_id: int, inspection_id: int,
                  data: ResultIn) -> Inspection:
    check_supervisor(session, caller)
    plan = repository.plan(session, plan_id)
    rules.FLOW.step(plan.status, "result").require()
    row = repository.inspection(session, plan_id, inspection_id)
    on = data.on or today_local()
    if on > today_local():
        raise invalid("on", "检查日期不得晚于今天", "The day cannot be in the future")
    before = {"result": row.result}
    row.result, row.result_note, row.result_on, row.recorded_by = data.result, data.note.strip(), on, \
        caller.user.username
    session.flush()
    audit.record(session, actor=caller.actor, action="supervision.inspections.result", target_type="inspection",
                 target_id=row.id, basis=rules.PUBLISH_BASIS, before=before,
                 after={"plan": plan.id, "institution_id": row.institution_id, "result": row.result,
                        "on": on.isoformat()})
    return row


def close(session: Session, *, caller: Caller, plan_id: int) -> InspectionPlan:
    """结束: every inspection has its result; results, seed and draw become public ``publication_delay`` working
    days later (platform default 20, data/supervision/inspection_policy.yaml)."""
    check_supervisor(session, caller)
    plan = repository.plan(session, plan_id)
    rules.FLOW.step(plan.status, "close").require()
    rules.may_close([i.result for i in repository.inspections_of(session, plan.id)]).require()
    today = today_local()
    span = working_days(session).add(today, plan.publication_delay)
    move(session, plan, rules.FLOW.target(plan.status, "close"), what_zh="该计划", what_en="this plan",
         closed_on=today, publish_on=span.end)
    audit.record(session, actor=caller.actor, action="supervision.inspections.close", target_type="inspection_plan",
                 target_id=plan.id, basis=rules.PUBLISH_BASIS, after={
                     "closed_on": today.isoformat(), "publish_on": span.end.isoformat(),
                     "working_days": plan.publication_delay, "provisional": span.provisional})
    return plan


@dataclass(frozen=True)
class PlanView:
    plan: InspectionPlan
    inspections: list[Inspection]
    institutions: dict
    inspectors: dict
    published: bool
    full: bool  # the caller sees everything (the 区卫生健康委), or the public after publication


def is_supervisor(session: Session, caller: Caller | None) -> bool:
    if caller is None:
        return False
    try:
        check_supervisor(session, caller)
    except DomainError:
        return False
    return True


def plan_view(session: Session, plan: InspectionPlan, caller: Caller | None) -> PlanView:
    published = rules.is_published(plan.publish_on, today_local())
    full = published or is_supervisor(session, caller)
    rows = repository.inspections_of(session, plan.id) if full else []
    people = {j for r in rows for j in r.inspectors} | (set((plan.draw or {}).get("inspectors", [])) if full else set())
    insts = {r.institution_id for r in rows}
    return PlanView(plan, rows, institutions.institutions_by_id(session, insts),
                    repository.inspectors_by_id(session, people), published, full)
