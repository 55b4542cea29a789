"""``make bench`` → ``python -m bench.run``: every benchmark, a table, and bench/results.json.

Each benchmark measures its raw limit in the same run on the same database and settings; the ratio is what counts
(absolute figures drift ±25 % on these shared 2-core machines). Settings come from the environment (BENCH_SECONDS,
BENCH_ONLY, …; see bench/README.md). Exit status 1 if a benchmark crashed, lost an acknowledged write or failed its
delivery check; a missed goal is reported, not failed.
"""
from __future__ import annotations

import json
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime

from rich.console import Console
from rich.table import Table

from bench import fanout, gazette, intake, overdue
from bench.common import Config, Result, console

# The registry: name → callable(cfg) returning a Result or a list of them, run in this order.
# A new benchmark adds a line here (bench/pending.py: how to list one that is not built yet).
BENCHMARKS: list[tuple[str, Callable[[Config], Result | list[Result]]]] = [
    ("intake_http_sqlite", intake.intake_sqlite),  # also incident_read_http_sqlite (and board_read_http_sqlite)
    ("intake_http_postgres", intake.intake_postgres),  # also intake_http_postgres_2_workers, incident_read_http_postgres
    # measured in the intake runs above when they are selected (same server, same database); alone otherwise
    ("board_read_http_sqlite", intake.board_sqlite),
    ("board_read_http_postgres", intake.board_postgres),
    ("overdue_query_1m", overdue.run),
    ("fanout_700k_postgres", fanout.run),  # also fanout_sink_400_per_s, fanout_sink_8000_per_s
    ("gazette_import_seed", gazette.run),  # also gazette_import_seed_postgres
]


