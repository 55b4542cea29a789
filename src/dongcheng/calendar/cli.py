"""``dongcheng calendar``: load the State Council's holiday schedule for a year; show a year; count working days."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

calendar_app = typer.Typer(help="Working days: the official holiday schedule (SPEC §3)", no_args_is_help=True)

DatabaseUrl = Annotated[Optional[str], typer.Option("--database-url", help="SQLAlchemy URL; default from "
                                                    "DONGCHENG_DATABASE_URL or var/dongcheng.db")]


@calendar_app.command("load")
def load(file: Annotated[Path, typer.Argument(help="YAML: year, source, holidays [{name, from, to}], working_days",
                                              exists=True, dir_okay=False, readable=True)],
         database_url: DatabaseUrl = None) -> None:
    """Load (or replace) a year's schedule as published by the State Council; audited."""
    import yaml
    from pydantic import ValidationError

    from dongcheng.api.errors import validation_fields
    from dongcheng.audit.service import Actor
    from dongcheng.calendar.schemas import ScheduleIn
    from dongcheng.calendar.service import load_schedule
    from dongcheng.cli.main import _settings
    from dongcheng.core.db import engine_for, transaction
    from dongcheng.core.errors import DomainError

    settings = _settings(database_url)
    try:
        schedule = ScheduleIn.model_validate(yaml.safe_load(file.read_text(encoding="utf-8")))
        with transaction(engine_for(settings.database_url)) as session:
            stored = load_schedule(session, schedule=schedule, actor=Actor(f"cli:{os.environ.get('USER', 'admin')}"))
    except ValidationError as exc:
        from fastapi.exceptions import RequestValidationError

        for f in validation_fields(RequestValidationError(exc.errors())):
            typer.secho(f"{f.field}: {f.zh} / {f.en}", fg="red", err=True)
        raise typer.Exit(1) from exc
    except DomainError as exc:
        for f in exc.fields or ():
            typer.secho(f"{f.field}: {f.zh} / {f.en}", fg="red", err=True)
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(1) from exc
    except yaml.YAMLError as exc:
        typer.secho(f"not YAML / 文件格式有误: {exc}", fg="red", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"{schedule.year}: {stored} days loaded / 已载入 ({schedule.source})")


@calendar_app.command("show")
def show(year: int, database_url: DatabaseUrl = None) -> None:
    """A year's holidays and make-up working days, and where they come from."""
    from datetime import timedelta

    from dongcheng.calendar.service import working_days
    from dongcheng.cli.main import _settings
    from dongcheng.core.db import engine_for, transaction

    settings = _settings(database_url)
    with transaction(engine_for(settings.database_url)) as session:
        cal = working_days(session)
    first = cal.day(date(year, 1, 1))
    typer.echo(f"{year}: {cal.coverage(year)}{' (provisional / 估算)' if first.provisional else ''} — {first.source}")
    current = date(year, 1, 1)
    while current.year == year:
        day = cal.day(current)
        if day.name:
            typer.echo(f"  {current.isoformat()} {'上班' if day.working else '放假'} {day.name}")
        current += timedelta(days=1)
