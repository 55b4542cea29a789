"""The ``dongcheng`` command: serve, db upgrade, reference load, audit verify, backup, restore, users."""
from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from dongcheng import modules
from dongcheng.cli.common import Commands, DatabaseUrl, cli_actor, load_settings, open_engine, progress
from dongcheng.cli.worker import worker_app

# Commands: whatever a command raises ends as one line (zh / en) and an exit code, never a traceback (cli/common.py).
app = typer.Typer(help="东城区政务平台 Dongcheng platform", no_args_is_help=True, add_completion=False, cls=Commands,
                  pretty_exceptions_enable=False)
db_app = typer.Typer(help="Database schema (Alembic migrations)", no_args_is_help=True)
reference_app = typer.Typer(help="Reference data transcribed from the gazette (data/)", no_args_is_help=True)
audit_app = typer.Typer(help="The audit log: keyed chain, signed checkpoints (docs/audit.md)", no_args_is_help=True)
users_app = typer.Typer(help="Platform users", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(reference_app, name="reference")
app.add_typer(audit_app, name="audit")
app.add_typer(users_app, name="users")
app.add_typer(worker_app, name="worker")  # the platform's outbox worker
for _name, _group in modules.cli_groups():  # each module's own command group (its cli.py, its Module.cli)
    app.add_typer(_group, name=_name)

def _prepare(settings, *, demo: bool) -> None:
    from dongcheng.core import migrate
    from dongcheng.core.db import engine_for, transaction
    from dongcheng.provision import provision

    typer.echo("· migrating database / 迁移数据库 …")
    migrate.upgrade(settings.database_url)
    typer.echo("· loading reference data, the gazette" + (" and demo users" if demo else "") + " / 载入参考数据与政府公报 …")
    with transaction(engine_for(settings.database_url)) as session:
        done = provision(session, settings.data_dir, demo=demo, scenario=demo)
    if done.reference.changed or done.heritage.changed:
        typer.echo(f"  reference data: {', '.join(done.reference.changed_files + done.heritage.changed_files)}")
    typer.echo(f"  gazette / 政府公报: {len(done.gazette)} issue(s), {sum(r.changed for r in done.gazette)} imported")
    if done.directory:
        typer.echo(f"  directory from the gazette text / 由公报原文建立目录: {done.directory.seats} seats, "
                   f"{done.directory.confirmed} lines confirmed ({done.directory.placed_by_hand} placed by "
                   "data/directory/leaders.yaml); agrees with data/directory / 与转录一致")
    if demo:
        typer.echo(f"  demo users / 演示账号: {done.demo_users_created} created (password demo-password)")
        made = {name: n for name, n in (done.demo_data or {}).items() if n}
        if made:
            typer.echo("  exercise scenario / 演练场景: " + ", ".join(f"{name} {n}" for name, n in made.items()))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="bind address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    database_url: DatabaseUrl = None,
    no_demo: Annotated[bool, typer.Option("--no-demo", help="no demo users; demo password refused")] = False,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes")] = 1,
) -> None:
    """Migrate, load reference data (and demo users unless --no-demo), then serve the platform."""
    import os

    import uvicorn

    from dongcheng.cli import serving

    os.environ.setdefault("DONGCHENG_AUDIT_SEQUENCER", "1")  # the audit log's sequencer in-process (docs/audit.md)
    settings = load_settings(database_url, demo_mode=not no_demo)
    _prepare(settings, demo=not no_demo)
    typer.echo(f"· serving on http://{host}:{port}  ({settings.database_url.split('@')[-1]})")
    if workers > 1 and serving.can_share_port():  # a listening socket per worker (cli/serving.py)
        serving.serve_workers(host, port, workers, log_level="info", proxy_headers=False)
        return
    uvicorn.run(serving.APP, factory=True, host=host, port=port, workers=workers, log_level="info",
                proxy_headers=False)


@db_app.command("upgrade")
def db_upgrade(database_url: DatabaseUrl = None, revision: str = "head") -> None:
    """Apply migrations up to REVISION (default head)."""
    from dongcheng.core import migrate

    settings = load_settings(database_url)
    migrate.upgrade(settings.database_url, revision)
    typer.echo(f"database at revision {migrate.current(settings.database_url)}")


@db_app.command("current")
def db_current(database_url: DatabaseUrl = None) -> None:
    from dongcheng.cli.common import existing_database
    from dongcheng.core import migrate

    typer.echo(migrate.current(existing_database(load_settings(database_url).database_url)) or "(empty database)")


