"""Gazette issues, their table of contents, their documents and the documents' clauses (SPEC §2.7)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dongcheng.core.db import Base, UTCDateTime
from dongcheng.core.time import utcnow


class GazetteIssue(Base):
    """One issue: 北京市东城区人民政府公报 2022年第3期（总第43期）, from the text of its PDF (sha256 of that file)."""

    __tablename__ = "gazette_issues"
    __table_args__ = (UniqueConstraint("year", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))  # 刊名
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)  # 第 3 期
    total_number: Mapped[int | None] = mapped_column(Integer)  # 总第 43 期
    published_on: Mapped[date] = mapped_column(Date)
    sponsor: Mapped[str] = mapped_column(String(100), default="")  # 北京市东城区政务服务管理局主办
    colophon: Mapped[dict] = mapped_column(JSON, default=dict)  # 编辑部门, 地址, 邮编, 电话, 网址
    source_name: Mapped[str] = mapped_column(String(200), default="")
    source_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source_chars: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(80), default="")

    toc: Mapped[list[GazetteTocEntry]] = relationship(order_by="GazetteTocEntry.seq", lazy="raise",
                                                      cascade="all, delete-orphan", passive_deletes=True)
    documents: Mapped[list[GazetteDocument]] = relationship(order_by="GazetteDocument.seq", lazy="raise",
                                                            back_populates="issue", cascade="all, delete-orphan",
                                                            passive_deletes=True)


class GazetteDocument(Base):
    """A document of an issue: 文号, 发文机关, 标题, 主送, 成文日期, 公开属性, 正文, 附件."""

    __tablename__ = "gazette_documents"
    __table_args__ = (UniqueConstraint("issue_id", "number"), UniqueConstraint("issue_id", "seq"))

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("gazette_issues.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)  # order in the issue
    number: Mapped[str] = mapped_column(String(40), index=True)  # 东政发〔2022〕3号
    issuing_organ: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str] = mapped_column(String(500))
    recipients: Mapped[str] = mapped_column(Text, default="")
    signed_on: Mapped[date | None] = mapped_column(Date)
    disclosure: Mapped[str] = mapped_column(String(60), default="")  # （此件公开发布）
    body: Mapped[str] = mapped_column(Text)
    attachments: Mapped[list[str]] = mapped_column(JSON, default=list)
    page: Mapped[int | None] = mapped_column(Integer)  # first page, from the table of contents

    issue: Mapped[GazetteIssue] = relationship(back_populates="documents", lazy="raise")
    clauses: Mapped[list[GazetteClause]] = relationship(order_by="GazetteClause.seq", lazy="raise",
                                                        cascade="all, delete-orphan", passive_deletes=True)


class GazetteTocEntry(Base):
    """A line of the issue's 目录, linked to the document it names."""

    __tablename__ = "gazette_toc_entries"
    __table_args__ = (UniqueConstraint("issue_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("gazette_issues.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    document_number: Mapped[str] = mapped_column(String(40))
    page: Mapped[int | None] = mapped_column(Integer)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("gazette_documents.id", ondelete="SET NULL"))


class GazetteClause(Base):
    """A numbered clause (§4.1.5, 第七条, 三（一）) with its anchor on the document page."""

    __tablename__ = "gazette_clauses"
    __table_args__ = (UniqueConstraint("document_id", "anchor"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("gazette_documents.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(40))
    anchor: Mapped[str] = mapped_column(String(40))
    level: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)


class GazetteDirectoryChange(Base):
    """A change an imported issue asks of the directory (任命, 免去, a portfolio line from a date), or a line the
    reader could not place; an administrator confirms or rejects each proposed one (SPEC §2.1, §2.7)."""

    __tablename__ = "gazette_directory_changes"
    __table_args__ = (UniqueConstraint("issue_id", "document_number", "kind", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("gazette_issues.id", ondelete="CASCADE"), index=True)
    document_number: Mapped[str] = mapped_column(String(40))
    seq: Mapped[int] = mapped_column(Integer)  # order of the line in its document (unplaced lines: 1000 + n)
    kind: Mapped[str] = mapped_column(String(20))  # appoint | remove | remove_all | portfolio | unplaced
    status: Mapped[str] = mapped_column(String(20), default="proposed")  # proposed | confirmed | rejected | unplaced
    summary: Mapped[str] = mapped_column(Text)  # the line as the administrator reads it
    text: Mapped[str] = mapped_column(Text, default="")  # as printed
    effective_on: Mapped[date | None] = mapped_column(Date)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)  # the proposed change's fields
    reason: Mapped[str] = mapped_column(Text, default="")  # unplaced: why (zh / en)
    result: Mapped[dict] = mapped_column(JSON, default=dict)  # confirmed: what was written
    decided_by: Mapped[str] = mapped_column(String(80), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
