"""Progress on the tasks of 东政办发〔2021〕17号: the lead's report and each co-unit's contribution, per period."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dongcheng.core.db import Base, UTCDateTime


class TaskReport(Base):
    """One unit's filing on one task for one period: ``lead`` (the progress report of the 牵头责任部门) or
    ``contribution`` (a co-unit's part). The task is named by its clause key (``三（二）4``, data/supervision/tasks.yaml)."""

    __tablename__ = "supervision_task_reports"
    __table_args__ = (UniqueConstraint("task_key", "year", "quarter", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_key: Mapped[str] = mapped_column(String(20), index=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # lead | contribution
    progress: Mapped[str] = mapped_column(Text)  # 工作进展
    issues: Mapped[str] = mapped_column(Text, default="")  # 存在问题
    next_steps: Mapped[str] = mapped_column(Text, default="")  # 下步计划
    submitted_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))  # met | late, against the period's due day when filed
    basis: Mapped[str] = mapped_column(String(300))
    recorded_by: Mapped[str] = mapped_column(String(60))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
