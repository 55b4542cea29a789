"""Tables of 应急保障 (东政发〔2022〕3号 §6): stock (warehouses, items, lots, movements, counts, scrapping), material
dispatch (§6.4.3), the registries (§6.2.2), team call-ups (§6.1.2)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dongcheng.core.db import Base, UTCDateTime
from dongcheng.core.time import utcnow
from dongcheng.directory.models import Unit

# --- stock (应急物资库) -------------------------------------------------------------------------------------------


class Warehouse(Base):
    """A reserve warehouse (储备库) and the unit that keeps it."""

    __tablename__ = "prep_warehouses"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    street_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner_unit: Mapped[Unit] = relationship(foreign_keys=[owner_unit_id], lazy="selectin")
    street: Mapped[Unit | None] = relationship(foreign_keys=[street_unit_id], lazy="selectin")


class CatalogueItem(Base):
    """A catalogue item (物资目录): unit of measure, minimum level (district-wide), the unit that keeps the reserve."""

    __tablename__ = "prep_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    category: Mapped[str] = mapped_column(String(60), default="")
    unit_of_measure: Mapped[str] = mapped_column(String(20))
    min_level: Mapped[int] = mapped_column(Integer, default=0)
    reserve_kind: Mapped[str] = mapped_column(String(10), default="实物储备")  # §6.4.1 实物储备 | 产能储备
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner_unit: Mapped[Unit] = relationship(lazy="selectin")


class StockLot(Base):
    """A lot (批次) of an item in a warehouse, with its expiry; its balance is the sum of its movements."""

    __tablename__ = "prep_lots"
    __table_args__ = (UniqueConstraint("warehouse_id", "item_id", "lot_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("prep_warehouses.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("prep_items.id"), index=True)
    lot_no: Mapped[str] = mapped_column(String(60))
    expires_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item: Mapped[CatalogueItem] = relationship(lazy="selectin")
    warehouse: Mapped[Warehouse] = relationship(lazy="selectin")


class StockMovement(Base):
    """One movement of a lot (signed quantity); rows are only ever added."""

    __tablename__ = "prep_movements"
    __table_args__ = (CheckConstraint("quantity <> 0", name="movement_nonzero"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("prep_lots.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(60))
    basis: Mapped[str] = mapped_column(String(300))
    reason: Mapped[str] = mapped_column(Text, default="")
    dispatch_id: Mapped[int | None] = mapped_column(ForeignKey("prep_dispatches.id"), index=True)
    count_id: Mapped[int | None] = mapped_column(ForeignKey("prep_counts.id"))
    scrap_id: Mapped[int | None] = mapped_column(ForeignKey("prep_scraps.id"))
    transfer_ref: Mapped[str | None] = mapped_column(String(40))


class StockCount(Base):
    """盘点: a count of a warehouse on a day; each line counted vs booked per lot."""

    __tablename__ = "prep_counts"

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("prep_warehouses.id"), index=True)
    counted_on: Mapped[date] = mapped_column(Date)
    counted_by: Mapped[str] = mapped_column(String(60))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lines: Mapped[list[StockCountLine]] = relationship(order_by="StockCountLine.id", lazy="selectin",
                                                       cascade="all, delete-orphan")


class StockCountLine(Base):
    __tablename__ = "prep_count_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("prep_counts.id", ondelete="CASCADE"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("prep_lots.id"))
    booked: Mapped[int] = mapped_column(Integer)
    counted: Mapped[int] = mapped_column(Integer)

    lot: Mapped[StockLot] = relationship(lazy="selectin")


class StockScrap(Base):
    """报废: proposed by the warehouse's unit, approved by the 区应急办; the approval books the movement."""

    __tablename__ = "prep_scraps"

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("prep_lots.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | approved | refused
    version: Mapped[int] = mapped_column(Integer, default=1)
    proposed_by: Mapped[str] = mapped_column(String(60))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(60))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    lot: Mapped[StockLot] = relationship(lazy="selectin")


# --- material dispatch (§6.4.3) -------------------------------------------------------------------------------------


class DispatchRequest(Base):
    """An 应急物资需求 and, once approved, the 调拨指令 it becomes (numbered per year)."""

    __tablename__ = "prep_dispatches"
    __table_args__ = (UniqueConstraint("number_year", "number_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)
    origin: Mapped[str] = mapped_column(String(20))
    requesting_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    requesting_party: Mapped[str] = mapped_column(String(200), default="")  # the city body / district, as written
    purpose: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    number_year: Mapped[int | None] = mapped_column(Integer)
    number_seq: Mapped[int | None] = mapped_column(Integer)
    approved_by: Mapped[str | None] = mapped_column(String(60))
    approved_post: Mapped[str | None] = mapped_column(String(120))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("prep_warehouses.id"))
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_reason: Mapped[str] = mapped_column(Text, default="")
    entered_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    requesting_unit: Mapped[Unit | None] = relationship(lazy="selectin")
    lines: Mapped[list[DispatchLine]] = relationship(order_by="DispatchLine.id", lazy="selectin",
                                                     cascade="all, delete-orphan")


class DispatchLine(Base):
    __tablename__ = "prep_dispatch_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="dispatch_line_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dispatch_id: Mapped[int] = mapped_column(ForeignKey("prep_dispatches.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("prep_items.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    destination: Mapped[str] = mapped_column(String(300))
    needed_by: Mapped[datetime] = mapped_column(UTCDateTime)
    issued: Mapped[int | None] = mapped_column(Integer)
    received: Mapped[int | None] = mapped_column(Integer)

    item: Mapped[CatalogueItem] = relationship(lazy="selectin")


class DispatchEvent(Base):
    """The order's timeline: each step, who, on what basis."""

    __tablename__ = "prep_dispatch_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    dispatch_id: Mapped[int] = mapped_column(ForeignKey("prep_dispatches.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(60))
    status_after: Mapped[str] = mapped_column(String(20))
    basis: Mapped[str] = mapped_column(String(300))
    note: Mapped[str] = mapped_column(Text, default="")


class DispatchCounter(Base):
    """The last dispatch-order number of a year (incremented in one UPDATE … RETURNING: no two orders share one)."""

    __tablename__ = "prep_dispatch_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


# --- registries (§6.2.2) -------------------------------------------------------------------------------------------


class Hazard(Base):
    """风险与隐患监控数据库: a hazard or risk source, its grade, owner unit and inspections."""

    __tablename__ = "prep_hazards"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    street_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    address: Mapped[str] = mapped_column(String(300))
    risk_grade: Mapped[str] = mapped_column(String(10), index=True)
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    last_inspected_on: Mapped[date | None] = mapped_column(Date)
    next_due_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(60), default="")

    street: Mapped[Unit] = relationship(foreign_keys=[street_unit_id], lazy="selectin")
    owner_unit: Mapped[Unit] = relationship(foreign_keys=[owner_unit_id], lazy="selectin")


class Team(Base):
    """应急队伍库: a team of one of the §6.1 kinds."""

    __tablename__ = "prep_teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    size: Mapped[int] = mapped_column(Integer)
    equipment: Mapped[str] = mapped_column(Text, default="")
    contact_person: Mapped[str] = mapped_column(String(80), default="")  # personal data
    contact_phone: Mapped[str] = mapped_column(String(40), default="")  # personal data
    readiness: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(60), default="")

    owner_unit: Mapped[Unit] = relationship(lazy="selectin")


