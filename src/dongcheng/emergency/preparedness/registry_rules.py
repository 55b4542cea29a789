"""The §6.2.2 registries, the §6.1 teams and experts, shelters (§6.7), team call-up (§6.1.2) — pure.

§6.2.2: 逐步建立完善应急管理信息资源库，建立各类风险与隐患监控数据库、专业数据库、应急预案库、应急专家库、应急队伍库、
应急物资库、应急避难场所库、辅助决策知识库，做到及时维护更新. The names are transcribed in
``data/emergency/preparedness.yaml`` (held to the gazette by tests/emergency/preparedness/test_transcription.py) and
repeated here, where the rules read them.
"""
from __future__ import annotations

from dataclasses import dataclass

from dongcheng.core.basis import Basis
from dongcheng.core.decision import Decision, allow, refuse
from dongcheng.emergency.preparedness.rules import Acting, clause

REGISTRIES_BASIS = clause("§6.2.2", "建立各类数据库，做到及时维护更新")
REGISTRIES = ("风险与隐患监控数据库", "专业数据库", "应急预案库", "应急专家库", "应急队伍库", "应急物资库", "应急避难场所库",
              "辅助决策知识库")


@dataclass(frozen=True)
class TeamKind:
    code: str
    name: str
    short: str
    clause: str

    @property
    def basis(self) -> Basis:
        return clause(self.clause, self.name)


TEAM_KINDS = (
    TeamKind("fire_rescue", "综合性消防救援队伍", "综合性消防救援", "§6.1.1"),
    TeamKind("professional", "专业应急队伍", "专业", "§6.1.2"),
    TeamKind("grassroots", "基层应急队伍", "基层", "§6.1.3"),
    TeamKind("social", "社会应急队伍", "社会", "§6.1.4"),
    TeamKind("garrison", "驻区部队", "驻区部队", "§6.1.5"),
    TeamKind("expert", "应急专家队伍", "专家", "§6.1.6"),
)
TEAM_KIND = {k.code: k for k in TEAM_KINDS}
EXPERT_FIELDS = ("自然灾害", "事故灾难", "公共卫生", "社会安全", "综合管理")  # §6.1.6
# Platform defaults (the text grades no risk and names no readiness states): the four grades of the national
# 安全风险分级 (重大/较大/一般/低, red/orange/yellow/blue) and three readiness states.
RISK_GRADES = ("重大风险", "较大风险", "一般风险", "低风险")
READINESS = ("待命", "执行任务中", "暂不可用")
AVAILABILITY = ("可联系", "暂不可用")
SHELTER_BASIS = clause("§6.7", "区政府根据突发事件危险程度及事态发展情况启用应急避难场所")
CONTACT_BASIS = clause("§6.2.2", "个人联系方式仅对记录所属单位和区应急办可见（个人信息保护法 第十三条、第二十八条）")
CALL_UP = clause("§6.1.2", "负责或参与应急处置的区相关部门、有关单位有权调用区级相关专业应急队伍")
ON_ARRIVAL = clause("§6.1.2", "专业应急队伍到达事发现场后，接受现场指挥部的统一指挥调度")
OUT_OF_DISTRICT = clause("§6.1.2", "由区应急委统一调动专业应急队伍赴京内其他区执行任务")
CITY_REQUEST = clause("§6.1.2", "按照北京市有关部门要求调动专业应急队伍赴京内其他区执行任务时，应及时向区应急办报告")


def may_see_contact(acting: Acting | None, owner_unit_id: int | None) -> bool:
    """Personal contact data (a team's contact, an expert's phone) only to the owner unit and the 区应急办."""
    return acting is not None and (acting.for_committee or acting.in_unit(owner_unit_id))


def may_keep(acting: Acting, owner_unit_id: int | None) -> Decision:
    """A registry record is kept up to date (§6.2.2 及时维护更新) by the unit it belongs to, or the 区应急办, which
    统筹管理 the professional teams (§6.1.2) and runs the information system (§6.2.1)."""
    if acting.for_committee or acting.in_unit(owner_unit_id):
        return allow(REGISTRIES_BASIS)
    return refuse(REGISTRIES_BASIS, "只有记录所属单位或区应急办可以维护该记录",
                  "Only the record's unit or the emergency office keeps this record")


