"""Recorded progress of the first-aid network (东政办发〔2021〕17号 三（二）4): a station's state on a day."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dongcheng.core.db import Base, UTCDateTime


class StationRecord(Base):
    """A station (``s01``…``s17``, ``centre``: data/supervision/network.yaml) reached a state on a day."""

    __tablename__ = "supervision_station_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    station_key: Mapped[str] = mapped_column(String(20), index=True)
    state: Mapped[str] = mapped_column(String(20))
    day: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(80))  # who recorded it (the 区卫生健康委 or the street)
    basis: Mapped[str] = mapped_column(String(300))
    recorded_by: Mapped[str] = mapped_column(String(60))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
