"""The warning lifecycle (东政发〔2022〕3号 §3.2): loads through repository.py, asks rules.py, writes, audits,
enqueues — never commits.

Every step is one move along ``rules.FLOW`` (``core.transition.move``: a conditional UPDATE on id + status + version):
of two approvers acting at once, one changes the state and the other gets 409 (on PostgreSQL the row is also locked
``FOR UPDATE``; on SQLite ``BEGIN IMMEDIATE`` already serialises writers). Who may take a step is authority.py's
facts put to rules.py.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.audit.models import AuditEntry
from dongcheng.auth.service import Caller
from dongcheng.core.basis import Basis
from dongcheng.core.db import get_or_404
from dongcheng.core.errors import not_found
from dongcheng.core.time import utcnow
from dongcheng.core.transition import move
from dongcheng.directory.models import Unit
from dongcheng.directory.service import find_unit, list_units
from dongcheng.emergency.warnings import dissemination, repository, rules
from dongcheng.emergency.warnings.authority import (
    acting_of,
    allowed_actions,
    can_see,
    change_level_approvers,
    issuer_of,
    required_approver,
)
from dongcheng.emergency.warnings.enums import Action, Level, Status
from dongcheng.emergency.warnings.models import (
    EarlyWarning,
    WarningChecklistItem,
    WarningFiling,
    WarningLevelChange,
    WarningMessage,
    WarningNotice,
)
from dongcheng.emergency.warnings.schemas import WarningCreate, WarningUpdate
from dongcheng.reference.models import EventType
from dongcheng.reference.service import find_event_type

TARGET = "warning"


# --- reading ------------------------------------------------------------------------------------------------


def get_warning(session: Session, warning_id: int, caller: Caller | None) -> EarlyWarning:
    warning = repository.get_warning(session, warning_id)
    if warning is None or not can_see(session, warning, caller):
        # An internal warning is not acknowledged outside its industry (§3.2.3(3)).
        raise not_found("预警", "warning", warning_id)
    return warning


def list_warnings(session: Session, caller: Caller | None, *, status: str | None = None) -> list[EarlyWarning]:
    return [w for w in repository.warnings(session, status=status) if can_see(session, w, caller)]


def public_warnings(session: Session) -> list[EarlyWarning]:
    """The published, unlifted public warnings (SPEC §4 ``GET /api/public/warnings``)."""
    return repository.public_published(session)


def inbox(session: Session, caller: Caller) -> list[tuple[EarlyWarning, str]]:
    """What waits for this caller: approvals (by post or unit), publications, and drafts of their unit."""
    acting = acting_of(session, caller)
    out: list[tuple[EarlyWarning, str]] = []
    for w in repository.in_progress(session):
        if w.status == Status.SUBMITTED and rules.may_approve(required_approver(session, w), acting).allowed:
            out.append((w, "approve"))
        elif w.status == Status.APPROVED and rules.may_publish(w.public, w.drafting_unit.name, acting).allowed:
            out.append((w, "publish"))
        elif w.status == Status.DRAFT and rules.may_submit(w.drafting_unit.name, acting).allowed:
            out.append((w, "submit"))
    return out


def returns_of(session: Session, warning: EarlyWarning) -> list[AuditEntry]:
    """Every time the proposal was sent back, with who and why (kept in the audit trail, newest last)."""
    return repository.audit_entries(session, action="warnings.return", target_type=TARGET, target_id=warning.id)


def history(session: Session, warning: EarlyWarning) -> dict:
    return repository.history(session, warning.id)


@dataclass(frozen=True)
class WarningFacts:
    """What a warning's JSON shows beyond its own row, read for one caller (views.warning_dict shapes it).

    ``history``, ``messages`` and ``coverage`` are read only for the detail (``history`` is None in a list row).
    """

    approver: rules.Approver
    allowed_actions: tuple[str, ...]
    returns: tuple[AuditEntry, ...]
    history: dict | None = None
    messages: tuple[WarningMessage, ...] = ()
    coverage: dict | None = None


def warning_facts(session: Session, warning: EarlyWarning, caller: Caller | None, *,
                  detail: bool = True) -> WarningFacts:
    facts = WarningFacts(required_approver(session, warning), tuple(allowed_actions(session, warning, caller)),
                         tuple(returns_of(session, warning)))
    if not detail:
        return facts
    return replace(facts, history=history(session, warning),
                   messages=tuple(dissemination.messages_of(session, warning)),
                   coverage=dissemination.coverage(session, warning))


# --- drafting -----------------------------------------------------------------------------------------------


def _resolve_content(session: Session, event_type: str | None, streets: list[str] | None) -> tuple[
        EventType | None, list[str] | None]:
    """The event type and the affected streets by their canonical names; a 422 naming each unknown one."""
    et = find_event_type(session, event_type) if event_type else None
    found: list[tuple[str, Unit | None]] = []
    if streets is not None:
        known = {u.name: u for u in list_units(session, "street")}
        known.update({u.name: u for u in list_units(session, "key_area")})
        found = [(s, known.get(s) or find_unit(session, s)) for s in streets]
    rules.valid_content((event_type, et is not None) if event_type else None,
                        [(s, unit.kind if unit else None) for s, unit in found]).require()
    names = None if streets is None else list(dict.fromkeys(unit.name for _, unit in found))
    return et, names


def _snapshot(w: EarlyWarning) -> dict:
    return {"status": w.status, "level": w.level, "public": w.public, "title": w.title,
            "event_type": w.event_type.name if w.event_type else None, "area_streets": list(w.area_streets or ()),
            "starts_at": w.starts_at, "expected_duration_hours": w.expected_duration_hours}


def create_draft(session: Session, *, caller: Caller, data: WarningCreate) -> EarlyWarning:
    decision = rules.may_draft(acting_of(session, caller))
    decision.require()
    et, streets = _resolve_content(session, data.event_type, data.area_streets)
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
    decision = rules.may_edit(warning.drafting_unit.name, Status(warning.status), acting_of(session, caller))
    decision.require()
    et, streets = _resolve_content(session, data.event_type, data.area_streets)
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
                 basis=decision.basis, before=before, after=_snapshot(warning))
    return warning


# --- the steps ----------------------------------------------------------------------------------------------


def _load_for_update(session: Session, warning_id: int, caller: Caller) -> EarlyWarning:
    """The warning, locked. A step without authority answers 403 (SPEC §4), not 404 — except on an internal warning
    the caller cannot see (§3.2.3(3): kept within its industry): 404 as for reading it, so a refusal naming its
    level or its approver does not tell an outsider that it exists."""
    warning = repository.lock_warning(session, warning_id)
    if warning is None or (not warning.public and not can_see(session, warning, caller)):
        raise not_found("预警", "warning", warning_id)
    return warning


def _in_order(warning: EarlyWarning, action: Action) -> None:
    rules.FLOW.step(warning.status, action).require()  # 409 when the state table has no such step from here


def _move(session: Session, warning: EarlyWarning, action: Action, **values) -> None:
    """One step along the state table: 409 if out of order or if someone else moved the warning first."""
    _in_order(warning, action)
    move(session, warning, rules.FLOW.target(warning.status, action), what_zh="该预警", what_en="this warning",
         **values)


def _require_complete(warning: EarlyWarning) -> None:
    rules.content_complete(rules.content_of(warning)).require()


def _signature(caller: Caller) -> str:
    return caller.user.person.name if caller.user.person else caller.user.display_name


def submit(session: Session, *, caller: Caller, warning_id: int) -> EarlyWarning:
    """提出预警建议: the drafting unit sends it for approval; orange/red go to the 区应急办 (§3.2.3(2))."""
    warning = _load_for_update(session, warning_id, caller)
    rules.may_submit(warning.drafting_unit.name, acting_of(session, caller)).require()
    _in_order(warning, Action.SUBMIT)
    _require_complete(warning)
    approver = required_approver(session, warning)
    _move(session, warning, Action.SUBMIT, submitted_at=utcnow())
    audit.record(session, actor=caller.actor, action="warnings.submit", target_type=TARGET, target_id=warning.id,
                 basis=approver.basis, before={"status": Status.DRAFT.value},
                 after={"status": warning.status, "required_approver": approver.to_dict()})
    return warning


def approve(session: Session, *, caller: Caller, warning_id: int) -> EarlyWarning:
    """红色由区长批准，橙色由分管区领导批准，黄色、蓝色由起草单位审批 (§3.2.3(2))."""
    warning = _load_for_update(session, warning_id, caller)
    approver = required_approver(session, warning)
    rules.may_approve(approver, acting_of(session, caller)).require()
    _in_order(warning, Action.APPROVE)
    _require_complete(warning)
    who = f"{_signature(caller)}（{approver.post}）"
    _move(session, warning, Action.APPROVE, approved_at=utcnow(), approved_by=who)
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
    _in_order(warning, Action.RETURN)
    rules.return_reason(reason).require()
    _move(session, warning, Action.RETURN, submitted_at=None)
    audit.record(session, actor=caller.actor, action="warnings.return", target_type=TARGET, target_id=warning.id,
                 basis=decision.basis, before={"status": Status.SUBMITTED.value},
                 after={"status": warning.status, "reason": reason.strip(), "by": _signature(caller)})
    return warning


def _units(session: Session, names: list[str]) -> list[Unit]:
    return [u for u in (find_unit(session, n) for n in names) if u is not None]


def _add_checklists(session: Session, warning: EarlyWarning, lists: tuple[str, ...]) -> int:
    existing = repository.checklist_keys(session, warning.id)
    added = 0
    for unit in _units(session, warning.concerned_units):
        for list_name in lists:
            for item in repository.measure_items(session, list_name):
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
    notice_basis = rules.notice_basis(action)
    for unit in _units(session, warning.concerned_units):
        session.add(WarningNotice(warning_id=warning.id, unit_id=unit.id, action=action.value, text=text, at=now,
                                  basis=str(notice_basis)))
    session.flush()


def _issuing_unit(session: Session, warning: EarlyWarning) -> tuple[str, Basis, Unit | None]:
    """发布单位 (§3.2.4): the rule picks the drafting unit or the 区应急办, whose seat the directory names."""
    office = find_unit(session, rules.EMERGENCY_OFFICE_ALIAS)
    name, basis = rules.issuing_unit(Level(warning.level), warning.public, warning.drafting_unit.name,
                                     office.name if office else rules.EMERGENCY_OFFICE_ALIAS)
    unit = office if office is not None and name == office.name else find_unit(session, name)
    return name, basis, unit


def publish(session: Session, *, caller: Caller, warning_id: int) -> EarlyWarning:
    """Public: only through the 区预警信息发布中心; internal: by the drafting unit in its industry (§3.2.3(3))."""
    warning = _load_for_update(session, warning_id, caller)
    decision = rules.may_publish(warning.public, warning.drafting_unit.name, acting_of(session, caller))
    decision.require()
    _in_order(warning, Action.PUBLISH)
    _require_complete(warning)
    level = Level(warning.level)
    issuer_name, issuer_basis, issuer = _issuing_unit(session, warning)
    leads = tuple(lead.unit.name for lead in warning.event_type.leads) if warning.event_type else ()
    concerned = rules.units_concerned(warning.drafting_unit.name, leads, tuple(warning.area_streets or ()))
    now = utcnow()
    _move(session, warning, Action.PUBLISH, published_at=now, published_by=caller.actor.username,
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
    approver = change_level_approvers(session, warning, [level])[level]
    rules.may_approve(approver, acting_of(session, caller)).require()
    _in_order(warning, Action.CHANGE_LEVEL)
    rules.level_change(old, level).require()
    _move(session, warning, Action.CHANGE_LEVEL, level=level.value)
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
    decision = rules.may_lift(issuer_of(warning), acting_of(session, caller))
    decision.require()
    _move(session, warning, Action.LIFT, lifted_at=utcnow(), lifted_by=caller.actor.username, lift_reason=reason)
    _file_and_notify(session, warning, Action.LIFT, f"解除{warning.level}预警：{warning.title}。{reason}")
    message = dissemination.new_message(session, warning, Action.LIFT)
    audit.record(session, actor=caller.actor, action="warnings.lift", target_type=TARGET, target_id=warning.id,
                 basis=decision.basis, before={"status": Status.PUBLISHED.value},
                 after={"status": warning.status, "reason": reason, "cap_identifier": message.identifier})
    return warning


def tick_checklist_item(session: Session, *, caller: Caller, item_id: int, note: str) -> WarningChecklistItem:
    """A unit concerned ticks one of its §3.2.5 measures (who/when/note)."""
    item = get_or_404(session, WarningChecklistItem, item_id, "措施清单项", "checklist item")
    rules.may_tick(item.unit.name, item.done_at is not None, acting_of(session, caller)).require()
    item.done_at, item.done_by, item.note = utcnow(), caller.actor.username, note
    session.flush()
    audit.record(session, actor=caller.actor, action="warnings.checklist_tick", target_type="warning_checklist_item",
                 target_id=item.id, basis=item.clause, after={"warning_id": item.warning_id, "note": note})
    return item
