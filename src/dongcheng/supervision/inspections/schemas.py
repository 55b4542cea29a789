"""Request bodies of the 双随机 inspections API; each bad field is named in the 422 answer."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from dongcheng.core.types import Day

Share = Annotated[str, Field(min_length=1, max_length=12, description="decimal 0–1, e.g. 0.30")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InspectorIn(Strict):
    name: Annotated[str, Field(min_length=2, max_length=60)]
    badge_no: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[0-9A-Za-z-]+$")]
    unit: Annotated[str, Field(min_length=1, max_length=50)] = "区卫生健康监督所"


class InspectorPatch(Strict):
    active: bool


class ConflictIn(Strict):
    """申报利益冲突: the inspector is then never drawn for the institution."""

    institution_id: Annotated[int, Field(ge=1, le=2**31 - 1)]
    reason: Annotated[str, Field(min_length=1, max_length=1000)]
    declared_on: Day | None = None


class ConflictWithdrawal(Strict):
    """撤回利益冲突申报: why the conflict no longer stands (e.g. the relative has left the institution)."""

    reason: Annotated[str, Field(max_length=1000, description="required: a blank one is the rule's 422")] = ""


class Proportions(Strict):
    high: Share
    medium: Share
    low: Share


class PlanIn(Strict):
    title: Annotated[str, Field(min_length=2, max_length=120)]
    items: Annotated[list[Annotated[str, Field(min_length=1, max_length=20)]], Field(min_length=1, max_length=50)]
    proportions: Proportions | None = None  # default: data/supervision/inspection_policy.yaml
    inspectors_per_inspection: Annotated[int, Field(ge=1, le=10)] | None = None
    publication_delay: Annotated[int, Field(ge=0, le=60, description="working days after closing")] | None = None
    seed: Annotated[str | None, Field(min_length=16, max_length=128, pattern=r"^[0-9A-Za-z._-]+$",
                                      description="a public seed (e.g. a lottery draw); default: 256 random bits")] = None


class ResultIn(Strict):
    result: Literal["compliant", "rectify", "case", "closed"]
    note: Annotated[str, Field(max_length=2000)] = ""
    on: Day | None = None
