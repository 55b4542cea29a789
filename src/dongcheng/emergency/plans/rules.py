"""预案管理 and 应急演练 (东政发〔2022〕3号 §7) — pure: inputs in, Decision and Basis out.

§7.1.4 filing (who files with whom, who reviews); the filing period, which the district text does not give, from the
national rule 国办发〔2024〕5号 第二十六条 (20 working days from issue); §7.1.5 periodic evaluation (the period is a
platform default: 3 years) and revision on any of four situations; §7.2.1 a special plan under revision needs a
验证性 drill; §7.2.2 every special HQ, department and unit drills every year, every street a 综合 drill; §7.2.3 the five
phases. The transcribed texts (filing rows, triggers) are data (plans/files.py) passed in.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dongcheng.calendar.dates import add_years
from dongcheng.calendar.rules import Span, WorkingDays
from dongcheng.core.basis import EMERGENCY_PLAN, Basis, platform_default
from dongcheng.core.decision import Decision, allow, refuse


def clause(c: str, note: str = "") -> Basis:
    return Basis(EMERGENCY_PLAN, c, note)


# --- plans (§7.1) -------------------------------------------------------------------------------------------

class PlanKind(StrEnum):
    DISTRICT_GENERAL = "district_general"  # 区总体应急预案
    STREET_GENERAL = "street_general"  # 街道（地区）总体应急预案
    SPECIAL = "special"  # 区级专项应急预案 §8.3.1
    SUPPORT = "support"  # 应急保障类 §8.3.2 (in the catalogue of 区级专项应急预案)
    DEPARTMENT = "department"  # 部门应急预案
    CATASTROPHE = "catastrophe"  # 巨灾应急预案 §8.3.3


KIND_LABELS = {PlanKind.DISTRICT_GENERAL: "区总体应急预案", PlanKind.STREET_GENERAL: "街道（地区）总体应急预案",
               PlanKind.SPECIAL: "区级专项应急预案", PlanKind.SUPPORT: "区级专项应急预案（应急保障类）",
               PlanKind.DEPARTMENT: "部门应急预案", PlanKind.CATASTROPHE: "巨灾应急预案"}
SPECIAL_KINDS = frozenset({PlanKind.SPECIAL, PlanKind.SUPPORT})  # 区级专项应急预案 (§8.3's catalogue)
# Kinds a user adds to the registry; the catalogue's special and support plans come from §8.3 only.
ADDABLE_KINDS = (PlanKind.STREET_GENERAL, PlanKind.DEPARTMENT, PlanKind.CATASTROPHE)


class PlanStatus(StrEnum):
    NOT_ISSUED = "not_issued"
    IN_FORCE = "in_force"
    UNDER_REVISION = "under_revision"


STATUS_LABELS = {PlanStatus.NOT_ISSUED: "未登记印发", PlanStatus.IN_FORCE: "现行有效", PlanStatus.UNDER_REVISION: "修订中"}

# 国办发〔2024〕5号《突发事件应急预案管理办法》第二十六条: filing within 20 working days of issue. The national rule:
# 东政发〔2022〕3号 §7.1.4 says with whom, not by when.
FILING_WORKING_DAYS = 20
FILING_PERIOD_BASIS = Basis("国办发〔2024〕5号", "第二十六条",
                            "国家规定：应急预案印发之日起20个工作日内备案；区预案§7.1.4未规定期限")
# §7.1.5 建立定期评估制度 gives no period: every 3 years is the platform's default (so a plan cannot be forgotten).
EVALUATION_YEARS = 3
EVALUATION_BASIS = clause("§7.1.5", "定期评估；" + platform_default("plan_evaluation_period", "每3年评估一次（原文未规定周期）"))
MANAGE_BASIS = clause("§7.1.1, §7.1.5", "区应急办负责预案体系建设；编制单位负责本单位预案")


@dataclass(frozen=True)
class Filing:
    """§7.1.4: with whom a plan is filed, who reviews the filing (报送区政府备案的 — 区应急局), the clause."""

    recipient: str
    reviewer: str
    text: str
    basis: Basis


def filing_for(kind: PlanKind, rows: Mapping[str, object]) -> Filing:
    """``rows``: the transcribed §7.1.4 table (kind → FilingRow with recipient, reviewer, text, clause)."""
    row = rows[kind.value]
    return Filing(row.recipient, row.reviewer, row.text, Basis.parse(row.clause))


def filing_due(issued_on: date, calendar: WorkingDays) -> Span:
    """The 20th working day after the issue date (that day not counted), on the official calendar."""
    return calendar.add(issued_on, FILING_WORKING_DAYS)


class FilingStatus(StrEnum):
    NOT_ISSUED = "not_issued"
    PENDING = "pending"
    OVERDUE = "overdue"
    FILED = "filed"
    FILED_LATE = "filed_late"


FILING_LABELS = {FilingStatus.NOT_ISSUED: "未印发", FilingStatus.PENDING: "待备案", FilingStatus.OVERDUE: "逾期未备案",
                 FilingStatus.FILED: "已按时备案", FilingStatus.FILED_LATE: "逾期备案"}


def filing_status(issued_on: date | None, filed_on: date | None, due_on: date | None, today: date) -> FilingStatus:
    """Filed by the end of the due day is on time."""
    if issued_on is None or due_on is None:
        return FilingStatus.NOT_ISSUED
    if filed_on is not None:
        return FilingStatus.FILED if filed_on <= due_on else FilingStatus.FILED_LATE
    return FilingStatus.OVERDUE if today > due_on else FilingStatus.PENDING


def evaluation_due(issued_on: date | None, evaluated_on: date | None) -> date | None:
    """The next periodic evaluation (§7.1.5): 3 years (platform default) after the last evaluation or issue."""
    last = max((d for d in (issued_on, evaluated_on) if d is not None), default=None)
    return add_years(last, EVALUATION_YEARS) if last else None


@dataclass(frozen=True)
class Acting:
    """Who acts: role, own unit (and its parent), whether the unit acts as the 区应急办 (units.yaml)."""

    role: str
    unit: str | None = None
    unit_parent: str | None = None
    emergency_office: bool = False

    @property
    def in_emergency_office(self) -> bool:
        """区应急办: its duty officers, or staff of a unit marked ``emergency_office`` (§2.2.1)."""
        return self.role == "duty_officer" or (self.role == "department" and self.emergency_office)

    def in_unit(self, name: str | None) -> bool:
        return name is not None and self.role == "department" and name in (self.unit, self.unit_parent)


def may_manage_plan(acting: Acting, lead_unit: str | None) -> Decision:
    """区应急办负责本区突发事件应急预案体系建设 (§7.1.1): it manages every plan; a drafting unit (应急预案编制单位,
    §7.1.5) its own plans."""
    if acting.in_emergency_office or acting.in_unit(lead_unit):
        return allow(MANAGE_BASIS)
    return refuse(MANAGE_BASIS, f"只有区应急办或编制单位（{lead_unit or '未指定'}）可以管理此预案",
                  f"Only the emergency office or the drafting unit ({lead_unit}) manages this plan")


def may_add_plan(acting: Acting, kind: PlanKind, lead_unit: str, lead_kind: str) -> Decision:
    """A street files its own 总体预案 (§7.1.4 街道（地区）), a department its 部门预案; the 区应急办 any kind it organises
    (§7.1.1: 部门应急预案和巨灾应急预案). §8.3's catalogue plans are not added by hand."""
    basis = clause("§7.1.1, §7.1.4")
    if kind not in ADDABLE_KINDS:
        return refuse(basis, "区级专项应急预案来自§8.3目录，不能另行添加", "special plans come from the §8.3 catalogue",
                      422, field="kind")
    if kind == PlanKind.STREET_GENERAL and lead_kind not in ("street", "key_area"):
        return refuse(basis, "街道（地区）总体应急预案的编制单位须为街道或地区", "a street general plan is drafted by a "
                      "street or the key area", 422, field="lead_unit")
    return may_manage_plan(acting, lead_unit)


def check_trigger(code: str, triggers: Mapping[str, object], *, incident_id: int | None,
                  drill_id: int | None) -> Decision:
    """§7.1.5 应及时修订应急预案 when one of four situations arises; the fourth — 在实际应对和应急演练中发现问题 —
    names the incident or the drill where the problem was found."""
    row = triggers.get(code)
    if row is None:
        names = "、".join(f"{c}（{t.label}）" for c, t in triggers.items())
        return refuse(clause("§7.1.5"), f"修订情形须为§7.1.5所列四种之一：{names}",
                      f"the trigger must be one of §7.1.5's four: {', '.join(triggers)}", 422, field="trigger")
    basis = Basis.parse(row.clause)
    if row.needs_source and incident_id is None and drill_id is None:
        return refuse(basis, "“在实际应对和应急演练中发现问题”须注明所在事件（incident_id）或演练（drill_id）",
                      "a problem found in a response or drill names the incident or the drill", 422, field="incident_id")
    return allow(basis)


VALIDATION_BASIS = clause("§7.2.1", "区级专项应急预案在修订过程中，专项指挥部办公室需开展验证性应急演练")


def may_close_revision(kind: PlanKind, validation_drills: int) -> Decision:
    """A new version ends a revision; a 区级专项应急预案 needs its 验证性 drill held during the revision (§7.2.1)."""
    if kind in SPECIAL_KINDS and validation_drills == 0:
        return refuse(VALIDATION_BASIS, "该专项应急预案修订过程中尚未开展验证性应急演练，不能印发新版本",
                      "no validation drill was held during this special plan's revision", 409)
    return allow(clause("§7.1.5"))


