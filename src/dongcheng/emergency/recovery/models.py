"""Recovery and rebuilding (恢复与重建, 东政发〔2022〕3号 §5): plan, losses, relief, insurance, evaluation, merits."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dongcheng.core.db import Base, UTCDateTime


class Recovery(Base):
    """One per incident, opened by the first recovery action after 应急结束 (§4.8)."""

    __tablename__ = "recoveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_by: Mapped[str] = mapped_column(String(60))
    plan_text: Mapped[str] = mapped_column(Text, default="")  # §5.1.1 恢复重建计划和善后处理措施
    plan_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    plan_updated_by: Mapped[str | None] = mapped_column(String(60))
    investigation_text: Mapped[str] = mapped_column(Text, default="")  # §5.4.1 调查处理
    evaluation_text: Mapped[str] = mapped_column(Text, default="")  # §5.4.2 总结评估
    evaluation_date: Mapped[date | None] = mapped_column(Date)
    evaluation_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    evaluation_submitted_by: Mapped[str | None] = mapped_column(String(60))

    losses: Mapped[list[LossReport]] = relationship(order_by="LossReport.id", lazy="selectin",
                                                    cascade="all, delete-orphan")
    relief: Mapped[list[ReliefRecord]] = relationship(order_by="ReliefRecord.id", lazy="selectin",
                                                      cascade="all, delete-orphan")
    claims: Mapped[list[InsuranceClaim]] = relationship(order_by="InsuranceClaim.id", lazy="selectin",
                                                        cascade="all, delete-orphan")
    merits: Mapped[list[MeritEntry]] = relationship(order_by="MeritEntry.id", lazy="selectin",
                                                    cascade="all, delete-orphan")


class LossReport(Base):
    """损失统计、核实和上报 (§5.1.2); each submission kept, the latest is current."""

    __tablename__ = "recovery_loss_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    recovery_id: Mapped[int] = mapped_column(ForeignKey("recoveries.id", ondelete="CASCADE"), index=True)
    dead: Mapped[int] = mapped_column(Integer)
    injured: Mapped[int] = mapped_column(Integer)
    missing: Mapped[int] = mapped_column(Integer)
    economic_loss_fen: Mapped[int] = mapped_column(BigInteger)  # 直接经济损失, in fen (1/100 yuan): exact
    houses_damaged: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    counting_unit: Mapped[str | None] = mapped_column(String(200))  # the §5.1.2 department for the category
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reported_by: Mapped[str] = mapped_column(String(60))
    reported_unit: Mapped[str] = mapped_column(String(200), default="")


class ReliefRecord(Base):
    """社会救助与抚恤 (§5.2): who received what."""

    __tablename__ = "recovery_relief_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    recovery_id: Mapped[int] = mapped_column(ForeignKey("recoveries.id", ondelete="CASCADE"), index=True)
    recipient: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    given_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    basis: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(60))


class InsuranceClaim(Base):
    """保险理赔 (§5.3.1): losses notified to the insurer, the claim and its outcome."""

    __tablename__ = "recovery_insurance_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    recovery_id: Mapped[int] = mapped_column(ForeignKey("recoveries.id", ondelete="CASCADE"), index=True)
    claimant: Mapped[str] = mapped_column(String(200))
    insurer: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    amount_claimed_fen: Mapped[int | None] = mapped_column(BigInteger)
    amount_paid_fen: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(60))


class MeritEntry(Base):
    """表彰、奖励 / 通报批评、责令整改 (§5.5.1) and 处分 (§5.5.2) of a person or unit."""

    __tablename__ = "recovery_merit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    recovery_id: Mapped[int] = mapped_column(ForeignKey("recoveries.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    deadline: Mapped[date | None] = mapped_column(Date)  # 限期整改
    basis: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(60))
