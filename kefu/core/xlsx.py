"""The one xlsx writer of every export (openpyxl write-only: rows stream in constant memory).

Every cell passes `cell()`: characters XML cannot hold (a NUL typed into a name) are dropped,
text that a spreadsheet would run as a formula (= + - @, tab, CR first) stays text, dates are
local time, booleans are 是/否. So no record, however odd its text, can break an export or
run code on the reader's machine.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import IO, Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def clean_text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)


class XlsxWriter:
    """Sheets with a bold header row, then rows of plain values."""

    def __init__(self) -> None:
        self.book = Workbook(write_only=True)
        self.sheet: Any = None

    def add_sheet(self, title: str, headers: Iterable[Any]) -> None:
        self.sheet = self.book.create_sheet(title=clean_text(str(title))[:31])
        header_cells = []
        for text in headers:
            cell = WriteOnlyCell(self.sheet, value=clean_text(str(text)))
            cell.font = Font(bold=True)
            header_cells.append(cell)
        self.sheet.append(header_cells)

    def append(self, values: Iterable[Any]) -> None:
        self.sheet.append([self.cell(v) for v in values])

    def cell(self, value: Any) -> Any:
        if isinstance(value, datetime):
            return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if value is None:
            return ""
        if isinstance(value, int | float) or hasattr(value, "quantize") or hasattr(value, "isoformat"):
            return value
        text = clean_text(str(value))
        if text.startswith(FORMULA_STARTS):
            cell = WriteOnlyCell(self.sheet, value=text)
            cell.data_type = "s"  # never a formula
            cell.quotePrefix = True
            return cell
        return text

    def save(self, out: IO[bytes] | HttpResponse) -> None:
        self.book.save(out)

    def response(self, filename: str) -> HttpResponse:
        response = HttpResponse(content_type=CONTENT_TYPE)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        self.save(response)
        return response
