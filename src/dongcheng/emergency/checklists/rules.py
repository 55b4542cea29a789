"""Pure rules of disposal checklists (处置措施, 东政发〔2022〕3号 §4.5). No I/O."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dongcheng.core.basis import EMERGENCY_PLAN, Basis
from dongcheng.core.decision import Decision, allow, refuse

LIST_PREFIX = "disposal_measures."  # the reference lists `disposal_measures.<key>` of data/emergency/lists.yaml


def plan(clause: str, note: str = "") -> Basis:
    return Basis(EMERGENCY_PLAN, clause, note)


@dataclass(frozen=True)
class MeasureList:
    """One §4.5 list as data/emergency/lists.yaml has it: its key, clause and the categories it applies to."""

    key: str  # natural_and_accident | public_health | social_security
    clause: str  # §4.5.1 | §4.5.2 | §4.5.3
    categories: tuple[str, ...]


@dataclass(frozen=True)
class ListChoice:
    key: str | None  # natural_and_accident | public_health | social_security; None: cannot choose
    basis: Basis
    explicit: bool = False
    clause: str = ""  # the chosen list's clause

    @property
    def decision(self) -> Decision:
        """No list to copy while the category is unknown and none is named: a 422 naming ``list``."""
        if self.key is not None:
            return allow(self.basis)
        return refuse(self.basis, "事件类别未明：请先确定事件类型（表 §2.3.6），或指定清单 natural_and_accident（§4.5.1）、"
                                  "public_health（§4.5.2）、social_security（§4.5.3）",
                      "the incident's category is unknown: set its event type first, or choose the list explicitly",
                      422, "list")


def choose_list(category: str | None, requested: str | None, lists: Mapping[str, MeasureList]) -> ListChoice:
    """Which §4.5 list an incident's checklist copies: the one for its category, or the one asked for.

    自然灾害/事故灾难 → §4.5.1; 公共卫生事件 → §4.5.2; 社会安全事件 → §4.5.3 (``lists``, from the data). With the
    category unknown the caller must set the event type first or name the list (key None then).
    """
    if requested is not None:
        chosen = lists[requested]
        note = "按指定清单" if category is None or category not in chosen.categories else ""
        return ListChoice(requested, plan(chosen.clause, note), explicit=True, clause=chosen.clause)
    for key, measures in lists.items():
        if category in measures.categories:
            return ListChoice(key, plan(measures.clause, f"{category}类事件"), clause=measures.clause)
    return ListChoice(None, plan("§4.5", "事件类别未明"))


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    def to_dict(self) -> dict:
        return {"done": self.done, "total": self.total, "text": f"{self.done}/{self.total}",
                "complete": self.total > 0 and self.done == self.total}


def progress(flags: Sequence[bool]) -> Progress:
    return Progress(sum(1 for f in flags if f), len(flags))


def may_tick(*, currently_done: bool, want_done: bool, note: str, clause: str = "") -> Decision:
    """Tick a measure done, or un-tick it — with a reason, since it is audited. ``clause``: the item's own."""
    basis = Basis.parse(clause) if clause else plan("§4.5")
    if currently_done == want_done:
        state = ("已勾选", "already done") if want_done else ("尚未勾选", "not done")
        return refuse(basis, f"该措施{state[0]}", f"The measure is {state[1]}", 409)
    if not want_done and not note.strip():
        return refuse(basis, "取消勾选须说明理由", "a reason (note) is required to un-tick a measure", 422, "note")
    return allow(basis)
