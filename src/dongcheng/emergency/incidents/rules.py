"""Pure rules of incident handling, clause by clause (东政发〔2022〕3号). No I/O: inputs in, decision + Basis out.

Reporting clock (§4.1):
- §4.1.5 grade undetermined: the lead department reports to 区委值班室, 区政府值班室, 区应急办 within 10 minutes
  of receipt (初报);
- §4.1.4 grade 一般 or above, or important / key area / special period: immediate report to 区委办, 区政府办, 区应急办,
  notice to 区委宣传部, 区委网信办, the detailed report no later than 1 hour after the event occurred (详报);
- §4.1.5 较大 or above still being handled: a follow-up every 30 minutes until the response ends (续报);
- §4.1.6 foreign / HK / Macau / Taiwan involvement: also 区外办, 区台办;
- §4.1.7 重大 / 特别重大: also reported to 市委, 市政府 and city departments.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from dongcheng.core.basis import EMERGENCY_PLAN, Basis, platform_default
from dongcheng.core.decision import Decision, allow, refuse
from dongcheng.emergency.incidents.enums import GRADE_RANK, LEVEL_RANK, DeadlineKind, DeadlineStatus, Grade, ResponseLevel

INITIAL_WINDOW = timedelta(minutes=10)
DETAILED_WINDOW = timedelta(hours=1)
FOLLOW_UP_INTERVAL = timedelta(minutes=30)

INITIAL_RECIPIENTS = ("区委值班室", "区政府值班室", "区应急办")
DETAILED_RECIPIENTS = ("区委办", "区政府办", "区应急办")
DETAILED_NOTIFY = ("区委宣传部", "区委网信办")
FOREIGN_RECIPIENTS = ("区外办", "区台办")
CITY_RECIPIENTS = ("市委", "市政府", "市级相关部门")


def plan(clause: str, note: str = "") -> Basis:
    return Basis(EMERGENCY_PLAN, clause, note)


# The clause of each step of the flow (recorded with the step and in its audit entry).
INTAKE = plan("§4.1, §2.3.6")  # 接报 and routing by table §2.3.6
DESIGNATION = plan("§4.3.5")  # 区应急委指定主责部门
GRADE = plan("§1.4.2, §4.1.4, §4.1.5")  # grading, and the reporting clock it sets
RESPONSE_LEVEL = plan("§4.3")
LEVEL_DEPARTURE = plan("§4.3.1")  # a level other than the proposal: 可适当提高 / 降低
HANDOVER = plan("§4.3.4, §4.3.6")
END = plan("§4.8")
VOLUNTARY_REPORT = plan("§4.1.1")  # a report that meets no open deadline: 按照有关规定及时上报
REPORT_CONTENT = plan("§4.1.8")  # the elements a report must carry

# Intake check-boxes: form name, label, the clause that makes the flag matter.
INTAKE_FLAGS = (
    ("foreign_related", "涉外/涉港澳台", "§4.1.6"),
    ("sensitive", "事件敏感", "§4.1.4, §4.3.1"),
    ("special_period", "特殊时期（重大活动、重要会议）", "§4.1.4, §4.3.1"),
    ("situation_only", "突出情况（不构成突发事件）", "§4.3.2"),
    ("needs_other_districts", "需协调其他区共同处置", "§4.3.4(2)"),
    ("drill", "演练", "§7.2"),
)


def grade_step_basis(proposal: Basis) -> str:
    """The basis a grade change is recorded with: the grading clauses and the basis of the level now proposed."""
    return f"{GRADE}；建议响应级别 {proposal}"


def known_event_type(name: str, found: bool) -> Decision:
    """Intake names one of the 36 event types of table §2.3.6, or none (unknown: the 区应急委 designates, §4.3.5)."""
    basis = plan("§2.3.6")
    if found:
        return allow(basis)
    return refuse(basis, f"“{name}”不是表 §2.3.6 的事件类别（未知类别请填 null）",
                  f"{name!r} is not an event type of table §2.3.6 (use null if unknown)", 422, "event_type")


@dataclass(frozen=True)
class ClockInput:
    """What the reporting clock depends on."""

    received_at: datetime
    occurred_at: datetime
    grade_at_receipt: str | None
    grade: str | None
    sensitive: bool = False
    key_area: bool = False
    special_period: bool = False
    foreign_related: bool = False
    follow_up_from: datetime | None = None  # when the grade became 较大 or above (this run of follow-ups)
    ended_at: datetime | None = None


@dataclass(frozen=True)
class DeadlineSpec:
    kind: DeadlineKind
    seq: int
    due_at: datetime
    basis: Basis
    recipients: tuple[str, ...]
    notify: tuple[str, ...] = ()


def is_at_least(grade: str | None, threshold: Grade) -> bool:
    return grade is not None and GRADE_RANK[Grade(grade)] >= GRADE_RANK[threshold]


def extra_recipients(clock: ClockInput) -> tuple[tuple[str, ...], str]:
    extra: tuple[str, ...] = ()
    clauses = ""
    if clock.foreign_related:
        extra += FOREIGN_RECIPIENTS
        clauses += ", §4.1.6"
    if is_at_least(clock.grade, Grade.MAJOR):
        extra += CITY_RECIPIENTS
        clauses += ", §4.1.7"
    return extra, clauses


def initial_deadline(clock: ClockInput) -> DeadlineSpec | None:
    """初报: 暂时无法判明等级 → 接报后 10 分钟 (§4.1.5)."""
    if clock.grade_at_receipt is not None:
        return None
    extra, clauses = extra_recipients(clock)
    return DeadlineSpec(DeadlineKind.INITIAL, 1, clock.received_at + INITIAL_WINDOW, plan("§4.1.5" + clauses),
                        INITIAL_RECIPIENTS + extra)


def needs_detailed_report(clock: ClockInput) -> bool:
    """§4.1.4: 能够判定为一般及以上, 或事件本身比较重要 / 发生在重点地区、特殊时期."""
    return clock.grade is not None or clock.sensitive or clock.key_area or clock.special_period


def detailed_deadline(clock: ClockInput) -> DeadlineSpec | None:
    """详报: 最迟不得晚于事件发生后 1 小时 (§4.1.4)."""
    if not needs_detailed_report(clock):
        return None
    extra, clauses = extra_recipients(clock)
    return DeadlineSpec(DeadlineKind.DETAILED, 1, clock.occurred_at + DETAILED_WINDOW, plan("§4.1.4" + clauses),
                        DETAILED_RECIPIENTS + extra, DETAILED_NOTIFY)


def follow_up_due(start: datetime, n: int) -> datetime:
    return start + FOLLOW_UP_INTERVAL * n


def follow_up_deadlines(clock: ClockInput, until: datetime, first_seq: int = 1) -> list[DeadlineSpec]:
    """续报: 较大及以上, 每 30 分钟, 直到应急处置结束 (§4.1.5). Slots from ``follow_up_from`` up to ``until``."""
    if clock.follow_up_from is None or not is_at_least(clock.grade, Grade.LARGER):
        return []
    extra, clauses = extra_recipients(clock)
    stop = min(until, clock.ended_at) if clock.ended_at else until
    specs = []
    n = 1
    while (due := follow_up_due(clock.follow_up_from, n)) <= stop:
        specs.append(DeadlineSpec(DeadlineKind.FOLLOW_UP, first_seq + n - 1, due, plan("§4.1.5" + clauses),
                                  DETAILED_RECIPIENTS + extra))
        n += 1
    return specs


def follow_up_owed_at(clock: ClockInput, at: datetime) -> DeadlineSpec | None:
    """The 续报 owed at ``at``: the run's latest slot due by then, unless its successor is due too (then it is missed).
    Its ``seq`` counts the run's slots from 1."""
    specs = follow_up_deadlines(clock, at)
    if specs and not superseded(DeadlineKind.FOLLOW_UP, specs[-1].due_at, at):
        return specs[-1]
    return None


