"""Pure rules after certification (东人社发〔2021〕101号 第三章、第四章): the incubation period, quarterly reports,
yearly re-evaluation, change reports and subsidies. Inputs in, figures and Basis out; no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dongcheng.calendar.dates import add_years
from dongcheng.core.basis import Basis, platform_default
from dongcheng.core.decision import Decision
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
REPORT_DUE_NOTE = "按季度报送；" + platform_default(
    "quarterly_report_grace", f"办法未规定报送时限，平台按季度结束后{REPORT_GRACE_DAYS}日内计")


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

REEVALUATION_BASIS = clause("第十二条", "复评工作每年组织一次：申请、评估、公布")


def failed_two_years_running(results: dict[int, bool]) -> tuple[bool, Basis]:
    """连续两年复评未达标 (第十三条（三）); 复评每年组织一次 (第十二条)."""
    failed = {year for year, passed in results.items() if not passed}
    return any(y + 1 in failed for y in failed), clause("第十三条（三）", "连续两年复评未达标")


def may_record_reevaluation(*, certified: bool, certified_year: int | None, year: int, this_year: int,
                            already: bool) -> Decision:
    """复评工作每年组织一次 (第十二条): one result a year for a base holding the title, for a year from its
    certification to this one (422 naming ``year`` otherwise); a second result for the same year is 409."""
    if not certified or certified_year is None:
        return Decision(False, REEVALUATION_BASIS, "只有已认定的示范基地参加复评",
                        "Only a certified base is re-evaluated", 409)
    if not certified_year <= year <= this_year:
        return Decision(False, REEVALUATION_BASIS, f"复评年度须在认定年度（{certified_year}年）至今年之间",
                        f"the re-evaluation year must be from the certification year {certified_year} to this year",
                        422, field="year")
    if already:
        return Decision(False, REEVALUATION_BASIS, f"{year}年度复评结果已登记（每年组织一次）",
                        f"The {year} re-evaluation is already on file (once a year)", 409, field="year")
    return Decision(True, REEVALUATION_BASIS)


def check_published_after_applied(applied_on: date | None, published_on: date) -> Decision:
    """（一）申请 → （二）评估 → （三）公布: the result is published on or after the application (422 naming it)."""
    if applied_on is not None and published_on < applied_on:
        return Decision(False, REEVALUATION_BASIS, "公布日期不能早于复评申请日期",
                        "the result cannot be published before the base applied", 422, field="published_on")
    return Decision(True, REEVALUATION_BASIS)


# --- 第十四条 change reports ----------------------------------------------------------------------------------

CHANGE_ITEMS = ("名称", "运营机构", "孵化场所地址", "孵化面积")  # 第十四条 names these (等: others may be given)
CHANGE_BASIS = clause("第十四条", "基本情况变更后30日内申请信息变更")


def change_report_due(changed_on: date) -> tuple[date, Basis]:
    """名称、运营机构、孵化场所地址、孵化面积等发生变更，应在变更后的30日内申请 (第十四条): the change day not counted."""
    return changed_on + timedelta(days=CHANGE_REPORT_DAYS), clause("第十四条", "变更后的30日内申请信息变更")


def change_filed_late(changed_on: date, filed_on: date) -> tuple[bool, Basis]:
    """Filed after the 30th day following the change: late. 第十四条 sets no consequence of its own; the lateness is
    recorded and shown for the clerk (a ground the clerk may weigh under 第十三条（五）违反本办法规定的行为)."""
    due, basis = change_report_due(changed_on)
    return filed_on > due, basis


def check_change_dates(changed_on: date, filed_on: date) -> Decision:
    """A change is reported after it happens (422 naming ``changed_on``)."""
    if changed_on > filed_on:
        return Decision(False, CHANGE_BASIS, "变更日期不能晚于申请日期", "the change cannot be after the day it is reported",
                        422, field="changed_on")
    return Decision(True, CHANGE_BASIS)


def may_file_change(*, certified: bool) -> Decision:
    """经认定的示范基地 … 提出信息变更的申请 (第十四条): only a base holding the title."""
    if not certified:
        return Decision(False, CHANGE_BASIS, "只有已认定的示范基地申请信息变更",
                        "Only a certified base reports a change", 409)
    return Decision(True, CHANGE_BASIS)


def change_outcome(still_eligible: bool, changed_on: date) -> tuple[str, date | None, Basis]:
    """审核符合申报认定条件的，保留示范基地称号；不再符合认定条件的，自条件变化之日起撤销其资格，并予以备案 (第十四条):
    (outcome, the revocation day — the day of the change — or None, basis)."""
    if still_eligible:
        return "retained", None, clause("第十四条", "经审核符合申报认定条件的，保留示范基地称号")
    return "revoked", changed_on, clause("第十四条", "不再符合认定条件的，自条件变化之日起撤销其资格")


def may_decide_change(pending: bool) -> Decision:
    if not pending:
        return Decision(False, CHANGE_BASIS, "该变更申请已审核", "This change report has already been decided", 409)
    return Decision(True, CHANGE_BASIS)


# --- 第十七条 subsidies ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subsidy:
    item: str
    amount: int  # yuan
    working: str
    basis: Basis

    def to_dict(self) -> dict:
        return {"item": self.item, "amount": self.amount, "working": self.working, "basis": str(self.basis)}


def may_receive_subsidies(*, certified: bool) -> Decision:
    """第十七条 示范基地享受以下扶持政策: only a base holding the title has subsidies — an applicant, a rejected or a
    revoked base has none, not even a computed figure."""
    basis = clause("第十七条", "示范基地享受以下扶持政策")
    if not certified:
        return Decision(False, basis, "未认定为示范基地（或称号已撤销），不享受第十七条扶持政策",
                        "Not a certified demonstration base: no 第十七条 subsidy", 409)
    return Decision(True, basis)


def subsidies(*, certified: bool, offline_participants: list[int], online_activities: int) -> list[Subsidy]:
    """第十七条（一）被认定为示范基地的，给予一次性资金奖补3万元; （二）与区人力社保局合作开展创业孵化服务活动的，
    按照线下每场每人25元，线上每场500元的标准给予资金补助. Nothing at all for a base that is not certified."""
    if not may_receive_subsidies(certified=certified).allowed:
        return []
    out = [Subsidy("一次性资金奖补", ONE_TIME_SUBSIDY, f"{ONE_TIME_SUBSIDY}元", clause("第十七条（一）"))]
    for i, people in enumerate(offline_participants, 1):
        out.append(Subsidy(f"线下活动第{i}场", people * OFFLINE_PER_PERSON,
                           f"{people}人 × {OFFLINE_PER_PERSON}元", clause("第十七条（二）")))
    if online_activities:
        out.append(Subsidy("线上活动", online_activities * ONLINE_PER_SESSION,
                           f"{online_activities}场 × {ONLINE_PER_SESSION}元", clause("第十七条（二）")))
    return out
