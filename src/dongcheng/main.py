"""create_app(): API routers, pages, static files, error handlers, /healthz."""
from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from dongcheng import modules
from dongcheng.api import errors, openapi
from dongcheng.api.disconnect import RetryReadsOnDisconnect
from dongcheng.api.input_gate import InputGate
from dongcheng.api.security_headers import SecurityHeaders
from dongcheng.core.config import Settings, get_settings
from dongcheng.core.db import AUTOCOMMIT, REQUEST_SLOTS, WRITE, engine_for, session_factory
from dongcheng.web.templating import STATIC_DIR


@asynccontextmanager
async def _lifespan(app: FastAPI):
    """The audit log's sequencer runs in the process when the settings say so (`dongcheng serve` does)."""
    stopping = None
    if app.state.settings.audit_sequencer:
        from dongcheng.audit import sequencer

        thread, stopping = sequencer.start_thread(app.state.engine, app.state.settings)
    yield
    if stopping is not None:
        stopping.set()
        thread.join(timeout=5)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        lifespan=_lifespan,
        title="东城区政务平台 Dongcheng platform",
        description="Built from 北京市东城区人民政府公报 2022年第3期; every decision cites its clause.",
        version="0.1.0",
        docs_url=None, redoc_url=None,  # /docs is api/openapi.py's, from local files; ReDoc would need a CDN
    )
    app.state.settings = settings
    app.state.engine = engine_for(settings.database_url)
    app.state.sessionmaker = session_factory(app.state.engine)
    # Writers: SQLite's BEGIN IMMEDIATE (core.db) on first use, queued in order on one lock per process.
    app.state.write_bind = app.state.engine.execution_options(**WRITE)
    # Reads (GET, HEAD) on PostgreSQL run without BEGIN … ROLLBACK: two round trips fewer per read, both on the event
    # loop (api/deps.get_session), and no session left idle in a transaction between statements. The same rows:
    # READ COMMITTED gives each statement its own snapshot inside a transaction too. SQLite keeps one read
    # transaction per request (a WAL snapshot for all its statements, no round trips to save).
    app.state.read_bind = (app.state.engine.execution_options(**AUTOCOMMIT)
                           if app.state.engine.dialect.name == "postgresql" else app.state.engine)
    app.state.sqlite_write_lock = asyncio.Lock() if app.state.engine.dialect.name == "sqlite" else None
    app.state.db_slots = asyncio.Semaphore(REQUEST_SLOTS)
    errors.install(app)
    app.add_middleware(RetryReadsOnDisconnect)  # a read whose connection died is run again once (api/disconnect.py)
    app.add_middleware(InputGate)
    app.add_middleware(SecurityHeaders, hsts=settings.environment == "production")  # outermost: on every reply
    # Every module's API and page routers, in the registry's order (dongcheng.modules); the shell's pages last.
    for router in modules.routers():
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    openapi.install(app)  # the document's error shapes, per-route errors, security schemes; /docs served locally

    @app.get("/healthz", tags=["health"], summary="Liveness + database check; the audit sequencer's backlog")
    def healthz() -> dict:
        from dongcheng.audit.service import pending_status

        with session_factory(app.state.engine)() as session:
            session.execute(text("SELECT 1"))
            # the audit sequencer's backlog; "alarm": entries waiting past the maximum delay (docs/audit.md)
            audit = pending_status(session)
        return {"status": "ok", "database": app.state.engine.dialect.name, "audit": audit}

    return app
