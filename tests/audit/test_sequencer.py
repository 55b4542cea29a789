"""The sequencer on a real, committed database: checkpoints reach the file; plain `audit verify` holds the log to
them; writers never wait for each other; a SIGKILLed sequencer resumes with no gap and no fork; the alarm."""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select, text

from dongcheng.audit import checkpoints, rules
from dongcheng.audit import service as audit
from dongcheng.audit.models import AuditEntry
from dongcheng.audit.sequencer import ALARM_TOPIC, Sequencer
from dongcheng.core import migrate
from dongcheng.core.config import REPO_ROOT, Settings
from dongcheng.core.db import make_engine, transaction
from dongcheng.core.outbox import OutboxMessage
from dongcheng.core.time import utcnow
from tests.conftest import drop_database, fresh_database


@pytest.fixture
def log_db(tmp_path):
    """A migrated, empty database whose writes commit (no demo data), and its settings."""
    url = fresh_database(tmp_path, "auditlog")
    migrate.upgrade(url)
    engine = make_engine(url)
    settings = Settings(database_url=url, environment="test", audit_checkpoint_file=tmp_path / "cp.jsonl")
    yield engine, settings
    engine.dispose()
    drop_database(url)


def _write(engine, n, *, recorded_at=None):
    """n entries committed in one transaction, as record() writes them (bulk, for speed)."""
    now = recorded_at or utcnow()
    rows = []
    for i in range(n):
        fields = {"at": now, "recorded_at": now, "actor": "duty", "post": "", "unit": "区应急局", "action": "test.act",
                  "target_type": "t", "target_id": str(i), "basis": "", "before": None, "after": {"i": i}, "note": ""}
        rows.append({**fields, "leaf_hash": rules.leaf_hash(rules.leaf_payload(**fields))})
    with transaction(engine) as session:
        session.execute(insert(AuditEntry), rows)


def _run_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "dongcheng.cli.main", *args], capture_output=True, text=True,
                          timeout=180, cwd=REPO_ROOT, env={**os.environ, **(env or {})})


def test_each_batch_appends_a_signed_checkpoint_and_verify_holds_the_log_to_them(log_db):
    engine, settings = log_db
    sequencer = Sequencer(engine, settings)
    _write(engine, 3)
    first = sequencer.step()
    _write(engine, 2)
    second = sequencer.step()
    assert (first.count, second.count) == (3, 2) and sequencer.step() is None  # nothing waiting: no checkpoint
    found = checkpoints.read(settings.audit_checkpoint_file).checkpoints
    assert [c["seq"] for c in found] == [3, 5] and found[-1] == second.checkpoint
    assert rules.checkpoint_signature_ok(found[-1], audit.keys(settings).by_id)
    with settings.audit_checkpoint_file.open("a") as f:
        f.write('{"seq": 9, "ha')  # a checkpoint torn by a crash while it was written: ignored
    assert checkpoints.read(settings.audit_checkpoint_file).torn_tail
    with transaction(engine, write=False) as session:
        result = audit.verify(session, checkpoints=checkpoints.read(settings.audit_checkpoint_file).checkpoints)
    assert result.ok and result.head_seq == 5 and result.checkpoints == 2


def test_plain_audit_verify_catches_a_truncated_tail_with_the_platforms_own_checkpoints(tmp_path):
    url = fresh_database(tmp_path, "auditcli")
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        _write(engine, 5)
        done = _run_cli("audit", "sequence", "--database-url", url)
        assert done.returncode == 0 and "5 entries" in done.stdout, done.stderr
        path = checkpoints.default_path(Settings(database_url=url))
        assert path.is_file()
        ok = _run_cli("audit", "verify", "--database-url", url)
        assert ok.returncode == 0 and "1 checkpoint(s) matched" in ok.stdout, ok.stderr
        with engine.begin() as conn:  # the attacker drops the guard and the last two entries
            if conn.dialect.name == "sqlite":
                conn.execute(text("DROP TRIGGER audit_entries_no_delete"))
            else:
                conn.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only"))
            conn.execute(text("DELETE FROM audit_entries WHERE seq > 3"))
        broken = _run_cli("audit", "verify", "--database-url", url)
        assert broken.returncode == 1 and "truncated" in broken.stderr and "seq 4" in broken.stderr
    finally:
        engine.dispose()
        path = checkpoints.default_path(Settings(database_url=url))
        if path is not None:
            path.unlink(missing_ok=True)
        drop_database(url)


def test_two_writers_commit_while_the_other_is_still_open(log_db):
    """No lock and no read of the head: B records and commits while A's transaction (with its entry) is open."""
    engine, _ = log_db
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite has one writer at a time by design (BEGIN IMMEDIATE)")
    a = transaction(engine)
    session_a = a.__enter__()
    audit.record(session_a, actor=audit.SYSTEM, action="test.a", target_type="t", target_id=1)
    finished = {}

    def writer_b():
        with transaction(engine) as session_b:
            session_b.execute(text("SET LOCAL lock_timeout = '2s'"))
            audit.record(session_b, actor=audit.SYSTEM, action="test.b", target_type="t", target_id=2)
        finished["b"] = True

    thread = threading.Thread(target=writer_b)
    thread.start()
    thread.join(timeout=10)
    assert finished.get("b"), "writer B waited for writer A"
    with transaction(engine) as session:
        audit.sequence_all(session)  # the sequencer sees B only
    a.__exit__(None, None, None)  # A commits after B (its id is lower): it takes the next number
    with transaction(engine) as session:
        audit.sequence_all(session)
    with transaction(engine, write=False) as session:
        order = session.execute(select(AuditEntry.action).order_by(AuditEntry.seq)).scalars().all()
        assert order == ["test.b", "test.a"] and audit.verify(session).ok


