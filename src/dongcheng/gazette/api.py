"""Gazette API (SPEC §2.7): public and read-only, except importing an issue (admin)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from dongcheng.api.deps import SessionDep, require
from dongcheng.api.params import Id
from dongcheng.auth.service import Caller
from dongcheng.core.errors import DomainError, FieldError, invalid
from dongcheng.gazette import directory_service, service, views
from dongcheng.gazette.schemas import (
    BasisOut,
    DirectoryChangesOut,
    DirectoryDecisionIn,
    DirectoryDecisionOut,
    DocumentOut,
    DocumentSummary,
    ImportOut,
    IssueDetail,
    IssueSummary,
    SearchOut,
)

router = APIRouter(prefix="/api/gazette", tags=["gazette 政府公报"])
Importer = Annotated[Caller, Depends(require("gazette.import"))]
DirectoryAdmin = Annotated[Caller, Depends(require("directory.record_appointment"))]  # the same as recording a 任免
MAX_BYTES = 4 * 1024 * 1024  # one issue's text is ~140 KB
ACCEPTED = "纯文本（text/plain）或文件上传（multipart/form-data，字段 file）"
_UPLOAD_DOC = {"requestBody": {"required": True, "content": {
    "text/plain": {"schema": {"type": "string", "description": "the issue's text as extracted from its PDF, UTF-8"}},
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary", "description": "the issue's .txt file, UTF-8"},
        "text": {"type": "string", "description": "or the text itself"}}}},
}}}


@router.get("/issues", response_model=list[IssueSummary], summary="Gazette issues, newest first")
def list_issues(session: SessionDep) -> list[dict]:
    return [views.issue_summary(issue, n) for issue, n in service.list_issues(session)]


@router.get("/issues/{issue_id}", response_model=IssueDetail, summary="An issue with its table of contents (目录)")
def get_issue(issue_id: Id, session: SessionDep) -> dict:
    return views.issue_detail(service.get_issue(session, issue_id))


@router.get("/documents", response_model=list[DocumentSummary], summary="Documents with this number (文号)")
def find_documents(session: SessionDep,
                   number: Annotated[str, Query(min_length=1, max_length=60, description="东政发〔2022〕3号")]) -> list[dict]:
    return [views.document_summary(d) for d in service.documents_numbered(session, number)]


@router.get("/documents/{document_id}", response_model=DocumentOut, summary="A document: number, organ, body, clauses")
def get_document(document_id: Id, session: SessionDep) -> dict:
    return views.document_dict(service.get_document(session, document_id))


@router.get("/search", response_model=SearchOut, summary="Full-text search of every document and clause, ranked")
def search(session: SessionDep, q: Annotated[str, Query(max_length=200, description="the phrase to find")],
           limit: Annotated[int, Query(ge=1, le=200)] = 50) -> dict:
    hits, total = service.search(session, q, limit=limit)
    return {"q": q, "total": total, "hits": [views.search_hit(h) for h in hits]}


@router.get("/basis", response_model=BasisOut, summary="The clause a basis cites, and its URL")
def resolve_basis(session: SessionDep,
                  text: Annotated[str, Query(min_length=1, max_length=300,
                                             description="东政发〔2022〕3号 §4.1.5")]) -> dict:
    doc, clause, url = service.resolve_basis(session, text)
    return {"basis": text, "document": views.document_summary(doc), "clause": clause.number if clause else None,
            "clause_text": clause.text if clause else None, "url": url}


@router.post("/issues", status_code=201, response_model=ImportOut, openapi_extra=_UPLOAD_DOC,
             summary="Import an issue from its plain text (admin); the same file again changes nothing (200)")
async def import_issue(request: Request, response: Response, session: SessionDep, caller: Importer,
                       name: Annotated[str, Query(max_length=200, description="source file name")] = "") -> dict:
    data, source, field = await _upload(request, name)
    try:
        result = await run_in_threadpool(service.import_issue, session, data=data, source_name=source,
                                         actor=caller.actor)
    except DomainError as exc:  # name the field the text came in
        exc.fields = [FieldError(field, f.zh, f.en) if f.field == "text" else f for f in exc.fields]
        raise
    if not result.changed:
        response.status_code = 200
    return {"issue": views.issue_summary(result.issue, result.documents), "created": result.created,
            "replaced": result.replaced, "documents": result.documents, "clauses": result.clauses,
            "toc_entries": result.toc_entries, "notes": result.notes, "directory_changes": result.directory_changes}


@router.get("/issues/{issue_id}/directory-changes", response_model=DirectoryChangesOut,
            summary="What the issue's 任免 and division-of-work notices ask of the directory, line by line (admin)")
def directory_changes(issue_id: Id, session: SessionDep, caller: DirectoryAdmin) -> dict:
    return views.directory_changes(issue_id, directory_service.list_changes(session, issue_id))


@router.post("/issues/{issue_id}/directory-changes", response_model=DirectoryDecisionOut,
             summary="Confirm or reject proposed directory changes (admin): all of them or none, each audited")
def decide_directory_changes(issue_id: Id, body: DirectoryDecisionIn, session: SessionDep,
                             caller: DirectoryAdmin) -> dict:
    decided = directory_service.decide(session, issue_id, confirm=body.confirm, reject=body.reject, actor=caller.actor)
    return {"decided": [views.directory_change(d.change) for d in decided]}


async def _upload(request: Request, name: str) -> tuple[bytes, str, str]:
    """(bytes, source name, field) from a text/plain body or a multipart/form upload."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BYTES:
        raise DomainError(f"上传内容过大（上限 {MAX_BYTES // 1024 // 1024} MB）",
                          f"upload too large (at most {MAX_BYTES // 1024 // 1024} MB)", 413)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in ("multipart/form-data", "application/x-www-form-urlencoded"):
        try:
            form = await request.form(max_files=1, max_fields=5, max_part_size=MAX_BYTES)
        except Exception as exc:  # a malformed multipart body
            raise invalid("file", f"上传格式有误，请以{ACCEPTED}提交", f"malformed form upload: {exc}") from exc
        upload, text = form.get("file"), form.get("text")
        if isinstance(upload, UploadFile):
            data = await upload.read(MAX_BYTES + 1)
            field, source = "file", name or upload.filename or ""
        elif isinstance(text, str) and text:
            data, field, source = text.encode("utf-8", "surrogatepass"), "text", name
        else:
            raise invalid("file", "请上传公报文本文件（字段 file）", "upload the issue's text file as form field 'file'")
    elif kind in ("", "text/plain", "application/octet-stream"):
        data, field, source = await request.body(), "body", name
    else:
        raise invalid("body", f"请以{ACCEPTED}提交，而不是 {kind[:60]}",
                      f"send text/plain or multipart/form-data (field 'file'), not {kind[:60]}")
    if len(data) > MAX_BYTES:
        raise DomainError("上传内容过大", "upload too large", 413)
    if not data.strip():
        raise invalid(field, "公报文本为空", "the gazette text is empty")
    return data, source, field
