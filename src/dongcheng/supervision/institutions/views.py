"""Institutions and credit records as JSON-ready dicts; the pages use the same ones (no session here)."""
from __future__ import annotations

from dongcheng.directory.models import Unit
from dongcheng.supervision.institutions import rules
from dongcheng.supervision.institutions.models import BlacklistEntry, Institution, PointRecord


def institution_dict(row: Institution, street: Unit | None) -> dict:
    return {"id": row.id, "name": row.name, "uscc": row.uscc, "kind": row.kind,
            "street": street.name if street else None, "ownership": row.ownership,
            "ownership_label": rules.OWNERSHIPS.get(row.ownership, row.ownership), "licence_no": row.licence_no or None,
            "risk": row.risk, "risk_label": rules.RISKS.get(row.risk, row.risk), "basis": str(rules.REGISTRY_BASIS)}


def point_dict(row: PointRecord) -> dict:
    return {"id": row.id, "institution_id": row.institution_id, "occurred_on": row.occurred_on, "points": row.points,
            "ground": row.ground, "legal_basis": row.legal_basis or None, "cycle": row.cycle,
            "removed_on": row.removed_on, "removal_reason": row.removal_reason or None}


def blacklist_dict(row: BlacklistEntry) -> dict:
    return {"id": row.id, "institution_id": row.institution_id, "ground": row.ground,
            "legal_basis": row.legal_basis or None, "start_on": row.start_on, "end_on": row.end_on,
            "removed_on": row.removed_on, "removal_reason": row.removal_reason or None}


def threshold_dict(t: rules.Threshold | None) -> dict | None:
    return {"points": t.points, "consequence": t.consequence, "clause": t.clause} if t else None


def policy_dict(p: rules.Policy) -> dict:
    return {"source": p.source, "status": p.status, "cycle_months": p.cycle_months,
            "max_per_record": p.max_per_record, "thresholds": [threshold_dict(t) for t in p.thresholds],
            "publication": {
                "points": {"min_months": p.points_publication.min_months,
                           "max_months": p.points_publication.max_months, "source": p.points_publication.source},
                "blacklist": {"min_months": p.blacklist_publication.min_months,
                              "max_months": p.blacklist_publication.max_months,
                              "source": p.blacklist_publication.source}},
            "basis": str(p.basis)}


def record_dict(rec) -> dict:
    """An institution's credit record (service.InstitutionRecord)."""
    s = rec.standing
    return {**institution_dict(rec.institution, rec.street),
            "points": [point_dict(p) for p in rec.points],
            "blacklist": [blacklist_dict(b) for b in rec.blacklist],
            "standing": {"cycle": s.cycle, "total": s.total, "reached": threshold_dict(s.reached),
                         "next": threshold_dict(s.next_threshold), "basis": str(s.basis)},
            "complaints": {"total": rec.complaints, "this_cycle": rec.complaints_this_cycle,
                           "basis": "东政办发〔2021〕17号 三（一）5"},
            "policy_source": rec.policy.source}


def public_dict(lists) -> dict:
    """The published lists (service.PublicLists): what the public sees on ``on``."""

    def name(i: Institution) -> dict:
        return {"id": i.id, "name": i.name, "uscc": i.uscc}

    return {"on": lists.on,
            "points": [{**point_dict(p), "institution": name(i), "published_until": u} for p, i, u in lists.points],
            "blacklist": [{**blacklist_dict(b), "institution": name(i), "published_until": u}
                          for b, i, u in lists.blacklist],
            "policy": policy_dict(lists.policy), "basis": str(rules.CREDIT_BASIS)}
