"""One state-table helper for every workflow: states, transitions, who may take each, and the move itself.

A domain writes its table in its ``rules.py`` (pure, with the clause of each step)::

    FLOW = Workflow("预警", "warning", [
        Step("submit", {"draft"}, "submitted", clause("§3.2.3(2)"), by="drafting unit"),
        ...
    ])

``FLOW.step(status, action)`` answers with a ``Decision`` (409 when the step is out of order) and ``FLOW.target``
names the state it leads to; the service then calls ``move()``, the one conditional UPDATE on (id, status, version):
two people acting at once change the state once, the second gets 409.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from dongcheng.core.basis import Basis
from dongcheng.core.decision import Decision
from dongcheng.core.errors import conflict


def _key(value: Any) -> str:
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
        object.__setattr__(self, "sources_keys", frozenset(_key(s) for s in self.sources))


class Workflow:
    def __init__(self, name_zh: str, name_en: str, steps: Iterable[Step]):
        self.name_zh, self.name_en = name_zh, name_en
        self.steps: dict[str, Step] = {}
        for s in steps:
            if _key(s.action) in self.steps:
                raise ValueError(f"two steps named {_key(s.action)}")
            self.steps[_key(s.action)] = s

    def __getitem__(self, action: Any) -> Step:
        return self.steps[_key(action)]

    def __contains__(self, action: Any) -> bool:
        return _key(action) in self.steps

    def step(self, status: Any, action: Any) -> Decision:
        """Is ``action`` a step that may be taken from ``status``? Out of order → 409 with the step's clause."""
        s = self[action]
        if _key(status) in s.sources_keys:
            return Decision(True, s.basis)
        return Decision(False, s.basis, f"当前状态（{_key(status)}）不能执行此步骤（{_key(action)}）",
                        f"Step {_key(action)} is out of order for a {self.name_en} in status {_key(status)}", 409)

    def target(self, status: Any, action: Any) -> Any:
        """The state ``action`` leads to from ``status`` (the same state for a step that stays)."""
        to = self[action].target
        return status if to is None else to

    def available(self, status: Any) -> list[Any]:
        """The actions that may be taken from ``status``, in table order (what a page offers)."""
        return [s.action for s in self.steps.values() if _key(status) in s.sources_keys]


def move(session: Session, row: Any, to: Any, *, what_zh: str = "该记录", what_en: str = "this record",
         **values: Any) -> None:
    """The conditional UPDATE on (id, status, version): exactly one of two concurrent movers wins; the other gets 409.

    ``row`` is an ORM object with ``id``, ``status`` and ``version`` columns; ``values`` are other columns to set in the
    same statement. The row is refreshed afterwards.
    """
    model = type(row)
    result = session.execute(
        update(model)
        .where(model.id == row.id, model.status == row.status, model.version == row.version)
        .values(status=_key(to), version=model.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise conflict(f"{what_zh}已被他人处理，请刷新", f"Someone else acted on {what_en} first; reload")
    session.refresh(row)
