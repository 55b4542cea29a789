"""Test fixtures. The suite runs against the engine named by DONGCHENG_TEST_DATABASE_URL (default: a fresh
SQLite file); `.ci/run` runs it once on SQLite and once on PostgreSQL. Each test runs inside a transaction that is
rolled back, so tests never see each other's rows.
"""
from __future__ import annotations

import atexit
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from dongcheng.auth import service as auth
from dongcheng.auth.models import User
from dongcheng.core import migrate
from dongcheng.core.config import REPO_ROOT, Settings
from dongcheng.core.db import make_engine, normalise_url, transaction
from dongcheng.main import create_app
from dongcheng.provision import provision

DEMO_PASSWORD = "demo-password"


@pytest.hookimpl(tryfirst=True)  # before xdist reads the marks
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (``make test``: ``-n 2 --dist loadgroup``) every test that drives the live uvicorn server
    runs on one worker, so one server starts per run instead of one per worker."""
    for item in items:
        if "live_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("live_server"))


def _base_url() -> str:
    return os.environ.get("DONGCHENG_TEST_DATABASE_URL", "sqlite")


def fresh_database(tmp_dir: Path, label: str, *, template: str | None = None) -> str:
    """A new database of the suite's engine — empty, or a copy of ``template`` (a URL of the same engine); returns its
    URL. SQLite copies through its online backup API, PostgreSQL with ``CREATE DATABASE … TEMPLATE``."""
    base = _base_url()
    if base.startswith("sqlite"):
        url = f"sqlite:///{tmp_dir / f'{label}.db'}"
        if template:
            with sqlite3.connect(make_url(template).database) as source, sqlite3.connect(make_url(url).database) as copy:
                source.backup(copy)
        return url
    url = make_url(normalise_url(base))
    name = f"dc_{label}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        copy_of = f' TEMPLATE "{make_url(template).database}"' if template else ""
        conn.execute(text(f'CREATE DATABASE "{name}"{copy_of}'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def drop_database(database_url: str) -> None:
    if database_url.startswith("sqlite"):
        return
    url = make_url(database_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()


def _build_database(url: str, *, demo: bool) -> None:
    migrate.upgrade(url)
    engine = make_engine(url)
    with transaction(engine) as session:
        provision(session, REPO_ROOT / "data", demo=demo)  # as `dongcheng serve` does
    engine.dispose()


_TEMPLATES: dict[bool, str] = {}  # demo? → a database built once per test process, copied for each caller


def _template(demo: bool) -> str:
    if demo not in _TEMPLATES:
        url = fresh_database(Path(tempfile.mkdtemp(prefix="dongcheng-template-")), f"template{int(demo)}")
        _build_database(url, demo=demo)
        _TEMPLATES[demo] = url
        atexit.register(drop_database, url)
    return _TEMPLATES[demo]


def prepared_database(tmp_dir: Path, label: str, *, demo: bool = True) -> str:
    """A new database migrated and provisioned as `dongcheng serve` leaves it (demo users included unless
    ``demo=False``). The migrations and the provisioning run once per test process, into a template; each caller gets
    a copy of it (SQLite's online backup; PostgreSQL's ``CREATE DATABASE … TEMPLATE``), ~0.1 s instead of ~4 s."""
    return fresh_database(tmp_dir, label, template=_template(demo))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    url = prepared_database(tmp_path_factory.mktemp("db"), "suite")
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
def engine(database_url):
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def settings(database_url) -> Settings:
    return Settings(database_url=database_url, demo_mode=True, environment="test")


@pytest.fixture
def connection(engine):
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        if outer.is_active:
            outer.rollback()


@pytest.fixture
def db(connection) -> Iterator[Session]:
    """A session whose commits become savepoints of a transaction rolled back after the test."""
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    yield session
    session.close()


@pytest.fixture(scope="session")
def shared_app(settings) -> FastAPI:
    """One application per test process. FastAPI works out every route's dependencies on an application's first
    request (~0.3 s of CPU for ~200 routes) and its callable caches keep every application alive, so one per test
    cost minutes of CPU and ~1.6 GB by the end of the suite (and five full garbage collections at exit over it)."""
    return create_app(settings)


@pytest.fixture
def app(shared_app, settings, connection):
    """The shared application with fresh state for this test (login limiter, write lock, request slots: whatever
    create_app sets), its sessions bound to the test's rolled-back transaction."""
    fresh = create_app(settings)  # cheap: its routes are never built, only its state is taken
    shared_app.state._state.update(fresh.state._state)
    shared_app.state.sessionmaker = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    shared_app.state.write_bind = connection
    shared_app.state.read_bind = connection
    return shared_app


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def issue_token_for(connection, settings: Settings, username: str) -> str:
    """A real token for a demo user, issued by the auth service in the test's transaction (as a login would, minus
    the password check): the request then takes the real path — token lookup, posts from the directory, the route's
    ``require(action)`` and the domain's rules."""
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None and user.is_active, f"no active user {username!r}"
        token = auth.issue_token(session, settings, user)
        session.commit()
    finally:
        session.close()
    return token


@pytest.fixture
def login(connection, settings):
    """login("duty") → headers with a real bearer token of that user (demo or created in the test).

    No password is checked: an argon2id verify costs ~0.2 s of CPU here and the suite signs in hundreds of times
    (the permission matrix alone ~300). The token is the auth service's own, in the test's transaction, so the token
    lookup and the permission path are the ones production runs. Logging in for real (the hash, a wrong password,
    the rate limit, the cookie) is tested in tests/auth/test_login.py.
    """

    def _login(username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {issue_token_for(connection, settings, username)}"}

    return _login


@pytest.fixture
def postless_leader(db):
    """postless_leader("zhao.none", "赵无职") → the username of a leader account whose person holds no post today
    (东政办发〔2021〕18号: a leader acts by post); committed in the test's transaction."""
    from dongcheng.audit.service import SYSTEM
    from dongcheng.directory.models import Person

    def _make(username: str = "zhao.none", name: str = "赵无职") -> str:
        person = Person(name=name)
        db.add(person)
        db.flush()
        auth.create_user(db, actor=SYSTEM, username=username, password=DEMO_PASSWORD, display_name=name,
                         role="leader", person=person, is_demo=True)
        db.commit()
        return username

    return _make


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[str]:
    """The real platform under uvicorn (``dongcheng serve``, demo data) on a fresh database; yields its base URL."""
    tmp = tmp_path_factory.mktemp("live")
    url = prepared_database(tmp, "live")  # serve finds it migrated and provisioned and adds the demo scenario
    port = _free_port()
    log = open(tmp / "server.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "dongcheng.cli.main", "serve", "--port", str(port), "--database-url", url],
        stdout=log, stderr=subprocess.STDOUT, cwd=REPO_ROOT,
        env={**os.environ, "DONGCHENG_AUDIT_CHECKPOINT_FILE": str(tmp / "audit.checkpoints.jsonl")},  # not var/
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {(tmp / 'server.log').read_text()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError("server did not start in 120 s")
    yield base
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()
    drop_database(url)


CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


@pytest.fixture
def browser(tmp_path):
    """A real headless Chromium (Debian's chromium + chromedriver; a test tool's own browser download fails here)."""
    import shutil

    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    for path in (CHROMIUM, CHROMEDRIVER):
        if not (Path(path).exists() or shutil.which(path)):
            pytest.skip(f"{path} is missing: install Debian's chromium and chromium-driver to run browser tests")
    options = Options()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1366,900", "--lang=zh-CN",
                f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(arg)
    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except WebDriverException as exc:
        pytest.skip(f"Chromium could not start: {exc.msg}")
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
