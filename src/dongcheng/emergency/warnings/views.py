"""Warnings as JSON (times in Beijing time with their offset, SPEC §4). Shaping only, no database: what a warning's
JSON needs beyond its row arrives already read (``WarningFacts``, gathered by the handler before it calls here)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from dongcheng.audit.models import AuditEntry
from dongcheng.calendar.dates import iso
from dongcheng.emergency.warnings import rules
from dongcheng.emergency.warnings.enums import STATUS_LABELS, Level, Status
from dongcheng.emergency.warnings.models import EarlyWarning, Subscriber, WarningMessage


class WarningFacts(Protocol):
    """What the handler reads for one warning and caller (``warning_facts``); views import nothing that reads."""

    approver: rules.Approver
    allowed_actions: Sequence[str]
    returns: Sequence[AuditEntry]
    history: dict | None  # None in a list row: no detail
    messages: Sequence[WarningMessage]
    coverage: dict | None


def public_dict(w: EarlyWarning) -> dict:
    """What anyone may read of a published public warning (§3.2.4 content + issuer and time)."""
    level = Level(w.level)
    return {
        "id": w.id, "level": level.value, "grade": level.grade, "title": w.title,
        "event_type": w.event_type.name if w.event_type else None, "category": w.category,
        "starts_at": iso(w.starts_at), "expected_duration_hours": w.expected_duration_hours,
        "ends_at": iso(rules.ends_at(w)), "area_streets": list(w.area_streets or ()),
        "precautions": w.precautions, "measures": w.measures,
        "issuing_unit": w.issuing_unit.name if w.issuing_unit else None, "published_at": iso(w.published_at),
        "publisher": rules.PUBLICATION_CENTRE, "status": w.status, "cap_url": f"/api/warnings/{w.id}/cap",
    }


def warning_dict(w: EarlyWarning, facts: WarningFacts) -> dict:
    """A warning for one caller; the detail (history, messages, coverage) when ``facts`` carries it."""
    level = Level(w.level)
    approver = facts.approver
    missing, content_basis = rules.missing_content(rules.content_of(w))
    publisher, publisher_basis = rules.publisher(w.public, w.drafting_unit.name)
    grade, grade_basis = rules.level_grade(level)
    out = {
        **public_dict(w),
        "status": w.status, "status_label": STATUS_LABELS[Status(w.status)], "public": w.public,
        "drafting_unit": w.drafting_unit.name, "publisher": publisher,
        "required_approver": {"post": approver.post, "person": approver.person},
        "approval": approver.to_dict(),
        "basis": str(approver.basis),
        "bases": {"level": str(grade_basis), "approval": str(approver.basis), "content": str(content_basis),
                  "publication": str(publisher_basis)},
        "missing_content": [{"field": m.field, "msg_zh": m.zh, "msg_en": m.en} for m in missing],
        "concerned_units": list(w.concerned_units or ()),
        "created_by": w.created_by, "created_at": iso(w.created_at), "submitted_at": iso(w.submitted_at),
        "approved_at": iso(w.approved_at), "approved_by": w.approved_by, "published_by": w.published_by,
        "lifted_at": iso(w.lifted_at), "lifted_by": w.lifted_by, "lift_reason": w.lift_reason or None,
        "allowed_actions": list(facts.allowed_actions),
        "returns": [{"at": iso(e.at), "by": (e.after or {}).get("by") or e.actor, "reason": (e.after or {}).get("reason")}
                    for e in facts.returns],
    }
    h = facts.history
    if h is None:
        return out
    out.update(
        level_changes=[{"from": c.from_level, "to": c.to_level, "reason": c.reason, "at": iso(c.at), "by": c.by,
                        "basis": c.basis} for c in h["level_changes"]],
        filings=[{"action": f.action, "level": f.level, "filed_with": f.filed_with, "at": iso(f.at), "basis": f.basis}
                 for f in h["filings"]],
        notices=[{"unit": n.unit.name, "action": n.action, "text": n.text, "at": iso(n.at), "basis": n.basis}
                 for n in h["notices"]],
        checklist=[{"id": i.id, "unit": i.unit.name, "list": i.list_name, "seq": i.seq, "text": i.text,
                    "basis": i.clause, "done_at": iso(i.done_at), "done_by": i.done_by, "note": i.note}
                   for i in h["checklist"]],
        messages=[{"seq": m.seq, "msg_type": m.msg_type, "level": m.level, "identifier": m.identifier,
                   "sent_at": iso(m.sent_at)} for m in facts.messages],
        coverage=facts.coverage,
    )
    return out


def subscriber_dict(sub: Subscriber) -> dict:
    return {"id": sub.id, "kind": sub.kind, "name": sub.name, "street": sub.street, "contact": sub.contact,
            "channels": list(sub.channels or ()), "vulnerable_groups": list(sub.vulnerable_groups or ()),
            "special_place": sub.special_place, "blind_spot": sub.blind_spot, "targeted": sub.targeted,
            "active": sub.active, "created_at": iso(sub.created_at)}
