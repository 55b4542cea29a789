"""On-site command posts (现场指挥部, 东政发〔2022〕3号 §4.4): commanders, working groups, check-ins, tasks, log."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dongcheng.core.db import Base, UTCDateTime
from dongcheng.core.time import utcnow
from dongcheng.directory.models import Unit


class CommandPost(Base):
    """One per incident, set up by the lead department (§4.4.1 由处置事件主责部门牵头)."""

    __tablename__ = "command_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), unique=True)
    lead_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    location: Mapped[str] = mapped_column(String(300))
    commander_name: Mapped[str] = mapped_column(String(80))  # 总指挥
    commander_post: Mapped[str] = mapped_column(String(120), default="")
    executive_name: Mapped[str] = mapped_column(String(80))  # 执行指挥
    executive_unit: Mapped[str] = mapped_column(String(200))
    set_up_at: Mapped[datetime] = mapped_column(UTCDateTime)
    set_up_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lead_unit: Mapped[Unit] = relationship(lazy="selectin")
    groups: Mapped[list[WorkingGroup]] = relationship(order_by="WorkingGroup.seq", lazy="selectin",
                                                      cascade="all, delete-orphan")
    check_ins: Mapped[list[CheckIn]] = relationship(order_by="(CheckIn.arrived_at, CheckIn.id)", lazy="selectin",
                                                    cascade="all, delete-orphan")
    tasks: Mapped[list[Task]] = relationship(order_by="(Task.assigned_at, Task.id)", lazy="selectin",
                                             cascade="all, delete-orphan")
    log: Mapped[list[LogEntry]] = relationship(order_by="(LogEntry.at, LogEntry.id)", lazy="selectin",
                                               cascade="all, delete-orphan")


class WorkingGroup(Base):
    """One of the nine §4.4.1 working groups, with its leader (组长) and contact (联系人和通信方式)."""

    __tablename__ = "command_post_groups"
    __table_args__ = (UniqueConstraint("post_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("command_posts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(20))
    seq: Mapped[int] = mapped_column(Integer)  # position in §4.4.1
    leader: Mapped[str] = mapped_column(String(80))
    contact_person: Mapped[str] = mapped_column(String(80))
    contact_means: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(60))


class CheckIn(Base):
    """报到: a force arriving on site reports to the post (§4.4.2)."""

    __tablename__ = "command_post_check_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("command_posts.id", ondelete="CASCADE"), index=True)
    team: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(200))
    headcount: Mapped[int] = mapped_column(Integer)
    arrived_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(60))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Task(Base):
    """受领任务: a task a checked-in force receives from the post (§4.4.2)."""

    __tablename__ = "command_post_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("command_posts.id", ondelete="CASCADE"), index=True)
    check_in_id: Mapped[int] = mapped_column(ForeignKey("command_post_check_ins.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    assigned_by: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | done
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by: Mapped[str | None] = mapped_column(String(60))
    done_note: Mapped[str] = mapped_column(Text, default="")

    check_in: Mapped[CheckIn] = relationship(lazy="selectin")


class LogEntry(Base):
    """The post's timestamped log: entries written by people, and one line per recorded action."""

    __tablename__ = "command_post_log_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("command_posts.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    author: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(10), default="entry")  # entry (written) | event (recorded action)
    text: Mapped[str] = mapped_column(Text)
