"""双随机 inspections, pure (国办发〔2015〕58号; 东政办发〔2021〕17号 四（一）): the plan's figures checked, the verifiable
draw, the plan's steps and when results become public. No I/O.

The draw (``ALGORITHM``, documented in docs/supervision-credit.md so anyone can recompute it):

- key(parts) = SHA-256 of the UTF-8 text ``seed:part1:part2:…`` (``:``-joined), as 64 lowercase hex digits;
- institutions: for each grade in the order high, medium, low, the grade's candidates (every registered institution
  of that grade, by id) are ranked by key("institution", id) ascending (id breaks a tie); the first
  ceil(count × proportion) are drawn, in rank order;
- inspectors: for each drawn institution, in the order drawn, the eligible inspectors (every active inspector, by id,
  minus those with a declared conflict with that institution) are ranked by key("inspector", institution_id,
  inspector_id) ascending; the first ``per_inspection`` are drawn. Fewer eligible than needed: no draw (409).
"""
from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from dongcheng.core.basis import Basis, platform_default
from dongcheng.core.decision import Decision, allow, refuse
from dongcheng.core.workflow import Step, Workflow

CIRCULAR = "国办发〔2015〕58号"
PLAN = "东政办发〔2021〕17号"
ALGORITHM = "sha256-rank-v1"
GRADES = ("high", "medium", "low")
GRADE_LABELS = {"high": "高风险", "medium": "中风险", "low": "低风险"}
RESULTS = {"compliant": "未发现问题", "rectify": "责令整改", "case": "立案查处", "closed": "机构已停业/无法检查"}

DRAW_BASIS = Basis(CIRCULAR, "", "随机抽取检查对象，随机选派执法检查人员")
RISK_BASIS = Basis(CIRCULAR, "", "对投诉举报多、有严重违法违规记录的加大抽查力度；" + platform_default(
    "inspection_risk_shares", "各风险等级的抽取比例（文件未规定比例）"))
TWO_BASIS = Basis("《中华人民共和国行政处罚法》", "第四十二条", "执法人员不得少于两人")
RECUSAL_BASIS = Basis(CIRCULAR, "", "申报利益冲突的执法人员回避")
WITHDRAW_BASIS = Basis(CIRCULAR, "", "申报利益冲突的执法人员回避；" + platform_default(
    "conflict_withdrawal",
    "利益冲突消除后由区卫生健康委撤回申报并说明理由，此后抽取不再回避；申报与撤回均留档（文件未规定撤回）"))
PUBLISH_BASIS = Basis(PLAN, "四（一）", "及时公开执法结果；" + platform_default(
    "inspection_publication_delay", "抽查结果于计划结束后20个工作日公示（文件未规定期限）"))
ITEMS_BASIS = Basis(PLAN, "四（一）", "及时公开……双随机抽查事项清单")

FLOW = Workflow("双随机抽查计划", "inspection plan", (
    Step("draw", frozenset({"draft"}), "drawn", DRAW_BASIS, "区卫生健康委"),
    Step("result", frozenset({"drawn"}), None, PUBLISH_BASIS, "区卫生健康委"),
    Step("close", frozenset({"drawn"}), "closed", PUBLISH_BASIS, "区卫生健康委"),
))
STATUS_LABELS = {"draft": "待抽取", "drawn": "已抽取，检查中", "closed": "已结束"}


def may_withdraw_conflict(withdrawn: bool, reason: str) -> Decision:
    """撤回利益冲突申报: only a standing declaration (a second withdrawal is a 409), and only with a reason (422
    naming ``reason``) — the recusal it ends is on the record, so is why it ended."""
    if withdrawn:
        return refuse(WITHDRAW_BASIS, "该利益冲突申报已撤回", "This declaration was already withdrawn", 409)
    if not reason.strip():
        return refuse(WITHDRAW_BASIS, "请填写撤回理由", "reason: a reason is required to withdraw a declaration", 422,
                      "reason")
    return allow(WITHDRAW_BASIS)


def proportion(text: str, field: str) -> tuple[Fraction | None, Decision]:
    """A grade's share as decimal text, 0–1 ("0.30" → 3/10)."""
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        value = Decimal(-1)
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(1) or len(str(text)) > 12:
        return None, refuse(RISK_BASIS, "抽查比例应为 0 至 1 之间的小数（如 0.30）", "A share between 0 and 1",
                            422, field)
    return Fraction(value), allow(RISK_BASIS)


