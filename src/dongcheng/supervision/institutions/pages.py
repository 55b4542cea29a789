"""Institutions and credit pages (Chinese, readable on a phone): the public registry and the published lists (记分、
黑名单 in their publication period, the policy in force with its source); an institution's credit record for the
区卫生健康委. Thin: the same services as the API."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from dongcheng.api.deps import SessionDep
from dongcheng.api.params import Id
from dongcheng.supervision.institutions import repository, rules, service, views
from dongcheng.web.deps import PageCaller, PageUser
from dongcheng.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/supervision/credit")
def credit_page(request: Request, session: SessionDep, caller: PageCaller):
    lists = views.public_dict(service.public_lists(session))
    return render(request, "institutions/public.html", {"active": "supervision", "lists": lists,
                                                        "basis": str(rules.CREDIT_BASIS)})


@router.get("/supervision/institutions")
def registry_page(request: Request, session: SessionDep, caller: PageCaller,
                  street: Annotated[str | None, Query(max_length=50)] = None,
                  q: Annotated[str | None, Query(max_length=50)] = None):
    street_row = repository.street_named(session, street) if street else None
    rows = repository.listing(session, street_id=street_row.id if street_row else None, q=q) if (
        street_row or not street) else []
    units = service.streets_by_id(session, rows)
    return render(request, "institutions/registry.html", {
        "active": "supervision", "rows": [views.institution_dict(r, units.get(r.street_id)) for r in rows],
        "streets": [s.name for s in repository.streets(session)], "street": street or "", "q": q or "",
        "basis": str(rules.REGISTRY_BASIS)})


@router.get("/supervision/institutions/{institution_id}")
def record_page(institution_id: Id, request: Request, session: SessionDep, caller: PageUser):
    service.check_supervisor(session, caller)
    rec = views.record_dict(service.record(session, repository.get(session, institution_id)))
    return render(request, "institutions/record.html", {"active": "supervision", "r": rec})
