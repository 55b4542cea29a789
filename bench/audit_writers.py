"""32 concurrent writers of audit entries on PostgreSQL: do they serialise? (issue 11 item 1)

Each writer opens a transaction, records one audit entry, keeps the transaction open for ``--hold`` ms (the rest of
a request's work after its audit entry: more rows, the response) and commits. Measured twice in the same run on the
same fresh database: as the platform writes today (``record``: an INSERT with its leaf hash, no lock), and as it
wrote before the transparency log (``pg_advisory_xact_lock`` + a read of the chain's head, held to COMMIT). With no
lock the 32 finish in about one hold; with the lock in about 32 holds.

    PYTHONPATH=src .venv/bin/python -m bench.audit_writers --database-url postgresql://postgres@127.0.0.1:5432/postgres
"""
from __future__ import annotations

import argparse
import os
import statistics
import threading
import time
import uuid

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from dongcheng.audit import service as audit
from dongcheng.audit.models import AuditEntry
from dongcheng.core import migrate
from dongcheng.core.db import make_engine, normalise_url, transaction

OLD_LOCK = 0x44434155  # the advisory lock audit.record took before (audit/repository.py lock_chain)


def _fresh(base: str) -> str:
    url = make_url(normalise_url(base))
    name = f"dc_auditbench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _drop(url: str) -> None:
    u = make_url(url)
    admin = create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{u.database}" WITH (FORCE)'))
    admin.dispose()


def _round(engine, writers: int, hold: float, locked: bool) -> tuple[float, list[float]]:
    barrier = threading.Barrier(writers + 1)
    latencies: list[float] = []
    lock = threading.Lock()

    def writer(i: int) -> None:
        barrier.wait()
        start = time.perf_counter()
        with transaction(engine) as session:
            if locked:  # as before: one appender at a time, the head read under the lock
                session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": OLD_LOCK})
                session.execute(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).scalar()
            audit.record(session, actor=audit.SYSTEM, action="bench.write", target_type="bench", target_id=i,
                         after={"i": i})
            time.sleep(hold)  # the rest of the request's transaction
        with lock:
            latencies.append(time.perf_counter() - start)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - start, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--writers", type=int, default=32)
    parser.add_argument("--hold", type=float, default=20.0, help="ms each transaction stays open after its entry")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    url = _fresh(args.database_url)
    try:
        migrate.upgrade(url)
        engine = make_engine(url, pool_size=args.writers, max_overflow=0)
        _round(engine, args.writers, 0, False)  # warm the pool
        for label, locked in (("no lock (record today)", False), ("advisory lock (before)", True)):
            walls, p50s = [], []
            for _ in range(args.rounds):
                wall, lat = _round(engine, args.writers, args.hold / 1000, locked)
                walls.append(wall)
                p50s.append(statistics.median(lat))
            wall = statistics.median(walls)
            holds = f"{wall * 1000 / args.hold:5.1f} holds; " if args.hold else ""
            print(f"{label:24s}: {args.writers} writers × {args.hold:.0f} ms hold → {wall * 1000:7.1f} ms wall "
                  f"(median of {args.rounds}; {holds}median writer {statistics.median(p50s) * 1000:6.1f} ms)")
        with transaction(engine) as session:
            n = len(audit.sequence_all(session))
            ok = audit.verify(session).ok
        print(f"sequenced afterwards in {n} batch(es); verify ok: {ok}")
        engine.dispose()
    finally:
        _drop(url)


if __name__ == "__main__":
    main()
