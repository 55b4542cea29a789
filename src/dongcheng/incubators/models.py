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
    former_recognition: Mapped[str | None] = mapped_column(String(200))  # 第十条: the entry in 附件3
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


class IncubatorReevaluation(Base):
    """复评 of one year (第十二条): 申请 → 评估（评估结果报告）→ 公布 the result; once a year per base."""

    __tablename__ = "incubator_reevaluations"
    __table_args__ = (UniqueConstraint("application_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("incubator_applications.id", ondelete="CASCADE"),
                                                index=True)
    year: Mapped[int] = mapped_column(Integer)
    applied_on: Mapped[date | None] = mapped_column(Date)  # （一）申请
    published_on: Mapped[date] = mapped_column(Date)  # （三）公布
    passed: Mapped[bool] = mapped_column(Boolean)  # 达标 or 未达标
    report: Mapped[str] = mapped_column(Text)  # （二）评估结果报告, in short
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)  # this result was the second failure in a row
    basis: Mapped[str] = mapped_column(String(300))
    recorded_by: Mapped[str] = mapped_column(String(60))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class IncubatorChange(Base):
    """信息变更申请 (第十四条): what changed and when, when it was reported (late after 30 days), and its effect."""

    __tablename__ = "incubator_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("incubator_applications.id", ondelete="CASCADE"),
                                                index=True)
    items: Mapped[list] = mapped_column(JSON, default=list)  # 名称 / 运营机构 / 孵化场所地址 / 孵化面积 / 其他
    changes: Mapped[dict] = mapped_column(JSON, default=dict)  # the new values ({base_name, operator_name, …})
    description: Mapped[str] = mapped_column(Text)
    changed_on: Mapped[date] = mapped_column(Date)
    filed_on: Mapped[date] = mapped_column(Date)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome: Mapped[str] = mapped_column(String(10), default="pending")  # pending | retained | revoked
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    basis: Mapped[str] = mapped_column(String(300))
    recorded_by: Mapped[str] = mapped_column(String(60))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
