"""Every query of the preparedness module: stock and its ledger, dispatch orders, registries, call-ups."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from dongcheng.core.db import get_or_404
from dongcheng.directory.models import Unit
from dongcheng.emergency.preparedness.models import (
    CatalogueItem,
    DispatchCounter,
    DispatchEvent,
    DispatchRequest,
    Expert,
    Hazard,
    KnowledgeEntry,
    Requisition,
    Shelter,
    StockCount,
    StockLot,
    StockMovement,
    StockScrap,
    Team,
    TeamCallUp,
    Warehouse,
)

# --- stock ---------------------------------------------------------------------------------------------------------


def warehouse(session: Session, warehouse_id: int) -> Warehouse:
    return get_or_404(session, Warehouse, warehouse_id, "仓库", "warehouse")


def item(session: Session, item_id: int) -> CatalogueItem:
    return get_or_404(session, CatalogueItem, item_id, "物资", "catalogue item")


def find_item(session: Session, item_id: int) -> CatalogueItem | None:
    return session.get(CatalogueItem, item_id)


def lot(session: Session, lot_id: int, *, for_update: bool = False) -> StockLot:
    stmt = select(StockLot).where(StockLot.id == lot_id)
    if for_update:
        stmt = stmt.with_for_update(of=StockLot)
    row = session.scalar(stmt)
    if row is None:
        return get_or_404(session, StockLot, lot_id, "批次", "lot")
    return row


def scrap(session: Session, scrap_id: int) -> StockScrap:
    return get_or_404(session, StockScrap, scrap_id, "报废申请", "scrapping")


def warehouses(session: Session) -> list[Warehouse]:
    return list(session.scalars(select(Warehouse).order_by(Warehouse.id)))


def items(session: Session) -> list[CatalogueItem]:
    return list(session.scalars(select(CatalogueItem).order_by(CatalogueItem.category, CatalogueItem.name)))


def item_named(session: Session, name: str) -> CatalogueItem | None:
    return session.scalar(select(CatalogueItem).where(CatalogueItem.name == name))


def warehouse_named(session: Session, name: str) -> Warehouse | None:
    return session.scalar(select(Warehouse).where(Warehouse.name == name))


def lot_of(session: Session, warehouse_id: int, item_id: int, lot_no: str) -> StockLot | None:
    return session.scalar(select(StockLot).where(StockLot.warehouse_id == warehouse_id, StockLot.item_id == item_id,
                                                 StockLot.lot_no == lot_no))


def lock_lots(session: Session, warehouse_id: int, item_id: int) -> list[StockLot]:
    """The lots of an item in a warehouse, locked (FOR UPDATE, in id order so two issuers never deadlock): a second
    issuer waits here until the first commits, then reads the balance the first left."""
    return list(session.scalars(select(StockLot).where(StockLot.warehouse_id == warehouse_id,
                                                       StockLot.item_id == item_id)
                                .order_by(StockLot.id).with_for_update(of=StockLot)
                                .execution_options(populate_existing=True)))


def lock_lots_of(session: Session, warehouse_id: int, lot_ids: list[int]) -> list[StockLot]:
    """The given lots of a warehouse, locked in id order (a 盘点 books them while no one else moves them)."""
    return list(session.scalars(select(StockLot).where(StockLot.warehouse_id == warehouse_id, StockLot.id.in_(lot_ids))
                                .order_by(StockLot.id).with_for_update(of=StockLot)
                                .execution_options(populate_existing=True)))


def balances(session: Session, lot_ids: list[int]) -> dict[int, int]:
    """Each lot's balance: the sum of its movements (a fresh query: never a cached figure)."""
    if not lot_ids:
        return {}
    rows = session.execute(select(StockMovement.lot_id, func.coalesce(func.sum(StockMovement.quantity), 0))
                           .where(StockMovement.lot_id.in_(lot_ids)).group_by(StockMovement.lot_id))
    out = {lot_id: 0 for lot_id in lot_ids}
    out.update({lot_id: int(total) for lot_id, total in rows})
    return out


def stock_rows(session: Session, *, warehouse_id: int | None = None, item_id: int | None = None) -> list[tuple]:
    """(lot, balance) for every lot, balance = sum of movements."""
    total = func.coalesce(func.sum(StockMovement.quantity), 0)
    stmt = (select(StockLot, total).outerjoin(StockMovement, StockMovement.lot_id == StockLot.id)
            .group_by(StockLot.id).order_by(StockLot.warehouse_id, StockLot.item_id, StockLot.expires_on,
                                            StockLot.id))
    if warehouse_id:
        stmt = stmt.where(StockLot.warehouse_id == warehouse_id)
    if item_id:
        stmt = stmt.where(StockLot.item_id == item_id)
    return [(row, int(b)) for row, b in session.execute(stmt)]


def item_totals(session: Session) -> dict[int, int]:
    rows = session.execute(select(StockLot.item_id, func.coalesce(func.sum(StockMovement.quantity), 0))
                           .join(StockMovement, StockMovement.lot_id == StockLot.id).group_by(StockLot.item_id))
    return {item_id: int(total) for item_id, total in rows}


def movements(session: Session, *, lot_id: int | None = None, dispatch_id: int | None = None,
              limit: int = 200) -> list[StockMovement]:
    stmt = select(StockMovement).order_by(StockMovement.at.desc(), StockMovement.id.desc()).limit(limit)
    if lot_id:
        stmt = stmt.where(StockMovement.lot_id == lot_id)
    if dispatch_id:
        stmt = stmt.where(StockMovement.dispatch_id == dispatch_id)
    return list(session.scalars(stmt))


