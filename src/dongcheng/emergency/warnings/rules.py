"""Pure rules of early warnings, clause by clause (东政发〔2022〕3号 §3.2.1–§3.2.7). Inputs in, Decision and Basis
out; no I/O.

Read this file against the gazette: each function names its clause; the service asks these functions and writes.
The state table is ``FLOW`` (core.workflow); every rule that can refuse answers with a ``Decision`` carrying its own
words. Dissemination (§3.2.8) and the CAP mapping are in dissemination_rules.py.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from dongcheng.core.basis import EMERGENCY_PLAN, Basis
from dongcheng.core.decision import Decision
from dongcheng.core.errors import DomainError, FieldError
from dongcheng.core.workflow import Step, Workflow
from dongcheng.emergency.warnings.enums import Action, Level, Status

if TYPE_CHECKING:
    from dongcheng.emergency.warnings.models import EarlyWarning

# Which units act as the 区应急办 is data (units.yaml ``emergency_office``, read into ``Acting.emergency_office``);
# its seat, the 发布单位 of orange/red warnings, is the unit the directory knows by this alias (区应急局, §2.2.1).
EMERGENCY_OFFICE_ALIAS = "区应急办"
PUBLICATION_CENTRE = "区预警信息发布中心"  # the outlet of public warnings (§3.2.3(3)); the 区应急办 acts for it (SPEC §4)
MAYOR_POST = "mayor"  # 区政府主要领导 = 区长
STAFF_ROLES = ("department", "duty_officer")  # the roles whose users act for their unit


def clause(number: str, note: str = "") -> Basis:
    return Basis(EMERGENCY_PLAN, number, note)


@dataclass(frozen=True)
class Refusals(Decision):
    """Several inputs refused at once: one 422 naming every field (a plain ``Decision`` names one)."""

    fields: tuple[FieldError, ...] = ()

    def error(self) -> DomainError:
        return DomainError(self.zh, self.en, self.status, list(self.fields))


def all_of(decisions: Iterable[Decision], basis: Basis, zh: str = "输入有误", en: str = "Invalid input") -> Decision:
    """The inputs' decisions as one: allowed when every one is; otherwise a 422 naming each refused field in order."""
    refused = [d for d in decisions if not d.allowed]
    if not refused:
        return Decision(True, basis)
    return Refusals(False, refused[0].basis, zh, en, 422,
                    fields=tuple(FieldError(d.field or "form", d.zh, d.en) for d in refused))


# --- §3.2.2 levels -------------------------------------------------------------------------------------------


def level_grade(level: Level) -> tuple[str, Basis]:
    """预警级别分为一级、二级、三级和四级，分别用红色、橙色、黄色和蓝色表示，一级为最高级别 (§3.2.2)."""
    return level.grade, clause("§3.2.2")


# --- §3.2.4 content ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Content:
    """What a draft holds of the §3.2.4 elements (issuing unit and issue time are set on publication)."""

    category: str | None
    level: Level | None
    starts_at: datetime | None
    expected_duration_hours: float | None
    area_streets: tuple[str, ...]
    precautions: str | None
    measures: str | None


def content_of(warning: EarlyWarning) -> Content:
    """The §3.2.4 elements as a warning holds them (reads its fields only)."""
    return Content(warning.category, Level(warning.level), warning.starts_at, warning.expected_duration_hours,
                   tuple(warning.area_streets or ()), warning.precautions, warning.measures)


def ends_at(warning: EarlyWarning) -> datetime | None:
    """起始时间 plus 预计持续时间 (§3.2.4), when the warning has both."""
    if warning.starts_at is None or warning.expected_duration_hours is None:
        return None
    return warning.starts_at + timedelta(hours=warning.expected_duration_hours)


@dataclass(frozen=True)
class Missing:
    field: str
    zh: str
    en: str


CONTENT_ELEMENTS = (
    # field, label (zh), label (en)
    ("event_type", "突发事件的类别", "the event type (its category)"),
    ("level", "预警级别", "the warning level"),
    ("starts_at", "起始时间", "the start time"),
    ("expected_duration_hours", "预计持续时间", "the expected duration"),
    ("area_streets", "可能影响范围", "the affected area (streets)"),
    ("precautions", "警示事项", "the precautions"),
    ("measures", "应采取的措施", "the measures to take"),
)


