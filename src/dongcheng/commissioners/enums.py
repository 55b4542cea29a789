"""Value sets of the commissioner module (东人社发〔2021〕111号《东城区聘用社会化管理服务专员工作实施方案（试行）》,
东人社发〔2021〕112号《东城区社会化管理服务专员岗位补贴资金使用管理办法（试行）》)."""
from __future__ import annotations

from enum import StrEnum


class HiringRoute(StrEnum):
    """聘任方式 (111号 §四; 112号 第二条)."""

    PUBLIC_WELFARE = "public_welfare"  # （一）开发公益性岗位
    RETIREE = "retiree"  # （二）聘任退休人员
    PROCUREMENT = "procurement"  # （三）政府采购服务


ROUTE_LABELS = {HiringRoute.PUBLIC_WELFARE: "开发公益性岗位", HiringRoute.RETIREE: "聘任退休人员",
                HiringRoute.PROCUREMENT: "政府采购服务"}


class Rating(StrEnum):
    """满意度评价三个等次 (111号 §六; 112号 第八条)."""

    SATISFIED = "satisfied"  # 满意
    BASIC = "basic"  # 基本满意
    UNSATISFIED = "unsatisfied"  # 不满意


RATING_LABELS = {Rating.SATISFIED: "满意", Rating.BASIC: "基本满意", Rating.UNSATISFIED: "不满意"}


class Status(StrEnum):
    ACTIVE = "active"  # 在聘
    ENDED = "ended"  # 终止 / 不再聘用


STATUS_LABELS = {Status.ACTIVE: "在聘", Status.ENDED: "已终止"}
