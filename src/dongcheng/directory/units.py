"""Units as values, and every printed form of a unit's name resolved to its canonical one (pure).

The gazette names a unit many ways (北京市东城区应急管理局, 区应急局, 东城区应急局 …); ``UnitIndex`` maps each to the
name the directory keys it by. The reference data reader builds one from data/directory/units.yaml, the directory
service from the units in the database, the gazette check from both."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UnitRow:
    name: str
    full_name: str
    kind: str
    aliases: tuple[str, ...]
    parent: str | None
    clause: str
    note: str
    sort_order: int
    emergency_office: bool = False  # its staff act as the 区应急办 (units.yaml `emergency_office`, §2.2.1)


class UnitIndex:
    """Resolves any printed form of a unit's name to its canonical name."""

    def __init__(self, units: list[UnitRow] | tuple[UnitRow, ...]):
        self.by_key: dict[str, str] = {}
        for unit in units:
            for key in (unit.name, unit.full_name, *unit.aliases):
                self.by_key.setdefault(key, unit.name)

    def resolve(self, text: str) -> str | None:
        for candidate in _name_candidates(text.strip()):
            if candidate in self.by_key:
                return self.by_key[candidate]
        return None


def _name_candidates(text: str) -> list[str]:
    out = [text]
    if text.startswith("北京市东城区人民政府"):
        rest = text.removeprefix("北京市东城区人民政府")
        out += [rest, "区政府" + rest]
    elif text.startswith("北京市东城区"):
        rest = text.removeprefix("北京市东城区")
        out += ["区" + rest, rest]
    if "（" in text:
        out += _name_candidates(text.split("（", 1)[0])
    return out
