"""The tasks of 东政办发〔2021〕17号 as rules (pure): who leads, who contributes, the reporting periods, when a report
is met, late or overdue, and who may read the district overview. Inputs in, ``Decision`` or values out; no I/O."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dongcheng.core.basis import Basis, platform_default
from dongcheng.core.decision import Decision, allow, refuse
from dongcheng.directory.units import UnitIndex

DOCUMENT = "东政办发〔2021〕17号"
LEAD_BASIS = Basis(DOCUMENT, "三（一）1", "第一个部门为牵头责任部门，下同")
ADMIN_BASIS = Basis(DOCUMENT, "三（一）4", "建立由区卫生健康行政部门牵头、有关部门参加的综合监管协调机制")
# The plan names owners but no reporting cycle: the platform asks each lead for a report every quarter, due within
# 15 days of the quarter's end (the same allowance as the incubator quarterly reports). An administrator's choice.
REPORT_MONTHS = 3
REPORT_DUE_DAYS = 15
PERIOD_BASIS = Basis(DOCUMENT, "", platform_default(
    "supervision_report_period", "牵头部门每季度报送一次进展，季度结束后15日内报送（文件未规定报送周期和期限）"))

GROUP_STREETS = "street"  # 各街道办事处: every street (units.yaml ``groups``)
GROUP_NAMED = "named"  # 各级各类医疗卫生机构, 各行业协会（学会）, 各质控中心, 各相关部门 (units.yaml ``named_groups``)
ANY_DEPARTMENT = "各相关部门"  # the platform cannot tell which departments are "related": any department may contribute
DEPARTMENT_KINDS = ("government", "party", "agency", "police", "assembly", "central", "command")


@dataclass(frozen=True)
class Entry:
    """One name of a 责任部门 list as printed, and what it names: units (canonical names) or a group."""

    printed: str
    units: tuple[str, ...] = ()
    group: str | None = None  # GROUP_STREETS | GROUP_NAMED

    @property
    def is_group(self) -> bool:
        return self.group is not None


def resolve_entry(printed: str, index: UnitIndex, groups: dict[str, str], named: set[str]) -> Entry | None:
    """A printed name → its units or group; None when nothing in the directory answers to it.

    ``区城管委（区城管执法局）`` names two units: a bracket that resolves to another unit than the name before it adds that
    unit (the 18号 brackets, ``区城市管理委员会（区水务局…）``, name offices inside one unit and resolve to the same)."""
    text = printed.strip()
    if text in named:
        return Entry(text, group=GROUP_NAMED)
    if text in groups:
        return Entry(text, group=groups[text])
    head, _, rest = text.partition("（")
    main = index.resolve(text)
    if main is None:
        return None
    units = [main]
    if rest:
        inner = index.resolve(rest.rstrip("）"))
        if inner is not None and inner not in units and index.resolve(head) == main:
            units.append(inner)
    return Entry(text, units=tuple(units))


@dataclass(frozen=True)
class Task:
    key: str  # 三（二）4
    slug: str  # 3-2-4
    title: str
    label: str  # 责任部门 | 责任单位
    entries: tuple[Entry, ...]
    clause: str

    @property
    def lead(self) -> Entry:
        """第一个部门为牵头责任部门 (三（一）1)."""
        return self.entries[0]

    @property
    def co(self) -> tuple[Entry, ...]:
        return self.entries[1:]


def reporting_units(task: Task, administering_unit: str) -> tuple[str, ...]:
    """Who files the task's progress report: the lead unit(s); where the lead is a group with no account of its own
    (各级各类医疗卫生机构, 各相关部门), the unit that runs the coordination (区卫生健康委, 三（一）4)."""
    return task.lead.units if task.lead.units else (administering_unit,)


def role_of(task: Task, unit: str | None, unit_kind: str | None, administering_unit: str) -> str | None:
    """``lead`` (files the report), ``co`` (contributes) or None for the caller's unit on this task."""
    if unit is None:
        return None
    if unit in reporting_units(task, administering_unit):
        return "lead"
    for entry in task.co if task.lead.units else task.entries:
        if unit in entry.units or (entry.group == GROUP_STREETS and unit_kind == "street"):
            return "co"
        if entry.printed == ANY_DEPARTMENT and unit_kind in DEPARTMENT_KINDS and unit != administering_unit:
            return "co"
    return None


