"""The holiday schedules an admin loaded (table ``working_day_schedule``): only the days that break the ordinary week."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from dongcheng.core.db import Base, UTCDateTime


class ScheduleDay(Base):
    """One exception to the ordinary week in a loaded year: a holiday (放假) or a make-up working day (调休上班)."""

    __tablename__ = "working_day_schedule"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    working: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(40), default="")
    source: Mapped[str] = mapped_column(String(300))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    loaded_by: Mapped[str] = mapped_column(String(60))
