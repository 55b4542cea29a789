"""The lists of data/emergency/lists.yaml as the reference reader gives them, for the pure rule tests (the services
pass the same lists in, loaded into the database from the same file: test_lists_from_data.py holds them equal)."""
from __future__ import annotations

from functools import cache

from dongcheng.core.basis import Basis
from dongcheng.core.config import REPO_ROOT
from dongcheng.emergency.checklists.rules import LIST_PREFIX, MeasureList
from dongcheng.reference.files import ListItem, read_reference


@cache
def _lists() -> tuple[ListItem, ...]:
    return read_reference(REPO_ROOT / "data").lists


def items(list_name: str) -> list[ListItem]:
    return sorted((i for i in _lists() if i.list_name == list_name), key=lambda i: i.seq)


def working_groups() -> tuple[str, ...]:
    return tuple(i.text for i in items("working_groups"))


def report_elements() -> list[tuple[str, str]]:
    return [(i.attrs["key"], i.text) for i in items("report_elements")]


def measure_lists() -> dict[str, MeasureList]:
    firsts = sorted((i for i in _lists() if i.list_name.startswith(LIST_PREFIX) and i.seq == 1),
                    key=lambda i: i.clause)
    return {i.list_name.removeprefix(LIST_PREFIX): MeasureList(i.list_name.removeprefix(LIST_PREFIX),
                                                               Basis.parse(i.clause).clause,
                                                               tuple(i.attrs["applies_to_categories"]))
            for i in firsts}