def _fmt(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def table(results: list[Result]) -> Table:
    t = Table(title="dongcheng benchmarks (ratio = value ÷ limit, same run, same database)", title_justify="left")
    for col, justify in (("benchmark", "left"), ("value", "right"), ("unit", "left"), ("limit", "right"),
                         ("limit is", "left"), ("ratio", "right"), ("goal", "left"), ("", "left"), ("notes", "left")):
        t.add_column(col, justify=justify, overflow="fold")
    for r in results:
        d = r.details
        notes = []
        if "p50_ms" in d and "acknowledged" not in d:  # a read window (incident_read_http_*)
            notes.append(f"p50 {d['p50_ms']:.0f} ms, p99 {d['p99_ms']:.0f} ms; app CPU {d['app_cpu_ms_per_request']:.1f}"
                         f" ms/req (bare {d['bare']['app_cpu_ms_per_request']:.1f}; CPU ratio {d['cpu_ratio_to_bare']:.2f})")
        elif "p50_ms" in d:
            notes.append(f"p50 {d['p50_ms']:.0f} ms, p99 {d['p99_ms']:.0f} ms; app CPU {d['app_cpu_ms_per_request']:.1f} "
                         f"ms/req; {d['acknowledged']:,} acked, {d['acknowledged_missing_from_db']} missing in db"
                         + (f"; 401 floor {d['http_floor_401_rps']:,.0f} req/s" if "http_floor_401_rps" in d else ""))
            if "bare" in d:
                notes.append(f"bare app CPU {d['bare']['app_cpu_ms_per_request']:.1f} ms/req (CPU ratio "
                             f"{d['cpu_ratio_to_bare']:.2f}); hello world {d['context_hello_world_rps']:,.0f} req/s"
                             f" ({d['context_hello_world_app_cpu_ms']:.2f} ms); raw insert "
                             f"{d['context_raw_insert_per_s']:,.0f}/s (ratio {d['context_ratio_to_raw_insert']:.4f})")
        if "open_incidents" in d:  # the board (board_read_http_*)
            notes.append(f"{d['page_rows']} of {d['open_incidents']:,} open incidents, {d['body_bytes'] / 1024:,.0f} KB "
                         f"(bare {d['bare_body_bytes'] / 1024:,.0f} KB, same page: {d['bare_same_page_ids']})")
        if "with_pool_pre_ping" in d:
            p = d["with_pool_pre_ping"]
            notes.append(f"with pool_pre_ping (before): {p['rps']:,.1f} req/s, app CPU {p['app_cpu_ms_per_request']:.1f} ms/req")
        if "machine_ceiling_ratio" in d:
            cores, top = os.cpu_count() or 1, d["machine_ceiling_ratio"]
            notes.append(f"ceiling on these {cores} cores {top:.2f} × (the 1-worker windows kept "
                         f"{cores / top if top else 0:.2f} cores busy with app, PostgreSQL and load generator)"
                         + (": below the goal, which these cores cannot reach at this CPU per request"
                            if r.goal.startswith("ratio >=") and top < float(r.goal.split()[-1]) else ""))
        if "raw_sql_ms" in d:
            notes.append(f"{d['rows']} rows; in-process {d['in_process_ms']['total']:.1f} ms + HTTP "
                         f"{d['http_overhead_ms']:.1f} ms; SQL {d['raw_statements']} stmts, core query "
                         f"{d['raw_core_query_ms']:.2f} ms")
        if "deliveries_per_s" in d:
            notes.append(f"{d['deliveries_per_s']:,} deliveries/s, {d['workers']} workers; {d['deliveries']:,} "
                         f"deliveries to {d['distinct_recipients']:,} recipients, {d['sent']:,} sent "
                         f"({d['sends_recorded']:,} channel sends); raw {d['raw_seconds_for_700k_rows']:.1f} s")
        if "sends_in_window" in d:
            notes.append(f"{d['sends_in_window']:,} sends in {d['window_s']:.1f} s; accepted {d['sends_granted_total']:,}"
                         f" = recorded {d['sends_recorded_total']:,}; {d['duplicates']} duplicates")
        if r.note:
            notes.append(r.note)
        mark = "" if r.met is None else ("[green]met[/]" if r.met else "[red]missed[/]")
        t.add_row(r.name, _fmt(r.value), r.unit, _fmt(r.limit_value), r.limit_name or "",
                  _fmt(r.ratio, 4 if (r.ratio or 0) < 1 else 2), r.goal, mark, "; ".join(notes))
    return t


def main() -> int:
    cfg = Config.from_env()
    selected = [(n, f) for n, f in BENCHMARKS if cfg.selects(n)]
    if cfg.only and not selected:
        console.print(f"[red]BENCH_ONLY={','.join(cfg.only)} names no benchmark; known: "
                      f"{', '.join(n for n, _ in BENCHMARKS)}[/]")
        return 2
    results: list[Result] = []
    failed = False
    started = time.perf_counter()
    for name, fn in selected:
        console.rule(f"[bold]{name}")
        t0 = time.perf_counter()
        try:
            out = fn(cfg)
            results.extend(out if isinstance(out, list) else [out])
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            failed = True
            console.print(f"[red]{name} failed:[/] {exc}")
            traceback.print_exc()
            results.append(Result(name=name, value=None, unit="", note=f"FAILED: {type(exc).__name__}: {exc}"))
        console.print(f"  [dim]{name}: {time.perf_counter() - t0:.0f} s[/]")
    console.rule()
    meta = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "host": platform.node(),
            "python": platform.python_version(), "seconds": cfg.seconds, "concurrency": cfg.concurrency,
            "workers": cfg.workers, "total_s": round(time.perf_counter() - started, 1)}
    payload = [{**r.as_json(), "run": meta} for r in results]
    cfg.results.parent.mkdir(parents=True, exist_ok=True)
    cfg.results.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    Console(width=None if sys.stdout.isatty() else 200).print(table(results))  # after the write: a figure is kept
    console.print(f"wrote {cfg.results} ({len(results)} rows) in {meta['total_s']:.0f} s")
    lost = any(r.details.get("acknowledged_missing_from_db") or r.details.get("verification_failed") for r in results)
    return 1 if failed or lost else 0


if __name__ == "__main__":
    sys.exit(main())
