"""Times are stored in UTC and shown in Asia/Shanghai."""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    return datetime.now(UTC)


def ensure_utc(value: datetime) -> datetime:
    """Aware datetimes are converted; naive ones are taken as UTC (how the database hands them back)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def to_local(value: datetime) -> datetime:
    return ensure_utc(value).astimezone(BEIJING)


def today_local() -> date:
    return utcnow().astimezone(BEIJING).date()
