"""``intake_http_*``, ``incident_read_http_*``, ``board_read_http_*``: POST /api/incidents, GET /api/incidents/{id} and
the duty board's JSON (GET /api/incidents, no filter) through the real app.

The app runs as ``dongcheng serve`` on a fresh database (SQLite: a temporary file; PostgreSQL: a database created
for the run and dropped after) with the demo users, so the load logs in as ``duty``. The load comes from a separate
process (bench/loadgen.py) over loopback: 32 keep-alive connections, closed loop, ``BENCH_SECONDS`` measured after
a short warm-up. Afterwards the database is checked: every acknowledged incident (201 with an id) must be there.

The limit (issue 11) is the framework's own ceiling for the same work, measured in the same run on the same
database: bench/bare_app.py, a bare FastAPI app under the same uvicorn settings that writes the same rows with plain
SQL in one transaction per request (and reads the same rows for the GET). Goals: intake ≥ 0.6 of it, the read
≥ 0.5; PostgreSQL intake with 2 workers ≥ 1.7 × 1 worker. The intake and the bare app run side by side and take
turns (``take_turns``), as do 1 and 2 workers, and — as context for the latter — the bare app with 1 and 2 workers.
Issue 5's limit (a raw single-row INSERT+COMMIT loop) and the 401 floor stay in ``details`` as context; so does
intake with ``pool_pre_ping`` (the engine before issue 11).

The board is read on the same server and database right after the incident read, once the board holds
``BENCH_BOARD_OPEN`` open incidents (5,000: the intake load's, topped up with older ones seeded in SQL), so the
platform and the bare app read the same 200-incident first page out of the same total; the bare app is started
beside the platform for it, before any later window adds incidents.
"""
from __future__ import annotations

import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import insert, text

from bench import bare_app, cpu, loadgen
from bench.common import (
    REPO,
    AppServer,
    BareServer,
    Config,
    Result,
    postgres_database,
    progress,
    psycopg_url,
    ratio,
    raw_pg_inserts_per_s,
    raw_sqlite_inserts_per_s,
    sqlite_database,
    step,
)
from dongcheng.core.db import WRITE, make_engine
from dongcheng.emergency.incidents.models import Deadline, Incident, IncidentLead

GOAL = 0.60  # issue 11: intake ≥ 0.6 of the bare same-rows endpoint
SCALE_GOAL = 1.70  # issue 11: PostgreSQL, 2 workers ≥ 1.7 × 1 worker
READ_GOAL = 0.50  # issue 11: GET /api/incidents/{id} ≥ 0.5 of the bare same-rows read
LOG_DIR = Path(tempfile.gettempdir()) / "dongcheng-bench"


