"""Streets' managed retirees, the commissioners they hire and their monthly ratings (东人社发〔2021〕111号, 112号)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dongcheng.core.db import Base, UTCDateTime


class StreetRetirees(Base):
    """管理的国有企业退休人员人数 of one street (111号 §二（一）: 根据管理人数的变化进行动态调整)."""

    __tablename__ = "commissioner_streets"

    id: Mapped[int] = mapped_column(primary_key=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("units.id"), unique=True)
    retirees: Mapped[int] = mapped_column(Integer)
    as_of: Mapped[date] = mapped_column(Date)
    updated_by: Mapped[str] = mapped_column(String(60))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Commissioner(Base):
    """A 社会化管理服务专员 and the current term (续签 moves the term on; the audit trail keeps the old one)."""

    __tablename__ = "commissioners"

    id: Mapped[int] = mapped_column(primary_key=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    route: Mapped[str] = mapped_column(String(20))  # HiringRoute
    birth_date: Mapped[date | None] = mapped_column(Date)
    recommended: Mapped[bool] = mapped_column(Boolean, default=False)  # 特别优秀，经组织认定并推荐 (§三（六）)
    over_quota: Mapped[bool] = mapped_column(Boolean, default=False)  # 区内统筹调剂 (§二（二）)
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    trial_end: Mapped[date | None] = mapped_column(Date)
    term_no: Mapped[int] = mapped_column(Integer, default=1)
    notice_sent_on: Mapped[date | None] = mapped_column(Date)  # 终止或续签劳务协议意向书
    # the last renewal made without the 意向书: reason, who waived it, on what basis (111号 §四（二）, §七（一）)
    renewal_waiver: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[str] = mapped_column(String(10), index=True)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MonthlyRating(Base):
    """满意度评价 of one month (111号 §六), with the month's bonus base (月均绩效奖金1000元, 112号 第七条)."""

    __tablename__ = "commissioner_ratings"
    __table_args__ = (UniqueConstraint("commissioner_id", "year", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commissioner_id: Mapped[int] = mapped_column(ForeignKey("commissioners.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    rating: Mapped[str] = mapped_column(String(12))
    bonus_base: Mapped[int] = mapped_column(Integer, default=1000)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(60))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FundApplication(Base):
    """岗补资金申请 of a street for a year (112号 第五条, 附件1), its approval steps and the 附件2 self-report."""

    __tablename__ = "commissioner_fund_applications"
    __table_args__ = (UniqueConstraint("street_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    insurance_per_person: Mapped[int] = mapped_column(Integer)
    people: Mapped[int] = mapped_column(Integer)
    total: Mapped[str] = mapped_column(String(20))  # yuan, as computed when filed (Decimal text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    steps: Mapped[list] = mapped_column(JSON, default=list)  # [{step, status, on, actor, basis, note}]
    report_submitted_on: Mapped[date | None] = mapped_column(Date)  # 附件2, 第九条
    filed_by: Mapped[str] = mapped_column(String(60))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime)
