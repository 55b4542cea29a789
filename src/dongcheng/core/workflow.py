"""One state-table helper for every workflow: states, transitions, who may take each, and the move itself.

A domain writes its table in its ``rules.py`` (pure, with the clause of each step)::

    FLOW = Workflow("预警", "warning", [
        Step("submit", {"draft"}, "submitted", clause("§3.2.3(2)"), by="drafting unit"),
        ...
    ])

``FLOW.step(status, action)`` answers with a ``Decision`` (409 when the step is out of order) and ``FLOW.target``
names the state it leads to; the service then calls ``core.transition.move()``, the one conditional UPDATE on
(id, status, version): two people acting at once change the state once, the second gets 409. This file is pure (rules
import it); the database half is ``core/transition.py``.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from dongcheng.core.basis import Basis
from dongcheng.core.decision import Decision


def state_key(value: Any) -> str:
    """A state or action as its stored text (an enum's value)."""
    return value.value if isinstance(value, Enum) else str(value)


@dataclass(frozen=True)
class Step:
    """One transition: the action, the states it may start from, the state it leads to (None: stays), its clause,
    and who may take it (a label for pages and docs; the rule that checks the caller is the domain's own)."""

    action: Any
    sources: Iterable[Any]
    target: Any | None
    basis: Basis
    by: str = ""
    sources_keys: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sources_keys", frozenset(state_key(s) for s in self.sources))


class Workflow:
    def __init__(self, name_zh: str, name_en: str, steps: Iterable[Step]):
        self.name_zh, self.name_en = name_zh, name_en
        self.steps: dict[str, Step] = {}
        for s in steps:
            if state_key(s.action) in self.steps:
                raise ValueError(f"two steps named {state_key(s.action)}")
            self.steps[state_key(s.action)] = s

    def __getitem__(self, action: Any) -> Step:
        return self.steps[state_key(action)]

    def __contains__(self, action: Any) -> bool:
        return state_key(action) in self.steps

    def step(self, status: Any, action: Any) -> Decision:
        """Is ``action`` a step that may be taken from ``status``? Out of order → 409 with the step's clause."""
        s = self[action]
        if state_key(status) in s.sources_keys:
            return Decision(True, s.basis)
        return Decision(False, s.basis, f"当前状态（{state_key(status)}）不能执行此步骤（{state_key(action)}）",
                        f"Step {state_key(action)} is out of order for a {self.name_en} in status {state_key(status)}", 409)

    def target(self, status: Any, action: Any) -> Any:
        """The state ``action`` leads to from ``status`` (the same state for a step that stays)."""
        to = self[action].target
        return status if to is None else to

    def available(self, status: Any) -> list[Any]:
        """The actions that may be taken from ``status``, in table order (what a page offers)."""
        return [s.action for s in self.steps.values() if state_key(status) in s.sources_keys]
