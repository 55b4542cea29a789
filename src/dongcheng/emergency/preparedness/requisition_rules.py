"""Requisition (征用, 东政发〔2022〕3号 §6.4.5; 《中华人民共和国突发事件应对法》第十二条) — pure.

§6.4.5: 必要时，以政府名义向单位和个人征用应急救援所需设备、设施、场地、交通工具和其他物资. 第十二条: 被征用的财产在
使用完毕或者突发事件应急处置工作结束后，应当及时返还。财产被征用或者征用后毁损、灭失的，应当给予补偿.

State table: requisitioned → (return, with the condition found) returned → (compensate) compensated; a lost item
(灭失) cannot be returned: it goes straight to compensation.
"""
from __future__ import annotations

from dongcheng.core.basis import Basis
from dongcheng.core.decision import Decision, allow, refuse
from dongcheng.core.workflow import Step, Workflow
from dongcheng.emergency.preparedness.rules import Acting, clause

LAW = "《中华人民共和国突发事件应对法》"
REQUISITION = clause("§6.4.5", "以政府名义向单位和个人征用应急救援所需设备、设施、场地、交通工具和其他物资")
RETURN = Basis(LAW, "第十二条", "被征用的财产在使用完毕或者突发事件应急处置工作结束后，应当及时返还")
COMPENSATION = Basis(LAW, "第十二条", "财产被征用或者征用后毁损、灭失的，应当给予补偿")
KINDS = ("设备", "设施", "场地", "交通工具", "其他物资")  # §6.4.5, as printed
CONDITIONS = ("完好", "毁损", "灭失")  # 第十二条

FLOW = Workflow("征用", "requisition", [
    Step("return", {"requisitioned"}, "returned", RETURN, by="区应急办或征用单位"),
    Step("compensate", {"requisitioned", "returned"}, "compensated", COMPENSATION, by="区应急办"),
])


def may_requisition(acting: Acting, *, decided_by_holds_post: bool | None) -> Decision:
    """以政府名义: a district leader holding a post, or the 区应急办 recording the leader's decision (named, in post)."""
    if acting.role == "leader" and acting.post_codes:
        return allow(REQUISITION)
    if acting.for_committee:
        if decided_by_holds_post:
            return allow(REQUISITION)
        return refuse(REQUISITION, "以政府名义征用须写明作出决定的区领导（今日在任）",
                      "A requisition in the government's name names the district leader who decided (in post today)",
                      422, "decided_by")
    return refuse(REQUISITION, "征用以政府名义进行（区领导或代其办理的区应急办）",
                  "A requisition is made in the government's name (a district leader, or the emergency office for it)")


def may_handle(acting: Acting) -> Decision:
    if (acting.role == "leader" and acting.post_codes) or acting.for_committee:
        return allow(COMPENSATION)
    return refuse(COMPENSATION, "返还和补偿由区应急办办理", "The emergency office handles return and compensation")


def may_see_contact(acting: Acting | None) -> bool:
    """The owner's contact (personal data): those who may handle the requisition."""
    return acting is not None and may_handle(acting).allowed


def check_choice(value: str, choices: tuple[str, ...], field: str, basis: Basis) -> Decision:
    if value not in choices:
        return refuse(basis, f"须为：{'、'.join(choices)}", f"{field} must be one of {', '.join(choices)}", 422, field)
    return allow(basis)


def may_return(condition: str) -> Decision:
    """A lost item (灭失) is not returned; it is compensated."""
    decision = check_choice(condition, CONDITIONS, "condition", RETURN)
    if not decision.allowed:
        return decision
    if condition == "灭失":
        return refuse(RETURN, "已灭失的财产无法返还，请直接办理补偿", "a lost item cannot be returned: compensate it", 409,
                      "condition")
    return allow(RETURN)


def check_compensation(amount_yuan: float, condition: str | None) -> Decision:
    """Every requisitioned property is compensated (第十二条); damaged or lost property cannot be closed at 0."""
    if amount_yuan < 0:
        return refuse(COMPENSATION, "补偿金额不能为负", "the amount cannot be negative", 422, "amount_yuan")
    if condition in ("毁损", "灭失") and amount_yuan == 0:
        return refuse(COMPENSATION, f"财产{condition}，补偿金额不能为0", f"the property is {condition}: the amount "
                      "cannot be 0", 422, "amount_yuan")
    return allow(COMPENSATION)


def refuse_unreturned() -> Decision:
    """Compensation before the return only for lost property (灭失); anything else is returned first."""
    return refuse(RETURN, "未返还的财产须先返还（已灭失的请注明“灭失”）", "return the property first (or state it is lost: 灭失)",
                  409, "condition")
