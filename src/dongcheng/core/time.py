"""Times are stored in UTC and shown in Asia/Shanghai."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dongcheng.core.basis import platform_default

BEIJING = ZoneInfo("Asia/Shanghai")
# A time given as "when it happened" may run this far ahead of the server's clock (a desk PC a little fast); beyond it
# the input is refused as in the future. The text gives no tolerance.
CLOCK_SKEW = timedelta(minutes=2)
CLOCK_SKEW_DEFAULT = platform_default("clock_skew", "时间不能晚于当前时间，容许服务器时钟误差2分钟")


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