# --- drills (§7.2) ------------------------------------------------------------------------------------------

class DrillKind(StrEnum):
    COMPREHENSIVE = "comprehensive"  # 综合应急演练 (§7.2.2, §8.1 术语)
    SINGLE = "single"  # 单项应急演练
    VALIDATION = "validation"  # 验证性应急演练 (§7.2.1)


DRILL_KIND_LABELS = {DrillKind.COMPREHENSIVE: "综合", DrillKind.SINGLE: "单项", DrillKind.VALIDATION: "验证性"}


class Phase(StrEnum):
    """§7.2.3 应急演练包括计划、准备、实施、评估总结和改进五个阶段 — in this order."""

    PLAN = "plan"
    PREPARE = "prepare"
    CONDUCT = "conduct"
    EVALUATE = "evaluate"
    IMPROVE = "improve"


PHASES = tuple(Phase)
PHASE_LABELS = {Phase.PLAN: "计划", Phase.PREPARE: "准备", Phase.CONDUCT: "实施", Phase.EVALUATE: "评估总结",
                Phase.IMPROVE: "改进"}
PHASE_BASIS = clause("§7.2.3", "计划、准备、实施、评估总结和改进五个阶段")
DRILL_BASIS = clause("§7.2.1, §7.2.2", "区应急办统筹全区应急演练；各单位负责本单位的应急演练")


def may_manage_drill(acting: Acting, organiser: str | None) -> Decision:
    """区应急办统筹全区应急演练工作 (§7.2.1): it records any drill; a special HQ office, department, unit or street its
    own (§7.2.2)."""
    if acting.in_emergency_office or acting.in_unit(organiser):
        return allow(DRILL_BASIS)
    return refuse(DRILL_BASIS, f"只有区应急办或组织单位（{organiser or '未指定'}）可以登记此演练",
                  f"Only the emergency office or the organiser ({organiser}) records this drill")


def check_exercise_incident(is_drill: bool | None) -> Decision:
    """A drill links to an exercise incident (the incidents module's drill mode), never to a real one."""
    if is_drill is None:
        return refuse(DRILL_BASIS, "未找到该事件", "no such incident", 422, field="incident_id")
    if not is_drill:
        return refuse(DRILL_BASIS, "只能关联演练事件（接报时标注为演练），不能关联真实事件",
                      "only an exercise incident (drill mode) can be linked", 422, field="incident_id")
    return allow(DRILL_BASIS)


def check_phase(phase: Phase, recorded: Mapping[Phase, date], on: date, open_actions: int = 0) -> Decision:
    """§7.2.3: the phases come in order — each after the one before it is recorded, on a date not before it; a phase
    is recorded once; 改进 is complete when every follow-up action of the findings is done."""
    if phase in recorded:
        return refuse(PHASE_BASIS, f"“{PHASE_LABELS[phase]}”阶段已登记", f"phase {phase.value} is already recorded", 409)
    index = PHASES.index(phase)
    if index:
        before = PHASES[index - 1]
        if before not in recorded:
            return refuse(PHASE_BASIS, f"须先完成“{PHASE_LABELS[before]}”阶段，再登记“{PHASE_LABELS[phase]}”",
                          f"phase {before.value} comes before {phase.value}", 409)
        if on < recorded[before]:
            return refuse(PHASE_BASIS, f"日期不能早于“{PHASE_LABELS[before]}”阶段（{recorded[before].isoformat()}）",
                          f"the date must not be before phase {before.value}", 422, field="on_date")
    if phase == Phase.IMPROVE and open_actions:
        return refuse(PHASE_BASIS, f"尚有{open_actions}项整改措施未完成，不能完成“改进”阶段",
                      f"{open_actions} follow-up actions are still open", 409)
    return allow(PHASE_BASIS)


