"""Demo rows (demo mode only, ``Module.demo_data``): one warehouse of the 区应急办 with three items in stock and one
professional team of the 区城市管理委 — enough to walk a §6.4.3 dispatch and a §6.1.2 call-up. Idempotent."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.core.time import utcnow
from dongcheng.directory.service import find_unit
from dongcheng.emergency.preparedness import repository, stock_rules
from dongcheng.emergency.preparedness.enums import MovementKind
from dongcheng.emergency.preparedness.models import CatalogueItem, StockLot, StockMovement, Team, Warehouse

WAREHOUSE = "东城区应急物资储备库（演示）"
ITEMS = (("折叠床", "生活类", "张", 50, 200, None), ("帐篷", "生活类", "顶", 20, 60, None),
         ("救生衣", "防护类", "件", 30, 100, date(2030, 12, 31)))
TEAM = "东城区城市管理应急抢险队（演示）"


def ensure_demo_preparedness(session: Session) -> int:
    if repository.warehouse_named(session, WAREHOUSE) is not None:
        return 0
    office, cgw = find_unit(session, "区应急局"), find_unit(session, "区城市管理委")
    if office is None or cgw is None:
        return 0
    now = utcnow()
    w = Warehouse(name=WAREHOUSE, address="东城区（演示地址）", owner_unit_id=office.id, created_at=now)
    session.add(w)
    session.flush()
    for name, category, uom, minimum, quantity, expires in ITEMS:
        item = repository.item_named(session, name) or CatalogueItem(
            name=name, category=category, unit_of_measure=uom, min_level=minimum, owner_unit_id=office.id,
            created_at=now)
        session.add(item)
        session.flush()
        lot = StockLot(warehouse_id=w.id, item_id=item.id, lot_no="DEMO-1", expires_on=expires, created_at=now)
        session.add(lot)
        session.flush()
        session.add(StockMovement(lot_id=lot.id, kind=MovementKind.RECEIPT.value, quantity=quantity, at=now,
                                  actor="system", basis=str(stock_rules.LEDGER), reason="演示数据"))
    if repository.team_named(session, TEAM) is None:
        session.add(Team(name=TEAM, kind="professional", owner_unit_id=cgw.id, size=30, equipment="排水泵车、抢修车",
                         contact_person="演示联系人", contact_phone="010-00000000", readiness="待命", updated_at=now,
                         updated_by="system"))
    session.flush()
    audit.record(session, actor=audit.SYSTEM, action="preparedness.demo", target_type="warehouse", target_id=w.id,
                 basis=stock_rules.LEDGER, after={"warehouse": WAREHOUSE, "items": [i[0] for i in ITEMS],
                                                  "team": TEAM})
    return 1
