"""Stock as a ledger (应急物资库, 东政发〔2022〕3号 §6.4.1, §6.2.2): warehouses, catalogue items, lots; every change a
movement (入库, 归还, 调库, 盘点调整, 报废 with the 区应急办's approval; 调拨出库 is service.issue), balances summed
from the movements, and the alerts (below minimum, expiring lots). Audits every change; never commits."""
from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.auth.service import Caller, authorize
from dongcheng.core.errors import DomainError, invalid
from dongcheng.core.time import today_local, utcnow
from dongcheng.core.transition import move
from dongcheng.directory.models import Unit
from dongcheng.directory.service import find_unit
from dongcheng.emergency.preparedness import authority, repository, stock_rules
from dongcheng.emergency.preparedness.enums import MovementKind
from dongcheng.emergency.preparedness.models import (
    CatalogueItem,
    StockCount,
    StockCountLine,
    StockLot,
    StockMovement,
    StockScrap,
    Warehouse,
)
from dongcheng.emergency.preparedness.schemas import CountIn, ItemIn, ReceiptIn, ScrapIn, TransferIn, WarehouseIn

ACTION = "preparedness.stock"


def expiry_alert_days() -> int:
    """DONGCHENG_EXPIRY_ALERT_DAYS, or the platform default (stock_rules.EXPIRY_ALERT_DAYS, the text gives none)."""
    raw = os.environ.get("DONGCHENG_EXPIRY_ALERT_DAYS", "")
    return int(raw) if raw.isdigit() and 0 < int(raw) <= 3650 else stock_rules.EXPIRY_ALERT_DAYS


def unit_named(session: Session, name: str | None, field: str, *, kinds: tuple[str, ...] | None = None) -> Unit:
    unit = find_unit(session, name) if name else None
    if unit is None or (kinds and unit.kind not in kinds):
        raise invalid(field, f"未找到单位：{name or '（空）'}", f"unknown unit: {name!r}")
    return unit


def _keep(session: Session, caller: Caller, owner_unit_id: int) -> None:
    authorize(caller, ACTION)
    stock_rules.may_handle_stock(authority.acting_of(caller), owner_unit_id).require()


def create_warehouse(session: Session, *, caller: Caller, data: WarehouseIn) -> Warehouse:
    owner = unit_named(session, data.owner_unit, "owner_unit")
    _keep(session, caller, owner.id)
    street = unit_named(session, data.street, "street", kinds=("street", "key_area")) if data.street else None
    if repository.warehouse_named(session, data.name):
        raise invalid("name", f"已有仓库“{data.name}”", f"a warehouse {data.name!r} exists")
    w = Warehouse(name=data.name, address=data.address, street_unit_id=street.id if street else None,
                  owner_unit_id=owner.id, created_at=utcnow())
    session.add(w)
    session.flush()
    audit.record(session, actor=caller.actor, action="preparedness.warehouse.create", target_type="warehouse",
                 target_id=w.id, basis=stock_rules.LEDGER, after={"name": w.name, "owner_unit": owner.name})
    return w


def create_item(session: Session, *, caller: Caller, data: ItemIn) -> CatalogueItem:
    owner = unit_named(session, data.owner_unit, "owner_unit")
    _keep(session, caller, owner.id)
    if repository.item_named(session, data.name):
        raise invalid("name", f"物资目录已有“{data.name}”", f"the catalogue has {data.name!r}")
    item = CatalogueItem(name=data.name, category=data.category, unit_of_measure=data.unit_of_measure,
                         min_level=data.min_level, reserve_kind=data.reserve_kind, owner_unit_id=owner.id,
                         created_at=utcnow())
    session.add(item)
    session.flush()
    audit.record(session, actor=caller.actor, action="preparedness.item.create", target_type="catalogue_item",
                 target_id=item.id, basis=stock_rules.LEDGER,
                 after={"name": item.name, "unit_of_measure": item.unit_of_measure, "min_level": item.min_level})
    return item


def _book(session: Session, caller: Caller, lot: StockLot, kind: MovementKind, quantity: int, reason: str,
          basis, **refs) -> StockMovement:
    """Add one movement after checking the lot's fresh balance (the lot row locked first)."""
    delta = stock_rules.signed(kind, quantity)
    current = repository.balances(session, [lot.id])[lot.id]
    stock_rules.may_move(current, delta, lot=lot.lot_no).require()
    movement = StockMovement(lot_id=lot.id, kind=kind.value, quantity=delta, at=utcnow(), actor=caller.user.username,
                             basis=str(basis), reason=reason, **refs)
    session.add(movement)
    session.flush()
    audit.record(session, actor=caller.actor, action=f"preparedness.stock.{kind.value}", target_type="stock_lot",
                 target_id=lot.id, basis=basis, before={"balance": current},
                 after={"balance": current + delta, "movement_id": movement.id, "quantity": delta,
                        "item": lot.item.name, "warehouse": lot.warehouse.name}, note=reason)
    return movement