@reference_app.command("check")
def reference_check(data_dir: Annotated[Optional[Path], typer.Option()] = None) -> None:
    """Validate the data files without touching a database."""
    from dongcheng.heritage.files import read_heritage
    from dongcheng.reference.files import ReferenceDataError, read_reference
    from dongcheng.supervision.network.files import read_network
    from dongcheng.supervision.tasks.files import read_tasks

    settings = load_settings(None)
    try:
        data = read_reference(data_dir or settings.data_dir)
        heritage = read_heritage(data_dir or settings.data_dir)
        tasks = read_tasks(data_dir or settings.data_dir)
        network = read_network(data_dir or settings.data_dir)
    except ReferenceDataError as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"ok: {len(data.units)} units, {len(data.event_types)} event types, {len(data.plans)} plans, "
               f"{len(data.seats)} leader seats, {len(data.appointments)} appointment lines, "
               f"{len(heritage.items)} heritage items, {len(tasks.tasks)} supervision tasks "
               f"({len(tasks.printed_names)} names, all resolved), {len(network.stations)} first-aid sites")


@reference_app.command("load")
def reference_load(database_url: DatabaseUrl = None, force: bool = False,
                   data_dir: Annotated[Optional[Path], typer.Option()] = None) -> None:
    """Validate data/ and load it (only files whose content changed, unless --force)."""
    from dongcheng.core.db import transaction
    from dongcheng.heritage.loader import load_heritage
    from dongcheng.reference.files import ReferenceDataError
    from dongcheng.reference.loader import load_reference

    settings = load_settings(database_url)
    try:
        with transaction(open_engine(database_url)) as session:
            report = load_reference(session, data_dir or settings.data_dir, force=force)
            heritage = load_heritage(session, data_dir or settings.data_dir, force=force)
    except ReferenceDataError as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(1) from exc
    if not report.changed and not heritage.changed:
        typer.echo("reference data unchanged / 参考数据未变化")
    else:
        typer.echo(f"loaded / 已载入: {', '.join(report.changed_files + heritage.changed_files)}; "
                   f"{report.counts | heritage.counts}")


@audit_app.command("verify")
def audit_verify(
    database_url: DatabaseUrl = None,
    checkpoints_file: Annotated[Optional[Path], typer.Option(
        "--checkpoints", help="signed checkpoints to hold the log to (default: the file the platform writes)")] = None,
) -> None:
    """Prove the log: every entry by sequence, its keyed link and the signed checkpoints; exit 1 and name the first
    edited, deleted or re-chained entry, or the checkpoint a truncated log falls short of."""
    from dongcheng.audit import checkpoints
    from dongcheng.audit.service import verify
    from dongcheng.core.db import transaction

    engine = open_engine(database_url)
    path = checkpoints_file or checkpoints.default_path(load_settings(database_url))
    if checkpoints_file is not None and not checkpoints_file.is_file():
        raise FileNotFoundError(2, "no such file", str(checkpoints_file))
    found = checkpoints.read(path) if path is not None else checkpoints.CheckpointFile()
    if found.unreadable:
        typer.secho(f"checkpoint file {path}: lines {found.unreadable} are not checkpoints / 检查点文件有无法读取的行",
                    fg="red", err=True)
        raise typer.Exit(1)
    with transaction(engine, write=False) as session, progress("verifying / 校验") as advance:
        result = verify(session, checkpoints=found.checkpoints, progress=advance)
    held = (f"{result.checkpoints} checkpoint(s) matched, from {path}" if found.checkpoints
            else "no checkpoints / 无检查点: a truncated tail cannot be detected")
    if result.ok:
        typer.echo(f"audit chain intact / 审计链完整: {result.checked} entries (sequenced to {result.head_seq}, "
                   f"{result.pending} waiting); {held}")
        return
    where = f"entry {result.first_broken_id}" if result.first_broken_id is not None else f"seq {result.broken_seq}"
    typer.secho(f"audit chain BROKEN at {where} (seq {result.broken_seq}) / 审计链在 {where} 处断开: "
                f"{result.reason} ({result.checked} entries verified before it)", fg="red", err=True)
    raise typer.Exit(1)


@audit_app.command("sequence")
def audit_sequence(database_url: DatabaseUrl = None) -> None:
    """Chain every waiting entry now and write the checkpoints (what the sequencer does every 200 ms)."""
    from dongcheng.audit.sequencer import Sequencer

    sequencer = Sequencer(open_engine(database_url), load_settings(database_url))
    total = 0
    while (batch := sequencer.step()) is not None:
        total += batch.count
    typer.echo(f"sequenced / 已编号: {total} entries; checkpoints in {sequencer.path}")


