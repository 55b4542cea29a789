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

    from dongcheng.calendar.schemas import ScheduleIn
    from dongcheng.calendar.service import load_schedule
    from dongcheng.core.datafiles import load_yaml
    from dongcheng.core.db import transaction

    engine = open_engine(database_url)
    try:
        raw = load_yaml(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        typer.secho(f"错误：文件不是有效的 YAML / error: not YAML: {str(exc).splitlines()[0]}", fg="red", err=True)
        raise typer.Exit(1) from exc
    schedule = ScheduleIn.model_validate(raw)  # a bad field: one line naming it (cli.common.Commands)
    with transaction(engine) as session:
        stored = load_schedule(session, schedule=schedule, actor=cli_actor())
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
