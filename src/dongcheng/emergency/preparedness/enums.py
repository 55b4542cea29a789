"""The states and kinds of the preparedness module, as stored (text values)."""
from __future__ import annotations

from enum import StrEnum


class DispatchStatus(StrEnum):
    REQUESTED = "requested"  # 提出应急物资需求, waiting for the 主管区领导 (or the 区应急委)
    RETURNED = "returned"  # 退回修改
    ORDERED = "ordered"  # 已下达调拨指令 (numbered 东应调〔YYYY〕N号)
    ISSUED = "issued"  # 仓库已出库
    RECEIVED = "received"  # 接收单位已签收


class DispatchAction(StrEnum):
    APPROVE = "approve"
    RETURN = "return"
    RESUBMIT = "resubmit"
    ISSUE = "issue"
    RECEIVE = "receive"


class Origin(StrEnum):
    """Who asks for the district's materials (§6.4.3)."""

    DISTRICT = "district"  # 负责突发事件处置的主责部门
    CITY = "city"  # 北京市
    CITY_DEPARTMENT = "city_department"  # 市相关部门
    OTHER_DISTRICT = "other_district"  # 京内其他区


class MovementKind(StrEnum):
    RECEIPT = "receipt"  # 入库
    ISSUE = "issue"  # 调拨出库
    RETURN = "return"  # 归还入库
    TRANSFER_OUT = "transfer_out"  # 调库（出）
    TRANSFER_IN = "transfer_in"  # 调库（入）
    ADJUSTMENT = "adjustment"  # 盘点调整
    SCRAP = "scrap"  # 报废


STATUS_LABELS = {
    DispatchStatus.REQUESTED: "待审批", DispatchStatus.RETURNED: "已退回", DispatchStatus.ORDERED: "已下达调拨指令",
    DispatchStatus.ISSUED: "已出库", DispatchStatus.RECEIVED: "已签收",
}
ORIGIN_LABELS = {Origin.DISTRICT: "区主责部门", Origin.CITY: "北京市", Origin.CITY_DEPARTMENT: "市相关部门",
                 Origin.OTHER_DISTRICT: "京内其他区"}
MOVEMENT_LABELS = {
    MovementKind.RECEIPT: "入库", MovementKind.ISSUE: "调拨出库", MovementKind.RETURN: "归还入库",
    MovementKind.TRANSFER_OUT: "调出", MovementKind.TRANSFER_IN: "调入", MovementKind.ADJUSTMENT: "盘点调整",
    MovementKind.SCRAP: "报废",
}
ACTION_LABELS = {"request": "提出需求", "approve": "批准并下达调拨指令", "return": "退回", "resubmit": "重新提交",
                 "issue": "确认出库", "receive": "确认签收"}