@audit_app.command("public-key")
def audit_public_key() -> None:
    """The Ed25519 public key of the current audit key: a checkpoint sink can check signatures with it alone."""
    from dongcheng.audit import rules
    from dongcheng.audit.service import keys

    k = keys(load_settings(None))
    typer.echo(f"{k.current_id} ed25519 {rules.public_key(k.current)}")


@app.command()
def backup(
    database_url: DatabaseUrl = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="file to write")] = None,
) -> None:
    """Back up the database (SQLite online backup API; PostgreSQL pg_dump custom format)."""
    from dongcheng.cli.common import existing_database
    from dongcheng.core.backup import backup as do_backup

    url = existing_database(load_settings(database_url).database_url)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite3" if url.startswith("sqlite") else "pgdump"
    target = output or Path("var/backups") / f"dongcheng-{stamp}.{suffix}"
    with progress("backing up / 备份") as advance:
        do_backup(url, target, progress=advance)
    typer.echo(f"backup written / 备份完成: {target} ({target.stat().st_size} bytes)")


@app.command()
def restore(
    source: Annotated[Path, typer.Argument(help="a file written by `dongcheng backup`")],
    database_url: DatabaseUrl = None,
    execute: Annotated[bool, typer.Option("--execute", help="really replace the database")] = False,
) -> None:
    """Replace the database with a backup. Destructive: needs --execute."""
    from dongcheng.core.backup import restore as do_restore

    settings = load_settings(database_url)
    if not execute:
        typer.echo(f"would replace {settings.database_url.split('@')[-1]} with {source}; add --execute to do it")
        raise typer.Exit(1)
    if not source.is_file():
        raise FileNotFoundError(2, "no such file", str(source))
    with progress("restoring / 恢复") as advance:
        do_restore(settings.database_url, source, progress=advance)
    typer.echo(f"restored / 已恢复 from {source}")


@users_app.command("create")
def users_create(
    username: str, role: str, display_name: Annotated[str, typer.Option()] = "",
    person: Annotated[Optional[str], typer.Option()] = None, unit: Annotated[Optional[str], typer.Option()] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create a user; the password is read from the prompt (never from the command line)."""
    from dongcheng.auth import rules
    from dongcheng.auth.service import create_user_named
    from dongcheng.core.db import transaction

    engine = open_engine(database_url)  # refused before the prompt: a database that is not there, an unknown role
    rules.role_refusal(role).require()  # (create_user checks the role again)
    password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    with transaction(engine) as session:
        create_user_named(session, actor=cli_actor(), username=username, password=password,
                          display_name=display_name or username, role=role, person=person, unit=unit)
    typer.echo(f"user {username} created")


@users_app.command("list")
def users_list(database_url: DatabaseUrl = None) -> None:
    """Every user: username, role, person or unit, active or inactive."""
    from dongcheng.auth.service import list_users
    from dongcheng.core.db import transaction

    with transaction(open_engine(database_url)) as session:
        for user in list_users(session):
            link = user.person.name if user.person else user.unit.name if user.unit else "-"
            typer.echo(f"{user.username:<20} {user.role:<13} {'active' if user.is_active else 'inactive':<9} {link}")


@users_app.command("deactivate")
def users_deactivate(username: str, database_url: DatabaseUrl = None) -> None:
    """Deactivate USERNAME and revoke their tokens (audited)."""
    from dongcheng.auth.service import deactivate_user
    from dongcheng.core.db import transaction

    with transaction(open_engine(database_url)) as session:
        deactivate_user(session, actor=cli_actor(), username=username)
    typer.echo(f"user {username} deactivated, tokens revoked / 账号已停用，令牌已吊销")


@users_app.command("reset-password")
def users_reset_password(username: str, database_url: DatabaseUrl = None) -> None:
    """Set USERNAME's password (read from the prompt, policy checked) and revoke their tokens (audited)."""
    from dongcheng.auth.service import reset_password
    from dongcheng.core.db import transaction

    engine = open_engine(database_url)
    password = typer.prompt("new password", hide_input=True, confirmation_prompt=True)
    with transaction(engine) as session:
        reset_password(session, actor=cli_actor(), username=username, password=password)
    typer.echo(f"password of {username} reset, tokens revoked / 密码已重置，令牌已吊销")


def main() -> None:  # pragma: no cover
    app(prog_name="dongcheng")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
