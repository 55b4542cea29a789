"""How a checklist is shown: items in the gazette's order, times in Asia/Shanghai, progress done/total."""
from __future__ import annotations

from dongcheng.calendar.dates import iso
from dongcheng.emergency.checklists import rules
from dongcheng.emergency.checklists.models import ChecklistItem, DisposalChecklist


def item_dict(item: ChecklistItem) -> dict:
    return {"id": item.id, "seq": item.seq, "text": item.text, "clause": item.clause, "done": item.done,
            "done_at": iso(item.done_at), "done_by": item.done_by, "done_by_unit": item.done_by_unit,
            "note": item.note,
            "history": [{"done": c.done, "at": iso(c.at), "by": c.by, "unit": c.unit, "note": c.note}
                        for c in item.changes]}


def checklist_dict(checklist: DisposalChecklist) -> dict:
    items = sorted(checklist.items, key=lambda i: i.seq)
    return {"id": checklist.id, "incident_id": checklist.incident_id, "list": checklist.list_name,
            "clause": checklist.clause, "basis": checklist.basis, "created_at": iso(checklist.created_at),
            "created_by": checklist.created_by, "progress": rules.progress([i.done for i in items]).to_dict(),
            "items": [item_dict(i) for i in items]}
