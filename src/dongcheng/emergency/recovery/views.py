"""How recovery is shown: money as exact yuan strings, times in Asia/Shanghai, every decision with its clause."""
from __future__ import annotations

from dongcheng.calendar.dates import iso
from dongcheng.emergency.incidents.models import Incident
from dongcheng.emergency.recovery import rules
from dongcheng.emergency.recovery.models import InsuranceClaim, LossReport, MeritEntry, Recovery, ReliefRecord


def loss_dict(report: LossReport) -> dict:
    return {"id": report.id, "dead": report.dead, "injured": report.injured, "missing": report.missing,
            "direct_economic_loss_yuan": rules.to_yuan(report.economic_loss_fen),
            "houses_damaged": report.houses_damaged, "notes": report.notes, "counting_unit": report.counting_unit,
            "reported_at": iso(report.reported_at), "reported_by": report.reported_by,
            "reported_unit": report.reported_unit, "basis": "东政发〔2022〕3号 §5.1.2"}


def relief_dict(record: ReliefRecord) -> dict:
    return {"id": record.id, "recipient": record.recipient, "kind": record.kind,
            "amount_yuan": rules.to_yuan(record.amount_fen),
            "given_on": record.given_on.isoformat() if record.given_on else None, "note": record.note,
            "basis": record.basis, "recorded_at": iso(record.recorded_at), "recorded_by": record.recorded_by}


def claim_dict(claim: InsuranceClaim) -> dict:
    return {"id": claim.id, "claimant": claim.claimant, "insurer": claim.insurer, "description": claim.description,
            "amount_claimed_yuan": rules.to_yuan(claim.amount_claimed_fen),
            "amount_paid_yuan": rules.to_yuan(claim.amount_paid_fen), "status": claim.status, "note": claim.note,
            "basis": "东政发〔2022〕3号 §5.3.1", "recorded_at": iso(claim.recorded_at), "recorded_by": claim.recorded_by}


def merit_dict(entry: MeritEntry) -> dict:
    return {"id": entry.id, "subject": entry.subject, "kind": entry.kind, "reason": entry.reason,
            "deadline": entry.deadline.isoformat() if entry.deadline else None, "basis": entry.basis,
            "recorded_at": iso(entry.recorded_at), "recorded_by": entry.recorded_by}


def recovery_dict(incident: Incident, recovery: Recovery | None) -> dict:
    required = rules.evaluation_required(incident.grade)
    refusal = rules.recovery_refusal(ended=incident.ended_at is not None, closed=False)
    evaluation_in = bool(recovery and recovery.evaluation_submitted_at)
    losses = sorted(recovery.losses, key=lambda r: r.id) if recovery else []
    return {
        "incident_id": incident.id, "status": incident.status, "grade": incident.grade, "category": incident.category,
        "ended_at": iso(incident.ended_at), "closed_at": iso(incident.closed_at),
        "available": refusal is None,
        "not_available_reason": f"{refusal[0]}（{refusal[2]}）" if refusal else None,
        "started_at": iso(recovery.started_at) if recovery else None,
        "plan": {"text": recovery.plan_text if recovery else "",
                 "updated_at": iso(recovery.plan_updated_at) if recovery else None,
                 "updated_by": recovery.plan_updated_by if recovery else None, "basis": "东政发〔2022〕3号 §5.1.1"},
        "loss_counting_unit": rules.loss_counting_unit(incident.category).to_dict("unit"),
        "losses": loss_dict(losses[-1]) if losses else None,
        "loss_history": [loss_dict(r) for r in losses],
        "relief": [relief_dict(r) for r in (recovery.relief if recovery else [])],
        "insurance_claims": [claim_dict(c) for c in (recovery.claims if recovery else [])],
        "evaluation_required": required.value,
        "evaluation_required_reason": required.text,
        "evaluation_required_basis": str(required.basis),
        "evaluation": ({"report": recovery.evaluation_text, "investigation": recovery.investigation_text,
                        "date": recovery.evaluation_date.isoformat() if recovery.evaluation_date else None,
                        "submitted_at": iso(recovery.evaluation_submitted_at),
                        "submitted_by": recovery.evaluation_submitted_by, "basis": "东政发〔2022〕3号 §5.4.1, §5.4.2"}
                       if evaluation_in else None),
        "commendations_and_accountability": [merit_dict(m) for m in (recovery.merits if recovery else [])],
        "close_blockers": rules.close_blockers(ended=incident.ended_at is not None,
                                               closed=incident.closed_at is not None,
                                               evaluation_required=bool(required.value), evaluation_in=evaluation_in),
    }
