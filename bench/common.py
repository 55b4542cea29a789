"""Shared pieces of the benchmarks: results, settings from the environment, the app under uvicorn, fresh databases.

Every benchmark returns :class:`Result` rows. A row pairs the figure measured through the product (``value``) with
the machine's own raw limit measured in the same run on the same database and settings (``limit_value``), so the
``ratio`` is what counts on a noisy machine, not the absolute figure.
"""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
import psycopg
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

REPO = Path(__file__).resolve().parents[1]
DONGCHENG = Path(sys.executable).parent / "dongcheng"  # the venv's console script
# Progress on stderr, the table on stdout; a pipe (make bench | tee) gets a usable width instead of 80 columns.
console = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 120)

DEMO_USER, DEMO_PASSWORD = "duty", "demo-password"


# ---------------------------------------------------------------- settings


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    return float(raw) if raw else default


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


@dataclass(frozen=True)
class Config:
    """What ``make bench`` can be told through the environment (see bench/README.md)."""

    seconds: float = 6.0  # BENCH_SECONDS: measured load per window (windows taken in turns: half of it; bench/README.md)
    warmup: float = 2.0  # BENCH_WARMUP: load before the measured window (its requests are still verified)
    concurrency: int = 32  # BENCH_CONCURRENCY
    raw_seconds: float = 5.0  # BENCH_RAW_SECONDS: each raw insert loop
    workers: int = 1  # BENCH_WORKERS: uvicorn worker processes (`dongcheng serve --workers`)
    pg_server: str = "postgresql://postgres@127.0.0.1:5432/postgres"  # BENCH_PG_URL: a server we may CREATE on
    overdue_incidents: int = 1_000_000  # BENCH_OVERDUE_INCIDENTS
    overdue_calls: int = 20  # BENCH_OVERDUE_CALLS
    board_open: int = 5000  # BENCH_BOARD_OPEN: open incidents on the board when it is read (board_read_http_*)
    board_concurrency: int = 4  # BENCH_BOARD_CONCURRENCY: connections reading the board (~150 ms of CPU a page)
    only: tuple[str, ...] = ()  # BENCH_ONLY: comma-separated benchmark names (default: all)
    results: Path = REPO / "bench" / "results.json"  # BENCH_RESULTS

    @classmethod
    def from_env(cls) -> Config:
        only = tuple(s.strip() for s in os.environ.get("BENCH_ONLY", "").split(",") if s.strip())
        return cls(
            seconds=env_float("BENCH_SECONDS", cls.seconds),
            warmup=env_float("BENCH_WARMUP", cls.warmup),
            concurrency=env_int("BENCH_CONCURRENCY", cls.concurrency),
            raw_seconds=env_float("BENCH_RAW_SECONDS", cls.raw_seconds),
            workers=env_int("BENCH_WORKERS", cls.workers),
            pg_server=os.environ.get("BENCH_PG_URL", cls.pg_server),
            overdue_incidents=env_int("BENCH_OVERDUE_INCIDENTS", cls.overdue_incidents),
            overdue_calls=env_int("BENCH_OVERDUE_CALLS", cls.overdue_calls),
            board_open=env_int("BENCH_BOARD_OPEN", cls.board_open),
            board_concurrency=env_int("BENCH_BOARD_CONCURRENCY", cls.board_concurrency),
            only=only,
            results=Path(os.environ.get("BENCH_RESULTS", str(cls.results))),
        )

    def selects(self, name: str) -> bool:
        """Whether BENCH_ONLY (names or prefixes) selects the benchmark or row ``name``; everything when unset."""
        return not self.only or any(name == o or name.startswith(o) for o in self.only)


# ---------------------------------------------------------------- results


@dataclass
class Result:
    name: str
    value: float | None
    unit: str
    limit_name: str | None = None
    limit_value: float | None = None
    ratio: float | None = None
    goal: str = ""  # the goal of issue 5, in words ("ratio >= 0.20", "value <= 20 ms")
    met: bool | None = None  # whether this run met the goal (None: not measured / no goal)
    note: str = ""
    details: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return asdict(self)


