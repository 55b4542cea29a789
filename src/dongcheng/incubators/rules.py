"""Pure rules of the demonstration incubation bases, clause by clause (东人社发〔2021〕101号《东城区创业孵化示范基地
管理办法》). Inputs in, decision and Basis out; no I/O. Read this file against the gazette text.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dongcheng.calendar.dates import add_years, years_between
from dongcheng.calendar.rules import Span, WorkingDays
from dongcheng.core.basis import Basis
from dongcheng.core.decision import Decision
from dongcheng.core.workflow import Step, Workflow
from dongcheng.incubators.enums import Action, Outcome, Route, Status

DOCUMENT = "东人社发〔2021〕101号"
OWNING_UNIT = "区人力社保局"  # 第五条: 区人力社保局负责…评审认定、复评及示范基地的日常管理、具体经办

# 第七条's figures
MIN_OPERATING_YEARS = 2  # 运营时间在2年（含）以上
MIN_AREA_M2 = 1500  # 孵化面积不少于1500平方米
MIN_UTILISATION_PCT = 80  # 近2年，孵化场所利用率每年均不低于80%
MIN_ENTITIES = 20  # 在孵创业实体每年均不少于20户
MIN_JOBS_AVERAGE = 300  # 就业岗位年均不少于300个
MIN_SUCCESS_PCT = 60  # 入孵创业实体孵化成功率总体不低于60%
MIN_RENEWAL_PCT = 15  # 每年企业（团队）更新率不低于15%
NOTICE_WORKING_DAYS = 5  # 第八条（二）: 在数字东城网站公示5个工作日
BAN_YEARS = 3  # 第十三条: 3年内不得再次申请
INCUBATION_YEARS = 3  # 第三条: 创业孵化期一般不超过3年
CHANGE_REPORT_DAYS = 30  # 第十四条: 变更后的30日内
ONE_TIME_SUBSIDY = 30_000  # 第十七条（一）: 一次性资金奖补3万元
OFFLINE_PER_PERSON = 25  # 第十七条（二）: 线下每场每人25元
ONLINE_PER_SESSION = 500  # 第十七条（二）: 线上每场500元
DIRECT_LEVELS = ("国家级", "市级")  # 第十条


def clause(number: str, note: str = "") -> Basis:
    return Basis(DOCUMENT, number, note)


# --- 第七条 eligibility --------------------------------------------------------------------------------------

ELIGIBILITY_BASIS = clause("第七条")


@dataclass(frozen=True)
class Facts:
    """What the applicant declares (and the 第九条 materials prove); None = not given."""

    legal_entity_in_dongcheng: bool | None = None  # 东城区辖区内依法成立的独立法人机构
    tax_registered_in_dongcheng: bool | None = None
    social_insurance_in_dongcheng: bool | None = None
    incubation_main_business: bool | None = None
    no_violations: bool | None = None  # 无违法违纪行为
    no_open_disputes: bool | None = None  # 无未了结的法律、经济纠纷
    operating_since: date | None = None
    incubation_area_m2: float | None = None  # in 东城区
    management_and_services: bool | None = None  # 管理制度健全，有专业的服务团队，有必要的附属设施及配套基础设施
    utilisation_pct: tuple[float, ...] | None = None  # the last 2 years
    incubated_entities: tuple[int, ...] | None = None  # the last 2 years
    jobs: tuple[int, ...] | None = None  # the last 2 years (base + incubated entities)
    success_rate_pct: float | None = None  # since the base opened
    renewal_pct: tuple[float, ...] | None = None  # each year since the base opened
    service_activities: bool | None = None  # 第七条（四）积极参与、承办、联合举办或参加各项创业服务活动


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    required: str
    actual: str
    outcome: Outcome
    basis: Basis

    def to_dict(self) -> dict:
        return {"key": self.key, "criterion": self.label, "required": self.required, "actual": self.actual,
                "outcome": self.outcome.value, "basis": str(self.basis)}


def facts_from(stored: dict | None) -> Facts:
    """The facts as an application stores them (JSON: ISO dates, lists) → Facts."""
    raw = dict(stored or {})
    if raw.get("operating_since"):
        raw["operating_since"] = date.fromisoformat(raw["operating_since"])
    for key in ("utilisation_pct", "incubated_entities", "jobs", "renewal_pct"):
        if raw.get(key) is not None:
            raw[key] = tuple(raw[key])
    return Facts(**raw)


def _yes(key: str, label: str, value: bool | None, item: str) -> Criterion:
    outcome = Outcome.NOT_GIVEN if value is None else Outcome.MET if value else Outcome.NOT_MET
    actual = "未提供" if value is None else "是" if value else "否"
    return Criterion(key, label, "是", actual, outcome, clause(f"第七条{item}"))


def _figure(key: str, label: str, required: str, value, ok, shown: str, item: str) -> Criterion:
    if value is None:
        return Criterion(key, label, required, "未提供", Outcome.NOT_GIVEN, clause(f"第七条{item}"))
    return Criterion(key, label, required, shown, Outcome.MET if ok(value) else Outcome.NOT_MET, clause(f"第七条{item}"))


def _num(x: float) -> str:
    return f"{x:g}"


def eligibility(facts: Facts, on: date) -> list[Criterion]:
    """第七条: every condition, its figure and the applicant's figure; met / not met / not given."""
    f = facts
    two = "近2年每年"
    return [
        _yes("legal_entity_in_dongcheng", "东城区辖区内依法成立的独立法人机构", f.legal_entity_in_dongcheng, "（一）"),
        _yes("tax_registered_in_dongcheng", "税务注册登记在东城区", f.tax_registered_in_dongcheng, "（一）"),
        _yes("social_insurance_in_dongcheng", "社保缴纳在东城区", f.social_insurance_in_dongcheng, "（一）"),
        _yes("incubation_main_business", "以创业孵化为主营业务", f.incubation_main_business, "（一）"),
        _yes("no_violations", "无违法违纪行为", f.no_violations, "（一）"),
        _yes("no_open_disputes", "无未了结的法律、经济纠纷", f.no_open_disputes, "（一）"),
        _figure("operating_since", "运营时间", f"{MIN_OPERATING_YEARS}年（含）以上", f.operating_since,
                lambda d: years_between(d, on) >= MIN_OPERATING_YEARS,
                f"{f.operating_since}起，满{years_between(f.operating_since, on)}年" if f.operating_since else "",
                "（一）"),
        _figure("incubation_area_m2", "东城区内孵化场所面积", f"不少于{MIN_AREA_M2}平方米", f.incubation_area_m2,
                lambda a: a >= MIN_AREA_M2, f"{_num(f.incubation_area_m2 or 0)}平方米", "（二）"),
        _yes("management_and_services", "管理制度健全，有专业服务团队及必要的附属和配套基础设施",
             f.management_and_services, "（二）"),
        _figure("utilisation_pct", "孵化场所利用率", f"{two}不低于{MIN_UTILISATION_PCT}%", f.utilisation_pct,
                lambda v: len(v) == 2 and min(v) >= MIN_UTILISATION_PCT,
                "、".join(f"{_num(v)}%" for v in f.utilisation_pct or ()), "（三）"),
        _figure("incubated_entities", "在孵创业实体", f"{two}不少于{MIN_ENTITIES}户", f.incubated_entities,
                lambda v: len(v) == 2 and min(v) >= MIN_ENTITIES,
                "、".join(f"{v}户" for v in f.incubated_entities or ()), "（三）"),
        _figure("jobs", "基地及在孵创业实体提供的就业岗位", f"近2年年均不少于{MIN_JOBS_AVERAGE}个", f.jobs,
                lambda v: len(v) == 2 and sum(v) / 2 >= MIN_JOBS_AVERAGE,
                f"{'、'.join(str(v) for v in f.jobs or ())}个，年均{_num(sum(f.jobs or ()) / 2)}个", "（三）"),
        _figure("success_rate_pct", "运营以来入孵创业实体孵化成功率", f"总体不低于{MIN_SUCCESS_PCT}%",
                f.success_rate_pct, lambda v: v >= MIN_SUCCESS_PCT, f"{_num(f.success_rate_pct or 0)}%", "（三）"),
        _figure("renewal_pct", "企业（团队）更新率", f"每年不低于{MIN_RENEWAL_PCT}%", f.renewal_pct,
                lambda v: len(v) >= 1 and min(v) >= MIN_RENEWAL_PCT,
                "、".join(f"{_num(v)}%" for v in f.renewal_pct or ()), "（三）"),
        _yes("service_activities", "积极参与、承办、联合举办或参加各项创业服务活动", f.service_activities, "（四）"),
    ]