def missing_content(content: Content) -> tuple[list[Missing], Basis]:
    """预警信息内容包括类别、预警级别、起始时间、预计持续时间、可能影响范围、警示事项、应采取的措施 (§3.2.4).

    发布单位 and 发布时间 are filled in by publication itself, so a draft is complete without them.
    """
    present = {
        "event_type": bool(content.category),
        "level": content.level is not None,
        "starts_at": content.starts_at is not None,
        "expected_duration_hours": content.expected_duration_hours is not None and content.expected_duration_hours > 0,
        "area_streets": bool(content.area_streets),
        "precautions": bool(content.precautions and content.precautions.strip()),
        "measures": bool(content.measures and content.measures.strip()),
    }
    missing = [Missing(name, f"缺少{zh}（§3.2.4）", f"missing {en} (§3.2.4)")
               for name, zh, en in CONTENT_ELEMENTS if not present[name]]
    return missing, clause("§3.2.4")


def content_complete(content: Content) -> Decision:
    """A proposal is approved and published only with every §3.2.4 element: a 422 naming each one missing."""
    missing, basis = missing_content(content)
    if not missing:
        return Decision(True, basis)
    return Refusals(False, basis, "预警信息内容不全（§3.2.4）", "The warning lacks §3.2.4 content", 422,
                    fields=tuple(FieldError(m.field, m.zh, m.en) for m in missing))


def known_event_type(name: str, found: bool) -> Decision:
    """突发事件的类别 (§3.2.4) is one of the event types of the table of §2.3.6."""
    if found:
        return Decision(True, clause("§2.3.6"))
    return Decision(False, clause("§2.3.6"), f"未知的事件类型“{name}”（见表 §2.3.6）",
                    f"unknown event type {name!r} (table §2.3.6)", 422, "event_type")


def dongcheng_street(name: str, kind: str | None) -> Decision:
    """可能影响范围 (§3.2.4) is named by the district's streets and key areas, its sub-commands (§2.4)."""
    if kind in ("street", "key_area"):
        return Decision(True, clause("§2.4"))
    return Decision(False, clause("§2.4"), f"“{name}”不是东城区的街道（§2.4）", f"{name!r} is not a Dongcheng street",
                    422, "area_streets")


def valid_content(event_type: tuple[str, bool] | None, streets: Iterable[tuple[str, str | None]]) -> Decision:
    """A draft names a known event type and Dongcheng streets: ``event_type`` is (name, found), ``streets`` are
    (name, kind of the unit found or None); a 422 naming each one that is not."""
    checks = [known_event_type(*event_type)] if event_type else []
    checks += [dongcheng_street(name, kind) for name, kind in streets]
    return all_of(checks, clause("§3.2.4"))


# --- the state table -----------------------------------------------------------------------------------------

# draft → submitted → approved → published (→ level changed …) → lifted; a proposal sent back is a draft again.
# Each step with its clause and who takes it; the functions below check the caller, FLOW.step the order (409).
FLOW = Workflow("预警", "warning", [
    Step(Action.SUBMIT, {Status.DRAFT}, Status.SUBMITTED, clause("§3.2.3(2)", "相关部门提出预警建议"),
         by="起草单位（橙色、红色报区应急办）"),
    Step(Action.APPROVE, {Status.SUBMITTED}, Status.APPROVED, clause("§3.2.3(2)"),
         by="红色：区长；橙色：分管区领导；黄色、蓝色：起草单位"),
    Step(Action.RETURN, {Status.SUBMITTED}, Status.DRAFT, clause("§3.2.3(2)", "退回修改"),
         by="审批人；橙色、红色也可由履行审批程序的区应急办"),
    Step(Action.PUBLISH, {Status.APPROVED}, Status.PUBLISHED, clause("§3.2.3(3)"),
         by="面向公众：区预警信息发布中心（区应急办）；行业内部：起草单位"),
    Step(Action.LIFT, {Status.PUBLISHED}, Status.LIFTED, clause("§3.2.7", "谁发布、谁解除"), by="发布单位"),
    Step(Action.CHANGE_LEVEL, {Status.PUBLISHED}, None, clause("§3.2.6"), by="较高级别的审批人"),
])


