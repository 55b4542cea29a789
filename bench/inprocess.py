"""CPU per request of the platform and of the bare same-rows app (bench/bare_app.py), driven in one process without
sockets, interleaved: a quick and steady check of an optimisation of intake, the incident read or the board.

    .venv/bin/python -m bench.inprocess [sqlite|postgres] [--requests N] [--concurrency C] [--rounds R]
        [--what intake,read,board]

Both ASGI apps run on the same fresh database (migrated and provisioned as ``dongcheng serve`` leaves it, the demo
``duty`` signed in); each is called directly (an ASGI scope, no HTTP parsing, no uvicorn), C requests at a time. The
platform and the bare app take turns in R rounds (alternating which goes first), so a machine whose load drifts
charges both alike; CPU is this process's (``time.process_time``), all its threads. The ratio printed is bare CPU ÷
platform CPU — the ``details.cpu_ratio_to_bare`` of ``make bench`` minus the HTTP layer both share, so it reads a
little lower. Not a row of ``bench/results.json``: the rows are measured over HTTP by ``make bench``.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta

import psycopg


def _database(engine: str) -> tuple[str, str | None]:
    if engine == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp()}/inprocess.db", None
    name = f"dc_inprocess_{os.getpid()}"
    with psycopg.connect(os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
                         autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return f"postgresql://postgres@127.0.0.1:5432/{name}", name


def _body(i: int, street: str = "东四街道", ago: timedelta = timedelta(minutes=1)) -> bytes:
    at = (datetime.now(UTC) - ago).isoformat()
    return json.dumps({"event_type": "燃气事故", "street": street, "address": "东四北大街 100 号", "occurred_at": at,
                       "received_at": at, "source": "12345", "title": f"燃气泄漏 {i}", "description": "楼道有燃气味",
                       "casualties": {"dead": 0, "injured": 0, "missing": 0, "trapped": 0},
                       "foreign_related": False, "sensitive": False}).encode()


async def _call(app, token: str, method: str, path: str, payload: bytes = b"") -> tuple[int, bytes]:
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "state": {},
             "headers": [(b"host", b"127.0.0.1:8000"), (b"authorization", f"Bearer {token}".encode()),
                         (b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())],
             "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000)}
    sent, out = False, {"status": 0, "body": b""}

    async def receive():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": payload, "more_body": False}
        await asyncio.Event().wait()  # the client never disconnects

    async def send(message):
        if message["type"] == "http.response.start":
            out["status"] = message["status"]
        elif message["type"] == "http.response.body":
            out["body"] += message.get("body", b"")

    await app(scope, receive, send)
    return out["status"], out["body"]


async def _load(app, token: str, make, n: int, concurrency: int) -> dict[int, int]:
    todo, statuses = list(range(n)), {}

    async def client():
        while todo:
            status, _ = await _call(app, token, *make(todo.pop()))
            statuses[status] = statuses.get(status, 0) + 1

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return statuses


async def _run(args, apps: dict, token: str) -> None:
    read_ids = {}
    for name, app in apps.items():  # warm both, and give each an incident to read (another street, hours ago)
        status, body = await _call(app, token, "POST", "/api/incidents", _body(0, "和平里街道", timedelta(hours=3)))
        assert status == 201, body
        read_ids[name] = json.loads(body)["id"]
        await _load(app, token, lambda i: ("POST", "/api/incidents", _body(i)), 50, args.concurrency)
    for what in args.what.split(","):
        cpu, count, statuses = dict.fromkeys(apps, 0.0), dict.fromkeys(apps, 0), {}
        per_round = max(2, args.requests // args.rounds // (20 if what == "board" else 1))
        for r in range(args.rounds):
            for name in (list(apps) if r % 2 == 0 else list(apps)[::-1]):
                make = {"intake": lambda i: ("POST", "/api/incidents", _body(i)),
                        "read": lambda i, n=name: ("GET", f"/api/incidents/{read_ids[n]}", b""),
                        "board": lambda i: ("GET", "/api/incidents", b"")}[what]
                start = time.process_time()
                got = await _load(apps[name], token, make, per_round, args.concurrency)
                cpu[name] += time.process_time() - start
                count[name] += per_round
                statuses[name] = got
        per = {name: cpu[name] / count[name] * 1000 for name in apps}
        print(f"{what:6}  platform {per['platform']:6.2f} ms  bare {per['bare']:6.2f} ms CPU per request  "
              f"ratio {per['bare'] / per['platform']:.2f}  ({count['platform']} each; statuses {statuses})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("engine", nargs="?", default="sqlite", choices=("sqlite", "postgres"))
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--what", default="intake,read,board")
    args = parser.parse_args()
    url, pg_name = _database(args.engine)
    os.environ["BENCH_BARE_DATABASE_URL"] = url
    from bench import bare_app
    from dongcheng.auth import repository as users
    from dongcheng.auth import service as auth
    from dongcheng.cli.main import _prepare
    from dongcheng.core.config import Settings
    from dongcheng.core.db import engine_for, transaction
    from dongcheng.main import create_app

    settings = Settings(database_url=url, demo_mode=True, environment="test")
    _prepare(settings, demo=True)
    with transaction(engine_for(url)) as session:
        token = auth.issue_token(session, settings, users.user_by_username(session, "duty"))
    try:
        asyncio.run(_run(args, {"platform": create_app(settings), "bare": bare_app.create_app()}, token))
    finally:
        engine_for(url).dispose()
        if pg_name:
            with psycopg.connect(os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
                                 autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)")


if __name__ == "__main__":
    main()