def overall(criteria: list[Criterion]) -> Outcome:
    """All met → met; any not met → not met; otherwise some figure is still missing → not given."""
    outcomes = {c.outcome for c in criteria}
    if Outcome.NOT_MET in outcomes:
        return Outcome.NOT_MET
    return Outcome.NOT_GIVEN if Outcome.NOT_GIVEN in outcomes else Outcome.MET


# --- 第十条 direct recognition -------------------------------------------------------------------------------


# 第十条, second sentence. The gazette prints 附件3's title (原东城区创业带动就业工作领导小组认定的创业孵化示范基地名单) but
# not the names in it, so the platform cannot check membership: the clerk records the base's entry as the bureau holds
# the list (``former_recognition``), and the assessment's two conditions decide.
FORMER_BASIS = clause("第十条", "原经东城区创业带动就业工作领导小组认定的示范基地（附件3），经评估孵化效果良好，"
                              "能积极参与东城区创业服务活动的，可继续认定")


def application_basis(route: Route) -> Basis:
    """申报 (第八条（一）), 报区人力社保局备案 of a base holding a national or municipal title (第十条), or a base of
    附件3 (第十条)."""
    return {Route.DIRECT: clause("第十条"), Route.FORMER: FORMER_BASIS}.get(route, clause("第八条（一）"))


