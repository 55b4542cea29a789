"""Value sets of the warning module (东政发〔2022〕3号 §3.2)."""
from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    """§3.2.2: 一级 red (highest), 二级 orange, 三级 yellow, 四级 blue; the API speaks in colours."""

    RED = "红色"
    ORANGE = "橙色"
    YELLOW = "黄色"
    BLUE = "蓝色"

    @property
    def grade(self) -> str:
        return {"红色": "一级", "橙色": "二级", "黄色": "三级", "蓝色": "四级"}[self.value]

    @property
    def rank(self) -> int:
        """4 = red … 1 = blue, so ``max`` is the higher level."""
        return {"红色": 4, "橙色": 3, "黄色": 2, "蓝色": 1}[self.value]

    @property
    def is_high(self) -> bool:
        """Orange and red run the 区应急办's approval (§3.2.3(2)) and the extra measures (§3.2.5(2))."""
        return self in (Level.RED, Level.ORANGE)

    @property
    def css(self) -> str:
        return {"红色": "red", "橙色": "orange", "黄色": "yellow", "蓝色": "blue"}[self.value]


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # proposed (预警建议); orange/red go to the 区应急办
    APPROVED = "approved"
    PUBLISHED = "published"
    LIFTED = "lifted"


STATUS_LABELS = {
    Status.DRAFT: "草稿",
    Status.SUBMITTED: "待审批",
    Status.APPROVED: "已批准待发布",
    Status.PUBLISHED: "已发布",
    Status.LIFTED: "已解除",
}


class Action(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"  # 退回: the approver (or the 区应急办 running approval) sends a proposal back to its drafter
    PUBLISH = "publish"
    CHANGE_LEVEL = "change_level"
    LIFT = "lift"


class MsgType(StrEnum):
    """CAP 1.2 msgType of each disseminated message."""

    ALERT = "Alert"
    UPDATE = "Update"
    CANCEL = "Cancel"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry
