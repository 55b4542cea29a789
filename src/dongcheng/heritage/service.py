"""Read the heritage list (SPEC §2.6): the batches with the notice's totals, a search of the items, one item.
Loading the list from data/heritage/ is loader.py's job."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from dongcheng.core.errors import not_found
from dongcheng.heritage import repository, rules
from dongcheng.heritage.models import HeritageBatch, HeritageItem


@dataclass(frozen=True)
class Summary:
    """The list as the latest notice states it (共产生七批名录，225个项目) and what of it the platform lists."""

    batches: list[tuple[HeritageBatch, int]]  # each batch with the number of its items listed here
    total_batches: int | None
    total_items: int | None
    listed_items: int
    basis: str

    @property
    def first_year(self) -> int | None:
        return self.batches[0][0].year if self.batches else None


def summary(session: Session) -> Summary:
    batches = repository.batches_with_counts(session)
    stated = next((b for b, _ in reversed(batches) if b.items_to_date is not None), None)
    return Summary(batches=batches, total_batches=stated.batches_to_date if stated else None,
                   total_items=stated.items_to_date if stated else None, listed_items=sum(n for _, n in batches),
                   basis=stated.clause if stated else rules.BASIS)


def search(session: Session, *, q: str = "", category: str | None = None,
           batch: int | None = None) -> list[HeritageItem]:
    """项目名称 or 申报单位 containing ``q`` (spaces ignored, brackets either width), within a category and a batch."""
    return repository.items(session, text=rules.search_key(q or ""), category=category or None, batch=batch)


def get_item(session: Session, item_id: int) -> HeritageItem:
    found = repository.item(session, item_id)
    if found is None:
        raise not_found("非遗项目", "heritage item", item_id)
    return found
