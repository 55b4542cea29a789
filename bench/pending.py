"""Benchmarks whose feature is being built elsewhere: listed in the results as "not yet measured", never faked.

Extension point — to make one real, write ``bench/<name>.py`` with ``def run(cfg: Config) -> Result`` (or a list of
results) and replace its entry in ``bench.run.BENCHMARKS`` (as bench/fanout.py did for the warning fan-out).
bench/common.py already has what they need: ``postgres_database`` (a fresh database, dropped after), ``AppServer``
(``dongcheng serve`` in a subprocess, demo users), ``raw_pg_batched_inserts_per_s`` (the batched-insert limit of
issue 5, ~65,000 rows/s here), ``raw_pg_inserts_per_s``, ``progress()`` for long steps, and bench/cpu.py for where
the cores went.
"""
from __future__ import annotations

from bench.common import Config, Result, not_measured


def gazette_import_seed(cfg: Config) -> Result:
    """Issue 5: import the seed issue (shared/seeds/000_…txt) through the gazette importer; ratio to a raw limit the
    importer's author chooses (e.g. the same rows by batched INSERT on the same database).
    """
    return not_measured("gazette_import_seed", "s", "raw insert of the same rows", "(none set yet)",
                        "the gazette module (SPEC §2.7) is not built yet; extension point in bench/pending.py")
