"""The one way a workbook cell is written: text stays text, the platform's figures stay typed.

openpyxl reads any string starting with ``=`` as a formula (and ``#N/A`` and the like as an error), so a commissioner
named ``=HYPERLINK(...)`` would be a live formula in the clerk's spreadsheet. Following the OWASP guidance on CSV /
formula injection, every ``str`` is written as a string cell (``data_type == "s"``), its text exactly as typed —
including a leading ``+``, ``-`` or ``@`` — so no spreadsheet program evaluates it. ``int``, ``float``, ``Decimal``,
``date`` and ``datetime`` (what the platform computes) keep openpyxl's typing. Characters XML 1.0 cannot carry
(U+0000–U+001F other than tab, LF and CR) are written as U+FFFD so stored text can never make an export fail.
Every export writes its cells through ``write`` or ``append_row``.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

REPLACEMENT = "\ufffd"


def _as_text(cell: Cell, value: str) -> Cell:
    cell.value = ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, value)
    cell.data_type = "s"  # after the assignment, which would have made "=…" a formula and "#N/A" an error
    return cell


def write(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write one cell: a ``str`` as a string cell kept as typed, anything else typed by openpyxl."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        return _as_text(cell, value)
    cell.value = value
    return cell


def append_row(ws: Worksheet, values: Iterable[Any]) -> None:
    """``ws.append(values)`` with every ``str`` a string cell (an empty row still advances, as append does)."""
    ws.append([_as_text(Cell(ws), v) if isinstance(v, str) else v for v in values])
