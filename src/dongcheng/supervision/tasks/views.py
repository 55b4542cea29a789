"""JSON shapes of the tasks (no session): a task with its units in order, its periods, the overview line."""
from __future__ import annotations

from dongcheng.supervision.tasks import rules
from dongcheng.supervision.tasks.files import TaskPlan

STATUS_LABELS = {"met": "按时报送", "late": "逾期后补报", "overdue": "逾期未报", "open": "待报送"}
ROLE_LABELS = {"lead": "牵头", "co": "配合"}


def entry_dict(entry: rules.Entry, lead: bool) -> dict:
    return {"printed": entry.printed, "units": list(entry.units), "group": entry.group, "lead": lead}


def task_dict(task: rules.Task) -> dict:
    return {"key": task.key, "slug": task.slug, "title": task.title, "label": task.label, "basis": task.clause,
            "lead": entry_dict(task.lead, True), "entries": [entry_dict(e, i == 0) for i, e in enumerate(task.entries)]}


def plan_dict(plan: TaskPlan) -> dict:
    return {"document": plan.document, "title": plan.title, "signed_on": plan.signed_on.isoformat(),
            "administering_unit": plan.administering_unit, "lead_rule": str(rules.LEAD_BASIS),
            "reporting": {"period": "quarter", "due_days_after_period": rules.REPORT_DUE_DAYS,
                          "basis": str(rules.PERIOD_BASIS), "platform_default": True},
            "goals": [{"key": g.key, "due": g.due.isoformat(), "printed": g.printed, "text": g.text,
                       "basis": g.clause, "before_signing": g.due < plan.signed_on} for g in plan.goals],
            "tasks": [task_dict(t) for t in plan.tasks]}


def report_dict(r) -> dict | None:
    if r is None:
        return None
    return {"id": r.id, "kind": r.kind, "progress": r.progress, "issues": r.issues, "next_steps": r.next_steps,
            "submitted_on": r.submitted_on.isoformat(), "status": r.status, "recorded_by": r.recorded_by,
            "basis": r.basis}


def period_dict(line) -> dict:
    p = line.period
    return {"period": p.code, "label": p.label, "start": p.start.isoformat(), "end": p.end.isoformat(),
            "due": p.due.isoformat(), "status": line.status, "status_label": STATUS_LABELS[line.status],
            "overdue": line.status == "overdue", "report": report_dict(line.report),
            "contributions": [{"printed": c.printed, "unit": c.unit, "report": report_dict(c.report)} for c in line.co]}


def leader_dict(sup) -> dict:
    if sup is None or sup.leader is None:
        return {"person": None, "post": None, "relation": None, "basis": str(sup.basis) if sup else None}
    return {"person": sup.leader.person, "post": sup.leader.post_title, "relation": sup.leader.relation,
            "basis": str(sup.basis)}


def view_dict(view, *, periods: bool = True) -> dict:
    out = task_dict(view.task)
    out.update({
        "reporting_units": list(view.reporting_units), "role": view.role,
        "supervising_leaders": {u: leader_dict(s) for u, s in view.leaders.items()},
        "overdue_periods": [p.period.code for p in view.overdue],
        "latest": period_dict(view.latest_due) if view.latest_due else None,  # the last period already due
        "current": period_dict(view.periods[0]) if view.periods else None,  # today's quarter
    })
    if periods:
        out["periods"] = [period_dict(p) for p in view.periods]
    return out
