"""The warning lifecycle (东政发〔2022〕3号 §3.2): loads, asks rules.py, writes, audits, enqueues — never commits.

Every step is one conditional UPDATE ``… WHERE status = <the status it was read in>``: of two approvers acting at
once, one changes the state and the other gets 409 (on PostgreSQL the row is also locked ``FOR UPDATE``; on SQLite
``BEGIN IMMEDIATE`` already serialises writers).
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.audit.models import AuditEntry
from dongcheng.auth.service import Caller
from dongcheng.core.db import get_or_404
from dongcheng.core.errors import DomainError, FieldError, conflict, forbidden, not_found
from dongcheng.core.time import today_local, utcnow
from dongcheng.directory.models import Unit
from dongcheng.directory.service import find_post, find_unit, holders_of, list_units, supervising_leader
from dongcheng.emergency.warnings import dissemination, rules
from dongcheng.emergency.warnings.enums import Action, Level, Status
from dongcheng.emergency.warnings.models import (
    EarlyWarning,
    WarningChecklistItem,
    WarningFiling,
    WarningLevelChange,
    WarningNotice,
)
from dongcheng.emergency.warnings.schemas import WarningCreate, WarningUpdate
from dongcheng.reference.models import EventType, ReferenceItem
from dongcheng.reference.service import find_event_type

TARGET = "warning"


# --- who is acting, who must approve ------------------------------------------------------------------------


def acting_of(session: Session, caller: Caller | None) -> rules.Acting | None:
    if caller is None:
        return None
    unit = caller.unit
    parent = session.get(Unit, unit.parent_id) if unit is not None and unit.parent_id else None
    return rules.Acting(caller.user.role, unit.name if unit else None, parent.name if parent else None,
                        frozenset(p.code for p in caller.posts))


def _leaders(session: Session, warning: EarlyWarning, on: date) -> tuple[rules.Leader | None, rules.Leader | None]:
    """The 区长 and the drafting unit's 分管区领导 as the directory has them on ``on`` (authority follows the post)."""
    mayor = None
    post = find_post(session, rules.MAYOR_POST)
    if post is not None:
        holders = holders_of(session, post, on)
        mayor = rules.Leader(post.code, post.title, holders[0][0].name if holders else None)
    sup = supervising_leader(session, warning.drafting_unit, on)
    supervisor = None
    if sup.leader is not None:
        supervisor = rules.Leader(sup.leader.post_code, sup.leader.post_title, sup.leader.person, sup.basis)
    return mayor, supervisor


def required_approver(session: Session, warning: EarlyWarning, on: date | None = None) -> rules.Approver:
    mayor, supervisor = _leaders(session, warning, on or today_local())
    return rules.required_approver(Level(warning.level), warning.drafting_unit.name, mayor=mayor, supervisor=supervisor)


def content_of(warning: EarlyWarning) -> rules.Content:
    return rules.Content(warning.category, Level(warning.level), warning.starts_at, warning.expected_duration_hours,
                         tuple(warning.area_streets or ()), warning.precautions, warning.measures)


# --- reading ------------------------------------------------------------------------------------------------


def _is_approver(session: Session, warning: EarlyWarning, acting: rules.Acting | None) -> bool:
    if acting is None or acting.role != "leader" or warning.status == Status.DRAFT:
        return False  # the approver sees a warning from its submission on
    return rules.may_approve(required_approver(session, warning), acting).allowed


def can_see(session: Session, warning: EarlyWarning, caller: Caller | None) -> bool:
    acting = acting_of(session, caller)
    return rules.visible(public=warning.public, status=Status(warning.status), drafting_unit=warning.drafting_unit.name,
                         concerned=tuple(warning.concerned_units or ()), acting=acting,
                         is_approver=_is_approver(session, warning, acting))


def get_warning(session: Session, warning_id: int, caller: Caller | None) -> EarlyWarning:
    warning = session.get(EarlyWarning, warning_id)
    if warning is None or not can_see(session, warning, caller):
        # An internal warning is not acknowledged outside its industry (§3.2.3(3)).
        raise not_found("预警", "warning", warning_id)
    return warning


