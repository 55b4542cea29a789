"""12345 接诉即办, pure (东政办发〔2021〕17号 三（一）5: 接诉即办，不断提高医疗卫生相关问题的解决率和满意率): the
workflow of a ticket, who takes it in and who answers it, and the three monthly rates of a unit — 响应率, 解决率,
满意率 — each a plain ratio with its definition (docs/supervision-credit.md); no weighted score is invented."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from dongcheng.core.basis import Basis, platform_default
from dongcheng.core.decision import Decision, allow, refuse
from dongcheng.core.workflow import Step, Workflow

PLAN = "东政办发〔2021〕17号"
BASIS = Basis(PLAN, "三（一）5", "依托12345市民服务热线……接诉即办，不断提高医疗卫生相关问题的解决率和满意率")
# The lead of 三（一）5 is the 区城指中心 (first named); the 区卫生健康委 is the sector's lead (三（一）4). Either takes a
# 12345 ticket in and assigns it.
DISPATCH_UNITS = ("区城指中心", "区卫生健康委")
# Platform default: a ticket is 响应 on time when the unit first answers within 24 hours of assignment. The text
# gives no limit; Beijing's 接诉即办 counts a response as the unit's contact with the caller within the limit.
RESPONSE_HOURS = 24
RESPONSE_BASIS = Basis(PLAN, "三（一）5", platform_default("complaint_response_hours",
                                                          f"响应时限{RESPONSE_HOURS}小时（文件未规定）"))

FLOW = Workflow("12345 工单", "12345 ticket", (
        Step("assign", frozenset({"received", "assigned"}), "assigned", BASIS, "派单"),
        Step("respond", frozenset({"assigned", "responded"}), "responded", BASIS, "答复"),
        Step("visit", frozenset({"responded"}), "closed", BASIS, "回访"),
))
STATUS_LABELS = {"received": "已受理", "assigned": "已派单", "responded": "已答复", "closed": "已回访"}


def may_dispatch(unit_name: str | None, parent_name: str | None) -> Decision:
    if any(u in (unit_name, parent_name) for u in DISPATCH_UNITS):
        return allow(BASIS)
    return refuse(BASIS, "12345 工单由区城指中心或区卫生健康委受理、派单", "Only the dispatch units take in and assign")


def may_respond(unit_id: int | None, assigned_unit_id: int | None) -> Decision:
    """The unit a ticket is assigned to answers it (承办单位), nobody else."""
    if unit_id is not None and unit_id == assigned_unit_id:
        return allow(BASIS)
    return refuse(BASIS, "只有承办单位可以答复本工单", "Only the unit the ticket is assigned to responds")


def responded_on_time(assigned_at: datetime | None, responded_at: datetime | None) -> bool:
    return (assigned_at is not None and responded_at is not None
            and responded_at - assigned_at <= timedelta(hours=RESPONSE_HOURS))


@dataclass(frozen=True)
class TicketFacts:
    assigned_at: datetime | None
    responded_at: datetime | None
    resolved: bool | None
    satisfied: bool | None


@dataclass(frozen=True)
class Rates:
    """One unit's month. Each rate is numerator / denominator, None when the denominator is 0 (nothing to rate)."""

    assigned: int  # 派单量: tickets assigned to the unit, received in the month
    responded_on_time: int
    visited_resolved: int  # tickets with a 回访 answer on resolution
    resolved: int
    visited_satisfied: int
    satisfied: int

    @staticmethod
    def ratio(n: int, d: int) -> Fraction | None:
        return Fraction(n, d) if d else None

    @property
    def response_rate(self) -> Fraction | None:
        """响应率 = 时限内响应的工单 / 派单量."""
        return self.ratio(self.responded_on_time, self.assigned)

    @property
    def resolution_rate(self) -> Fraction | None:
        """解决率 = 回访为已解决的工单 / 回访了解决情况的工单."""
        return self.ratio(self.resolved, self.visited_resolved)

    @property
    def satisfaction_rate(self) -> Fraction | None:
        """满意率 = 回访为满意的工单 / 回访了满意情况的工单."""
        return self.ratio(self.satisfied, self.visited_satisfied)


def rates(tickets: list[TicketFacts]) -> Rates:
    return Rates(
        assigned=len(tickets),
        responded_on_time=sum(responded_on_time(t.assigned_at, t.responded_at) for t in tickets),
        visited_resolved=sum(t.resolved is not None for t in tickets),
        resolved=sum(t.resolved is True for t in tickets),
        visited_satisfied=sum(t.satisfied is not None for t in tickets),
        satisfied=sum(t.satisfied is True for t in tickets),
    )


def percent(value: Fraction | None) -> str | None:
    """Shown to one decimal (e.g. 66.7%); None stays None (无数据)."""
    return None if value is None else f"{float(value) * 100:.1f}%"
