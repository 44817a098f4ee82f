"""The one import pipeline's reading half 导入: spreadsheets and CSV files as rows of text.

Every import (customers, contacts, service addresses, catalogues) reads its upload here: .xlsx
through python-calamine, .csv in UTF-8 (with or without BOM) or GBK/GB18030, streamed row by row
from a file on disk; header titles (English field names or the Chinese labels users know) mapped
to fields; errors collected per row. A file that cannot be read is a ValidationFailed naming the
row, never a 500.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kefu.core.errors import ValidationFailed

MAX_REPORTED_ERRORS = 1000


@dataclass
class RowError:
    row: int
    field: str
    message: str


@dataclass
class ImportResult:
    """What an import found and did: rows read, valid, created, and the first errors by row."""

    kind: str
    mode: str
    rows: int = 0
    valid: int = 0
    created: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    invalid_rows: set[int] = field(default_factory=set)

    def add_error(self, row: int, field_label: str, message: str) -> None:
        self.error_count += 1
        self.invalid_rows.add(row)
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowError(row, field_label, message))

    @property
    def imported(self) -> bool:
        return self.created > 0


def detect_encoding(raw: io.BufferedIOBase) -> str:
    """UTF-8 (with or without BOM) if the first megabyte decodes, else GB18030 (a superset of GBK)."""
    sample = raw.read(1 << 20)
    raw.seek(0)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def cell(value) -> str:
    """A spreadsheet cell as the text a user typed (12.0 → "12", a date → 2026-12-01)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value).strip()


def is_spreadsheet(filename: str) -> bool:
    return filename.lower().endswith(".xlsx")


def iter_rows(path: str, filename: str) -> Iterator[list[str]]:
    """Rows of the first sheet (or the CSV) as lists of strings, header row included; streamed.

    Raises ValidationFailed (field `file`) for a file that is not a spreadsheet or a CSV, and for
    a CSV row that cannot be read (an unclosed quote, a cell over the CSV reader's 128 KB limit).
    """
    if is_spreadsheet(filename):
        from python_calamine import CalamineWorkbook

        try:
            sheet = CalamineWorkbook.from_path(path).get_sheet_by_index(0)
            rows = sheet.iter_rows()
        except Exception as exc:  # calamine raises its own errors for a broken workbook
            raise _unreadable() from exc
        for values in rows:
            yield [cell(v) for v in values]
        return
    with open(path, "rb") as raw:
        text = io.TextIOWrapper(raw, encoding=detect_encoding(raw), newline="", errors="replace")
        reader = csv.reader(text)
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                message = _("Row %(row)d cannot be read: a cell is too long or a quote is not closed.") % {
                    "row": reader.line_num
                }
                raise ValidationFailed(message, fields={"file": [message]}) from exc
            yield [c.strip() for c in record]


def _unreadable() -> ValidationFailed:
    message = _("The file cannot be read as .xlsx or .csv.")
    return ValidationFailed(message, fields={"file": [message]})


def header_map(header: list[str], columns: dict[str, list[str]]) -> tuple[dict[str, int], list[str]]:
    """Column index of each field whose title (any alias, any case) is in `header`, and the
    titles no field knows."""
    lookup = {alias.lower(): name for name, aliases in columns.items() for alias in aliases}
    mapping: dict[str, int] = {}
    unknown: list[str] = []
    for i, title in enumerate(header):
        key = lookup.get(title.strip().lower())
        if key:
            mapping.setdefault(key, i)
        elif title.strip():
            unknown.append(title)
    return mapping, unknown


@contextmanager
def upload_on_disk(upload) -> Iterator[str]:
    """The path of a Django upload on disk: large uploads already are; small ones are spooled."""
    if hasattr(upload, "temporary_file_path"):
        yield upload.temporary_file_path()
        return
    suffix = ".xlsx" if is_spreadsheet(upload.name) else ".csv"
    with tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
    try:
        yield tmp.name
    finally:
        os.unlink(tmp.name)
