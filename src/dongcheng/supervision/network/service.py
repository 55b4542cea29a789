"""The first-aid network at a glance (东政办发〔2021〕17号 三（二）4): each station's state and promise, met or missed
per milestone, the coverage of the streets; and recording a station's progress (audited, never committed here)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from dongcheng.audit import service as audit
from dongcheng.auth.service import Caller, authorize
from dongcheng.core.errors import not_found
from dongcheng.core.time import today_local, utcnow
from dongcheng.supervision.network import repository, rules
from dongcheng.supervision.network.files import Milestone, Network, Station, read_network
from dongcheng.supervision.network.models import StationRecord
from dongcheng.supervision.network.schemas import RecordIn
from dongcheng.supervision.tasks.files import read_tasks

READ, RECORD = "supervision.network.read", "supervision.network.record"
TARGET = "supervision_station"


def load_network(data_dir: Path) -> Network:
    return read_network(Path(data_dir))


def administering_unit(data_dir: Path) -> str:
    """The 区卫生健康委, as data/supervision/tasks.yaml names it (三（一）4): the one place that says so."""
    return read_tasks(Path(data_dir)).administering_unit


@dataclass(frozen=True)
class StationView:
    station: Station
    milestone: Milestone
    state: str
    reached_on: date | None
    outcome: str
    records: tuple[StationRecord, ...]


@dataclass(frozen=True)
class MilestoneView:
    milestone: Milestone
    stations: tuple[StationView, ...]  # the 急救工作站 it promised
    centre: StationView | None  # the 急救中心站, where the milestone promises its start

    def count(self, outcome: str) -> int:
        return sum(1 for s in self.stations if s.outcome == outcome)


@dataclass(frozen=True)
class NetworkView:
    network: Network
    stations: tuple[StationView, ...]
    milestones: tuple[MilestoneView, ...]
    coverage: tuple[rules.StreetCoverage, ...]
    today: date

    @property
    def without_station(self) -> list[str]:
        return [c.street for c in self.coverage if not c.planned]

    @property
    def listed_twice(self) -> list[str]:
        return [c.street for c in self.coverage if c.listed > 1]

    @property
    def unplaced(self) -> list[StationView]:
        return [s for s in self.stations if s.station.kind == "station" and s.station.street is None]


def network_view(session: Session, *, caller: Caller, network: Network, signed_on: date,
                 today: date | None = None) -> NetworkView:
    authorize(caller, READ)
    day = today or today_local()
    by_station: dict[str, list[StationRecord]] = {}
    for r in repository.records(session):
        by_station.setdefault(r.station_key, []).append(r)
    views = []
    for s in network.stations:
        recs = by_station.get(s.key, [])
        plain = [rules.Record(r.state, r.day) for r in recs]
        m = network.milestone(s.milestone)
        reached = rules.reached_on(s.initial, s.target, plain, signed_on)
        views.append(StationView(s, m, rules.current_state(s.initial, plain), reached,
                                 rules.outcome(reached, m.due, day), tuple(recs)))
    milestones = tuple(
        MilestoneView(m, tuple(v for v in views if v.milestone.key == m.key and v.station.kind == "station"),
                      next((v for v in views if v.milestone.key == m.key and v.station.kind == "centre"), None))
        for m in network.milestones)
    placed = [(s.key, s.street) for s in network.stations if s.kind == "station"]
    return NetworkView(network, tuple(views), milestones, tuple(rules.coverage(list(network.streets), placed)), day)


def record(session: Session, *, caller: Caller, network: Network, administering: str, key: str, data: RecordIn,
           today: date | None = None) -> StationRecord:
    """A station reached a state on a day: by the 区卫生健康委, or the street the station is in."""
    authorize(caller, RECORD, unit=caller.unit)
    station = network.station(key)
    if station is None:
        raise not_found("急救站点", "station", key)
    unit = caller.unit.name if caller.unit else None
    allowed = rules.may_record_for(unit, station.street, administering)
    allowed.require()
    day = today or today_local()
    on = data.on or day
    rules.may_record(data.state, station.kind, on, day).require()
    basis = str(allowed.basis)
    row = StationRecord(station_key=key, state=data.state, day=on, note=data.note.strip(), unit=unit or "",
                        basis=basis, recorded_by=caller.user.username, recorded_at=utcnow())
    session.add(row)
    session.flush()
    audit.record(session, actor=caller.actor, action="supervision.network.record", target_type=TARGET,
                 target_id=key, basis=basis, after={"station": key, "street": station.street, "state": data.state,
                                                    "on": on.isoformat(), "note": row.note})
    return row
