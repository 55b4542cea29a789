"""Applications for, and the life of, a 东城区创业孵化示范基地 (东人社发〔2021〕101号)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dongcheng.core.db import Base, UTCDateTime


class IncubatorApplication(Base):
    """One application (申报, 第八条) and, once certified, the base it recognises; ``version`` guards each step."""

    __tablename__ = "incubator_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    base_name: Mapped[str] = mapped_column(String(200))
    operator_name: Mapped[str] = mapped_column(String(200))  # 运营机构
    credit_code: Mapped[str] = mapped_column(String(18), index=True)  # 统一社会信用代码 of the operator
    address: Mapped[str] = mapped_column(String(300))
    route: Mapped[str] = mapped_column(String(10))  # standard (第八条) | direct (第十条)
    title_level: Mapped[str | None] = mapped_column(String(10))  # 国家级 | 市级 (第十条)
    title_name: Mapped[str | None] = mapped_column(String(200))
    facts: Mapped[dict] = mapped_column(JSON, default=dict)  # 第七条 figures as declared
    applied_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    notice_start: Mapped[date | None] = mapped_column(Date)
    notice_end: Mapped[date | None] = mapped_column(Date)
    notice_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    open_objections: Mapped[int] = mapped_column(Integer, default=0)
    certified_on: Mapped[date | None] = mapped_column(Date)
    revoked_on: Mapped[date | None] = mapped_column(Date)
    revocation_ground: Mapped[str | None] = mapped_column(String(10))
    outcome_note: Mapped[str] = mapped_column(Text, default="")  # why rejected / revoked
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class IncubatorEvent(Base):
    """The timeline of an application: each step, who took it, on what basis."""

    __tablename__ = "incubator_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("incubator_applications.id", ondelete="CASCADE"),
                                                index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str] = mapped_column(String(60))
    status_after: Mapped[str] = mapped_column(String(20))
    basis: Mapped[str] = mapped_column(String(300))
    note: Mapped[str] = mapped_column(Text, default="")


class IncubatorReport(Base):
    """A quarterly report (基本情况季报表, 第十一条（一）, 附件4) of a certified base."""

    __tablename__ = "incubator_reports"
    __table_args__ = (UniqueConstraint("application_id", "year", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("incubator_applications.id", ondelete="CASCADE"),
                                                index=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    submitted_on: Mapped[date] = mapped_column(Date)
    figures: Mapped[dict] = mapped_column(JSON, default=dict)
    recorded_by: Mapped[str] = mapped_column(String(60))
