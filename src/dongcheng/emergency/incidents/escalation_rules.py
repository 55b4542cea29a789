"""Escalation waves of the reporting clock (信息报送, 东政发〔2022〕3号 §4.1.4–§4.1.7). Pure: clocks and an instant
in, the waves due out, each with its basis. No I/O.

A statutory clock (初报 10 minutes §4.1.5, 详报 1 hour §4.1.4, 续报 every 30 minutes §4.1.5) that is still open
raises three waves, each once:

- ``lead``    at ``ALARM_LEAD`` before the due second → the duty contact of the unit that owes the report;
- ``due``     at the due second                      → the 区应急办 (it receives every report, §4.1.4–§4.1.5);
- ``overdue`` ``OVERDUE_AFTER`` after the due second   → the district leader who supervises that unit
  (东政办发〔2021〕18号, the post on the day).

The plan sets the deadlines, not when to remind: the two offsets are platform defaults. A wave is due at ``t`` when
its threshold is at or before ``t`` and the clock is still open at ``t`` (no report met it, it was not closed, and
— a 续报 — the next one is not yet due); a wave of a clock met or closed before its threshold is never due.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from dongcheng.core.basis import DIVISION_OF_WORK, EMERGENCY_PLAN, Basis, platform_default

ALARM_LEAD = timedelta(minutes=5)
ALARM_LEAD_DEFAULT = platform_default(
    "alarm_lead_time", "报送时限前5分钟提醒（值班台、事件页声音与通知，并通知责任单位值班联系人）；条文只规定时限")
OVERDUE_AFTER = timedelta(minutes=10)
OVERDUE_AFTER_DEFAULT = platform_default(
    "escalation_overdue_after", "超过报送时限10分钟仍未报送，通知分管区领导；条文未规定督促时间")


class Wave(StrEnum):
    LEAD = "lead"
    DUE = "due"
    OVERDUE = "overdue"


class Audience(StrEnum):
    LEAD_UNIT = "lead_unit"  # the duty contact of the unit that owes the report
    EMERGENCY_OFFICE = "emergency_office"  # 区应急办
    SUPERVISING_LEADER = "supervising_leader"  # the district leader supervising that unit, by post on the day


AUDIENCE = {Wave.LEAD: Audience.LEAD_UNIT, Wave.DUE: Audience.EMERGENCY_OFFICE,
            Wave.OVERDUE: Audience.SUPERVISING_LEADER}
WAVE_LABELS = {Wave.LEAD: "时限前提醒", Wave.DUE: "到期提醒", Wave.OVERDUE: "超时督促"}
AUDIENCE_LABELS = {Audience.LEAD_UNIT: "责任单位值班联系人", Audience.EMERGENCY_OFFICE: "区应急办",
                   Audience.SUPERVISING_LEADER: "分管区领导"}
WAVE_BASIS = {
    Wave.LEAD: Basis(EMERGENCY_PLAN, "§4.1.4–§4.1.5", ALARM_LEAD_DEFAULT),
    Wave.DUE: Basis(EMERGENCY_PLAN, "§2.2.1, §4.1.4–§4.1.5", "区应急办接收信息报告"),
    Wave.OVERDUE: Basis(DIVISION_OF_WORK, "", OVERDUE_AFTER_DEFAULT),
}


@dataclass(frozen=True)
class Clock:
    """One statutory clock: a deadline row as the rule needs it."""

    deadline_id: int
    due_at: datetime
    met_at: datetime | None = None
    closed_at: datetime | None = None
    owed_until: datetime | None = None  # a 续报 can no longer be filed once the next is due (rules.superseded)

    def open_at(self, t: datetime) -> bool:
        return ((self.met_at is None or self.met_at > t) and (self.closed_at is None or self.closed_at > t)
                and (self.owed_until is None or self.owed_until > t))


@dataclass(frozen=True)
class WaveDue:
    deadline_id: int
    wave: Wave
    threshold: datetime
    audience: Audience
    basis: Basis


def threshold(due_at: datetime, wave: Wave, *, lead: timedelta = ALARM_LEAD,
              overdue_after: timedelta = OVERDUE_AFTER) -> datetime:
    """The second a wave of a clock due at ``due_at`` falls due."""
    if wave is Wave.LEAD:
        return due_at - lead
    if wave is Wave.DUE:
        return due_at
    return due_at + overdue_after


def waves_of(clock: Clock, *, lead: timedelta = ALARM_LEAD, overdue_after: timedelta = OVERDUE_AFTER) -> list[WaveDue]:
    """The three waves of a clock, in order, whether due or not."""
    return [WaveDue(clock.deadline_id, w, threshold(clock.due_at, w, lead=lead, overdue_after=overdue_after),
                    AUDIENCE[w], WAVE_BASIS[w]) for w in Wave]


def waves_due(clocks: Iterable[Clock], now: datetime, *, already: Iterable[tuple[int, str]] = (),
              lead: timedelta = ALARM_LEAD, overdue_after: timedelta = OVERDUE_AFTER) -> list[WaveDue]:
    """The waves due at ``now`` and not yet raised (``already``: (deadline id, wave) pairs raised before), in
    threshold order. A wave is due when its threshold has come (``threshold <= now``) and the clock is still open."""
    done = {(d, str(w)) for d, w in already}
    out = [w for c in clocks if c.open_at(now)
           for w in waves_of(c, lead=lead, overdue_after=overdue_after)
           if w.threshold <= now and (w.deadline_id, w.wave.value) not in done]
    return sorted(out, key=lambda w: (w.threshold, w.deadline_id, list(Wave).index(w.wave)))


def next_threshold(clocks: Iterable[Clock], now: datetime, *, lead: timedelta = ALARM_LEAD,
                   overdue_after: timedelta = OVERDUE_AFTER) -> datetime | None:
    """When the next wave of these clocks falls due after ``now`` (None: none will)."""
    later = [w.threshold for c in clocks if c.open_at(now)
             for w in waves_of(c, lead=lead, overdue_after=overdue_after) if w.threshold > now]
    return min(later, default=None)


# --- who a wave reaches ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Undeliverable:
    """A wave that reaches nobody, and why (recorded, never silently dropped)."""

    zh: str
    en: str


def no_duty_contact(unit_name: str | None) -> Undeliverable:
    if unit_name is None:
        return Undeliverable("报送责任单位未确定，无值班联系人可通知", "no unit owes the report: no duty contact to notify")
    return Undeliverable(f"“{unit_name}”未登记值班联系方式", f"{unit_name} has no duty contact on record")


def no_supervising_leader(unit_name: str | None) -> Undeliverable:
    return Undeliverable(f"未找到“{unit_name or '责任单位'}”的分管区领导（分工未列明，须由区政府指定）",
                         f"no district leader supervises {unit_name or 'the unit'} in the division of work")


def post_vacant(post_title: str) -> Undeliverable:
    return Undeliverable(f"“{post_title}”当日无人任职", f"nobody holds {post_title} on the day")


def no_post_contact(post_title: str) -> Undeliverable:
    return Undeliverable(f"“{post_title}”未登记联系方式", f"{post_title} has no contact on record")


def _minutes(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    return f"{seconds // 60}分钟" if seconds % 60 == 0 else f"{seconds}秒"


def notice_text(*, wave: Wave, drill: bool, incident_id: int, title: str, clock_label: str, due_local: str,
                responsible: str | None, basis: str, overdue_after: timedelta = OVERDUE_AFTER) -> str:
    """The words of a notice (SMS-length where it can be): what is due, when, who owes it, and the clause."""
    head = "【演练】" if drill else ""
    state = {Wave.LEAD: f"将于{due_local}到期", Wave.DUE: f"已于{due_local}到期，尚未报送",
             Wave.OVERDUE: f"已超过{due_local}时限{_minutes(overdue_after)}仍未报送"}[wave]
    who = f"，责任单位：{responsible}" if responsible else ""
    return f"{head}【东城区应急·报送时限】事件#{incident_id}“{title}”{clock_label}{state}{who}。依据：{basis}"
