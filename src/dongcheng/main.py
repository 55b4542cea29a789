"""create_app(): API routers, pages, static files, error handlers, /healthz."""
from __future__ import annotations

import asyncio

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from dongcheng.api import calendar as calendar_api
from dongcheng.api import errors
from dongcheng.api.nul import RejectNul
from dongcheng.audit import api as audit_api
from dongcheng.auth import api as auth_api
from dongcheng.auth import pages as auth_pages
from dongcheng.auth.ratelimit import LoginLimiter
from dongcheng.commissioners import api as commissioners_api
from dongcheng.commissioners import pages as commissioners_pages
from dongcheng.core.config import Settings, get_settings
from dongcheng.core.db import REQUEST_SLOTS, WRITE, engine_for, session_factory
from dongcheng.directory import api as directory_api
from dongcheng.directory import pages as directory_pages
from dongcheng.emergency.accountability import api as accountability_api
from dongcheng.emergency.accountability import pages as accountability_pages
from dongcheng.emergency.checklists import api as checklists_api
from dongcheng.emergency.command_posts import api as command_posts_api
from dongcheng.emergency.incidents import api as incidents_api
from dongcheng.emergency.incidents import pages as incidents_pages
from dongcheng.emergency.recovery import api as recovery_api
from dongcheng.emergency.statements import api as statements_api
from dongcheng.emergency.statements import pages as statements_pages
from dongcheng.emergency.warnings import api as warnings_api
from dongcheng.emergency.warnings import pages as warnings_pages
from dongcheng.gazette import api as gazette_api
from dongcheng.gazette import pages as gazette_pages
from dongcheng.heritage import api as heritage_api
from dongcheng.heritage import pages as heritage_pages
from dongcheng.incubators import api as incubators_api
from dongcheng.incubators import pages as incubators_pages
from dongcheng.reference import api as reference_api
from dongcheng.reference import pages as reference_pages
from dongcheng.web import pages
from dongcheng.web.templating import STATIC_DIR


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="东城区政务平台 Dongcheng platform",
        description="Built from 北京市东城区人民政府公报 2022年第3期; every decision cites its clause.",
        version="0.1.0",
    )
    app.state.settings = settings
    app.state.engine = engine_for(settings.database_url)
    app.state.sessionmaker = session_factory(app.state.engine)
    # Writers: SQLite's BEGIN IMMEDIATE (core.db) on first use, queued in order on one lock per process.
    app.state.write_bind = app.state.engine.execution_options(**WRITE)
    app.state.sqlite_write_lock = asyncio.Lock() if app.state.engine.dialect.name == "sqlite" else None
    app.state.db_slots = asyncio.Semaphore(REQUEST_SLOTS)
    app.state.login_limiter = LoginLimiter()
    errors.install(app)
    app.add_middleware(RejectNul)
    # Each module's routers, in one list: a module adds its API and page routers here.
    routers = [
        auth_api.router,
        reference_api.router,
        directory_api.router,
        auth_api.users_router,
        audit_api.router,
        calendar_api.router,
        incidents_api.router,
        accountability_api.router,
        command_posts_api.router,
        checklists_api.router,
        recovery_api.router,
        statements_api.router,
        statements_pages.router,
        warnings_api.router,
        warnings_pages.router,
        gazette_api.router,
        gazette_pages.router,
        heritage_api.router,
        heritage_pages.router,
        incubators_api.router,
        commissioners_api.router,
        commissioners_pages.router,
        incubators_pages.router,
        directory_pages.router,
        reference_pages.router,
        incidents_pages.router,
        accountability_pages.router,
        auth_pages.router,
        pages.router,  # pages last: their catch-all error pages must not shadow the API
    ]
    for router in routers:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/healthz", tags=["health"], summary="Liveness + database check")
    def healthz() -> dict:
        with app.state.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return {"status": "ok", "database": app.state.engine.dialect.name}

    return app
