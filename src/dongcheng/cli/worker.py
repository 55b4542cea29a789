"""``dongcheng worker``: drain the transactional outbox and send warning deliveries (东政发〔2022〕3号 §3.2.8).

Run several on PostgreSQL (they share the queue with ``FOR UPDATE SKIP LOCKED``, and a big fan-out is split into
shares they write in parallel); on SQLite writers queue. A worker killed at any point loses nothing and duplicates
nothing: each fan-out share and each batch of deliveries is one transaction. Gateways are plugins
(``DONGCHENG_CHANNEL_PLUGINS``, see core/plugins.py); a rate-limited one gets batches of about half a second.
"""
from __future__ import annotations

import os
import signal
import time
from typing import Annotated, Optional

import typer

worker_app = typer.Typer(help="Outbox worker: warning fan-out and deliveries (§3.2.8)", invoke_without_command=True,
                         no_args_is_help=False)

DatabaseUrl = Annotated[Optional[str], typer.Option("--database-url", help="SQLAlchemy URL; default from "
                                                    "DONGCHENG_DATABASE_URL or var/dongcheng.db")]


def _engine(database_url: str | None):
    from dongcheng.cli.main import _settings
    from dongcheng.core.db import engine_for

    return engine_for(_settings(database_url).database_url)


@worker_app.callback()
def run(
    ctx: typer.Context,
    database_url: DatabaseUrl = None,
    batch: Annotated[int, typer.Option(help="deliveries per transaction (at most)")] = 5000,
    once: Annotated[bool, typer.Option("--once", help="exit when nothing is due instead of polling")] = False,
    idle_sleep: Annotated[float, typer.Option(help="seconds between polls when idle")] = 0.5,
) -> None:
    """Process due outbox messages and deliveries until stopped (SIGTERM/SIGINT finish the current batch)."""
    if ctx.invoked_subcommand is not None:
        return
    import dongcheng.models  # noqa: F401 - every table known to the ORM
    from dongcheng.emergency.incidents import tasks as incident_tasks  # noqa: F401 - registers the 续报 top-up
    from dongcheng.emergency.warnings import dissemination  # registers the fan-out handler

    stopping = {"flag": False}

    def _stop(*_):
        stopping["flag"] = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    engine = _engine(database_url)
    started = time.monotonic()
    typer.echo(f"worker {os.getpid()} started / 预警分发进程已启动 (batch {batch})")
    result = dissemination.drain(engine, batch=batch, until_empty=once, idle_sleep=idle_sleep,
                                 stop=lambda: stopping["flag"])
    typer.echo(f"worker {os.getpid()} stopped: sent {result.sent}, retried {result.retried}, failed {result.failed} "
               f"in {time.monotonic() - started:.1f} s")


@worker_app.command("seed-subscribers")
def seed_subscribers(
    count: Annotated[int, typer.Argument(help="how many synthetic subscribers")],
    database_url: DatabaseUrl = None,
    street: Annotated[Optional[list[str]], typer.Option("--street", help="only these streets (repeatable)")] = None,
    seed: Annotated[int, typer.Option(help="random seed")] = 20221,
) -> None:
    """Create N synthetic subscribers (residents and units, ~12 % targeted) for demos and benchmarks."""
    from dongcheng.audit.service import Actor
    from dongcheng.core.db import transaction
    from dongcheng.emergency.warnings import subscribers

    engine = _engine(database_url)
    started = time.monotonic()
    with transaction(engine) as session:
        subscribers.seed_subscribers(session, actor=Actor(f"cli:{os.environ.get('USER', 'admin')}"), count=count,
                                       streets=street or None, seed=seed)
    elapsed = time.monotonic() - started
    typer.echo(f"{count} subscribers created in {elapsed:.1f} s ({count / max(elapsed, 1e-9):,.0f}/s)")
