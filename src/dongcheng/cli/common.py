"""What every ``dongcheng`` command group shares: the ``--database-url`` option, the settings it leads to, the
engine, who a command acts as in the audit trail, how a command refuses (one line, zh then en — never a traceback)
and its progress bar. Command groups import from here (never from cli/main.py, which imports them). Heavy imports
stay inside the functions so ``dongcheng --help`` starts fast."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional

import click
import typer
from typer.core import TyperGroup

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from dongcheng.audit.service import Actor
    from dongcheng.core.config import Settings

DatabaseUrl = Annotated[Optional[str], typer.Option("--database-url", help="SQLAlchemy URL; default from "
                                                    "DONGCHENG_DATABASE_URL or var/dongcheng.db")]


class NoDatabase(Exception):
    """A SQLite path that names no database: a command that reads or changes one never creates an empty file."""

    def __init__(self, path: object) -> None:
        super().__init__(f"数据库文件不存在 / no database at {path}: check --database-url or DONGCHENG_DATABASE_URL "
                         f"(`dongcheng db upgrade` or `dongcheng serve` creates one)")


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


def existing_database(database_url: str) -> str:
    """The URL, once it is known to name a database that exists (SQLite: the file is there)."""
    from dongcheng.core.db import sqlite_path

    path = sqlite_path(database_url)
    if path is not None and not path.is_file():
        raise NoDatabase(path)
    return database_url


def open_engine(database_url: str | None) -> Engine:
    """The engine of an existing database (``--database-url`` or the settings' default)."""
    from dongcheng.core.db import engine_for

    return engine_for(existing_database(load_settings(database_url).database_url))


def cli_actor() -> Actor:
    """The person at the terminal, as the audit trail names them: ``cli:<login>``."""
    from dongcheng.audit.service import Actor

    return Actor(f"cli:{os.environ.get('USER', 'admin')}")


def refusal_line(exc: BaseException) -> tuple[str, int]:
    """What a command prints for an error — one line (zh / en), or one per bad field naming it — and its exit code:
    1 for a refused input, 2 for the environment (no database, no file, no connection)."""
    from pydantic import ValidationError
    from sqlalchemy.exc import OperationalError

    from dongcheng.core.errors import DomainError
    from dongcheng.core.validation import field_errors

    if isinstance(exc, DomainError):
        if exc.fields:
            return "\n".join(f"错误 / error: {f.field}: {f.zh} / {f.en}" for f in exc.fields), 1
        return f"错误 / error: {exc.zh} / {exc.en}", 1
    if isinstance(exc, ValidationError):
        return "\n".join(f"错误 / error: {f.field}: {f.zh} / {f.en}" for f in field_errors(exc.errors())), 1
    if isinstance(exc, NoDatabase):
        return str(exc), 2
    if isinstance(exc, FileNotFoundError):
        return f"文件不存在 / file not found: {exc.filename or exc}", 2
    if isinstance(exc, IsADirectoryError):
        return f"这是一个目录，不是文件 / is a directory, not a file: {exc.filename or exc}", 2
    if isinstance(exc, PermissionError):
        return f"没有权限 / permission denied: {exc.filename or exc}", 2
    if isinstance(exc, UnicodeDecodeError):
        return f"文件不是 UTF-8 文本 / the file is not UTF-8 text: {exc.reason} at byte {exc.start}", 1
    if isinstance(exc, OperationalError):
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc).splitlines()[0]
        return f"无法打开数据库 / cannot open the database: {reason}", 2
    return (f"错误 / error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''} "
            f"(DONGCHENG_DEBUG=1 shows the traceback)"), 1


def refuse(exc: BaseException, code: int | None = None) -> NoReturn:
    """End the command with the error's one line on stderr."""
    line, default_code = refusal_line(exc)
    typer.secho(line, fg="red", err=True)
    raise typer.Exit(default_code if code is None else code) from exc


class Commands(TyperGroup):
    """The command group class of ``dongcheng``: whatever a command raises ends as one line and an exit code
    (``refuse``), not a traceback — unless DONGCHENG_DEBUG is set."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except Exception as exc:
            if os.environ.get("DONGCHENG_DEBUG"):
                raise
            refuse(exc)


@contextmanager
def progress(label: str, total: int | None = None) -> Iterator[Callable[..., None]]:
    """A progress bar on stderr for a step that can take seconds; yields ``advance(n=1, total=None)``. Without a
    known total it shows a running count."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=Console(stderr=True)) as bar:
        task = bar.add_task(label, total=total)

        def advance(n: int = 1, total: int | None = None) -> None:
            if total is not None:
                bar.update(task, total=total)
            bar.advance(task, n)

        yield advance
