"""core.xlsx: text written into a workbook stays text — a formula-looking value is a string cell (OWASP CSV injection)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from dongcheng.core.xlsx import append_row, write

FORMULAS = ['=1+1', '+A1', '-2', '@SUM(A1)', '=HYPERLINK("http://evil.example/x","click")', "#N/A", "=", "\t=1+1"]


def _reread(wb: Workbook):
    buffer = BytesIO()
    wb.save(buffer)
    return load_workbook(BytesIO(buffer.getvalue())).active


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_looking_text_is_a_string_cell_kept_as_typed(text):
    wb = Workbook()
    cell = write(wb.active, 1, 1, text)
    assert (cell.data_type, cell.value) == ("s", text)
    again = _reread(wb)["A1"]
    assert (again.data_type, again.value) == ("s", text)


def test_a_row_writes_text_as_text_and_keeps_figures_typed():
    wb = Workbook()
    ws = wb.active
    append_row(ws, ["=1+1", 1700, 2.5, Decimal("0.25"), date(2022, 1, 1), datetime(2022, 1, 1, 9, 10), None, "-2"])
    append_row(ws, [])
    append_row(ws, ["@SUM(A1)"])
    again = _reread(wb)
    first = [(c.data_type, c.value) for c in again[1]]
    assert first[0] == ("s", "=1+1") and first[7] == ("s", "-2")
    assert [t for t, _ in first[1:4]] == ["n", "n", "n"] and [v for _, v in first[1:3]] == [1700, 2.5]
    assert float(first[3][1]) == 0.25
    assert first[4] == ("d", datetime(2022, 1, 1)) and first[5] == ("d", datetime(2022, 1, 1, 9, 10))
    assert first[6][1] is None
    assert again.max_row == 3 and (again["A3"].data_type, again["A3"].value) == ("s", "@SUM(A1)")


def test_a_plain_number_stays_numeric():
    wb = Workbook()
    cell = write(wb.active, 2, 3, 42)
    assert (cell.data_type, cell.value, cell.coordinate) == ("n", 42, "C2")
    assert _reread(wb)["C2"].value == 42


def test_a_control_character_cannot_make_the_workbook_unwritable():
    wb = Workbook()
    cell = write(wb.active, 1, 1, "ctl\u0001char")
    assert cell.data_type == "s" and cell.value == "ctl\ufffdchar"
    assert _reread(wb)["A1"].value == "ctl\ufffdchar"