def report_outcome(due_at: datetime, filed_at: datetime) -> DeadlineStatus:
    """A report filed at or before the due second is on time; one second later it is late."""
    return DeadlineStatus.MET if filed_at <= due_at else DeadlineStatus.LATE


def superseded(kind: str, due_at: datetime, at: datetime) -> bool:
    """A follow-up not filed by the time the next one is due can no longer be filed: it is missed."""
    return kind == DeadlineKind.FOLLOW_UP and at >= due_at + FOLLOW_UP_INTERVAL


def status_at(kind: str, due_at: datetime, met_at: datetime | None, closed_at: datetime | None,
              stored: str, at: datetime) -> DeadlineStatus:
    """The status of a deadline as seen at instant ``at``."""
    if met_at is not None and met_at <= at:
        return report_outcome(due_at, met_at)
    if closed_at is not None and closed_at <= at:
        return DeadlineStatus(stored) if stored in ("cancelled", "missed") else DeadlineStatus.MISSED
    if superseded(kind, due_at, at):
        return DeadlineStatus.MISSED
    return DeadlineStatus.PENDING


def missing_elements(elements: Mapping[str, str | None], required: Sequence[tuple[str, str]]) -> list[str]:
    """§4.1.8: a report lacking any of the seven elements is incomplete; name the missing ones (in Chinese).

    ``required`` is the list ``report_elements`` of data/emergency/lists.yaml as (key, 中文): the caller passes it in.
    """
    return [zh for key, zh in required if not (elements.get(key) or "").strip()]


