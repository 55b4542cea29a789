"""The accountability report (§5.5.2): for a period, every late, missed or incomplete mandated report, by unit."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dongcheng.auth.service import Caller
from dongcheng.calendar.dates import iso
from dongcheng.core.time import utcnow
from dongcheng.directory.models import Unit
from dongcheng.emergency.accountability.rules import BASIS, FINDING_LABELS, findings_for, humanize, scoped
from dongcheng.emergency.incidents import rules as incident_rules
from dongcheng.emergency.incidents.enums import DEADLINE_LABELS
from dongcheng.emergency.incidents.models import Deadline, Incident, Report


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
    rows = session.execute(
        select(Deadline, Incident.title, Unit.name, Report.missing_elements)
        .join(Incident, Incident.id == Deadline.incident_id)
        .outerjoin(Unit, Unit.id == Deadline.responsible_unit_id)
        .outerjoin(Report, Report.id == Deadline.report_id)
        .where(Deadline.due_at >= start, Deadline.due_at < end, Deadline.is_drill.is_(drill),
               Deadline.status != "cancelled")
        .order_by(Unit.name, Deadline.due_at, Deadline.id)
    ).all()
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
    """The report as ``caller`` may read it: a department its own unit's findings, others every unit's."""
    return scoped(build(session, start, end, drill=drill), role=caller.role,
                  unit=caller.unit.name if caller.unit else None)
