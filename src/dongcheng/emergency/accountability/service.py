"""The accountability report (§5.5.2): for a period, every late, missed or incomplete mandated report, by unit."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from dongcheng.auth.service import Caller
from dongcheng.calendar.dates import iso
from dongcheng.core.time import utcnow
from dongcheng.emergency.accountability import repository
from dongcheng.emergency.accountability.rules import BASIS, FINDING_LABELS, findings_for, humanize, scoped
from dongcheng.emergency.funds import rules as funds_rules
from dongcheng.emergency.funds import service as funds
from dongcheng.emergency.incidents import rules as incident_rules
from dongcheng.emergency.incidents.enums import DEADLINE_LABELS


@dataclass
class UnitSummary:
    unit: str
    mandated: int = 0
    on_time: int = 0
    late: int = 0
    missed: int = 0
    overdue: int = 0
    incomplete: int = 0
    rows: list[dict] = field(default_factory=list)

    @property
    def on_time_rate(self) -> float | None:
        return round(self.on_time / self.mandated, 4) if self.mandated else None

    def to_dict(self) -> dict:
        return {"unit": self.unit, "mandated": self.mandated, "on_time": self.on_time, "late": self.late,
                "missed": self.missed, "overdue": self.overdue, "incomplete": self.incomplete,
                "on_time_rate": self.on_time_rate, "findings": self.rows}


def build(session: Session, start: datetime, end: datetime, *, drill: bool = False,
          at: datetime | None = None) -> dict:
    """Deadlines due in [start, end), judged at ``at`` (default now); drills only when ``drill``."""
    at = at or utcnow()
    rows = repository.deadlines_due(session, start, end, drill=drill)
    units: dict[str, UnitSummary] = {}
    for deadline, title, unit_name, missing in rows:
        status = incident_rules.status_at(deadline.kind, deadline.due_at, deadline.met_at, deadline.closed_at,
                                          deadline.status, at).value
        if status == "pending" and deadline.due_at >= at:
            continue  # not yet due: nothing to judge
        summary = units.setdefault(unit_name or "（未指定主责部门）", UnitSummary(unit_name or "（未指定主责部门）"))
        summary.mandated += 1
        found = findings_for(status, deadline.due_at, deadline.met_at, missing, at)
        if status == "met":
            summary.on_time += 1
        for finding in found:
            setattr(summary, finding.kind, getattr(summary, finding.kind) + 1)
            summary.rows.append({
                "finding": finding.kind, "finding_label": FINDING_LABELS[finding.kind],
                "incident_id": deadline.incident_id, "incident_title": title, "kind": deadline.kind,
                "kind_label": DEADLINE_LABELS.get(deadline.kind, deadline.kind), "seq": deadline.seq,
                "due_at": iso(deadline.due_at), "met_at": iso(deadline.met_at),
                "lateness_seconds": finding.lateness_seconds, "lateness": humanize(finding.lateness_seconds),
                "missing_elements": list(missing or []) if finding.kind == "incomplete" else [],
                "deadline_basis": deadline.basis, "basis": str(BASIS),
            })
    ordered = sorted(units.values(), key=lambda s: (-(s.late + s.missed + s.overdue + s.incomplete), s.unit))
    return {"from": iso(start), "to": iso(end), "as_of": iso(at), "drill": drill, "basis": str(BASIS),
            "totals": {k: sum(getattr(s, k) for s in ordered)
                       for k in ("mandated", "on_time", "late", "missed", "overdue", "incomplete")},
            "units": [s.to_dict() for s in ordered]}


def report_for(session: Session, caller: Caller, start: datetime, end: datetime, *, drill: bool = False) -> dict:
    """The report as ``caller`` may read it: a department its own unit's findings, others every unit's; with the
    disbursements not completed within §6.8.3's 1 working day."""
    unit = caller.unit.name if caller.unit else None
    data = scoped(build(session, start, end, drill=drill), role=caller.role, unit=unit)
    rows = disbursements(session, start, end, drill=drill)
    data["disbursements"] = rows if caller.role != "department" else [r for r in rows if r["unit"] == unit]
    return data


def disbursements(session: Session, start: datetime, end: datetime, *, drill: bool = False,
                  at: datetime | None = None) -> list[dict]:
    """Approved disbursements due in [start, end) completed late or still not completed at ``at`` (§6.8.3)."""
    at = at or utcnow()
    rows = funds.late_or_overdue(session, start, end, at, drill=drill)
    units, incidents = funds.context_of(session, rows)
    out = []
    for r in rows:
        timeliness = funds_rules.timeliness(r.due_at, r.completed_at, at)
        lateness = int(((r.completed_at or at) - r.due_at).total_seconds())
        out.append({"id": r.id, "unit": units[r.requesting_unit_id].name if r.requesting_unit_id in units else "",
                    "incident_id": r.incident_id, "incident_title": incidents.get(r.incident_id, ("", False))[0],
                    "amount": f"{r.amount:.2f}", "due_at": iso(r.due_at), "completed_at": iso(r.completed_at),
                    "finding": timeliness.value, "finding_label": funds_rules.TIMELINESS_LABELS[timeliness],
                    "lateness": humanize(lateness), "basis": str(funds_rules.DEADLINE_BASIS)})
    return out
