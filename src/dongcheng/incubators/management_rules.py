"""Pure rules after certification (东人社发〔2021〕101号 第三章、第四章): the incubation period, quarterly reports,
yearly re-evaluation, change reports and subsidies. Inputs in, figures and Basis out; no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dongcheng.calendar.dates import add_years
from dongcheng.core.basis import Basis
from dongcheng.incubators.rules import (
    CHANGE_REPORT_DAYS,
    INCUBATION_YEARS,
    OFFLINE_PER_PERSON,
    ONE_TIME_SUBSIDY,
    ONLINE_PER_SESSION,
    clause,
)

# 第十一条（一）says 按季度 but names no deadline: the platform expects a quarter's report within this many days of
# the quarter's end, and says so wherever it shows a due date.
REPORT_GRACE_DAYS = 15
REPORT_DUE_NOTE = f"按季度报送；办法未规定报送时限，平台按季度结束后{REPORT_GRACE_DAYS}日内计"


# --- 第三条 incubation period --------------------------------------------------------------------------------


def incubation_ends(entered_on: date) -> tuple[date, Basis]:
    """示范基地为创业实体提供的创业孵化期一般不超过3年 (第三条): the last day of the usual period."""
    return add_years(entered_on, INCUBATION_YEARS) - timedelta(days=1), clause("第三条", "创业孵化期一般不超过3年")


def incubation_exceeded(entered_on: date, on: date) -> tuple[bool, Basis]:
    """"一般不超过" is the norm, not a bar: past it the platform flags the entity for the clerk to look at."""
    last, basis = incubation_ends(entered_on)
    return on > last, basis


# --- 第十一条（一） quarterly reports ------------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    year: int
    quarter: int

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.quarter - 2, 1)

    @property
    def last_day(self) -> date:
        nxt = Quarter(self.year + 1, 1) if self.quarter == 4 else Quarter(self.year, self.quarter + 1)
        return nxt.first_day - timedelta(days=1)

    @property
    def due_on(self) -> date:
        return self.last_day + timedelta(days=REPORT_GRACE_DAYS)

    def label(self) -> str:
        return f"{self.year}年第{self.quarter}季度"


def quarter_of(d: date) -> Quarter:
    return Quarter(d.year, (d.month - 1) // 3 + 1)


def quarters_due(certified_on: date, on: date) -> list[Quarter]:
    """The quarters a certified base reports on (第十一条（一）), from the quarter after certification to today."""
    q = quarter_of(certified_on)
    out = []
    while True:
        q = Quarter(q.year + 1, 1) if q.quarter == 4 else Quarter(q.year, q.quarter + 1)
        if q.first_day > on:
            return out
        out.append(q)


def report_status(q: Quarter, submitted_on: date | None, on: date) -> str:
    """submitted / late (after the due day) / missing (due day passed, nothing) / pending."""
    if submitted_on is not None:
        return "submitted" if submitted_on <= q.due_on else "late"
    return "missing" if on > q.due_on else "pending"


def report_basis() -> Basis:
    return clause("第十一条（一）", REPORT_DUE_NOTE)


def two_missed_in_a_year(statuses: list[tuple[Quarter, str]]) -> tuple[bool, Basis]:
    """1年内连续2次拒不报送 (第十三条（四）): two consecutive quarters missing — a ground for the clerk to weigh."""
    missing = [s == "missing" for _, s in statuses]
    return any(a and b for a, b in zip(missing, missing[1:], strict=False)), clause("第十三条（四）")


# --- 第十二条 re-evaluation ----------------------------------------------------------------------------------


def failed_two_years_running(results: dict[int, bool]) -> tuple[bool, Basis]:
    """连续两年复评未达标 (第十三条（三）); 复评每年组织一次 (第十二条)."""
    failed = {year for year, passed in results.items() if not passed}
    return any(y + 1 in failed for y in failed), clause("第十三条（三）", "复评每年组织一次（第十二条）")


# --- 第十四条 change reports ----------------------------------------------------------------------------------


def change_report_due(changed_on: date) -> tuple[date, Basis]:
    """名称、运营机构、孵化场所地址、孵化面积等发生变更，应在变更后的30日内申请 (第十四条): the change day not counted."""
    return changed_on + timedelta(days=CHANGE_REPORT_DAYS), clause("第十四条", "变更后的30日内申请信息变更")


# --- 第十七条 subsidies ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subsidy:
    item: str
    amount: int  # yuan
    working: str
    basis: Basis

    def to_dict(self) -> dict:
        return {"item": self.item, "amount": self.amount, "working": self.working, "basis": str(self.basis)}


def subsidies(*, certified: bool, offline_participants: list[int], online_sessions: int) -> list[Subsidy]:
    """第十七条（一）被认定为示范基地的，给予一次性资金奖补3万元; （二）与区人力社保局合作开展创业孵化服务活动的，
    按照线下每场每人25元，线上每场500元的标准给予资金补助."""
    out = []
    if certified:
        out.append(Subsidy("一次性资金奖补", ONE_TIME_SUBSIDY, f"{ONE_TIME_SUBSIDY}元", clause("第十七条（一）")))
    for i, people in enumerate(offline_participants, 1):
        out.append(Subsidy(f"线下活动第{i}场", people * OFFLINE_PER_PERSON,
                           f"{people}人 × {OFFLINE_PER_PERSON}元", clause("第十七条（二）")))
    if online_sessions:
        out.append(Subsidy("线上活动", online_sessions * ONLINE_PER_SESSION,
                           f"{online_sessions}场 × {ONLINE_PER_SESSION}元", clause("第十七条（二）")))
    return out
