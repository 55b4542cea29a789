"""Material dispatch (应急物资调拨, 东政发〔2022〕3号 §6.4.3), clause by clause — pure: inputs in, ``Decision`` out.

§6.4.3: 负责突发事件处置的主责部门根据处置需要提出应急物资需求，经主管区领导批准后下达应急物资调拨指令。北京市或市相关
部门、京内其他区需要调拨本区应急物资时，由区应急委统一协调。§6.4.1: 实现应急物资的集中管理和统一调拨.

The state table (``FLOW``): requested → (approve) ordered, numbered 东应调〔YYYY〕N号 → (issue) issued → (receive)
received; the approver may instead return it (returned → resubmit → requested).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from dongcheng.core.basis import EMERGENCY_PLAN, Basis, platform_default
from dongcheng.core.decision import Decision, allow, refuse
from dongcheng.core.workflow import Step, Workflow
from dongcheng.emergency.preparedness.enums import DispatchAction as A
from dongcheng.emergency.preparedness.enums import DispatchStatus as S
from dongcheng.emergency.preparedness.enums import Origin

STAFF_ROLES = ("department", "duty_officer")


def clause(number: str, note: str = "") -> Basis:
    return Basis(EMERGENCY_PLAN, number, note)


REQUEST = clause("§6.4.3", "主责部门根据处置需要提出应急物资需求")
APPROVAL = clause("§6.4.3", "经主管区领导批准后下达应急物资调拨指令")
EXTERNAL = clause("§6.4.3", "北京市或市相关部门、京内其他区需要调拨本区应急物资时，由区应急委统一协调")
COMMITTEE = clause("§6.4.3, §2.1.2", "区应急委主任由区长担任，副主任由常务副区长担任，"
                   "执行副主任由协助负责应急管理方面工作的副区长担任")
CENTRAL = clause("§6.4.1", "应急物资的集中管理和统一调拨")
NUMBER_BASIS = clause("§6.4.3", "调拨指令按年度顺序编号；" + platform_default(
    "dispatch_order_number", "东应调〔年份〕序号号（原文未规定编号）"))

FLOW = Workflow("应急物资调拨", "material dispatch", [
    Step(A.APPROVE, {S.REQUESTED}, S.ORDERED, APPROVAL, by="主管区领导（外部请求：区应急委领导）"),
    Step(A.RETURN, {S.REQUESTED}, S.RETURNED, APPROVAL, by="审批人"),
    Step(A.RESUBMIT, {S.RETURNED}, S.REQUESTED, REQUEST, by="提出需求的单位"),
    Step(A.ISSUE, {S.ORDERED}, S.ISSUED, CENTRAL, by="仓库所属单位或区应急办"),
    Step(A.RECEIVE, {S.ISSUED}, S.RECEIVED, CENTRAL, by="接收单位"),
])

NUMBER_PREFIX = "东应调"  # platform default: the 区应急委 (东城区应急…) dispatch order, 调 for 调拨


def dispatch_number(year: int, seq: int) -> str:
    """东应调〔2026〕17号: the year in 〔〕 and the order's sequence in that year (GB/T 9704 style)."""
    return f"{NUMBER_PREFIX}〔{year}〕{seq}号"


@dataclass(frozen=True)
class Acting:
    """The facts about a caller the rules need (posts held today; the unit and whether it acts as the 区应急办)."""

    role: str
    unit_id: int | None = None
    unit_name: str | None = None
    unit_parent_id: int | None = None
    emergency_office: bool = False
    post_codes: frozenset[str] = field(default_factory=frozenset)

    def in_unit(self, unit_id: int | None) -> bool:
        return unit_id is not None and self.role in STAFF_ROLES and unit_id in (self.unit_id, self.unit_parent_id)

    @property
    def for_committee(self) -> bool:
        """Acting for the 区应急委: its office, the 区应急办 (§2.2.1) — duty officers and the office's staff."""
        return self.role in STAFF_ROLES and self.emergency_office


def is_external(origin: Origin | str) -> bool:
    return Origin(origin) != Origin.DISTRICT


def may_request(acting: Acting, origin: Origin | str, *, lead_unit_ids: set[int], requesting_unit_id: int | None) \
        -> Decision:
    """Who enters a request (§6.4.3): the incident's 主责部门 for its own unit; a request of the city, a city department
    or another district only the 区应急委 through its office (区应急办 duty officers), which 统一协调."""
    if is_external(origin):
        if acting.for_committee:
            return allow(EXTERNAL)
        return refuse(EXTERNAL, "北京市、市相关部门或京内其他区的调拨请求由区应急委（区应急办值班员代为）统一受理",
                      "A request of the city, a city department or another district is entered by the district "
                      "emergency committee (its duty officers)")
    if requesting_unit_id is None or requesting_unit_id not in lead_unit_ids:
        return refuse(REQUEST, "提出需求的单位须是该事件的处置主责部门", "the requesting unit must be a lead department of the "
                      "incident", 422, "requesting_unit")
    if acting.in_unit(requesting_unit_id) or acting.for_committee:
        return allow(REQUEST)
    return refuse(REQUEST, "只有该事件的处置主责部门（或代其录入的区应急办）可以提出应急物资需求",
                  "Only the incident's lead department (or the emergency office entering for it) requests materials")


