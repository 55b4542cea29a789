"""Benchmarks whose feature is being built elsewhere: listed in the results as "not yet measured", never faked.

Extension point — to make one real, write ``bench/<name>.py`` with ``def run(cfg: Config) -> Result`` (or a list of
results) and replace its entry in ``bench.run.BENCHMARKS`` (as bench/fanout.py did for the warning fan-out).
bench/common.py already has what they need: ``postgres_database`` (a fresh database, dropped after), ``AppServer``
(``dongcheng serve`` in a subprocess, demo users), ``raw_pg_batched_inserts_per_s`` (the batched-insert limit of
issue 5, ~65,000 rows/s here), ``raw_pg_inserts_per_s``, ``progress()`` for long steps, and bench/cpu.py for where
the cores went.
"""
from __future__ import annotations

from bench.common import not_measured

__all__ = ["not_measured"]  # none pending now: the gazette import became bench/gazette.py
