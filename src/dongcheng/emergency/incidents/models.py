"""Incidents (突发事件), their lead departments, mandated reports and deadlines, and response-level history."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dongcheng.core.db import Base, UTCDateTime
from dongcheng.core.time import utcnow
from dongcheng.directory.models import Unit
from dongcheng.reference.models import EventType


class Incident(Base):
    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    event_type_id: Mapped[int | None] = mapped_column(ForeignKey("event_types.id"))
    category: Mapped[str | None] = mapped_column(String(20))
    street_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    address: Mapped[str] = mapped_column(String(300))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    source: Mapped[str] = mapped_column(String(20))
    grade: Mapped[str | None] = mapped_column(String(10))
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    grade_at_receipt: Mapped[str | None] = mapped_column(String(10))
    follow_up_from: Mapped[datetime | None] = mapped_column(UTCDateTime)  # §4.1.5 续报: start of the current run
    follow_up_until: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # slots materialised up to
    dead: Mapped[int] = mapped_column(Integer, default=0)
    injured: Mapped[int] = mapped_column(Integer, default=0)
    missing: Mapped[int] = mapped_column(Integer, default=0)
    trapped: Mapped[int] = mapped_column(Integer, default=0)
    foreign_related: Mapped[bool] = mapped_column(Boolean, default=False)
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    special_period: Mapped[bool] = mapped_column(Boolean, default=False)
    situation_only: Mapped[bool] = mapped_column(Boolean, default=False)  # 突出情况, not a 突发事件 in law
    needs_other_districts: Mapped[bool] = mapped_column(Boolean, default=False)
    is_drill: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    proposed_level: Mapped[str | None] = mapped_column(String(10))
    proposed_level_reason: Mapped[str] = mapped_column(Text, default="")
    proposed_level_basis: Mapped[str] = mapped_column(String(300), default="")
    response_level: Mapped[str | None] = mapped_column(String(10))
    handed_over_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A duplicate report of another incident, closed into it by a duty officer (its clocks stop counting)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    street: Mapped[Unit] = relationship(lazy="selectin")
    event_type: Mapped[EventType | None] = relationship(lazy="selectin")
    leads: Mapped[list[IncidentLead]] = relationship(order_by="IncidentLead.position", lazy="selectin",
                                                     cascade="all, delete-orphan")
    deadlines: Mapped[list[Deadline]] = relationship(order_by="(Deadline.due_at, Deadline.id)", lazy="selectin",
                                                     cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}


class IncidentLead(Base):
    """A 处置主责部门 of the incident: from table §2.3.6, or designated by the 区应急委 (§4.3.5)."""

    __tablename__ = "incident_leads"
    __table_args__ = (UniqueConstraint("incident_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    basis: Mapped[str] = mapped_column(String(300))
    designated_by: Mapped[str | None] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(Text, default="")

    unit: Mapped[Unit] = relationship(lazy="selectin")


class Deadline(Base):
    """A mandated report (信息报送) the system tracks to the second.

    ``met_at`` is when a report met it; ``closed_at`` when it stopped being owed (cancelled, or missed at the end of the
    response). "Not met at instant T" is ``due_at <= T and (met_at is null or met_at > T) and (closed_at is null or
    closed_at > T)`` — answered from the database by index (see repository._overdue_ids).
    """

    __tablename__ = "deadlines"
    __table_args__ = (
        UniqueConstraint("incident_id", "kind", "seq"),
        # The overdue query (repository._overdue_ids) is three disjoint index range scans:
        Index("ix_deadlines_open_due", "due_at",
              postgresql_where=text("met_at IS NULL AND closed_at IS NULL AND is_drill = false"),
              sqlite_where=text("met_at IS NULL AND closed_at IS NULL AND is_drill = 0")),
        Index("ix_deadlines_met_at", "met_at"),
        Index("ix_deadlines_closed_at", "closed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    seq: Mapped[int] = mapped_column(Integer, default=1)  # 1 for initial/detailed; n-th follow-up
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    basis: Mapped[str] = mapped_column(String(300))
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    notify: Mapped[list[str]] = mapped_column(JSON, default=list)
    responsible_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    met_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    is_drill: Mapped[bool] = mapped_column(Boolean, default=False)

    responsible_unit: Mapped[Unit | None] = relationship(lazy="selectin")


class Report(Base):
    """A report filed about an incident, with the §4.1.8 elements and which are missing."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    filed_by: Mapped[str] = mapped_column(String(60))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    elements: Mapped[dict] = mapped_column(JSON, default=dict)
    missing_elements: Mapped[list[str]] = mapped_column(JSON, default=list)
    casualties: Mapped[dict] = mapped_column(JSON, default=dict)
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)

    unit: Mapped[Unit | None] = relationship(lazy="selectin")


class LevelChange(Base):
    """Grade and response-level history: proposals, confirmations, raises, lowers, handover (§4.3)."""

    __tablename__ = "incident_level_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    what: Mapped[str] = mapped_column(String(40))  # proposal | grade | response_level:confirm|raise|lower | handover | end
    from_value: Mapped[str | None] = mapped_column(String(20))
    to_value: Mapped[str | None] = mapped_column(String(20))
    proposed: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    basis: Mapped[str] = mapped_column(String(300), default="")
    by: Mapped[str] = mapped_column(String(60))
