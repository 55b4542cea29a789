"""The district's intangible cultural heritage list: its batches and their items (东政发〔2022〕2号; SPEC §2.6)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dongcheng.core.db import Base


class HeritageBatch(Base):
    """A batch (第N批) of the 区级非物质文化遗产代表性项目名录. The gazette lists the 7th; of batches 1–6 it says only
    that they exist (共产生七批名录) and that the first list came in 2007, so their other fields stay empty."""

    __tablename__ = "heritage_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)  # 第七批 → 7
    year: Mapped[int | None] = mapped_column(Integer)
    document: Mapped[str] = mapped_column(String(40), default="")  # the notice that published it, 东政发〔2022〕2号
    title: Mapped[str] = mapped_column(String(300), default="")
    approved_on: Mapped[date | None] = mapped_column(Date)  # 2022年1月11日
    approved_by: Mapped[str] = mapped_column(String(60), default="")  # 区政府专题会
    published_on: Mapped[date | None] = mapped_column(Date)  # 成文日期
    item_count: Mapped[int | None] = mapped_column(Integer)  # 共计确定30个项目; None where the gazette does not say
    # What the notice says of the whole list as of this batch (共产生七批名录，225个项目), on the batch that says it.
    batches_to_date: Mapped[int | None] = mapped_column(Integer)
    items_to_date: Mapped[int | None] = mapped_column(Integer)
    clause: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")

    items: Mapped[list[HeritageItem]] = relationship(order_by="HeritageItem.seq", lazy="raise",
                                                     back_populates="batch", passive_deletes=True)


class HeritageItem(Base):
    """A row of a batch's table: 序号, 项目类别, 项目名称, 申报单位, as printed."""

    __tablename__ = "heritage_items"
    __table_args__ = (UniqueConstraint("batch_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("heritage_batches.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)  # 序号
    category: Mapped[str] = mapped_column(String(20), index=True)  # 项目类别
    name: Mapped[str] = mapped_column(String(100))  # 项目名称
    applicant: Mapped[str] = mapped_column(String(200))  # 申报单位
    clause: Mapped[str] = mapped_column(String(200))

    batch: Mapped[HeritageBatch] = relationship(back_populates="items", lazy="raise")
