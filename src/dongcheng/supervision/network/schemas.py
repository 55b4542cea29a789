"""Request bodies of the network API; each bad field is named in the 422 answer."""
from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _in_range(value: date) -> date:
    if not date(2000, 1, 1) <= value <= date(2099, 12, 31):
        raise ValueError("日期须在 2000 年至 2099 年之间 / the date must be between 2000 and 2099")
    return value


class RecordIn(BaseModel):
    """A station's state on a day (三（二）4): planned, site_selected, started (the centre), new_built, upgraded,
    existing."""

    model_config = ConfigDict(extra="forbid")

    state: Literal["planned", "site_selected", "started", "new_built", "upgraded", "existing"]
    on: Annotated[date, AfterValidator(_in_range)] | None = None
    note: Annotated[str, Field(max_length=1000)] = ""
