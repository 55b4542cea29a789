"""Request bodies of the 12345 complaints API; each bad field is named in the 422 answer."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("时间须带时区（如 +08:00） / the time needs a zone")
    if not 2000 <= value.year <= 2099:
        raise ValueError("时间须在 2000 年至 2099 年之间 / the time must be between 2000 and 2099")
    return value


Instant = Annotated[datetime, AfterValidator(_aware)]
Text = Annotated[str, Field(min_length=1, max_length=4000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ComplaintIn(Strict):
    """受理 a 12345 ticket: it names an institution or a street (or both)."""

    source: Literal["12345"] = "12345"
    ticket_no: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[0-9A-Za-z-]+$")]
    institution_id: Annotated[int | None, Field(ge=1, le=2**31 - 1)] = None
    street: Annotated[str | None, Field(min_length=1, max_length=50)] = None
    content: Text
    received_at: Instant
    assign_to: Annotated[str | None, Field(min_length=1, max_length=50, description="承办单位 (派单 at once)")] = None


class AssignIn(Strict):
    unit: Annotated[str, Field(min_length=1, max_length=50)]
    at: Instant | None = None


class RespondIn(Strict):
    response: Text
    at: Instant | None = None


class VisitIn(Strict):
    """回访: the caller says whether the matter is resolved and whether they are satisfied."""

    resolved: bool
    satisfied: bool
    at: Instant | None = None


Month = Annotated[int, Field(ge=1, le=12)]
Format = Literal["json", "xlsx"]
