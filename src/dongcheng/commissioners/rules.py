"""Pure rules of the retiree service commissioners (社会化管理服务专员) and their subsidy funds, clause by clause:
东人社发〔2021〕111号《东城区聘用社会化管理服务专员工作实施方案（试行）》 (numbered 一、二、… with （一）（二）… items,
cited as ``§三（六）``) and 东人社发〔2021〕112号《…岗位补贴资金使用管理办法（试行）》 (第一条 … 第十四条).
Inputs in, decision and Basis out; no I/O. Read this file against the gazette text.
"""
from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from dongcheng.calendar.dates import add_months, add_years, years_between
from dongcheng.commissioners.enums import RATING_LABELS, HiringRoute, Rating
from dongcheng.core.basis import Basis, platform_default
from dongcheng.core.decision import Decision
from dongcheng.core.workflow import Step, Workflow

PLAN = "东人社发〔2021〕111号"  # 工作实施方案
FUNDS = "东人社发〔2021〕112号"  # 岗位补贴资金使用管理办法
CENTRE = "区劳动服务管理中心"  # 劳服中心 (112号 第五条)
BUREAU = "区人力社保局"  # 负责解释和监督施行 (112号 第十三条)

RETIREES_PER_COMMISSIONER = 2000  # 111号 §二（一）: 原则上按照不超过 2000:1 的比例
MAX_AGE = 65  # 111号 §三（六）: 聘用本市户籍退休人员方式的，年龄一般不超过 65 周岁
MAX_AGE_OUTSTANDING = 68  # 111号 §三（六）: 特别优秀且身体健康者（需由组织认定并推荐），可放宽年龄至 68 周岁
TRIAL_MONTHS = 2  # 111号 §四（二）: 试用期 2 个月
TERM_YEARS = 1  # 111号 §四（二）: 聘用期限 1 年
NOTICE_DAYS = 30  # 111号 §四（二）: 协议到期前 30 日，应向专员发出终止或续签劳务协议意向书
PROCUREMENT_MAX_YEARS = 3  # 111号 §四（三）: 不超过三年履行期限的政府采购合同
MONTHLY_SUBSIDY = 1700  # 112号 第七条 (111号 §六): 岗位补贴每人每月1700元
MONTHLY_BONUS = 1000  # 112号 第七条: 月均绩效奖金1000元
YEARLY_BONUS_CAP = 12_000  # 112号 第七条: 年度绩效奖总额不得超过12000元
INSURANCE_CAP = 200  # 112号 第七条: 意外伤害保险每人每年不超过200元
BONUS_PCT = {Rating.SATISFIED: 100, Rating.BASIC: 80, Rating.UNSATISFIED: 0}  # 112号 第八条; 111号 §六
UNSATISFIED_LIMIT = 2  # 111号 §六: 年度内满意度评价两次为不满意的，下一年度不再聘用

# 111号 §三: 专员出现以下情形之一者，将不再聘用
END_GROUNDS = {
    "1": "在试用期间被证明不符合录用条件的",
    "2": "不能胜任本职工作且工作出现重大失误的",
    "3": "严重违反劳动纪律或规章制度的",
    "4": "严重失职、营私舞弊、造成服务对象集体上访等恶性事件的",
    "5": "依法被追究刑事责任的",
}


def plan(clause: str, note: str = "") -> Basis:
    return Basis(PLAN, clause, note)


def funds(clause: str, note: str = "") -> Basis:
    return Basis(FUNDS, clause, note)


def _ok(basis: Basis) -> Decision:
    return Decision(True, basis)


def _no(basis: Basis, zh: str, en: str, status: int = 409, field: str | None = None) -> Decision:
    return Decision(False, basis, zh, en, status, field)


# --- who may act (SPEC §1; 112号 第二条, 第五条) ------------------------------------------------------------------


def may_manage(unit_name: str | None, unit_kind: str | None, street: str) -> Decision:
    """区人力社保局 and its 劳服中心 (审核、拨付, 112号 第五条) act for every street; a street's own clerks
    (各街道便民服务中心, 112号 第二条) only for their street; anyone else is refused."""
    basis = funds("第五条")
    if unit_name in (BUREAU, CENTRE):
        return _ok(basis)
    if unit_kind == "street":
        if unit_name == street:
            return _ok(funds("第二条"))
        return _no(funds("第二条"), f"只能办理本街道（{unit_name}）的服务专员事项",
                   f"A street clerk acts only for their own street ({unit_name})", 403)
    return _no(basis, "服务专员事项由区人力社保局、区劳动服务管理中心或街道便民服务中心办理",
               "Commissioner matters are handled by 区人力社保局, 区劳动服务管理中心 or a street's service centre", 403)


