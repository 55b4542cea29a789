"""The public page of released statements (no login, phone first): what the district has said about incidents."""
from __future__ import annotations

from fastapi import APIRouter, Request

from dongcheng.api.deps import SessionDep
from dongcheng.emergency.statements import service
from dongcheng.web.deps import PageCaller
from dongcheng.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/public/statements")
def public_statements_page(request: Request, session: SessionDep, caller: PageCaller):
    return render(request, "incidents/public_statements.html",
                  {"active": "public_statements", "rows": service.public_statements(session, limit=100)})
