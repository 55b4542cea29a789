"""Checklist flows (处置措施, 东政发〔2022〕3号 §4.5): create from the category's list, tick and un-tick.

Loads through repository.py, asks rules.py, writes, records the audit entry — and never commits.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.auth.service import Caller
from dongcheng.core.errors import conflict, invalid, not_found
from dongcheng.core.time import CLOCK_SKEW, ensure_utc, utcnow
from dongcheng.emergency.checklists import repository, rules
from dongcheng.emergency.checklists.models import ChecklistItem, ChecklistItemChange, DisposalChecklist
from dongcheng.emergency.checklists.schemas import ChecklistIn, TickIn
from dongcheng.emergency.incidents.models import Incident
from dongcheng.emergency.incidents.service import authorize_act


def get_checklist(session: Session, incident: Incident) -> DisposalChecklist | None:
    return repository.checklist_of(session, incident)


def measure_lists(session: Session) -> dict[str, rules.MeasureList]:
    """The §4.5 lists (key → clause, categories), as data/emergency/lists.yaml has them."""
    return repository.measure_lists(session)


def create_checklist(session: Session, caller: Caller, incident: Incident, data: ChecklistIn,
                     now: datetime | None = None) -> DisposalChecklist:
    """Copy the §4.5 list of the incident's category (or the one asked for) into the incident's checklist."""
    now = now or utcnow()
    authorize_act(caller, incident)
    if get_checklist(session, incident) is not None:
        raise conflict("本事件已建立处置措施清单", "This incident already has a checklist")
    if incident.closed_at is not None:
        raise conflict("事件已结案", "The incident is closed")
    choice = rules.choose_list(incident.category, data.list, measure_lists(session))
    choice.decision.require()
    list_name = rules.LIST_PREFIX + choice.key
    checklist = DisposalChecklist(incident_id=incident.id, list_name=list_name, clause=choice.clause,
                                  basis=str(choice.basis), created_at=now, created_by=caller.user.username)
    for ref in repository.items_of(session, list_name):
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
    rules.may_tick(currently_done=item.done, want_done=data.done, note=data.note, clause=item.clause).require()
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
