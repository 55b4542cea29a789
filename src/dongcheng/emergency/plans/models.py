"""The plan registry (§7.1) and drills (§7.2). A catalogue plan's name and lead drafting unit stay in the reference
table ``plans`` (§8.3, data/emergency/plans.yaml); a registry row only points at it."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dongcheng.core.db import Base, UTCDateTime


class PlanRecord(Base):
    """An emergency plan in the registry: a §8.3 catalogue plan (``catalogue_plan_id``) or one the text names by
    kind only (总体, 街道总体, 部门, 巨灾 — §7.1.4), with its issue, filing and evaluation."""

    __tablename__ = "plan_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    catalogue_plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)  # rules.PlanKind
    name: Mapped[str | None] = mapped_column(String(200))  # only when not in the catalogue
    lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)  # only when not in it
    status: Mapped[str] = mapped_column(String(20), index=True)  # rules.PlanStatus
    version: Mapped[int] = mapped_column(Integer, default=1)
    issued_on: Mapped[date | None] = mapped_column(Date)
    document_no: Mapped[str] = mapped_column(String(80), default="")
    filed_on: Mapped[date | None] = mapped_column(Date)
    filed_with: Mapped[str] = mapped_column(String(200), default="")  # the recipient as recorded
    filing_note: Mapped[str] = mapped_column(Text, default="")
    evaluated_on: Mapped[date | None] = mapped_column(Date)
    evaluation_note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PlanVersion(Base):
    """An issued text of a plan with its document (印发文件)."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_records.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    document_no: Mapped[str] = mapped_column(String(80), default="")
    issued_on: Mapped[date] = mapped_column(Date)
    document_ref: Mapped[str] = mapped_column(String(500), default="")  # where the text is (URL, archive number)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(60))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PlanRevision(Base):
    """A revision (修订) opened by a §7.1.5 trigger and closed by the version it produces."""

    __tablename__ = "plan_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_records.id", ondelete="CASCADE"), index=True)
    opened_on: Mapped[date] = mapped_column(Date)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_version_id: Mapped[int | None] = mapped_column(ForeignKey("plan_versions.id"))


class RevisionTrigger(Base):
    """One of the four §7.1.5 situations, recorded: which, by whom, from which incident or drill."""

    __tablename__ = "plan_revision_triggers"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_records.id", ondelete="CASCADE"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("plan_revisions.id", ondelete="CASCADE"), index=True)
    trigger: Mapped[str] = mapped_column(String(30))  # a code of data/emergency/plan_management.yaml
    description: Mapped[str] = mapped_column(Text)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)
    drill_id: Mapped[int | None] = mapped_column(ForeignKey("drills.id"), index=True)
    recorded_by: Mapped[str] = mapped_column(String(60))
    recorded_unit: Mapped[str] = mapped_column(String(80), default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


drill_plans = Table(
    "drill_plans", Base.metadata,
    Column("drill_id", ForeignKey("drills.id", ondelete="CASCADE"), primary_key=True),
    Column("plan_id", ForeignKey("plan_records.id", ondelete="CASCADE"), primary_key=True, index=True),
)
drill_units = Table(
    "drill_units", Base.metadata,
    Column("drill_id", ForeignKey("drills.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id"), primary_key=True, index=True),
)


class Drill(Base):
    """An emergency drill (应急演练, §7.2): organiser, kind, the plans exercised, the units taking part."""

    __tablename__ = "drills"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    organiser_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)  # rules.DrillKind
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), unique=True)  # the exercise incident
    held_on: Mapped[date | None] = mapped_column(Date, index=True)  # the 实施 phase's date: the drill's year
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DrillPhase(Base):
    """One of the five phases of §7.2.3 (计划、准备、实施、评估总结、改进), with its date."""

    __tablename__ = "drill_phases"
    __table_args__ = (UniqueConstraint("drill_id", "phase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    drill_id: Mapped[int] = mapped_column(ForeignKey("drills.id", ondelete="CASCADE"), index=True)
    phase: Mapped[str] = mapped_column(String(20))  # rules.Phase
    on_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(60))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DrillFinding(Base):
    """A problem the drill found (发现…问题, §7.2.3) and its follow-up action: owner unit, due date, done."""

    __tablename__ = "drill_findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    drill_id: Mapped[int] = mapped_column(ForeignKey("drills.id", ondelete="CASCADE"), index=True)
    finding: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    done_by: Mapped[str | None] = mapped_column(String(60))
    recorded_by: Mapped[str] = mapped_column(String(60))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