@dataclass(frozen=True)
class Seat:
    """A leader seat and whoever holds it on the day (resolved from the directory)."""

    post_code: str
    post: str
    person: str | None
    role_note: str = ""


@dataclass(frozen=True)
class Approver:
    """Who must approve: the requesting unit's 主管区领导 (one seat), or the 区应急委's leaders (several seats)."""

    kind: str  # "supervisor" | "committee"
    seats: tuple[Seat, ...]
    basis: Basis

    def to_dict(self) -> dict:
        return {"kind": self.kind, "basis": str(self.basis),
                "seats": [{"post_code": s.post_code, "post": s.post, "person": s.person, "note": s.role_note}
                          for s in self.seats],
                "text": self.text}

    @property
    def text(self) -> str:
        if not self.seats:
            return "主管区领导未确定（须由区应急委指定）"
        return "、".join(f"{s.role_note or s.post}（{s.person or '空缺'}）" for s in self.seats)


def supervisor_approver(seat: Seat | None, basis: Basis) -> Approver:
    """经主管区领导批准 (§6.4.3): the requesting unit's 分管区领导 from the division of work (``basis``: its line)."""
    return Approver("supervisor", (seat,) if seat else (), Basis(APPROVAL.document, APPROVAL.clause,
                                                                 f"{APPROVAL.note}；{basis}"))


def committee_approver(seats: tuple[Seat, ...]) -> Approver:
    """由区应急委统一协调 (§6.4.3): its leading members who are district leaders (§2.1.2) — the 主任 (区长), the 副主任
    (常务副区长) and the 执行副主任 (the 副区长 assisting on 应急管理) — approve for it; a department never does."""
    return Approver("committee", seats, COMMITTEE)


def may_approve(approver: Approver, acting: Acting) -> Decision:
    """Authority follows the post held today: a leader holding one of the approver's seats approves or returns."""
    if acting.role == "leader" and any(s.post_code in acting.post_codes for s in approver.seats):
        return allow(approver.basis)
    if not approver.seats:
        return refuse(approver.basis, "该单位的主管区领导未确定，无法审批", "No supervising leader is known for this unit",
                      409)
    return refuse(approver.basis, f"须由{approver.text}批准", f"Must be approved by the holder of "
                  f"{' or '.join(s.post_code for s in approver.seats)}")


def may_resubmit(acting: Acting, *, origin: Origin | str, requesting_unit_id: int | None) -> Decision:
    if is_external(origin):
        return allow(EXTERNAL) if acting.for_committee else refuse(EXTERNAL, "外部请求由区应急办重新提交",
                                                                   "the emergency office resubmits an external request")
    if acting.in_unit(requesting_unit_id) or acting.for_committee:
        return allow(REQUEST)
    return refuse(REQUEST, "只有提出需求的单位可以重新提交", "Only the requesting unit resubmits")


def may_issue(acting: Acting, warehouse_owner_id: int) -> Decision:
    """The warehouse confirms issue: staff of the unit that keeps it, or the 区应急办 (§6.4.1 统一调拨)."""
    if acting.in_unit(warehouse_owner_id) or acting.for_committee:
        return allow(CENTRAL)
    return refuse(CENTRAL, "只有仓库所属单位或区应急办可以确认出库", "Only the warehouse's unit or the emergency office issues")


def may_receive(acting: Acting, *, origin: Origin | str, requesting_unit_id: int | None) -> Decision:
    """The receiver confirms receipt: the requesting unit; for an external request the 区应急办 that coordinated it."""
    if acting.for_committee or (not is_external(origin) and acting.in_unit(requesting_unit_id)):
        return allow(CENTRAL)
    return refuse(CENTRAL, "只有接收单位（外部请求：区应急办）可以确认签收", "Only the receiving unit confirms receipt")


def check_issue_quantity(index: int, requested: int, issued: int) -> Decision:
    """Issue at most what the order says (a smaller figure is a shortfall, shown on the order)."""
    if issued < 0 or issued > requested:
        return refuse(CENTRAL, f"第{index + 1}行出库数量须在0至{requested}之间", f"line {index + 1}: issued quantity "
                      f"must be between 0 and {requested}", 422, f"lines.{index}.quantity")
    return allow(CENTRAL)


def check_receipt_quantity(index: int, issued: int, received: int) -> Decision:
    """Receive at most what left the warehouse; less is recorded as a shortfall."""
    if received < 0 or received > issued:
        return refuse(CENTRAL, f"第{index + 1}行签收数量须在0至{issued}之间", f"line {index + 1}: received quantity "
                      f"must be between 0 and {issued}", 422, f"lines.{index}.quantity")
    return allow(CENTRAL)


def shortfall(requested: int, received: int | None) -> int:
    """What the order asked for and the receiver did not get (shown on the order)."""
    return max(0, requested - (received or 0))
