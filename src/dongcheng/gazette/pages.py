"""Gazette pages (Chinese, public, no login): the issues, an issue's cover and 目录, a document with its clause
anchors (``/gazette/documents/东政发〔2022〕3号#s-4.1.5``), readable on a phone. Thin: the same service as the API."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import RedirectResponse

from dongcheng.api.deps import SessionDep
from dongcheng.api.params import Id
from dongcheng.auth.service import authorize, permitted
from dongcheng.core.errors import DomainError
from dongcheng.gazette import clauses, directory_service, publish, service, views
from dongcheng.web.deps import PageCaller, PageUser
from dongcheng.web.templating import check_csrf, render

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
    pending = None
    if caller is not None and permitted(caller, "directory.record_appointment"):
        pending = sum(c.status == "proposed" for c in directory_service.list_changes(session, issue_id))
    return render(request, "gazette/issue.html", {"active": "gazette", "issue": views.issue_detail(issue),
                                                  "directory_pending": pending})


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


def _changes_page(request: Request, session, issue_id: int, *, errors=None, message="", status_code=200):
    issue = views.issue_summary(service.get_issue(session, issue_id), 0)
    changes = [views.directory_change(c) for c in directory_service.list_changes(session, issue_id)]
    return render(request, "gazette/directory_changes.html", {
        "active": "gazette", "issue": issue, "changes": changes, "errors": errors or [], "message": message},
        status_code=status_code)


@router.get("/gazette/issues/{issue_id}/directory-changes")
def directory_changes_page(issue_id: Id, request: Request, session: SessionDep, caller: PageUser,
                           done: Annotated[int, Query(ge=0, le=10_000)] = 0):
    """The diff an administrator confirms or rejects line by line (the same service as the API)."""
    authorize(caller, "directory.record_appointment")
    return _changes_page(request, session, issue_id, message=f"已处理 {done} 行。" if done else "")


@router.post("/gazette/issues/{issue_id}/directory-changes")
async def decide_directory_changes(issue_id: Id, request: Request, session: SessionDep, caller: PageUser):
    authorize(caller, "directory.record_appointment")
    form = await request.form(max_fields=1100)
    check_csrf(request, str(form.get("csrf_token") or ""))
    chosen = {name.removeprefix("line-"): str(value) for name, value in form.items() if name.startswith("line-")}
    ids = {k: int(k) for k in chosen if k.isdigit() and len(k) <= 9}
    confirm = [ids[k] for k, v in chosen.items() if v == "confirm" and k in ids]
    reject = [ids[k] for k, v in chosen.items() if v == "reject" and k in ids]
    try:
        with session.begin_nested():  # a refused submission leaves nothing behind: all its lines or none
            decided = directory_service.decide(session, issue_id, confirm=confirm, reject=reject, actor=caller.actor)
    except DomainError as exc:
        if exc.status_code not in (409, 422):
            raise
        errors = [{"zh": f.zh, "en": f.en} for f in exc.fields] or [{"zh": exc.zh, "en": exc.en}]
        return _changes_page(request, session, issue_id, errors=errors, status_code=exc.status_code)
    return RedirectResponse(f"/gazette/issues/{issue_id}/directory-changes?done={len(decided)}", status_code=303)
