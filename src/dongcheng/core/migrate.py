"""Run Alembic migrations programmatically (``dongcheng db upgrade``, ``serve``, tests)."""
from __future__ import annotations

from alembic import command
from alembic.config import Config

from dongcheng.core.config import REPO_ROOT
from dongcheng.core.db import normalise_url, sqlite_path


def alembic_config(database_url: str) -> Config:
    cfg = Config(str(REPO_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", normalise_url(database_url).replace("%", "%%"))
    return cfg


def upgrade(database_url: str, revision: str = "head") -> None:
    """Migrate; the one place a SQLite database (and its folder) is created."""
    path = sqlite_path(database_url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(database_url), revision)


def current(database_url: str) -> str | None:
    from alembic.runtime.migration import MigrationContext

    from dongcheng.core.db import make_engine

    engine = make_engine(database_url)
    with engine.connect() as conn:
        heads = MigrationContext.configure(conn).get_current_heads()
    engine.dispose()
    return ", ".join(heads) if heads else None