def co_units(task: Task, streets: list[str], administering_unit: str) -> list[tuple[str, str | None]]:
    """The co-units one by one, in the printed order: (printed name, unit) — 各街道办事处 as the 17 streets; a named
    group as itself with no unit (it has no account: its part is in the lead's report)."""
    out: list[tuple[str, str | None]] = []
    lead_units = set(reporting_units(task, administering_unit))
    for entry in (task.co if task.lead.units else task.entries):
        if entry.group == GROUP_STREETS:
            out += [(entry.printed, s) for s in streets]
        elif entry.units:
            out += [(entry.printed, u) for u in entry.units if u not in lead_units]
        else:
            out.append((entry.printed, None))
    return out


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int
    start: date
    end: date
    due: date

    @property
    def label(self) -> str:
        return f"{self.year}年第{self.quarter}季度"

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.quarter}"


def period_of(year: int, quarter: int) -> Period:
    """A quarter and the day its report is due (REPORT_DUE_DAYS after its last day; platform default)."""
    start = date(year, 3 * (quarter - 1) + 1, 1)
    nxt = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    end = nxt - timedelta(days=1)
    return Period(year, quarter, start, end, end + timedelta(days=REPORT_DUE_DAYS))


def period_containing(day: date) -> Period:
    return period_of(day.year, (day.month - 1) // 3 + 1)


def periods(signed_on: date, today: date) -> list[Period]:
    """Every quarter from the one the plan was signed in (2021-12-09 → 2021年第4季度) to today's, in order."""
    out = []
    p = period_containing(signed_on)
    last = period_containing(today)
    while (p.year, p.quarter) <= (last.year, last.quarter):
        out.append(p)
        p = period_of(p.year + (p.quarter == 4), p.quarter % 4 + 1)
    return out


def last_due(signed_on: date, today: date) -> Period | None:
    """The latest period whose report is already due (its due day has passed), or None."""
    due = [p for p in periods(signed_on, today) if p.due < today]
    return due[-1] if due else None


def report_status(period: Period, submitted_on: date | None, today: date) -> str:
    """``met`` (filed by the due day), ``late`` (filed after it), ``overdue`` (not filed, due day passed), ``open``
    (not filed, not yet due). A report filed on the due day is met; the next day, late."""
    if submitted_on is not None:
        return "met" if submitted_on <= period.due else "late"
    return "overdue" if today > period.due else "open"


def may_file(role: str | None, wanted: str, task: Task, unit: str | None) -> Decision:
    """The lead reports, each co-unit contributes (三（一）1: the first is the lead); anyone else: 403."""
    if role == wanted:
        return allow(LEAD_BASIS)
    who = "牵头部门" if wanted == "lead" else "配合部门"
    return refuse(LEAD_BASIS, f"{unit or '您的单位'}不是任务{task.key}的{who}",
                  f"{unit or 'your unit'} is not the {'lead' if wanted == 'lead' else 'co-unit'} of task {task.key}", 403)


def may_file_period(period: Period, signed_on: date, today: date) -> Decision:
    """A period from the plan's quarter to today's (a report on a quarter that has not begun is refused)."""
    first = period_containing(signed_on)
    if (period.year, period.quarter) < (first.year, first.quarter):
        return refuse(PERIOD_BASIS, f"方案于{signed_on.isoformat()}印发，最早报送{first.label}",
                      f"the plan was signed on {signed_on.isoformat()}: the first period is {first.code}", 422, "year")
    if period.start > today:
        return refuse(PERIOD_BASIS, f"{period.label}尚未开始，不能报送", f"{period.code} has not begun", 422, "quarter")
    return allow(PERIOD_BASIS)


def may_view_overview(role: str, unit: str | None, administering_unit: str) -> Decision:
    """The district overview: district leaders, and the 区卫生健康委 that runs the coordination (三（一）4); every other
    unit reads its own tasks."""
    if role == "leader" or (role == "department" and unit == administering_unit):
        return allow(ADMIN_BASIS)
    return refuse(ADMIN_BASIS, "全区任务总览仅限区领导和区卫生健康委查看", "the district overview is for district leaders "
                  "and the 区卫生健康委", 403)


def may_read_task(role: str, unit_role: str | None, overview: Decision) -> Decision:
    """A task's reports: its lead and co-units, and whoever reads the overview."""
    if overview.allowed or unit_role is not None:
        return allow(LEAD_BASIS)
    return refuse(LEAD_BASIS, "您的单位不是该任务的责任部门", "your unit is not responsible for this task", 403)
