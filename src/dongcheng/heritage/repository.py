"""Queries of the heritage tables; loading is explicit (relationships are ``lazy="raise"``)."""
from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, contains_eager

from dongcheng.heritage.models import HeritageBatch, HeritageItem


def batches_with_counts(session: Session) -> list[tuple[HeritageBatch, int]]:
    """Every batch in order, with how many of its items the platform lists."""
    listed = (select(HeritageItem.batch_id, func.count().label("n")).group_by(HeritageItem.batch_id).subquery())
    rows = session.execute(select(HeritageBatch, func.coalesce(listed.c.n, 0))
                           .outerjoin(listed, listed.c.batch_id == HeritageBatch.id).order_by(HeritageBatch.number))
    return [(batch, n) for batch, n in rows]


def items(session: Session, *, text: str = "", category: str | None = None,
          batch: int | None = None) -> list[HeritageItem]:
    """Items whose name or applicant contains ``text`` (as given: the caller tidies it), of a category and a batch
    number; by batch then 序号, each with its batch loaded."""
    query = (select(HeritageItem).join(HeritageItem.batch).options(contains_eager(HeritageItem.batch))
             .order_by(HeritageBatch.number, HeritageItem.seq))
    if text:
        query = query.where(or_(HeritageItem.name.contains(text, autoescape=True),
                                HeritageItem.applicant.contains(text, autoescape=True)))
    if category:
        query = query.where(HeritageItem.category == category)
    if batch is not None:
        query = query.where(HeritageBatch.number == batch)
    return list(session.scalars(query))


def item(session: Session, item_id: int) -> HeritageItem | None:
    return session.scalar(select(HeritageItem).join(HeritageItem.batch).options(contains_eager(HeritageItem.batch))
                          .where(HeritageItem.id == item_id))
