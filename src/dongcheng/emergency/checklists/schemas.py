"""Request bodies of the checklist API (东政发〔2022〕3号 §4.5)."""
from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

ListKey = Literal["natural_and_accident", "public_health", "social_security"]


class ChecklistIn(BaseModel):
    """Create the incident's checklist; ``list`` chooses it explicitly (otherwise by the incident's category)."""

    model_config = ConfigDict(extra="forbid")

    list: ListKey | None = Field(default=None, description="natural_and_accident (§4.5.1) | public_health (§4.5.2) | "
                                                           "social_security (§4.5.3); default: by category")

    @field_validator("list", mode="before")
    @classmethod
    def _short_name(cls, value):
        # the reference list's full name (disposal_measures.public_health) is accepted too
        return value.removeprefix("disposal_measures.") if isinstance(value, str) else value


class TickIn(BaseModel):
    """Tick (done: true) or un-tick (done: false, with the reason in ``note``)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    done: bool
    note: str = Field(default="", max_length=4000)
    at: AwareDatetime | None = None
