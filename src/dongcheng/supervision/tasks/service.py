"""The tasks of 东政办发〔2021〕17号 at work: each unit's tasks, a task's periods (the lead's report, each co-unit's
contribution), the district overview with the supervising leader of each lead unit, and filing. Loads through
repository.py, asks rules.py, audits every filing, never commits."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.auth.service import Caller, authorize
from dongcheng.core.errors import conflict, not_found
from dongcheng.core.time import today_local, utcnow
from dongcheng.directory.service import SupervisingLeader, supervising_leader
from dongcheng.supervision.tasks import repository, rules
from dongcheng.supervision.tasks.files import TaskPlan, read_tasks
from dongcheng.supervision.tasks.models import TaskReport
from dongcheng.supervision.tasks.rules import Period, Task
from dongcheng.supervision.tasks.schemas import ContributionIn, ReportIn

READ, REPORT, CONTRIBUTE = "supervision.tasks.read", "supervision.tasks.report", "supervision.tasks.contribute"
TARGET = "supervision_task"


def load_plan(data_dir: Path) -> TaskPlan:
    return read_tasks(Path(data_dir))


@dataclass
class CoLine:
    printed: str
    unit: str | None
    report: TaskReport | None = None


@dataclass
class PeriodLine:
    period: Period
    report: TaskReport | None
    status: str  # rules.report_status
    co: list[CoLine] = field(default_factory=list)


@dataclass
class TaskView:
    task: Task
    reporting_units: tuple[str, ...]
    role: str | None  # the caller's unit on this task: lead | co | None
    periods: list[PeriodLine]
    leaders: dict[str, SupervisingLeader] = field(default_factory=dict)  # reporting unit → its supervising leader
    today: date | None = None

    @property
    def latest_due(self) -> PeriodLine | None:
        """The most recent period whose report is due (its due day has passed); before the first, the first."""
        due = [p for p in self.periods if self.today and p.period.due < self.today]
        return due[0] if due else (self.periods[-1] if self.periods else None)

    @property
    def overdue(self) -> list[PeriodLine]:
        return [p for p in self.periods if p.status == "overdue"]

    def line(self, period: Period | None) -> PeriodLine | None:
        return next((p for p in self.periods if period and p.period == period), None)


def _unit_of(caller: Caller) -> tuple[str | None, str | None]:
    return (caller.unit.name, caller.unit.kind) if caller.unit else (None, None)


def _views(session: Session, plan: TaskPlan, tasks: list[Task], today: date, caller: Caller | None,
           with_leaders: bool = False) -> list[TaskView]:
    names = repository.unit_names(session)
    streets = repository.street_names(session)
    by_task: dict[str, dict[tuple[int, int, str], TaskReport]] = {}
    for r in repository.reports(session):
        by_task.setdefault(r.task_key, {})[(r.year, r.quarter, names.get(r.unit_id, ""))] = r
    unit, kind = _unit_of(caller) if caller else (None, None)
    leaders: dict[str, SupervisingLeader] = {}
    if with_leaders:
        wanted = {u for t in tasks for u in rules.reporting_units(t, plan.administering_unit)}
        for name, row in repository.units_named(session, wanted).items():
            leaders[name] = supervising_leader(session, row, today)
    out = []
    for task in tasks:
        filed = by_task.get(task.key, {})
        reporting = rules.reporting_units(task, plan.administering_unit)
        lines = []
        for period in reversed(rules.periods(plan.signed_on, today)):
            report = next((filed.get((period.year, period.quarter, u)) for u in reporting
                           if (period.year, period.quarter, u) in filed), None)
            co = [CoLine(p, u, filed.get((period.year, period.quarter, u)) if u else None)
                  for p, u in rules.co_units(task, streets, plan.administering_unit)]
            if any(e.printed == rules.ANY_DEPARTMENT for e in task.entries):  # 各相关部门: whoever contributed
                co += [CoLine(rules.ANY_DEPARTMENT, u, r) for (y, q, u), r in filed.items()
                       if (y, q) == (period.year, period.quarter) and r.kind == "contribution"]
            lines.append(PeriodLine(period, report,
                                    rules.report_status(period, report.submitted_on if report else None, today), co))
        out.append(TaskView(task, reporting, rules.role_of(task, unit, kind, plan.administering_unit), lines,
                            {u: leaders[u] for u in reporting if u in leaders}, today))
    return out


def my_tasks(session: Session, *, caller: Caller, plan: TaskPlan, today: date | None = None) -> list[TaskView]:
    """The tasks the caller's unit leads or contributes to (我的任务), in the plan's order."""
    authorize(caller, READ)
    unit, kind = _unit_of(caller)
    mine = [t for t in plan.tasks if rules.role_of(t, unit, kind, plan.administering_unit)]
    return _views(session, plan, mine, today or today_local(), caller)


def overview(session: Session, *, caller: Caller, plan: TaskPlan, today: date | None = None) -> list[TaskView]:
    """Every task with its lead, the lead's supervising leader (东政办发〔2021〕18号) and its reports: for district
    leaders and the 区卫生健康委 (三（一）4)."""
    authorize(caller, READ)
    unit, _ = _unit_of(caller)
    rules.may_view_overview(caller.user.role, unit, plan.administering_unit).require()
    return _views(session, plan, list(plan.tasks), today or today_local(), caller, with_leaders=True)


def task_view(session: Session, *, caller: Caller, plan: TaskPlan, slug: str, today: date | None = None) -> TaskView:
    authorize(caller, READ)
    task = plan.task(slug)
    if task is None:
        raise not_found("任务", "task", slug)
    unit, kind = _unit_of(caller)
    role = rules.role_of(task, unit, kind, plan.administering_unit)
    overview_allowed = rules.may_view_overview(caller.user.role, unit, plan.administering_unit)
    rules.may_read_task(caller.user.role, role, overview_allowed).require()
    (view,) = _views(session, plan, [task], today or today_local(), caller, with_leaders=True)
    return view


def file(session: Session, *, caller: Caller, plan: TaskPlan, slug: str, data: ReportIn | ContributionIn,
         today: date | None = None) -> TaskReport:
    """The lead's report (ReportIn) or a co-unit's contribution (ContributionIn) for a period: one each per unit and
    period (a second is 409), from the plan's first quarter to today's; met or late against the due day."""
    kind = "lead" if isinstance(data, ReportIn) else "contribution"
    authorize(caller, REPORT if kind == "lead" else CONTRIBUTE, unit=caller.unit)
    day = today or today_local()
    task = plan.task(slug)
    if task is None:
        raise not_found("任务", "task", slug)
    unit, unit_kind = _unit_of(caller)
    rules.may_file(rules.role_of(task, unit, unit_kind, plan.administering_unit), "lead" if kind == "lead" else "co",
                   task, unit).require()
    period = rules.period_of(data.year, data.quarter)
    rules.may_file_period(period, plan.signed_on, day).require()
    if repository.report(session, task.key, data.year, data.quarter, caller.unit.id) is not None:
        raise conflict(f"{unit}已报送{task.key}{period.label}的{'进展' if kind == 'lead' else '配合情况'}",
                       f"{unit} has already filed {task.key} for {period.code}")
    status = rules.report_status(period, day, day)
    basis = f"{task.clause}（{rules.LEAD_BASIS.note}）；{rules.PERIOD_BASIS}"
    row = TaskReport(task_key=task.key, year=data.year, quarter=data.quarter, unit_id=caller.unit.id, kind=kind,
                     progress=data.progress, issues=getattr(data, "issues", "").strip(),
                     next_steps=getattr(data, "next_steps", "").strip(), submitted_on=day, status=status,
                     basis=basis, recorded_by=caller.user.username, recorded_at=utcnow())
    session.add(row)
    session.flush()
    audit.record(session, actor=caller.actor, action=f"supervision.tasks.{'report' if kind == 'lead' else 'contribute'}",
                 target_type=TARGET, target_id=task.key, basis=basis,
                 after={"task": task.key, "period": period.code, "unit": unit, "status": status,
                        "due": period.due.isoformat(), "submitted_on": day.isoformat()})
    return row
