"""双随机 plans, inspectors and the items list as JSON-ready dicts; the pages use the same ones (no session)."""
from __future__ import annotations

from dongcheng.supervision.inspections import files, rules
from dongcheng.supervision.inspections.models import Inspector, InspectorConflict


def items_dict(items: files.Items) -> dict:
    return {"source": items.source, "basis": items.clause,
            "items": [{"code": i.code, "name": i.name, "scope": i.scope, "law": i.law} for i in items.items]}


def inspector_dict(row: Inspector, unit_name: str | None = None) -> dict:
    return {"id": row.id, "name": row.name, "badge_no": row.badge_no, "unit": unit_name, "active": row.active}


def conflict_dict(row: InspectorConflict) -> dict:
    """A declaration with its withdrawal, if any: ``standing`` says whether the draw still recuses the pair."""
    withdrawn = row.withdrawn_at is not None
    return {"id": row.id, "inspector_id": row.inspector_id, "institution_id": row.institution_id,
            "reason": row.reason, "declared_on": row.declared_on, "declared_by": row.declared_by,
            "standing": not withdrawn, "withdrawn_at": row.withdrawn_at,
            "withdrawn_by": row.withdrawn_by or None, "withdrawal_reason": row.withdrawal_reason or None,
            "basis": str(rules.WITHDRAW_BASIS if withdrawn else rules.RECUSAL_BASIS)}


def plan_dict(view, items: files.Items) -> dict:
    """A plan as the caller may see it (service.PlanView): before publication the public sees the commitment
    (SHA-256 of the seed), the items and the figures, never the seed, the selection or the inspectors."""
    p = view.plan
    names = {i.code: i.name for i in items.items}
    out = {"id": p.id, "title": p.title, "status": p.status, "status_label": rules.STATUS_LABELS.get(p.status),
           "items": [{"code": c, "name": names.get(c, c)} for c in p.items], "proportions": p.proportions,
           "inspectors_per_inspection": p.inspectors_per_inspection, "publication_delay": p.publication_delay,
           "algorithm": rules.ALGORITHM, "seed_sha256": p.seed_sha256, "drawn_at": p.drawn_at,
           "closed_on": p.closed_on, "publish_on": p.publish_on, "published": view.published,
           "drawn": (len((p.draw or {}).get("selection", [])) if p.draw else None),
           "seed": p.seed if view.full else None, "draw": p.draw if view.full else None,
           "basis": str(rules.DRAW_BASIS), "publish_basis": str(rules.PUBLISH_BASIS), "inspections": []}
    for r in view.inspections:
        inst = view.institutions.get(r.institution_id)
        out["inspections"].append({
            "id": r.id, "position": r.position, "grade": r.grade, "grade_label": rules.GRADE_LABELS.get(r.grade),
            "institution": {"id": r.institution_id, "name": inst.name if inst else None,
                            "uscc": inst.uscc if inst else None},
            "inspectors": [{"id": j, "name": view.inspectors[j].name if j in view.inspectors else None,
                            "badge_no": view.inspectors[j].badge_no if j in view.inspectors else None}
                           for j in r.inspectors],
            "result": r.result, "result_label": rules.RESULTS.get(r.result) if r.result else None,
            "result_on": r.result_on, "note": r.result_note or None})
    return out
