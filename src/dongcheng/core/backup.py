"""Backup and restore: SQLite through its online backup API, PostgreSQL through pg_dump / pg_restore."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import make_url

from dongcheng.core.db import normalise_url


def _libpq_url(database_url: str) -> str:
    return make_url(normalise_url(database_url)).set(drivername="postgresql").render_as_string(hide_password=False)


def _sqlite_path(database_url: str) -> str:
    path = make_url(database_url).database
    if not path or path == ":memory:":
        raise ValueError("cannot back up an in-memory database")
    return path


Progress = Callable[..., None]  # advance(n=1, total=None), as cli.common.progress yields


def _pages(progress: Progress | None):
    """sqlite3's backup callback (status, remaining, total) as progress in pages copied."""
    if progress is None:
        return None
    done = [0]

    def step(_status: int, remaining: int, total: int) -> None:
        progress(total - remaining - done[0], total=total)
        done[0] = total - remaining

    return step


PAGES_PER_STEP = 1024  # pages copied between two progress updates (4 MB at SQLite's default page size)


def backup(database_url: str, target: Path, *, progress: Progress | None = None) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    if database_url.startswith("sqlite"):
        src = sqlite3.connect(_sqlite_path(database_url))
        dst = sqlite3.connect(str(target))
        try:
            with dst:
                # a consistent snapshot while the platform keeps running
                src.backup(dst, pages=PAGES_PER_STEP, progress=_pages(progress))
        finally:
            dst.close()
            src.close()
        return target
    _require("pg_dump")
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", _libpq_url(database_url)],
                   check=True)
    return target


def restore(database_url: str, source: Path, *, progress: Progress | None = None) -> None:
    if not source.is_file():
        raise FileNotFoundError(2, "no such file", str(source))
    if database_url.startswith("sqlite"):
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(_sqlite_path(database_url))
        try:
            with dst:
                src.backup(dst, pages=PAGES_PER_STEP, progress=_pages(progress))
        finally:
            dst.close()
            src.close()
        return
    _require("pg_restore")
    url = _libpq_url(database_url)
    # Replace the whole public schema so the restored database is exactly the backup.
    subprocess.run(["psql", "--quiet", "-v", "ON_ERROR_STOP=1", "-c",
                    "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;", url],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={url}", str(source)], check=True)


def _require(tool: str) -> None:
    if shutil.which(tool) is None:
        raise RuntimeError(f"{tool} is not installed (Debian: apt-get install postgresql-client)")
