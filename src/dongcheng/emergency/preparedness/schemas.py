"""Request bodies of the preparedness API, validated field by field (a bad field is a 422 naming it, zh + en)."""
from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from dongcheng.core.types import MAX_ID, Instant
from dongcheng.emergency.preparedness.enums import MovementKind, Origin

Qty = Field(ge=1, le=10_000_000)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# --- stock ---------------------------------------------------------------------------------------------------------


class WarehouseIn(_Body):
    name: str = Field(min_length=1, max_length=200, description="仓库名称")
    address: str = Field(default="", max_length=300, description="地址")
    street: str | None = Field(default=None, max_length=40, description="所在街道")
    owner_unit: str = Field(min_length=1, max_length=200, description="所属单位")


class ItemIn(_Body):
    name: str = Field(min_length=1, max_length=200, description="物资名称")
    category: str = Field(default="", max_length=60, description="类别")
    unit_of_measure: str = Field(min_length=1, max_length=20, description="计量单位")
    min_level: int = Field(default=0, ge=0, le=10_000_000, description="最低储备量")
    reserve_kind: str = Field(default="实物储备", pattern="^(实物储备|产能储备)$", description="储备方式（§6.4.1）")
    owner_unit: str = Field(min_length=1, max_length=200, description="所属单位")


class ReceiptIn(_Body):
    """入库 (or 归还入库): a quantity into a lot of a warehouse (the lot is created on its first receipt)."""

    warehouse_id: int = Field(ge=1, le=MAX_ID)
    item_id: int = Field(ge=1, le=MAX_ID)
    lot_no: str = Field(min_length=1, max_length=60, description="批号")
    expires_on: date | None = Field(default=None, description="有效期至")
    quantity: int = Qty
    kind: MovementKind = Field(default=MovementKind.RECEIPT, description="receipt | return")
    reason: str = Field(default="", max_length=500)


class TransferIn(_Body):
    """调库: from a lot to another warehouse (the same lot number there)."""

    lot_id: int = Field(ge=1, le=MAX_ID)
    to_warehouse_id: int = Field(ge=1, le=MAX_ID)
    quantity: int = Qty
    reason: str = Field(default="", max_length=500)


class CountLineIn(_Body):
    lot_id: int = Field(ge=1, le=MAX_ID)
    counted: int = Field(ge=0, le=10_000_000, description="实盘数")


class CountIn(_Body):
    """盘点: counted per lot; each difference is booked as an adjustment with the reason."""

    counted_on: date | None = None
    lines: list[CountLineIn] = Field(min_length=1, max_length=500)
    reason: str = Field(min_length=1, max_length=500, description="调整原因")


class ScrapIn(_Body):
    lot_id: int = Field(ge=1, le=MAX_ID)
    quantity: int = Qty
    reason: str = Field(min_length=1, max_length=500, description="报废原因")


# --- dispatch ------------------------------------------------------------------------------------------------------


class DispatchLineIn(_Body):
    item_id: int = Field(ge=1, le=MAX_ID, description="物资")
    quantity: int = Field(ge=1, le=10_000_000, description="数量")
    destination: str = Field(min_length=1, max_length=300, description="送达地点")
    needed_by: Instant = Field(description="需求时间")


