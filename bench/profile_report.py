"""Summarise py-spy folded stacks (``BENCH_PROFILE=1 make bench`` writes them): where the app's time goes.

    python -m bench.profile_report /tmp/dongcheng-bench/intake_http_postgres.collapsed.txt [--top 40]

Prints the share of samples spent inside each function (inclusive), the share spent in each function itself
(self), and the SQL driver's time by the deepest dongcheng frame that caused it.
"""
from __future__ import annotations

import argparse
import collections


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    total = 0
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    sql_by_app: collections.Counter[str] = collections.Counter()
    with open(args.file, encoding="utf-8") as fh:
        for line in fh:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack:
                continue
            n = int(count)
            frames = stack.split(";")[1:]  # drop the process line
            if not frames:
                continue
            total += n
            own[frames[-1]] += n
            for name in {f.split(" (")[0] for f in frames}:
                inclusive[name] += n
            if any("do_execute" in f or "do_commit" in f for f in frames[-3:]):
                app = [f for f in frames if "dongcheng/" in f]
                sql_by_app[app[-1] if app else "(outside dongcheng)"] += n
    if not total:
        print("no samples")
        return
    print(f"{total} samples")
    for title, counter in (("inclusive", inclusive), ("self", own), ("SQL driver time by dongcheng frame", sql_by_app)):
        print(f"\n--- {title}")
        for name, n in counter.most_common(args.top):
            print(f"{n / total * 100:5.1f}%  {name}")


if __name__ == "__main__":
    main()
