"""信息发布稿 (东政发〔2022〕3号 §4.7.1): what the public is told about an incident, kept private until released."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dongcheng.core.db import Base, UTCDateTime


class Statement(Base):
    """A draft (private) or a released statement; released statements of real incidents are public."""

    __tablename__ = "incident_statements"
    __table_args__ = (Index("ix_incident_statements_public", "status", "is_drill", "released_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)  # restricted topics of §4.7.1 ⑤ it touches
    status: Mapped[str] = mapped_column(String(10), default="draft")  # draft | released
    is_drill: Mapped[bool] = mapped_column(Boolean, default=False)
    drafted_by: Mapped[str] = mapped_column(String(60))
    drafting_unit: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_by: Mapped[str | None] = mapped_column(String(120))  # name (post) of whoever released or approved
    release_basis: Mapped[str | None] = mapped_column(String(300))
