"""What the gazette API returns (SPEC §4: JSON, names exactly as printed, dates ISO 8601)."""
from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class IssueSummary(BaseModel):
    id: int
    title: str = Field(description="刊名, e.g. 北京市东城区人民政府公报")
    label: str = Field(description="北京市东城区人民政府公报 2022年第3期（总第43期）")
    year: int
    number: int = Field(description="期号 (第 3 期)")
    total_number: int | None = Field(description="总期号 (总第 43 期)")
    published_on: date
    sponsor: str = Field(description="主办, e.g. 北京市东城区政务服务管理局主办")
    documents: int
    url: str = Field(description="the issue's page")


class TocEntryOut(BaseModel):
    seq: int
    title: str
    document_number: str = Field(description="文号, e.g. 东政发〔2022〕3号")
    page: int | None
    document_id: int | None
    url: str | None


class IssueDetail(IssueSummary):
    colophon: dict[str, str] = Field(description="编辑部门, 地址, 邮编, 电话, 网址")
    source_name: str
    source_sha256: str
    imported_at: datetime
    toc: list[TocEntryOut]


class ClauseOut(BaseModel):
    number: str = Field(description="4.1.5 | 第七条 | 三（一）")
    anchor: str = Field(description="id on the document page: s-4.1.5 | a-7 | c-3-1")
    level: int
    heading: str
    url: str


class IssueRef(BaseModel):
    id: int
    label: str
    url: str


class DocumentOut(BaseModel):
    id: int
    issue: IssueRef
    seq: int
    number: str = Field(description="文号")
    issuing_organ: str = Field(description="发文机关 (落款)")
    title: str
    recipients: str = Field(description="主送")
    signed_on: date | None = Field(description="成文日期")
    disclosure: str = Field(description="公开属性, e.g. （此件公开发布）")
    attachments: list[str]
    page: int | None
    url: str
    body: str
    clauses: list[ClauseOut]


class DocumentSummary(BaseModel):
    id: int
    issue: IssueRef
    number: str
    title: str
    issuing_organ: str
    signed_on: date | None
    url: str


class ImportOut(BaseModel):
    issue: IssueSummary
    created: bool
    replaced: bool
    documents: int
    clauses: int
    toc_entries: int
    notes: list[str]
    directory_changes: int = Field(0, description="lines proposed to the directory (or unplaced), for an administrator "
                                                  "to confirm or reject: GET /api/gazette/issues/{id}/directory-changes")


class BasisOut(BaseModel):
    basis: str
    document: DocumentSummary
    clause: str | None = Field(description="the clause number cited, if the document numbers it")
    clause_text: str | None
    url: str = Field(description="page URL with the clause anchor")


class SearchHitOut(BaseModel):
    document_number: str = Field(description="文号")
    document_title: str
    clause: str | None = Field(description="the clause as a basis cites it: §4.1.5, 第十二条, 三（二）4")
    anchor: str | None
    heading: str | None
    snippet: str = Field(description="the context of the first hit")
    marks: list[list[int]] = Field(description="[start, end) of each hit in the snippet")
    url: str = Field(description="page URL with the clause anchor")


class SearchOut(BaseModel):
    q: str
    total: int
    hits: list[SearchHitOut]


class DirectoryChangeOut(BaseModel):
    id: int
    document_number: str = Field(description="the notice the line comes from, e.g. 东政任〔2022〕3号")
    seq: int
    kind: str = Field(description="appoint | remove | remove_all | portfolio | unplaced")
    status: str = Field(description="proposed | confirmed | rejected | unplaced (a line the reader could not place)")
    summary: str = Field(description="the change as an administrator reads it")
    text: str = Field(description="the line as printed")
    effective_on: date | None
    reason: str = Field(description="unplaced: why (zh / en)")
    decided_by: str
    decided_at: datetime | None
    document_url: str


class DirectoryChangesOut(BaseModel):
    issue_id: int
    proposed: int
    unplaced: int
    changes: list[DirectoryChangeOut]


class DirectoryDecisionIn(BaseModel):
    confirm: list[int] = Field(default_factory=list, max_length=500, description="ids of lines to write")
    reject: list[int] = Field(default_factory=list, max_length=500, description="ids of lines to set aside")


class DirectoryDecisionOut(BaseModel):
    decided: list[DirectoryChangeOut]
