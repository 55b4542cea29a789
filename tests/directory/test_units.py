"""directory/units.py (pure): every printed form of a unit's name resolves to the name the directory keys it by."""
from __future__ import annotations

from dongcheng.directory.units import UnitIndex, UnitRow


def _unit(name: str, full_name: str, *aliases: str) -> UnitRow:
    return UnitRow(name, full_name, "department", aliases, None, "东政发〔2022〕3号 §2.3.6", "", 1)


INDEX = UnitIndex([
    _unit("区应急局", "北京市东城区应急管理局", "东城区应急局"),
    _unit("区政府办", "区政府办公室"),
    _unit("区城市管理委", "北京市东城区城市管理委员会", "区城市管理委员会"),
])


def test_the_name_the_full_name_and_an_alias():
    assert INDEX.resolve("区应急局") == INDEX.resolve("北京市东城区应急管理局") == INDEX.resolve("东城区应急局") == "区应急局"


def test_the_district_prefixes_are_read_as_the_gazette_prints_them():
    assert INDEX.resolve("北京市东城区人民政府办公室") == "区政府办"  # 北京市东城区人民政府… → 区政府…
    assert INDEX.resolve("北京市东城区城市管理委员会") == "区城市管理委"


def test_a_bracketed_remark_is_dropped_and_spaces_trimmed():
    assert INDEX.resolve(" 区城市管理委员会（区水务局） ") == "区城市管理委"


def test_an_unknown_unit_is_none():
    assert INDEX.resolve("市委") is None
