"""JSON shaping of plans, drills and the compliance lines (no session)."""
from __future__ import annotations

from datetime import date

from dongcheng.calendar.dates import iso
from dongcheng.directory.models import Unit
from dongcheng.emergency.plans import files, rules
from dongcheng.emergency.plans.rules import DrillKind, Phase, PlanKind, PlanStatus


def plan_summary(f, due, today: date, m: files.PlanManagement) -> dict:
    """A registry line: name, kind, lead drafting unit, filing (§7.1.4), issue, filing deadline and status,
    evaluation due (§7.1.5)."""
    row = f.row
    kind = PlanKind(row.kind)
    filing = rules.filing_for(kind, m.filing)
    status = rules.filing_status(row.issued_on, row.filed_on, due.end if due else None, today)
    evaluation = rules.evaluation_due(row.issued_on, row.evaluated_on)
    return {
        "id": row.id, "name": f.name, "kind": kind.value, "kind_label": rules.KIND_LABELS[kind],
        "category": f.category, "seq": f.seq, "catalogue_basis": f.catalogue_clause,
        "lead_unit": f.lead.name if f.lead else None,
        "status": row.status, "status_label": rules.STATUS_LABELS[PlanStatus(row.status)],
        "issued_on": row.issued_on.isoformat() if row.issued_on else None, "document_no": row.document_no,
        "filing": {
            "recipient": filing.recipient, "reviewer": filing.reviewer or None, "text": filing.text,
            "basis": str(filing.basis),
            "due_on": due.end.isoformat() if due else None, "provisional": bool(due and due.provisional),
            "working_days": rules.FILING_WORKING_DAYS, "period_basis": str(rules.FILING_PERIOD_BASIS),
            "filed_on": row.filed_on.isoformat() if row.filed_on else None, "filed_with": row.filed_with or None,
            "status": status.value, "status_label": rules.FILING_LABELS[status],
        },
        "evaluation": {
            "last_on": row.evaluated_on.isoformat() if row.evaluated_on else None, "note": row.evaluation_note,
            "due_on": evaluation.isoformat() if evaluation else None,
            "overdue": bool(evaluation and evaluation < today), "years": rules.EVALUATION_YEARS,
            "basis": str(rules.EVALUATION_BASIS),
        },
    }


def plan_detail(d, today: date, m: files.PlanManagement) -> dict:
    out = plan_summary(d.facts, d.filing_due, today, m)
    out["versions"] = [{"seq": v.seq, "title": v.title, "document_no": v.document_no,
                        "issued_on": v.issued_on.isoformat(), "document_ref": v.document_ref, "note": v.note,
                        "recorded_by": v.recorded_by} for v in d.versions]
    out["revisions"] = [{"id": r.id, "opened_on": r.opened_on.isoformat(),
                         "closed_on": r.closed_on.isoformat() if r.closed_on else None,
                         "validation_drills": [x.id for x in d.validation_drills
                                               if x.held_on >= r.opened_on
                                               and (r.closed_on is None or x.held_on <= r.closed_on)]}
                        for r in d.revisions]
    out["triggers"] = [trigger_dict(t, m) for t in d.triggers]
    out["needs_validation_drill"] = (PlanKind(d.facts.row.kind) in rules.SPECIAL_KINDS
                                     and d.facts.row.status == PlanStatus.UNDER_REVISION)
    out["validation_basis"] = str(rules.VALIDATION_BASIS)
    return out


def trigger_dict(t, m: files.PlanManagement) -> dict:
    row = m.triggers.get(t.trigger)
    return {"id": t.id, "revision_id": t.revision_id, "trigger": t.trigger, "label": row.label if row else t.trigger,
            "text": row.text if row else "", "basis": row.clause if row else "", "description": t.description,
            "incident_id": t.incident_id, "drill_id": t.drill_id, "recorded_by": t.recorded_by,
            "recorded_unit": t.recorded_unit, "recorded_at": iso(t.recorded_at)}


def triggers_catalogue(m: files.PlanManagement) -> list[dict]:
    return [{"code": t.code, "label": t.label, "text": t.text, "basis": t.clause, "needs_source": t.needs_source}
            for t in m.triggers.values()]


def drill_summary(drill, units: dict[int, Unit]) -> dict:
    organiser = units.get(drill.organiser_unit_id)
    return {"id": drill.id, "title": drill.title, "organiser": organiser.name if organiser else None,
            "kind": drill.kind, "kind_label": rules.DRILL_KIND_LABELS[DrillKind(drill.kind)],
            "held_on": drill.held_on.isoformat() if drill.held_on else None, "incident_id": drill.incident_id}


def drill_detail(d) -> dict:
    drill = d.drill
    recorded = {p.phase: p for p in d.phases}
    out = drill_summary(drill, {drill.organiser_unit_id: d.organiser} if d.organiser else {})
    out.update({
        "note": drill.note, "created_by": drill.created_by,
        "plans": [{"id": f.row.id, "name": f.name} for f in d.plans],
        "units": [u.name for u in d.units],
        "phases": [{"phase": ph.value, "label": rules.PHASE_LABELS[ph],
                    "on_date": recorded[ph.value].on_date.isoformat() if ph.value in recorded else None,
                    "note": recorded[ph.value].note if ph.value in recorded else ""} for ph in Phase],
        "next_phase": next((ph.value for ph in Phase if ph.value not in recorded), None),
        "phase_basis": str(rules.PHASE_BASIS),
        "findings": [{"id": f.id, "finding": f.finding, "action": f.action, "owner_unit": u.name if u else None,
                      "due_on": f.due_on.isoformat(), "done_on": f.done_on.isoformat() if f.done_on else None,
                      "done_by": f.done_by} for f, u in d.findings],
    })
    return out


SECTION_LABELS = {"units": "专项指挥部、相关部门和有关单位（每年综合或单项演练）",
                  "streets": "街道（地区）（每年综合应急演练）",
                  "revisions": "修订中的区级专项应急预案（验证性应急演练）"}


def compliance(year: int, lines: list[rules.Line]) -> dict:
    sections = []
    for key, label in SECTION_LABELS.items():
        rows = [line.to_dict() for line in lines if line.section == key]
        sections.append({"section": key, "label": label, "lines": rows,
                         "compliant": sum(r["compliant"] for r in rows), "total": len(rows)})
    return {"year": year, "sections": sections,
            "not_compliant": sum(not line.compliant for line in lines), "total": len(lines)}
