"""Statements as JSON: internal (with draft state and who released on what basis) and public (what was released)."""
from __future__ import annotations

from dongcheng.calendar.dates import iso
from dongcheng.emergency.incidents.models import Incident
from dongcheng.emergency.statements import rules
from dongcheng.emergency.statements.models import Statement


def statement_dict(s: Statement) -> dict:
    released = s.status == "released"
    return {"id": s.id, "incident_id": s.incident_id, "title": s.title, "body": s.body, "topics": list(s.topics or ()),
            "status": s.status, "drill": s.is_drill, "public": rules.is_public(released=released, drill=s.is_drill),
            "drafted_by": s.drafted_by, "drafting_unit": s.drafting_unit, "created_at": iso(s.created_at),
            "released_at": iso(s.released_at), "released_by": s.released_by,
            "basis": s.release_basis or str(rules.clause()),
            "needs_command_approval": bool(s.topics),
            # why it waits for a leader (§4.7.1 ⑤): each topic, declared or found, with the phrases that show it
            "held_because": rules.held_because(list(s.topics), s.title, s.body) if s.topics else []}


def public_dict(s: Statement, incident: Incident) -> dict:
    return {"id": s.id, "title": s.title, "body": s.body, "released_at": iso(s.released_at),
            "incident": {"id": incident.id, "title": incident.title, "street": incident.street.name},
            "released_by": s.released_by}
