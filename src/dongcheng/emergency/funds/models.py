"""A disbursement (拨款事宜) for an incident: requested, approved by the 区政府, completed by the 区财政局 (§6.8)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dongcheng.core.db import Base, UTCDateTime


class Disbursement(Base):
    __tablename__ = "fund_disbursements"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    requesting_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))  # yuan
    purpose: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20))  # rules.Source (§6.8.1, §6.8.2)
    status: Mapped[str] = mapped_column(String(20), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    requested_by: Mapped[str] = mapped_column(String(60))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # 区政府批准: who, by which post held that day, when (§6.8.2, §6.8.3)
    decided_by: Mapped[str | None] = mapped_column(String(60))
    decided_post: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    # §6.8.3 在1个工作日内完成相关手续: the end of the first working day after approval
    due_on: Mapped[date | None] = mapped_column(Date)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    due_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    # completed by the 区财政局
    completed_by: Mapped[str | None] = mapped_column(String(60))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voucher_no: Mapped[str] = mapped_column(String(60), default="")
    completion_note: Mapped[str] = mapped_column(Text, default="")
