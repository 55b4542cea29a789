"""Gazette pages (Chinese, public, no login): the issues, an issue's cover and 目录, a document with its clause
anchors (``/gazette/documents/东政发〔2022〕3号#s-4.1.5``), readable on a phone. Thin: the same service as the API."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from dongcheng.api.deps import SessionDep
from dongcheng.api.params import Id
from dongcheng.core.errors import DomainError
from dongcheng.gazette import clauses, publish, service, views
from dongcheng.web.deps import PageCaller
from dongcheng.web.templating import render

router = APIRouter(include_in_schema=False)
DocumentKey = Annotated[str, Path(min_length=1, max_length=80, description="id or 文号")]


@router.get("/gazette")
def issues_page(request: Request, session: SessionDep, caller: PageCaller):
    issues = [views.issue_summary(issue, n) for issue, n in service.list_issues(session)]
    return render(request, "gazette/issues.html", {"active": "gazette", "issues": issues})


@router.get("/gazette/search")
def search_page(request: Request, session: SessionDep, caller: PageCaller,
                q: Annotated[str, Query(max_length=200)] = ""):
    """Full-text search: hits ranked, highlighted in their context, each linking to its clause."""
    hits, total, error = [], 0, None
    if q.strip():
        try:
            found, total = service.search(session, q)
            hits = [views.search_hit(h) for h in found]
        except DomainError as exc:
            error = exc.fields[0].zh if exc.fields else exc.zh
    return render(request, "gazette/search.html", {"active": "gazette", "q": q, "hits": hits, "total": total,
                                                   "error": error})


@router.get("/gazette/issues/{issue_id}.pdf")  # before /gazette/issues/{issue_id}, which would take "3.pdf"
def issue_pdf(issue_id: Id, request: Request, session: SessionDep):
    """The issue as it was printed (public, like the pages): rendered once per content (gazette/publish.py), then
    served from the cache; its ETag answers If-None-Match with a 304."""
    issue, html, key = publish.prepare(session, issue_id)
    headers = {"ETag": publish.etag_of(key), "Cache-Control": "public, no-cache"}
    if headers["ETag"] in {t.strip() for t in request.headers.get("if-none-match", "").split(",")}:
        return Response(status_code=304, headers=headers)
    printed = publish.publish_html(html, key, publish.filename_of(issue))
    headers["Content-Disposition"] = f'inline; filename="{printed.filename}"'
    return Response(printed.pdf, media_type="application/pdf", headers=headers)


@router.get("/gazette/issues/{issue_id}")
def issue_page(issue_id: Id, request: Request, session: SessionDep, caller: PageCaller):
    issue = service.get_issue(session, issue_id)
    return render(request, "gazette/issue.html", {"active": "gazette", "issue": views.issue_detail(issue)})


@router.get("/gazette/documents/{key}")
def document_page(key: DocumentKey, request: Request, session: SessionDep, caller: PageCaller):
    """``key`` is an id or a document number (the newest issue that printed it): bases link by number."""
    doc = service.find_document(session, key)
    found = clauses.split_clauses(doc.body)  # the same function the import stored them with; gives their lines
    signed = f"{doc.signed_on.year}年{doc.signed_on.month}月{doc.signed_on.day}日" if doc.signed_on else ""
    signature = tuple(x for x in (doc.issuing_organ, signed, doc.disclosure) if x) if signed else ()
    data = views.document_dict(doc)
    return render(request, "gazette/document.html", {
        "active": "gazette", "doc": data, "blocks": clauses.layout(doc.body, found, signature),
        "outline": [c for c in data["clauses"] if c["level"] <= 2],
    })
