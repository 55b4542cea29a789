"""Checklist flows (处置措施, 东政发〔2022〕3号 §4.5): create from the category's list, tick and un-tick.

Loads through the incidents repository, asks rules.py, writes, records the audit entry — and never commits.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.auth.service import Caller
from dongcheng.core.errors import DomainError, FieldError, conflict, invalid, not_found
from dongcheng.core.time import ensure_utc, utcnow
from dongcheng.emergency.checklists import rules
from dongcheng.emergency.checklists.models import ChecklistItem, ChecklistItemChange, DisposalChecklist
from dongcheng.emergency.checklists.schemas import ChecklistIn, TickIn
from dongcheng.emergency.incidents.models import Incident
from dongcheng.emergency.incidents.service import authorize_act
from dongcheng.reference.service import list_items

CLOCK_SKEW = timedelta(minutes=2)


def get_checklist(session: Session, incident: Incident) -> DisposalChecklist | None:
    return session.scalar(select(DisposalChecklist).where(DisposalChecklist.incident_id == incident.id))


def _applies_to(session: Session) -> dict[str, list[str]]:
    """The categories each list applies to, as loaded from data/emergency/lists.yaml."""
    out: dict[str, list[str]] = {}
    for key in rules.MEASURE_LISTS:
        items = list_items(session, rules.LIST_PREFIX + key)
        out[key] = list(items[0].attrs.get("applies_to_categories", [])) if items else []
    return out


def create_checklist(session: Session, caller: Caller, incident: Incident, data: ChecklistIn,
                     now: datetime | None = None) -> DisposalChecklist:
    """Copy the §4.5 list of the incident's category (or the one asked for) into the incident's checklist."""
    now = now or utcnow()
    authorize_act(caller, incident)
    if get_checklist(session, incident) is not None:
        raise conflict("本事件已建立处置措施清单", "This incident already has a checklist")
    if incident.closed_at is not None:
        raise conflict("事件已结案", "The incident is closed")
    choice = rules.choose_list(incident.category, data.list, _applies_to(session))
    if choice.key is None:
        raise DomainError("输入有误", "Invalid input", 422, [FieldError(
            "list", "事件类别未明：请先确定事件类型（表 §2.3.6），或指定清单 natural_and_accident（§4.5.1）、"
                    "public_health（§4.5.2）、social_security（§4.5.3）",
            "the incident's category is unknown: set its event type first, or choose the list explicitly")])
    list_name = rules.LIST_PREFIX + choice.key
    checklist = DisposalChecklist(incident_id=incident.id, list_name=list_name,
                                  clause=rules.MEASURE_LISTS[choice.key][0], basis=str(choice.basis),
                                  created_at=now, created_by=caller.user.username)
    for ref in list_items(session, list_name):
        checklist.items.append(ChecklistItem(seq=ref.seq, text=ref.text, clause=ref.clause, done=False, note=""))
    session.add(checklist)
    session.flush()
    audit.record(session, actor=caller.actor, action="checklist.create", target_type="incident",
                 target_id=incident.id, basis=choice.basis,
                 after={"checklist_id": checklist.id, "list": list_name, "items": len(checklist.items),
                        "explicit": choice.explicit})
    return checklist


def tick(session: Session, caller: Caller, incident: Incident, item_id: int, data: TickIn,
         now: datetime | None = None) -> ChecklistItem:
    """Tick a measure done (who, unit, when, note) or un-tick it with a reason; both audited."""
    now = now or utcnow()
    authorize_act(caller, incident)
    checklist = get_checklist(session, incident)
    item = next((i for i in checklist.items if i.id == item_id), None) if checklist else None
    if item is None:
        raise not_found("处置措施", "checklist item of this incident", item_id)
    at = now if data.at is None else ensure_utc(data.at)
    if at > now + CLOCK_SKEW:
        raise invalid("at", "时间不能晚于当前时间", "must not be in the future")
    if at < incident.received_at:
        raise invalid("at", "时间不能早于接报时间", "must not be before the incident was received")
    refusal = rules.tick_refusal(currently_done=item.done, want_done=data.done, note=data.note)
    if refusal:
        status, field, zh, en = refusal
        raise DomainError(zh, en, status) if status == 409 else invalid(field, zh, en)
    if incident.closed_at is not None:
        raise conflict("事件已结案", "The incident is closed")
    before = {"item_id": item.id, "seq": item.seq, "done": item.done, "done_by": item.done_by,
              "done_at": item.done_at, "note": item.note}
    unit = caller.unit.name if caller.unit else ""
    if data.done:
        item.done, item.done_at, item.done_by, item.done_by_unit = True, at, caller.user.username, unit
        item.note = data.note
    else:  # the reason stays in the item's history and the audit entry
        item.done, item.done_at, item.done_by, item.done_by_unit, item.note = False, None, None, None, ""
    item.changes.append(ChecklistItemChange(done=data.done, at=at, by=caller.user.username, unit=unit, note=data.note))
    session.flush()
    audit.record(session, actor=caller.actor, action="checklist.tick" if data.done else "checklist.untick",
                 target_type="incident", target_id=incident.id, basis=item.clause, before=before,
                 after={"item_id": item.id, "seq": item.seq, "done": item.done, "at": at}, note=data.note)
    return item
