"""The heritage list's rules (东政发〔2022〕2号), pure: its categories, how its printed table is read, how a search is
matched. No I/O.

The notice lists the 7th batch in a four-column table (序号, 项目类别, 项目名称, 申报单位). Reading it from the
gazette's text (as extracted from the PDF, ``| … | … |`` rows): a 项目类别 cell left blank repeats the row above;
a cell the extraction split over two lines carries a stray space (``传统体育游艺 与杂技``), which is not part of the
name; the table may be printed in pieces over page breaks, each piece with its own header row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # the rows are only read here, never loaded
    from dongcheng.heritage.models import HeritageBatch

DOCUMENT = "东政发〔2022〕2号"
BASIS = DOCUMENT

CATEGORIES: tuple[str, ...] = ("传统音乐", "传统戏剧", "曲艺", "传统体育游艺与杂技", "传统美术", "传统技艺", "传统医药")
"""涵盖传统音乐、传统戏剧、曲艺、传统体育游艺与杂技、传统美术、传统技艺、传统医药等七大类别 (东政发〔2022〕2号), in
the notice's order — the order the list is shown in."""

Category = Literal[CATEGORIES]  # type: ignore[valid-type]  # the 7 names, for request validation

_SPACE = re.compile(r"\s+")
_HALF_WIDTH = str.maketrans({"(": "（", ")": "）"})
_HEADER = ("序号", "项目类别", "项目名称", "申报单位")


def tidy(text: str) -> str:
    """A cell as the gazette means it: without the extraction's whitespace (Chinese names carry no spaces)."""
    return _SPACE.sub("", text)


def search_key(q: str) -> str:
    """What a search looks for: whitespace removed, brackets full-width as the list prints them (``评剧(筱派)``
    finds 评剧（筱派）艺术)."""
    return tidy(q).translate(_HALF_WIDTH)


@dataclass(frozen=True)
class TableRow:
    seq: int
    category: str
    name: str
    applicant: str


def read_table(body: str) -> list[TableRow]:
    """The rows of the notice's table, from a document body as the gazette module stores it: header and rule rows
    skipped, every cell tidied, a blank 项目类别 carried down from the row above."""
    rows: list[TableRow] = []
    category = ""
    for line in body.splitlines():
        line = line.strip()
        if not (line.startswith("|") and line.endswith("|")):
            continue
        cells = [c.strip() for c in line[1:-1].split("|")]
        if len(cells) != 4 or tuple(cells) == _HEADER or set("".join(cells)) <= set("-: "):
            continue
        seq, printed_category, name, applicant = cells
        if not seq.isdigit():
            raise ValueError(f"table row without a 序号: {line}")
        category = tidy(printed_category) or category
        rows.append(TableRow(int(seq), category, tidy(name), tidy(applicant)))
    return rows


def by_category(items: list, category_of=lambda item: item.category) -> list[tuple[str, list]]:
    """Items grouped under the 7 categories in the notice's order (a category without items is left out); the items
    keep their order within a group."""
    groups: dict[str, list] = {c: [] for c in CATEGORIES}
    for item in items:
        groups.setdefault(category_of(item), []).append(item)
    return [(c, rows) for c, rows in groups.items() if rows]


@dataclass(frozen=True)
class Summary:
    """The list as the latest notice states it (共产生七批名录，225个项目) and what of it the platform lists."""

    batches: list[tuple[HeritageBatch, int]]  # each batch with the number of its items listed here
    total_batches: int | None
    total_items: int | None
    listed_items: int
    basis: str

    @property
    def first_year(self) -> int | None:
        return self.batches[0][0].year if self.batches else None


def summarise(batches: list[tuple[HeritageBatch, int]]) -> Summary:
    """The batches in order, each with its items listed here: the totals are those of the latest batch that states
    them (东政发〔2022〕2号: 共产生七批名录，225个项目), cited by its clause; none stated → unknown, cited by the notice."""
    stated = next((b for b, _ in reversed(batches) if b.items_to_date is not None), None)
    return Summary(batches=batches, total_batches=stated.batches_to_date if stated else None,
                   total_items=stated.items_to_date if stated else None, listed_items=sum(n for _, n in batches),
                   basis=stated.clause if stated else BASIS)
