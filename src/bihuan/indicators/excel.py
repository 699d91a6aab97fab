"""Excel workbooks of the indicator pages (reports, dashboards): one sheet per table, each with a
title row naming the table, the scope and the period, Chinese column headers (one or more header
rows), and column widths fitted to the text.

    sheets = [Sheet("受理与审结", header=[["单位", "受理数"]], rows=[["刑检一部", 3]], caption="…")]
    return workbook_response("report-intake-2025Q1.xlsx", sheets)
"""

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
# Excel refuses sheet titles longer than 31 characters or with any of these.
_TITLE_FORBIDDEN = str.maketrans({c: "·" for c in "[]:*?/\\"})
MIN_WIDTH, MAX_WIDTH = 8, 60


@dataclass(frozen=True)
class Sheet:
    """One table: `title` names the sheet; `caption` is the first row (the table, the scope and the
    period); `header` is one or more header rows; `rows` the data (numbers stay numbers, None is an
    empty cell); `widths` overrides the fitted width of the first columns."""

    title: str
    header: Sequence[Sequence[str]]
    rows: Iterable[Sequence]
    caption: str = ""
    widths: Sequence[int] = field(default_factory=tuple)


def _text_width(value) -> int:
    """Display width of a cell: full-width (Chinese) characters count two."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _add(book: Workbook, sheet: Sheet) -> None:
    ws = book.create_sheet(sheet.title.translate(_TITLE_FORBIDDEN)[:31])
    header = [list(row) for row in sheet.header]
    rows = [list(row) for row in sheet.rows]
    columns = max([len(row) for row in header + rows] or [1])
    widths = [MIN_WIDTH] * columns
    if sheet.caption:
        ws.append([sheet.caption])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
        ws["A1"].font = Font(bold=True, size=12)
    for row in header:
        ws.append(row)
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.freeze_panes = f"A{ws.max_row + 1}"
    for row in rows:
        ws.append(row)
    for row in header + rows:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], _text_width(value) + 2)
    for i, width in enumerate(sheet.widths):
        widths[i] = width
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(width, MAX_WIDTH)


def workbook(sheets: Iterable[Sheet]) -> bytes:
    """The sheets as an .xlsx file."""
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        _add(book, sheet)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def workbook_response(filename: str, sheets: Iterable[Sheet]) -> HttpResponse:
    """The sheets as a download named `filename` (ASCII; the Chinese names are inside)."""
    response = HttpResponse(workbook(sheets), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
