"""Disposal checklists (处置措施, 东政发〔2022〕3号 §4.5): the measures list of the incident's category, ticked."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dongcheng.core.db import Base, UTCDateTime


class DisposalChecklist(Base):
    """One per incident: a copy of §4.5.1, §4.5.2 or §4.5.3, chosen by category (or explicitly)."""

    __tablename__ = "disposal_checklists"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), unique=True)
    list_name: Mapped[str] = mapped_column(String(60))  # disposal_measures.<key>
    clause: Mapped[str] = mapped_column(String(200))
    basis: Mapped[str] = mapped_column(String(300))  # why this list
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(60))

    items: Mapped[list[ChecklistItem]] = relationship(order_by="ChecklistItem.seq", lazy="selectin",
                                                      cascade="all, delete-orphan")


class ChecklistItem(Base):
    """One measure, ticked with who (username, unit), when and a note."""

    __tablename__ = "disposal_checklist_items"
    __table_args__ = (UniqueConstraint("checklist_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    checklist_id: Mapped[int] = mapped_column(ForeignKey("disposal_checklists.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    clause: Mapped[str] = mapped_column(String(200))
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by: Mapped[str | None] = mapped_column(String(60))
    done_by_unit: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")

    changes: Mapped[list[ChecklistItemChange]] = relationship(order_by="ChecklistItemChange.id", lazy="selectin",
                                                              cascade="all, delete-orphan")


class ChecklistItemChange(Base):
    """Every tick and un-tick of an item (an un-tick carries its reason)."""

    __tablename__ = "disposal_checklist_item_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("disposal_checklist_items.id", ondelete="CASCADE"), index=True)
    done: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by: Mapped[str] = mapped_column(String(60))
    unit: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