# --- who is acting -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Acting:
    """The facts about a caller the rules need: role, own unit (and its parent), posts held today, and whether the
    unit acts as the 区应急办 (``emergency_office`` in units.yaml, §2.2.1)."""

    role: str
    unit: str | None = None
    unit_parent: str | None = None
    post_codes: frozenset[str] = field(default_factory=frozenset)
    emergency_office: bool = False

    def in_unit(self, name: str | None) -> bool:
        """Staff of a unit act for it, and so do staff of a unit sitting inside it (区水务局 in 区城市管理委)."""
        return name is not None and self.role in STAFF_ROLES and name in (self.unit, self.unit_parent)

    @property
    def in_emergency_office(self) -> bool:
        """Staff of a unit marked as the 区应急办 (区应急局, its 区应急指挥中心 and 区预警信息发布中心)."""
        return self.role in STAFF_ROLES and self.emergency_office


def may_draft(acting: Acting) -> Decision:
    """区相关部门负责相关类别突发事件预警工作 (§3.2.1): staff of a unit draft for their own unit."""
    if acting.role in STAFF_ROLES and acting.unit:
        return Decision(True, clause("§3.2.1"))
    return Decision(False, clause("§3.2.1"), "只有部门（单位）用户可以起草本单位的预警",
                    "Only a unit's staff may draft a warning for their unit")


def may_edit(drafting_unit: str, status: Status, acting: Acting) -> Decision:
    """The drafting unit completes its own draft (§3.2.4 content); once proposed it changes only by a return."""
    basis = clause("§3.2.4")
    if not acting.in_unit(drafting_unit):
        return Decision(False, basis, "只有起草单位可以修改草稿", "Only the drafting unit may edit its draft")
    if status != Status.DRAFT:
        return Decision(False, basis, "只能修改草稿", "Only a draft can be edited", 409)
    return Decision(True, basis)


def may_submit(drafting_unit: str, acting: Acting) -> Decision:
    """相关部门提出预警建议 (§3.2.3(2)): the drafting unit proposes its own warning."""
    if acting.in_unit(drafting_unit):
        return Decision(True, FLOW[Action.SUBMIT].basis)
    return Decision(False, FLOW[Action.SUBMIT].basis, "只有起草单位可以报送", "Only the drafting unit may submit its warning")


# --- §3.2.3(2) approval --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Leader:
    """A leader seat and whoever holds it on the day of the action (resolved from the directory)."""

    post_code: str
    post: str
    person: str | None
    basis: Basis | None = None  # why this seat (e.g. the 分管 line of the division of work)


@dataclass(frozen=True)
class Approver:
    """Who must approve: a leader seat (orange/red) or the drafting unit itself (blue/yellow)."""

    kind: str  # "leader" | "unit"
    post: str
    person: str | None
    post_code: str | None
    unit: str | None
    via_emergency_office: bool
    basis: Basis

    def to_dict(self) -> dict:
        return {"post": self.post, "person": self.person, "kind": self.kind, "post_code": self.post_code,
                "unit": self.unit, "via": "区应急办" if self.via_emergency_office else None, "basis": str(self.basis)}


def required_approver(level: Level, drafting_unit: str, *, mayor: Leader | None,
                      supervisor: Leader | None) -> Approver:
    """黄色、蓝色预警信息由区专项指挥部办公室、相关部门审批发布；橙色、红色由相关部门向区应急办提出预警建议，由区应急办
    履行审批程序，其中红色由区政府主要领导批准，橙色由分管区领导批准 (§3.2.3(2)).
    """
    if level == Level.RED:
        return Approver("leader", "区长", mayor.person if mayor else None, MAYOR_POST, None, True,
                        clause("§3.2.3(2)", "红色预警信息由区政府主要领导（区长）批准"))
    if level == Level.ORANGE:
        if supervisor is None:
            note = f"橙色预警信息由分管区领导批准；分工未列{drafting_unit}，由区应急办指定（§4.3.5）"
            return Approver("leader", "分管区领导（待区应急办指定）", None, None, None, True, clause("§3.2.3(2)", note))
        why = f"橙色预警信息由分管区领导批准；{drafting_unit}的分管区领导依据{supervisor.basis}" if supervisor.basis \
            else "橙色预警信息由分管区领导批准"
        return Approver("leader", supervisor.post, supervisor.person, supervisor.post_code, None, True,
                        clause("§3.2.3(2)", why))
    return Approver("unit", f"{drafting_unit}（起草单位）", None, None, drafting_unit, False,
                    clause("§3.2.3(2)", "黄色、蓝色预警信息由区专项指挥部办公室、相关部门审批发布"))


