"""The one way a workbook cell is written: text stays text, the platform's figures stay typed.

openpyxl reads any string starting with ``=`` as a formula (and ``#N/A`` and the like as an error), so a commissioner
named ``=HYPERLINK(...)`` would be a live formula in the clerk's spreadsheet. Following the OWASP guidance on CSV /
formula injection, every ``str`` is written as a string cell (``data_type == "s"``), its text exactly as typed —
including a leading ``+``, ``-`` or ``@`` — so no spreadsheet program evaluates it. ``int``, ``float``, ``Decimal``,
``date`` and ``datetime`` (what the platform computes) keep openpyxl's typing. Characters XML 1.0 cannot carry
(U+0000–U+001F other than tab, LF and CR) are written as U+FFFD so stored text can never make an export fail.
Every export writes its cells through ``write`` or ``append_row``, and lays itself out for paper with
``print_layout`` (A4, fit to width, repeated header rows), ``title_row`` and ``fit_row_heights``.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import DEFAULT_FONT, Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from dongcheng.core.time import to_local

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


# --- paper: every export prints on A4, fit to the page's width, headers repeated, dates and money typed ------------

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
MONEY_FORMAT = "#,##0.00"  # 元
WAN_FORMAT = "0.0000"  # 万元, as the forms print amounts
LINE_HEIGHT = 15.0  # points per text line at the default 11 pt font
# A bold font names its family: a Font(bold=True) without one prints in LibreOffice's serif fallback.
BOLD = Font(name=DEFAULT_FONT.name, sz=DEFAULT_FONT.sz, bold=True)
CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)


def print_layout(ws: Worksheet, *, landscape: bool = False, repeat_rows: str | None = None) -> None:
    """A4 in the form's orientation, scaled to the page's width (any number of pages tall), centred, with
    ``repeat_rows`` (e.g. ``"1:2"``) printed atop every page. LibreOffice and Excel honour fitToWidth only when
    fitToPage is on."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages as the rows need
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if repeat_rows:
        ws.print_title_rows = repeat_rows


def title_row(ws: Worksheet, text: str, columns: int, *, size: int = 14) -> None:
    """A title over ``columns`` columns, merged and centred, as the printed forms have it."""
    append_row(ws, [text])
    row = ws.max_row
    if columns > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    cell = ws.cell(row=row, column=1)
    cell.font, cell.alignment = Font(name=DEFAULT_FONT.name, bold=True, size=size), CENTRED
    ws.row_dimensions[row].height = size * 2


def note_row(ws: Worksheet, text: str, columns: int) -> None:
    """A line of text across ``columns`` columns, merged and wrapped (text that overflows an unwrapped cell widens
    the printed area, and the page shrinks to fit it)."""
    append_row(ws, [text])
    row = ws.max_row
    if columns > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    ws.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")


def display_width(text: str) -> int:
    """Columns of text on paper: a CJK character (East Asian wide or full-width) takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit_row_heights(ws: Worksheet) -> None:
    """Give every row with wrapped text the height of its lines. Neither openpyxl nor LibreOffice sizes a wrapped
    row on loading, so without this a long paragraph prints as its last line only."""
    widths = {letter: dim.width or 8.43 for letter, dim in ws.column_dimensions.items()}
    spans = {}
    for merged in ws.merged_cells.ranges:
        spans[(merged.min_row, merged.min_col)] = sum(
            widths.get(get_column_letter(c), 8.43) for c in range(merged.min_col, merged.max_col + 1))
    for row in ws.iter_rows():
        height = 0.0
        for cell in row:
            if not isinstance(cell.value, str) or not cell.value:
                continue
            size = float(cell.font.sz or 11) if cell.font else 11.0
            width = spans.get((cell.row, cell.column), widths.get(cell.column_letter, 8.43))
            per_line = max(1, int(width * 0.95 * 11 / size))
            lines = sum(max(1, -(-display_width(part) // per_line)) for part in cell.value.split("\n"))
            height = max(height, lines * LINE_HEIGHT * size / 11 + 3)
        if row and height > LINE_HEIGHT + 3:
            current = ws.row_dimensions[row[0].row].height or LINE_HEIGHT
            ws.row_dimensions[row[0].row].height = max(current, height)


def local_time(value: datetime | str | None) -> datetime | None:
    """A stored instant as a typed Beijing-time cell value (naive: a workbook has no time zones), to the second."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return to_local(value).replace(tzinfo=None, microsecond=0)
