"""Request bodies of the institutions and credit API; each bad field is named in the 422 answer."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from dongcheng.core.types import Day

Text = Annotated[str, Field(min_length=1, max_length=2000)]
Kind = Literal["医院", "社区卫生服务中心", "社区卫生服务站", "门诊部", "诊所", "医务室", "急救站", "专业公共卫生机构", "其他"]
Risk = Literal["high", "medium", "low"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InstitutionIn(Strict):
    name: Annotated[str, Field(min_length=2, max_length=120)]
    uscc: Annotated[str, Field(min_length=1, max_length=40, description="统一社会信用代码 (GB 32100-2015)")]
    kind: Kind
    street: Annotated[str, Field(min_length=1, max_length=50, description="one of the district's 17 streets")]
    ownership: Literal["public", "social"]
    licence_no: Annotated[str, Field(max_length=60)] = ""
    risk: Risk = "medium"


class InstitutionPatch(Strict):
    risk: Risk | None = None
    licence_no: Annotated[str | None, Field(max_length=60)] = None
    kind: Kind | None = None


class PointsIn(Strict):
    occurred_on: Day
    points: Annotated[int, Field(ge=1, le=100)]
    ground: Text
    legal_basis: Annotated[str, Field(max_length=200)] = ""


class BlacklistIn(Strict):
    ground: Text
    legal_basis: Annotated[str, Field(max_length=200)] = ""
    start_on: Day
    end_on: Day


class RepairIn(Strict):
    """信用修复: the record leaves the public list early (after the shortest publication period)."""

    on: Day
    reason: Text


class PolicyIn(Strict):
    """A points / repair policy as JSON (the same content as data/supervision/credit_policy.yaml)."""

    policy: dict
