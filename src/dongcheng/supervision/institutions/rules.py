"""Institutions and credit, pure (东政办发〔2021〕17号 四（二）, 三（一）2): the 统一社会信用代码 check digit, who runs
the registry, the policy (points thresholds, publication and repair periods) read and checked, the points of a cycle
and the consequence they reach, what the public sees and when a record may be removed early. No I/O."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dongcheng.core.basis import Basis
from dongcheng.core.decision import Decision, allow, refuse

PLAN = "东政办发〔2021〕17号"
CREDIT_BASIS = Basis(PLAN, "四（二）", "落实国家、北京市黑名单制度和不良执业行为记分制度")
REPAIR_BASIS = Basis(PLAN, "三（一）2", "开展失信行为信用修复")
REGISTRY_BASIS = Basis(PLAN, "三（一）4", "对辖区医疗卫生机构、行业实行全行业，属地化监管原则")
AUTHORITY_BASIS = Basis(PLAN, "三（一）4", "建立由区卫生健康行政部门牵头、有关部门参加的综合监管协调机制")
USCC_BASIS = Basis("GB 32100-2015", "§4–§5", "统一社会信用代码：18位，第18位为校验码")

# 区卫生健康行政部门 (三（一）4): the unit that runs the registry, credit and inspections, and the units under it
# (区卫生健康监督所, its enforcement arm).
SUPERVISING_UNIT = "区卫生健康委"

KINDS = ("医院", "社区卫生服务中心", "社区卫生服务站", "门诊部", "诊所", "医务室", "急救站", "专业公共卫生机构", "其他")
OWNERSHIPS = {"public": "公立", "social": "社会办医"}
RISKS = {"high": "高风险", "medium": "中风险", "low": "低风险"}

# GB 32100-2015 §4.2 代码字符集 (no I, O, S, V, Z) and §5 the check digit: weights 3^(i-1) mod 31.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_digit(first17: str) -> str:
    """C18 = 31 − (Σ Ci·Wi mod 31), 31 → 0 (GB 32100-2015 §5)."""
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def check_uscc(code: str, field: str = "uscc") -> Decision:
    """18 characters of the GB 32100-2015 set, the 18th the check digit of the first 17."""
    if len(code) != 18:
        return refuse(USCC_BASIS, "统一社会信用代码应为18位", "The unified social credit code has 18 characters", 422,
                      field)
    bad = [c for c in code if c not in USCC_CHARSET]
    if bad:
        return refuse(USCC_BASIS, f"统一社会信用代码含非法字符：{bad[0]}（不使用 I、O、S、V、Z 及小写字母）",
                      f"Invalid character in the code: {bad[0]!r}", 422, field)
    expected = uscc_check_digit(code[:17])
    if code[17] != expected:
        return refuse(USCC_BASIS, f"统一社会信用代码校验码错误：第18位应为 {expected}",
                      f"Check digit wrong: the 18th character should be {expected}", 422, field)
    return allow(USCC_BASIS)


def may_supervise(unit_name: str | None, parent_name: str | None) -> Decision:
    """The 区卫生健康委 (or a unit under it, the 区卫生健康监督所) runs the registry, credit and inspections."""
    if SUPERVISING_UNIT in (unit_name, parent_name):
        return allow(AUTHORITY_BASIS)
    return refuse(AUTHORITY_BASIS, f"医疗卫生机构登记、信用与抽查由{SUPERVISING_UNIT}办理",
                  f"Only the {SUPERVISING_UNIT} (health commission) and units under it act here")


# --- the policy -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Threshold:
    points: int
    consequence: str
    clause: str


@dataclass(frozen=True)
class Period:
    min_months: int  # 最短公示期: early removal (信用修复) only after it
    max_months: int  # 最长公示期: the record leaves the public list
    source: str


@dataclass(frozen=True)
class Policy:
    source: str
    status: str  # "platform default" for the shipped table, or the loaded document's status
    cycle_months: int  # 记分周期, counted from 1 January (12: the calendar year)
    max_per_record: int
    thresholds: tuple[Threshold, ...]
    points_publication: Period
    blacklist_publication: Period

    @property
    def basis(self) -> Basis:
        return Basis(PLAN, "四（二）", f"记分标准：{self.source}")


FieldProblem = tuple[str, str, str]  # field, zh, en


def _int(data: dict, key: str, field: str, problems: list[FieldProblem], low: int, high: int) -> int:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        problems.append((field, f"应为 {low}–{high} 的整数", f"must be an integer {low}–{high}"))
        return low
    return value


def _text(data: dict, key: str, field: str, problems: list[FieldProblem]) -> str:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, str) or not value.strip() or len(value) > 500:
        problems.append((field, "必填文本（不超过500字）", "required text (at most 500 characters)"))
        return ""
    return value.strip()


def _period(data: object, field: str, problems: list[FieldProblem]) -> Period:
    if not isinstance(data, dict):
        problems.append((field, "缺少公示期限", "the publication period is missing"))
        return Period(0, 0, "")
    low = _int(data, "min_months", f"{field}.min_months", problems, 0, 120)
    high = _int(data, "max_months", f"{field}.max_months", problems, 1, 120)
    if low > high:
        problems.append((f"{field}.min_months", "最短公示期不得长于最长公示期", "min_months exceeds max_months"))
    return Period(low, high, _text(data, "source", f"{field}.source", problems))


def read_policy(data: object) -> tuple[Policy | None, list[FieldProblem]]:
    """A policy file's content → Policy, or every problem naming its field (``points.thresholds[1].points``)."""
    problems: list[FieldProblem] = []
    if not isinstance(data, dict):
        return None, [("policy", "记分政策应为映射（YAML / JSON 对象）", "the policy must be a mapping")]
    source = _text(data, "source", "source", problems)
    status = _text(data, "status", "status", problems)
    points = data.get("points")
    if not isinstance(points, dict):
        problems.append(("points", "缺少记分标准", "points are missing"))
        points = {}
    cycle = _int(points, "cycle_months", "points.cycle_months", problems, 1, 120)
    if cycle and 12 % cycle and cycle % 12:
        problems.append(("points.cycle_months", "记分周期应整除一年或为整年", "the cycle must divide a year or be whole years"))
    per_record = _int(points, "max_per_record", "points.max_per_record", problems, 1, 100)
    rows = points.get("thresholds")
    thresholds: list[Threshold] = []
    if not isinstance(rows, list) or not rows:
        problems.append(("points.thresholds", "至少一个记分等次", "at least one threshold"))
        rows = []
    for i, row in enumerate(rows):
        field = f"points.thresholds[{i}]"
        if not isinstance(row, dict):
            problems.append((field, "应为映射", "must be a mapping"))
            continue
        t = Threshold(_int(row, "points", f"{field}.points", problems, 1, 1000),
                      _text(row, "consequence", f"{field}.consequence", problems),
                      _text(row, "clause", f"{field}.clause", problems))
        if thresholds and t.points <= thresholds[-1].points:
            problems.append((f"{field}.points", "记分等次应由低到高", "thresholds must increase"))
        thresholds.append(t)
    publication = data.get("publication") if isinstance(data.get("publication"), dict) else {}
    if not publication:
        problems.append(("publication", "缺少公示与修复期限", "publication periods are missing"))
    p_points = _period(publication.get("points"), "publication.points", problems)
    p_black = _period(publication.get("blacklist"), "publication.blacklist", problems)
    if problems:
        return None, problems
    return Policy(source, status, cycle, per_record, tuple(thresholds), p_points, p_black), []


