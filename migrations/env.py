"""Alembic environment: our engine set-up (SQLite pragmas, psycopg 3) and batch mode for SQLite."""
from __future__ import annotations

from alembic import context

from dongcheng.core.config import get_settings
from dongcheng.core.db import make_engine
from dongcheng.core.search import include_name
from dongcheng.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,  # the search index's hand-made objects are not ORM tables
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `dongcheng db upgrade`")
run_migrations_online()