@dataclass(frozen=True)
class LevelProposal:
    level: ResponseLevel | None
    reason: str
    basis: Basis


def raise_one(level: ResponseLevel) -> ResponseLevel:
    return {ResponseLevel.THREE: ResponseLevel.TWO, ResponseLevel.TWO: ResponseLevel.ONE}.get(level, ResponseLevel.ONE)


def propose_response_level(*, grade: str | None, situation_only: bool, sensitive: bool, key_area: bool,
                           special_period: bool, needs_other_districts: bool) -> LevelProposal:
    """§4.3: the level the system proposes; a person confirms, raises or lowers it."""
    if needs_other_districts:
        level, reason, basis = ResponseLevel.ONE, "需要协调其他区共同处置", plan("§4.3.4(2)")
    elif is_at_least(grade, Grade.LARGER):
        level, reason, basis = ResponseLevel.ONE, f"初判为{grade}，可能达到较大级别及以上", plan("§4.3.4(1)")
    elif grade == Grade.GENERAL:
        level, reason, basis = ResponseLevel.TWO, "初判不会超过一般级别，由相应专项应急指挥部启动", plan("§4.3.3")
    elif situation_only:
        level, reason, basis = ResponseLevel.THREE, "不构成突发事件的突出情况，由街道（地区）启动", plan("§4.3.2")
    else:
        return LevelProposal(None, "事件等级尚未判明，待处置主责部门核实后提出", plan("§4.1.5"))
    raisers = [name for name, flag in (("事件本身比较敏感", sensitive), ("发生在重点地区", key_area),
                                       ("重大活动、重要会议等时期", special_period)) if flag]
    if raisers and level != ResponseLevel.ONE:
        level = raise_one(level)
        reason += f"；因{'、'.join(raisers)}，建议提高一级"
        basis = plan(f"{basis.clause}, §4.3.1", "可适当提高响应级别")
    return LevelProposal(level, reason, basis)


def level_change_kind(old: str | None, new: str) -> str:
    if old is None:
        return "confirm"
    rank_old, rank_new = LEVEL_RANK[ResponseLevel(old)], LEVEL_RANK[ResponseLevel(new)]
    return "raise" if rank_new > rank_old else "lower" if rank_new < rank_old else "confirm"


# --- who may act on an incident (issue: only the lead department, the 区应急办 and leaders; streets on 三级) ---

