"""The heritage list page (Chinese, public, no login, readable on a phone): the batches and the notice's totals, the
7th batch's items by category with a search box and a category filter. Thin: the same service as the API."""
from __future__ import annotations

from fastapi import APIRouter, Request

from dongcheng.api.deps import SessionDep
from dongcheng.heritage import rules, service, views
from dongcheng.heritage.schemas import BatchFilter, CategoryFilter, SearchText
from dongcheng.web.deps import PageCaller
from dongcheng.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/heritage")
def heritage_page(request: Request, session: SessionDep, caller: PageCaller, q: SearchText = "",
                  category: CategoryFilter = None, batch: BatchFilter = None):
    summary = views.batches_dict(service.summary(session))
    found = service.search(session, q=q, batch=batch)  # the category chips count what the search found
    items = [views.item_dict(i) for i in found if category is None or i.category == category]
    return render(request, "heritage/list.html", {
        "active": "heritage", "summary": summary, "earlier": views.earlier_batches(summary),
        "groups": rules.by_category(items, lambda i: i["category"]), "shown": len(items), "found": len(found),
        "counts": {c: sum(i.category == c for i in found) for c in rules.CATEGORIES},
        "q": q.strip(), "category": category, "batch": batch,
    })