# --- points, cycles, publication ------------------------------------------------------------------------------

def cycle_of(day: date, cycle_months: int) -> tuple[str, date, date]:
    """The 记分周期 holding ``day``: label, first and last day (cycles counted from 1 January; 12 → the year)."""
    index = (day.year * 12 + day.month - 1) // cycle_months
    start_m = index * cycle_months
    end_m = start_m + cycle_months
    start = date(start_m // 12, start_m % 12 + 1, 1)
    end = _minus_one_day(date(end_m // 12, end_m % 12 + 1, 1))
    label = str(start.year) if cycle_months == 12 else f"{start:%Y-%m}至{end:%Y-%m}"
    return label, start, end


def _minus_one_day(d: date) -> date:
    return d - timedelta(days=1)


def check_points(points: int, policy: Policy) -> Decision:
    if not 1 <= points <= policy.max_per_record:
        return refuse(policy.basis, f"单次记分应为 1–{policy.max_per_record} 分",
                      f"Points per record must be 1–{policy.max_per_record}", 422, "points")
    return allow(policy.basis)


@dataclass(frozen=True)
class Standing:
    """An institution's points in a cycle and the highest threshold they reach (None: below the first)."""

    cycle: str
    total: int
    reached: Threshold | None
    next_threshold: Threshold | None
    basis: Basis


def standing(cycle: str, totals: list[int], policy: Policy) -> Standing:
    total = sum(totals)
    reached = [t for t in policy.thresholds if total >= t.points]
    ahead = [t for t in policy.thresholds if total < t.points]
    return Standing(cycle, total, reached[-1] if reached else None, ahead[0] if ahead else None, policy.basis)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    m = day.year * 12 + day.month - 1 + months
    year, month = divmod(m, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def published_until(start: date, period: Period, end: date | None = None) -> date:
    """The last day a record is on the public list: its own end (a blacklist period) but never past the longest
    publication period (最长公示期)."""
    longest = _minus_one_day(add_months(start, period.max_months))
    return min(end, longest) if end else longest


def is_public(start: date, until: date, removed_on: date | None, on: date) -> bool:
    return start <= on <= until and (removed_on is None or on < removed_on)


def may_remove_early(start: date, removed_on: date | None, on: date, period: Period) -> Decision:
    """信用修复 (三（一）2): a record leaves the public list early only once its shortest publication period
    (最短公示期) has passed (policy: publication.*.min_months and its source)."""
    basis = Basis(PLAN, "三（一）2", f"信用修复：最短公示期{period.min_months}个月（{period.source}）")
    if removed_on is not None:
        return refuse(basis, "该记录已修复移出公示", "The record was already removed", 409)
    earliest = add_months(start, period.min_months)
    if on < earliest:
        return refuse(basis, f"最短公示期未满：{earliest.isoformat()} 起方可申请信用修复",
                      f"The shortest publication period ends first: repair from {earliest.isoformat()}", 409, "on")
    return allow(basis)


def check_blacklist_period(start: date, end: date, period: Period) -> Decision:
    basis = Basis(PLAN, "四（二）", f"黑名单期限不超过最长公示期{period.max_months}个月（{period.source}）")
    if end < start:
        return refuse(basis, "结束日期不得早于开始日期", "end_on is before start_on", 422, "end_on")
    if end > published_until(start, period):
        return refuse(basis, f"黑名单期限不得超过{period.max_months}个月", f"At most {period.max_months} months",
                      422, "end_on")
    return allow(basis)