class PgWaitSampler(threading.Thread):
    """Every 0.25 s during the load: how many of the app's PostgreSQL sessions are running a statement, and how many
    of those wait on a lock (the audit trail's advisory lock serialises appenders: audit/service.py)."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.stop = psycopg_url(url), threading.Event()
        self.samples: list[tuple[int, int, int]] = []
        self.sessions: list[int] = []

    def run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            self.sessions = [self._sessions(conn)]
            while not self.stop.wait(0.25):
                self.samples.append(conn.execute(
                    "SELECT count(*) FILTER (WHERE state = 'active'),"
                    " count(*) FILTER (WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'),"
                    " count(*) FILTER (WHERE wait_event_type = 'Lock')"
                    " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone())
            self.sessions.append(self._sessions(conn))

    @staticmethod
    def _sessions(conn) -> int:
        """Sessions ever established to this database (each a forked backend: a pool that opens and closes
        connections under load makes PostgreSQL fork one per checkout beyond its size)."""
        return conn.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()").fetchone()[0]

    def summary(self) -> dict:
        self.stop.set()
        self.join(timeout=5)
        n = max(len(self.samples), 1)
        return {"pg_sessions_active_avg": round(sum(s[0] for s in self.samples) / n, 2),
                "pg_sessions_waiting_advisory_lock_avg": round(sum(s[1] for s in self.samples) / n, 2),
                "pg_sessions_waiting_any_lock_avg": round(sum(s[2] for s in self.samples) / n, 2),
                "pg_sessions_opened": self.sessions[-1] - self.sessions[0] if len(self.sessions) > 1 else None}


def run_load(cfg: Config, server: AppServer, token: str, label: str, pg_url: str | None = None,
             seconds: float | None = None, warmup: float | None = None, path: str = "/api/incidents",
             method: str = "POST", concurrency: int | None = None) -> tuple[dict, dict]:
    """Drive the server from a separate process; return (loadgen summary, CPU seconds by party in the window)."""
    seconds = cfg.seconds if seconds is None else seconds
    warmup = cfg.warmup if warmup is None else warmup
    concurrency = cfg.concurrency if concurrency is None else concurrency
    out = LOG_DIR / f"{label}-load.json"
    cmd = [sys.executable, "-m", "bench.loadgen", "--url", server.base_url, f"--token={token}",
           "--seconds", str(seconds), "--warmup", str(warmup), "--concurrency", str(concurrency),
           "--out", str(out), "--path", path, "--method", method]
    total = warmup + seconds
    load_avg = os.getloadavg()[0]
    before = (cpu.tree_cpu(server.pid()), cpu.postgres_cpu(), cpu.machine_cpu(), time.perf_counter(), _children_cpu(),
              cpu.stolen_cpu())
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, text=True)
    profiler = _start_profiler(server, label, total)
    sampler = PgWaitSampler(pg_url) if pg_url else None
    if sampler:
        sampler.start()
    with progress() as bar:
        task = bar.add_task(f"{label}: load, {concurrency} connections", total=total, info="")
        for line in proc.stdout:
            if line.startswith("progress "):
                _, elapsed, done = line.split()
                bar.update(task, completed=min(float(elapsed), total), info=f"{int(done):,} requests")
        bar.update(task, completed=total)
    if proc.wait() != 0:
        raise RuntimeError(f"load generator failed with exit code {proc.returncode}")
    if profiler is not None:
        profiler.wait(timeout=60)
    loader_cpu = _children_cpu() - before[4]  # only the load generator was reaped in between
    wall = time.perf_counter() - before[3]
    used = {"app": cpu.tree_cpu(server.pid()) - before[0], "postgres": cpu.postgres_cpu() - before[1],
            "machine": cpu.machine_cpu() - before[2], "loadgen": loader_cpu, "wall": wall,
            "stolen": cpu.stolen_cpu() - before[5],
            "load_avg_before": load_avg, "pg": sampler.summary() if sampler else {}}
    return json.loads(out.read_text()), used


def http_floor(cfg: Config, server: AppServer, label: str) -> float:
    """The same POST with a token that matches no user: the app answers 401 after parsing the request, opening the
    request's transaction and one token SELECT. Its rate is the ceiling of this HTTP + framework stack on this
    machine before any intake work: context for the intake ratio, not a goal."""
    load, _ = run_load(cfg, server, "not-a-valid-token", f"{label}-floor", seconds=min(5.0, cfg.seconds), warmup=1.0)
    return load["rps"] if set(load["statuses"]) == {"401"} else float("nan")


def _start_profiler(server: AppServer, label: str, seconds: float) -> subprocess.Popen | None:
    """BENCH_PROFILE=1: sample the app with py-spy during the load (``.venv/bin/pip install py-spy`` first).

    Samples only threads holding the GIL (where the CPU goes); BENCH_PROFILE=all samples every thread, waits on
    locks and the database included. Writes folded stacks to LOG_DIR/<label>.collapsed.txt; summarise them with
    ``python -m bench.profile_report FILE``.
    """
    mode = os.environ.get("BENCH_PROFILE", "")
    if mode in ("", "0"):
        return None
    spy = Path(sys.executable).parent / "py-spy"
    if not spy.exists():
        step("BENCH_PROFILE set but py-spy is not installed in the venv: .venv/bin/pip install py-spy")
        return None
    out = LOG_DIR / f"{label}.collapsed.txt"
    step(f"profiling the app with py-spy → {out}")
    return subprocess.Popen([str(spy), "record", "--pid", str(server.pid()), "--subprocesses", "--rate", "200",
                             "--duration", str(int(seconds)), "--format", "raw", "--output", str(out), "--nonblocking",
                             *([] if mode == "all" else ["--gil"])],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _children_cpu() -> float:
    """CPU seconds of all reaped children so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _other(used: dict) -> float:
    """CPU seconds of the window's other work on this shared machine (other sessions' tests …): the noise."""
    return max(0.0, used["machine"] - used["stolen"] - used["app"] - used["postgres"] - used["loadgen"])


def _summarise(name: str, load: dict, used: dict, present: set[int], baseline: set[int], raw: float,
               limit_name: str, extra: dict) -> Result:
    acked = set(load["acked_ids"])
    missing = sorted(acked - present)
    unacknowledged = sorted(present - baseline - acked)
    rps = load["rps"]
    completed = max(load["completed_total"], 1)
    wall = used["wall"]
    details = {
        "p50_ms": round(load["p50_ms"], 2), "p90_ms": round(load["p90_ms"], 2), "p99_ms": round(load["p99_ms"], 2),
        "max_ms": round(load["max_ms"], 2), "seconds": load["seconds"], "warmup_s": load["warmup"],
        "concurrency": load["concurrency"], "statuses": load["statuses"], "acknowledged": len(acked),
        "acknowledged_missing_from_db": len(missing), "rows_not_acknowledged": len(unacknowledged),
        "verified": not missing,
        # where the two cores went during the load (CPU seconds per request, and cores busy on average)
        "app_cpu_ms_per_request": round(used["app"] * 1000 / completed, 3),
        "postgres_cpu_ms_per_request": round(used["postgres"] * 1000 / completed, 3),
        "loadgen_cpu_ms_per_request": round(used["loadgen"] * 1000 / completed, 3),
        "cores_busy_app": round(used["app"] / wall, 2), "cores_busy_postgres": round(used["postgres"] / wall, 2),
        "cores_busy_loadgen": round(used["loadgen"] / wall, 2),
        "cores_busy_machine": round((used["machine"] - used["stolen"]) / wall, 2),  # steal left out: cores_stolen
        # other work on this shared machine during the window (other sessions' tests …): the noise, in cores
        "cores_busy_other": round(_other(used) / wall, 2),
        "cores_stolen": round(used["stolen"] / wall, 2),  # taken by the hypervisor for other guests
        "load_avg_1min_before": round(used["load_avg_before"], 2), **used["pg"],
        **extra,
    }
    if load["errors"]:
        details["errors"] = load["errors"][:5]
    if load["samples"]:
        details["unexpected_answers"] = load["samples"]
    r = ratio(rps, raw)
    note = ""
    if missing:
        note = f"LOST {len(missing)} acknowledged incidents (e.g. ids {missing[:5]})"
    elif load["statuses"].keys() - {"201"}:
        note = f"non-201 answers: {load['statuses']}"
    return Result(name=name, value=round(rps, 1), unit="req/s", limit_name=limit_name, limit_value=round(raw, 1),
                  ratio=round(r, 4) if r is not None else None, goal="", met=None, note=note, details=details)


