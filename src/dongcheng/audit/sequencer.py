"""The audit log's one sequencer (Trillian's model): every ~200 ms it gives the waiting entries sequence numbers and
keyed chain hashes in one transaction, then appends the batch's signed checkpoint to the checkpoint file (and, when
a sink is configured, the outbox carries it there — enqueued in the same transaction).

Who runs it: ``dongcheng worker`` (a thread beside the outbox loop) and ``dongcheng serve`` (a thread in each app
process). On PostgreSQL only the holder of a session advisory lock (``pg_try_advisory_lock``) sequences; the others
stand by, retry the lock, and watch: when entries wait longer than ``rules.MAX_DELAY`` they log the alarm and put an
``audit.alarm`` notice in the outbox. On SQLite the batch's ``BEGIN IMMEDIATE`` is the lock. A sequencer killed at any
point loses nothing: an uncommitted batch leaves its entries waiting; a batch committed before its checkpoint reached
the file is covered by the next checkpoint (and one is written for the head when a sequencer starts).
"""
from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable

from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from dongcheng.audit import checkpoints, repository, rules
from dongcheng.audit import service as audit
from dongcheng.core import outbox
from dongcheng.core.config import Settings, get_settings
from dongcheng.core.db import transaction

log = logging.getLogger("dongcheng.audit")

PG_LOCK_KEY = 0x44434151  # "DCAQ": the sequencer's lock (session-level, held while it runs)
CHECKPOINT_TOPIC = "audit.checkpoint"
ALARM_TOPIC = "audit.alarm"
WATCH_EVERY = 5.0  # seconds between a standby's looks at the queue
STANDBY_RETRY = 2.0  # seconds between a standby's tries of the lock


@outbox.handler(CHECKPOINT_TOPIC)
def _send_checkpoint(session, payload: dict) -> None:
    sink = get_settings().audit_checkpoint_sink
    if sink:
        checkpoints.send_to_sink(sink, {"type": CHECKPOINT_TOPIC, **payload})


@outbox.handler(ALARM_TOPIC)
def _send_alarm(session, payload: dict) -> None:
    log.error("audit alarm: %s", payload.get("message"))
    sink = get_settings().audit_checkpoint_sink
    if sink:
        checkpoints.send_to_sink(sink, {"type": ALARM_TOPIC, **payload})


class Sequencer:
    """``run(stop)`` until ``stop()``; ``step()`` is one batch (what the loop and the tests call)."""

    def __init__(self, engine: Engine, settings: Settings | None = None, *,
                 interval: float = rules.BATCH_INTERVAL.total_seconds()) -> None:
        self.engine = engine
        self.settings = settings or get_settings()
        self.interval = interval
        self.keys = audit.keys(self.settings)
        self.path = checkpoints.default_path(self.settings)
        self._lock_conn = None
        self._alarm_raised = False
        self._last_watch = 0.0
        self.batches = 0

    # -- one step --------------------------------------------------------------------------------------------
    def step(self) -> audit.Batch | None:
        """One batch in its own transaction; its checkpoint reaches the file after the commit. None: nothing
        waited (or a racing sequencer took the batch first)."""
        with transaction(self.engine, write=False) as session:  # idle: no write lock taken (SQLite)
            if not repository.unsequenced(session, 1):
                return None
        try:
            with transaction(self.engine) as session:
                batch = audit.sequence(session, key=self.keys)
                if batch is not None and self.settings.audit_checkpoint_sink:
                    outbox.enqueue(session, CHECKPOINT_TOPIC, batch.checkpoint)
        except IntegrityError:  # another sequencer linked these entries first: its batch stands, ours is void
            log.warning("audit sequencer: a concurrent batch won; retrying")
            return None
        if batch is not None:
            self._publish(batch.checkpoint)
            self.batches += 1
        return batch

    def _publish(self, cp: dict) -> None:
        if self.path is not None:
            checkpoints.append(self.path, cp)

    def catch_up_file(self) -> None:
        """On start: if the database's head is past the file's last checkpoint (stopped between a commit and the
        file), sign the head now. A head *behind* the file is left alone: verify reports the truncation."""
        if self.path is None:
            return
        with transaction(self.engine, write=False) as session:
            cp = audit.head_checkpoint(session, key=self.keys)
        if cp is None:
            return
        known = checkpoints.read(self.path).checkpoints
        if not known or max(c["seq"] for c in known) < cp["seq"]:
            self._publish(cp)

    def watch(self) -> dict:
        """The alarm check: logs and enqueues an ``audit.alarm`` notice when it is raised (once per episode)."""
        with transaction(self.engine, write=False) as session:
            status = audit.pending_status(session)
        if status["alarm"] and not self._alarm_raised:
            log.error("audit alarm: %s", status["message"])
            with transaction(self.engine) as session:
                outbox.enqueue(session, ALARM_TOPIC, status)
        elif not status["alarm"] and self._alarm_raised:
            log.warning("audit alarm cleared: %s entries waiting", status["unsequenced"])
        self._alarm_raised = status["alarm"]
        return status

    # -- leadership (PostgreSQL) -----------------------------------------------------------------------------
    def _try_lead(self) -> bool:
        if self.engine.dialect.name != "postgresql":
            return True
        if self._lock_conn is not None:
            return True
        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        if conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": PG_LOCK_KEY}).scalar():
            self._lock_conn = conn
            log.info("audit sequencer: leading")
            return True
        conn.close()
        return False

    def _release(self) -> None:
        if self._lock_conn is not None:
            with contextlib.suppress(Exception):  # the connection may be gone: the lock went with it
                self._lock_conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": PG_LOCK_KEY})
            self._lock_conn.close()
            self._lock_conn = None

    # -- the loop --------------------------------------------------------------------------------------------
    def run(self, stop: Callable[[], bool]) -> None:
        leading = False
        while not stop():
            try:
                if not leading:
                    leading = self._try_lead()
                    if leading:
                        self.catch_up_file()
                if leading:
                    batch = self.step()
                    if batch is not None and batch.full:
                        continue
                if time.monotonic() - self._last_watch >= WATCH_EVERY:
                    self._last_watch = time.monotonic()
                    if self._lock_conn is not None:
                        self._lock_conn.execute(text("SELECT 1"))  # still holding the lock (the connection lives)
                    self.watch()
            except Exception:  # noqa: BLE001 - a lost connection: step down, retry; entries wait, nothing is lost
                log.exception("audit sequencer: step failed; retrying")
                self._release()
                leading = False
                time.sleep(STANDBY_RETRY)
                continue
            _sleep(self.interval if leading else STANDBY_RETRY, stop)
        self._release()


def _sleep(seconds: float, stop: Callable[[], bool]) -> None:
    end = time.monotonic() + seconds
    while not stop() and (left := end - time.monotonic()) > 0:
        time.sleep(min(left, 0.1))


def start_thread(engine: Engine, settings: Settings | None = None) -> tuple[threading.Thread, threading.Event]:
    """The sequencer in a daemon thread; set the event to stop it."""
    stopping = threading.Event()
    sequencer = Sequencer(engine, settings)
    thread = threading.Thread(target=sequencer.run, args=(stopping.is_set,), name="audit-sequencer", daemon=True)
    thread.start()
    return thread, stopping