def list_warnings(session: Session, caller: Caller | None, *, status: str | None = None) -> list[EarlyWarning]:
    stmt = select(EarlyWarning).order_by(EarlyWarning.id.desc())
    if status:
        stmt = stmt.where(EarlyWarning.status == status)
    return [w for w in session.scalars(stmt) if can_see(session, w, caller)]


def public_warnings(session: Session) -> list[EarlyWarning]:
    """The published, unlifted public warnings (SPEC §4 ``GET /api/public/warnings``)."""
    return list(session.scalars(
        select(EarlyWarning).where(EarlyWarning.status == Status.PUBLISHED, EarlyWarning.public.is_(True))
        .order_by(EarlyWarning.published_at.desc(), EarlyWarning.id.desc())
    ))


def inbox(session: Session, caller: Caller) -> list[tuple[EarlyWarning, str]]:
    """What waits for this caller: approvals (by post or unit), publications, and drafts of their unit."""
    acting = acting_of(session, caller)
    out: list[tuple[EarlyWarning, str]] = []
    stmt = select(EarlyWarning).where(EarlyWarning.status.in_([Status.DRAFT, Status.SUBMITTED, Status.APPROVED]))
    for w in session.scalars(stmt.order_by(EarlyWarning.id)):
        if w.status == Status.SUBMITTED and rules.may_approve(required_approver(session, w), acting).allowed:
            out.append((w, "approve"))
        elif w.status == Status.APPROVED and rules.may_publish(w.public, w.drafting_unit.name, acting).allowed:
            out.append((w, "publish"))
        elif w.status == Status.DRAFT and acting.in_unit(w.drafting_unit.name):
            out.append((w, "submit"))
    return out


# --- writing ------------------------------------------------------------------------------------------------


def _resolve_content(session: Session, event_type: str | None, streets: list[str] | None) -> tuple[
        EventType | None, list[str] | None, list[FieldError]]:
    errors: list[FieldError] = []
    et = None
    if event_type:
        et = find_event_type(session, event_type)
        if et is None:
            errors.append(FieldError("event_type", f"未知的事件类型“{event_type}”（见表 §2.3.6）",
                                     f"unknown event type {event_type!r} (table §2.3.6)"))
    names = None
    if streets is not None:
        known = {u.name: u for u in list_units(session, "street")}
        known.update({u.name: u for u in list_units(session, "key_area")})
        names = []
        for s in streets:
            unit = known.get(s) or find_unit(session, s)
            if unit is None or unit.kind not in ("street", "key_area"):
                errors.append(FieldError("area_streets", f"“{s}”不是东城区的街道（§2.4）", f"{s!r} is not a Dongcheng street"))
            elif unit.name not in names:
                names.append(unit.name)
    return et, names, errors


def _snapshot(w: EarlyWarning) -> dict:
    return {"status": w.status, "level": w.level, "public": w.public, "title": w.title,
            "event_type": w.event_type.name if w.event_type else None, "area_streets": list(w.area_streets or ()),
            "starts_at": w.starts_at, "expected_duration_hours": w.expected_duration_hours}


def create_draft(session: Session, *, caller: Caller, data: WarningCreate) -> EarlyWarning:
    acting = acting_of(session, caller)
    decision = rules.may_draft(acting)
    if not decision.allowed:
        raise forbidden(decision.zh, decision.en)
    et, streets, errors = _resolve_content(session, data.event_type, data.area_streets)
    if errors:
        raise DomainError("输入有误", "Invalid input", 422, errors)
    warning = EarlyWarning(
        level=data.level.value, status=Status.DRAFT.value, public=data.public, title=data.title.strip(),
        event_type_id=et.id if et else None, category=et.category if et else None, starts_at=data.starts_at,
        expected_duration_hours=data.expected_duration_hours, area_streets=streets or [],
        precautions=data.precautions.strip(), measures=data.measures.strip(), drafting_unit_id=caller.unit.id,
        created_by=caller.user.username, created_at=utcnow(), version=1, concerned_units=[], lift_reason="",
    )
    session.add(warning)
    session.flush()
    session.refresh(warning)
    audit.record(session, actor=caller.actor, action="warnings.draft", target_type=TARGET, target_id=warning.id,
                 basis=decision.basis, after=_snapshot(warning))
    return warning