def counts(session: Session, warehouse_id: int) -> list[StockCount]:
    return list(session.scalars(select(StockCount).where(StockCount.warehouse_id == warehouse_id)
                                .order_by(StockCount.counted_on.desc(), StockCount.id.desc())))


def pending_scraps(session: Session) -> list[StockScrap]:
    return list(session.scalars(select(StockScrap).where(StockScrap.status == "pending").order_by(StockScrap.id)))


# --- dispatch ------------------------------------------------------------------------------------------------------


def dispatch(session: Session, dispatch_id: int, *, for_update: bool = False) -> DispatchRequest:
    stmt = select(DispatchRequest).where(DispatchRequest.id == dispatch_id)
    if for_update:
        stmt = stmt.with_for_update(of=DispatchRequest).execution_options(populate_existing=True)
    row = session.scalar(stmt)
    if row is None:
        return get_or_404(session, DispatchRequest, dispatch_id, "调拨单", "dispatch request")
    return row


def dispatches(session: Session, *, status: str | None = None, incident_id: int | None = None,
               limit: int = 200) -> list[DispatchRequest]:
    stmt = select(DispatchRequest).order_by(DispatchRequest.id.desc()).limit(limit)
    if status:
        stmt = stmt.where(DispatchRequest.status == status)
    if incident_id:
        stmt = stmt.where(DispatchRequest.incident_id == incident_id)
    return list(session.scalars(stmt))


def events(session: Session, dispatch_id: int) -> list[DispatchEvent]:
    return list(session.scalars(select(DispatchEvent).where(DispatchEvent.dispatch_id == dispatch_id)
                                .order_by(DispatchEvent.at, DispatchEvent.id)))


def next_number(session: Session, year: int) -> int:
    """The next order number of ``year``: the counter row is created if missing (a concurrent creator is ignored) and
    incremented in one UPDATE … RETURNING, which the database serialises — no two orders get the same number."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(DispatchCounter).values(year=year, last=0).on_conflict_do_nothing(index_elements=["year"]))
    return int(session.execute(update(DispatchCounter).where(DispatchCounter.year == year)
                               .values(last=DispatchCounter.last + 1).returning(DispatchCounter.last)).scalar_one())


# --- registries ----------------------------------------------------------------------------------------------------

REGISTRY_MODELS: dict[str, Any] = {"hazards": Hazard, "teams": Team, "experts": Expert, "shelters": Shelter,
                                   "knowledge": KnowledgeEntry}
SEARCHED = {"hazards": ("name", "address", "note"), "teams": ("name", "equipment", "note"),
            "experts": ("name", "speciality", "employer"), "shelters": ("name", "address"),
            "knowledge": ("title", "body", "category")}


def record(session: Session, registry: str, record_id: int) -> Any:
    return get_or_404(session, REGISTRY_MODELS[registry], record_id, "登记记录", f"{registry} record")


def records(session: Session, registry: str, *, q: str | None = None, filters: dict | None = None,
            limit: int = 500) -> list[Any]:
    model = REGISTRY_MODELS[registry]
    stmt = select(model).order_by(model.id).limit(limit)
    if q:
        like = f"%{q}%"
        stmt = stmt.where(or_(*(getattr(model, c).like(like) for c in SEARCHED[registry])))
    for column, value in (filters or {}).items():
        if value not in (None, ""):
            stmt = stmt.where(getattr(model, column) == value)
    return list(session.scalars(stmt))


def team_named(session: Session, name: str) -> Team | None:
    return session.scalar(select(Team).where(Team.name == name))


def record_named(session: Session, registry: str, name: str) -> Any:
    model = REGISTRY_MODELS[registry]
    return session.scalar(select(model).where(model.name == name))


def shelter(session: Session, shelter_id: int) -> Shelter:
    return get_or_404(session, Shelter, shelter_id, "应急避难场所", "shelter")


def units_of_kinds(session: Session, kinds: tuple[str, ...]) -> list[Unit]:
    return list(session.scalars(select(Unit).where(Unit.kind.in_(kinds)).order_by(Unit.id)))


def unit_by_id(session: Session, unit_id: int | None) -> Unit | None:
    return session.get(Unit, unit_id) if unit_id else None


def hazards_due(session: Session, on: date) -> list[Hazard]:
    return list(session.scalars(select(Hazard).where(Hazard.next_due_on.is_not(None), Hazard.next_due_on <= on)
                                .order_by(Hazard.next_due_on)))


# --- call-ups ------------------------------------------------------------------------------------------------------


def call_up(session: Session, call_up_id: int) -> TeamCallUp:
    return get_or_404(session, TeamCallUp, call_up_id, "队伍调用", "team call-up")


def call_ups(session: Session, *, incident_id: int | None = None, reports_only: bool = False) -> list[TeamCallUp]:
    stmt = select(TeamCallUp).order_by(TeamCallUp.id.desc()).limit(200)
    if incident_id:
        stmt = stmt.where(TeamCallUp.incident_id == incident_id)
    if reports_only:
        stmt = stmt.where(TeamCallUp.reported_to_office_at.is_not(None))
    return list(session.scalars(stmt))


def requisition(session: Session, requisition_id: int) -> Requisition:
    return get_or_404(session, Requisition, requisition_id, "征用记录", "requisition")


def requisitions(session: Session, *, incident_id: int | None = None) -> list[Requisition]:
    stmt = select(Requisition).order_by(Requisition.id.desc()).limit(200)
    if incident_id:
        stmt = stmt.where(Requisition.incident_id == incident_id)
    return list(session.scalars(stmt))