def may_approve(approver: Approver, acting: Acting) -> Decision:
    """Authority follows the post: whoever holds the seat today approves; for blue/yellow, the drafting unit (§3.2.3(2))."""
    if approver.kind == "leader":
        if approver.post_code and approver.post_code in acting.post_codes:
            return Decision(True, approver.basis)
        return Decision(False, approver.basis, f"须由{approver.post}（{approver.person or '空缺'}）批准",
                        f"Must be approved by the holder of {approver.post_code or 'the supervising leader seat'}")
    if acting.in_unit(approver.unit):
        return Decision(True, approver.basis)
    return Decision(False, approver.basis, f"黄色、蓝色预警由起草单位（{approver.unit}）审批",
                    f"A blue/yellow warning is approved by its drafting unit ({approver.unit})")


def may_return(approver: Approver, level: Level, acting: Acting) -> Decision:
    """退回修改: who may approve may send a proposal back instead; for orange/red also the 区应急办, which 履行审批程序
    (§3.2.3(2)) and so checks a proposal before it reaches the leader.
    """
    if level.is_high and acting.in_emergency_office:
        return Decision(True, clause("§3.2.3(2)", "橙色、红色预警由区应急办履行审批程序"))
    decision = may_approve(approver, acting)
    if decision.allowed:
        return decision
    return Decision(False, decision.basis, f"只有审批人可以退回：{decision.zh}",
                    f"Only the approver may return it: {decision.en}")


def return_reason(reason: str) -> Decision:
    """A proposal goes back with the reason the drafting unit revises it by (§3.2.3(2))."""
    if reason.strip():
        return Decision(True, FLOW[Action.RETURN].basis)
    return Decision(False, FLOW[Action.RETURN].basis, "退回须写明理由，起草单位据此修改",
                    "a return needs a reason for the drafter", 422, "reason")


# --- §3.2.3(3) publication, §3.2.7 lifting -------------------------------------------------------------------


def publisher(public: bool, drafting_unit: str) -> tuple[str, Basis]:
    """需要向公众发布的区域性预警信息由区预警信息发布中心统一对外发布；仅在行业内部发布的警示性信息由行业主管部门自行发布
    (§3.2.3(3)).
    """
    if public:
        return PUBLICATION_CENTRE, clause("§3.2.3(3)", "面向公众的区域性预警由区预警信息发布中心（区应急办代行）统一对外发布")
    return drafting_unit, clause("§3.2.3(3)", "行业内部警示性信息由行业主管部门在本系统内自行发布")


def may_publish(public: bool, drafting_unit: str, acting: Acting) -> Decision:
    unit, basis = publisher(public, drafting_unit)
    if (public and acting.in_emergency_office) or (not public and acting.in_unit(drafting_unit)):
        return Decision(True, basis)
    return Decision(False, basis, f"此预警只能由{unit}发布", f"Only {unit} may publish this warning")


def issuing_unit(level: Level, public: bool, drafting_unit: str, emergency_office: str) -> tuple[str, Basis]:
    """发布单位 (§3.2.4): the unit that 审批发布和解除 — blue/yellow the department itself; orange/red the 区应急办
    (``emergency_office``: its seat as the directory names it), which may authorise the department, as it does for an
    internal (industry) warning (§3.2.3(2)). The 区预警信息发布中心 is the outlet for public warnings, not their issuer.
    """
    if level.is_high and public:
        return emergency_office, clause("§3.2.3(2)", "橙色、红色预警由区应急办发布和解除")
    if level.is_high:
        return drafting_unit, clause("§3.2.3(2)", "橙色、红色行业内部预警由区应急办授权相关部门发布和解除")
    return drafting_unit, clause("§3.2.3(2)", "黄色、蓝色预警由相关部门审批发布和解除")


def may_lift(issuer: str, acting: Acting) -> Decision:
    """按照“谁发布、谁解除”的原则，由预警信息发布单位宣布解除本地区预警，并通报相关部门 (§3.2.7)."""
    basis = clause("§3.2.7", "谁发布、谁解除")
    if acting.in_unit(issuer):
        return Decision(True, basis)
    return Decision(False, basis, f"谁发布、谁解除：只有发布单位（{issuer}）可以解除",
                    f"Only the issuing unit ({issuer}) may lift it")


def notice_basis(action: Action) -> Basis:
    """Who is told: the units concerned take their measures on publication or a level change (§3.2.5); on lifting
    the issuer 通报相关部门 (§3.2.7)."""
    return clause("§3.2.7", "通报相关部门") if action == Action.LIFT else clause("§3.2.5")