def test_a_standby_does_not_sequence_while_another_holds_the_lock(log_db):
    engine, settings = log_db
    if engine.dialect.name == "sqlite":
        pytest.skip("PostgreSQL's advisory lock; SQLite's BEGIN IMMEDIATE serialises the sequencers")
    leader, standby = Sequencer(engine, settings), Sequencer(engine, settings)
    try:
        assert leader._try_lead() and not standby._try_lead()
        leader._release()
        assert standby._try_lead()
    finally:
        leader._release()
        standby._release()


def test_a_sigkilled_sequencer_resumes_with_no_gap_and_no_fork(log_db):
    engine, settings = log_db
    _write(engine, 30_000)
    env = {"DONGCHENG_DATABASE_URL": str(engine.url.render_as_string(hide_password=False)),
           "DONGCHENG_AUDIT_CHECKPOINT_FILE": str(settings.audit_checkpoint_file)}
    proc = subprocess.Popen([sys.executable, "-m", "dongcheng.cli.main", "audit", "sequence"], cwd=REPO_ROOT,
                            env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not checkpoints.read(settings.audit_checkpoint_file).checkpoints:
        time.sleep(0.02)  # until its first batch committed
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with transaction(engine, write=False) as session:
        done_before = session.scalar(select(func.count()).where(AuditEntry.seq.is_not(None)))
    assert 0 < done_before < 30_000, "killed before the end"
    resumed = _run_cli("audit", "sequence", env=env)
    assert resumed.returncode == 0, resumed.stderr
    with transaction(engine, write=False) as session:
        seqs = session.execute(select(func.min(AuditEntry.seq), func.max(AuditEntry.seq), func.count(AuditEntry.seq),
                                      func.count())).one()
        assert tuple(seqs) == (1, 30_000, 30_000, 30_000)  # every entry, numbered 1..N: no gap
        result = audit.verify(session, checkpoints=checkpoints.read(settings.audit_checkpoint_file).checkpoints)
    assert result.ok and result.head_seq == 30_000, result.reason  # one chain, every checkpoint on it: no fork


def test_the_sequencer_in_serve_chains_what_requests_write(log_db):
    from fastapi.testclient import TestClient

    from dongcheng.main import create_app

    engine, settings = log_db
    app = create_app(settings.model_copy(update={"audit_sequencer": True}))
    with TestClient(app):
        _write(engine, 2)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with transaction(engine, write=False) as session:
                if audit.pending_status(session)["unsequenced"] == 0:
                    break
            time.sleep(0.05)
    with transaction(engine, write=False) as session:
        assert audit.pending_status(session)["sequenced"] == 2


def test_entries_waiting_too_long_raise_the_alarm_in_the_log_and_the_outbox(log_db, caplog):
    engine, settings = log_db
    _write(engine, 1, recorded_at=utcnow() - rules.MAX_DELAY - timedelta(seconds=5))
    watcher = Sequencer(engine, settings)  # a standby watching the queue (nobody sequences)
    with caplog.at_level(logging.ERROR, logger="dongcheng.audit"):
        status = watcher.watch()
        watcher.watch()  # once per episode
    assert status["alarm"] and status["unsequenced"] == 1
    assert sum("audit alarm" in r.getMessage() for r in caplog.records) == 1
    with transaction(engine, write=False) as session:
        notices = session.scalars(select(OutboxMessage).where(OutboxMessage.topic == ALARM_TOPIC)).all()
        assert len(notices) == 1 and notices[0].payload["unsequenced"] == 1


def test_production_refuses_the_shipped_audit_key(tmp_path):
    with pytest.raises(ValueError, match="DONGCHENG_AUDIT_KEY"):
        Settings(environment="production", secret_key="s" * 40)
    key_file = tmp_path / "audit.key"
    key_file.write_text("f" * 48 + "\n")
    chosen = Settings(environment="production", secret_key="s" * 40, audit_key_file=key_file, audit_key_id="2026a",
                      audit_old_keys={"k1": "o" * 40})
    keys = audit.keys(chosen)
    assert keys.current_id == "2026a" and keys.current == b"f" * 48 and set(keys.by_id) == {"2026a", "k1"}


def test_a_configured_sink_gets_each_checkpoint_through_the_outbox(log_db, tmp_path, monkeypatch):
    from dongcheng.core import outbox
    from dongcheng.core.config import get_settings

    engine, settings = log_db
    sink = tmp_path / "sink.jsonl"
    monkeypatch.setenv("DONGCHENG_AUDIT_CHECKPOINT_SINK", str(sink))  # what the worker's handler reads
    get_settings.cache_clear()
    try:
        _write(engine, 2)
        batch = Sequencer(engine, settings.model_copy(update={"audit_checkpoint_sink": str(sink)})).step()
        with transaction(engine) as session:  # the worker's turn
            for message in outbox.claim(session):
                assert outbox.process(session, message)
        assert checkpoints.read(sink).checkpoints == [{"type": "audit.checkpoint", **batch.checkpoint}]
    finally:
        monkeypatch.delenv("DONGCHENG_AUDIT_CHECKPOINT_SINK")
        get_settings.cache_clear()
