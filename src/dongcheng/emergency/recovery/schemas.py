"""Request bodies of the recovery API (东政发〔2022〕3号 §5), validated field by field. Money in yuan, 2 decimals."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

Yuan = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2)]
ReliefKind = Literal["生活救助", "倒损民房恢复重建", "安置和生活保障", "临时救助", "捐赠", "法律援助", "心理援助", "抚慰抚恤"]
ClaimStatus = Literal["已通报", "理赔中", "已赔付", "纠纷处理", "不予赔付"]
MeritKind = Literal["表彰", "奖励", "通报批评", "责令整改", "处分"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PlanIn(_Body):
    """§5.1.1 恢复重建计划和善后处理措施."""

    text: str = Field(min_length=1, max_length=20000)


class LossesIn(_Body):
    """§5.1.2 损失统计、核实和上报."""

    dead: int = Field(ge=0, le=1_000_000)
    injured: int = Field(ge=0, le=1_000_000)
    missing: int = Field(ge=0, le=1_000_000)
    direct_economic_loss_yuan: Yuan = Field(description="直接经济损失（元）")
    houses_damaged: int = Field(default=0, ge=0, le=10_000_000, description="损毁房屋（间）")
    notes: str = Field(default="", max_length=10000)


class ReliefIn(_Body):
    """§5.2 社会救助与抚恤."""

    recipient: str = Field(min_length=1, max_length=200)
    kind: ReliefKind
    amount_yuan: Yuan | None = None
    given_on: date | None = None
    note: str = Field(default="", max_length=4000)


class ClaimIn(_Body):
    """§5.3.1 保险理赔."""

    claimant: str = Field(min_length=1, max_length=200)
    insurer: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=4000)
    amount_claimed_yuan: Yuan | None = None
    amount_paid_yuan: Yuan | None = None
    status: ClaimStatus = "已通报"
    note: str = Field(default="", max_length=4000)


class EvaluationIn(_Body):
    """§5.4 调查与评估: the report (总结评估, §5.4.2), with the investigation (§5.4.1) if any."""

    report: str = Field(min_length=1, max_length=50000)
    investigation: str = Field(default="", max_length=50000)
    date: date


class MeritIn(_Body):
    """§5.5.1 表彰、奖励 / 通报批评、责令整改; §5.5.2 处分."""

    subject: str = Field(min_length=1, max_length=200, description="person or unit")
    kind: MeritKind
    reason: str = Field(min_length=1, max_length=4000)
    deadline: date | None = Field(default=None, description="限期整改 (required for 责令整改)")


class CloseIn(_Body):
    note: str = Field(default="", max_length=4000)
    at: AwareDatetime | None = None