READ_STREET = "和平里街道"  # the incident read: not the loads' street, so its duplicate suspects stay few


def _read_target(server: AppServer, token: str) -> int:
    """One incident for the read benchmarks, posted on another street than the load's (so its duplicate-suspect
    list does not grow with the intake load): both the platform and the bare app read this one row set."""
    body = json.loads(loadgen.incident_body(0))
    body["street"] = READ_STREET
    r = httpx.post(server.base_url + "/api/incidents", json=body, headers={"Authorization": f"Bearer {token}"},
                   timeout=30)
    r.raise_for_status()
    return r.json()["id"]


def _window(load: dict, used: dict) -> dict:
    """Latencies, statuses and the CPU split of one load window."""
    completed = max(load["completed_total"], 1)
    wall = used["wall"]
    out = {
        "rps": round(load["rps"], 1), "p50_ms": round(load["p50_ms"], 2), "p99_ms": round(load["p99_ms"], 2),
        "statuses": load["statuses"], "app_cpu_ms_per_request": round(used["app"] * 1000 / completed, 3),
        "postgres_cpu_ms_per_request": round(used["postgres"] * 1000 / completed, 3),
        "cores_busy_app": round(used["app"] / wall, 2), "cores_busy_postgres": round(used["postgres"] / wall, 2),
        "cores_busy_other": round(_other(used) / wall, 2), "cores_stolen": round(used["stolen"] / wall, 2),
        **used["pg"],
    }
    if load["samples"]:
        out["unexpected_answers"] = load["samples"]
    return out


def _read_result(name: str, load: dict, used: dict, bare_load: dict, bare_used: dict, path: str) -> Result:
    r = ratio(load["rps"], bare_load["rps"])
    ok = set(load["statuses"]) == {"200"} and set(bare_load["statuses"]) == {"200"}
    return Result(
        name=name, value=round(load["rps"], 1), unit="req/s",
        limit_name="bare FastAPI endpoint reading the same rows (bench/bare_app.py), req/s",
        limit_value=round(bare_load["rps"], 1), ratio=round(r, 4) if r is not None else None,
        goal=f"ratio >= {READ_GOAL:.2f}", met=bool(ok and r is not None and r >= READ_GOAL),
        note="" if ok else f"non-200 answers: {load['statuses']} / bare {bare_load['statuses']}",
        details={"path": path, **_window(load, used),
                 "bare": _window(bare_load, bare_used), **_cpu_ratio(load, used, bare_load, bare_used)})


def _hello_world(cfg: Config, bare: BareServer, label: str) -> dict:
    """Context: the bare app's ``GET /hello`` (``async def`` returning a dict): this stack's floor on this machine."""
    load, used = run_load(cfg, bare, "-", label, seconds=min(5.0, cfg.seconds), warmup=1.0, path="/hello",
                          method="GET")
    completed = max(load["completed_total"], 1)
    return {"context_hello_world_rps": round(load["rps"], 1),
            "context_hello_world_app_cpu_ms": round(used["app"] * 1000 / completed, 3)}


def _cpu_ratio(load: dict, used: dict, bare_load: dict, bare_used: dict) -> dict:
    """Bare app CPU per request ÷ the platform's: the ratio the two would reach on equally free cores (the req/s
    ratio moves with what the rest of this shared machine takes in each window; this one much less)."""
    app = used["app"] / max(load["completed_total"], 1)
    bare = bare_used["app"] / max(bare_load["completed_total"], 1)
    return {"cpu_ratio_to_bare": round(bare / app, 4) if app else None}


def _intake_with_bare(result: Result, bare_load: dict, bare_used: dict, bare_missing: int, raw: float,
                      raw_name: str) -> Result:
    """Turn the platform's intake row into its ratio to the bare same-rows endpoint; the raw insert loop (issue 5's
    limit) stays in ``details`` as context."""
    r = ratio(result.value, bare_load["rps"])
    result.details.update({
        "bare": {**_window(bare_load, bare_used), "acknowledged": len(bare_load["acked_ids"]),
                 "acknowledged_missing_from_db": bare_missing},
        "context_raw_insert_per_s": round(raw, 1), "context_raw_insert": raw_name,
        "context_ratio_to_raw_insert": round(result.value / raw, 4) if raw else None,
    })
    result.details["acknowledged_missing_from_db"] += bare_missing
    result.limit_name = "bare FastAPI endpoint writing the same rows in one transaction (bench/bare_app.py), req/s"
    result.limit_value = round(bare_load["rps"], 1)
    result.ratio = round(r, 4) if r is not None else None
    result.goal = f"ratio >= {GOAL:.2f}"
    result.note = "; ".join(x for x in (result.note, _noise(result.details)) if x)
    result.met = bool(r is not None and r >= GOAL and not result.details["acknowledged_missing_from_db"]
                      and set(bare_load["statuses"]) == {"201"})
    return result


