"""Real concurrency (two threads, two connections; PostgreSQL in CI): two dispatch orders racing for the last 10 units
— one is issued, the other is a 409, the balance never goes below 0; two approvals at once get different numbers."""
from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from dongcheng.auth.models import User
from dongcheng.auth.service import caller_for
from dongcheng.core.db import make_engine, transaction
from dongcheng.core.errors import DomainError
from dongcheng.emergency.preparedness import repository, service, stock
from dongcheng.emergency.preparedness.models import DispatchRequest, StockMovement
from dongcheng.emergency.preparedness.schemas import DispatchIn, IssueIn, ItemIn, ReceiptIn, WarehouseIn
from tests.conftest import drop_database, prepared_database


def caller(session, username):
    return caller_for(session, session.scalar(select(User).where(User.username == username)))


def _race(engine, n: int, work) -> list:
    barrier = threading.Barrier(n if engine.dialect.name != "sqlite" else 1)
    outcomes: list = []

    def run(k: int) -> None:
        try:
            with transaction(engine) as s:
                work(s, k, barrier)
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.status_code)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


def test_two_orders_for_the_last_ten_units(tmp_path):
    url = prepared_database(tmp_path, "prep_race", demo=True)
    engine = make_engine(url, pool_size=5) if url.startswith("postgresql") else make_engine(url)
    try:
        with transaction(engine) as s:
            duty = caller(s, "duty")
            w = stock.create_warehouse(s, caller=duty, data=WarehouseIn(name="竞争测试库", owner_unit="区应急局"))
            i = stock.create_item(s, caller=duty, data=ItemIn(name="帐篷（竞争）", unit_of_measure="顶",
                                                              owner_unit="区应急局"))
            stock.receive(s, caller=duty, data=ReceiptIn(warehouse_id=w.id, item_id=i.id, lot_no="R1", quantity=10))
            needed = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
            ids = []
            for party in ("朝阳区应急管理局", "西城区应急管理局"):
                d = service.create_request(s, caller=duty, data=DispatchIn.model_validate({
                    "origin": "other_district", "requesting_party": party,
                    "lines": [{"item_id": i.id, "quantity": 10, "destination": party, "needed_by": needed}]}))
                ids.append(d.id)
            warehouse_id, item_id = w.id, i.id

        def approve(s, k, barrier):
            mayor = caller(s, "mayor")
            s.get(DispatchRequest, ids[k])
            barrier.wait(10)
            service.approve(s, caller=mayor, dispatch_id=ids[k])

        assert _race(engine, 2, approve) == ["ok", "ok"]

        def issue(s, k, barrier):
            duty = caller(s, "duty")
            s.get(DispatchRequest, ids[k])  # both have read their order …
            barrier.wait(10)  # … before either books stock
            service.issue(s, caller=duty, dispatch_id=ids[k], data=IssueIn(warehouse_id=warehouse_id))

        assert sorted(_race(engine, 2, issue), key=str) == [409, "ok"]
        with transaction(engine, write=False) as s:
            orders = [s.get(DispatchRequest, k) for k in ids]
            assert sorted(o.status for o in orders) == ["issued", "ordered"]
            assert len({o.number_seq for o in orders}) == 2  # two approvals at once, two numbers
            lots = repository.stock_rows(s, item_id=item_id)
            assert [b for _, b in lots] == [0]  # 10 received, 10 issued once: never below 0
            issued = s.scalars(select(StockMovement.quantity).where(StockMovement.kind == "issue",
                                                                   StockMovement.dispatch_id.in_(ids))).all()
            assert issued == [-10]
    finally:
        engine.dispose()
        drop_database(url)
