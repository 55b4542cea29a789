"""JSON shaping of the preparedness module (no session): what the API and the pages show. Personal contact data is
shown only when ``contact_visible`` (registry_rules.may_see_contact: the owner unit and the 区应急办)."""
from __future__ import annotations

from typing import Any

from dongcheng.core.time import to_local
from dongcheng.emergency.preparedness import registry_rules, rules
from dongcheng.emergency.preparedness.enums import (
    ACTION_LABELS,
    MOVEMENT_LABELS,
    ORIGIN_LABELS,
    STATUS_LABELS,
    DispatchStatus,
    MovementKind,
    Origin,
)
from dongcheng.emergency.preparedness.models import DispatchEvent, DispatchRequest, StockLot, StockMovement

HIDDEN = "（仅所属单位和区应急办可见）"


def _t(value) -> str | None:
    return to_local(value).isoformat() if value else None


def dispatch_dict(d: DispatchRequest, *, approver: rules.Approver, events: list[DispatchEvent],
                  allowed: list[str], warehouse: str | None = None) -> dict:
    number = rules.dispatch_number(d.number_year, d.number_seq) if d.number_seq else None
    return {
        "id": d.id, "number": number, "status": d.status, "status_label": STATUS_LABELS[DispatchStatus(d.status)],
        "origin": d.origin, "origin_label": ORIGIN_LABELS[Origin(d.origin)], "incident_id": d.incident_id,
        "requesting_unit": d.requesting_unit.name if d.requesting_unit else None, "requesting": d.requesting_party,
        "purpose": d.purpose, "required_approver": approver.to_dict(), "approved_by": d.approved_by,
        "approved_post": d.approved_post, "approved_at": _t(d.approved_at), "returned_reason": d.returned_reason,
        "warehouse": warehouse, "issued_at": _t(d.issued_at), "received_at": _t(d.received_at),
        "entered_by": d.entered_by, "created_at": _t(d.created_at), "allowed_actions": allowed,
        "basis": str(rules.EXTERNAL if rules.is_external(d.origin) else rules.APPROVAL),
        "lines": [{"id": ln.id, "item_id": ln.item_id, "item": ln.item.name, "unit_of_measure": ln.item.unit_of_measure,
                   "quantity": ln.quantity, "destination": ln.destination, "needed_by": _t(ln.needed_by),
                   "issued": ln.issued, "received": ln.received,
                   "shortfall": rules.shortfall(ln.quantity, ln.received) if ln.received is not None else None}
                  for ln in d.lines],
        "timeline": [{"at": _t(e.at), "action": e.action, "action_label": ACTION_LABELS.get(e.action, e.action),
                      "actor": e.actor, "status_after": e.status_after,
                      "basis": e.basis, "note": e.note} for e in events],
    }


def dispatch_summary(d: DispatchRequest) -> dict:
    return {"id": d.id, "number": rules.dispatch_number(d.number_year, d.number_seq) if d.number_seq else None,
            "status": d.status, "status_label": STATUS_LABELS[DispatchStatus(d.status)], "origin": d.origin,
            "origin_label": ORIGIN_LABELS[Origin(d.origin)], "requesting": d.requesting_party,
            "incident_id": d.incident_id, "created_at": _t(d.created_at),
            "items": "、".join(f"{ln.item.name}{ln.quantity}{ln.item.unit_of_measure}" for ln in d.lines)}


def lot_dict(lot: StockLot, balance: int) -> dict:
    return {"lot_id": lot.id, "lot_no": lot.lot_no, "expires_on": lot.expires_on.isoformat() if lot.expires_on else None,
            "warehouse_id": lot.warehouse_id, "warehouse": lot.warehouse.name, "item_id": lot.item_id,
            "item": lot.item.name, "unit_of_measure": lot.item.unit_of_measure, "balance": balance}


def movement_dict(m: StockMovement) -> dict:
    return {"id": m.id, "lot_id": m.lot_id, "kind": m.kind, "kind_label": MOVEMENT_LABELS[MovementKind(m.kind)],
            "quantity": m.quantity, "at": _t(m.at), "actor": m.actor, "basis": m.basis, "reason": m.reason,
            "dispatch_id": m.dispatch_id, "count_id": m.count_id, "scrap_id": m.scrap_id}


def warehouse_dict(w) -> dict:
    return {"id": w.id, "name": w.name, "address": w.address, "street": w.street.name if w.street else None,
            "owner_unit": w.owner_unit.name}


