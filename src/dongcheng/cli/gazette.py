"""``dongcheng gazette import FILE``: import an issue of the gazette from its plain text (SPEC §2.7), idempotently."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer

gazette_app = typer.Typer(help="The gazette: import an issue from its plain text (SPEC §2.7)", no_args_is_help=True)

DatabaseUrl = Annotated[Optional[str], typer.Option("--database-url", help="SQLAlchemy URL; default from "
                                                    "DONGCHENG_DATABASE_URL or var/dongcheng.db")]


@gazette_app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="the issue's text, UTF-8 (e.g. data/gazette/2022-03.txt)",
                                         exists=True, dir_okay=False, readable=True)],
    database_url: DatabaseUrl = None,
) -> None:
    """Split the issue into documents and clauses and store it; the same file again changes nothing."""
    from dongcheng.audit.service import Actor
    from dongcheng.cli.main import _settings
    from dongcheng.core.db import engine_for, transaction
    from dongcheng.core.errors import DomainError
    from dongcheng.gazette.service import import_issue

    settings = _settings(database_url)
    try:
        with transaction(engine_for(settings.database_url)) as session:
            result = import_issue(session, data=file.read_bytes(), source_name=file.name,
                                  actor=Actor(f"cli:{os.environ.get('USER', 'admin')}"))
            label = f"{result.issue.year}年第{result.issue.number}期"
    except DomainError as exc:
        details = "; ".join(f"{f.zh} / {f.en}" for f in exc.fields)
        typer.secho(f"{exc}{': ' + details if details else ''}", fg="red", err=True)
        raise typer.Exit(1) from exc
    state = ("imported / 已导入" if result.created else "replaced / 已更新" if result.replaced
             else "unchanged / 未变化（同一文件已导入）")
    typer.echo(f"{label}: {state}; documents / 文件 {result.documents}, clauses / 条款 {result.clauses}, "
               f"table of contents / 目录 {result.toc_entries}")
    for note in result.notes:
        typer.echo(f"  note / 提示: {note}")
