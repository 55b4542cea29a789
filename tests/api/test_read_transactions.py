"""A read request's statements and their transaction (issue 11, the read path): on PostgreSQL a GET runs in
autocommit — no BEGIN and no ROLLBACK round trip, no session left idle in a transaction between its statements — and
on SQLite in one read transaction (one WAL snapshot for all its statements). The real application on the suite's
database, not the test's rolled-back connection: only GETs, which write nothing."""
from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import event

from dongcheng.main import create_app


def _transaction_states(settings, path: str) -> tuple[int, list]:
    app = create_app(settings)
    engine = app.state.engine
    seen: list = []

    def after(conn, _cursor, _statement, _parameters, _context, _executemany):
        raw = conn.connection.dbapi_connection
        seen.append(raw.info.transaction_status.name if engine.dialect.name == "postgresql" else raw.in_transaction)

    event.listen(engine, "after_cursor_execute", after)
    try:
        with TestClient(app) as client:
            status = client.get(path).status_code
    finally:
        event.remove(engine, "after_cursor_execute", after)
    return status, seen


def test_a_read_holds_no_transaction_on_postgresql_and_one_on_sqlite(settings):
    status, seen = _transaction_states(settings, "/api/gazette/issues")  # public: no token, no write
    assert status == 200 and seen, seen
    if settings.database_url.startswith("postgresql"):
        assert set(seen) == {"IDLE"}, seen  # not INTRANS: no BEGIN was sent before the statement
    else:
        assert set(seen) == {True}, seen  # every statement inside the request's one read transaction