class Expert(Base):
    """应急专家库: an expert of a §6.1.6 field."""

    __tablename__ = "prep_experts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    field: Mapped[str] = mapped_column(String(20), index=True)
    speciality: Mapped[str] = mapped_column(String(200), default="")
    employer: Mapped[str] = mapped_column(String(200), default="")  # 工作单位
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # the unit keeping the record
    contact_phone: Mapped[str] = mapped_column(String(40), default="")  # personal data
    availability: Mapped[str] = mapped_column(String(10))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(60), default="")

    owner_unit: Mapped[Unit] = relationship(lazy="selectin")


class Shelter(Base):
    """应急避难场所库: a shelter, its capacity, occupancy and whether the 区政府 has opened it (§6.7)."""

    __tablename__ = "prep_shelters"
    __table_args__ = (CheckConstraint("occupancy >= 0 AND occupancy <= capacity", name="shelter_occupancy"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    street_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    address: Mapped[str] = mapped_column(String(300))
    capacity: Mapped[int] = mapped_column(Integer)
    occupancy: Mapped[int] = mapped_column(Integer, default=0)
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="closed")  # closed | open
    version: Mapped[int] = mapped_column(Integer, default=1)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opened_by: Mapped[str | None] = mapped_column(String(60))  # who recorded it
    decided_by: Mapped[str | None] = mapped_column(String(120))  # the district leader (post) whose decision it is
    opened_basis: Mapped[str | None] = mapped_column(String(300))
    opened_reason: Mapped[str] = mapped_column(Text, default="")
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(60), default="")

    street: Mapped[Unit] = relationship(foreign_keys=[street_unit_id], lazy="selectin")
    owner_unit: Mapped[Unit] = relationship(foreign_keys=[owner_unit_id], lazy="selectin")


class KnowledgeEntry(Base):
    """辅助决策知识库: an entry with its category, linked event types and plans."""

    __tablename__ = "prep_knowledge"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(60), index=True)
    body: Mapped[str] = mapped_column(Text)
    event_types: Mapped[list] = mapped_column(JSON, default=list)
    plans: Mapped[list] = mapped_column(JSON, default=list)
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(60), default="")

    owner_unit: Mapped[Unit] = relationship(lazy="selectin")


# --- team call-up (§6.1.2) ------------------------------------------------------------------------------------------


class TeamCallUp(Base):
    """调用: a registry team called for an incident; its arrival is the command post's check-in (§4.4.2)."""

    __tablename__ = "prep_call_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("prep_teams.id"), index=True)
    called_by: Mapped[str] = mapped_column(String(60))
    called_by_unit: Mapped[str] = mapped_column(String(200), default="")
    called_at: Mapped[datetime] = mapped_column(UTCDateTime)
    other_district: Mapped[str | None] = mapped_column(String(40))  # 京内其他区
    city_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    city_requester: Mapped[str] = mapped_column(String(200), default="")
    reported_to_office_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    report_text: Mapped[str] = mapped_column(Text, default="")
    task: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="called")  # called | arrived
    check_in_id: Mapped[int | None] = mapped_column(ForeignKey("command_post_check_ins.id"))
    basis: Mapped[str] = mapped_column(String(300))

    team: Mapped[Team] = relationship(lazy="selectin")


class Requisition(Base):
    """征用 (§6.4.5): property of a unit or person taken in the government's name; returned and compensated
    (突发事件应对法 第十二条)."""

    __tablename__ = "prep_requisitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)
    owner_name: Mapped[str] = mapped_column(String(200))  # the unit or person
    owner_contact: Mapped[str] = mapped_column(String(80), default="")  # personal data
    kind: Mapped[str] = mapped_column(String(10))
    description: Mapped[str] = mapped_column(Text)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    decided_by: Mapped[str] = mapped_column(String(120))
    recorded_by: Mapped[str] = mapped_column(String(60))
    requisitioned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="requisitioned", index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    condition: Mapped[str | None] = mapped_column(String(10))
    compensation_yuan: Mapped[float | None] = mapped_column(Numeric(14, 2))
    compensated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")