def item_dict(i) -> dict:
    return {"id": i.id, "name": i.name, "category": i.category, "unit_of_measure": i.unit_of_measure,
            "min_level": i.min_level, "reserve_kind": i.reserve_kind, "owner_unit": i.owner_unit.name}


def _day(value) -> str | None:
    return value.isoformat() if value else None


def record_dict(key: str, row: Any, *, contact_visible: bool) -> dict:
    """One registry record; contact fields masked unless the caller may see them."""
    out: dict[str, Any] = {"id": row.id, "owner_unit": row.owner_unit.name, "updated_at": _t(row.updated_at),
                           "updated_by": row.updated_by}
    if key == "hazards":
        out.update(name=row.name, street=row.street.name, address=row.address, risk_grade=row.risk_grade,
                   last_inspected_on=_day(row.last_inspected_on), next_due_on=_day(row.next_due_on), note=row.note)
    elif key == "teams":
        kind = registry_rules.TEAM_KIND.get(row.kind)
        out.update(name=row.name, kind=row.kind, kind_label=kind.name if kind else row.kind,
                   kind_basis=str(kind.basis) if kind else None, size=row.size, equipment=row.equipment,
                   readiness=row.readiness, note=row.note,
                   contact_person=row.contact_person if contact_visible else HIDDEN,
                   contact_phone=row.contact_phone if contact_visible else HIDDEN)
    elif key == "experts":
        out.update(name=row.name, field=row.field, speciality=row.speciality, employer=row.employer,
                   availability=row.availability, contact_phone=row.contact_phone if contact_visible else HIDDEN)
    elif key == "shelters":
        out.update(name=row.name, street=row.street.name, address=row.address, capacity=row.capacity,
                   occupancy=row.occupancy, status=row.status, status_label="已启用" if row.status == "open" else "未启用",
                   opened_at=_t(row.opened_at), opened_by=row.opened_by, decided_by=row.decided_by,
                   opened_basis=row.opened_basis, opened_reason=row.opened_reason, incident_id=row.incident_id)
    elif key == "knowledge":
        out.update(title=row.title, category=row.category, body=row.body, event_types=list(row.event_types or []),
                   plans=list(row.plans or []))
    out["contact_visible"] = contact_visible
    return out


def call_up_dict(c) -> dict:
    return {"id": c.id, "team_id": c.team_id, "team": c.team.name, "incident_id": c.incident_id,
            "called_by": c.called_by, "called_by_unit": c.called_by_unit, "called_at": _t(c.called_at),
            "other_district": c.other_district, "city_requested": c.city_requested, "city_requester": c.city_requester,
            "reported_to_office_at": _t(c.reported_to_office_at), "report_text": c.report_text, "task": c.task,
            "status": c.status, "check_in_id": c.check_in_id, "basis": c.basis}


def requisition_dict(r, *, contact_visible: bool) -> dict:
    return {"id": r.id, "incident_id": r.incident_id, "owner_name": r.owner_name,
            "owner_contact": r.owner_contact if contact_visible else HIDDEN, "kind": r.kind,
            "description": r.description, "quantity": r.quantity, "decided_by": r.decided_by,
            "recorded_by": r.recorded_by, "requisitioned_at": _t(r.requisitioned_at), "status": r.status,
            "returned_at": _t(r.returned_at), "condition": r.condition,
            "compensation_yuan": float(r.compensation_yuan) if r.compensation_yuan is not None else None,
            "compensated_at": _t(r.compensated_at), "note": r.note,
            "basis": "东政发〔2022〕3号 §6.4.5；《中华人民共和国突发事件应对法》第十二条"}


SCRAP_STATUS = {"pending": "待区应急办批准", "approved": "已批准报废", "refused": "未批准"}


def scrap_dict(sc, *, may_decide: bool) -> dict:
    lot = sc.lot
    return {"id": sc.id, "lot_id": sc.lot_id, "lot_no": lot.lot_no, "warehouse": lot.warehouse.name,
            "item": lot.item.name, "unit_of_measure": lot.item.unit_of_measure, "quantity": sc.quantity,
            "reason": sc.reason, "status": sc.status, "status_label": SCRAP_STATUS.get(sc.status, sc.status),
            "proposed_by": sc.proposed_by, "proposed_at": _t(sc.proposed_at), "may_decide": may_decide}