def check_per_inspection(n: int) -> Decision:
    if n < 2:
        return refuse(TWO_BASIS, "每次检查至少随机选派2名执法人员", "At least 2 inspectors per inspection", 422,
                      "inspectors_per_inspection")
    return allow(TWO_BASIS)


def key(seed: str, *parts: object) -> str:
    return hashlib.sha256(":".join([seed, *map(str, parts)]).encode("utf-8")).hexdigest()


def draw_count(candidates: int, share: Fraction) -> int:
    """ceil(count × proportion): a grade with any candidate and a share above 0 gets at least one inspection."""
    return math.ceil(candidates * share)


@dataclass(frozen=True)
class Drawn:
    institution_id: int
    grade: str
    inspectors: tuple[int, ...]


@dataclass(frozen=True)
class Draw:
    seed: str
    per_inspection: int
    grades: tuple[tuple[str, str, tuple[int, ...], int], ...]  # grade, proportion text, candidates, count drawn
    inspectors: tuple[int, ...]  # active inspectors, by id
    recusals: Mapping[int, tuple[int, ...]]  # drawn institution -> inspectors excluded by a declared conflict
    selection: tuple[Drawn, ...]

    def to_dict(self) -> dict:
        return {"algorithm": ALGORITHM, "seed": self.seed, "per_inspection": self.per_inspection,
                "grades": [{"grade": g, "proportion": p, "candidates": list(c), "drawn": n}
                           for g, p, c, n in self.grades],
                "inspectors": list(self.inspectors),
                "recusals": {str(k): list(v) for k, v in self.recusals.items()},
                "selection": [{"institution_id": d.institution_id, "grade": d.grade, "inspectors": list(d.inspectors)}
                              for d in self.selection]}


def draw(seed: str, candidates: Mapping[str, Sequence[int]], proportions: Mapping[str, str],
         inspectors: Sequence[int], conflicts: Mapping[int, set[int]], per_inspection: int) -> tuple[Draw | None, Decision]:
    """The draw of ``ALGORITHM`` (module docstring). Refused (409) naming the institution that has fewer eligible
    inspectors than ``per_inspection``."""
    grades, selected = [], []
    for grade in GRADES:
        ids = sorted(candidates.get(grade, ()))
        share, _ = proportion(proportions.get(grade, "0"), f"proportions.{grade}")
        n = draw_count(len(ids), share or Fraction(0))
        ranked = sorted(ids, key=lambda i: (key(seed, "institution", i), i))
        grades.append((grade, str(proportions.get(grade, "0")), tuple(ids), n))
        selected += [(i, grade) for i in ranked[:n]]
    pool = sorted(inspectors)
    recusals: dict[int, tuple[int, ...]] = {}
    selection = []
    for institution_id, grade in selected:
        excluded = conflicts.get(institution_id, set())
        recusals[institution_id] = tuple(sorted(j for j in pool if j in excluded))
        eligible = [j for j in pool if j not in excluded]
        if len(eligible) < per_inspection:
            return None, refuse(RECUSAL_BASIS, f"机构（编号{institution_id}）回避后可选执法人员不足{per_inspection}名",
                                f"Institution {institution_id}: fewer than {per_inspection} eligible inspectors", 409)
        ranked = sorted(eligible, key=lambda j: (key(seed, "inspector", institution_id, j), j))
        selection.append(Drawn(institution_id, grade, tuple(ranked[:per_inspection])))
    return Draw(seed, per_inspection, tuple(grades), tuple(pool), recusals, tuple(selection)), allow(DRAW_BASIS)


def may_close(results: Sequence[str | None]) -> Decision:
    if any(r is None for r in results):
        return refuse(PUBLISH_BASIS, "尚有检查未录入结果，不能结束计划", "Some inspections have no result yet", 409)
    return allow(PUBLISH_BASIS)


def is_published(publish_on: date | None, on: date) -> bool:
    """Results, the seed and the draw are public from ``publish_on`` (closing day + the plan's delay)."""
    return publish_on is not None and on >= publish_on
