"""The emergency plan's reference tables, loaded from data/ (东政发〔2022〕3号)."""
from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dongcheng.core.db import Base
from dongcheng.directory.models import Unit


class EventType(Base):
    """A row of table §2.3.6 突发事件处置分工."""

    __tablename__ = "event_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    no: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(20))
    clause: Mapped[str] = mapped_column(String(200))

    leads: Mapped[list[EventTypeLead]] = relationship(
        order_by="EventTypeLead.position", lazy="selectin", cascade="all, delete-orphan"
    )


class EventTypeLead(Base):
    """A 处置主责部门 of an event type, in the table's order."""

    __tablename__ = "event_type_leads"
    __table_args__ = (UniqueConstraint("event_type_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_type_id: Mapped[int] = mapped_column(ForeignKey("event_types.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)

    unit: Mapped[Unit] = relationship(lazy="selectin")


class ReferenceItem(Base):
    """An item of an ordered list of the plan (working groups, measures, channels, grades …)."""

    __tablename__ = "reference_items"
    __table_args__ = (UniqueConstraint("list_name", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    list_name: Mapped[str] = mapped_column(String(60), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    attrs: Mapped[dict] = mapped_column(JSON, default=dict)
    clause: Mapped[str] = mapped_column(String(200))


class Plan(Base):
    """A district special / support emergency plan of the §8.3 catalogue."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # special | support
    category: Mapped[str | None] = mapped_column(String(20))
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    lead_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    clause: Mapped[str] = mapped_column(String(200))

    lead_unit: Mapped[Unit] = relationship(lazy="selectin")


class DataVersion(Base):
    """Which version (content hash) of each reference data file is loaded."""

    __tablename__ = "data_versions"

    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")


class ReferenceGeneration(Base):
    """One row: a token the database replaces (by trigger) whenever units, event types or their lead departments
    change (migration n1a0refgen); reference/cache.py reloads what it keeps when the token differs."""

    __tablename__ = "reference_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64))
