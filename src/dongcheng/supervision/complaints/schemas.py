"""Request bodies of the 12345 complaints API; each bad field is named in the 422 answer."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from dongcheng.core.types import Instant

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
