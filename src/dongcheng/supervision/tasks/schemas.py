"""Request bodies of the task API (东政办发〔2021〕17号); each bad field is named in the 422 answer."""
from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from dongcheng.core.types import Year


def _not_blank(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("不能为空 / must not be blank")
    return value


Quarter = Annotated[int, Field(ge=1, le=4)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReportIn(Strict):
    """The lead's progress report for a period (季度进展, platform default)."""

    year: Year
    quarter: Quarter
    progress: Annotated[str, Field(min_length=1, max_length=4000, description="工作进展"), AfterValidator(_not_blank)]
    issues: Annotated[str, Field(max_length=2000, description="存在问题")] = ""
    next_steps: Annotated[str, Field(max_length=2000, description="下步计划")] = ""


class ContributionIn(Strict):
    """A co-unit's contribution for a period."""

    year: Year
    quarter: Quarter
    progress: Annotated[str, Field(min_length=1, max_length=4000, description="配合工作情况"),
                        AfterValidator(_not_blank)]