@dataclass(frozen=True)
class ActorFacts:
    role: str
    unit_id: int | None
    unit_is_emergency_office: bool  # units.yaml `emergency_office` (区应急办设在区应急局, §2.2.1)


ACT_REFUSAL = ("只有处置主责部门、区应急办和区领导可以办理此事件（街道仅办理本辖区三级响应事项）",
               "Only the lead department, the emergency office and district leaders may act on this incident "
               "(a street only on its own level-3 situations)")


def may_act(actor: ActorFacts, *, lead_unit_ids: set[int], street_unit_id: int, level: str | None) -> Decision:
    """The lead department (§2.3.6), the 区应急办 (§2.2.1) and district leaders (§2.1.2) act on an incident; a street
    on its own 三级 situation (§4.3.2)."""
    if actor.role == "duty_officer":
        return allow(plan("§2.2.1"))
    if actor.role == "leader":
        return allow(plan("§2.1.2"))
    refused = refuse(plan("§2.3.6, §4.3.2"), *ACT_REFUSAL)
    if actor.role != "department" or actor.unit_id is None:
        return refused
    if actor.unit_is_emergency_office:
        return allow(plan("§2.2.1"))
    if actor.unit_id in lead_unit_ids:
        return allow(plan("§2.3.6"))
    # §4.3.2 三级响应 is started and run by the street (地区) itself.
    if actor.unit_id == street_unit_id and level == ResponseLevel.THREE:
        return allow(plan("§4.3.2"))
    return refused


def may_designate_lead(actor: ActorFacts) -> Decision:
    """§4.3.5: the 区应急委 designates — its office (区应急办 duty officers) or a district leader acting for it."""
    if actor.role in ("duty_officer", "leader") or (actor.role == "department" and actor.unit_is_emergency_office):
        return allow(DESIGNATION)
    return refuse(DESIGNATION, "只有区应急委（区应急办值班员或区领导）可以指定主责部门",
                  "Only the district emergency committee (its office or a leader) designates a lead")


@dataclass(frozen=True)
class LeadCandidate:
    """A unit proposed as an incident's 处置主责部门: its name, kind (units.yaml) and the organ it sits in, if any."""

    name: str
    kind: str
    parent: str | None = None


# Who can be a 处置主责部门: the kinds of unit table §2.3.6 names as one (区政府部门, 区委部门, 区属事业单位 such as
# 区环卫中心, 公安消防, the 区属企业 京诚集团) and the special HQs the 区应急委 sets up (§2.3.1) — in this order on
# the designation form. Not the 区应急委 itself (it designates), not a street or the key area (分指挥部 §2.4: they
# start 三级 on their own, §4.3.2), not a city body, nor the 人大/政协/法院/检察院, 群团 or 驻区中央、市属 units.
LEAD_KINDS = ("government", "party", "agency", "police", "enterprise", "special_hq")
_NOT_A_LEAD = {
    "city": ("市级单位", "a city body"),
    "street": ("街道（§2.4 分指挥部，三级响应自行启动 §4.3.2）", "a street (a sub-command, §2.4; it runs level 3 itself)"),
    "key_area": ("重点地区（§2.4 分指挥部）", "the key area (a sub-command, §2.4)"),
    "command": ("区应急委本身（由其指定主责部门）", "the emergency committee itself (it designates)"),
}


def may_lead(unit: LeadCandidate) -> Decision:
    """§4.3.5 with §2.3: the 区应急委 designates a district department or special HQ as 处置主责部门. A unit that sits in
    another organ (区委值班室 in 区委办, the 区应急指挥中心 in 区应急局) is not one itself: its organ is designated."""
    basis = plan("§4.3.5, §2.3.1, §2.3.6")
    if unit.kind not in LEAD_KINDS:
        zh, en = _NOT_A_LEAD.get(unit.kind, ("非区级部门", "not a district department"))
        return refuse(basis, f"“{unit.name}”是{zh}，不能指定为处置主责部门：区应急委指定区级部门或专项指挥部（§4.3.5、§2.3）",
                      f"{unit.name} is {en}, not a lead department: the district emergency committee designates a "
                      "district department or special HQ (§4.3.5, §2.3)", 422, "unit")
    if unit.parent:
        return refuse(basis, f"“{unit.name}”设在{unit.parent}，不是独立的处置主责部门：请指定{unit.parent}",
                      f"{unit.name} sits in {unit.parent} and is not a lead department itself: designate "
                      f"{unit.parent}", 422, "unit")
    return allow(basis)


