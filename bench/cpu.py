"""CPU seconds used by process trees, from /proc (Linux): where the two cores went during a measured window."""
from __future__ import annotations

import os
from pathlib import Path

CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> tuple[str, int, float] | None:
    """(comm, ppid, user+system CPU seconds) of one process, or None if it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = raw[raw.index("(") + 1: raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2:].split()
    # fields[0] is state (field 3); utime and stime are fields 14 and 15 → indexes 11 and 12 here
    return comm, int(fields[1]), (int(fields[11]) + int(fields[12])) / CLK_TCK


def _all() -> dict[int, tuple[str, int, float]]:
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat:
                table[int(entry)] = stat
    return table


def tree_cpu(root: int) -> float:
    """CPU seconds of ``root`` and all its living descendants."""
    table = _all()
    children: dict[int, list[int]] = {}
    for pid, (_, ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    total, stack = 0.0, [root]
    while stack:
        pid = stack.pop()
        if pid in table:
            total += table[pid][2]
        stack.extend(children.get(pid, []))
    return total


def postgres_cpu() -> float:
    """CPU seconds of every PostgreSQL server process on this machine (backends, WAL writer, checkpointer …)."""
    return sum(cpu for comm, _, cpu in _all().values() if comm.startswith("postgres"))


def _machine() -> list[int]:
    return [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]


def machine_cpu() -> float:
    """Busy CPU seconds of the whole machine (all cores), from /proc/stat (time stolen by the hypervisor included)."""
    values = _machine()
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return (sum(values[:8]) - idle) / CLK_TCK


def stolen_cpu() -> float:
    """CPU seconds the hypervisor gave other guests while this machine's cores wanted to run ("steal", /proc/stat):
    on a shared host, the cores a window lost to neighbours."""
    values = _machine()
    return values[7] / CLK_TCK if len(values) > 7 else 0.0