def update_draft(session: Session, *, caller: Caller, warning_id: int, data: WarningUpdate) -> EarlyWarning:
    warning = _load_for_update(session, warning_id, caller)
    acting = acting_of(session, caller)
    if not acting.in_unit(warning.drafting_unit.name):
        raise forbidden("只有起草单位可以修改草稿", "Only the drafting unit may edit its draft")
    if warning.status != Status.DRAFT:
        raise conflict("只能修改草稿", "Only a draft can be edited")
    et, streets, errors = _resolve_content(session, data.event_type, data.area_streets)
    if errors:
        raise DomainError("输入有误", "Invalid input", 422, errors)
    before = _snapshot(warning)
    fields = data.model_dump(exclude_unset=True)
    if "event_type" in fields:
        warning.event_type_id, warning.category = (et.id, et.category) if et else (None, None)
    if streets is not None:
        warning.area_streets = streets
    for name in ("title", "starts_at", "expected_duration_hours", "precautions", "measures", "public"):
        if name in fields and fields[name] is not None:
            setattr(warning, name, fields[name])
    if fields.get("level"):
        warning.level = Level(fields["level"]).value
    session.flush()
    session.refresh(warning)
    audit.record(session, actor=caller.actor, action="warnings.edit", target_type=TARGET, target_id=warning.id,
                 basis=rules.clause("§3.2.4"), before=before, after=_snapshot(warning))
    return warning


def _load_for_update(session: Session, warning_id: int, caller: Caller) -> EarlyWarning:
    stmt = select(EarlyWarning).where(EarlyWarning.id == warning_id).execution_options(populate_existing=True)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=EarlyWarning)
    warning = session.scalar(stmt)
    if warning is None:
        raise not_found("预警", "warning", warning_id)
    return warning  # no visibility filter here: a step without authority answers 403 (SPEC §4), not 404


def _check_step(warning: EarlyWarning, action: Action) -> Status:
    target = rules.next_status(Status(warning.status), action)
    if target is None:
        raise conflict(f"当前状态（{warning.status}）不能执行此步骤（{action.value}）",
                       f"Step {action.value} is out of order for a warning in status {warning.status}")
    return target