def _lot(session: Session, warehouse: Warehouse, item: CatalogueItem, lot_no: str,
         expires_on: date | None) -> StockLot:
    lot = repository.lot_of(session, warehouse.id, item.id, lot_no)
    if lot is None:
        lot = StockLot(warehouse_id=warehouse.id, item_id=item.id, lot_no=lot_no, expires_on=expires_on,
                       created_at=utcnow())
        session.add(lot)
        session.flush()
        session.refresh(lot)
    else:
        lot = repository.lot(session, lot.id, for_update=True)
        if expires_on and lot.expires_on and expires_on != lot.expires_on:
            raise invalid("expires_on", f"批次{lot_no}的有效期为{lot.expires_on}", f"lot {lot_no} expires on "
                          f"{lot.expires_on}")
    return lot


def receive(session: Session, *, caller: Caller, data: ReceiptIn) -> StockMovement:
    """入库 / 归还入库 into a lot (created on its first receipt)."""
    if data.kind not in (MovementKind.RECEIPT, MovementKind.RETURN):
        raise invalid("kind", "只能登记入库（receipt）或归还（return）", "kind must be receipt or return")
    warehouse = repository.warehouse(session, data.warehouse_id)
    _keep(session, caller, warehouse.owner_unit_id)
    item = repository.item(session, data.item_id)
    lot = _lot(session, warehouse, item, data.lot_no, data.expires_on)
    return _book(session, caller, lot, data.kind, data.quantity, data.reason, stock_rules.LEDGER)


def transfer(session: Session, *, caller: Caller, data: TransferIn) -> tuple[StockMovement, StockMovement]:
    """调库: out of a lot and into the same lot number in another warehouse, both in this transaction."""
    lot = repository.lot(session, data.lot_id, for_update=True)
    _keep(session, caller, lot.warehouse.owner_unit_id)
    target = repository.warehouse(session, data.to_warehouse_id)
    if target.id == lot.warehouse_id:
        raise invalid("to_warehouse_id", "调入仓库须不同于调出仓库", "the target warehouse must differ")
    ref = uuid.uuid4().hex[:12]
    out = _book(session, caller, lot, MovementKind.TRANSFER_OUT, data.quantity, data.reason, stock_rules.LEDGER,
                transfer_ref=ref)
    into = _lot(session, target, lot.item, lot.lot_no, lot.expires_on)
    return out, _book(session, caller, into, MovementKind.TRANSFER_IN, data.quantity, data.reason,
                      stock_rules.LEDGER, transfer_ref=ref)


def count(session: Session, *, caller: Caller, warehouse_id: int, data: CountIn) -> StockCount:
    """盘点: counted vs booked per lot; every difference is booked as an adjustment with the reason."""
    warehouse = repository.warehouse(session, warehouse_id)
    _keep(session, caller, warehouse.owner_unit_id)
    stock_rules.check_adjustment_reason(data.reason).require()
    seen: dict[int, int] = {}
    for i, line in enumerate(data.lines):
        if line.lot_id in seen:
            raise invalid(f"lines.{i}.lot_id", f"第{i + 1}行：批次{line.lot_id}已在第{seen[line.lot_id] + 1}行盘点",
                          f"line {i + 1}: lot {line.lot_id} is counted on line {seen[line.lot_id] + 1}")
        seen[line.lot_id] = i
    lots = {lot.id: lot for lot in repository.lock_lots_of(session, warehouse.id, list(seen))}
    for i, line in enumerate(data.lines):
        if line.lot_id not in lots:
            raise invalid(f"lines.{i}.lot_id", f"第{i + 1}行：本仓库没有批次{line.lot_id}",
                          f"line {i + 1}: no lot {line.lot_id} in this warehouse")
    booked = repository.balances(session, list(lots))
    record = StockCount(warehouse_id=warehouse.id, counted_on=data.counted_on or today_local(),
                        counted_by=caller.user.username, note=data.reason, created_at=utcnow(),
                        lines=[StockCountLine(lot_id=line.lot_id, booked=booked[line.lot_id], counted=line.counted)
                               for line in data.lines])
    session.add(record)
    session.flush()
    for line in data.lines:
        diff = stock_rules.count_difference(booked[line.lot_id], line.counted)
        if diff:
            _book(session, caller, lots[line.lot_id], MovementKind.ADJUSTMENT, diff, data.reason, stock_rules.COUNT,
                  count_id=record.id)
    session.flush()
    audit.record(session, actor=caller.actor, action="preparedness.stock.count", target_type="warehouse",
                 target_id=warehouse.id, basis=stock_rules.COUNT,
                 after={"count_id": record.id, "lines": [{"lot_id": ln.lot_id, "booked": ln.booked,
                                                          "counted": ln.counted} for ln in record.lines]})
    return record


