"""``dongcheng worker seed-subscribers N``: synthetic subscribers for the §3.2.8 registry (demos and benchmarks).

The command belongs to the warnings domain (it writes its subscriber registry); it is mounted on the platform's
``dongcheng worker`` group (cli/worker.py), where the fan-out it feeds runs."""
from __future__ import annotations

import time
from typing import Annotated, Optional

import typer

from dongcheng.cli.common import DatabaseUrl, cli_actor, open_engine, progress


def seed_subscribers(
    count: Annotated[int, typer.Argument(help="how many synthetic subscribers")],
    database_url: DatabaseUrl = None,
    street: Annotated[Optional[list[str]], typer.Option("--street", help="only these streets (repeatable)")] = None,
    seed: Annotated[int, typer.Option(help="random seed")] = 20221,
) -> None:
    """Create N synthetic subscribers (residents and units, ~12 % targeted) for demos and benchmarks."""
    from dongcheng.core.db import transaction
    from dongcheng.emergency.warnings import subscribers

    engine = open_engine(database_url)
    started = time.monotonic()
    with transaction(engine) as session, progress("seeding / 生成订阅者", total=count) as advance:
        subscribers.seed_subscribers(session, actor=cli_actor(), count=count,
                                       streets=street or None, seed=seed, progress=advance)
    elapsed = time.monotonic() - started
    typer.echo(f"{count} subscribers created in {elapsed:.1f} s ({count / max(elapsed, 1e-9):,.0f}/s)")
