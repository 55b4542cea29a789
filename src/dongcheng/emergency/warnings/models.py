"""Warnings, their history (level changes, filings, notices), checklists, messages, subscribers and deliveries."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dongcheng.core.db import Base, UTCDateTime
from dongcheng.core.time import utcnow
from dongcheng.directory.models import Unit
from dongcheng.reference.models import EventType


class EarlyWarning(Base):
    """An early warning (预警信息) with the §3.2.4 content and where it stands in §3.2.3."""

    __tablename__ = "warnings"

    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[str] = mapped_column(String(8))  # 红色 | 橙色 | 黄色 | 蓝色
    status: Mapped[str] = mapped_column(String(16), index=True, default="draft")
    public: Mapped[bool] = mapped_column(Boolean, default=True)
    title: Mapped[str] = mapped_column(String(200))
    event_type_id: Mapped[int | None] = mapped_column(ForeignKey("event_types.id"))
    category: Mapped[str | None] = mapped_column(String(20))
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expected_duration_hours: Mapped[float | None] = mapped_column(Float)
    area_streets: Mapped[list[str]] = mapped_column(JSON, default=list)
    precautions: Mapped[str] = mapped_column(Text, default="")
    measures: Mapped[str] = mapped_column(Text, default="")
    drafting_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    issuing_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    concerned_units: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by: Mapped[str | None] = mapped_column(String(200))  # "周金星（区长）" as it was on the day
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by: Mapped[str | None] = mapped_column(String(200))
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lifted_by: Mapped[str | None] = mapped_column(String(200))
    lift_reason: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    event_type: Mapped[EventType | None] = relationship(lazy="joined")
    drafting_unit: Mapped[Unit] = relationship(foreign_keys=[drafting_unit_id], lazy="joined")
    issuing_unit: Mapped[Unit | None] = relationship(foreign_keys=[issuing_unit_id], lazy="joined")


class WarningLevelChange(Base):
    """调整预警级别 (§3.2.6)."""

    __tablename__ = "warning_level_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.id"), index=True)
    from_level: Mapped[str] = mapped_column(String(8))
    to_level: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by: Mapped[str] = mapped_column(String(200))
    basis: Mapped[str] = mapped_column(String(300))


class WarningFiling(Base):
    """备案 with the city on publication, level change and lifting (§3.2.3(2), §3.2.6)."""

    __tablename__ = "warning_filings"

    id: Mapped[int] = mapped_column(primary_key=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    level: Mapped[str] = mapped_column(String(8))
    filed_with: Mapped[list[str]] = mapped_column(JSON, default=list)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    basis: Mapped[str] = mapped_column(String(300))


class WarningNotice(Base):
    """A unit concerned told of a publication, level change or lifting (通报相关部门, §3.2.7)."""

    __tablename__ = "warning_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    basis: Mapped[str] = mapped_column(String(300))

    unit: Mapped[Unit] = relationship(lazy="joined")


class WarningChecklistItem(Base):
    """One §3.2.5 response measure for one unit concerned, ticked with who/when/note."""

    __tablename__ = "warning_checklist_items"
    __table_args__ = (UniqueConstraint("warning_id", "unit_id", "list_name", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    list_name: Mapped[str] = mapped_column(String(20))  # blue_yellow | orange_red
    seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    clause: Mapped[str] = mapped_column(String(200))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")

    unit: Mapped[Unit] = relationship(lazy="joined")


class WarningMessage(Base):
    """A disseminated message: the CAP Alert on publication, an Update per level change, the Cancel on lifting."""

    __tablename__ = "warning_messages"
    __table_args__ = (UniqueConstraint("warning_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    msg_type: Mapped[str] = mapped_column(String(8))
    level: Mapped[str] = mapped_column(String(8))
    identifier: Mapped[str] = mapped_column(String(64), unique=True)  # GB/T 35965.1 Annex A
    sender: Mapped[str] = mapped_column(String(120))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    references: Mapped[list[str]] = mapped_column(JSON, default=list)  # "sender,identifier,sent" of earlier ones
    note: Mapped[str] = mapped_column(Text, default="")


class Subscriber(Base):
    """A resident or unit registered for warnings in a street, with channels and §3.2.8 targeting flags."""

    __tablename__ = "subscribers"
    __table_args__ = (Index("ix_subscribers_street_active", "street", "active"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), default="resident")  # resident | unit
    name: Mapped[str] = mapped_column(String(120))
    street: Mapped[str] = mapped_column(String(40))
    contact: Mapped[str] = mapped_column(String(200), default="")
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    vulnerable_groups: Mapped[list[str]] = mapped_column(JSON, default=list)  # 老 幼 病 残 孕
    special_place: Mapped[str | None] = mapped_column(String(20))  # 学校 医院 旅游景点 交通枢纽
    blind_spot: Mapped[bool] = mapped_column(Boolean, default=False)  # 警报盲区
    targeted: Mapped[bool] = mapped_column(Boolean, default=False)  # any of the three above
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Delivery(Base):
    """One message to one subscriber. (message_id, subscriber_id) is the idempotency key: unique, so a retried or
    re-run fan-out can never create a second delivery for the same recipient.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("message_id", "subscriber_id", name="uq_deliveries_idempotency_key"),
        Index("ix_deliveries_queue", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("warning_messages.id"))
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscribers.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    receipts: Mapped[dict | None] = mapped_column(JSON)  # channel -> gateway receipt
    last_error: Mapped[str | None] = mapped_column(Text)