def propose_scrap(session: Session, *, caller: Caller, data: ScrapIn) -> StockScrap:
    lot = repository.lot(session, data.lot_id)
    _keep(session, caller, lot.warehouse.owner_unit_id)
    current = repository.balances(session, [lot.id])[lot.id]
    stock_rules.may_move(current, -data.quantity, lot=lot.lot_no).require()
    scrap = StockScrap(lot_id=lot.id, quantity=data.quantity, reason=data.reason, status="pending", version=1,
                       proposed_by=caller.user.username, proposed_at=utcnow())
    session.add(scrap)
    session.flush()
    audit.record(session, actor=caller.actor, action="preparedness.scrap.propose", target_type="stock_scrap",
                 target_id=scrap.id, basis=stock_rules.SCRAP, after={"lot_id": lot.id, "quantity": data.quantity},
                 note=data.reason)
    return scrap


def decide_scrap(session: Session, *, caller: Caller, scrap_id: int, approve: bool, note: str = "") -> StockScrap:
    """The 区应急办 approves (the movement is booked now, balance checked afresh) or refuses a proposed scrapping;
    ``note``: the decider's reason (the page asks for one), kept in the audit entry."""
    authorize(caller, ACTION)
    scrap = repository.scrap(session, scrap_id)
    if scrap.status != "pending":
        raise DomainError("该报废申请已处理", "this scrapping was already decided", 409)
    stock_rules.may_approve_scrap(authority.acting_of(caller), scrap.proposed_by, caller.user.username).require()
    move(session, scrap, "approved" if approve else "refused", what_zh="该报废申请", what_en="this scrapping",
         decided_by=caller.user.username, decided_at=utcnow())
    if approve:
        lot = repository.lot(session, scrap.lot_id, for_update=True)
        _book(session, caller, lot, MovementKind.SCRAP, scrap.quantity, scrap.reason, stock_rules.SCRAP,
              scrap_id=scrap.id)
    audit.record(session, actor=caller.actor, action=f"preparedness.scrap.{scrap.status}", target_type="stock_scrap",
                 target_id=scrap.id, basis=stock_rules.SCRAP, after={"status": scrap.status}, note=note)
    return scrap


# --- alerts ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    kind: str  # below_minimum | expiring
    text: str
    owner_unit_id: int
    owner_unit: str
    basis: str
    url: str

    def to_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text, "owner_unit": self.owner_unit, "basis": self.basis,
                "url": self.url}


def alerts(session: Session, *, days: int | None = None, today: date | None = None) -> list[Alert]:
    """Below the minimum level (the item's owner unit) and lots expiring within ``days`` (the warehouse's unit)."""
    day, days = today or today_local(), days or expiry_alert_days()
    out: list[Alert] = []
    totals = repository.item_totals(session)
    for item in repository.items(session):
        total = totals.get(item.id, 0)
        if stock_rules.below_minimum(total, item.min_level):
            out.append(Alert("below_minimum", f"{item.name}库存{total}{item.unit_of_measure}，低于最低储备量"
                                              f"{item.min_level}{item.unit_of_measure}", item.owner_unit_id,
                             item.owner_unit.name, str(stock_rules.MINIMUM_BASIS),
                             f"/preparedness/stock?item={item.id}"))
    for lot, bal in repository.stock_rows(session):
        if bal > 0 and stock_rules.expiring(lot.expires_on, day, days):
            state = "已过期" if lot.expires_on < day else f"将于{lot.expires_on}到期"
            out.append(Alert("expiring", f"{lot.warehouse.name} {lot.item.name} 批次{lot.lot_no}（{bal}"
                                         f"{lot.item.unit_of_measure}）{state}", lot.warehouse.owner_unit_id,
                             lot.warehouse.owner_unit.name, str(stock_rules.expiry_basis(days)),
                             f"/preparedness/stock?warehouse={lot.warehouse_id}"))
    return out


def alerts_for(session: Session, caller: Caller | None) -> list[Alert]:
    """The duty officers (区应急办) see every alert; a unit its own."""
    acting = authority.acting_of(caller)
    if acting is None:
        return []
    every = alerts(session)
    if acting.for_committee or acting.role == "leader":
        return every
    return [a for a in every if acting.in_unit(a.owner_unit_id)]
