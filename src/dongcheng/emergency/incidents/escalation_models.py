"""Escalation notices of the reporting clock (escalation.py): one per incident + clock + wave, with a delivery per
recipient; and the duty contacts they go to (a unit's duty room, a leader seat's office — by post, never by name)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dongcheng.core.db import Base, UTCDateTime
from dongcheng.core.time import utcnow
from dongcheng.emergency.incidents.models import Deadline


class DutyContact(Base):
    """Where a unit's duty room (值班室) or a leader seat's office is reached: exactly one of unit / post."""

    __tablename__ = "duty_contacts"
    __table_args__ = (UniqueConstraint("unit_id", "post_id", "channel", "contact"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20), default="sms")
    contact: Mapped[str] = mapped_column(String(120))
    label: Mapped[str] = mapped_column(String(80), default="值班室")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EscalationNotice(Base):
    """A wave of a clock, raised once: the unique key is (incident, deadline, wave)."""

    __tablename__ = "escalation_notices"
    __table_args__ = (UniqueConstraint("incident_id", "deadline_id", "wave", name="uq_escalation_notices_wave"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    deadline_id: Mapped[int] = mapped_column(ForeignKey("deadlines.id", ondelete="CASCADE"), index=True)
    wave: Mapped[str] = mapped_column(String(10))  # lead | due | overdue
    audience: Mapped[str] = mapped_column(String(30))
    threshold_at: Mapped[datetime] = mapped_column(UTCDateTime)
    enqueued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    basis: Mapped[str] = mapped_column(String(300))  # the clock's clause
    wave_basis: Mapped[str] = mapped_column(String(300))  # why this wave, then, to them
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="queued")  # queued | sent | cancelled | undeliverable
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_drill: Mapped[bool] = mapped_column(default=False)

    deliveries: Mapped[list[EscalationDelivery]] = relationship(order_by="EscalationDelivery.id", lazy="selectin",
                                                                cascade="all, delete-orphan")


class EscalationDelivery(Base):
    """A notice to one recipient on one channel, with its status: pending | sent | failed | cancelled |
    undeliverable (with the reason: no duty contact, no supervising leader, a vacant post)."""

    __tablename__ = "escalation_deliveries"
    __table_args__ = (Index("ix_escalation_deliveries_notice_status", "notice_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("escalation_notices.id", ondelete="CASCADE"))
    recipient: Mapped[str] = mapped_column(String(120))  # a unit's name, or a post's title (and its holder that day)
    channel: Mapped[str | None] = mapped_column(String(20))
    contact: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    reason: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    receipt: Mapped[str | None] = mapped_column(String(200))
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# The escalation job scans the open clocks twice a second: the real ones by ix_deadlines_open_due (models.py), the
# drills' by this one, so neither scan reads the met and closed deadlines of past years.
Index("ix_deadlines_open_due_drill", Deadline.__table__.c.due_at,
      postgresql_where=text("met_at IS NULL AND closed_at IS NULL AND is_drill = true"),
      sqlite_where=text("met_at IS NULL AND closed_at IS NULL AND is_drill = 1"))
