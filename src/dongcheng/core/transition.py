"""The database half of a workflow step: the one conditional UPDATE on (id, status, version) every state table uses.

The table itself (steps, sources, targets, clauses) is pure and lives in ``core/workflow.py``; a service asks it whether a
step may be taken and where it leads, then calls ``move()`` here.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from dongcheng.core.errors import conflict
from dongcheng.core.workflow import state_key


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
        .values(status=state_key(to), version=model.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise conflict(f"{what_zh}已被他人处理，请刷新", f"Someone else acted on {what_en} first; reload")
    session.refresh(row)