def route_basis(route: Route) -> Basis:
    """The procedure an application follows: 第八条, direct recognition or continued recognition (第十条)."""
    return {Route.DIRECT: clause("第十条"), Route.FORMER: FORMER_BASIS}.get(route, clause("第八条"))


def title_basis(route: Route) -> Basis:
    """Where a base's title comes from: 认定并授予标牌 (第八条（三）), direct or continued recognition (第十条)."""
    return {Route.DIRECT: clause("第十条"), Route.FORMER: FORMER_BASIS}.get(route, clause("第八条（三）"))


def check_former_recognition(route: Route, former_recognition: str | None) -> Decision:
    """A base of 附件3 says where it stands in that list (第十条); 422 naming ``former_recognition``."""
    if route == Route.FORMER and not (former_recognition or "").strip():
        return Decision(False, FORMER_BASIS, "原领导小组认定的示范基地须注明其在附件3名单中的认定情况",
                        "a base of 附件3 needs its entry in that list", 422, field="former_recognition")
    return Decision(True, FORMER_BASIS)


def check_direct_title(route: Route, title_level: str | None) -> Decision:
    """A direct application (第十条) names the national or municipal title it holds; 422 naming ``title_level``."""
    basis = clause("第十条")
    if route == Route.DIRECT and title_level is None:
        return Decision(False, basis, "直接认定须注明国家级或市级示范基地称号（第十条）",
                        "a direct application needs the national or municipal title it holds (第十条)", 422,
                        field="title_level")
    return Decision(True, basis)


def may_recognise_directly(route: Route, title_level: str | None) -> Decision:
    """已获得国家级、市级各类示范基地称号的东城区各类创业载体，报区人力社保局备案后可直接认定为示范基地 (第十条)."""
    basis = clause("第十条")
    if route != Route.DIRECT:
        return Decision(False, basis, "按第八条程序申报的不能直接认定", "Only a direct (第十条) application is "
                        "recognised directly", 409)
    if title_level not in DIRECT_LEVELS:
        return Decision(False, basis, "直接认定须已获得国家级或市级示范基地称号",
                        "Direct recognition needs a national or municipal demonstration-base title", 409,
                        field="title_level")
    return Decision(True, basis)


# --- the state table (第八条) --------------------------------------------------------------------------------

_OPEN = frozenset({Status.APPLIED, Status.MATERIALS_CHECKED, Status.SITE_VISITED, Status.REVIEWED, Status.NOTICE})
_BY = f"{OWNING_UNIT}经办人"  # 第五条: every step is the bureau's (service.check_authority)
FLOW = Workflow("示范基地申请", "incubator application", [
    # in the order a page offers them; target None = stays where it is
    Step(Action.CHECK_MATERIALS, {Status.APPLIED}, Status.MATERIALS_CHECKED,
         clause("第八条（二）", "申报材料真实性、完整性审核；第九条"), by=_BY),
    Step(Action.VISIT_SITE, {Status.MATERIALS_CHECKED}, Status.SITE_VISITED,
         clause("第八条（二）", "认定考评小组实地走访"), by=_BY),
    Step(Action.REVIEW, {Status.SITE_VISITED}, Status.REVIEWED, clause("第八条（二）", "评审会"), by=_BY),  # or REJECTED
    Step(Action.START_NOTICE, {Status.REVIEWED}, Status.NOTICE,
         clause("第八条（二）", "评审通过后在数字东城网站公示5个工作日"), by=_BY),
    Step(Action.OBJECT, {Status.NOTICE}, None, clause("第八条（三）", "经公示无异议后认定"), by=_BY),
    Step(Action.RESOLVE_OBJECTION, {Status.NOTICE}, None, clause("第八条（三）", "经公示无异议后认定"),
         by=_BY),  # upheld → REJECTED (leads_to)
    Step(Action.CERTIFY, {Status.NOTICE}, Status.CERTIFIED,
         clause("第八条（三）", "认定为“东城区创业孵化示范基地”，并授予标牌"), by=_BY),
    Step(Action.RECOGNISE, {Status.APPLIED}, Status.CERTIFIED, clause("第十条"), by=_BY),
    Step(Action.CONTINUE, {Status.APPLIED}, Status.CERTIFIED, FORMER_BASIS, by=_BY),  # or REJECTED (leads_to)
    Step(Action.REJECT, _OPEN, Status.REJECTED, clause("第八条"), by=_BY),
    Step(Action.REVOKE, {Status.CERTIFIED}, Status.REVOKED, clause("第十三条"), by=_BY),
])