# --- 配置原则: the quota (111号 §二) --------------------------------------------------------------------------------


def quota(retirees: int) -> tuple[int, Basis]:
    """不超过 2000:1 (111号 §二（一）): ceil(managed retirees / 2000); 0 retirees → 0 commissioners."""
    return -(-retirees // RETIREES_PER_COMMISSIONER), plan("§二（一）", "按照不超过2000:1的比例配备")


ADJUSTMENT_CLAUSE = plan("§二（二）")  # 区劳动服务管理中心区内统筹调剂


def may_add_to_street(active: int, retirees: int, adjusted: bool) -> Decision:
    """One more commissioner within the street's quota; above it only as the 劳服中心's 区内统筹调剂 (§二（二）)."""
    limit, basis = quota(retirees)
    if active < limit:
        return _ok(basis)
    if adjusted:
        return _ok(plan("§二（二）", "区劳动服务管理中心区内统筹调剂"))
    return _no(basis, f"该街道管理退休人员{retirees}人，按2000:1配置名额为{limit}名，已聘{active}名；"
               "超出名额须经区劳动服务管理中心统筹调剂（§二（二））",
               f"{retirees} retirees give a quota of {limit} and {active} are hired; more needs the centre's "
               "district-wide adjustment (§二（二）)")


# --- dates: trial, term, notice (111号 §四（二）（三）) ---------------------------------------------------------------


def trial_end(start: date) -> tuple[date, Basis]:
    """试用期 2 个月 (111号 §四（二）): the last day of the trial (1 Jan → 28/29 Feb)."""
    return add_months(start, TRIAL_MONTHS) - timedelta(days=1), plan("§四（二）", "试用期2个月")


def term_end(start: date) -> tuple[date, Basis]:
    """聘用期限 1 年 (111号 §四（二）): the last day of the term (1 Jan 2022 → 31 Dec 2022)."""
    return add_years(start, TERM_YEARS) - timedelta(days=1), plan("§四（二）", "聘用期限1年")


def notice_due(end: date) -> tuple[date, Basis]:
    """协议到期前 30 日 (111号 §四（二）): the day by which the 终止或续签劳务协议意向书 must be sent
    (term ending 31 Dec → 1 Dec)."""
    return end - timedelta(days=NOTICE_DAYS), plan("§四（二）", "协议到期前30日发出终止或续签意向书")


def notice_status(end: date, on: date, sent_on: date | None) -> str:
    """sent / due (on or after the due day, before the end) / upcoming / missed (past the due day, not sent)."""
    due, _ = notice_due(end)
    if sent_on is not None:
        return "sent" if sent_on <= due else "late"
    if on < due:
        return "upcoming"
    return "due" if on == due else "overdue"


def check_age(route: HiringRoute, birth: date | None, start: date, recommended: bool) -> Decision:
    """Retiree hire (111号 §三（六）): 年龄一般不超过 65 周岁; up to 68 for one 特别优秀且身体健康 and recommended by
    the organisation. 不超过N周岁 includes the year after the Nth birthday (age N in whole years). Other routes:
    the public-welfare post follows 京人社就发〔2014〕170号, outside this gazette; procurement has no age figure."""
    basis = plan("§三（六）")
    if route != HiringRoute.RETIREE:
        return _ok(basis)
    if birth is None:
        return _no(basis, "聘任退休人员须填写出生日期以核对年龄", "A retiree hire needs the birth date", 422,
                   field="birth_date")
    age = years_between(birth, start)
    limit = MAX_AGE_OUTSTANDING if recommended else MAX_AGE
    if age <= limit:
        return _ok(plan("§三（六）", f"聘用时{age}周岁，不超过{limit}周岁"))
    if not recommended and age <= MAX_AGE_OUTSTANDING:
        return _no(basis, f"聘用时{age}周岁，超过{MAX_AGE}周岁；特别优秀且身体健康者经组织认定并推荐可放宽至"
                   f"{MAX_AGE_OUTSTANDING}周岁", f"Aged {age} at the start: over {MAX_AGE}; up to "
                   f"{MAX_AGE_OUTSTANDING} only when recommended as outstanding", 409, field="recommended")
    return _no(basis, f"聘用时{age}周岁，超过{MAX_AGE_OUTSTANDING}周岁上限", f"Aged {age} at the start: over "
               f"the {MAX_AGE_OUTSTANDING}-year limit", 409, field="birth_date")


def term_for(route: HiringRoute, start: date, end: date | None) -> tuple[date | None, Decision]:
    """The term's last day: a retiree hire is 1 year (§四（二）); a procurement contract up to 3 years (§四（三）);
    a public-welfare post follows its own channel (112号 第三条) and may be open-ended."""
    if route == HiringRoute.RETIREE:
        last, basis = term_end(start)
        if end is not None and end != last:
            return None, _no(basis, f"聘任退休人员聘用期限为1年，应至{last}止", f"A retiree hire runs one year, "
                             f"to {last}", 422, field="end_on")
        return last, _ok(basis)
    if end is not None and end < start:
        return None, _no(plan("§四"), "聘用期止日不能早于起日", "The term cannot end before it starts", 422,
                         field="end_on")
    if route == HiringRoute.PROCUREMENT:
        basis = plan("§四（三）", "不超过三年履行期限的政府采购合同")
        if end is None:
            return None, _no(basis, "政府采购服务须填写合同履行期止日", "A procurement contract needs its end", 422,
                             field="end_on")
        limit = add_years(start, PROCUREMENT_MAX_YEARS) - timedelta(days=1)
        if end > limit:
            return None, _no(basis, f"政府采购合同履行期限不超过三年，最迟至{limit}",
                             f"A procurement contract runs at most three years, to {limit}", 422, field="end_on")
        return end, _ok(basis)
    return end, _ok(funds("第三条", "公益性岗位按公益性岗位补贴渠道"))


HIRE_BASIS = plan("§四")


def term_basis(route: HiringRoute) -> Basis:
    """The clause of a route's term: 1 year (§四（二）), the procurement contract (§四（三）), the public-welfare post's
    own channel (112号 第三条)."""
    if route == HiringRoute.PROCUREMENT:
        return plan("§四（三）")
    return plan("§四（二）", "聘用期限1年") if route == HiringRoute.RETIREE else funds("第三条")


def may_send_notice(active: bool, end_on: date | None) -> Decision:
    """终止或续签劳务协议意向书 (111号 §四（二）): for a hire in force whose term ends."""
    basis = plan("§四（二）", "协议到期前30日发出终止或续签意向书")
    if not active or end_on is None:
        return _no(basis, "该专员没有到期的协议", "This commissioner has no term that ends")
    return _ok(basis)


def end_ground(ground: str) -> tuple[str, Basis]:
    """不再聘用 on a ground of 111号 §三 (1–5), or 协议到期终止 (§四（二）): its text and clause."""
    if ground == "expiry":
        return "协议到期终止", plan("§四（二）", "协议到期终止")
    text = END_GROUNDS[ground]
    return text, plan("§三", f"{ground}.{text}")


def may_end(active: bool, on: date, start: date, trial_end: date | None, ground: str) -> Decision:
    """Ending a hire in force, not before its start; ground 1 (试用期间被证明不符合录用条件) only within the trial."""
    basis = end_ground(ground)[1]
    if not active:
        return _no(basis, "该专员已终止聘用", "This commissioner is no longer hired")
    if on < start:
        return _no(basis, "终止日期不能早于聘用起日", "the end cannot be before the term starts", 422, field="on")
    if ground == "1" and (trial_end is None or on > trial_end):
        return _no(basis, "“在试用期间被证明不符合录用条件”只适用于试用期内", "ground 1 applies only within the trial period",
                   422, field="ground")
    return _ok(basis)


# --- pay: subsidy + performance bonus (112号 第七条、第八条; 111号 §六) -----------------------------------------------


def _money(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class MonthPay:
    year: int
    month: int
    rating: Rating | None
    subsidy: Decimal
    bonus_base: Decimal
    bonus_pct: int
    bonus: Decimal  # after the yearly cap
    capped: bool
    basis: Basis

    @property
    def total(self) -> Decimal:
        return self.subsidy + self.bonus


PAY_BASIS = funds("第七条、第八条")
BONUS_CAP_BASIS = funds("第七条", "年度绩效奖总额不得超过12000元")


def bonus_for(rating: Rating, base: Decimal | int = MONTHLY_BONUS) -> tuple[Decimal, Basis]:
    """满意全额、基本满意80%、不满意不予发放 (112号 第八条)."""
    pct = BONUS_PCT[rating]
    return _money(Decimal(base) * pct / 100), funds("第八条", f"{RATING_LABELS[rating]}发放{pct}%")


def year_pay(months: Iterable[tuple[int, Rating | None, Decimal | int]], year: int) -> list[MonthPay]:
    """The months of one year in order, each (month, rating or None when not yet rated, bonus base): subsidy
    1700 (112号 第七条); the bonus by rating (第八条), cut so the year's bonuses never pass 12000 (第七条)."""
    paid = Decimal(0)
    out = []
    for month, rating, base in sorted(months, key=lambda m: m[0]):
        base = Decimal(base)
        if rating is None:
            out.append(MonthPay(year, month, None, Decimal(MONTHLY_SUBSIDY), base, 0, Decimal(0), False,
                                funds("第八条", "未评价，绩效奖待定")))
            continue
        bonus, basis = bonus_for(rating, base)
        room = Decimal(YEARLY_BONUS_CAP) - paid
        capped = bonus > room
        if capped:
            bonus, basis = max(room, Decimal(0)), BONUS_CAP_BASIS
        paid += bonus
        out.append(MonthPay(year, month, rating, Decimal(MONTHLY_SUBSIDY), base, BONUS_PCT[rating], bonus, capped,
                            basis))
    return out


RATING_BASIS = plan("§六", "每月满意度评价")


def may_rate(start: date, end: date | None, year: int, month: int, today: date, already_rated: bool = False) -> Decision:
    """每月对专员工作进行满意度评价 (111号 §六): a month of the term, not a future one, rated once."""
    basis = RATING_BASIS
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    if last < start or (end is not None and first > end):
        return _no(basis, f"{year}年{month}月不在聘用期内", f"{year}-{month:02d} is outside the term", 422,
                   field="month")
    if first > today:
        return _no(basis, "不能评价尚未开始的月份", "A month that has not started cannot be rated", 422, field="month")
    if already_rated:
        return _no(basis, f"{year}年{month}月已评价", f"{year}-{month:02d} is already rated", field="month")
    return _ok(basis)


def in_term(start: date, end: date | None, year: int, month: int) -> bool:
    """Is that month a month of the term (start … end; open-ended when ``end`` is None) — one that is paid
    (112号 第七条) and rated (111号 §六)?"""
    return months_in_year(start, end, year) > 0 and may_rate(start, end, year, month, date(2100, 1, 1)).allowed


def ratings_by_year(ratings: Iterable[tuple[int, Rating]]) -> dict[int, list[Rating]]:
    """(year, rating) pairs, in order, grouped by year: what may_rehire counts (111号 §六)."""
    out: dict[int, list[Rating]] = {}
    for year, rating in ratings:
        out.setdefault(year, []).append(rating)
    return out


def unsatisfied_count(ratings: Iterable[Rating]) -> int:
    return sum(1 for r in ratings if r == Rating.UNSATISFIED)


def may_rehire(ratings_by_year: dict[int, list[Rating]], new_start: date, new_end: date | None) -> Decision:
    """年度内满意度评价两次为不满意的，下一年度不再聘用 (111号 §六): refuse a term touching year Y+1 when year Y had
    two or more 不满意."""
    basis = plan("§六", "年度内两次不满意，下一年度不再聘用")
    last_year = (new_end or new_start).year
    for year in range(new_start.year - 1, last_year):
        n = unsatisfied_count(ratings_by_year.get(year, []))
        if n >= UNSATISFIED_LIMIT:
            return _no(basis, f"{year}年度满意度评价{n}次为不满意，{year + 1}年度不再聘用",
                       f"{n} 不满意 ratings in {year}: not to be hired in {year + 1}")
    return _ok(basis)


NOTICE_ORDER = "协议到期前30日，应向专员发出终止或续签劳务协议意向书，经重新认定，双方协商一致后，可续签劳务协议"
# Who may let a renewal go ahead without the 意向书: the text names no one. §七（一） gives the 区劳动服务管理中心 the
# duty to 及时协调解决专员聘任工作中的难点问题, and 111号 is the 区人力社保局's own document — so their clerks may waive it,
# with a reason on record; a street (the party that owes the notice) may not waive its own omission.
WAIVER_UNITS = (BUREAU, CENTRE)
WAIVER_BASIS = plan("§七（一）", "区劳动服务管理中心及时协调解决专员聘任工作中的难点问题；未发意向书续签须记明原因")


def may_renew(route: HiringRoute, status_active: bool, open_ended: bool = False) -> Decision:
    """经重新认定，双方协商一致后，可续签劳务协议 (111号 §四（二）): a hire in force with a term that ends."""
    if not status_active:
        return _no(plan("§四（二）"), "已终止聘用，不能续签", "The commissioner is no longer hired")
    if open_ended:
        return _no(plan("§四（二）"), "无固定期限的聘用无需续签", "An open-ended hire has no term to renew")
    return _ok(plan("§四（二）", "经重新认定，双方协商一致后可续签"))


def may_renew_after_notice(notice_sent_on: date | None, waiver_reason: str | None, waiver_unit: str | None) -> Decision:
    """The order of §四（二）: 意向书 → 重新认定、协商一致 → 续签. Without a notice on file for the current term the
    renewal is refused (409 naming ``notice_sent_on``), unless a clerk of the 区人力社保局 or the 区劳动服务管理中心
    waives it with a reason (``waiver_reason``; WAIVER_BASIS); a waiver when the notice was sent is a 422."""
    reason = (waiver_reason or "").strip()
    if notice_sent_on is not None:
        if reason:
            return _no(plan("§四（二）"), "已发出意向书，无需豁免", "The notice was sent: there is nothing to waive", 422,
                       field="waiver_reason")
        return _ok(plan("§四（二）", f"{notice_sent_on}已发出意向书；经重新认定，双方协商一致后可续签"))
    if not reason:
        return _no(plan("§四（二）", NOTICE_ORDER),
                   "续签前须先发出终止或续签劳务协议意向书（111号 §四（二）），"
                   "或由区人力社保局、区劳动服务管理中心记明未发意向书的原因",
                   "Renewal needs the 终止或续签劳务协议意向书 first (111号 §四（二）), "
                   "or a waiver with its reason by the bureau or the centre", 409, field="notice_sent_on")
    return may_waive_notice(waiver_unit)


def may_waive_notice(unit_name: str | None) -> Decision:
    """Only a clerk of the 区人力社保局 or the 区劳动服务管理中心 lets a renewal go ahead without the 意向书 (WAIVER_BASIS)."""
    if unit_name not in WAIVER_UNITS:
        return _no(WAIVER_BASIS, "只有区人力社保局、区劳动服务管理中心可以豁免意向书",
                   "Only the bureau or the centre may waive the notice", 403, field="waiver_reason")
    return _ok(WAIVER_BASIS)


# --- the funds: application and self-report (112号 第五条、第七条、第九条) -----------------------------------------------


def check_insurance(per_person: Decimal | int) -> Decision:
    """意外伤害保险每人每年不超过200元 (112号 第七条)."""
    basis = funds("第七条", "意外伤害保险每人每年不超过200元")
    if Decimal(per_person) > INSURANCE_CAP:
        return _no(basis, f"意外伤害保险每人每年不超过{INSURANCE_CAP}元", f"Accident insurance is at most "
                   f"{INSURANCE_CAP} yuan per person a year", 422, field="insurance_per_person")
    return _ok(basis)


def months_in_year(start: date, end: date | None, year: int) -> int:
    """Months of the term in ``year`` (a month counts when the term covers any day of it)."""
    first = max(start, date(year, 1, 1))
    last = min(end or date(year, 12, 31), date(year, 12, 31))
    if last < first:
        return 0
    return (last.year - first.year) * 12 + last.month - first.month + 1


@dataclass(frozen=True)
class FundPlan:
    """附件1 岗补资金使用计划: 基本工资 (岗位补贴), 月均绩效奖金, 其他 (意外伤害保险), in yuan."""

    people: int
    months: int
    subsidy: Decimal
    bonus: Decimal
    insurance: Decimal
    basis: Basis

    @property
    def total(self) -> Decimal:
        return self.subsidy + self.bonus + self.insurance


def fund_plan(months_each: list[int], insurance_per_person: Decimal | int = INSURANCE_CAP) -> FundPlan:
    """The year's budget (112号 第七条): 1700 per person-month; bonus 1000 per person-month but at most 12000 a
    person; insurance per person (≤ 200). Only 聘任退休人员 and 政府采购服务 commissioners are paid from these funds
    (第三条); the caller passes their months."""
    people = [m for m in months_each if m > 0]
    subsidy = Decimal(MONTHLY_SUBSIDY * sum(people))
    bonus = Decimal(sum(min(MONTHLY_BONUS * m, YEARLY_BONUS_CAP) for m in people))
    insurance = Decimal(insurance_per_person) * len(people)
    return FundPlan(len(people), sum(people), subsidy, bonus, insurance, funds("第七条"))


def paid_from_funds(route: HiringRoute) -> bool:
    """公益性岗位 → 公益性岗位补贴渠道; 聘任退休人员、政府采购服务 → 社会化管理补助资金 (112号 第三条)."""
    return route != HiringRoute.PUBLIC_WELFARE


SELF_REPORT_BASIS = funds("第九条", "每年一季度提交上一年度资金使用报告")


def self_report_due(year: int) -> tuple[date, Basis]:
    """每年一季度向劳服中心提交上一年度岗补资金的资金使用报告 (112号 第九条): 31 March of the next year."""
    return date(year + 1, 3, 31), SELF_REPORT_BASIS


def may_file_funds(street: str, year: int, already_filed: bool, people: int) -> Decision:
    """各街道…按年度向劳服中心申报岗补资金 (112号 第五条): once a street and year, for commissioners paid from the
    funds (第三条)."""
    basis = funds("第五条", "按年度向劳服中心申报")
    if already_filed:
        return _no(basis, f"{street}{year}年度岗补资金已申报", "This street has applied for that year already")
    if people == 0:
        return _no(funds("第三条"), f"{street}{year}年度没有从岗补资金列支的服务专员（第三条）",
                   "No commissioner of this street is paid from the funds that year (第三条)")
    return _ok(basis)


def may_self_report(status: str, submitted_on: date | None) -> Decision:
    """The 资金使用报告 (112号 第九条, 附件2) of a disbursed application, once."""
    if status != "disbursed":
        return _no(SELF_REPORT_BASIS, "岗补资金拨付后方可提交使用报告", "The usage report follows the disbursement")
    if submitted_on is not None:
        return _no(SELF_REPORT_BASIS, "资金使用报告已提交", "The usage report is already on file")
    return _ok(SELF_REPORT_BASIS)


APPROVAL_STEPS = ("劳服中心审核", "劳服中心主任办公会", "局长办公会", "局党组会", "银行转账拨付")  # 112号 第五条


# --- the fund application's approval (112号 第五条) -------------------------------------------------------------------

APPROVAL_BASIS = funds("第五条")
_FUND_OPEN = ("submitted", "reviewed", "centre_approved", "bureau_approved", "approved")
_REVIEWERS = f"{CENTRE}、{BUREAU}"  # may_review: the centre and the bureau take every step
FUND_FLOW = Workflow("岗补资金申请", "fund application", [
    # step, from, to, the clause with what the text calls the step (the refusal names it)
    Step("review", {"submitted"}, "reviewed", funds("第五条", "劳服中心审核合格"), by=_REVIEWERS),
    Step("centre-meeting", {"reviewed"}, "centre_approved", funds("第五条", "劳服中心主任办公会审议"), by=_REVIEWERS),
    Step("bureau-meeting", {"centre_approved"}, "bureau_approved", funds("第五条", "局长办公会审议"), by=_REVIEWERS),
    Step("party-group", {"bureau_approved"}, "approved", funds("第五条", "局党组会审议同意"), by=_REVIEWERS),
    Step("disburse", {"approved"}, "disbursed", funds("第五条", "劳服中心以银行转账的方式拨付"), by=_REVIEWERS),
    Step("reject", _FUND_OPEN, "rejected", funds("第五条", "审核或审议未通过"), by=_REVIEWERS),
])
FUND_STATUS_LABELS = {"submitted": "已申报", "reviewed": "审核合格", "centre_approved": "主任办公会通过",
                      "bureau_approved": "局长办公会通过", "approved": "党组会同意", "disbursed": "已拨付",
                      "rejected": "未通过"}


def fund_step(status: str, step: str) -> Decision:
    """May ``step`` be taken from ``status`` (FUND_FLOW; 112号 第五条: 审核 → 主任办公会 → 局长办公会 → 局党组会 →
    拨付)? ``reject`` (未通过) from any open status; a step out of order is 409. ``FUND_FLOW.target`` is where it leads."""
    decision = FUND_FLOW.step(status, step)
    if decision.allowed:
        return decision
    if step == "reject":
        return _no(decision.basis, "已拨付或已退回的申请不能退回", "A disbursed or rejected application cannot be "
                   "rejected")
    return _no(decision.basis, f"当前状态（{FUND_STATUS_LABELS.get(status, status)}）下不能执行“{decision.basis.note}”",
               f"Step {step} is out of order in status {status}")


# 第五条 names who takes each step: 劳服中心审核合格后，提交劳服中心主任办公会、局长办公会、局党组会审议，…劳服中心
# …拨付. The directory's units: 区劳动服务管理中心 (劳服中心) and 区人力社保局 (局长办公会; 局党组会 — the bureau's party
# group has no unit of its own in the directory, so the bureau's clerks record it).
FUND_STEP_BODY = {"review": CENTRE, "centre-meeting": CENTRE, "bureau-meeting": BUREAU, "party-group": BUREAU,
                  "disburse": CENTRE}
_PENDING_STEP = {"submitted": "review", "reviewed": "centre-meeting", "centre_approved": "bureau-meeting",
                 "bureau_approved": "party-group", "approved": "disburse"}
SEPARATION_BASIS = funds("第五条", "审核、三级审议与拨付分别办理；" + platform_default(
    "fund_step_separation", "同一人不办理同一申请的两个环节（职责分离；原文未明文规定）"))


def fund_step_body(status: str, step: str) -> str | None:
    """The body that takes ``step`` from ``status``: the article's; 退回 (reject) by the body whose step is pending."""
    return FUND_STEP_BODY.get(_PENDING_STEP.get(status, "") if step == "reject" else step)


def may_take_fund_step(status: str, step: str, unit_name: str | None, username: str,
                       earlier_actors: Iterable[str]) -> Decision:
    """Each step by the body 第五条 names (fund_step_body), and no one takes two steps of one application — filing
    included (the platform's separation of duties: one person cannot carry an application from filing to the bank
    transfer alone)."""
    body = fund_step_body(status, step)
    label = FUND_FLOW[step].basis.note if step in FUND_FLOW else step
    if body is not None and unit_name != body:
        return _no(funds("第五条"), f"“{label}”由{body}办理（112号 第五条）",
                   f"The step {step} is taken by {body} (112号 第五条)", 403)
    if username in set(earlier_actors):
        return _no(SEPARATION_BASIS, "您已办理本申请的另一环节，此环节须由他人办理（职责分离）",
                   "You took another step of this application; this one must be taken by someone else "
                   "(separation of duties)", 403)
    return _ok(SEPARATION_BASIS)


def may_adjust_quota(unit_name: str | None) -> Decision:
    """超出名额的聘用 is the 区劳动服务管理中心's 区内统筹调剂 (111号 §二（二）): only its clerks mark a hire so."""
    if unit_name == CENTRE:
        return _ok(plan("§二（二）", "区劳动服务管理中心区内统筹调剂"))
    return _no(plan("§二（二）"), "超出名额聘用须由区劳动服务管理中心区内统筹调剂（111号 §二（二））",
               "Hiring over the quota is the 区劳动服务管理中心's district-wide adjustment (111号 §二（二）)", 403,
               "over_quota")


def may_review(unit_name: str | None) -> Decision:
    """劳服中心审核 and the meetings of 劳服中心 / 局 (112号 第五条): not a street's clerk."""
    basis = funds("第五条")
    if unit_name in (BUREAU, CENTRE):
        return _ok(basis)
    return _no(basis, "岗补资金申请由区劳动服务管理中心审核、区人力社保局审议", "Only the centre and the bureau review "
               "and approve a fund application", 403)


def self_report_status(year: int, submitted_on: date | None, on: date) -> str:
    """第九条: on_time / late / pending (before the due day) / overdue."""
    due, _ = self_report_due(year)
    if submitted_on is not None:
        return "on_time" if submitted_on <= due else "late"
    return "pending" if on <= due else "overdue"
