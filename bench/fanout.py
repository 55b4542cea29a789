"""``fanout_700k_postgres``, ``fanout_sink_400_per_s``, ``fanout_sink_8000_per_s``: a red warning to 700,000
subscribers through the real dissemination path on PostgreSQL (SPEC §2.2 / §5, issue 5).

A fresh database is created (migrations, reference data, demo users, as ``dongcheng serve`` prepares it) and
700,000 synthetic subscribers are seeded over the 17 streets with the product's own seeder
(``subscribers.seed_subscribers``, COPY). Two real ``dongcheng worker`` processes are started and left idle, then
one public red warning over all 17 streets is walked through the service layer in-process, as the API does it:
drafted by 区城市管理委 (``cgw``), submitted, approved by the holder of 区长 (``mayor``), published by the 区应急办
duty officer (``duty``) — the publication commits the CAP message and its outbox fan-out job together. The clock
starts just before that publish transaction and stops when the database shows all 700,000 deliveries recorded
(``status = 'sent'`` with the default sink's receipts, committed); it is polled, so the figure is late by at most
one poll. Then the deliveries are checked: exactly one per subscriber, every one sent with a receipt per channel.

The raw limit, in the same run on the same database: 700,000 rows written by one ``INSERT … SELECT
generate_series`` into a scratch table with the deliveries' columns and indexes (the rows as the sink leaves them:
status, timestamps, receipt JSON), i.e. the fastest way PostgreSQL here can write that many delivery rows. ratio =
deliveries/s ÷ raw rows/s. ``details.raw_pg_batched_inserts_per_s`` is issue 5's other figure (multi-row INSERTs of
1,000 rows a commit), for reference. Goal: ≤ 60 s.

The two sink figures run the same 2 workers with ``DONGCHENG_CHANNEL_PLUGINS=dongcheng.core.plugins:RateLimitedSink``
and ``DONGCHENG_SINK_RATE`` = 400 / 8,000: the default sink behind a token bucket shared by both workers (a file
lock), the way an SMS gateway account limits every client together. A fresh red warning is published for each; after
a warm-up, the sends the gateway accepted over 10 s are read from the bucket's counter; value = sends/s, ratio =
value ÷ limit (goal ≥ 0.90). The workers are then stopped (SIGTERM finishes the batch in hand) and every accepted
send must be recorded on a delivery (receipts in the database == the bucket's counter).
"""
from __future__ import annotations

import math
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import psycopg

from bench import cpu
from bench.common import (
    DONGCHENG,
    REPO,
    Config,
    Result,
    postgres_database,
    progress,
    psycopg_url,
    ratio,
    raw_pg_batched_inserts_per_s,
    step,
)
from bench.intake import LOG_DIR

SUBSCRIBERS = int(os.environ.get("BENCH_FANOUT_SUBSCRIBERS", "700000"))
WORKERS = int(os.environ.get("BENCH_FANOUT_WORKERS", "2"))
SINK_SECONDS = float(os.environ.get("BENCH_SINK_SECONDS", "10"))
SINK_WARMUP = 2.0
GOAL_S = 60.0
SINK_GOAL = 0.90
SEED_CHUNKS = 14


# ---------------------------------------------------------------- the database, the subscribers, the warning


def prepare(url: str) -> None:
    """What ``dongcheng serve`` does to a fresh database: migrations, reference data, demo users."""
    from dongcheng.core import migrate
    from dongcheng.core.config import REPO_ROOT
    from dongcheng.core.db import make_engine, transaction
    from dongcheng.provision import provision

    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        with transaction(engine) as session:
            provision(session, REPO_ROOT / "data", demo=True)  # as `dongcheng serve` does
    finally:
        engine.dispose()


