"""Pure rules of recovery and rebuilding (恢复与重建, 东政发〔2022〕3号 §4.8, §5). No I/O."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dongcheng.core.basis import EMERGENCY_PLAN, Basis
from dongcheng.core.decision import Decision, allow, refuse


def plan(clause: str, note: str = "") -> Basis:
    return Basis(EMERGENCY_PLAN, clause, note)


RECOVERY = plan("§5")  # 恢复与重建
PLAN = plan("§5.1.1")  # 恢复重建计划和善后处理措施
LOSSES = plan("§5.1.2")  # 损失统计、核实和上报
INSURANCE = plan("§5.3.1")  # 保险理赔
EVALUATION = plan("§5.4.1, §5.4.2")  # 调查与评估


def _not_now(basis: Basis, zh: str, en: str) -> Decision:
    """A 409 whose message carries its clause: "…（东政发〔2022〕3号 §4.8, §5.1.1）"."""
    return refuse(basis, f"{zh}（{basis}）", f"{en} ({basis})", 409)


def may_record(*, ended: bool, closed: bool) -> Decision:
    """Recovery (§5) follows the end of the response (§4.8); a closed incident takes no more entries."""
    if not ended:
        return _not_now(plan("§4.8, §5.1.1"), "应急处置尚未结束：恢复与重建在宣布应急结束后开展",
                        "Recovery starts after the response has ended")
    if closed:
        return _not_now(RECOVERY, "事件已结案", "The incident is closed")
    return allow(RECOVERY)


@dataclass(frozen=True)
class Determination:
    """What the gazette determines for this incident (who counts the losses, whether it is evaluated) and why."""

    value: object
    text: str
    basis: Basis

    def to_dict(self, key: str) -> dict:
        return {key: self.value, "text": self.text, "basis": str(self.basis)}


# §5.1.2: 区应急管理、卫生健康、公安部门牵头 … 分别负责对自然灾害和事故灾难、公共卫生、社会安全事件造成的损失进行统计、核实和上报
LOSS_COUNTING_UNITS = {"自然灾害": "区应急局", "事故灾难": "区应急局", "公共卫生事件": "区卫生健康委",
                       "社会安全事件": "东城公安分局"}
_COUNTING_LABELS = {"区应急局": "应急管理部门", "区卫生健康委": "卫生健康部门", "东城公安分局": "公安部门"}


def loss_counting_unit(category: str | None) -> Determination:
    """Who counts, verifies and reports the losses, by category (§5.1.2)."""
    unit = LOSS_COUNTING_UNITS.get(category or "")
    if unit is None:
        return Determination(None, "事件类别未明，无法确定牵头统计损失的部门；请先确定事件类型", plan("§5.1.2"))
    return Determination(unit, f"{category}的损失由{_COUNTING_LABELS[unit]}（{unit}）牵头统计、核实和上报", plan("§5.1.2"))


def evaluation_required(grade: str | None) -> Determination:
    """§5.4.2: 一般、较大突发事件应急处置结束后 … 开展应对工作总结评估. 重大 and above are evaluated at city level
    or above (§5.4.3 另有规定的依照其规定); an ungraded situation is not a §5.4.2 case."""
    if grade in ("一般", "较大"):
        return Determination(True, f"{grade}突发事件应急处置结束后须开展应对工作总结评估", plan("§5.4.2"))
    if grade in ("重大", "特别重大"):
        return Determination(False, f"{grade}突发事件不属 §5.4.2（一般、较大）范围，调查评估依市级及以上规定",
                             plan("§5.4.2, §5.4.3"))
    return Determination(False, "事件等级未判定，不属 §5.4.2（一般、较大）范围", plan("§5.4.2"))


# §5.2: the kinds of relief, each with its clause
RELIEF_KINDS = {
    "生活救助": "§5.2.1",
    "倒损民房恢复重建": "§5.2.1",
    "安置和生活保障": "§5.2.2",
    "临时救助": "§5.2.2",
    "捐赠": "§5.2.3",
    "法律援助": "§5.2.4",
    "心理援助": "§5.2.5",
    "抚慰抚恤": "§5.2.6",
}

INSURANCE_STATUSES = ("已通报", "理赔中", "已赔付", "纠纷处理", "不予赔付")

# §5.5.1: 表彰、奖励 for outstanding work; 通报批评 and 责成限期整改 for tasks not done. §5.5.2: 处分.
MERIT_KINDS = {"表彰": "§5.5.1", "奖励": "§5.5.1", "通报批评": "§5.5.1", "责令整改": "§5.5.1", "处分": "§5.5.2"}


def relief_basis(kind: str) -> Basis:
    return plan(RELIEF_KINDS[kind])


def merit_basis(kind: str) -> Basis:
    return plan(MERIT_KINDS[kind])


def needs_deadline(kind: str) -> bool:
    """§5.5.1 责成其限期整改: an order to rectify carries its deadline."""
    return kind == "责令整改"


def may_record_merit(kind: str, *, has_deadline: bool) -> Decision:
    """§5.5.1 / §5.5.2; an order to rectify (责令整改) names its deadline (限期整改)."""
    if needs_deadline(kind) and not has_deadline:
        return refuse(merit_basis(kind), "责令整改须写明整改期限（§5.5.1 限期整改）",
                      "an order to rectify needs a deadline (§5.5.1)", 422, "deadline")
    return allow(merit_basis(kind))


def close_blockers(*, ended: bool, closed: bool, evaluation_required: bool, evaluation_in: bool) -> list[dict]:
    """What stands between the incident and 结案; empty when it may be closed."""
    out = []
    if not ended:
        out.append({"zh": "应急处置尚未结束", "en": "the response has not ended", "basis": str(plan("§4.8"))})
    if closed:
        out.append({"zh": "事件已结案", "en": "already closed", "basis": str(plan("§5"))})
    if evaluation_required and not evaluation_in:
        out.append({"zh": "一般、较大突发事件须先提交调查评估报告", "en": "the evaluation report (§5.4.2) is required first",
                    "basis": str(plan("§5.4.2"))})
    return out


def may_close(blockers: list[dict]) -> Decision:
    """结案 once nothing stands in the way (``close_blockers``); else a 409 naming each blocker with its clause."""
    if blockers:
        return refuse(RECOVERY, "；".join(f"{b['zh']}（{b['basis']}）" for b in blockers),
                      "; ".join(f"{b['en']} ({b['basis']})" for b in blockers), 409)
    return allow(RECOVERY)


def to_fen(yuan: Decimal | None) -> int | None:
    return None if yuan is None else int((yuan * 100).to_integral_value())


def to_yuan(fen: int | None) -> str | None:
    """Money shown exactly, as a string with two decimals."""
    return None if fen is None else f"{Decimal(fen) / 100:.2f}"
