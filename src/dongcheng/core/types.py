"""Validated value types shared by every module: instants in a sane range, the largest database id (api/params.Id)."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime

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
