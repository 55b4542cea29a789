"""``dongcheng serve --workers 2`` (cli/serving.py): each worker listens on its own socket (SO_REUSEPORT), so the
connections of a client that keeps them open are spread over both — with uvicorn's one shared socket all 32 of the
benchmark's keep-alive connections stayed on one worker and two workers served what one did (issue 11). A worker
that dies is started again; SIGTERM stops them all."""
from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO_ROOT, _free_port, prepared_database

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2:].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _sockets(port: int, state: str) -> set[str]:
    """Inodes of the TCP sockets on local ``port`` in ``state`` (0A listening, 01 established)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == state:
                inodes.add(fields[9])
    return inodes


def _held_by(pid: int, inodes: set[str]) -> int:
    held = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            held += 1
    return held


def _workers(server: subprocess.Popen, port: int, timeout: float = 90) -> list[int]:
    """The worker processes, once each listens on the port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, "dongcheng serve exited"
        listening = _sockets(port, "0A")
        workers = [pid for pid in _children(server.pid) if _held_by(pid, listening)]
        if len(workers) == 2:
            return workers
        time.sleep(0.3)
    raise AssertionError("two workers did not start listening")


@pytest.fixture
def server(tmp_path):
    url = prepared_database(tmp_path, "workers")
    port = _free_port()
    log = open(tmp_path / "server.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "dongcheng.cli.main", "serve", "--port", str(port),
                             "--database-url", url, "--workers", "2"], stdout=log, stderr=subprocess.STDOUT,
                            cwd=REPO_ROOT, env={**os.environ, "DONGCHENG_AUDIT_SEQUENCER": "0",
                                                "DONGCHENG_AUDIT_CHECKPOINT_FILE": str(tmp_path / "cp.jsonl")})
    yield proc, port
    if proc.poll() is None:
        proc.kill()
        proc.wait(10)
    log.close()


def test_two_workers_share_the_connections_of_one_client(server):
    proc, port = server
    workers = _workers(proc, port)
    connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(48)]
    for conn in connections:  # all at once, as a load generator or a proxy's pool opens them
        conn.connect()
    for conn in connections:  # keep-alive: each connection stays with the worker that accepted it
        conn.request("GET", "/healthz")
        assert conn.getresponse().status == 200
    established = _sockets(port, "01")
    held = {pid: _held_by(pid, established) for pid in workers}
    for conn in connections:
        conn.close()
    assert sum(held.values()) == 48, held
    assert min(held.values()) >= 10, f"the connections were not spread over the workers: {held}"


def test_a_dead_worker_is_replaced_and_sigterm_stops_them_all(server):
    proc, port = server
    first, second = _workers(proc, port)
    os.kill(first, signal.SIGKILL)
    # while its replacement starts (bound, loading the app, not yet listening) every new connection is the live
    # worker's: none waits in the backlog of a process that cannot answer yet
    started = time.monotonic()
    while time.monotonic() - started < 4:
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and first in _workers(proc, port):
        time.sleep(0.3)
    now = _workers(proc, port)
    assert first not in now and second in now
    assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10).status_code == 200
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(40) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in now)
