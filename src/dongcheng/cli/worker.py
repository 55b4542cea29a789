"""``dongcheng worker``: drain the transactional outbox and send warning deliveries (东政发〔2022〕3号 §3.2.8); and,
in a thread, the audit log's sequencer (on PostgreSQL the one worker holding its lock sequences, the rest watch).

Run several on PostgreSQL (they share the queue with ``FOR UPDATE SKIP LOCKED``, and a big fan-out is split into
shares they write in parallel); on SQLite writers queue. A worker killed at any point loses nothing and duplicates
nothing: each fan-out share and each batch of deliveries is one transaction. Gateways are plugins
(``DONGCHENG_CHANNEL_PLUGINS``, see core/plugins.py); a rate-limited one gets batches of about half a second.
Between batches it runs the modules' periodic jobs (``@outbox.periodic``): the reporting clock's escalation waves,
raised within a second of their thresholds (emergency/incidents/escalation.py).
"""
from __future__ import annotations

import os
import signal
import time
from typing import Annotated

import typer

from dongcheng.cli.common import DatabaseUrl, open_engine
from dongcheng.emergency.warnings.cli import seed_subscribers

worker_app = typer.Typer(help="Outbox worker: warning fan-out and deliveries (§3.2.8), reporting-clock escalation",
                         invoke_without_command=True,
                         no_args_is_help=False)

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
    from dongcheng import modules

    modules.import_tasks()  # each module's outbox handlers (Module.tasks): the 续报 top-up, the warning fan-out
    from dongcheng.emergency.warnings import dissemination

    stopping = {"flag": False}

    def _stop(*_):
        stopping["flag"] = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    engine = open_engine(database_url)
    from dongcheng.audit import sequencer  # the audit log's sequencer (PostgreSQL: whoever holds its lock)

    sequencer_thread, sequencer_stop = sequencer.start_thread(engine)
    started = time.monotonic()
    typer.echo(f"worker {os.getpid()} started / 预警分发进程已启动 (batch {batch})")
    result = dissemination.drain(engine, batch=batch, until_empty=once, idle_sleep=idle_sleep,
                                 stop=lambda: stopping["flag"])
    sequencer_stop.set()
    sequencer_thread.join(timeout=10)
    typer.echo(f"worker {os.getpid()} stopped: sent {result.sent}, retried {result.retried}, failed {result.failed} "
               f"in {time.monotonic() - started:.1f} s")


worker_app.command("seed-subscribers")(seed_subscribers)  # the warnings domain's command (its cli.py)
