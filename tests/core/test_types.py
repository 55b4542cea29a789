"""core.types: the one range check of a day, a year and an instant that every module's request bodies share."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import BaseModel, ValidationError

from dongcheng.core.types import Day, Instant, Year
from dongcheng.core.validation import field_errors


class _Body(BaseModel):
    on: Day | None = None
    year: Year | None = None
    at: Instant | None = None


def _refused(**fields) -> dict[str, tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        _Body.model_validate(fields)
    return {e.field: (e.zh, e.en) for e in field_errors(caught.value.errors())}


@pytest.mark.parametrize("day", ["1999-12-31", "2100-01-01"])
def test_a_day_outside_2000_to_2099_is_refused_by_name(day):
    zh, en = _refused(on=day)["on"]
    assert "2000 年至 2099 年" in zh and "between 2000 and 2099" in en


@pytest.mark.parametrize("day", ["2000-01-01", "2099-12-31"])
def test_the_first_and_last_day_are_taken(day):
    assert _Body.model_validate({"on": day}).on == date.fromisoformat(day)


@pytest.mark.parametrize(("year", "taken"), [(1999, False), (2000, True), (2099, True), (2100, False)])
def test_a_year_between_2000_and_2099(year, taken):
    if taken:
        assert _Body.model_validate({"year": year}).year == year
    else:
        assert "year" in _refused(year=year)


def test_an_instant_needs_its_zone_and_is_handed_on_in_utc():
    assert _refused(at="2026-12-02T08:00:00")["at"][0] == "时间须带时区"
    assert _Body.model_validate({"at": "2026-12-02T08:00:00+08:00"}).at == datetime(2026, 12, 2, 0, 0, tzinfo=UTC)
    assert "at" in _refused(at="0001-01-01T00:00:00+14:00")  # would overflow in UTC: refused, not a 500
