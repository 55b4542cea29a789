"""12345 complaints about medical and health matters (东政办发〔2021〕17号 三（一）5, 接诉即办)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dongcheng.core.db import Base, UTCDateTime


class Complaint(Base):
    """A 12345 ticket: received, assigned to the responsible unit, responded, then the 回访 (resolved? satisfied?)."""

    __tablename__ = "supervision_complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(10), default="12345")
    ticket_no: Mapped[str] = mapped_column(String(40), unique=True)  # 工单号
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("supervision_institutions.id"), index=True)
    street_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    content: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    status: Mapped[str] = mapped_column(String(12), index=True)  # received / assigned / responded / closed
    version: Mapped[int] = mapped_column(Integer, default=1)
    assigned_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # 首次联系诉求人 / 答复
    response: Mapped[str] = mapped_column(Text, default="")
    resolved: Mapped[bool | None] = mapped_column(Boolean)  # 回访: 已解决 / 未解决
    satisfied: Mapped[bool | None] = mapped_column(Boolean)  # 回访: 满意 / 不满意
    visited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # 回访 recorded
    intake_by: Mapped[str] = mapped_column(String(60))