def not_measured(name: str, unit: str, limit_name: str, goal: str, note: str) -> Result:
    """A benchmark whose feature is not built yet: listed, never faked."""
    return Result(name=name, value=None, unit=unit, limit_name=limit_name, goal=goal, note="not yet measured: " + note)


def ratio(a: float | None, b: float | None) -> float | None:
    return None if not a or not b else a / b


# ---------------------------------------------------------------- progress


def progress() -> Progress:
    return Progress(TextColumn("  {task.description}"), BarColumn(), TextColumn("{task.fields[info]}"),
                    TimeElapsedColumn(), TextColumn("/"), TimeRemainingColumn(), console=console, transient=False)


def step(msg: str) -> None:
    console.print(f"  · {msg}")


# ---------------------------------------------------------------- fresh databases


@contextlib.contextmanager
def sqlite_database() -> Iterator[tuple[str, Path]]:
    """A fresh SQLite file in a temporary folder; removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="dongcheng-bench-") as tmp:
        path = Path(tmp) / "bench.db"
        yield f"sqlite:///{path}", path


def _with_database(server_url: str, dbname: str) -> str:
    base, _, _ = server_url.rpartition("/")
    return f"{base}/{dbname}"


@contextlib.contextmanager
def postgres_database(server_url: str, label: str) -> Iterator[str]:
    """CREATE a fresh database on the server, yield its URL, DROP it afterwards (even on failure)."""
    dbname = f"dongcheng_bench_{label}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{dbname}"')
    try:
        yield _with_database(server_url, dbname)
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


# ---------------------------------------------------------------- the app under uvicorn


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """``dongcheng serve`` in a subprocess (migrate, load reference data + demo users, uvicorn with uvloop/httptools).

    Its output (startup lines and uvicorn's access log) goes to ``log`` so the terminal stays readable.
    """

    def __init__(self, database_url: str, log: Path, workers: int = 1, env: dict[str, str] | None = None):
        self.database_url, self.log_path, self.workers = database_url, log, workers
        self.extra_env = env or {}
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def command(self) -> list[str]:
        return [str(DONGCHENG), "serve", "--host", "127.0.0.1", "--port", str(self.port),
                "--database-url", self.database_url, "--workers", str(self.workers)]

    def __enter__(self) -> AppServer:
        cmd = self.command()
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("DONGCHENG_")}, **self.extra_env}
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in __exit__
        self.proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 180.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"dongcheng serve exited with {self.proc.returncode}; see {self.log_path}")
            try:
                if httpx.get(self.base_url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"dongcheng serve not ready after {timeout:.0f} s; see {self.log_path}")

    def pid(self) -> int:
        return self.proc.pid

    def login(self, username: str = DEMO_USER, password: str = DEMO_PASSWORD) -> str:
        r = httpx.post(self.base_url + "/api/auth/token", data={"username": username, "password": password}, timeout=30)
        r.raise_for_status()
        return r.json()["access_token"]

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)  # uvicorn: graceful shutdown (finishes in-flight requests)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self._log.close()


class BareServer(AppServer):
    """bench/bare_app.py under uvicorn, started the way ``dongcheng serve`` starts the platform, on a database the
    platform has already prepared (migrations, reference data, demo users): the framework's ceiling for the same rows.
    Log in through the platform (its tokens are in the same database)."""

    def command(self) -> list[str]:
        return [sys.executable, "-m", "bench.bare_app", "--host", "127.0.0.1", "--port", str(self.port),
                "--database-url", self.database_url, "--workers", str(self.workers)]


# ---------------------------------------------------------------- raw limits (same database, same settings)


def _timed_loop(seconds: float, body, label: str, inner: int = 100, per: int = 1) -> tuple[int, float]:
    """Run ``body()`` (``inner`` times between clock checks) until ``seconds`` have passed; return (calls, elapsed).

    ``per`` is how many rows one call writes, for the live rate shown.
    """
    done = 0
    with progress() as bar:
        task = bar.add_task(label, total=seconds, info="")
        start = time.perf_counter()
        next_tick = start + 0.25
        while True:
            for _ in range(inner):
                body()
            done += inner
            now = time.perf_counter()
            if now >= next_tick:
                bar.update(task, completed=min(now - start, seconds), info=f"{done * per / (now - start):,.0f} rows/s")
                next_tick = now + 0.25
            if now - start >= seconds:
                bar.update(task, completed=seconds)
                return done, now - start


SCRATCH_DDL_SQLITE = "CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, title TEXT NOT NULL, at TEXT NOT NULL)"
SCRATCH_DDL_PG = "CREATE TABLE bench_raw (id bigserial PRIMARY KEY, title text NOT NULL, at timestamptz NOT NULL)"


def raw_sqlite_inserts_per_s(path: Path, seconds: float, synchronous: str = "NORMAL") -> float:
    """Committed single-row inserts/s: INSERT + COMMIT in a loop, with the app's pragmas (core/db.py).

    WAL + synchronous=NORMAL + foreign_keys, and ``BEGIN IMMEDIATE`` as the app's writers do. (``synchronous=FULL``
    fsyncs the WAL at every commit: the "fsync on" figure of issue 5, for reference.)
    """
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    for pragma in ("foreign_keys=ON", "busy_timeout=30000", "journal_mode=WAL", f"synchronous={synchronous}"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("DROP TABLE IF EXISTS bench_raw")
    conn.execute(SCRATCH_DDL_SQLITE)
    cur = conn.cursor()
    stamp = "2022-02-01 08:00:00.000000"

    def one() -> None:
        cur.execute("BEGIN IMMEDIATE")
        cur.execute("INSERT INTO bench_raw (title, at) VALUES (?, ?)", ("燃气泄漏", stamp))
        cur.execute("COMMIT")

    try:
        n, elapsed = _timed_loop(seconds, one, f"raw SQLite INSERT+COMMIT (synchronous={synchronous})")
    finally:
        conn.execute("DROP TABLE IF EXISTS bench_raw")
        conn.close()
    return n / elapsed


def raw_pg_inserts_per_s(url: str, seconds: float) -> float:
    """Committed single-row inserts/s on one psycopg connection: INSERT + COMMIT in a loop (server defaults)."""
    with psycopg.connect(url) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_raw")
        conn.execute(SCRATCH_DDL_PG)
        conn.commit()
        cur = conn.cursor()

        def one() -> None:
            cur.execute("INSERT INTO bench_raw (title, at) VALUES (%s, now())", ("燃气泄漏",))
            conn.commit()

        try:
            n, elapsed = _timed_loop(seconds, one, "raw PostgreSQL INSERT+COMMIT")
        finally:
            conn.rollback()
            conn.execute("DROP TABLE IF EXISTS bench_raw")
            conn.commit()
    return n / elapsed


def raw_pg_batched_inserts_per_s(url: str, seconds: float, batch: int = 1000) -> float:
    """Rows/s inserted by multi-row INSERTs of ``batch`` rows, one commit each: the limit for bulk work (fan-out)."""
    with psycopg.connect(url) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_raw")
        conn.execute(SCRATCH_DDL_PG)
        conn.commit()
        cur = conn.cursor()
        rows = [("燃气泄漏",)] * batch

        def one() -> None:
            cur.executemany("INSERT INTO bench_raw (title, at) VALUES (%s, now())", rows)
            conn.commit()

        try:
            n, elapsed = _timed_loop(seconds, one, f"raw PostgreSQL batched INSERT ({batch}/commit)", inner=1, per=batch)
        finally:
            conn.rollback()
            conn.execute("DROP TABLE IF EXISTS bench_raw")
            conn.commit()
    return n * batch / elapsed


def psycopg_url(url: str) -> str:
    """A SQLAlchemy URL (``postgresql+psycopg://``) as libpq wants it."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)
