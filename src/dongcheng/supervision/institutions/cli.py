"""``dongcheng supervision-credit load-policy FILE``: an administrator loads the points / repair policy."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dongcheng.cli.common import DatabaseUrl, cli_actor, open_engine

credit_app = typer.Typer(help="医疗卫生行业信用：记分政策 (东政办发〔2021〕17号 四（二）)", no_args_is_help=True)


@credit_app.command("load-policy")
def load_policy(file: Annotated[Path, typer.Argument(help="YAML like data/supervision/credit_policy.yaml",
                                                     exists=True, dir_okay=False, readable=True)],
                database_url: DatabaseUrl = None) -> None:
    """Validate and load a policy file (the Beijing table once found); audited; refused whole on any bad field."""
    import yaml

    from dongcheng.core.datafiles import load_yaml
    from dongcheng.core.db import transaction
    from dongcheng.core.errors import DomainError
    from dongcheng.supervision.institutions import service

    try:
        data = load_yaml(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        typer.secho(f"not YAML / 文件格式有误: {exc}", fg="red", err=True)
        raise typer.Exit(1) from exc
    engine = open_engine(database_url)
    try:
        with transaction(engine) as session:
            row = service.load_policy(session, actor=cli_actor(), data=data)
            source = row.source
    except DomainError as exc:
        for f in exc.fields or ():
            typer.secho(f"{f.field}: {f.zh} / {f.en}", fg="red", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"policy loaded / 已载入: {source}")
