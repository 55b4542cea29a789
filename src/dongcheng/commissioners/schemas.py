"""Request bodies of the commissioner API (东人社发〔2021〕111号, 112号); each bad field is named in the 422 answer. And
the loaded rows service.py hands to views.py (views never load)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from dongcheng.commissioners.enums import HiringRoute, Rating
from dongcheng.commissioners.models import Commissioner, FundApplication, MonthlyRating, StreetRetirees
from dongcheng.commissioners.rules import MonthPay
from dongcheng.core.types import Day, Year
from dongcheng.directory.models import Unit


def _born(value: date) -> date:
    if not date(1900, 1, 1) <= value <= date(2099, 12, 31):
        raise ValueError("日期须在 1900 年至 2099 年之间 / the date must be between 1900 and 2099")
    return value


BirthDate = Annotated[date, AfterValidator(_born)]  # a retiree's birth date: before 2000 (core.types.Day for the rest)
Month = Annotated[int, Field(ge=1, le=12)]
Note = Annotated[str, Field(max_length=2000)]  # NUL and control characters are refused for every route by api/input_gate.py
StreetName = Annotated[str, Field(min_length=1, max_length=50)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RetireesIn(Strict):
    """管理的国有企业退休人员人数 (111号 §二（一）)."""

    retirees: Annotated[int, Field(ge=0, le=1_000_000)]
    as_of: Day | None = None


class CommissionerIn(Strict):
    name: Annotated[str, Field(min_length=1, max_length=60)]
    street: StreetName
    route: HiringRoute
    birth_date: BirthDate | None = None
    recommended: bool = False  # 特别优秀且身体健康，经组织认定并推荐 (§三（六）)
    start_on: Day
    end_on: Day | None = None  # procurement: 合同履行期止日; retiree: computed (1 year)
    over_quota: bool = False  # 区劳动服务管理中心区内统筹调剂 (§二（二）)


class RatingIn(Strict):
    year: Year
    month: Month
    rating: Rating
    bonus_base: Annotated[int, Field(ge=0, le=12_000)] = 1000  # 月均绩效奖金1000元 (112号 第七条)
    note: Note = ""


class NoticeIn(Strict):
    sent_on: Day | None = None


class RenewIn(Strict):
    end_on: Day | None = None  # procurement only
    note: Note = ""
    # 111号 §四（二）: renewal follows the 意向书; without it, why it was waived (区人力社保局 / 劳服中心 only)
    waiver_reason: Annotated[str, Field(max_length=500)] | None = None


class EndIn(Strict):
    on: Day | None = None
    ground: Literal["1", "2", "3", "4", "5", "expiry"]  # 111号 §三 1–5, or 协议到期终止
    reason: Note = ""


class FundApplicationIn(Strict):
    """附件1: a street's application for a year (112号 第五条)."""

    street: StreetName
    year: Year
    insurance_per_person: Annotated[int, Field(ge=0, le=200)] = 200  # 意外伤害保险每人每年不超过200元 (第七条)


class FundStepIn(Strict):
    on: Day | None = None
    note: Note = ""


class SelfReportIn(Strict):
    submitted_on: Day | None = None  # 附件2 received (第九条: 每年一季度)


# --- what views.py shapes: rows loaded by service.py ---------------------------------------------------------------


@dataclass(frozen=True)
class StreetCounts:
    """Every street's managed retirees (111号 §二（一）) and its commissioners in post, by street id."""

    retirees: dict[int, StreetRetirees]
    active: dict[int, int]


@dataclass(frozen=True)
class CommissionerRecord:
    """A commissioner with their street and every monthly rating, in order (service.commissioner_record)."""

    person: Commissioner
    street: Unit | None
    ratings: list[MonthlyRating]


PersonYear = tuple[Commissioner, list[MonthPay]]  # a commissioner with the paid months of a year (service.street_pay)


@dataclass(frozen=True)
class FundApplicationRecord:
    """A street's fund application (112号 第五条) with the street (service.fund_application_record)."""

    row: FundApplication
    street: Unit | None
