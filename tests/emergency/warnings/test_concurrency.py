"""Two approvers acting at once change the state once (real commits, two connections; PostgreSQL in CI)."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from dongcheng.audit.models import AuditEntry
from dongcheng.auth.models import User
from dongcheng.auth.service import caller_for
from dongcheng.core.db import make_engine, transaction
from dongcheng.core.errors import DomainError
from dongcheng.emergency.warnings import service
from dongcheng.emergency.warnings.enums import Level
from dongcheng.emergency.warnings.models import EarlyWarning
from dongcheng.emergency.warnings.schemas import WarningCreate
from tests.conftest import drop_database, prepared_database


def caller(session, username):
    return caller_for(session, session.scalar(select(User).where(User.username == username)))


def test_two_mayors_sessions_approving_at_once_change_state_once(tmp_path):
    url = prepared_database(tmp_path, "race")
    engine = make_engine(url, pool_size=5) if url.startswith("postgresql") else make_engine(url)
    try:
        with transaction(engine) as s:
            cgw = caller(s, "cgw")
            w = service.create_draft(s, caller=cgw, data=WarningCreate(
                level=Level.RED, event_type="气象灾害", title="暴雨红色预警", starts_at="2022-07-01T08:00:00+08:00",
                expected_duration_hours=6, area_streets=["东四街道"], precautions="停课停业", measures="转移安置"))
            service.submit(s, caller=cgw, warning_id=w.id)
            warning_id = w.id

        barrier = threading.Barrier(2)
        outcomes: list[object] = []

        def approve() -> None:
            try:
                with transaction(engine) as s:
                    mayor = caller(s, "mayor")
                    s.get(EarlyWarning, warning_id)  # both have read it as "submitted" …
                    barrier.wait(10)  # … before either writes
                    service.approve(s, caller=mayor, warning_id=warning_id)
                outcomes.append("approved")
            except DomainError as exc:
                outcomes.append(exc.status_code)

        if engine.dialect.name == "sqlite":
            # SQLite: BEGIN IMMEDIATE makes the second writer wait for the first, so no read can interleave; the
            # race is then between the two whole transactions.
            barrier = threading.Barrier(1)
        threads = [threading.Thread(target=approve) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)

        assert sorted(outcomes, key=str) == [409, "approved"]
        with transaction(engine, write=False) as s:
            assert s.get(EarlyWarning, warning_id).status == "approved"
            assert s.get(EarlyWarning, warning_id).version == 3  # draft 1 → submitted 2 → approved 3
            approvals = s.scalar(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.action == "warnings.approve", AuditEntry.target_id == str(warning_id)))
            assert approvals == 1
    finally:
        engine.dispose()
        drop_database(url)
