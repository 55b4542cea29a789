"""Read the heritage list (SPEC §2.6): the batches with the notice's totals, a search of the items, one item.
Loading the list from data/heritage/ is loader.py's job."""
from __future__ import annotations

from sqlalchemy.orm import Session

from dongcheng.core.errors import not_found
from dongcheng.heritage import repository, rules
from dongcheng.heritage.models import HeritageItem


def summary(session: Session) -> rules.Summary:
    return rules.summarise(repository.batches_with_counts(session))


def search(session: Session, *, q: str = "", category: str | None = None,
           batch: int | None = None) -> list[HeritageItem]:
    """项目名称 or 申报单位 containing ``q`` (spaces ignored, brackets either width), within a category and a batch."""
    return repository.items(session, text=rules.search_key(q or ""), category=category or None, batch=batch)


def get_item(session: Session, item_id: int) -> HeritageItem:
    found = repository.item(session, item_id)
    if found is None:
        raise not_found("非遗项目", "heritage item", item_id)
    return found
