"""12345 complaints and the monthly rates as JSON-ready dicts; the pages and the workbook use the same ones."""
from __future__ import annotations

from dongcheng.directory.models import Unit
from dongcheng.supervision.complaints import rules
from dongcheng.supervision.complaints.models import Complaint

DEFINITIONS = {
    "response_rate": f"响应率 = 派单后{rules.RESPONSE_HOURS}小时内答复的工单数 ÷ 派单量",
    "resolution_rate": "解决率 = 回访为“已解决”的工单数 ÷ 回访了解决情况的工单数",
    "satisfaction_rate": "满意率 = 回访为“满意”的工单数 ÷ 回访了满意情况的工单数",
}


def complaint_dict(row: Complaint, units: dict[int, Unit]) -> dict:
    def name(uid):
        return units[uid].name if uid in units else None

    return {"id": row.id, "source": row.source, "ticket_no": row.ticket_no, "institution_id": row.institution_id,
            "street": name(row.street_id), "content": row.content, "received_at": row.received_at,
            "status": row.status, "status_label": rules.STATUS_LABELS.get(row.status, row.status),
            "assigned_unit": name(row.assigned_unit_id), "assigned_at": row.assigned_at,
            "responded_at": row.responded_at, "response": row.response or None,
            "responded_on_time": rules.responded_on_time(row.assigned_at, row.responded_at)
            if row.responded_at else None,
            "resolved": row.resolved, "satisfied": row.satisfied, "visited_at": row.visited_at,
            "basis": str(rules.BASIS)}


def _rate(value) -> dict:
    return {"value": float(value) if value is not None else None, "fraction": str(value) if value is not None else None,
            "percent": rules.percent(value)}


def month_dict(year: int, month: int, months: list) -> dict:
    rows = []
    for m in months:
        r = m.rates
        rows.append({"unit": m.unit.name, "assigned": r.assigned, "responded_on_time": r.responded_on_time,
                     "visited_resolved": r.visited_resolved, "resolved": r.resolved,
                     "visited_satisfied": r.visited_satisfied, "satisfied": r.satisfied,
                     "response_rate": _rate(r.response_rate), "resolution_rate": _rate(r.resolution_rate),
                     "satisfaction_rate": _rate(r.satisfaction_rate)})
    return {"year": year, "month": month, "units": rows, "definitions": DEFINITIONS,
            "response_basis": str(rules.RESPONSE_BASIS), "basis": str(rules.BASIS)}
