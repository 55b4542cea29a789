"""Request bodies of the network API; each bad field is named in the 422 answer."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from dongcheng.core.types import Day


class RecordIn(BaseModel):
    """A station's state on a day (三（二）4): planned, site_selected, started (the centre), new_built, upgraded,
    existing."""

    model_config = ConfigDict(extra="forbid")

    state: Literal["planned", "site_selected", "started", "new_built", "upgraded", "existing"]
    on: Day | None = None
    note: Annotated[str, Field(max_length=1000)] = ""
