"""Funds for an incident (资金保障, 东政发〔2022〕3号 §6.8) — pure: inputs in, Decision and Basis out.

§6.8.2 区财政部门负责…专项准备资金和公共财政应急储备资金的管理…经区政府批准后启动应对突发事件专项准备资金，必要时动用
公共财政应急储备资金. §6.8.3 按照“急事急办”的原则，简化工作环节，凡区政府批准的拨款事宜，在1个工作日内完成相关手续.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from dongcheng.calendar.rules import WorkingDays
from dongcheng.core.basis import EMERGENCY_PLAN, Basis
from dongcheng.core.decision import Decision, allow, refuse
from dongcheng.core.time import BEIJING, ensure_utc
from dongcheng.core.workflow import Step, Workflow


def clause(c: str, note: str = "") -> Basis:
    return Basis(EMERGENCY_PLAN, c, note)


# §6.8.3: 凡区政府批准的拨款事宜，在1个工作日内完成相关手续.
WORKING_DAYS_TO_COMPLETE = 1
DEADLINE_BASIS = clause("§6.8.3", "凡区政府批准的拨款事宜，在1个工作日内完成相关手续")
APPROVAL_BASIS = clause("§6.8.2, §6.8.3", "区政府批准")
COMPLETION_BASIS = clause("§6.8.2", "区财政部门负责资金的管理")
FINANCE_BUREAU = "区财政局"  # 区财政部门 (§6.8.2), as units.yaml names it


class Source(StrEnum):
    """Where the money comes from (§6.8.1, §6.8.2)."""

    BUDGET = "budget"  # 调整部门预算结构，削减部门支出预算 (§6.8.2)
    SPECIAL_RESERVE = "special_reserve"  # 突发事件专项准备资金：经区政府批准后启动 (§6.8.2)
    PUBLIC_RESERVE = "public_reserve"  # 公共财政应急储备资金（政府预备费）：必要时动用 (§6.8.1, §6.8.2)


SOURCE_LABELS = {
    Source.BUDGET: "调整部门预算结构",
    Source.SPECIAL_RESERVE: "突发事件专项准备资金",
    Source.PUBLIC_RESERVE: "公共财政应急储备资金",
}
SOURCE_BASIS = {
    Source.BUDGET: clause("§6.8.2", "调整部门预算结构，削减部门支出预算，集中财力应对突发事件"),
    Source.SPECIAL_RESERVE: clause("§6.8.2", "经区政府批准后启动应对突发事件专项准备资金"),
    Source.PUBLIC_RESERVE: clause("§6.8.1, §6.8.2", "必要时动用公共财政应急储备资金"),
}


class Status(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    COMPLETED = "completed"
    REJECTED = "rejected"


STATUS_LABELS = {Status.REQUESTED: "待区政府批准", Status.APPROVED: "已批准，待办理", Status.COMPLETED: "已完成拨款手续",
                 Status.REJECTED: "未批准"}

FLOW = Workflow("拨款", "disbursement", [
    Step("approve", {Status.REQUESTED}, Status.APPROVED, APPROVAL_BASIS, by="区政府（当日在任的区领导）"),
    Step("reject", {Status.REQUESTED}, Status.REJECTED, APPROVAL_BASIS, by="区政府（当日在任的区领导）"),
    # Nothing is paid before the 区政府 approves: the special reserve fund starts only 经区政府批准 (§6.8.2).
    Step("complete", {Status.APPROVED}, Status.COMPLETED, clause("§6.8.2, §6.8.3"), by="区财政局"),
])


def may_approve(role: str, leader_posts_today: list[str]) -> Decision:
    """区政府批准 (§6.8.2, §6.8.3): a district leader (区长 or a 副区长 seat) holding the post on the day of approval.
    ``leader_posts_today``: the titles of the leader seats the person holds that day (from the directory)."""
    if role != "leader":
        return refuse(APPROVAL_BASIS, "拨款须经区政府批准：只有区领导可以批准", "Only a district leader approves for the "
                      "district government (§6.8.2, §6.8.3)")
    if not leader_posts_today:
        return refuse(APPROVAL_BASIS, "您当日未担任区领导职务，不能代表区政府批准拨款",
                      "You hold no district leader post on the day, so you cannot approve for the district government")
    return allow(APPROVAL_BASIS)


def may_complete(role: str, unit: str | None, unit_parent: str | None) -> Decision:
    """The 区财政部门 manages the funds (§6.8.2) and completes the formalities (§6.8.3): a department user of the
    区财政局 (or of a unit inside it)."""
    if role == "department" and FINANCE_BUREAU in (unit, unit_parent):
        return allow(COMPLETION_BASIS)
    return refuse(COMPLETION_BASIS, "只有区财政局可以登记完成拨款手续",
                  "Only the district finance bureau records the disbursement as completed (§6.8.2)")


@dataclass(frozen=True)
class Due:
    """When the formalities must be complete: by the end (23:59:59 Beijing time) of ``on``."""

    approved_on: date
    on: date
    at: datetime
    provisional: bool
    sources: tuple[str, ...]
    basis: Basis = DEADLINE_BASIS

    def to_dict(self) -> dict:
        return {"approved_on": self.approved_on.isoformat(), "due_on": self.on.isoformat(),
                "due_at": self.at.isoformat(), "provisional": self.provisional, "sources": list(self.sources),
                "basis": str(self.basis)}


def due(approved_at: datetime, calendar: WorkingDays) -> Due:
    """§6.8.3 在1个工作日内: the first working day after the day of approval (that day not counted), on the official
    calendar with its holidays and make-up working days; provisional where the year's schedule is estimated."""
    approved_on = ensure_utc(approved_at).astimezone(BEIJING).date()
    span = calendar.add(approved_on, WORKING_DAYS_TO_COMPLETE)
    end = datetime.combine(span.end, time(23, 59, 59), BEIJING)
    return Due(approved_on, span.end, end, span.provisional, span.sources)


class Timeliness(StrEnum):
    PENDING = "pending"  # approved, not yet due
    OVERDUE = "overdue"  # approved, past due, not completed
    MET = "met"
    LATE = "late"


TIMELINESS_LABELS = {Timeliness.PENDING: "办理中", Timeliness.OVERDUE: "已超时未完成", Timeliness.MET: "按时完成",
                     Timeliness.LATE: "超时完成"}


def timeliness(due_at: datetime, completed_at: datetime | None, at: datetime) -> Timeliness:
    """Completed on the due second is on time, one second later is late (§6.8.3)."""
    due_at = ensure_utc(due_at)
    if completed_at is not None:
        return Timeliness.MET if ensure_utc(completed_at).replace(microsecond=0) <= due_at else Timeliness.LATE
    return Timeliness.OVERDUE if ensure_utc(at).replace(microsecond=0) > due_at else Timeliness.PENDING