def intake_sqlite(cfg: Config) -> list[Result]:
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    with sqlite_database() as (url, path):
        step(f"dongcheng serve on a fresh SQLite file ({path}), workers={cfg.workers}")
        with AppServer(url, LOG_DIR / "intake_sqlite-server.log", workers=cfg.workers) as server:
            token = server.login()
            target = _read_target(server, token)
            baseline = _sqlite_ids(path)
            step("the bare same-rows app (bench/bare_app.py) beside it on the same file: intake in turns "
                 f"({TURNS} windows each, alternating which goes first)")
            with BareServer(url, LOG_DIR / "intake_sqlite-bare.log", workers=cfg.workers) as bare:
                turns = take_turns(cfg, {"platform": server, "bare": bare}, token, "intake_http_sqlite")
            (load, used), (bare_load, bare_used) = (_merged(_turns_of(turns, k)) for k in ("platform", "bare"))
            baseline |= set(bare_load["acked_ids"])
            floor = http_floor(cfg, server, "intake_http_sqlite")
            read, read_used = run_load(cfg, server, token, "incident_read_http_sqlite",
                                       path=f"/api/incidents/{target}", method="GET")
            board, seeded = _board_rows(cfg, server, token, url, "sqlite") if cfg.selects(BOARD_SQLITE) else ([], set())
        baseline |= seeded  # the board's top-up: nobody was told about them, nor should be
        present = _sqlite_ids(path)
        step(f"checked {len(load['acked_ids']):,} acknowledged ids against {len(present) - len(baseline):,} new rows")
        step("the bare same-rows app (bench/bare_app.py) on the same file: the read and the hello-world floor")
        with BareServer(url, LOG_DIR / "intake_sqlite-bare-read.log", workers=cfg.workers) as bare:
            bare_read, bare_read_used = run_load(cfg, bare, token, "bare_read_sqlite",
                                                 path=f"/api/incidents/{target}", method="GET")
            hello = _hello_world(cfg, bare, "bare_hello_sqlite")
        bare_missing = len(set(bare_load["acked_ids"]) - _sqlite_ids(path))
        raw = raw_sqlite_inserts_per_s(path, cfg.raw_seconds)
        raw_full = raw_sqlite_inserts_per_s(path, cfg.raw_seconds / 2, synchronous="FULL")
    intake = _summarise("intake_http_sqlite", load, used, present, baseline, raw,
                        "raw SQLite INSERT+COMMIT/s (WAL, synchronous=NORMAL)",
                        {"workers": cfg.workers, **_floor(floor, raw),
                         "raw_sqlite_synchronous_full_per_s": round(raw_full, 1)})
    intake.details.update({**_cpu_ratio(load, used, bare_load, bare_used), **hello,
                           **_turn_details(turns, "platform", "bare")})
    return [_intake_with_bare(intake, bare_load, bare_used, bare_missing, raw,
                              "raw SQLite INSERT+COMMIT/s (WAL, synchronous=NORMAL)"),
            _read_result("incident_read_http_sqlite", read, read_used, bare_read, bare_read_used,
                         f"GET /api/incidents/{target}"), *board]


def ceiling(windows: list[tuple[dict, dict]]) -> float:
    """The ratio N workers would reach with every core of the machine busy, from 1-worker windows ((loadgen summary,
    CPU used) of ``run_load``): the machine's cores ÷ the cores the platform's own work kept busy at the windows'
    pace — requests/s × CPU per request (app, PostgreSQL, load generator; other processes' work left out), mean of the
    windows. Not CPU ÷ the window's wall time: that wall also holds the load generator's start and its drain, when
    nothing is sent, and undercounted the busy cores by about a fifth (1.09 where the pace gave 1.31, session 11).
    This is the most any number of workers could serve over one on these cores."""
    busy = sum(load["rps"] * (u["app"] + u["postgres"] + u["loadgen"]) / max(load["completed_total"], 1)
               for load, u in windows) / len(windows)
    return round((os.cpu_count() or 1) / busy, 2) if busy else 0.0


TURNS = 4  # windows of each server when two take turns (they alternate: A B B A A B B A)


def take_turns(cfg: Config, servers: dict[str, AppServer], token: str, label: str, pg_url: str | None = None
               ) -> list[tuple[str, dict, dict]]:
    """The servers run on the same database; the load generator drives one at a time, in short windows that
    alternate (ABBA…), so a machine whose speed drifts (a neighbour's load, the hypervisor's steal) charges both
    alike. Returns the windows in the order they ran: (server's key, loadgen summary, CPU used)."""
    seconds = max(2.0, cfg.seconds / 2)
    names, out = list(servers), []
    for i in range(TURNS):
        for n in (names if i % 2 == 0 else names[::-1]):
            out.append((n, *run_load(cfg, servers[n], token, f"{label}_{n}_turn{i + 1}", pg_url=pg_url,
                                     seconds=seconds, warmup=1.0)))
    return out


def _turns_of(windows: list[tuple[str, dict, dict]], key: str) -> list[tuple[dict, dict]]:
    return [(load, used) for k, load, used in windows if k == key]


