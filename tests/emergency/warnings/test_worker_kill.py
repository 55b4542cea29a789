"""Real worker processes (``dongcheng worker``) killed with SIGKILL mid-fan-out lose and duplicate no delivery.

On PostgreSQL two workers share the queue (FOR UPDATE SKIP LOCKED) while one of them is killed.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from sqlalchemy import func, select

from dongcheng.audit.service import SYSTEM
from dongcheng.auth.models import User
from dongcheng.auth.service import caller_for
from dongcheng.core.config import REPO_ROOT
from dongcheng.core.db import make_engine, transaction
from dongcheng.emergency.warnings import service, subscribers
from dongcheng.emergency.warnings.enums import Level
from dongcheng.emergency.warnings.models import Delivery, Subscriber, WarningMessage
from dongcheng.emergency.warnings.schemas import WarningCreate
from tests.conftest import drop_database, prepared_database

N = 3000
STREETS = ["东四街道", "景山街道"]


def caller(session, username):
    return caller_for(session, session.scalar(select(User).where(User.username == username)))


def publish_yellow(engine) -> int:
    with transaction(engine) as s:
        subscribers.seed_subscribers(s, actor=SYSTEM, count=N, streets=STREETS)
        subscribers.seed_subscribers(s, actor=SYSTEM, count=500, streets=["前门街道"], seed=7)  # not affected
        cgw = caller(s, "cgw")
        w = service.create_draft(s, caller=cgw, data=WarningCreate(
            level=Level.YELLOW, event_type="气象灾害", title="暴雨黄色预警", starts_at="2022-07-01T08:00:00+08:00",
            expected_duration_hours=6, area_streets=STREETS, precautions="注意防范", measures="减少外出"))
        service.submit(s, caller=cgw, warning_id=w.id)
        service.approve(s, caller=cgw, warning_id=w.id)
        service.publish(s, caller=caller(s, "duty"), warning_id=w.id)
        return w.id


def worker_args(url, *extra) -> list[str]:
    return [sys.executable, "-m", "dongcheng.cli.main", "worker", "--database-url", url, "--batch", "200",
            "--idle-sleep", "0.1", *extra]


def worker_env(log_path) -> dict:
    return {**os.environ, "DONGCHENG_CHANNEL_PLUGINS": "tests.emergency.warnings.slow_gateway:SlowLoggingSink",
            "DONGCHENG_TEST_SINK_LOG": str(log_path), "DONGCHENG_TEST_SINK_DELAY": "0.002",
            "PYTHONPATH": os.pathsep.join([str(REPO_ROOT / "src"), str(REPO_ROOT)])}  # the code under test


def start_worker(url, log_path) -> subprocess.Popen:
    return subprocess.Popen(worker_args(url), cwd=REPO_ROOT, env=worker_env(log_path), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def sends_by(log, pid) -> int:
    if not log.exists():
        return 0
    return sum(1 for line in log.read_text().splitlines() if line.startswith(f"{pid} "))


def committed_by(engine, pid) -> int:
    with engine.connect() as conn:
        receipts = conn.execute(select(Delivery.receipts).where(Delivery.status == "sent")).scalars()
        return sum(1 for r in receipts for v in (r or {}).values() if v == f"slow:{pid}")


def sent_count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Delivery).where(Delivery.status == "sent")).scalar()


def test_sigkill_mid_fan_out_loses_and_duplicates_nothing(tmp_path):
    url = prepared_database(tmp_path, "kill")
    engine = make_engine(url)
    procs: list[subprocess.Popen] = []
    try:
        publish_yellow(engine)
        log = tmp_path / "sink.log"
        victim = start_worker(url, log)
        procs.append(victim)
        if engine.dialect.name == "postgresql":
            procs.append(start_worker(url, log))  # a second worker shares the queue with SKIP LOCKED
        deadline = time.monotonic() + 60
        while True:  # kill once the victim has committed batches and is early inside an open one
            assert time.monotonic() < deadline, "workers made no progress"
            assert victim.poll() is None, victim.stdout.read()
            in_flight = sends_by(log, victim.pid) - committed_by(engine, victim.pid)
            if committed_by(engine, victim.pid) >= 200 and 0 < in_flight < 80:
                break
            time.sleep(0.01)
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(10)
        committed_at_kill = sent_count(engine)
        assert 0 < committed_at_kill < N

        finisher = subprocess.run(worker_args(url, "--once"), cwd=REPO_ROOT, env=worker_env(log),
                                  capture_output=True, text=True, timeout=120)
        assert finisher.returncode == 0, finisher.stdout + finisher.stderr
        deadline = time.monotonic() + 60
        while sent_count(engine) < N and time.monotonic() < deadline:  # the PostgreSQL partner may still be busy
            time.sleep(0.1)
        for p in procs[1:]:
            p.send_signal(signal.SIGTERM)
            p.wait(30)

        with engine.connect() as conn:
            message_id = conn.execute(select(WarningMessage.id)).scalar_one()
            affected = conn.execute(select(func.count()).select_from(Subscriber)
                                    .where(Subscriber.street.in_(STREETS))).scalar()
            rows = conn.execute(select(Delivery.subscriber_id, Delivery.status, Delivery.receipts)
                                .where(Delivery.message_id == message_id)).all()
        assert affected == N
        assert len(rows) == N  # none lost …
        assert len({r.subscriber_id for r in rows}) == N  # … none twice (idempotency key)
        assert {r.status for r in rows} == {"sent"}
        # The victim really died inside a batch: it made sends whose "sent" mark never committed …
        sends = [line.split() for line in log.read_text().splitlines()]
        victim_keys = [key for pid, key in sends if pid == str(victim.pid)]
        victim_committed = sum(1 for r in rows for receipt in r.receipts.values() if receipt == f"slow:{victim.pid}")
        assert len(victim_keys) > victim_committed
        # … each of those was delivered again by a surviving worker under the same idempotency key (a gateway that
        # honours the key delivers it once), and every recorded delivery has one receipt per channel.
        others = {key for pid, key in sends if pid != str(victim.pid)}
        committed_keys = {key for key in victim_keys} - others
        assert len(committed_keys) == victim_committed
        assert all(r.receipts for r in rows)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait(10)
        engine.dispose()
        drop_database(url)