# --- compliance per year (§7.2.1, §7.2.2) -------------------------------------------------------------------

UNIT_DRILL_BASIS = clause("§7.2.2", "区各相关专项指挥部、相关部门和有关单位…每年组织开展综合应急演练或单项应急演练")
STREET_DRILL_BASIS = clause("§7.2.2", "各街道（地区）…每年组织开展综合应急演练")


@dataclass(frozen=True)
class DrillFact:
    organiser: str
    kind: str
    held_on: date


@dataclass(frozen=True)
class RevisionFact:
    plan_id: int
    plan: str
    lead: str
    opened_on: date
    closed_on: date | None
    validation_drills_held: tuple[date, ...]  # 验证性 drills exercising this plan (held dates)


@dataclass(frozen=True)
class Line:
    section: str  # units | streets | revisions
    subject: str
    compliant: bool
    detail: str
    basis: Basis
    plan_id: int | None = None

    def to_dict(self) -> dict:
        return {"section": self.section, "subject": self.subject, "compliant": self.compliant, "detail": self.detail,
                "basis": str(self.basis), "plan_id": self.plan_id}


def _count(drills: Iterable[DrillFact], kinds: set[str]) -> str:
    drills = list(drills)
    parts = [f"{DRILL_KIND_LABELS[DrillKind(k)]}{sum(d.kind == k for d in drills)}次" for k in DrillKind
             if k in kinds and any(d.kind == k for d in drills)]
    return "、".join(parts)


def compliance(year: int, *, units: Iterable[str], streets: Iterable[str], drills: Iterable[DrillFact],
               revisions: Iterable[RevisionFact]) -> list[Line]:
    """The year's lines: every special HQ, department and unit — compliant with any drill it organised and held in
    the year (§7.2.2); every street (地区) — compliant only with a 综合 drill (a 单项 one does not count, §7.2.2); every
    special plan under revision during the year — compliant with a 验证性 drill held during the revision (§7.2.1)."""
    held = [d for d in drills if d.held_on.year == year]
    by_unit: dict[str, list[DrillFact]] = {}
    for d in held:
        by_unit.setdefault(d.organiser, []).append(d)
    lines = []
    for name in units:
        own = by_unit.get(name, [])
        lines.append(Line("units", name, bool(own), f"本年已组织演练：{_count(own, set(DrillKind))}" if own
                          else "本年未组织应急演练", UNIT_DRILL_BASIS))
    for name in streets:
        own = by_unit.get(name, [])
        comprehensive = [d for d in own if d.kind == DrillKind.COMPREHENSIVE]
        if comprehensive:
            detail = f"本年已组织综合应急演练{len(comprehensive)}次"
        elif own:
            detail = f"本年仅组织{_count(own, set(DrillKind))}，未组织综合应急演练"
        else:
            detail = "本年未组织应急演练"
        lines.append(Line("streets", name, bool(comprehensive), detail, STREET_DRILL_BASIS))
    start, end = date(year, 1, 1), date(year, 12, 31)
    for r in revisions:
        if r.opened_on > end or (r.closed_on is not None and r.closed_on < start):
            continue
        during = [d for d in r.validation_drills_held if d >= r.opened_on and (r.closed_on is None or d <= r.closed_on)]
        state = f"修订自{r.opened_on.isoformat()}" + (f"至{r.closed_on.isoformat()}" if r.closed_on else "，尚在修订")
        detail = (f"{state}；已开展验证性应急演练{len(during)}次" if during else f"{state}；未开展验证性应急演练")
        lines.append(Line("revisions", f"{r.plan}（{r.lead}）", bool(during), detail, VALIDATION_BASIS, r.plan_id))
    return lines