class DispatchIn(_Body):
    """提出应急物资需求 (§6.4.3)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"example": {
        "incident_id": 1, "origin": "district", "requesting_unit": "区城市管理委", "purpose": "抢险排水",
        "lines": [{"item_id": 1, "quantity": 10, "destination": "东四北大街100号", "needed_by":
                   "2026-07-01T10:00:00+08:00"}]}})

    incident_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="事件（区内请求必填）")
    origin: Origin = Origin.DISTRICT
    requesting_unit: str | None = Field(default=None, max_length=200, description="提出需求的主责部门")
    requesting_party: str = Field(default="", max_length=200, description="外部请求方（市、市相关部门、京内其他区）")
    purpose: str = Field(default="", max_length=2000, description="用途")
    lines: list[DispatchLineIn] = Field(min_length=1, max_length=200, description="需求明细")


class ReasonIn(_Body):
    reason: str = Field(min_length=1, max_length=2000, description="理由")


class QuantityLineIn(_Body):
    line_id: int = Field(ge=1, le=MAX_ID)
    quantity: int = Field(ge=0, le=10_000_000)


class IssueIn(_Body):
    """The warehouse confirms issue: which warehouse, and per line what left (default: the ordered quantity)."""

    warehouse_id: int = Field(ge=1, le=MAX_ID, description="出库仓库")
    lines: list[QuantityLineIn] = Field(default_factory=list, max_length=200)


class ReceiveIn(_Body):
    """The receiver confirms receipt per line (default: what was issued)."""

    lines: list[QuantityLineIn] = Field(default_factory=list, max_length=200)
    note: str = Field(default="", max_length=2000)


# --- registries ----------------------------------------------------------------------------------------------------


class HazardIn(_Body):
    name: str = Field(min_length=1, max_length=200, description="名称")
    street: str = Field(min_length=1, max_length=40, description="街道")
    address: str = Field(min_length=1, max_length=300, description="地址")
    risk_grade: str = Field(min_length=1, max_length=10, description="风险等级")
    owner_unit: str = Field(min_length=1, max_length=200, description="责任单位")
    last_inspected_on: date | None = Field(default=None, description="最近检查")
    next_due_on: date | None = Field(default=None, description="下次检查")
    note: str = Field(default="", max_length=2000)


class TeamIn(_Body):
    name: str = Field(min_length=1, max_length=200, description="队伍名称")
    kind: str = Field(min_length=1, max_length=20, description="队伍类别（§6.1）")
    owner_unit: str = Field(min_length=1, max_length=200, description="所属单位")
    size: int = Field(ge=1, le=100_000, description="人数")
    equipment: str = Field(default="", max_length=2000, description="装备")
    contact_person: str = Field(default="", max_length=80, description="联系人")
    contact_phone: str = Field(default="", max_length=40, description="联系电话")
    readiness: str = Field(default="待命", max_length=10, description="备勤状态")
    note: str = Field(default="", max_length=2000)


class ExpertIn(_Body):
    name: str = Field(min_length=1, max_length=80, description="姓名")
    field: str = Field(min_length=1, max_length=20, description="领域（§6.1.6）")
    speciality: str = Field(default="", max_length=200, description="专业方向")
    employer: str = Field(default="", max_length=200, description="工作单位")
    owner_unit: str = Field(min_length=1, max_length=200, description="管理单位")
    contact_phone: str = Field(default="", max_length=40, description="联系电话")
    availability: str = Field(default="可联系", max_length=10, description="可联系状态")


class ShelterIn(_Body):
    name: str = Field(min_length=1, max_length=200, description="名称")
    street: str = Field(min_length=1, max_length=40, description="街道")
    address: str = Field(min_length=1, max_length=300, description="地址")
    capacity: int = Field(ge=1, le=10_000_000, description="容量（人）")
    occupancy: int = Field(default=0, ge=0, le=10_000_000, description="在场人数")
    owner_unit: str = Field(min_length=1, max_length=200, description="管理单位")


class ShelterOpenIn(_Body):
    reason: str = Field(min_length=1, max_length=2000, description="启用理由（危险程度、事态发展）")
    decided_by: str = Field(default="", max_length=80, description="作出决定的区领导（值班员代办时必填）")
    incident_id: int | None = Field(default=None, ge=1, le=MAX_ID)


class KnowledgeIn(_Body):
    title: str = Field(min_length=1, max_length=200, description="标题")
    category: str = Field(min_length=1, max_length=60, description="类别")
    body: str = Field(min_length=1, max_length=20000, description="正文")
    event_types: list[str] = Field(default_factory=list, max_length=36, description="关联事件类型")
    plans: list[str] = Field(default_factory=list, max_length=50, description="关联预案")
    owner_unit: str = Field(min_length=1, max_length=200, description="维护单位")


# --- call-up -------------------------------------------------------------------------------------------------------


class CallUpIn(_Body):
    """调用 a registry team for an incident (§6.1.2)."""

    team_id: int = Field(ge=1, le=MAX_ID)
    incident_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    task: str = Field(default="", max_length=2000, description="任务")
    other_district: str | None = Field(default=None, max_length=40, description="赴京内其他区（区名）")
    city_requested: bool = Field(default=False, description="按北京市有关部门要求调动")
    city_requester: str = Field(default="", max_length=200, description="提出要求的市有关部门")


class ArriveIn(_Body):
    headcount: int | None = Field(default=None, ge=1, le=100_000)
    arrived_at: Instant | None = None


class RequisitionIn(_Body):
    """征用 (§6.4.5)."""

    incident_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    owner_name: str = Field(min_length=1, max_length=200, description="被征用单位或个人")
    owner_contact: str = Field(default="", max_length=80, description="联系方式")
    kind: str = Field(min_length=1, max_length=10, description="类别（设备、设施、场地、交通工具、其他物资）")
    description: str = Field(min_length=1, max_length=2000, description="财产说明")
    quantity: int = Field(default=1, ge=1, le=1_000_000)
    decided_by: str = Field(default="", max_length=80, description="作出决定的区领导（值班员代办时必填）")


class RequisitionReturnIn(_Body):
    condition: str = Field(min_length=1, max_length=10, description="返还时状况（完好、毁损）")
    note: str = Field(default="", max_length=2000)


class CompensationIn(_Body):
    amount_yuan: float = Field(ge=0, le=1e11, description="补偿金额（元）")
    condition: str | None = Field(default=None, max_length=10, description="未返还时：灭失")
    note: str = Field(default="", max_length=2000)
