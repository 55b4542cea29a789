"""Pure rules of the on-site command post (现场指挥部, 东政发〔2022〕3号 §4.3.2–§4.3.5, §4.4). No I/O."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dongcheng.core.basis import EMERGENCY_PLAN, Basis
from dongcheng.core.decision import Decision, allow, refuse

# The nine working groups of §4.4.1 are the reference list `working_groups` (data/emergency/lists.yaml, in the
# gazette's order): the service reads it (repository.working_group_names) and passes it in.


def plan(clause: str, note: str = "") -> Basis:
    return Basis(EMERGENCY_PLAN, clause, note)


SET_UP = plan("§4.4.1")  # 成立现场指挥部, 设置工作组 (由处置事件主责部门牵头)
LEAD_UNIT = plan("§4.4.1", "由处置事件主责部门牵头")  # who leads the post
ON_SITE = plan("§4.4.2")  # 报到、受领任务、报告进展, the post's log


@dataclass(frozen=True)
class Expectation:
    """Who the gazette says should fill a role, and why."""

    text: str
    basis: Basis

    def to_dict(self) -> dict:
        return {"expected": self.text, "basis": str(self.basis)}


def commander_in_chief(level: str | None) -> Expectation:
    """总指挥: who the gazette puts in charge on site, by response level."""
    if level == "一级":
        return Expectation("区委、区政府主要领导赶赴现场指挥", plan("§4.3.4"))
    if level == "二级":
        return Expectation("相关专项应急指挥部主要领导赶赴现场并任总指挥", plan("§4.3.3"))
    if level == "三级":
        return Expectation("事发街道（地区）启动三级响应并组织处置，区级主责部门派工作组指导", plan("§4.3.2"))
    return Expectation("响应级别未确定：由处置主责部门主要领导到达现场指挥处置", plan("§4.3.5"))


def executive_commander() -> Expectation:
    """执行指挥: the lead department's or the response team's responsible person; exercises professional command."""
    return Expectation("主责部门或应急处置队伍负责同志任执行指挥，行使专业处置权", plan("§4.3.3, §4.4.1"))


def _not_now(basis: Basis, zh: str, en: str) -> Decision:
    """A 409 whose message carries its clause, as the page shows it: "…（东政发〔2022〕3号 §4.8）"."""
    return refuse(basis, f"{zh}（{basis}）", f"{en} ({basis})", 409)


def may_set_up(*, has_lead: bool, ended: bool, exists: bool) -> Decision:
    """Whether a command post may be set up now: one per incident, before the end, led by a lead department."""
    if exists:
        return _not_now(plan("§4.4.1"), "本事件已成立现场指挥部（每个事件一个）", "This incident already has a command post")
    if ended:
        return _not_now(plan("§4.8"), "应急已结束，不能再成立现场指挥部", "The response has ended")
    if not has_lead:
        return _not_now(plan("§4.4.1, §4.3.5"),
                        "尚未明确处置主责部门：现场指挥部由主责部门牵头成立，请先由区应急委指定主责部门",
                        "No lead department yet: the lead department sets up the post; designate one first")
    return allow(SET_UP)


def lead_unit_for_post(caller_unit_id: int | None, lead_unit_ids: Sequence[int]) -> int:
    """The post is led by the lead department (§4.4.1): the caller's own unit if it is a lead, else the first lead."""
    return caller_unit_id if caller_unit_id in lead_unit_ids else lead_unit_ids[0]


def working_group_seq(name: str, allowed: Sequence[str]) -> int | None:
    """The position of ``name`` among the §4.4.1 groups, or None if it is not one of them (exact names only)."""
    try:
        return list(allowed).index(name) + 1
    except ValueError:
        return None


def may_add_group(name: str, allowed: Sequence[str]) -> Decision:
    """Only the nine working groups of §4.4.1, by their exact names (``allowed``: the reference list)."""
    if working_group_seq(name, allowed) is None:
        return refuse(SET_UP, f"“{name}”不是 §4.4.1 规定的工作组；可选：{'、'.join(allowed)}",
                      f"{name!r} is not a working group of §4.4.1; one of: {', '.join(allowed)}", 422, "name")
    return allow(SET_UP)


def accepts_new_forces(ended: bool) -> Decision:
    """After 应急结束 the teams withdraw in order (§4.8): no new check-ins, tasks or groups."""
    if ended:
        return refuse(plan("§4.8"), "应急已结束，队伍有序撤离，不再登记（§4.8）", "The response has ended (§4.8)", 409)
    return allow(ON_SITE)


@dataclass(frozen=True)
class CityCommand:
    under_city_command: bool
    text: str
    basis: Basis

    def to_dict(self) -> dict:
        return {"under_city_command": self.under_city_command, "text": self.text, "basis": str(self.basis)}


def city_command(status: str) -> CityCommand:
    """§4.3.4 移交指挥权 / §4.4.2: once the city's on-site HQ is set up the district post hands over command; the
    district commander joins the city HQ, and the district post goes on leading the district's own on-site work."""
    if status == "handed_over":
        return CityCommand(True, "已移交指挥权，纳入市级现场指挥部统一领导；区级现场指挥部继续统一领导区级现场应急处置工作",
                           plan("§4.3.4, §4.4.2"))
    return CityCommand(False, "区级现场指挥部指挥", plan("§4.4.1"))
