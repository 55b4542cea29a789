"""``gazette_import_seed``: import the seed issue (data/gazette/2022-03.txt, 139 KB) into a fresh database.

value — median ms over ``BENCH_GAZETTE_RUNS`` runs (default 5) of ``gazette.service.import_issue`` in one transaction,
commit included: what ``dongcheng gazette import`` and ``POST /api/gazette/issues`` do once they hold the bytes
(sha256, decode, split into 11 documents and 257 clauses, ORM writes, one audit entry). Each run gets a freshly
migrated database; creating and migrating it is not timed.

raw limit — the same rows the import stores (1 issue, 11 documents, 257 clauses, 11 目录 entries, prepared beforehand
from the parsed issue) inserted into the same tables of another fresh database with the plain driver (sqlite3 /
psycopg ``executemany``, one transaction, commit), median of as many runs. ratio = value ÷ raw: the overhead factor
of parsing, the ORM and the audit entry over storing the result.

details — ``parse_ms`` (rules.parse_issue alone), ``read_and_scan_ms`` (read the file, decode it and one regex pass
for standalone 文号 lines: the floor of any splitter), ``rows``, ``bytes``, every run's figures.
The same is reported on PostgreSQL (``gazette_import_seed_postgres``, a fresh database per run on ``BENCH_PG_URL``)
unless ``BENCH_GAZETTE_POSTGRES=0``.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime

import psycopg
from psycopg.types.json import Json

from bench.common import REPO, Config, Result, env_int, postgres_database, psycopg_url, ratio, sqlite_database, step
from dongcheng.core import migrate
from dongcheng.core.db import make_engine, transaction
from dongcheng.gazette import rules, service

SEED = REPO / "data" / "gazette" / "2022-03.txt"
GOAL_MS = 1000.0  # an administrator's import should answer within a second


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def _time(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def _rows(issue: rules.ParsedIssue, sha256: str, size: int) -> dict[str, list[tuple]]:
    """What the import stores, as plain tuples with explicit ids (a fresh database starts at 1)."""
    now = datetime.now(UTC)
    rows: dict[str, list[tuple]] = {"issues": [(
        1, issue.title, issue.year, issue.number, issue.total_number, issue.published_on, issue.sponsor,
        dict(issue.colophon), SEED.name, sha256, size, now, "bench")], "documents": [], "clauses": [], "toc": []}
    clause_id = 0
    for doc_id, d in enumerate(issue.documents, 1):
        rows["documents"].append((doc_id, 1, d.seq, d.number, d.issuing_organ, d.title, d.recipients, d.signed_on,
                                  d.disclosure, d.body, list(d.attachments), d.page))
        for seq, c in enumerate(d.clauses, 1):
            clause_id += 1
            rows["clauses"].append((clause_id, doc_id, seq, c.number, c.anchor, c.level, c.heading, c.text))
    ids = {d.number: i for i, d in enumerate(issue.documents, 1)}
    rows["toc"] = [(e.seq, 1, e.seq, e.title, e.document_number, e.page, ids[e.document_number]) for e in issue.toc]
    return rows


INSERTS = {
    "issues": "INSERT INTO gazette_issues (id, title, year, number, total_number, published_on, sponsor, colophon, "
              "source_name, source_sha256, source_chars, imported_at, imported_by) VALUES ({})",
    "documents": "INSERT INTO gazette_documents (id, issue_id, seq, number, issuing_organ, title, recipients, signed_on, "
                 "disclosure, body, attachments, page) VALUES ({})",
    "clauses": "INSERT INTO gazette_clauses (id, document_id, seq, number, anchor, level, heading, text) VALUES ({})",
    "toc": "INSERT INTO gazette_toc_entries (id, issue_id, seq, title, document_number, page, document_id) "
           "VALUES ({})",
}


def _raw_sqlite(path, rows: dict[str, list[tuple]]) -> float:
    """The rows by sqlite3 with the app's pragmas and ``BEGIN IMMEDIATE``; seconds."""
    def adapt(row: tuple) -> tuple:
        return tuple(json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else
                     v.isoformat() if hasattr(v, "isoformat") else v for v in row)

    prepared = {k: [adapt(r) for r in v] for k, v in rows.items()}
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("foreign_keys=ON", "busy_timeout=30000", "journal_mode=WAL", "synchronous=NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    try:
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        for table, sql in INSERTS.items():
            conn.executemany(sql.format(", ".join("?" * len(prepared[table][0]))), prepared[table])
        conn.execute("COMMIT")
        return time.perf_counter() - t0
    finally:
        conn.close()


def _raw_postgres(url: str, rows: dict[str, list[tuple]]) -> float:
    prepared = {k: [tuple(Json(v) if isinstance(v, dict | list) else v for v in r) for r in rs] for k, rs in rows.items()}
    with psycopg.connect(psycopg_url(url)) as conn:
        t0 = time.perf_counter()
        with conn.cursor() as cur:
            for table, sql in INSERTS.items():
                cur.executemany(sql.format(", ".join(["%s"] * len(prepared[table][0]))), prepared[table])
        conn.commit()
        return time.perf_counter() - t0


def _import_once(url: str, data: bytes) -> float:
    engine = make_engine(url)
    with engine.connect():  # open the pooled connection first: the raw side's connect is not timed either
        pass
    try:
        t0 = time.perf_counter()
        with transaction(engine) as session:
            result = service.import_issue(session, data=data, source_name=SEED.name)
        elapsed = time.perf_counter() - t0
        assert result.created and result.documents == 11, "the seed did not import whole"
        return elapsed
    finally:
        engine.dispose()


def _measure(name: str, fresh: Callable[[], AbstractContextManager[str]], raw: Callable[[str, dict], float],
             runs: int, data: bytes, rows: dict, floor: dict) -> Result:
    product, limit = [], []
    for i in range(runs):
        with fresh() as url:
            migrate.upgrade(url)
            product.append(_import_once(url, data))
        with fresh() as url:
            migrate.upgrade(url)
            limit.append(raw(url, rows))
        step(f"{name} run {i + 1}/{runs}: import {product[-1] * 1000:.1f} ms, raw insert {limit[-1] * 1000:.1f} ms")
    value, raw_ms = _median_ms(product), _median_ms(limit)
    return Result(
        name=name, value=value, unit="ms", limit_name="raw INSERT of the same rows, plain driver, one commit",
        limit_value=raw_ms, ratio=round(ratio(value, raw_ms), 2), goal=f"value ≤ {GOAL_MS:,.0f} ms",
        met=value <= GOAL_MS,
        note=f"median of {runs}; {sum(len(v) for v in rows.values())} rows + 1 audit entry; parse alone "
             f"{floor['parse_ms']} ms, read + one regex pass {floor['read_and_scan_ms']} ms",
        details={**floor, "runs_ms": [round(x * 1000, 2) for x in product],
                 "raw_runs_ms": [round(x * 1000, 2) for x in limit],
                 "rows": {k: len(v) for k, v in rows.items()}},
    )


def run(cfg: Config) -> list[Result]:
    runs = env_int("BENCH_GAZETTE_RUNS", 5)
    data = SEED.read_bytes()
    issue = rules.parse_issue(data.decode("utf-8"))
    rows = _rows(issue, hashlib.sha256(data).hexdigest(), len(data))
    number_line = re.compile(rf"^{rules.DOC_NUMBER}$", re.M)

    def read_and_scan() -> int:
        return len(number_line.findall(SEED.read_bytes().decode("utf-8")))

    floor = {"bytes": len(data), "parse_ms": _median_ms(_time(lambda: rules.parse_issue(data.decode("utf-8")), 20)),
             "read_and_scan_ms": _median_ms(_time(read_and_scan, 20))}
    step(f"seed: {len(data):,} bytes, {len(issue.documents)} documents, {len(rows['clauses'])} clauses; "
         f"parse {floor['parse_ms']} ms, read + scan {floor['read_and_scan_ms']} ms")

    results = [_measure("gazette_import_seed", _fresh_sqlite, lambda url, r: _raw_sqlite(url.removeprefix("sqlite:///"), r),
                        runs, data, rows, floor)]
    if os.environ.get("BENCH_GAZETTE_POSTGRES", "1") != "0":
        results.append(_measure("gazette_import_seed_postgres", lambda: postgres_database(cfg.pg_server, "gazette"),
                                _raw_postgres, runs, data, rows, floor))
    return results


@contextlib.contextmanager
def _fresh_sqlite() -> Iterator[str]:
    with sqlite_database() as (url, _path):
        yield url
