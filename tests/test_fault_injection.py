"""Fault injection with real processes (SPEC §5 reliability): the app killed mid-request leaves no half-written
incident; a hundred approvers at once change a warning's state once."""
from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import httpx
from sqlalchemy import func, select

from dongcheng.audit.models import AuditEntry
from dongcheng.audit.service import verify
from dongcheng.core.config import REPO_ROOT
from dongcheng.core.db import make_engine, transaction
from dongcheng.emergency.incidents.models import Deadline, Incident, IncidentLead
from tests.conftest import _free_port, drop_database, prepared_database

BJ = timezone(timedelta(hours=8))


def token(base: str, username: str) -> dict[str, str]:
    r = httpx.post(f"{base}/api/auth/token", data={"username": username, "password": "demo-password"}, timeout=30)
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def start_server(url: str, port: int, log_path) -> subprocess.Popen:
    log = open(log_path, "a")
    proc = subprocess.Popen([sys.executable, "-m", "dongcheng.cli.main", "serve", "--port", str(port),
                             "--database-url", url], stdout=log, stderr=subprocess.STDOUT, cwd=REPO_ROOT,
                            env={**os.environ, "DONGCHENG_AUDIT_CHECKPOINT_FILE": str(log_path.with_suffix(".jsonl"))})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, log_path.read_text()
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


def intake_body() -> dict:
    now = datetime.now(BJ)
    return {"event_type": "燃气事故", "street": "东四街道", "address": "东四北大街 100 号",
            "occurred_at": (now - timedelta(minutes=2)).isoformat(), "received_at": now.isoformat(),
            "source": "12345", "title": "燃气泄漏", "grade": None}


def test_killing_the_app_mid_request_leaves_no_half_written_incident(tmp_path):
    url = prepared_database(tmp_path, "kill")
    port = _free_port()
    proc = start_server(url, port, tmp_path / "server.log")
    base = f"http://127.0.0.1:{port}"
    headers = token(base, "duty")
    acknowledged: list[int] = []
    stop = threading.Event()

    def hammer() -> None:
        with httpx.Client(timeout=10) as client:
            while not stop.is_set():
                try:
                    r = client.post(f"{base}/api/incidents", json=intake_body(), headers=headers)
                except httpx.HTTPError:
                    return  # the server is gone
                if r.status_code == 201:
                    acknowledged.append(r.json()["id"])
    try:
        threads = [threading.Thread(target=hammer) for _ in range(16)]
        for t in threads:
            t.start()
        while len(acknowledged) < 40:
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)  # mid-flight: requests are being handled right now
        proc.wait(10)
        stop.set()
        for t in threads:
            t.join(20)

        engine = make_engine(url)
        with transaction(engine, write=False) as s:
            ids = set(s.scalars(select(Incident.id)))
            assert set(acknowledged) <= ids, "an acknowledged incident was lost"
            for incident_id in ids:  # every incident is whole: routed, clocked, audited — or absent
                assert s.scalar(select(func.count()).select_from(IncidentLead)
                                .where(IncidentLead.incident_id == incident_id)) == 1
                assert s.scalar(select(func.count()).select_from(Deadline)
                                .where(Deadline.incident_id == incident_id, Deadline.kind == "initial")) == 1
                assert s.scalar(select(func.count()).select_from(AuditEntry).where(
                    AuditEntry.action == "incident.create", AuditEntry.target_id == str(incident_id))) == 1
            assert verify(s).ok
        engine.dispose()
        # and the platform comes back on the same database
        proc = start_server(url, port, tmp_path / "server.log")
        assert httpx.get(f"{base}/api/incidents/{max(acknowledged)}", headers=token(base, "duty")).status_code == 200
    finally:
        stop.set()
        if proc.poll() is None:
            proc.terminate()
            proc.wait(10)
        drop_database(url)


def test_a_hundred_approvers_at_once_change_the_state_once(live_server):
    base = live_server
    cgw, mayor = token(base, "cgw"), token(base, "mayor")
    draft = httpx.post(f"{base}/api/warnings", headers=cgw, timeout=30, json={
        "level": "红色", "event_type": "气象灾害", "title": "暴雨红色预警", "starts_at": "2026-07-01T08:00:00+08:00",
        "expected_duration_hours": 6, "area_streets": ["东四街道"], "precautions": "停课停业",
        "measures": "转移安置", "public": True})
    assert draft.status_code == 201, draft.text
    warning_id = draft.json()["id"]
    assert httpx.post(f"{base}/api/warnings/{warning_id}/submit", headers=cgw, timeout=30).status_code == 200

    barrier = threading.Barrier(100)

    def approve(_: int) -> int:
        with httpx.Client(timeout=60) as client:
            barrier.wait(30)
            return client.post(f"{base}/api/warnings/{warning_id}/approve", headers=mayor).status_code

    with ThreadPoolExecutor(max_workers=100) as pool:
        codes = list(pool.map(approve, range(100)))
    assert codes.count(200) == 1 and codes.count(409) == 99, collections.Counter(codes)
    shown = httpx.get(f"{base}/api/warnings/{warning_id}", headers=mayor, timeout=30).json()
    assert shown["status"] == "approved"
    audit = httpx.get(f"{base}/api/audit", params={"limit": 500}, headers=token(base, "admin"), timeout=30).json()
    assert sum(1 for e in audit if e["action"] == "warnings.approve" and e["target_id"] == str(warning_id)) == 1