def _turn_details(windows: list[tuple[str, dict, dict]], a: str, b: str) -> dict:
    """Every window's req/s, each A window ÷ the B window of its turn, and the machine's other work and steal by
    window: how steady the comparison was."""
    ta, tb = _turns_of(windows, a), _turns_of(windows, b)
    return {"turns": TURNS, "window_s": ta[0][0]["seconds"],
            f"{a}_windows_rps": [round(w[0]["rps"], 1) for w in ta],
            f"{b}_windows_rps": [round(w[0]["rps"], 1) for w in tb],
            "pair_ratios": [round(x[0]["rps"] / y[0]["rps"], 3) for x, y in zip(ta, tb, strict=True) if y[0]["rps"]],
            "windows_in_order": [k for k, _, _ in windows],
            "cores_busy_other_by_window": [round(_other(u) / u["wall"], 2) for _, _, u in windows],
            "cores_stolen_by_window": [round(u["stolen"] / u["wall"], 2) for _, _, u in windows]}


def _noise(details: dict) -> str:
    """'noisy: …' when other work or the hypervisor's steal moved between the windows of a comparison."""
    others, stolen = details["cores_busy_other_by_window"], details["cores_stolen_by_window"]
    noisy = [x for x in (max(others) - min(others) > 0.3 and f"other work took {min(others):.2f}–{max(others):.2f} "
                         "of the cores across the windows",
                         max(stolen) > 0.1 and f"the hypervisor took up to {max(stolen):.2f} of the cores "
                         "(steal)") if x]
    return "noisy: " + "; ".join(noisy) if noisy else ""


def _merged(windows: list[tuple[dict, dict]]) -> tuple[dict, dict]:
    """Several windows of one server as one: requests/s over their measured seconds, statuses and CPU summed,
    acknowledged ids joined; latency percentiles are the median of the windows' (p99 and max: the largest)."""
    loads, used = [w[0] for w in windows], [w[1] for w in windows]
    seconds = sum(load["seconds"] for load in loads)
    statuses: dict[str, int] = {}
    for load in loads:
        for k, v in load["statuses"].items():
            statuses[k] = statuses.get(k, 0) + v
    load = {"rps": sum(load["rps"] * load["seconds"] for load in loads) / seconds, "seconds": seconds,
            "warmup": loads[0]["warmup"], "concurrency": loads[0]["concurrency"], "statuses": statuses,
            "completed_total": sum(load["completed_total"] for load in loads),
            "acked_ids": [i for load in loads for i in load["acked_ids"]],
            "p50_ms": statistics.median(load["p50_ms"] for load in loads),
            "p90_ms": statistics.median(load["p90_ms"] for load in loads),
            "p99_ms": max(load["p99_ms"] for load in loads), "max_ms": max(load["max_ms"] for load in loads),
            "errors": [e for load in loads for e in load["errors"]],
            "samples": [x for load in loads for x in load["samples"]]}
    cpu_used = {k: sum(u[k] for u in used) for k in ("app", "postgres", "machine", "loadgen", "wall", "stolen")}
    pg = [u["pg"] for u in used if u["pg"]]
    cpu_used["pg"] = {k: round(statistics.mean(p[k] for p in pg if p.get(k) is not None), 2)
                      for k in (pg[0] if pg else {})} if pg else {}
    cpu_used["load_avg_before"] = used[0]["load_avg_before"]
    return load, cpu_used


def _scaling(windows: list[tuple[str, dict, dict]], bare_windows: list[tuple[str, dict, dict]], present: set[int],
             baseline: set[int], raw: float, two: int, one: int) -> Result:
    """The 2-worker row: requests/s of the N-worker windows ÷ the 1-worker windows' (the same number of windows of
    the same length, taken in turns: ``take_turns``), with every window's figures and the machine's ceiling; and, as
    context, the same comparison of the bare same-rows app (the framework's own scaling on this machine)."""
    load2, used2 = _merged(_turns_of(windows, "2w"))
    load1, used1 = _merged(_turns_of(windows, "1w"))
    bare2, bare2_used = _merged(_turns_of(bare_windows, "2w"))
    bare1, bare1_used = _merged(_turns_of(bare_windows, "1w"))
    others = set(load1["acked_ids"]) | set(bare1["acked_ids"]) | set(bare2["acked_ids"])
    scaled = _summarise("intake_http_postgres_2_workers", load2, used2, present, baseline | others, raw, "",
                        {"workers": two})
    missing1 = len(set(load1["acked_ids"]) - present)
    bare_missing = len((set(bare1["acked_ids"]) | set(bare2["acked_ids"])) - present)
    r2, bare_r = ratio(load2["rps"], load1["rps"]), ratio(bare2["rps"], bare1["rps"])
    turns = _turn_details(windows, "2w", "1w")
    scaled.details.update({
        **turns,
        "one_worker": {**_window(load1, used1), "acknowledged": len(load1["acked_ids"]),
                       "acknowledged_missing_from_db": missing1},
        # The most N workers could give on this machine: every core busy, at the CPU per request (app + PostgreSQL +
        # load generator) the 1-worker windows used. Below the goal, the goal cannot be met on these cores.
        "machine_ceiling_ratio": ceiling(_turns_of(windows, "1w")),
        # The framework's own scaling here: bench/bare_app.py with 2 workers ÷ 1, taken in turns the same way.
        "bare_two_workers_ratio": round(bare_r, 4) if bare_r is not None else None,
        "bare_machine_ceiling_ratio": ceiling(_turns_of(bare_windows, "1w")),
        "bare_app": {"one_worker": _window(bare1, bare1_used), "two_workers": _window(bare2, bare2_used),
                 "acknowledged": len(bare1["acked_ids"]) + len(bare2["acked_ids"]),
                 "acknowledged_missing_from_db": bare_missing, **_turn_details(bare_windows, "2w", "1w")},
    })
    scaled.details["acknowledged_missing_from_db"] += missing1 + bare_missing
    scaled.note = "; ".join(x for x in (
        _noise(turns),
        bare_r is not None and f"the bare same-rows app, 2 workers ÷ 1 taken in turns the same way: "
                               f"{bare2['rps']:.1f} / {bare1['rps']:.1f} = {bare_r:.2f}") if x)
    scaled.limit_name = (f"intake_http_postgres, {one} worker{'s' if one > 1 else ''}, its {TURNS} windows taken in "
                         "turns with these (same run, same database), req/s")
    scaled.limit_value, scaled.ratio = round(load1["rps"], 1), round(r2, 4) if r2 is not None else None
    scaled.goal = f"ratio >= {SCALE_GOAL:.2f}"
    scaled.met = bool(r2 is not None and r2 >= SCALE_GOAL and not scaled.details["acknowledged_missing_from_db"])
    return scaled


