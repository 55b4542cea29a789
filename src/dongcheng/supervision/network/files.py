"""Read and validate data/supervision/network.yaml (东政办发〔2021〕17号 三（二）4): frozen values, or
``ReferenceDataError`` naming each problem (an unknown street, state, target or milestone; counts that differ from
the text's 11 and 6 and 17)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from dongcheng.core.datafiles import load_yaml
from dongcheng.reference.files import ReferenceDataError, read_reference
from dongcheng.supervision.network.rules import STATES, TARGETS

FILE = "supervision/network.yaml"


@dataclass(frozen=True)
class Milestone:
    key: str
    due: date
    printed: str
    promised_stations: int


@dataclass(frozen=True)
class Station:
    key: str
    kind: str  # station | centre
    printed: str
    street: str | None
    candidates: tuple[str, ...]
    initial: str
    target: str
    milestone: str
    note: str


@dataclass(frozen=True)
class Network:
    document: str
    clause: str
    centres: int
    stations_planned: int
    printed: str
    premises: str
    milestones: tuple[Milestone, ...]
    stations: tuple[Station, ...]
    streets: tuple[str, ...]  # the directory's streets, in its order
    sha256: str
    file: str = FILE

    def station(self, key: str) -> Station | None:
        return next((s for s in self.stations if s.key == key), None)

    def milestone(self, key: str) -> Milestone:
        return next(m for m in self.milestones if m.key == key)


@lru_cache(maxsize=8)
def read_network(data_dir: Path) -> Network:
    raw = (data_dir / FILE).read_bytes()
    doc = load_yaml(raw)
    streets = tuple(u.name for u in read_reference(data_dir).units if u.kind == "street")
    problems: list[str] = []
    milestones = tuple(Milestone(str(m["key"]), m["due"], m["printed"], int(m["promised_stations"]))
                       for m in doc.get("milestones", []))
    keys = {m.key for m in milestones}
    stations = []
    for i, row in enumerate(doc.get("stations", []), 1):
        where = f"{FILE} row {i} ({row.get('key')})"
        street = row.get("street")
        for s in [street, *(row.get("candidates") or [])]:
            if s is not None and s not in streets:
                problems.append(f"{where}: “{s}” is not a street of the directory / 不是本区街道")
        if row.get("initial") not in STATES:
            problems.append(f"{where}: unknown initial state {row.get('initial')!r}")
        if row.get("target") not in TARGETS:
            problems.append(f"{where}: unknown target {row.get('target')!r}")
        if str(row.get("milestone")) not in keys:
            problems.append(f"{where}: unknown milestone {row.get('milestone')!r}")
        stations.append(Station(row["key"], row.get("kind", "station"), row["printed"], street,
                                tuple(row.get("candidates") or ()), row.get("initial", ""), row.get("target", ""),
                                str(row.get("milestone")), row.get("note", "")))
    plan = doc.get("plan", {})
    only = [s for s in stations if s.kind == "station"]
    if len(only) != plan.get("stations"):
        problems.append(f"{FILE}: {len(only)} stations, the plan sets {plan.get('stations')} / 急救工作站数量不符")
    if sum(s.kind == "centre" for s in stations) != plan.get("centres"):
        problems.append(f"{FILE}: the plan sets {plan.get('centres')} 急救中心站")
    for m in milestones:
        n = sum(1 for s in only if s.milestone == m.key)
        if n != m.promised_stations:
            problems.append(f"{FILE}: milestone {m.key} has {n} stations, the text promises {m.promised_stations}")
    if len({s.key for s in stations}) != len(stations):
        problems.append(f"{FILE}: duplicate station key / 站点编号重复")
    if problems:
        raise ReferenceDataError(problems)
    return Network(doc["document"], doc["clause"], plan["centres"], plan["stations"], plan["printed"],
                   plan.get("streets_provide_premises", ""), milestones, tuple(stations), streets,
                   hashlib.sha256(raw).hexdigest())
