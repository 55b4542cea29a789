"""What every ``dongcheng`` command group shares: the ``--database-url`` option, the settings it leads to, the
engine, and who a command acts as in the audit trail. Command groups import from here (never from cli/main.py,
which imports them). Heavy imports stay inside the functions so ``dongcheng --help`` starts fast."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from dongcheng.audit.service import Actor
    from dongcheng.core.config import Settings

DatabaseUrl = Annotated[Optional[str], typer.Option("--database-url", help="SQLAlchemy URL; default from "
                                                    "DONGCHENG_DATABASE_URL or var/dongcheng.db")]


def load_settings(database_url: str | None, **overrides: object) -> Settings:
    """The settings with ``--database-url`` and ``overrides`` (as DONGCHENG_<KEY>) applied; refused settings (e.g.
    the default secret in production) end the command with exit 2 and the reason."""
    from dongcheng.core.config import get_settings

    if database_url:
        os.environ["DONGCHENG_DATABASE_URL"] = database_url
    for key, value in overrides.items():
        os.environ[f"DONGCHENG_{key.upper()}"] = str(value)
    get_settings.cache_clear()
    try:
        return get_settings()
    except ValueError as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(2) from exc


def open_engine(database_url: str | None) -> Engine:
    from dongcheng.core.db import engine_for

    return engine_for(load_settings(database_url).database_url)


def cli_actor() -> Actor:
    """The person at the terminal, as the audit trail names them: ``cli:<login>``."""
    from dongcheng.audit.service import Actor

    return Actor(f"cli:{os.environ.get('USER', 'admin')}")