def intake_postgres(cfg: Config) -> list[Result]:
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    with postgres_database(cfg.pg_server, "intake") as url:
        step(f"dongcheng serve on a fresh PostgreSQL database ({url.rsplit('/', 1)[-1]}), workers={cfg.workers}")
        with AppServer(url, LOG_DIR / "intake_postgres-server.log", workers=cfg.workers) as server:
            token = server.login()
            target = _read_target(server, token)
            baseline = _pg_ids(url)
            step("the bare same-rows app (bench/bare_app.py) beside it on the same database: intake in turns "
                 f"({TURNS} windows each, alternating which goes first)")
            with BareServer(url, LOG_DIR / "intake_postgres-bare.log", workers=cfg.workers) as bare:
                turns = take_turns(cfg, {"platform": server, "bare": bare}, token, "intake_http_postgres", pg_url=url)
            (load, used), (bare_load, bare_used) = (_merged(_turns_of(turns, k)) for k in ("platform", "bare"))
            baseline |= set(bare_load["acked_ids"])
            floor = http_floor(cfg, server, "intake_http_postgres")
            read, read_used = run_load(cfg, server, token, "incident_read_http_postgres", pg_url=url,
                                       path=f"/api/incidents/{target}", method="GET")
            board, seeded = (_board_rows(cfg, server, token, url, "postgres", pg_url=url)
                             if cfg.selects(BOARD_POSTGRES) else ([], set()))
        baseline |= seeded  # the board's top-up: nobody was told about them, nor should be
        present = _pg_ids(url)
        step(f"checked {len(load['acked_ids']):,} acknowledged ids against {len(present) - len(baseline):,} new rows")
        two = max(2, cfg.workers * 2)
        step(f"dongcheng serve --workers {cfg.workers} and --workers {two} side by side on the same database, taking "
             f"turns ({TURNS} windows each, alternating which goes first)")
        with AppServer(url, LOG_DIR / "intake_postgres_1b-server.log", workers=cfg.workers) as server1b, \
                AppServer(url, LOG_DIR / "intake_postgres_2-server.log", workers=two) as server2:
            baseline2 = _pg_ids(url)
            windows = take_turns(cfg, {"1w": server1b, "2w": server2}, token, "intake_http_postgres", pg_url=url)
        step(f"the bare same-rows app with {cfg.workers} and {two} workers, in turns the same way (context)")
        with BareServer(url, LOG_DIR / "intake_postgres-bare1.log", workers=cfg.workers) as bare1, \
                BareServer(url, LOG_DIR / "intake_postgres-bare2.log", workers=two) as bare2:
            bare_windows = take_turns(cfg, {"1w": bare1, "2w": bare2}, token, "bare_intake_postgres", pg_url=url)
        present2 = _pg_ids(url)
        step("dongcheng serve with pool_pre_ping (DONGCHENG_DB_PRE_PING=1, before issue 11) on the same database")
        with AppServer(url, LOG_DIR / "intake_postgres_ping-server.log", workers=cfg.workers,
                       env={"DONGCHENG_DB_PRE_PING": "1"}) as server3:
            baseline3 = _pg_ids(url)
            ping, ping_used = run_load(cfg, server3, token, "intake_http_postgres_pre_ping", pg_url=url)
        present3 = _pg_ids(url)
        ping_missing = len(set(ping["acked_ids"]) - present3)
        step("the bare same-rows app (bench/bare_app.py) on the same database: the read and the hello-world floor")
        with BareServer(url, LOG_DIR / "intake_postgres-bare-read.log", workers=cfg.workers) as bare:
            bare_read, bare_read_used = run_load(cfg, bare, token, "bare_read_postgres", pg_url=url,
                                                 path=f"/api/incidents/{target}", method="GET")
            hello = _hello_world(cfg, bare, "bare_hello_postgres")
        bare_missing = len(set(bare_load["acked_ids"]) - _pg_ids(url))
        raw = raw_pg_inserts_per_s(psycopg_url(url), cfg.raw_seconds)
        settings = _pg_settings(url)
    intake = _summarise("intake_http_postgres", load, used, present, baseline, raw,
                        "raw PostgreSQL INSERT+COMMIT/s (1 connection)",
                        {"workers": cfg.workers, **_floor(floor, raw), **settings})
    intake.details.update({**_cpu_ratio(load, used, bare_load, bare_used), **hello,
                           **_turn_details(turns, "platform", "bare")})
    intake.details["with_pool_pre_ping"] = {
        **_window(ping, ping_used), "acknowledged": len(ping["acked_ids"]), "acknowledged_missing_from_db": ping_missing,
        "rows_not_acknowledged": len(present3 - baseline3 - set(ping["acked_ids"]))}
    intake.details["acknowledged_missing_from_db"] += ping_missing
    scaled = _scaling(windows, bare_windows, present2, baseline2, raw, two, cfg.workers)
    return [_intake_with_bare(intake, bare_load, bare_used, bare_missing, raw,
                              "raw PostgreSQL INSERT+COMMIT/s (1 connection)"),
            scaled,
            _read_result("incident_read_http_postgres", read, read_used, bare_read, bare_read_used,
                         f"GET /api/incidents/{target}"), *board]


