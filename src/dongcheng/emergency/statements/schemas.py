"""Request bodies of the statement API (东政发〔2022〕3号 §4.7.1)."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Topic = Literal["事件原因", "伤亡数字", "责任追究"]


class StatementIn(BaseModel):
    """A draft statement; ``topics`` declares which restricted topics of §4.7.1 it touches (the text is checked too)."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=20_000)
    topics: list[Topic] = Field(default_factory=list, max_length=3)