def check_choice(value: str, choices: tuple[str, ...], field_name: str, label: str, basis: Basis) -> Decision:
    if value not in choices:
        return refuse(basis, f"{label}须为：{'、'.join(choices)}", f"{field_name} must be one of {', '.join(choices)}",
                      422, field_name)
    return allow(basis)


def check_team_kind(code: str) -> Decision:
    """The kinds of §6.1.1–§6.1.6, by their code or printed name."""
    if code in TEAM_KIND:
        return allow(TEAM_KIND[code].basis)
    names = "、".join(k.name for k in TEAM_KINDS)
    return refuse(clause("§6.1"), f"队伍类别须为：{names}", f"kind must be one of {', '.join(TEAM_KIND)}", 422, "kind")


def team_kind_code(value: str) -> str:
    """A kind as typed in a workbook: its code, printed name or short name → its code (unknown: as typed)."""
    value = value.strip()
    for kind in TEAM_KINDS:
        if value in (kind.code, kind.name, kind.short):
            return kind.code
    return value


def check_occupancy(capacity: int, occupancy: int) -> Decision:
    if occupancy > capacity:
        return refuse(SHELTER_BASIS, f"在场人数（{occupancy}）不能超过容量（{capacity}）",
                      f"occupancy ({occupancy}) exceeds capacity ({capacity})", 422, "occupancy")
    return allow(SHELTER_BASIS)


def may_open_shelter(acting: Acting, *, decided_by_holds_post: bool | None) -> Decision:
    """启用 is the 区政府's decision (§6.7): a district leader holding a post today opens it; a duty officer of the
    区应急办 records the opening on the 区政府's behalf only naming the leader who decided (who holds a post today)."""
    if acting.role == "leader" and acting.post_codes:
        return allow(SHELTER_BASIS)
    if acting.for_committee:
        if decided_by_holds_post:
            return allow(SHELTER_BASIS)
        return refuse(SHELTER_BASIS, "代区政府启用须写明作出决定的区领导（今日在任）",
                      "Opening on the district government's behalf names the district leader who decided "
                      "(holding a post today)", 422, "decided_by")
    return refuse(SHELTER_BASIS, "应急避难场所由区政府启用（区领导或代其办理的区应急办值班员）",
                  "A shelter is opened by the district government (a district leader, or the emergency office for it)")


def may_close_shelter(acting: Acting) -> Decision:
    if (acting.role == "leader" and acting.post_codes) or acting.for_committee:
        return allow(SHELTER_BASIS)
    return refuse(SHELTER_BASIS, "应急避难场所由区政府关闭", "A shelter is closed by the district government")


def may_call_team(acting: Acting, *, handling_unit_ids: set[int]) -> Decision:
    """有权调用 (§6.1.2): the units handling the incident (its lead departments), the 区应急办, district leaders."""
    if acting.role == "leader" or acting.for_committee or any(acting.in_unit(u) for u in handling_unit_ids):
        return allow(CALL_UP)
    return refuse(CALL_UP, "只有负责或参与处置该事件的单位可以调用专业应急队伍",
                  "Only the units handling the incident call a team")


def may_deploy_out(acting: Acting, *, city_requested: bool) -> Decision:
    """To another Beijing district only by the 区应急委 (its office or a leader for it); at the city's request a
    department may send it, and reports to the 区应急办 (§6.1.2)."""
    if city_requested:
        return allow(CITY_REQUEST)
    if acting.role == "leader" or acting.for_committee:
        return allow(OUT_OF_DISTRICT)
    return refuse(OUT_OF_DISTRICT, "赴京内其他区执行任务须由区应急委统一调动", "Deployment to another Beijing district is "
                  "ordered by the district emergency committee", 403)
