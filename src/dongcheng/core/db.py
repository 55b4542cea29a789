"""Engine, sessions and the one-transaction-per-unit-of-work rule.

SQLite is the embedded default (WAL, foreign keys on, writers start with ``BEGIN IMMEDIATE`` so two writers
queue instead of failing); PostgreSQL (psycopg 3) is the production engine.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from dongcheng.core.time import ensure_utc

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
WRITE = {"dongcheng_write": True}
# With WRITE on SQLite: BEGIN IMMEDIATE without waiting for another process's write lock (begin_without_waiting)
NOWAIT = {"dongcheng_nowait": True}
# PostgreSQL: a statement that is its own transaction (main.py's read bind; a write that is a request's only statement)
AUTOCOMMIT = {"isolation_level": "AUTOCOMMIT"}
BUSY_TIMEOUT_MS = 30_000  # how long a SQLite statement waits for another process's lock before "database is locked"
T = TypeVar("T")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator):
    """Stored in UTC on both engines; always handed back timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        value = ensure_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        return None if value is None else ensure_utc(value)


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` and pick psycopg 3."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def sqlite_path(url: str) -> Path | None:
    """The file a SQLite URL names (None for PostgreSQL and in-memory SQLite)."""
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite") and parsed.database not in (None, "", ":memory:"):
        return Path(parsed.database)
    return None


# Per app process: at most 30 connections, so several processes stay under PostgreSQL's max_connections (100). The
# pool keeps POOL_SIZE of them open; requests never need more than that (REQUEST_SLOTS below), because a connection
# beyond it is closed when returned and the next checkout opens one again — PostgreSQL forks a backend each time
# (issue 11: with a pool of 10 under 28 admitted requests, intake opened a connection every 6 requests and the forks
# took as much CPU as the app). The overflow serves /healthz and the like, which do not pass through a request session.
POOL_SIZE, MAX_OVERFLOW = 24, 6
# Requests admitted to the database at once (api/deps.py). Fewer than the pool keeps, so an admitted request never
# waits for a connection — otherwise requests holding connections between two dependencies can wait for a worker
# thread while every thread waits for a connection (a deadlock until the pool timeout; 100 concurrent approvals) —
# and never makes the pool open one.
REQUEST_SLOTS = POOL_SIZE - 2
# Disconnects are handled optimistically (SQLAlchemy, "Dealing with Disconnects"): no ``pool_pre_ping`` (a round trip
# on every checkout, 13 per intake), but connections older than this are replaced at checkout (below the idle
# timeouts of firewalls and poolers), and a connection found dead mid-request invalidates itself and every pooled
# connection opened before it; the request that met it is retried once if it is a read (api/disconnect.py) and
# answered 503 "retry" if it is a mutation, whose transaction rolled back as a whole.
POOL_RECYCLE_S = 1800
# Session.info key: the request's session is a mutation's, committed at its end (api/deps.get_session, api/hops.py)
REQUEST_WRITE = "dongcheng_request_write"


def make_engine(url: str, **kwargs) -> Engine:
    url = normalise_url(url)
    kwargs.setdefault("pool_size", POOL_SIZE)
    kwargs.setdefault("max_overflow", MAX_OVERFLOW)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
        _configure_sqlite(engine)
        return engine
    kwargs.setdefault("pool_recycle", POOL_RECYCLE_S)
    # DONGCHENG_DB_PRE_PING=1 brings the pessimistic check back (a network that drops connections unnoticed;
    # the benchmark's before/after, bench/README.md)
    kwargs.setdefault("pool_pre_ping", os.environ.get("DONGCHENG_DB_PRE_PING", "") == "1")
    return create_engine(url, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        options = conn.get_execution_options()
        begin = "BEGIN IMMEDIATE" if options.get("dongcheng_write", False) else "BEGIN"
        if not options.get("dongcheng_nowait", False):
            conn.exec_driver_sql(begin)
            return
        conn.exec_driver_sql("PRAGMA busy_timeout=0")
        try:
            conn.exec_driver_sql(begin)
        finally:
            conn.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def begin_without_waiting(session: Session) -> bool:
    """SQLite: make sure the session's transaction has begun, where that needs no wait. True when it is in one (begun
    now, or already); False — the session left as it was — when a writer's ``BEGIN IMMEDIATE`` would have had to
    wait for another process's write lock (the worker, the audit sequencer, a second server process). Any other
    database: False (a statement there is a network round trip; api/hops.py keeps those off the event loop).

    Once a SQLite transaction holds its locks nothing it runs waits (WAL: readers never wait; the writer holds the
    write lock), so its work may run on the event loop without stalling the other requests (api/hops.py)."""
    if session.get_bind().dialect.name != "sqlite":
        return False
    if session.in_transaction():
        return True
    try:
        session.connection(execution_options=NOWAIT)
    except OperationalError as exc:
        if "locked" not in str(exc.orig) and "busy" not in str(exc.orig):
            raise
        session.rollback()
        return False
    return True


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    return make_engine(url)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


def execute(session: Session, statement, params=None):
    """A prebuilt Core statement on the session's connection, in its transaction: pending ORM rows are flushed first
    (what ``Session.execute`` does), but the ORM's execution layer is skipped (~40 µs a statement; issue 11). For the
    hot path's writes (intake's rows, audit entries, search entries). Never for ``units``, ``event_types`` or
    ``event_type_leads``: their changes go through the Session, which tells reference.cache."""
    session.flush()  # nothing to do (and cheap) when the session is clean
    return session.connection().execute(statement, params)


def begin_write(session: Session) -> None:
    """Mark the session's transaction as a writer (SQLite: BEGIN IMMEDIATE)."""
    session.connection(execution_options=WRITE)


@contextmanager
def transaction(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """One unit of work for commands and jobs: commit on success, roll back on any error."""
    with session_factory(engine)() as session:
        if write:
            begin_write(session)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def get_or_404(session: Session, model: type[T], row_id: int, what_zh: str, what_en: str) -> T:
    """The row with this primary key, or a 404 naming what was not found (in Chinese and English)."""
    from dongcheng.core.errors import not_found

    row = session.get(model, row_id)
    if row is None:
        raise not_found(what_zh, what_en, row_id)
    return row