def may_set_level(*, handed_over: bool) -> Decision:
    """§4.3.6: once the city commands, the district's level follows the city's command."""
    if handed_over:
        return refuse(plan("§4.3.6"), "已移交市级指挥，区级响应级别随市级指挥调整（§4.3.6）",
                      "Handed over: the district follows city command (§4.3.6)", 409)
    return allow(RESPONSE_LEVEL)


def may_report_intake(actor: ActorFacts, *, street_unit_id: int, caller_unit_kind: str | None) -> Decision:
    """§4.1.3: streets and departments report what they learn; a street reports for its own area."""
    basis = plan("§4.1.3")
    refused = refuse(basis, "街道只能报送本辖区的事件；平台管理员不能报送事件",
                     "A street reports incidents in its own area only; admins do not report incidents")
    if actor.role in ("duty_officer", "leader"):
        return allow(basis)
    if actor.role != "department":
        return refused
    if caller_unit_kind in ("street", "key_area") and actor.unit_id != street_unit_id:
        return refused
    return allow(basis)


# --- one incident per report: duplicate intake -----------------------------------------------------------------

# §4.1 asks for one chain of reports per event; the plan says nothing of an event taken in twice. Platform default:
# two intakes of the same street, event type (or both unknown) and minute of receipt are suspected duplicates, and the
# 区应急办 on duty closes one into the other (the duplicate's clocks stop and no longer count, §5.5.2).
MERGE = plan("§4.1, §5.5.2", platform_default(
    "duplicate_merge", "同一街道、同一事件类型、同一分钟接报的重复报告并入原事件，其报送时限不再计入问责"))


@dataclass(frozen=True)
class IntakeKey:
    """What makes two intakes suspected duplicates: street, event type, drill or real, and the minute received."""

    street_unit_id: int
    event_type_id: int | None
    drill: bool
    received_minute: datetime


def intake_key(street_unit_id: int, event_type_id: int | None, drill: bool, received_at: datetime) -> IntakeKey:
    return IntakeKey(street_unit_id, event_type_id, drill, received_at.replace(second=0, microsecond=0))


def duplicate_suspect(a: IntakeKey, b: IntakeKey) -> bool:
    """Same street, same event type (or both unknown), both drills or both real, received in the same minute."""
    return a == b


def may_merge(actor: ActorFacts, *, same_incident: bool, suspect: bool, duplicate_merged: bool,
              original_merged: bool, duplicate_has_merged: bool) -> Decision:
    """Only the 区应急办 on duty (its duty officers, or users of the unit it sits in) merges; only a suspected
    duplicate, into an incident not itself merged."""
    if not (actor.role == "duty_officer" or (actor.role == "department" and actor.unit_is_emergency_office)):
        return refuse(MERGE, "只有区应急办值班员可以合并重复接报",
                      "Only the emergency office's duty officers merge duplicate reports")
    if same_incident:
        return refuse(MERGE, "不能并入自身", "An incident cannot be merged into itself", 422, "into")
    if duplicate_merged or original_merged:
        return refuse(MERGE, "事件已作为重复接报合并过", "One of the incidents is already merged", 409)
    if duplicate_has_merged:
        return refuse(MERGE, "已有重复接报并入本事件，不能再将其并入他事件",
                      "Other reports were merged into this incident; it cannot be merged itself", 409)
    if not suspect:
        return refuse(MERGE, "两事件的街道、事件类别或接报时间（分钟）不同，不是疑似重复接报",
                      "Not a suspected duplicate: street, event type or minute of receipt differ", 409, "into")
    return allow(MERGE)