def step(status: Status, action: Action) -> Decision:
    """Is ``action`` the next step from ``status`` (FLOW)? A step out of order is refused with 409."""
    decision = FLOW.step(status, action)
    if decision.allowed:
        return decision
    return Decision(False, decision.basis, f"当前状态下不能执行此步骤（{action.value}）",
                    f"Step {action.value} is out of order in status {status.value}", 409)


def leads_to(status: Status, action: Action, *, passed: bool = True, upheld: bool = False,
             good_incubation: bool = True, active_in_services: bool = True) -> Status:
    """The state a step leaves the application in: FLOW's; a review that does not pass (第八条（二）评审), an
    objection upheld (第八条（三）经公示无异议后认定) and an assessment of a 附件3 base that does not find both
    孵化效果良好 and 能积极参与东城区创业服务活动 (第十条) end it as 未通过."""
    if (action == Action.REVIEW and not passed) or (action == Action.RESOLVE_OBJECTION and upheld) or (
            action == Action.CONTINUE and not (good_incubation and active_in_services)):
        return Status.REJECTED
    return FLOW.target(status, action)


def route_allows(route: Route, action: Action) -> Decision:
    """A direct application (第十条) is recognised after filing; the 第八条 steps are for a standard one."""
    standard_only = {Action.CHECK_MATERIALS, Action.VISIT_SITE, Action.REVIEW, Action.START_NOTICE, Action.CERTIFY}
    if action == Action.CONTINUE and route != Route.FORMER:
        return Decision(False, FORMER_BASIS, "只有附件3所列原领导小组认定的示范基地经评估继续认定",
                        "Only a base of 附件3 is continued after assessment", 409)
    if route == Route.FORMER and action in standard_only | {Action.RECOGNISE}:
        return Decision(False, FORMER_BASIS, "附件3所列基地经评估继续认定，请执行“评估并继续认定”",
                        "A base of 附件3 is continued after assessment, without the 第八条 steps", 409)
    if route == Route.DIRECT and action in standard_only:
        return Decision(False, clause("第十条"), "直接认定的申请不走第八条评审程序，请执行“直接认定”",
                        "A direct (第十条) application is recognised directly, without the 第八条 steps", 409)
    if route == Route.STANDARD and action == Action.RECOGNISE:
        return Decision(False, clause("第十条"), "按第八条程序申报的不能直接认定",
                        "Only a direct (第十条) application is recognised directly", 409)
    return Decision(True, FLOW[action].basis)


def may_pass_materials(criteria: list[Criterion]) -> Decision:
    """The materials check passes only when every 第七条 condition is shown to be met (第九条: 证明材料)."""
    failing = [c for c in criteria if c.outcome != Outcome.MET]
    if not failing:
        return Decision(True, clause("第七条、第九条"))
    names = "；".join(f"{c.label}（{c.basis.clause}，{'不符合' if c.outcome == Outcome.NOT_MET else '未提供'}）"
                     for c in failing)
    return Decision(False, clause("第七条"), f"不符合第七条条件或未提供证明：{names}",
                    f"{len(failing)} 第七条 condition(s) not met or not shown", 409,
                    field="facts." + failing[0].key if len(failing) == 1 else "facts")


# --- 第八条（二）（三） public notice ------------------------------------------------------------------------

NOTICE_BASIS = clause("第八条（二）", "公示5个工作日，开始当日不计入")
CERTIFICATION_BASIS = clause("第八条（三）")


