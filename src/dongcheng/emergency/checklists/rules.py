"""Pure rules of disposal checklists (处置措施, 东政发〔2022〕3号 §4.5). No I/O."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dongcheng.core.basis import EMERGENCY_PLAN, Basis

# list key -> (clause, categories it applies to). data/emergency/lists.yaml carries the same `applies_to_categories`
# with each item; the service prefers the loaded data and falls back on this.
MEASURE_LISTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "natural_and_accident": ("§4.5.1", ("自然灾害", "事故灾难")),
    "public_health": ("§4.5.2", ("公共卫生事件",)),
    "social_security": ("§4.5.3", ("社会安全事件",)),
}
LIST_PREFIX = "disposal_measures."


def plan(clause: str, note: str = "") -> Basis:
    return Basis(EMERGENCY_PLAN, clause, note)


@dataclass(frozen=True)
class ListChoice:
    key: str | None  # natural_and_accident | public_health | social_security; None: cannot choose
    basis: Basis
    explicit: bool = False


def choose_list(category: str | None, requested: str | None,
                applies_to: Mapping[str, Sequence[str]] | None = None) -> ListChoice:
    """Which §4.5 list an incident's checklist copies: the one for its category, or the one asked for.

    自然灾害/事故灾难 → §4.5.1; 公共卫生事件 → §4.5.2; 社会安全事件 → §4.5.3. With the category unknown the caller
    must set the event type first or name the list (key None then).
    """
    applies_to = applies_to or {key: cats for key, (_, cats) in MEASURE_LISTS.items()}
    if requested is not None:
        clause = MEASURE_LISTS[requested][0]
        note = "按指定清单" if category is None or category not in applies_to.get(requested, ()) else ""
        return ListChoice(requested, plan(clause, note), explicit=True)
    for key, categories in applies_to.items():
        if category in categories:
            return ListChoice(key, plan(MEASURE_LISTS[key][0], f"{category}类事件"))
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


def tick_refusal(*, currently_done: bool, want_done: bool, note: str) -> tuple[int, str, str, str] | None:
    """(status, field, zh, en) why a tick/un-tick is refused, or None. Un-ticking needs a reason (it is audited)."""
    if currently_done == want_done:
        state = ("已勾选", "already done") if want_done else ("尚未勾选", "not done")
        return 409, "done", f"该措施{state[0]}", f"The measure is {state[1]}"
    if not want_done and not note.strip():
        return 422, "note", "取消勾选须说明理由", "a reason (note) is required to un-tick a measure"
    return None
