"""Heritage API (SPEC §2.6): public and read-only — the batches, a search of the items, one item."""
from __future__ import annotations

from fastapi import APIRouter

from dongcheng.api.deps import SessionDep
from dongcheng.api.params import Id
from dongcheng.heritage import service, views
from dongcheng.heritage.schemas import BatchesOut, BatchFilter, CategoryFilter, ItemOut, SearchText

router = APIRouter(prefix="/api/heritage", tags=["heritage 非物质文化遗产"])


@router.get("/batches", response_model=BatchesOut,
            summary="The list's batches (共七批，225个项目, 东政发〔2022〕2号) and how many items of each are listed")
def list_batches(session: SessionDep) -> dict:
    return views.batches_dict(service.summary(session))


@router.get("/items", response_model=list[ItemOut],
            summary="Items by batch and 序号; search by name or applicant, filter by category and batch")
def search_items(session: SessionDep, q: SearchText = "", category: CategoryFilter = None,
                 batch: BatchFilter = None) -> list[dict]:
    return [views.item_dict(i) for i in service.search(session, q=q, category=category, batch=batch)]


@router.get("/items/{item_id}", response_model=ItemOut, summary="One item: 序号, 项目类别, 项目名称, 申报单位, basis")
def get_item(item_id: Id, session: SessionDep) -> dict:
    return views.item_dict(service.get_item(session, item_id))