def notice_period(published_on: date, calendar: WorkingDays) -> tuple[Span, Basis]:
    """公示5个工作日 (第八条（二）). The day of publication is not counted (民法典第二百零一条: 开始的当日不计入),
    so the notice ends on the 5th working day after it; ``provisional`` when a day counted rests on an estimate."""
    return calendar.add(published_on, NOTICE_WORKING_DAYS), NOTICE_BASIS


def may_resolve_objection(open_objections: int) -> Decision:
    """An objection raised during the notice is resolved once (第八条（三）); none open → 409."""
    basis = FLOW[Action.RESOLVE_OBJECTION].basis
    if open_objections < 1:
        return Decision(False, basis, "没有待处理的异议", "There is no open objection", 409)
    return Decision(True, basis)


def check_certification_day(on: date, today: date) -> Decision:
    """认定 happens on a day that has come (第八条（三）); a later day → 422 naming ``on``."""
    if on > today:
        return Decision(False, CERTIFICATION_BASIS, "认定日期不能晚于今天", "the certification day cannot be in the future",
                        422, field="on")
    return Decision(True, CERTIFICATION_BASIS)


def may_certify(notice_end: date | None, on: date, open_objections: int) -> Decision:
    """经公示无异议后 … 认定 (第八条（三）): after the last notice day, with no objection left open."""
    basis = CERTIFICATION_BASIS
    if notice_end is None or on <= notice_end:
        return Decision(False, basis, f"公示期至{notice_end}止，期满后方可认定",
                        f"The public notice runs until {notice_end}; certify after it", 409, field="on")
    if open_objections:
        return Decision(False, basis, f"公示期间有{open_objections}项异议未处理，不能认定",
                        f"{open_objections} objection(s) raised during the notice are still open", 409)
    return Decision(True, basis)


# --- 第十一条（一） quarterly reports (the calendar of them: management_rules.py) -------------------------------

REPORT_BASIS = clause("第十一条（一）")


def may_report(status: Status, already_filed: bool, year: int, quarter: int) -> Decision:
    """季度基本情况报表 (第十一条（一）): a certified base files one per quarter."""
    if status != Status.CERTIFIED:
        return Decision(False, REPORT_BASIS, "只有已认定的示范基地报送季报", "Only a certified base files quarterly reports",
                        409)
    if already_filed:
        return Decision(False, REPORT_BASIS, f"{year}年第{quarter}季度报表已报送", "That quarter's report is already on file",
                        409, field="quarter")
    return Decision(True, REPORT_BASIS)


SUBSIDY_BASIS = clause("第十七条")  # the figures: management_rules.subsidies


# --- 第十三条 revocation and the 3-year ban -------------------------------------------------------------------

REVOCATION_GROUNDS = {
    "（一）": "已不具备本办法规定的设立条件，或性质发生改变",
    "（二）": "运营机构丧失运营能力，无法正常管理示范基地",
    "（三）": "连续两年复评未达标或自动放弃称号",
    "（四）": "1年内连续2次拒不报送相关资料和信息，或报送的相关资料和信息不真实、不完整",
    "（五）": "有其他违法违规或违反本办法规定的行为",
}


def may_reapply_from(revoked_on: date) -> date:
    """被撤销示范基地称号的示范基地，3年内不得再次申请 (第十三条): the first day after the 3 years."""
    return add_years(revoked_on, BAN_YEARS)


def may_apply(on: date, revocations: list[tuple[str, date]]) -> Decision:
    """Refuse an application within 3 years of a revocation of the same operator, naming it and the ban's end."""
    basis = clause("第十三条", "被撤销称号的，3年内不得再次申请")
    for base_name, revoked_on in sorted(revocations, key=lambda r: r[1], reverse=True):
        again = may_reapply_from(revoked_on)
        if on < again:
            last = again - timedelta(days=1)
            return Decision(False, basis,
                            f"“{base_name}”于{revoked_on}被撤销示范基地称号，3年内不得再次申请（至{last}止，"
                            f"{again}起可再次申请）",
                            f"{base_name} was revoked on {revoked_on}; no application until {again} (the ban ends "
                            f"on {last})", 409, field="credit_code")
    return Decision(True, basis)


REAPPLY_BASIS = clause("第十三条", "3年内不得再次申请")


def revocation_basis(ground: str) -> Basis:
    """撤销称号 on one of the 第十三条 grounds, cited with its text."""
    return clause(f"第十三条{ground}", REVOCATION_GROUNDS[ground])
