"""Request bodies of the warning API (SPEC §4). Names and values are the gazette's."""
from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from dongcheng.emergency.warnings.enums import Level


class WarningCreate(BaseModel):
    """A draft by the caller's unit. Every §3.2.4 element may be left empty in a draft; approval needs them all."""

    model_config = ConfigDict(extra="ignore")

    level: Level
    event_type: str | None = Field(None, max_length=200, description="one of the 36 types of table §2.3.6")
    title: str = Field(min_length=1, max_length=200)
    starts_at: AwareDatetime | None = None
    expected_duration_hours: float | None = Field(None, gt=0, le=24 * 366)
    area_streets: list[str] = Field(default_factory=list, max_length=40)
    precautions: str = Field("", max_length=4000, description="警示事项")
    measures: str = Field("", max_length=4000, description="应采取的措施")
    public: bool = True


class WarningUpdate(BaseModel):
    """Edit a draft (only while it is a draft)."""

    model_config = ConfigDict(extra="ignore")

    level: Level | None = None
    event_type: str | None = Field(None, max_length=200)
    title: str | None = Field(None, min_length=1, max_length=200)
    starts_at: AwareDatetime | None = None
    expected_duration_hours: float | None = Field(None, gt=0, le=24 * 366)
    area_streets: list[str] | None = Field(None, max_length=40)
    precautions: str | None = Field(None, max_length=4000)
    measures: str | None = Field(None, max_length=4000)
    public: bool | None = None


class LevelChange(BaseModel):
    level: Level
    reason: str = Field("", max_length=2000)


class Lift(BaseModel):
    reason: str = Field("", max_length=2000)


class Return(BaseModel):
    reason: str = Field(min_length=1, max_length=2000, description="退回理由")


class ChecklistTick(BaseModel):
    note: str = Field("", max_length=2000)


class SubscriberCreate(BaseModel):
    kind: str = Field("resident", pattern="^(resident|unit)$")
    name: str = Field(min_length=1, max_length=120)
    street: str = Field(min_length=1, max_length=40)
    contact: str = Field("", max_length=200)
    channels: list[str] = Field(default_factory=lambda: ["手机短信"], min_length=1, max_length=13)
    vulnerable_groups: list[str] = Field(default_factory=list, max_length=5)
    special_place: str | None = Field(None, max_length=20)
    blind_spot: bool = False


class SubscriberUpdate(BaseModel):
    """Change a subscriber's contact, channels or §3.2.8 targeting flags; omitted fields stay as they are."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=120)
    street: str | None = Field(None, min_length=1, max_length=40)
    contact: str | None = Field(None, max_length=200)
    channels: list[str] | None = Field(None, min_length=1, max_length=13)
    vulnerable_groups: list[str] | None = Field(None, max_length=5)
    special_place: str | None = Field(None, max_length=20)
    blind_spot: bool | None = None


class Unsubscribe(BaseModel):
    reason: str = Field("", max_length=500)


__all__ = ["ChecklistTick", "LevelChange", "Lift", "Return", "SubscriberCreate", "SubscriberUpdate", "Unsubscribe",
           "WarningCreate", "WarningUpdate"]
