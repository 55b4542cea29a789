"""How incidents and deadlines are shown (JSON shape of SPEC §4): times in Asia/Shanghai with offset."""
from __future__ import annotations

from datetime import datetime

from dongcheng.calendar.dates import iso
from dongcheng.core.time import utcnow
from dongcheng.emergency.incidents import rules
from dongcheng.emergency.incidents.enums import DEADLINE_LABELS, SOURCE_LABELS, STATUS_LABELS
from dongcheng.emergency.incidents.models import Deadline, Incident, LevelChange, Report


def deadline_status(deadline: Deadline, at: datetime) -> str:
    return rules.status_at(deadline.kind, deadline.due_at, deadline.met_at, deadline.closed_at, deadline.status,
                           at).value


_LOAD = object()


def deadline_dict(deadline: Deadline, at: datetime | None = None, responsible: str | None | object = _LOAD) -> dict:
    """A deadline (ORM object, or a row with the same columns and ``responsible`` given) as JSON."""
    at = at or utcnow()
    status = deadline_status(deadline, at)
    if responsible is _LOAD:
        responsible = deadline.responsible_unit.name if deadline.responsible_unit else None
    return {"id": deadline.id, "incident_id": deadline.incident_id, "kind": deadline.kind,
            "label": DEADLINE_LABELS.get(deadline.kind, deadline.kind), "seq": deadline.seq,
            "due_at": iso(deadline.due_at), "basis": deadline.basis, "status": status,
            "overdue": status == "pending" and deadline.due_at < at, "met_at": iso(deadline.met_at),
            "recipients": deadline.recipients, "notify": deadline.notify,
            "responsible_unit": responsible,
            "report_id": deadline.report_id}


def overdue_dict(row, at: datetime, leads: dict[int, list[str]]) -> dict:
    """A row of the overdue answer (``service.overdue``): the deadline, its incident's title and lead departments."""
    return {**deadline_dict(row, at, responsible=row.responsible), "title": row.title,
            "lead_departments": leads.get(row.incident_id, [])}


def next_deadline(incident: Incident, at: datetime) -> Deadline | None:
    open_ = [d for d in incident.deadlines if deadline_status(d, at) == "pending"]
    return min(open_, key=lambda d: d.due_at, default=None)


def incident_dict(incident: Incident, at: datetime | None = None) -> dict:
    at = at or utcnow()
    nxt = next_deadline(incident, at)
    return {
        "id": incident.id, "title": incident.title, "description": incident.description,
        "event_type": incident.event_type.name if incident.event_type else None,
        "category": incident.category, "street": incident.street.name, "key_area": incident.street.kind == "key_area",
        "address": incident.address, "occurred_at": iso(incident.occurred_at), "received_at": iso(incident.received_at),
        "source": incident.source, "source_label": SOURCE_LABELS.get(incident.source, incident.source),
        "grade": incident.grade, "graded_at": iso(incident.graded_at),
        "casualties": {"dead": incident.dead, "injured": incident.injured, "missing": incident.missing,
                       "trapped": incident.trapped},
        "foreign_related": incident.foreign_related, "sensitive": incident.sensitive,
        "special_period": incident.special_period, "situation_only": incident.situation_only,
        "drill": incident.is_drill, "status": incident.status, "status_label": STATUS_LABELS.get(incident.status),
        "lead_departments": [lead.unit.name for lead in incident.leads],
        "leads": [{"unit": lead.unit.name, "basis": lead.basis, "designated_by": lead.designated_by,
                   "reason": lead.reason} for lead in incident.leads],
        "lead_unassigned": not incident.leads,
        "proposed_response_level": incident.proposed_level,
        "proposed_response_level_reason": incident.proposed_level_reason,
        "basis": incident.proposed_level_basis,  # SPEC §4: the basis of the proposed response level
        "proposed_response_level_basis": incident.proposed_level_basis,
        "response_level": incident.response_level,
        "handed_over_at": iso(incident.handed_over_at), "ended_at": iso(incident.ended_at),
        "closed_at": iso(incident.closed_at), "merged_into": incident.merged_into_id,
        "deadlines": [deadline_dict(d, at) for d in incident.deadlines if d.status != "cancelled"],
        "next_deadline": deadline_dict(nxt, at) if nxt else None,
    }


def report_dict(report: Report) -> dict:
    return {"id": report.id, "incident_id": report.incident_id, "kind": report.kind, "filed_at": iso(report.filed_at),
            "filed_by": report.filed_by, "unit": report.unit.name if report.unit else None,
            "elements": report.elements, "missing_elements": report.missing_elements,
            "complete": not report.missing_elements, "recipients": report.recipients, "casualties": report.casualties,
            "basis": str(rules.REPORT_CONTENT)}


def level_change_dict(change: LevelChange) -> dict:
    return {"at": iso(change.at), "what": change.what, "from": change.from_value, "to": change.to_value,
            "proposed": change.proposed, "reason": change.reason, "basis": change.basis, "by": change.by}


def suspect_ids(incidents: list[Incident]) -> dict[int, list[int]]:
    """Among these incidents (the board's), the ids each one may repeat (rules.duplicate_suspect)."""
    groups: dict[rules.IntakeKey, list[int]] = {}
    for i in incidents:
        if i.merged_into_id is None:
            key = rules.intake_key(i.street_unit_id, i.event_type_id, i.is_drill, i.received_at)
            groups.setdefault(key, []).append(i.id)
    return {i: [j for j in ids if j != i] for ids in groups.values() if len(ids) > 1 for i in ids}
