"""How a command post is shown: times in Asia/Shanghai with offset; each expectation with its clause."""
from __future__ import annotations

from dongcheng.calendar.dates import iso
from dongcheng.emergency.command_posts import rules
from dongcheng.emergency.command_posts.models import CheckIn, CommandPost, LogEntry, Task, WorkingGroup
from dongcheng.emergency.incidents.models import Incident


def group_dict(group: WorkingGroup) -> dict:
    return {"id": group.id, "name": group.name, "seq": group.seq, "leader": group.leader,
            "contact_person": group.contact_person, "contact_means": group.contact_means,
            "basis": "东政发〔2022〕3号 §4.4.1"}


def check_in_dict(entry: CheckIn) -> dict:
    return {"id": entry.id, "team": entry.team, "unit": entry.unit, "headcount": entry.headcount,
            "arrived_at": iso(entry.arrived_at), "recorded_by": entry.recorded_by, "basis": "东政发〔2022〕3号 §4.4.2"}


def task_dict(task: Task) -> dict:
    return {"id": task.id, "check_in_id": task.check_in_id, "team": task.check_in.team, "text": task.text,
            "assigned_at": iso(task.assigned_at), "assigned_by": task.assigned_by, "status": task.status,
            "done_at": iso(task.done_at), "done_by": task.done_by, "note": task.done_note}


def log_dict(entry: LogEntry) -> dict:
    return {"id": entry.id, "at": iso(entry.at), "author": entry.author, "kind": entry.kind, "text": entry.text}


def post_dict(post: CommandPost, incident: Incident) -> dict:
    level = incident.response_level or incident.proposed_level
    leads = {lead.unit.name for lead in incident.leads}
    tasks = sorted(post.tasks, key=lambda t: (t.assigned_at, t.id))
    return {
        "id": post.id, "incident_id": incident.id, "location": post.location,
        "lead_unit": post.lead_unit.name, "lead_unit_basis": "东政发〔2022〕3号 §4.4.1（由处置事件主责部门牵头）",
        "set_up_at": iso(post.set_up_at), "set_up_by": post.set_up_by,
        "commander_in_chief": {"name": post.commander_name, "post": post.commander_post,
                               **rules.commander_in_chief(level).to_dict(), "response_level": level},
        "executive_commander": {"name": post.executive_name, "unit": post.executive_unit,
                                "from_lead_department": post.executive_unit in leads,
                                **rules.executive_commander().to_dict()},
        "command": rules.city_command(incident.status).to_dict(),
        "handed_over_at": iso(incident.handed_over_at),
        "groups": [group_dict(g) for g in sorted(post.groups, key=lambda g: g.seq)],
        "check_ins": [check_in_dict(c) for c in sorted(post.check_ins, key=lambda c: (c.arrived_at, c.id))],
        "headcount_on_site": sum(c.headcount for c in post.check_ins),
        "tasks": [task_dict(t) for t in tasks],
        "tasks_open": sum(1 for t in tasks if t.status == "open"),
        "log": [log_dict(e) for e in sorted(post.log, key=lambda e: (e.at, e.id))],
    }