# ---------------------------------------------------------------- the board (GET /api/incidents, no filter)

BOARD_SQLITE, BOARD_POSTGRES = "board_read_http_sqlite", "board_read_http_postgres"
BOARD_TYPE = "燃气事故"  # the intake load's event type: the seeded incidents carry the same leads and deadline
OPEN = "is_drill = :f AND ended_at IS NULL"  # on the board: real incidents not yet ended (archive.statuses_of)


def seed_board(url: str, total: int) -> tuple[set[int], int]:
    """Top the board up to ``total`` open incidents; return (ids seeded, open incidents now).

    The seeded ones are the rows the board reads, as intake writes them for the load's body (bench/loadgen.py):
    the incident (燃气事故, ungraded, open, proposed level pending), its 初报 deadline (due 10 min after receipt,
    owed to the first lead) and its lead departments from table §2.3.6. Their audit, search and level-change rows
    are left out (the board reads none of them). They go round the streets and the key area but the incident
    read's (so the bare app's read, measured after them, scans the same duplicate suspects as the platform's did),
    received one minute apart going back from an hour before the oldest open incident, so they sort after the
    intake load's (the first page stays the load's incidents when it posted 200 or more) and no two share an
    intake key.
    """
    engine = make_engine(url)
    try:
        with engine.execution_options(**WRITE).begin() as conn:
            have = conn.execute(text(f"SELECT count(*) FROM incidents WHERE {OPEN}"), {"f": False}).scalar_one()
            need = total - have
            if need <= 0:
                return set(), have
            streets = list(conn.execute(text(
                "SELECT id FROM units WHERE kind IN ('street', 'key_area') AND name <> :read ORDER BY sort_order, id"),
                {"read": READ_STREET}).scalars())
            et_id, category, clause = conn.execute(text(
                "SELECT id, category, clause FROM event_types WHERE name = :n"), {"n": BOARD_TYPE}).one()
            leads = list(conn.execute(text(
                "SELECT unit_id FROM event_type_leads WHERE event_type_id = :t ORDER BY position"), {"t": et_id})
                .scalars())
            now = datetime.now(UTC).replace(second=0, microsecond=0)
            oldest = conn.execute(text(f"SELECT min(received_at) FROM incidents WHERE {OPEN}"), {"f": False}).scalar()
            start = min(now, bare_app._aware(oldest) or now) - timedelta(hours=1)
            rows = []
            for k in range(need):
                received = start - timedelta(minutes=k)
                rows.append({
                    "title": "燃气泄漏", "description": "", "event_type_id": et_id, "category": category,
                    "street_unit_id": streets[k % len(streets)], "address": f"东四北大街 {100 + k % 900} 号",
                    "occurred_at": received - timedelta(minutes=2), "received_at": received, "source": "12345",
                    "proposed_level_reason": bare_app.PROPOSAL_REASON, "proposed_level_basis": bare_app.PROPOSAL_BASIS,
                    "status": "open", "created_by": "duty", "created_at": received})
            table = Incident.__table__
            ids = list(conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows).scalars())
            conn.execute(insert(Deadline.__table__), [
                {"incident_id": iid, "kind": "initial", "seq": 1, "due_at": row["received_at"] + timedelta(minutes=10),
                 "basis": bare_app.PROPOSAL_BASIS, "recipients": json.loads(bare_app.INITIAL_RECIPIENTS),
                 "notify": [], "responsible_unit_id": leads[0] if leads else None, "status": "pending",
                 "is_drill": False} for iid, row in zip(ids, rows, strict=True)])
            if leads:
                conn.execute(insert(IncidentLead.__table__), [
                    {"incident_id": iid, "unit_id": unit, "position": n, "basis": clause, "reason": ""}
                    for iid in ids for n, unit in enumerate(leads, 1)])
        return set(ids), have + len(ids)
    finally:
        engine.dispose()


