"""Validated value types shared by every module: instants and days in a sane range, the largest database id
(api/params.Id)."""
from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
MAX_ID = 2_147_483_647  # INTEGER on PostgreSQL; SQLite rejects larger Python ints too


def _in_range(value: datetime) -> datetime:
    try:
        utc = value.astimezone(UTC)
    except (OverflowError, ValueError):
        utc = None
    if utc is None or not EARLIEST <= utc < LATEST:
        raise ValueError("时间须在 2000 年至 2100 年之间 / must be between 2000 and 2100")
    return utc


Instant = Annotated[AwareDatetime, AfterValidator(_in_range)]
"""An ISO 8601 time with offset, between 2000 and 2100, handed on in UTC."""


def _a_day(value: date) -> date:
    if not EARLIEST.date() <= value < LATEST.date():
        raise ValueError("日期须在 2000 年至 2099 年之间 / the date must be between 2000 and 2099")
    return value


Day = Annotated[date, AfterValidator(_a_day)]
"""A calendar day (ISO 8601 date) between 2000-01-01 and 2099-12-31."""

Year = Annotated[int, Field(ge=2000, le=2099)]
"""A calendar year in a request body, 2000–2099 (the same range as Day)."""
