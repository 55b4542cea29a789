"""Units, people, posts, tenures (appointments) and leaders' portfolios (东政办发〔2021〕18号, 东政任 notices)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dongcheng.core.db import Base


class Unit(Base):
    """A district organ, special HQ, street / key area sub-command, or city unit."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)  # short name as the emergency plan writes it
    full_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    clause: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    # Its staff act as the 区应急办 (区应急办设在区应急局, §2.2.1): from data/directory/units.yaml, read everywhere.
    emergency_office: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    parent: Mapped[Unit | None] = relationship(remote_side="Unit.id", lazy="raise")


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)


class Post(Base):
    """A post: a leader seat (区长, 常务副区长, 副区长 …) or a unit post (区教育委员会 副主任)."""

    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20))  # leader | unit
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    full_title: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    clause: Mapped[str] = mapped_column(String(200), default="")

    unit: Mapped[Unit | None] = relationship(lazy="raise")


class Tenure(Base):
    """A person holding a post over [starts_on, ends_on); either end may be unknown (None)."""

    __tablename__ = "tenures"
    __table_args__ = (UniqueConstraint("source_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)  # first day no longer held
    concurrent: Mapped[bool] = mapped_column(Boolean, default=False)  # 兼
    probation_ends_on: Mapped[date | None] = mapped_column(Date)  # 试用期一年: last day of probation
    secondment_ends_on: Mapped[date | None] = mapped_column(Date)  # 挂职: last day, then 到期自动免职
    rank_note: Mapped[str] = mapped_column(String(40), default="")
    appointed_by: Mapped[str] = mapped_column(String(80), default="")  # document number
    appointed_text: Mapped[str] = mapped_column(Text, default="")
    removed_by: Mapped[str] = mapped_column(String(80), default="")
    removed_text: Mapped[str] = mapped_column(Text, default="")
    source_key: Mapped[str | None] = mapped_column(String(120))  # "<document>#<seq>" for rows from the gazette

    person: Mapped[Person] = relationship(lazy="raise")
    post: Mapped[Post] = relationship(lazy="raise")


class PortfolioEntry(Base):
    """One line of a leader seat's portfolio: 负责 / 协助负责 / 分管 / 协助分管 / 联系."""

    __tablename__ = "portfolio_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    relation: Mapped[str] = mapped_column(String(10))
    seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(200))  # as printed in the division of work
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    unit_kind: Mapped[str | None] = mapped_column(String(40))  # "各街道办事处" covers every unit of a kind
    clause: Mapped[str] = mapped_column(String(200))
    # Held over [starts_on, ends_on) — a later division of work (confirmed from the gazette) moves a line from a date;
    # None: since the division the data files transcribe / still held.
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)

    post: Mapped[Post] = relationship(lazy="raise")
    unit: Mapped[Unit | None] = relationship(lazy="raise")