def seed(url: str, n: int) -> float:
    """``n`` synthetic subscribers over the 17 streets with the product's seeder (COPY), in chunks for the bar."""
    import dongcheng.models  # noqa: F401 - every table known to the ORM
    from dongcheng.audit.service import Actor
    from dongcheng.core.db import make_engine, transaction
    from dongcheng.emergency.warnings import subscribers

    engine = make_engine(url)
    t0 = time.perf_counter()
    per = -(-n // SEED_CHUNKS)
    try:
        with progress() as bar:
            task = bar.add_task(f"seeding {n:,} subscribers over 17 streets", total=n, info="")
            done = 0
            while done < n:
                k = min(per, n - done)
                with transaction(engine) as session:
                    subscribers.seed_subscribers(session, actor=Actor("bench"), count=k, seed=20221 + done)
                done += k
                bar.update(task, completed=done, info=f"{done / (time.perf_counter() - t0):,.0f}/s")
        with psycopg.connect(psycopg_url(url), autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE subscribers")
    finally:
        engine.dispose()
    return time.perf_counter() - t0


def publish_red(url: str, title: str, streets: list[str] | None = None) -> tuple[int, int, float]:
    """Draft (cgw) → submit → approve (mayor, 区长) → publish (duty), all 17 streets unless told. Returns (warning
    id, message id, ``perf_counter()`` just before the publish transaction began)."""
    from sqlalchemy import select

    import dongcheng.models  # noqa: F401
    from dongcheng.auth.models import User
    from dongcheng.auth.service import caller_for
    from dongcheng.core.db import make_engine, transaction
    from dongcheng.directory.service import list_units
    from dongcheng.emergency.warnings import service
    from dongcheng.emergency.warnings.enums import Level
    from dongcheng.emergency.warnings.models import WarningMessage
    from dongcheng.emergency.warnings.schemas import WarningCreate

    def caller(s, username):
        return caller_for(s, s.scalar(select(User).where(User.username == username)))

    engine = make_engine(url)
    try:
        with transaction(engine) as s:
            area = streets or [u.name for u in list_units(s, "street")]
            cgw = caller(s, "cgw")
            w = service.create_draft(s, caller=cgw, data=WarningCreate(
                level=Level.RED, event_type="气象灾害", title=title, starts_at="2022-07-01T08:00:00+08:00",
                expected_duration_hours=6, area_streets=area, precautions="预计未来6小时内全区将出现特大暴雨。",
                measures="停止集会、停课、停业（除特殊行业外），远离低洼地带和地下空间。"))
            service.submit(s, caller=cgw, warning_id=w.id)
            warning_id = w.id
        with transaction(engine) as s:
            service.approve(s, caller=caller(s, "mayor"), warning_id=warning_id)
        started = time.perf_counter()
        with transaction(engine) as s:
            service.publish(s, caller=caller(s, "duty"), warning_id=warning_id)
            message_id = s.scalar(select(WarningMessage.id).where(WarningMessage.warning_id == warning_id))
        return warning_id, message_id, started
    finally:
        engine.dispose()


# ---------------------------------------------------------------- raw limit


def raw_delivery_rows_per_s(url: str, n: int) -> tuple[float, float]:
    """``n`` delivery rows as the sink leaves them, written by ``INSERT … SELECT generate_series`` (in 10 statements
    for the progress bar, one transaction) into a scratch table with the deliveries' columns and indexes (no
    foreign keys). Returns (rows/s, seconds)."""
    chunks = 10
    with psycopg.connect(psycopg_url(url)) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_raw_deliveries")
        conn.execute("CREATE TABLE bench_raw_deliveries (LIKE deliveries INCLUDING DEFAULTS INCLUDING INDEXES)")
        conn.commit()
        per = -(-n // chunks)
        try:
            with progress() as bar:
                task = bar.add_task(f"raw: INSERT … SELECT {n:,} delivery rows (same indexes)", total=n, info="")
                t0 = time.perf_counter()
                for lo in range(1, n + 1, per):
                    hi = min(n, lo + per - 1)
                    conn.execute(
                        "INSERT INTO bench_raw_deliveries (message_id, subscriber_id, status, attempts, next_attempt_at,"
                        " sent_at, receipts) SELECT 1, g, 'sent', 1, now(), now(), json_build_object('手机短信',"
                        " 'sink:手机短信:110101000000_20220701080000_0/' || g || '/手机短信')"
                        " FROM generate_series(%s::int, %s::int) g", (lo, hi))
                    bar.update(task, completed=hi, info=f"{hi / (time.perf_counter() - t0):,.0f} rows/s")
                conn.commit()
                elapsed = time.perf_counter() - t0
        finally:
            conn.rollback()
            conn.execute("DROP TABLE IF EXISTS bench_raw_deliveries")
            conn.commit()
    return n / elapsed, elapsed


# ---------------------------------------------------------------- workers


class Workers:
    """``WORKERS`` real ``dongcheng worker`` processes on the database, output to LOG_DIR/<label>-worker-N.log;
    SIGTERM on exit (each finishes the batch in hand)."""

    def __init__(self, url: str, label: str, env: dict[str, str] | None = None, count: int = WORKERS):
        self.url, self.label, self.extra, self.count = url, label, env or {}, count
        self.procs: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    def __enter__(self) -> Workers:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DONGCHENG_")}
        env.update(self.extra)
        for i in range(self.count):
            log = LOG_DIR / f"{self.label}-worker-{i}.log"
            self.logs.append(log)
            with open(log, "wb") as out:
                self.procs.append(subprocess.Popen(
                    [str(DONGCHENG), "worker", "--database-url", self.url, "--idle-sleep", "0.05"], cwd=REPO,
                    env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True))
        deadline = time.monotonic() + 60
        while not all("started" in log.read_text(errors="replace") for log in self.logs):
            for p, log in zip(self.procs, self.logs, strict=True):
                if p.poll() is not None:
                    raise RuntimeError(f"worker exited with {p.returncode}; see {log}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"workers not started after 60 s; see {self.logs}")
            time.sleep(0.05)
        return self

    def cpu(self) -> float:
        return sum(cpu.tree_cpu(p.pid) for p in self.procs)

    def stop(self) -> list[str]:
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=10)
        return [log.read_text(errors="replace").strip().splitlines()[-1] for log in self.logs]

    def __exit__(self, *exc) -> None:
        self.stop()


# ---------------------------------------------------------------- fan-out to 700,000


DONE_SQL = ("SELECT NOT EXISTS (SELECT 1 FROM outbox_messages WHERE status = 'pending' AND topic = 'warnings.fanout')"
            " AND NOT EXISTS (SELECT 1 FROM deliveries WHERE status = 'pending' AND message_id = %(m)s)")
FANOUT_PENDING_SQL = "SELECT EXISTS (SELECT 1 FROM outbox_messages WHERE status = 'pending' AND topic = 'warnings.fanout')"
SENT_SQL = "SELECT count(*) FROM deliveries WHERE message_id = %(m)s AND status = 'sent'"


def wait_for_fanout(url: str, message_id: int, n: int, started: float, timeout: float = 300) -> float:
    """Poll until no fan-out job and no pending delivery of the message remain (one statement, one snapshot: the
    jobs commit with their deliveries); a count for the bar every 2 s. Returns seconds since ``started``."""
    with psycopg.connect(psycopg_url(url), autocommit=True) as conn, progress() as bar:
        task = bar.add_task(f"fan-out to {n:,} subscribers, {WORKERS} workers", total=n, info="")
        next_count = 0.0
        while True:
            now = time.perf_counter()
            if conn.execute(DONE_SQL, {"m": message_id}).fetchone()[0]:
                elapsed = now - started
                bar.update(task, completed=n, info=f"{n / elapsed:,.0f} deliveries/s")
                return elapsed
            if now - started > timeout:
                raise RuntimeError(f"fan-out not finished after {timeout:.0f} s")
            if now >= next_count:
                sent = conn.execute(SENT_SQL, {"m": message_id}).fetchone()[0]
                bar.update(task, completed=sent, info=f"{sent:,} recorded")
                next_count = time.perf_counter() + 2.0
            time.sleep(0.1)


def verify(url: str, message_ids: list[int], expected: int | None) -> dict:
    """Deliveries of the messages: total, distinct recipients, sent, sends recorded (receipts), affected subscribers."""
    with psycopg.connect(psycopg_url(url)) as conn:
        total, distinct, sent, no_receipt, sends = conn.execute(
            "SELECT count(*), count(DISTINCT (message_id, subscriber_id)), count(*) FILTER (WHERE status = 'sent'),"
            " count(*) FILTER (WHERE status = 'sent' AND (receipts IS NULL OR receipts::text = '{}')),"
            " coalesce(sum((SELECT count(*) FROM json_object_keys(receipts))), 0)"
            " FROM deliveries WHERE message_id = ANY(%s)", (message_ids,)).fetchone()
        out = {"deliveries": total, "distinct_recipients": distinct, "sent": sent, "sent_without_receipt": no_receipt,
               "sends_recorded": int(sends)}
        if expected is not None:
            out["subscribers_affected"] = conn.execute(
                "SELECT count(*) FROM subscribers WHERE active").fetchone()[0]
            out["ok"] = (total == distinct == sent == expected == out["subscribers_affected"] and no_receipt == 0)
    return out


def fanout_700k(cfg: Config, url: str, raw_rows_per_s: float, raw_s: float, batched: float) -> Result:
    name = "fanout_700k_postgres"
    with Workers(url, name) as workers:
        before = (workers.cpu(), cpu.postgres_cpu(), cpu.machine_cpu(), os.getloadavg()[0])
        _, message_id, started = publish_red(url, "特大暴雨红色预警")
        elapsed = wait_for_fanout(url, message_id, SUBSCRIBERS, started)
        used = {"workers": workers.cpu() - before[0], "postgres": cpu.postgres_cpu() - before[1],
                "machine": cpu.machine_cpu() - before[2]}
        stopped = workers.stop()
    step("verifying: one delivery per subscriber, every one recorded with a receipt per channel")
    check = verify(url, [message_id], SUBSCRIBERS)
    per_s = SUBSCRIBERS / elapsed
    cores = {f"cores_busy_{k}": round(v / elapsed, 2) for k, v in used.items()}
    cores["cores_busy_other"] = round(max(0.0, (used["machine"] - used["workers"] - used["postgres"]) / elapsed), 2)
    ok = bool(check.get("ok"))
    return Result(
        name=name, value=round(elapsed, 2), unit="s (publish → last delivery recorded)",
        limit_name="raw INSERT … SELECT of 700k delivery rows, rows/s", limit_value=round(raw_rows_per_s),
        ratio=ratio(per_s, raw_rows_per_s), goal=f"value <= {GOAL_S:.0f} s", met=ok and elapsed <= GOAL_S,
        note="" if ok else "VERIFICATION FAILED: deliveries do not match the subscribers one to one",
        details={"deliveries_per_s": round(per_s), "subscribers": SUBSCRIBERS, "workers": WORKERS,
                 **check, "verification_failed": not ok, "raw_seconds_for_700k_rows": round(raw_s, 2),
                 "raw_pg_batched_inserts_per_s": round(batched), "ratio_to_batched_1000": ratio(per_s, batched),
                 **cores, "load_avg_before": before[3], "worker_exit_lines": stopped})


# ---------------------------------------------------------------- rate-limited sinks


SENDS_PER_DELIVERY = 1.29  # the seeded subscribers' channels (targeted ones also get door-to-door notice)


def sink_streets(rate: int) -> int:
    """Streets to warn in a sink run: 1.5x the deliveries warm-up + window can take, so the fan-out stays short."""
    per_street = SUBSCRIBERS / 17
    return max(1, min(17, math.ceil(1.5 * rate * (SINK_WARMUP + SINK_SECONDS + 5) / SENDS_PER_DELIVERY / per_street)))


def sink_run(cfg: Config, url: str, rate: int, earlier_messages: list[int], earlier_granted: int) -> tuple[
        Result, int, int]:
    """Workers against ``RateLimitedSink`` at ``rate`` sends/s (one bucket file for both); returns (result, message
    id, sends granted)."""
    from dongcheng.core.plugins import TokenBucket

    name = f"fanout_sink_{rate}_per_s"
    bucket_path = LOG_DIR / f"sink-{rate}-{uuid.uuid4().hex[:8]}.bucket"
    env = {"DONGCHENG_CHANNEL_PLUGINS": "dongcheng.core.plugins:RateLimitedSink", "DONGCHENG_SINK_RATE": str(rate),
           "DONGCHENG_SINK_BUCKET": str(bucket_path)}
    bucket = TokenBucket(bucket_path, rate)
    try:
        with Workers(url, name, env) as workers:
            streets = _streets(url)[: sink_streets(rate)]
            _, message_id, started = publish_red(url, f"红色预警（限速 {rate}/s 网关）", streets)
            total = SINK_WARMUP + SINK_SECONDS
            with progress() as bar:
                task = bar.add_task(f"{rate:,}/s sink: {SINK_WARMUP:.0f} s warm-up + {SINK_SECONDS:.0f} s",
                                    total=total, info="")
                while bucket.granted() == 0 and time.perf_counter() - started < 60:
                    time.sleep(0.02)
                first_send = time.perf_counter() - started
                with psycopg.connect(psycopg_url(url), autocommit=True) as conn:  # the window measures sending only
                    while conn.execute(FANOUT_PENDING_SQL).fetchone()[0] and time.perf_counter() - started < 60:
                        time.sleep(0.05)
                fanout_s = time.perf_counter() - started
                t_warm = time.perf_counter()
                while time.perf_counter() - t_warm < SINK_WARMUP:
                    bar.update(task, completed=time.perf_counter() - t_warm, info="warm-up")
                    time.sleep(0.1)
                t0, g0 = time.perf_counter(), bucket.granted()
                while (now := time.perf_counter()) - t0 < SINK_SECONDS:
                    g = bucket.granted()
                    bar.update(task, completed=SINK_WARMUP + now - t0, info=f"{(g - g0) / max(now - t0, 1e-9):,.0f}/s")
                    time.sleep(0.1)
                t1, g1 = time.perf_counter(), bucket.granted()
                bar.update(task, completed=total, info=f"{(g1 - g0) / (t1 - t0):,.0f}/s")
            stopped = workers.stop()
        granted = bucket.granted()
    finally:
        bucket.close()
        bucket_path.unlink(missing_ok=True)
    value = (g1 - g0) / (t1 - t0)
    messages = [*earlier_messages, message_id]
    check = verify(url, messages, None)
    recorded_ok = check["sends_recorded"] == earlier_granted + granted
    share = value / rate
    return Result(
        name=name, value=round(value, 1), unit="sends/s accepted by the gateway",
        limit_name=f"sink limit {rate:,}/s", limit_value=float(rate), ratio=round(share, 4),
        goal=f"ratio >= {SINK_GOAL:.2f}", met=share >= SINK_GOAL and recorded_ok,
        note="" if recorded_ok else "VERIFICATION FAILED: sends accepted by the gateway != receipts recorded",
        details={"window_s": round(t1 - t0, 2), "sends_in_window": g1 - g0,
                 "first_send_after_publish_s": round(first_send, 2), "fanout_written_after_s": round(fanout_s, 2),
                 "streets": len(streets), "sends_granted_total": granted,
                 "sends_recorded_total": check["sends_recorded"] - earlier_granted,
                 "verification_failed": not recorded_ok, "duplicates": check["deliveries"] - check["distinct_recipients"],
                 "worker_exit_lines": stopped}), message_id, granted


def _streets(url: str) -> list[str]:
    with psycopg.connect(psycopg_url(url)) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM units WHERE kind = 'street' ORDER BY id")]


# ---------------------------------------------------------------- the benchmark


def run(cfg: Config) -> list[Result]:
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    with postgres_database(cfg.pg_server, "fanout") as url:
        step("preparing a fresh database: migrations, reference data, demo users")
        prepare(url)
        seed_s = seed(url, SUBSCRIBERS)
        step(f"{SUBSCRIBERS:,} subscribers seeded in {seed_s:.1f} s (subscribers.seed_subscribers, COPY)")
        raw, raw_s = raw_delivery_rows_per_s(url, SUBSCRIBERS)
        batched = raw_pg_batched_inserts_per_s(psycopg_url(url), min(cfg.raw_seconds, 3.0))
        step(f"raw limit: {raw:,.0f} delivery rows/s by INSERT … SELECT; {batched:,.0f} rows/s by 1,000-row INSERTs")
        main = fanout_700k(cfg, url, raw, raw_s, batched)
        main.details["seed_s"] = round(seed_s, 1)
        results = [main]
        messages: list[int] = []
        granted = 0
        for rate in (400, 8000):
            result, message_id, g = sink_run(cfg, url, rate, messages, granted)
            messages.append(message_id)
            granted += g
            results.append(result)
    return results
