"""Pure rules of early warnings, clause by clause (东政发〔2022〕3号 §3.2). Inputs in, decision and Basis out; no I/O.

Read this file against the gazette: each function names its clause; the service asks these functions and writes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from dongcheng.core.basis import EMERGENCY_PLAN, Basis
from dongcheng.core.decision import Decision
from dongcheng.emergency.warnings.enums import Action, Level, MsgType, Status

EMERGENCY_OFFICE = "区应急局"  # 区应急办 sits in 区应急局 (§2.2.1); the units file lists 区应急办 as its alias
PUBLICATION_CENTRE = "区预警信息发布中心"  # §3.2.3(3); the 区应急办 acts for it (SPEC §4)
PUBLISHER_UNITS = frozenset({EMERGENCY_OFFICE, PUBLICATION_CENTRE})
MAYOR_POST = "mayor"  # 区政府主要领导 = 区长


def clause(number: str, note: str = "") -> Basis:
    return Basis(EMERGENCY_PLAN, number, note)


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


# --- the state table -----------------------------------------------------------------------------------------

TRANSITIONS: dict[Action, tuple[frozenset[Status], Status]] = {
    Action.SUBMIT: (frozenset({Status.DRAFT}), Status.SUBMITTED),
    Action.APPROVE: (frozenset({Status.SUBMITTED}), Status.APPROVED),
    Action.RETURN: (frozenset({Status.SUBMITTED}), Status.DRAFT),
    Action.PUBLISH: (frozenset({Status.APPROVED}), Status.PUBLISHED),
    Action.CHANGE_LEVEL: (frozenset({Status.PUBLISHED}), Status.PUBLISHED),
    Action.LIFT: (frozenset({Status.PUBLISHED}), Status.LIFTED),
}


def next_status(status: Status, action: Action) -> Status | None:
    """draft → submitted → approved → published (→ level changed …) → lifted; None = out of order (409)."""
    allowed_from, to = TRANSITIONS[action]
    return to if status in allowed_from else None


# --- who is acting -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Acting:
    """The facts about a caller the rules need: role, own unit (and its parent), posts held today."""

    role: str
    unit: str | None = None
    unit_parent: str | None = None
    post_codes: frozenset[str] = field(default_factory=frozenset)

    def in_unit(self, name: str | None) -> bool:
        """Staff of a unit act for it, and so do staff of a unit sitting inside it (区水务局 in 区城市管理委)."""
        return name is not None and self.role in ("department", "duty_officer") and name in (self.unit, self.unit_parent)

    @property
    def in_emergency_office(self) -> bool:
        return any(self.in_unit(u) for u in PUBLISHER_UNITS)



def may_draft(acting: Acting) -> Decision:
    """区相关部门负责相关类别突发事件预警工作 (§3.2.1): staff of a unit draft for their own unit."""
    if acting.role in ("department", "duty_officer") and acting.unit:
        return Decision(True, clause("§3.2.1"))
    return Decision(False, clause("§3.2.1"), "只有部门（单位）用户可以起草本单位的预警",
                    "Only a unit's staff may draft a warning for their unit")


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


def issuing_unit(level: Level, public: bool, drafting_unit: str) -> tuple[str, Basis]:
    """发布单位 (§3.2.4): the unit that 审批发布和解除 — blue/yellow the department itself; orange/red the 区应急办,
    which may authorise the department, as it does for an internal (industry) warning (§3.2.3(2)).
    The 区预警信息发布中心 is the outlet for public warnings, not their issuer.
    """
    if level.is_high and public:
        return EMERGENCY_OFFICE, clause("§3.2.3(2)", "橙色、红色预警由区应急办发布和解除")
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


def units_concerned(drafting_unit: str, lead_departments: tuple[str, ...], streets: tuple[str, ...]) -> tuple[str, ...]:
    """区各专项指挥部办公室、各分指挥部和相关部门 (§3.2.5): the drafting unit, the event type's lead departments
    (§2.3.6) and the sub-commands of the affected streets (§2.4), each once, in that order.
    """
    seen: dict[str, None] = {}
    for name in (drafting_unit, *lead_departments, *streets):
        seen.setdefault(name, None)
    return tuple(seen)


# --- §3.2.8 dissemination ---------------------------------------------------------------------------------------

DOOR_TO_DOOR = "组织人员逐户通知"


def delivery_channels(channels: tuple[str, ...], *, vulnerable: bool, special_place: bool,
                      blind_spot: bool) -> tuple[tuple[str, ...], Basis]:
    """对老、幼、病、残、孕等群体，以及学校、医院、旅游景点、交通枢纽等特殊场所和警报盲区人群，应当采取线上线下相结合的、
    有针对性的公告方式 (§3.2.8): their online channels plus door-to-door notice.
    """
    chosen = tuple(dict.fromkeys(channels))
    if vulnerable or special_place or blind_spot:
        if DOOR_TO_DOOR not in chosen:
            chosen = (*chosen, DOOR_TO_DOOR)
        return chosen, clause("§3.2.8", "线上线下相结合的有针对性的公告方式")
    return chosen or ("手机短信",), clause("§3.2.8")


def is_targeted(*, vulnerable_groups, special_place, blind_spot) -> bool:
    """老、幼、病、残、孕, a special place, or a 警报盲区: a recipient of the targeted notice of §3.2.8."""
    return bool(vulnerable_groups) or bool(special_place) or bool(blind_spot)


def message_type(action: Action) -> MsgType:
    """The CAP message each step sends: Alert on publication, Update on a level change, Cancel on lifting."""
    return {Action.PUBLISH: MsgType.ALERT, Action.CHANGE_LEVEL: MsgType.UPDATE, Action.LIFT: MsgType.CANCEL}[action]


def retry_delay_seconds(attempts: int, *, base: float = 5.0, cap: float = 600.0) -> float:
    """Exponential backoff after the n-th failed attempt: 5 s, 10 s, 20 s … at most 10 minutes."""
    return min(cap, base * (2 ** max(0, attempts - 1)))


MAX_ATTEMPTS = 6


def coverage_percent(reached: int, total: int) -> float | None:
    """保障预警信息全覆盖 (§3.2.8): share of the affected subscribers reached; None when nobody is subscribed."""
    return None if total == 0 else round(100.0 * reached / total, 2)


# --- CAP 1.2 mapping -------------------------------------------------------------------------------------------

CAP_PROFILE = {
    # level: (severity, urgency, certainty)
    Level.RED: ("Extreme", "Immediate", "Likely"),
    Level.ORANGE: ("Severe", "Expected", "Likely"),
    Level.YELLOW: ("Moderate", "Expected", "Likely"),
    Level.BLUE: ("Minor", "Future", "Possible"),
}


def cap_profile(level: Level) -> tuple[str, str, str]:
    """Colour → CAP severity/urgency/certainty; the colour itself travels as a CAP parameter (SPEC §2.2)."""
    return CAP_PROFILE[level]


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
