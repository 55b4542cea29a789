"""双随机 inspections (国办发〔2015〕58号; 东政办发〔2021〕17号 四（一）): inspectors and their declared conflicts, plans with
a published seed and their draw, each drawn inspection and its result."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from dongcheng.core.db import Base, UTCDateTime


class Inspector(Base):
    """A 执法检查人员 in the registry the draw picks from (执法人员信息 are published, 四（一）)."""

    __tablename__ = "supervision_inspectors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    badge_no: Mapped[str] = mapped_column(String(40), unique=True)  # 执法证号
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class InspectorConflict(Base):
    """A declared conflict of interest: while standing, the inspector is never drawn for this institution (回避).
    A withdrawal keeps the row (who, when, why): the history holds the declaration and its withdrawal, and a new
    declaration of the same pair is a new row — one standing declaration per pair (the partial unique index)."""

    __tablename__ = "supervision_inspector_conflicts"
    __table_args__ = (Index("uq_supervision_inspector_conflicts_standing", "inspector_id", "institution_id",
                            unique=True, postgresql_where=text("withdrawn_at IS NULL"),
                            sqlite_where=text("withdrawn_at IS NULL")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("supervision_inspectors.id"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("supervision_institutions.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    declared_on: Mapped[date] = mapped_column(Date)
    declared_by: Mapped[str] = mapped_column(String(60))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by: Mapped[str] = mapped_column(String(60), default="")
    withdrawal_reason: Mapped[str] = mapped_column(Text, default="")


class InspectionPlan(Base):
    """A 双随机 plan: its items and proportions, the seed (its SHA-256 public from creation, the seed itself revealed
    with the results), the draw, and when its results become public."""

    __tablename__ = "supervision_inspection_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    items: Mapped[list] = mapped_column(JSON)  # item codes of data/supervision/inspection_items.yaml
    proportions: Mapped[dict] = mapped_column(JSON)  # grade -> decimal text ("0.30")
    inspectors_per_inspection: Mapped[int] = mapped_column(Integer)
    publication_delay: Mapped[int] = mapped_column(Integer)  # working days after closing
    seed: Mapped[str] = mapped_column(String(128))
    seed_sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10), index=True)  # draft / drawn / closed
    version: Mapped[int] = mapped_column(Integer, default=1)
    draw: Mapped[dict | None] = mapped_column(JSON)  # the published record of the draw (rules.Draw.to_dict)
    drawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    drawn_by: Mapped[str] = mapped_column(String(60), default="")
    closed_on: Mapped[date | None] = mapped_column(Date)
    publish_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Inspection(Base):
    """One drawn institution of a plan, its drawn inspectors and the recorded result."""

    __tablename__ = "supervision_inspections"
    __table_args__ = (UniqueConstraint("plan_id", "institution_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("supervision_inspection_plans.id"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("supervision_institutions.id"))
    grade: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(Integer)
    inspectors: Mapped[list] = mapped_column(JSON)  # inspector ids, in drawn order
    result: Mapped[str | None] = mapped_column(String(20))  # rules.RESULTS
    result_note: Mapped[str] = mapped_column(Text, default="")
    result_on: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(60), default="")