# --- §3.2.6 level changes ------------------------------------------------------------------------------------


def change_level_approver(old: Level, new: Level, drafting_unit: str, *, mayor: Leader | None,
                          supervisor: Leader | None) -> Approver:
    """区应急委调整预警级别 (§3.2.6). A change needs the approval authority of the higher of the two levels
    (§3.2.3(2)): raising yellow to red needs the 区长, lowering orange to blue the 分管区领导.
    """
    higher = old if old.rank >= new.rank else new
    base = required_approver(higher, drafting_unit, mayor=mayor, supervisor=supervisor)
    return Approver(base.kind, base.post, base.person, base.post_code, base.unit, base.via_emergency_office,
                    clause("§3.2.6", f"调整预警级别，按较高级别（{higher.value}）的审批权限；{base.basis.note}"))


def level_change(old: Level, new: Level) -> Decision:
    """调整预警级别 (§3.2.6): to another level."""
    if new != old:
        return Decision(True, clause("§3.2.6"))
    return Decision(False, clause("§3.2.6"), f"预警已是{old.value}", f"the warning is already {old.value}", 422, "level")


# --- filing (备案) ---------------------------------------------------------------------------------------------


def filing_targets(action: Action, level: Level) -> tuple[tuple[str, ...], Basis]:
    """上报市应急办及市相关部门备案 (§3.2.3(2)); 级别调整上报市应急办、市相关专项指挥部办公室、市相关部门备案 (§3.2.6)."""
    if action == Action.CHANGE_LEVEL:
        return ("市应急办", "市相关专项指挥部办公室", "市相关部门"), clause("§3.2.6")
    step = "发布" if action == Action.PUBLISH else "解除"
    return ("市应急办", "市相关部门"), clause("§3.2.3(2)", f"{level.value}预警{step}后备案")


# --- §3.2.5 response measures ---------------------------------------------------------------------------------


def response_measure_lists(level: Level) -> tuple[tuple[str, ...], Basis]:
    """蓝色、黄色：§3.2.5(1) 的措施；橙色、红色：在蓝色、黄色预警响应措施的基础上，还应采取 §3.2.5(2) 的措施."""
    if level.is_high:
        return ("blue_yellow", "orange_red"), clause("§3.2.5(2)", "在蓝色、黄色预警响应措施的基础上")
    return ("blue_yellow",), clause("§3.2.5(1)")


def may_tick(unit: str, done: bool, acting: Acting) -> Decision:
    """Each unit concerned carries out its own measures (§3.2.5) and ticks each once."""
    if not acting.in_unit(unit):
        return Decision(False, clause("§3.2.5"), f"只有{unit}可以办理本单位的措施", f"Only {unit} may tick its own measures")
    if done:
        return Decision(False, clause("§3.2.5"), "该措施已办结", "This measure is already ticked", 409)
    return Decision(True, clause("§3.2.5"))


def units_concerned(drafting_unit: str, lead_departments: tuple[str, ...], streets: tuple[str, ...]) -> tuple[str, ...]:
    """区各专项指挥部办公室、各分指挥部和相关部门 (§3.2.5): the drafting unit, the event type's lead departments
    (§2.3.6) and the sub-commands of the affected streets (§2.4), each once, in that order.
    """
    seen: dict[str, None] = {}
    for name in (drafting_unit, *lead_departments, *streets):
        seen.setdefault(name, None)
    return tuple(seen)


# --- visibility ------------------------------------------------------------------------------------------------


def visible(*, public: bool, status: Status, drafting_unit: str, concerned: tuple[str, ...], acting: Acting | None,
            is_approver: bool) -> bool:
    """Published public warnings are for everyone; internal ones only within the industry (§3.2.3(3)) — the drafting
    unit, the units concerned and the 区应急办, which manages every warning (§3.2.1); drafts stay with their unit,
    the 区应急办 and the approver.
    """
    if public and status in (Status.PUBLISHED, Status.LIFTED):
        return True
    if acting is None:
        return False
    if acting.role == "admin" or acting.in_emergency_office or acting.in_unit(drafting_unit) or is_approver:
        return True
    if acting.role == "leader":
        return MAYOR_POST in acting.post_codes
    return status in (Status.PUBLISHED, Status.LIFTED) and any(acting.in_unit(u) for u in concerned)
