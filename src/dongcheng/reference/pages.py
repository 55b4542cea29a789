"""Reference pages: the emergency plan's tables as printed (东政发〔2022〕3号 §2.3.6, §8.3 and its ordered lists).

Read-only views of what ``/api/reference`` returns.
"""
from __future__ import annotations

from itertools import groupby

from fastapi import APIRouter, Request

from dongcheng.api.deps import SessionDep
from dongcheng.core.errors import DomainError
from dongcheng.reference import service as reference
from dongcheng.web.deps import PageCaller
from dongcheng.web.templating import render

router = APIRouter(include_in_schema=False)

# list name → (Chinese title, clause); the order is the index page's order (the plan's own order).
LIST_TITLES: dict[str, tuple[str, str]] = {
    "categories": ("事件分类", "§1.4.1"),
    "grades": ("事件分级", "§1.4.2"),
    "warning_levels": ("预警级别", "§3.2.2"),
    "warning_measures.blue_yellow": ("蓝色、黄色预警响应措施", "§3.2.5(1)"),
    "warning_measures.orange_red": ("橙色、红色预警响应措施", "§3.2.5(2)"),
    "warning_channels": ("预警发布渠道", "§3.2.8"),
    "vulnerable_groups": ("预警定向发布：特殊人群", "§3.2.8"),
    "special_places": ("预警定向发布：特殊场所", "§3.2.8"),
    "report_elements": ("信息报送要素", "§4.1.8"),
    "response_levels": ("响应级别", "§4.3"),
    "working_groups": ("现场工作组", "§4.4.1"),
    "disposal_measures.natural_and_accident": ("处置措施：自然灾害、事故灾难类", "§4.5.1"),
    "disposal_measures.public_health": ("处置措施：公共卫生事件", "§4.5.2"),
    "disposal_measures.social_security": ("处置措施：社会安全事件", "§4.5.3"),
}

ATTR_LABELS = {
    "heading": "名称",
    "level": "级别",
    "colour": "颜色",
    "who_starts": "启动主体",
    "applies_to_categories": "适用事件类别",
    "key": "字段",
}

DOCUMENT = "东政发〔2022〕3号"

COLOUR_CLASS = {"红色": "red", "橙色": "orange", "黄色": "yellow", "蓝色": "blue"}


def _categories(session) -> list[tuple[str, str]]:
    """(category, heading as the table prints it) in the plan's order (§1.4.1)."""
    try:
        items = reference.list_items(session, "categories")
    except DomainError:
        return []
    return [(i.text, (i.attrs or {}).get("heading") or f"{i.text}类") for i in items]


def _preview(items) -> str:
    """The first items when they are short (grades, channels …), else the start of the first one."""
    head = items[:4]
    if all(len(i.text) <= 12 for i in head):
        return "、".join(i.text for i in head) + ("……" if len(items) > len(head) else "")
    first = items[0].text
    return first[:30] + "……" if len(first) > 30 else first


def _title(name: str) -> tuple[str, str]:
    return LIST_TITLES.get(name, (name, ""))


@router.get("/reference/event-types")
def event_types_page(request: Request, session: SessionDep, caller: PageCaller):
    rows = reference.list_event_types(session)
    headings = dict(_categories(session))
    groups = [(category, headings.get(category, category), list(items))
              for category, items in groupby(rows, key=lambda et: et.category)]
    return render(request, "reference/event_types.html", {
        "active": "event_types", "groups": groups, "count": len(rows),
    })


@router.get("/reference/plans")
def plans_page(request: Request, session: SessionDep, caller: PageCaller):
    plans = reference.list_plans(session)
    order = [c for c, _ in _categories(session)]
    special = [p for p in plans if p.kind == "special"]
    categories = order + sorted({p.category or "" for p in special} - set(order))
    special_groups = []
    for category in categories:
        items = sorted((p for p in special if (p.category or "") == category), key=lambda p: p.seq)
        if items:
            special_groups.append((category, items))
    support = sorted((p for p in plans if p.kind != "special"), key=lambda p: p.seq)
    return render(request, "reference/plans.html", {
        "active": "plans", "special_groups": special_groups, "support": support,
        "special_count": len(special), "support_count": len(support),
    })


@router.get("/reference/lists")
def lists_page(request: Request, session: SessionDep, caller: PageCaller):
    names = reference.list_names(session)
    known = [n for n in LIST_TITLES if n in names] + [n for n in names if n not in LIST_TITLES]
    lists = []
    for name in known:
        items = reference.list_items(session, name)
        title, clause = _title(name)
        lists.append({"name": name, "title": title,
                      "clause": f"{DOCUMENT} {clause}" if clause else items[0].clause,
                      "count": len(items), "preview": _preview(items)})
    return render(request, "reference/lists.html", {"active": "lists", "lists": lists})


@router.get("/reference/lists/{list_name}")
def list_page(list_name: str, request: Request, session: SessionDep, caller: PageCaller):
    items = reference.list_items(session, list_name)
    title, clause = _title(list_name)
    keys: list[str] = []
    for item in items:
        for key, value in (item.attrs or {}).items():
            if key not in keys and value != item.text:
                keys.append(key)
    names = reference.list_names(session)
    siblings = [(n, _title(n)[0]) for n in LIST_TITLES if n in names]
    siblings += [(n, n) for n in names if n not in LIST_TITLES]
    return render(request, "reference/list.html", {
        "active": "lists", "name": list_name, "title": title, "clause": clause, "items": items,
        "keys": keys, "labels": ATTR_LABELS, "colours": COLOUR_CLASS, "siblings": siblings,
        "clauses": sorted({i.clause for i in items}),
    })