def _transition(session: Session, warning: EarlyWarning, action: Action, **values) -> Status:
    """Move along the state table with a conditional UPDATE; 409 if out of order or someone else moved first."""
    target = _check_step(warning, action)
    result = session.execute(
        update(EarlyWarning)
        .where(EarlyWarning.id == warning.id, EarlyWarning.status == warning.status,
               EarlyWarning.version == warning.version)
        .values(status=target.value, version=EarlyWarning.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise conflict("该预警已被他人处理，请刷新", "Someone else acted on this warning first; reload")
    session.refresh(warning)
    return target


def _require_complete(warning: EarlyWarning) -> None:
    missing, _ = rules.missing_content(content_of(warning))
    if missing:
        raise DomainError("预警信息内容不全（§3.2.4）", "The warning lacks §3.2.4 content", 422,
                          [FieldError(m.field, m.zh, m.en) for m in missing])


def submit(session: Session, *, caller: Caller, warning_id: int) -> EarlyWarning:
    """提出预警建议: the drafting unit sends it for approval; orange/red go to the 区应急办 (§3.2.3(2))."""
    warning = _load_for_update(session, warning_id, caller)
    if not acting_of(session, caller).in_unit(warning.drafting_unit.name):
        raise forbidden("只有起草单位可以报送", "Only the drafting unit may submit its warning")
    _check_step(warning, Action.SUBMIT)
    _require_complete(warning)
    approver = required_approver(session, warning)
    _transition(session, warning, Action.SUBMIT, submitted_at=utcnow())
    audit.record(session, actor=caller.actor, action="warnings.submit", target_type=TARGET, target_id=warning.id,
                 basis=approver.basis, before={"status": Status.DRAFT.value},
                 after={"status": warning.status, "required_approver": approver.to_dict()})
    return warning


def approve(session: Session, *, caller: Caller, warning_id: int) -> EarlyWarning:
    """红色由区长批准，橙色由分管区领导批准，黄色、蓝色由起草单位审批 (§3.2.3(2))."""
    warning = _load_for_update(session, warning_id, caller)
    approver = required_approver(session, warning)
    rules.may_approve(approver, acting_of(session, caller)).require()
    _check_step(warning, Action.APPROVE)
    _require_complete(warning)
    who = f"{_signature(caller)}（{approver.post}）"
    _transition(session, warning, Action.APPROVE, approved_at=utcnow(), approved_by=who)
    audit.record(session, actor=caller.actor, action="warnings.approve", target_type=TARGET, target_id=warning.id,
                 basis=approver.basis, before={"status": Status.SUBMITTED.value},
                 after={"status": warning.status, "approved_by": who})
    return warning


def return_for_revision(session: Session, *, caller: Caller, warning_id: int, reason: str) -> EarlyWarning:
    """退回修改: the approver, or for orange/red the 区应急办 running approval, sends the proposal back to the
    drafting unit with a reason; it is a draft again, to be edited and submitted anew (§3.2.3(2)).
    """
    warning = _load_for_update(session, warning_id, caller)
    decision = rules.may_return(required_approver(session, warning), Level(warning.level), acting_of(session, caller))
    decision.require()
    _check_step(warning, Action.RETURN)
    if not reason.strip():
        raise DomainError("输入有误", "Invalid input", 422,
                          [FieldError("reason", "退回须写明理由，起草单位据此修改", "a return needs a reason for the drafter")])
    _transition(session, warning, Action.RETURN, submitted_at=None)
    audit.record(session, actor=caller.actor, action="warnings.return", target_type=TARGET, target_id=warning.id,
                 basis=decision.basis, before={"status": Status.SUBMITTED.value},
                 after={"status": warning.status, "reason": reason.strip(), "by": _signature(caller)})
    return warning


def returns_of(session: Session, warning: EarlyWarning) -> list[AuditEntry]:
    """Every time the proposal was sent back, with who and why (kept in the audit trail, newest last)."""
    return list(session.scalars(select(AuditEntry).where(
        AuditEntry.action == "warnings.return", AuditEntry.target_type == TARGET,
        AuditEntry.target_id == str(warning.id)).order_by(AuditEntry.id)))


def _signature(caller: Caller) -> str:
    return caller.user.person.name if caller.user.person else caller.user.display_name


def _measure_items(session: Session, list_name: str) -> list[ReferenceItem]:
    return list(session.scalars(select(ReferenceItem).where(ReferenceItem.list_name == f"warning_measures.{list_name}")
                                .order_by(ReferenceItem.seq)))


def _units(session: Session, names: list[str]) -> list[Unit]:
    return [u for u in (find_unit(session, n) for n in names) if u is not None]


def _add_checklists(session: Session, warning: EarlyWarning, lists: tuple[str, ...]) -> int:
    existing = set(session.execute(select(WarningChecklistItem.unit_id, WarningChecklistItem.list_name,
                                          WarningChecklistItem.seq).where(WarningChecklistItem.warning_id == warning.id)))
    added = 0
    for unit in _units(session, warning.concerned_units):
        for list_name in lists:
            for item in _measure_items(session, list_name):
                if (unit.id, list_name, item.seq) in existing:
                    continue
                session.add(WarningChecklistItem(warning_id=warning.id, unit_id=unit.id, list_name=list_name,
                                                 seq=item.seq, text=item.text, clause=item.clause, note=""))
                added += 1
    session.flush()
    return added


def _file_and_notify(session: Session, warning: EarlyWarning, action: Action, text: str) -> None:
    targets, basis = rules.filing_targets(action, Level(warning.level))
    now = utcnow()
    session.add(WarningFiling(warning_id=warning.id, action=action.value, level=warning.level, filed_with=list(targets),
                              at=now, basis=str(basis)))
    notice_basis = rules.clause("§3.2.7", "通报相关部门") if action == Action.LIFT else rules.clause("§3.2.5")
    for unit in _units(session, warning.concerned_units):
        session.add(WarningNotice(warning_id=warning.id, unit_id=unit.id, action=action.value, text=text, at=now,
                                  basis=str(notice_basis)))
    session.flush()


def publish(session: Session, *, caller: Caller, warning_id: int) -> EarlyWarning:
    """Public: only through the 区预警信息发布中心; internal: by the drafting unit in its industry (§3.2.3(3))."""
    warning = _load_for_update(session, warning_id, caller)
    decision = rules.may_publish(warning.public, warning.drafting_unit.name, acting_of(session, caller))
    decision.require()
    _check_step(warning, Action.PUBLISH)
    _require_complete(warning)
    level = Level(warning.level)
    issuer_name, issuer_basis = rules.issuing_unit(level, warning.public, warning.drafting_unit.name)
    issuer = find_unit(session, issuer_name)
    leads = tuple(lead.unit.name for lead in warning.event_type.leads) if warning.event_type else ()
    concerned = rules.units_concerned(warning.drafting_unit.name, leads, tuple(warning.area_streets or ()))
    now = utcnow()
    _transition(session, warning, Action.PUBLISH, published_at=now, published_by=caller.actor.username,
                issuing_unit_id=issuer.id if issuer else None, concerned_units=list(concerned))
    lists, measures_basis = rules.response_measure_lists(level)
    items = _add_checklists(session, warning, lists)
    _file_and_notify(session, warning, Action.PUBLISH, f"发布{level.value}预警：{warning.title}")
    message = dissemination.new_message(session, warning, Action.PUBLISH)
    audit.record(session, actor=caller.actor, action="warnings.publish", target_type=TARGET, target_id=warning.id,
                 basis=decision.basis, before={"status": Status.APPROVED.value},
                 after={"status": warning.status, "issuing_unit": issuer_name, "issuer_basis": str(issuer_basis),
                        "concerned_units": list(concerned), "checklist_items": items,
                        "measures_basis": str(measures_basis), "cap_identifier": message.identifier})
    return warning


def change_level(session: Session, *, caller: Caller, warning_id: int, level: Level, reason: str) -> EarlyWarning:
    """调整预警级别 (§3.2.6), with the approval authority of the higher level; recorded, filed and disseminated."""
    warning = _load_for_update(session, warning_id, caller)
    old = Level(warning.level)
    mayor, supervisor = _leaders(session, warning, today_local())
    approver = rules.change_level_approver(old, level, warning.drafting_unit.name, mayor=mayor, supervisor=supervisor)
    rules.may_approve(approver, acting_of(session, caller)).require()
    _check_step(warning, Action.CHANGE_LEVEL)
    if level == old:
        raise DomainError("输入有误", "Invalid input", 422,
                          [FieldError("level", f"预警已是{old.value}", f"the warning is already {old.value}")])
    _transition(session, warning, Action.CHANGE_LEVEL, level=level.value)
    session.add(WarningLevelChange(warning_id=warning.id, from_level=old.value, to_level=level.value, reason=reason,
                                   at=utcnow(), by=caller.actor.username, basis=str(approver.basis)))
    lists, _ = rules.response_measure_lists(level)
    added = _add_checklists(session, warning, lists)
    _file_and_notify(session, warning, Action.CHANGE_LEVEL, f"预警级别由{old.value}调整为{level.value}：{reason}")
    message = dissemination.new_message(session, warning, Action.CHANGE_LEVEL)
    audit.record(session, actor=caller.actor, action="warnings.change_level", target_type=TARGET, target_id=warning.id,
                 basis=approver.basis, before={"level": old.value}, after={
                     "level": level.value, "reason": reason, "checklist_items_added": added,
                     "cap_identifier": message.identifier})
    return warning


def lift(session: Session, *, caller: Caller, warning_id: int, reason: str) -> EarlyWarning:
    """谁发布、谁解除 (§3.2.7): only the issuing unit lifts; the units concerned are told."""
    warning = _load_for_update(session, warning_id, caller)
    issuer = warning.issuing_unit.name if warning.issuing_unit else warning.drafting_unit.name
    decision = rules.may_lift(issuer, acting_of(session, caller))
    decision.require()
    _transition(session, warning, Action.LIFT, lifted_at=utcnow(), lifted_by=caller.actor.username, lift_reason=reason)
    _file_and_notify(session, warning, Action.LIFT, f"解除{warning.level}预警：{warning.title}。{reason}")
    message = dissemination.new_message(session, warning, Action.LIFT)
    audit.record(session, actor=caller.actor, action="warnings.lift", target_type=TARGET, target_id=warning.id,
                 basis=decision.basis, before={"status": Status.PUBLISHED.value},
                 after={"status": warning.status, "reason": reason, "cap_identifier": message.identifier})
    return warning


def tick_checklist_item(session: Session, *, caller: Caller, item_id: int, note: str) -> WarningChecklistItem:
    """A unit concerned ticks one of its §3.2.5 measures (who/when/note)."""
    item = get_or_404(session, WarningChecklistItem, item_id, "措施清单项", "checklist item")
    acting = acting_of(session, caller)
    if not acting.in_unit(item.unit.name):
        raise forbidden(f"只有{item.unit.name}可以办理本单位的措施", f"Only {item.unit.name} may tick its own measures")
    if item.done_at is not None:
        raise conflict("该措施已办结", "This measure is already ticked")
    item.done_at, item.done_by, item.note = utcnow(), caller.actor.username, note
    session.flush()
    audit.record(session, actor=caller.actor, action="warnings.checklist_tick", target_type="warning_checklist_item",
                 target_id=item.id, basis=item.clause, after={"warning_id": item.warning_id, "note": note})
    return item


def ends_at(warning: EarlyWarning):
    if warning.starts_at is None or warning.expected_duration_hours is None:
        return None
    return warning.starts_at + timedelta(hours=warning.expected_duration_hours)


def history(session: Session, warning: EarlyWarning) -> dict:
    return {
        "level_changes": list(session.scalars(select(WarningLevelChange).where(
            WarningLevelChange.warning_id == warning.id).order_by(WarningLevelChange.id))),
        "filings": list(session.scalars(select(WarningFiling).where(
            WarningFiling.warning_id == warning.id).order_by(WarningFiling.id))),
        "notices": list(session.scalars(select(WarningNotice).where(
            WarningNotice.warning_id == warning.id).order_by(WarningNotice.id))),
        "checklist": list(session.scalars(select(WarningChecklistItem).where(
            WarningChecklistItem.warning_id == warning.id).order_by(
            WarningChecklistItem.unit_id, WarningChecklistItem.list_name, WarningChecklistItem.seq))),
    }


def allowed_actions(session: Session, warning: EarlyWarning, caller: Caller | None) -> list[str]:
    """What this caller may do next (for pages and the API's ``allowed_actions``); the steps re-check it all."""
    acting = acting_of(session, caller)
    if acting is None:
        return []
    status = Status(warning.status)
    out = []
    if status == Status.DRAFT and acting.in_unit(warning.drafting_unit.name):
        out += ["edit", "submit"]
    if status == Status.SUBMITTED:
        approver = required_approver(session, warning)
        if rules.may_approve(approver, acting).allowed:
            out.append("approve")
        if rules.may_return(approver, Level(warning.level), acting).allowed:
            out.append("return")
    if status == Status.APPROVED and rules.may_publish(warning.public, warning.drafting_unit.name, acting).allowed:
        out.append("publish")
    if status == Status.PUBLISHED:
        issuer = warning.issuing_unit.name if warning.issuing_unit else warning.drafting_unit.name
        if rules.may_lift(issuer, acting).allowed:
            out.append("lift")
        mayor, supervisor = _leaders(session, warning, today_local())
        for level in Level:
            if level.value == warning.level:
                continue
            approver = rules.change_level_approver(Level(warning.level), level, warning.drafting_unit.name,
                                                   mayor=mayor, supervisor=supervisor)
            if rules.may_approve(approver, acting).allowed:
                out.append(f"change_level:{level.value}")
    return out
