"""What the heritage API returns (SPEC §4: JSON, names exactly as in the gazette, dates ISO 8601)."""
from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, Field

from dongcheng.heritage.rules import Category

# Query parameters of the list (API and page): a bad one is a 422 naming it.
SearchText = Annotated[str, Query(max_length=50, description="part of a 项目名称 or 申报单位, e.g. 烤鸭 or 崇文门外街道")]
CategoryFilter = Annotated[Category | None, Query(description="one of the 7 项目类别")]
BatchFilter = Annotated[int | None, Query(ge=1, le=99, description="batch number, e.g. 7 (第七批)")]


class BatchOut(BaseModel):
    number: int = Field(description="第N批 → N")
    label: str = Field(description="第七批")
    year: int | None
    document: str | None = Field(description="the notice that published the batch, e.g. 东政发〔2022〕2号")
    title: str | None
    approved_on: date | None = Field(description="审议通过, e.g. 2022-01-11")
    approved_by: str | None = Field(description="e.g. 区政府专题会")
    published_on: date | None = Field(description="the notice's 成文日期")
    items: int | None = Field(description="how many items the batch has (共计确定30个项目); null where not stated")
    listed_items: int = Field(description="how many of them the platform lists")
    basis: str
    note: str


class BatchesOut(BaseModel):
    total_batches: int | None = Field(description="共产生七批名录 → 7")
    total_items: int | None = Field(description="225个项目 → 225")
    first_year: int | None = Field(description="the first district list, 2007")
    listed_items: int
    categories: list[str] = Field(description="the 7 categories, in the notice's order")
    basis: str
    batches: list[BatchOut]


class ItemOut(BaseModel):
    id: int
    batch: int = Field(description="batch number (7)")
    seq: int = Field(description="序号 in the batch's table")
    category: str = Field(description="项目类别")
    name: str = Field(description="项目名称, as printed")
    applicant: str = Field(description="申报单位, as printed")
    basis: str = Field(description="e.g. 东政发〔2022〕2号 名录第1项")
    basis_url: str = Field(description="the notice in the gazette")
    url: str
