"""Command-post flows (现场指挥部, 东政发〔2022〕3号 §4.4): set up, groups, check-ins, tasks, log.

Loads through repository.py, asks rules.py, writes, records the audit entry — and never commits.
Every recorded action also leaves a line in the post's own log, so the log reads as the post's timeline.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.auth.service import Caller
from dongcheng.core.errors import conflict, invalid, not_found
from dongcheng.core.time import CLOCK_SKEW, ensure_utc, utcnow
from dongcheng.directory.service import find_unit
from dongcheng.emergency.command_posts import repository, rules
from dongcheng.emergency.command_posts.models import CheckIn, CommandPost, LogEntry, Task, WorkingGroup
from dongcheng.emergency.command_posts.schemas import CheckInIn, GroupIn, LogIn, SetUpIn, TaskDoneIn, TaskIn
from dongcheng.emergency.incidents.models import Incident
from dongcheng.emergency.incidents.service import authorize_act


def _effective(at: datetime | None, now: datetime, field: str) -> datetime:
    """When something happened: given by the caller (not in the future) or now."""
    if at is None:
        return now
    at = ensure_utc(at)
    if at > now + CLOCK_SKEW:
        raise invalid(field, "时间不能晚于当前时间", "must not be in the future")
    return at


def get_post(session: Session, incident: Incident) -> CommandPost | None:
    return repository.post_of(session, incident)


def _require_post(session: Session, incident: Incident) -> CommandPost:
    post = get_post(session, incident)
    if post is None:
        raise not_found("现场指挥部", "command post of incident", incident.id)
    return post


def _require_open(incident: Incident) -> None:
    rules.accepts_new_forces(incident.ended_at is not None).require()


def working_group_names(session: Session) -> tuple[str, ...]:
    """The nine groups of §4.4.1, as data/emergency/lists.yaml lists them."""
    return repository.working_group_names(session)


def set_up_decision(session: Session, incident: Incident) -> rules.Decision:
    """May a command post be set up for this incident now (the page shows the refusal before the form)."""
    return rules.may_set_up(has_lead=bool(incident.leads), ended=incident.ended_at is not None,
                            exists=get_post(session, incident) is not None)


def _log(post: CommandPost, at: datetime, author: str, text: str, kind: str = "event") -> None:
    post.log.append(LogEntry(post_id=post.id, at=at, author=author, kind=kind, text=text))


def set_up(session: Session, caller: Caller, incident: Incident, data: SetUpIn,
           now: datetime | None = None) -> CommandPost:
    """成立现场指挥部: the lead department, at a place, with 总指挥 and 执行指挥 (§4.4.1)."""
    now = now or utcnow()
    authorize_act(caller, incident)
    at = _effective(data.at, now, "at")
    decision = set_up_decision(session, incident)
    decision.require()
    lead_ids = [lead.unit_id for lead in incident.leads]
    lead_unit_id = rules.lead_unit_for_post(caller.unit.id if caller.unit else None, lead_ids)
    executive_unit = find_unit(session, data.executive_unit)
    post = CommandPost(incident_id=incident.id, lead_unit_id=lead_unit_id, location=data.location,
                       commander_name=data.commander_name, commander_post=data.commander_post,
                       executive_name=data.executive_name,
                       executive_unit=executive_unit.name if executive_unit else data.executive_unit,
                       set_up_at=at, set_up_by=caller.user.username, created_at=now)
    session.add(post)
    session.flush()
    _log(post, at, caller.user.username,
         f"成立现场指挥部于{post.location}；总指挥：{post.commander_name}；执行指挥：{post.executive_name}")
    session.flush()
    audit.record(session, actor=caller.actor, action="command_post.set_up", target_type="incident",
                 target_id=incident.id, basis=str(decision.basis),
                 after={"post_id": post.id, "location": post.location, "commander": post.commander_name,
                        "executive": post.executive_name, "executive_unit": post.executive_unit,
                        "lead_unit_id": lead_unit_id, "set_up_at": at})
    return post


def add_group(session: Session, caller: Caller, incident: Incident, data: GroupIn,
              now: datetime | None = None) -> WorkingGroup:
    """设置工作组 with 组长, 联系人和通信方式 — only the nine of §4.4.1, by their exact names."""
    now = now or utcnow()
    authorize_act(caller, incident)
    post = _require_post(session, incident)
    allowed = working_group_names(session)
    decision = rules.may_add_group(data.name, allowed)
    decision.require()
    seq = rules.working_group_seq(data.name, allowed)
    _require_open(incident)
    if any(g.name == data.name for g in post.groups):
        raise conflict(f"{data.name}已设置", f"{data.name} is already set up")
    group = WorkingGroup(post_id=post.id, name=data.name, seq=seq, leader=data.leader,
                         contact_person=data.contact_person, contact_means=data.contact_means, created_at=now,
                         created_by=caller.user.username)
    post.groups.append(group)
    _log(post, now, caller.user.username, f"设置{group.name}，组长{group.leader}，联系人{group.contact_person}"
                                          f"（{group.contact_means}）")
    session.flush()
    audit.record(session, actor=caller.actor, action="command_post.group", target_type="incident",
                 target_id=incident.id, basis=str(decision.basis),
                 after={"group_id": group.id, "name": group.name, "leader": group.leader,
                        "contact_person": group.contact_person, "contact_means": group.contact_means})
    return group


def check_in(session: Session, caller: Caller, incident: Incident, data: CheckInIn,
             now: datetime | None = None) -> CheckIn:
    """报到: an arriving force reports to the post (§4.4.2)."""
    now = now or utcnow()
    authorize_act(caller, incident)
    post = _require_post(session, incident)
    arrived = _effective(data.arrived_at, now, "arrived_at")
    if arrived < incident.received_at:
        raise invalid("arrived_at", "到达时间不能早于接报时间", "must not be before the incident was received")
    _require_open(incident)
    entry = CheckIn(post_id=post.id, team=data.team, unit=data.unit, headcount=data.headcount, arrived_at=arrived,
                    recorded_by=caller.user.username, recorded_at=now)
    post.check_ins.append(entry)
    _log(post, arrived, caller.user.username, f"{entry.unit}{entry.team}（{entry.headcount}人）到达现场报到")
    session.flush()
    audit.record(session, actor=caller.actor, action="command_post.check_in", target_type="incident",
                 target_id=incident.id, basis=str(rules.ON_SITE),
                 after={"check_in_id": entry.id, "team": entry.team, "unit": entry.unit,
                        "headcount": entry.headcount, "arrived_at": arrived})
    return entry


def assign_task(session: Session, caller: Caller, incident: Incident, data: TaskIn,
                now: datetime | None = None) -> Task:
    """受领任务: a force that has checked in receives a task (§4.4.2)."""
    now = now or utcnow()
    authorize_act(caller, incident)
    post = _require_post(session, incident)
    force = next((c for c in post.check_ins if c.id == data.check_in_id), None)
    if force is None:
        raise invalid("check_in_id", "该队伍未向本现场指挥部报到（先报到，再受领任务）",
                      "no such check-in at this command post (check in first, then receive tasks)")
    assigned = _effective(data.assigned_at, now, "assigned_at")
    if assigned < force.arrived_at:
        raise invalid("assigned_at", "下达任务时间不能早于该队伍报到时间", "must not be before the force checked in")
    _require_open(incident)
    task = Task(post_id=post.id, check_in_id=force.id, text=data.text, assigned_at=assigned,
                assigned_by=caller.user.username, status="open", check_in=force)
    post.tasks.append(task)
    _log(post, assigned, caller.user.username, f"{force.team}受领任务：{task.text}")
    session.flush()
    audit.record(session, actor=caller.actor, action="command_post.task", target_type="incident",
                 target_id=incident.id, basis=str(rules.ON_SITE),
                 after={"task_id": task.id, "check_in_id": force.id, "text": task.text, "assigned_at": assigned})
    return task


def complete_task(session: Session, caller: Caller, incident: Incident, task_id: int, data: TaskDoneIn,
                  now: datetime | None = None) -> Task:
    """A force reports its task done (§4.4.2 及时报告处置工作进展情况)."""
    now = now or utcnow()
    authorize_act(caller, incident)
    post = _require_post(session, incident)
    task = next((t for t in post.tasks if t.id == task_id), None)
    if task is None:
        raise not_found("任务", "task", task_id)
    if task.status == "done":
        raise conflict("该任务已完成", "The task is already done")
    done_at = _effective(data.at, now, "at")
    if done_at < task.assigned_at:
        raise invalid("at", "完成时间不能早于下达时间", "must not be before the task was assigned")
    task.status, task.done_at, task.done_by, task.done_note = "done", done_at, caller.user.username, data.note
    _log(post, done_at, caller.user.username,
         f"{task.check_in.team}完成任务：{task.text}" + (f"（{data.note}）" if data.note else ""))
    session.flush()
    audit.record(session, actor=caller.actor, action="command_post.task_done", target_type="incident",
                 target_id=incident.id, basis=str(rules.ON_SITE), before={"task_id": task.id, "status": "open"},
                 after={"task_id": task.id, "status": "done", "done_at": done_at}, note=data.note)
    return task


def write_log(session: Session, caller: Caller, incident: Incident, data: LogIn,
              now: datetime | None = None) -> LogEntry:
    """A line in the post's log (现场情况和处置工作进展, §4.4.2, §4.4.3)."""
    now = now or utcnow()
    authorize_act(caller, incident)
    post = _require_post(session, incident)
    at = _effective(data.at, now, "at")
    if at < incident.occurred_at:
        raise invalid("at", "记录时间早于事件发生时间", "must not be before the incident occurred")
    entry = LogEntry(post_id=post.id, at=at, author=caller.user.username, kind="entry", text=data.text)
    post.log.append(entry)
    session.flush()
    audit.record(session, actor=caller.actor, action="command_post.log", target_type="incident",
                 target_id=incident.id, basis=str(rules.ON_SITE),
                 after={"log_id": entry.id, "at": at, "text": entry.text})
    return entry
