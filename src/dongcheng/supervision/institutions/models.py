"""Medical and health institutions and their credit records (东政办发〔2021〕17号 四（二）, 三（一）2)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dongcheng.core.db import Base, UTCDateTime


class Institution(Base):
    """A 医疗卫生机构 of the district: 全行业、属地化监管 (三（一）4), public and social alike."""

    __tablename__ = "supervision_institutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    uscc: Mapped[str] = mapped_column(String(18), unique=True)  # 统一社会信用代码 (GB 32100-2015)
    kind: Mapped[str] = mapped_column(String(20))  # rules.KINDS
    street_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    ownership: Mapped[str] = mapped_column(String(10))  # public / social (公立 / 社会办医)
    licence_no: Mapped[str] = mapped_column(String(60), default="")  # 医疗机构执业许可证登记号
    risk: Mapped[str] = mapped_column(String(10), default="medium")  # high / medium / low: the draw's grade
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PointRecord(Base):
    """不良执业行为记分: points given on a day, counted in its cycle (四（二）)."""

    __tablename__ = "supervision_point_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("supervision_institutions.id"), index=True)
    occurred_on: Mapped[date] = mapped_column(Date)  # the decision's day: cycle and publication count from it
    points: Mapped[int] = mapped_column(Integer)
    ground: Mapped[str] = mapped_column(Text)  # 记分事由
    legal_basis: Mapped[str] = mapped_column(String(200), default="")  # the provision the record applies
    cycle: Mapped[str] = mapped_column(String(20))  # e.g. "2022"
    removed_on: Mapped[date | None] = mapped_column(Date)  # 信用修复: publication ended early
    removal_reason: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(60))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BlacklistEntry(Base):
    """黑名单: an institution listed on a ground for a period (四（二） 落实国家、北京市黑名单制度)."""

    __tablename__ = "supervision_blacklist"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("supervision_institutions.id"), index=True)
    ground: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(String(200), default="")
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date] = mapped_column(Date)
    removed_on: Mapped[date | None] = mapped_column(Date)
    removal_reason: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(60))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CreditPolicy(Base):
    """A points / repair policy an administrator loaded (the Beijing table once found); the newest is in force."""

    __tablename__ = "supervision_credit_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    body: Mapped[dict] = mapped_column(JSON)
    sha256: Mapped[str] = mapped_column(String(64))
    loaded_by: Mapped[str] = mapped_column(String(60))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
