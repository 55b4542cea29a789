"""A year's schedule as the State Council publishes it (国务院办公厅关于某年部分节假日安排的通知), as a request body or
the YAML file of ``dongcheng calendar load``::

    year: 2027
    source: 国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔……〕……号）
    holidays:                       # 放假
      - {name: 元旦, from: 2027-01-01, to: 2027-01-03}
    working_days: [2027-02-07]      # 调休上班 (weekend days worked)
"""
from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class HolidayIn(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str = Field(min_length=1, max_length=40)
    first: date = Field(alias="from")
    last: date = Field(alias="to")


class ScheduleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=2000, le=2100)
    source: str = Field(min_length=4, max_length=300, description="the State Council notice it is transcribed from")
    holidays: list[HolidayIn] = Field(min_length=1, max_length=40)
    working_days: list[date] = Field(default_factory=list, max_length=40)
