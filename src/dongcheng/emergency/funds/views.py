"""JSON shaping of disbursements (no session): status, source, the §6.8.3 deadline and whether it is met."""
from __future__ import annotations

from datetime import datetime

from dongcheng.calendar.dates import iso
from dongcheng.directory.models import Unit
from dongcheng.emergency.funds import rules
from dongcheng.emergency.funds.models import Disbursement
from dongcheng.emergency.funds.rules import Source, Status


def disbursement_dict(row: Disbursement, units: dict[int, Unit], incidents: dict, at: datetime) -> dict:
    unit = units.get(row.requesting_unit_id)
    title, is_drill = incidents.get(row.incident_id, ("", False))
    timeliness = (rules.timeliness(row.due_at, row.completed_at, at)
                  if row.due_at is not None and row.status in (Status.APPROVED, Status.COMPLETED) else None)
    return {
        "id": row.id, "incident_id": row.incident_id, "incident_title": title, "drill": is_drill,
        "requesting_unit": unit.name if unit else None, "amount": f"{row.amount:.2f}", "purpose": row.purpose,
        "source": row.source, "source_label": rules.SOURCE_LABELS[Source(row.source)],
        "source_basis": str(rules.SOURCE_BASIS[Source(row.source)]),
        "status": row.status, "status_label": rules.STATUS_LABELS[Status(row.status)],
        "requested_by": row.requested_by, "requested_at": iso(row.requested_at),
        "decided_by": row.decided_by, "decided_post": row.decided_post, "decided_at": iso(row.decided_at),
        "decision_note": row.decision_note,
        "due": None if row.due_at is None else {
            "due_on": row.due_on.isoformat(), "due_at": iso(row.due_at), "provisional": row.due_provisional,
            "working_days": rules.WORKING_DAYS_TO_COMPLETE, "basis": str(rules.DEADLINE_BASIS)},
        "timeliness": timeliness.value if timeliness else None,
        "timeliness_label": rules.TIMELINESS_LABELS[timeliness] if timeliness else None,
        "completed_by": row.completed_by, "completed_at": iso(row.completed_at), "voucher_no": row.voucher_no,
        "completion_note": row.completion_note,
        "allowed_next": rules.FLOW.available(row.status),
    }


def rows(items: list[Disbursement], units: dict[int, Unit], incidents: dict, at: datetime) -> list[dict]:
    return [disbursement_dict(r, units, incidents, at) for r in items]
