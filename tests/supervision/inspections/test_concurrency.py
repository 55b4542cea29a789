"""Two 区卫生健康委 users pressing 随机抽取 at once draw once (real commits, two connections; PostgreSQL in CI)."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from dongcheng.audit.models import AuditEntry
from dongcheng.auth.models import User
from dongcheng.auth.service import caller_for
from dongcheng.core.db import make_engine, transaction
from dongcheng.core.errors import DomainError
from dongcheng.supervision.inspections import service
from dongcheng.supervision.inspections.models import Inspection, InspectionPlan
from dongcheng.supervision.inspections.schemas import InspectorIn, PlanIn
from dongcheng.supervision.institutions import service as institutions
from dongcheng.supervision.institutions.schemas import InstitutionIn
from tests.conftest import drop_database, prepared_database
from tests.supervision.factories import code


def caller(session, username="wjw.jd"):
    return caller_for(session, session.scalar(select(User).where(User.username == username)))


def test_two_draws_at_once_draw_once(tmp_path):
    url = prepared_database(tmp_path, "drawrace")
    engine = make_engine(url, pool_size=5) if url.startswith("postgresql") else make_engine(url)
    try:
        with transaction(engine) as s:
            me = caller(s)
            for n in range(4):
                institutions.register(s, caller=me, data=InstitutionIn(
                    name=f"并发测试机构{n}", uscc=code(700 + n), kind="诊所", street="龙潭街道", ownership="social",
                    risk="high"))
            for n in range(3):
                service.add_inspector(s, caller=me, data=InspectorIn(name=f"并发执法员{n}", badge_no=f"RC-{n}"))
            plan_id = service.create_plan(s, caller=me, data=PlanIn(
                title="并发抽取", items=["WJ-01"], seed="race-seed-000000000001")).id

        barrier = threading.Barrier(1 if engine.dialect.name == "sqlite" else 2)  # SQLite: BEGIN IMMEDIATE serialises
        outcomes: list[object] = []

        def draw() -> None:
            try:
                with transaction(engine) as s:
                    s.get(InspectionPlan, plan_id)  # both read it as a draft …
                    barrier.wait(10)  # … before either writes
                    service.draw(s, caller=caller(s), plan_id=plan_id)
                outcomes.append("drawn")
            except DomainError as exc:
                outcomes.append(exc.status_code)

        threads = [threading.Thread(target=draw) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)

        assert sorted(outcomes, key=str) == [409, "drawn"]
        with transaction(engine, write=False) as s:
            assert s.get(InspectionPlan, plan_id).status == "drawn"
            drawn = s.scalar(select(func.count()).select_from(Inspection).where(Inspection.plan_id == plan_id))
            assert drawn == 2  # ceil(4 × 0.30), once
            assert s.scalar(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.action == "supervision.inspections.draw")) == 1
    finally:
        engine.dispose()
        drop_database(url)