def _board_page(server: AppServer, token: str) -> tuple[list[dict], dict, int]:
    r = httpx.get(server.base_url + "/api/incidents", headers={"Authorization": f"Bearer {token}"}, timeout=120)
    r.raise_for_status()
    return r.json(), r.headers, len(r.content)


def _board_rows(cfg: Config, server: AppServer, token: str, url: str, engine: str,
                pg_url: str | None = None) -> tuple[list[Result], set[int]]:
    """The board's JSON through the platform, then through the bare app on the same database in the same state:
    ``board_read_http_<engine>``, and the ids of the incidents seeded to reach ``BENCH_BOARD_OPEN``."""
    name = f"board_read_http_{engine}"
    seeded, open_now = seed_board(url, cfg.board_open)
    step(f"the board: {open_now:,} open incidents ({len(seeded):,} seeded); GET /api/incidents reads the first page")
    page, headers, size = _board_page(server, token)
    load, used = run_load(cfg, server, token, name, pg_url=pg_url, path="/api/incidents", method="GET",
                          concurrency=cfg.board_concurrency)
    step("the bare same-rows board (bench/bare_app.py) beside it, same database, same state")
    with BareServer(url, LOG_DIR / f"board_{engine}-bare.log", workers=cfg.workers) as bare:
        bare_page, bare_headers, bare_size = _board_page(bare, token)
        bare_load, bare_used = run_load(cfg, bare, token, f"bare_board_{engine}", pg_url=pg_url,
                                        path="/api/incidents", method="GET", concurrency=cfg.board_concurrency)
    result = _read_result(name, load, used, bare_load, bare_used, "GET /api/incidents (no filter: the duty board)")
    same_ids = [i["id"] for i in page] == [i["id"] for i in bare_page]
    keys = set(page[0]) if page else set()
    bare_keys = set(bare_page[0]) if bare_page else set()
    result.details.update({
        "open_incidents": open_now, "seeded_incidents": len(seeded), "board_open_setting": cfg.board_open,
        "page_rows": len(page), "total_header": headers.get("x-total-count"),
        "deadlines_on_page": sum(len(i["deadlines"]) for i in page),
        "leads_on_page": sum(len(i["leads"]) for i in page), "body_bytes": size,
        "bare_page_rows": len(bare_page), "bare_total_header": bare_headers.get("x-total-count"),
        "bare_body_bytes": bare_size, "bare_same_page_ids": same_ids, "bare_same_json": page == bare_page,
        "concurrency": cfg.board_concurrency, "requests_in_window": load["completed_in_window"],
        "bare_requests_in_window": bare_load["completed_in_window"],
        "bare_keys_missing": sorted(keys - bare_keys), "bare_keys_extra": sorted(bare_keys - keys)})
    notes = [result.note] if result.note else []
    if open_now > cfg.board_open:
        notes.append(f"the intake left {open_now:,} open incidents, more than BENCH_BOARD_OPEN={cfg.board_open:,}")
    if not same_ids or headers.get("x-total-count") != bare_headers.get("x-total-count") or keys != bare_keys:
        notes.append("the bare app's page differs from the platform's (see details)")
    result.note = "; ".join(notes)
    return [result], seeded


def _board_alone(cfg: Config, engine: str, intake_name: str) -> list[Result]:
    """``BENCH_ONLY=board``: the board on a fresh database, all its open incidents seeded; with the intake selected
    too, the board rows come from the intake's run (its server, its database, after the incident read)."""
    if cfg.selects(intake_name):
        step(f"measured in {intake_name}'s run (same server and database, after the incident read)")
        return []
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    if engine == "sqlite":
        with sqlite_database() as (url, path):
            step(f"dongcheng serve on a fresh SQLite file ({path}), workers={cfg.workers}")
            with AppServer(url, LOG_DIR / "board_sqlite-server.log", workers=cfg.workers) as server:
                return _board_rows(cfg, server, server.login(), url, engine)[0]
    with postgres_database(cfg.pg_server, "board") as url:
        step(f"dongcheng serve on a fresh PostgreSQL database ({url.rsplit('/', 1)[-1]}), workers={cfg.workers}")
        with AppServer(url, LOG_DIR / "board_postgres-server.log", workers=cfg.workers) as server:
            return _board_rows(cfg, server, server.login(), url, engine, pg_url=url)[0]


def board_sqlite(cfg: Config) -> list[Result]:
    return _board_alone(cfg, "sqlite", "intake_http_sqlite")


def board_postgres(cfg: Config) -> list[Result]:
    return _board_alone(cfg, "postgres", "intake_http_postgres")


def _floor(floor: float, raw: float) -> dict:
    return {"http_floor_401_rps": round(floor, 1), "http_floor_ratio": round(floor / raw, 4) if raw else None}


def _sqlite_ids(path: Path) -> set[int]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute("SELECT id FROM incidents")}


def _pg_ids(url: str) -> set[int]:
    with psycopg.connect(psycopg_url(url)) as conn:
        return {row[0] for row in conn.execute("SELECT id FROM incidents")}


def _pg_settings(url: str) -> dict:
    with psycopg.connect(psycopg_url(url)) as conn:
        return {f"pg_{name}": conn.execute(f"SHOW {name}").fetchone()[0]
                for name in ("synchronous_commit", "fsync", "wal_sync_method", "server_version")}
