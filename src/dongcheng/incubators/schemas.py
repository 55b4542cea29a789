"""Request bodies of the incubator API (东人社发〔2021〕101号); each bad field is named in the 422 answer."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from dongcheng.core.types import Day, Year

Pct = Annotated[float, Field(ge=0, le=100)]
Count = Annotated[int, Field(ge=0, le=10_000_000)]
Text = Annotated[str, Field(min_length=1, max_length=200)]
Note = Annotated[str, Field(max_length=2000)]
Ground = Literal["（一）", "（二）", "（三）", "（四）", "（五）"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FactsIn(Strict):
    """第七条 as declared by the applicant; a figure left out is shown as 未提供 (not given)."""

    legal_entity_in_dongcheng: bool | None = None
    tax_registered_in_dongcheng: bool | None = None
    social_insurance_in_dongcheng: bool | None = None
    incubation_main_business: bool | None = None
    no_violations: bool | None = None
    no_open_disputes: bool | None = None
    operating_since: Day | None = None
    incubation_area_m2: Annotated[float, Field(ge=0, le=10_000_000)] | None = None
    management_and_services: bool | None = None
    utilisation_pct: Annotated[list[Pct], Field(min_length=2, max_length=2)] | None = None
    incubated_entities: Annotated[list[Count], Field(min_length=2, max_length=2)] | None = None
    jobs: Annotated[list[Count], Field(min_length=2, max_length=2)] | None = None
    success_rate_pct: Pct | None = None
    renewal_pct: Annotated[list[Pct], Field(min_length=1, max_length=100)] | None = None
    service_activities: bool | None = None


class ApplicationIn(Strict):
    base_name: Text
    operator_name: Text
    credit_code: Annotated[str, Field(pattern=r"^[0-9A-HJ-NPQRTUWXY]{18}$")]  # 统一社会信用代码
    address: Annotated[str, Field(min_length=1, max_length=300)]
    route: Literal["standard", "direct", "former"] = "standard"
    title_level: Literal["国家级", "市级"] | None = None  # 第十条
    title_name: Annotated[str, Field(max_length=200)] | None = None
    former_recognition: Annotated[str, Field(max_length=200)] | None = None  # 第十条: the base's entry in 附件3
    applied_on: Day | None = None
    facts: FactsIn = Field(default_factory=FactsIn)


class NoteIn(Strict):
    note: Note = ""


class ReviewIn(Strict):
    passed: bool
    note: Note = ""


class NoticeIn(Strict):
    published_on: Day | None = None  # the day it went up on 数字东城; today if not given


class ObjectionIn(Strict):
    text: Annotated[str, Field(min_length=1, max_length=2000)]


class ResolveIn(Strict):
    upheld: bool
    note: Note = ""


class RejectIn(Strict):
    reason: Annotated[str, Field(min_length=1, max_length=2000)]


class RevokeIn(Strict):
    ground: Ground  # 第十三条（一）…（五）
    reason: Annotated[str, Field(min_length=1, max_length=2000)]
    revoked_on: Day | None = None


class ContinueIn(Strict):
    """The assessment of a 附件3 base (第十条): 孵化效果良好? 能积极参与东城区创业服务活动? and its conclusion."""

    good_incubation: bool
    active_in_services: bool
    assessment: Annotated[str, Field(min_length=1, max_length=2000)]


class CertifyIn(Strict):
    on: Day | None = None  # the day of certification; today if not given


class ReportIn(Strict):
    """基本情况季报表 (第十一条（一）, 附件4): what the quarter's report says."""

    year: Year
    quarter: Annotated[int, Field(ge=1, le=4)]
    submitted_on: Day | None = None
    trainings: Count = 0  # 创业培训（实训）
    policy_beneficiaries: Count = 0  # 享受创业扶持政策
    incubated_entities: Count = 0  # 创业孵化
    service_activities: Count = 0  # 各类创业服务活动


class ReevaluationIn(Strict):
    """复评 of one year (第十二条): the base's application, the assessment's result, its publication."""

    year: Year
    applied_on: Day | None = None  # （一）申请
    published_on: Day | None = None  # （三）公布; today if not given
    passed: bool  # 达标 / 未达标
    report: Annotated[str, Field(min_length=1, max_length=2000)]  # （二）评估结果报告


ChangeItem = Literal["名称", "运营机构", "孵化场所地址", "孵化面积", "其他"]


class ChangeIn(Strict):
    """信息变更申请 (第十四条): what changed, the day it changed, the day it is reported, the new values."""

    items: Annotated[list[ChangeItem], Field(min_length=1, max_length=5)]
    description: Annotated[str, Field(min_length=1, max_length=2000)]
    changed_on: Day
    filed_on: Day | None = None  # today if not given
    base_name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    operator_name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    address: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    incubation_area_m2: Annotated[float, Field(ge=0, le=10_000_000)] | None = None


class ChangeDecisionIn(Strict):
    """区人力社保局 材料审核、实地走访 of the change: still meets the 认定条件 (retain) or not (revoke)."""

    still_eligible: bool
    note: Annotated[str, Field(min_length=1, max_length=2000)]
    decided_on: Day | None = None
