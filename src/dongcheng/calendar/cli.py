"""``dongcheng calendar``: load the State Council's holiday schedule for a year; show a year."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from dongcheng.cli.common import DatabaseUrl, cli_actor, open_engine

calendar_app = typer.Typer(help="Working days: the official holiday schedule (SPEC §3)", no_args_is_help=True)


@calendar_app.command("load")
def load(file: Annotated[Path, typer.Argument(help="YAML: year, source, holidays [{name, from, to}], working_days",
                                              exists=True, dir_okay=False, readable=True)],
         database_url: DatabaseUrl = None) -> None:
    """Load (or replace) a year's schedule as published by the State Council; audited."""
    import yaml
    from pydantic import ValidationError

    from dongcheng.calendar.schemas import ScheduleIn
    from dongcheng.calendar.service import load_schedule
    from dongcheng.core.db import transaction
    from dongcheng.core.errors import DomainError
    from dongcheng.core.validation import field_errors

    engine = open_engine(database_url)
    try:
        schedule = ScheduleIn.model_validate(yaml.safe_load(file.read_text(encoding="utf-8")))
        with transaction(engine) as session:
            stored = load_schedule(session, schedule=schedule, actor=cli_actor())
    except ValidationError as exc:
        for f in field_errors(exc.errors()):
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
    from dongcheng.calendar.service import working_days
    from dongcheng.core.db import transaction

    with transaction(open_engine(database_url)) as session:
        cal = working_days(session)
    first = cal.day(date(year, 1, 1))
    typer.echo(f"{year}: {cal.coverage(year)}{' (provisional / 估算)' if first.provisional else ''} — {first.source}")
    for day in cal.named_days(year):
        typer.echo(f"  {day.day.isoformat()} {'上班' if day.working else '放假'} {day.name}")
