"""The one xlsx writer of every export: rows stream out as they are written, in constant memory.

An .xlsx is a zip of XML parts. openpyxl (used to read imports) wrote ~3,000 rows/s here, too
slow for a 200,000-row worklist, so the sheet XML is written directly: inline strings, numbers
and dates, five fixed styles, entries deflated at level 1 as they are produced. Multi-sheet
workbooks, any number of rows, and a generator for `StreamingHttpResponse`.

Every cell passes `cell()`'s rules: characters XML cannot hold (a NUL typed into a name) are
dropped, text a spreadsheet would run as a formula (= + - @, tab, CR first) stays text and is
marked so (quotePrefix), dates are local time, booleans are 是/否, decimals show as money
(#,##0.00). So no record, however odd its text, can break an export or run code on the reader's
machine.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO, Any, cast
from urllib.parse import quote
from xml.sax.saxutils import escape

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Characters XML 1.0 cannot carry (as openpyxl's ILLEGAL_CHARACTERS_RE).
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_EPOCH = dt.datetime(1899, 12, 30)
# Style ids (cellXfs in STYLES): header, date-time, date, money, text kept as text.
BOLD, DATETIME, DATE, MONEY, TEXT = 1, 2, 3, 4, 5
_FLUSH_BYTES = 256 * 1024

STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd"/><numFmt numFmtId="166" formatCode="#,##0.00"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""  # noqa: E501


def clean_text(value: str) -> str:
    return _ILLEGAL.sub("", value)


def _serial(moment: dt.datetime | dt.date) -> float:
    if isinstance(moment, dt.datetime):
        delta = moment - _EPOCH
        return delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000
    return (moment - _EPOCH.date()).days


# One pass per text: drop what XML cannot carry, escape what it must.
_TEXT = str.maketrans(
    {**{c: None for c in [*range(0, 9), 11, 12, *range(14, 32)]}, "&": "&amp;", "<": "&lt;", ">": "&gt;"}
)


def _text(value: str) -> str:
    return value.translate(_TEXT)


def _string(value: str) -> str:
    text = value.translate(_TEXT)
    if not text:
        return "<c/>"
    style = f' s="{TEXT}"' if text.startswith(FORMULA_STARTS) else ""
    space = ' xml:space="preserve"' if text[0] in " \n" or text[-1] in " \n" else ""
    return f'<c t="inlineStr"{style}><is><t{space}>{text}</t></is></c>'


def _datetime(value: dt.datetime) -> str:
    moment = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return f'<c s="{DATETIME}"><v>{_serial(moment)!r}</v></c>'


def _decimal(value: Decimal) -> str:
    return f'<c s="{MONEY}"><v>{value}</v></c>' if value.is_finite() else "<c/>"


_CELLS = {
    str: _string,
    int: lambda v: f"<c><v>{v}</v></c>",
    float: lambda v: f"<c><v>{v!r}</v></c>" if v == v and v not in (float("inf"), float("-inf")) else "<c/>",
    bool: lambda v: _string(_("Yes") if v else _("No")),
    Decimal: _decimal,
    dt.datetime: _datetime,
    dt.date: lambda v: f'<c s="{DATE}"><v>{_serial(v)}</v></c>',
    type(None): lambda v: "<c/>",
}


def _cell(value: Any) -> str:
    """One cell's XML; cells carry no reference, they follow one another (an empty one is <c/>)."""
    write = _CELLS.get(type(value))
    if write is None:  # lazy translations, subclasses, anything else: as text
        for kind, candidate in _CELLS.items():
            if kind is not str and isinstance(value, kind):
                return candidate(value)
        return _string(str(value))
    return write(value)


class _Chunks(io.RawIOBase):
    """A write-only stream that hands what was written to a generator (zipfile writes to it)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.position = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        chunk = bytes(data)
        self.parts.append(chunk)
        self.size += len(chunk)
        self.position += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self.position

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts, self.size = [], 0
        return data


class XlsxWriter:
    """Sheets with a bold header row, then rows of plain values, written to `out` as they come
    (an in-memory buffer when `out` is None; `response()` / `save()` finish it)."""

    def __init__(self, out: IO[bytes] | None = None) -> None:
        self.out: Any = out if out is not None else io.BytesIO()
        self.zip = zipfile.ZipFile(self.out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        self.titles: list[str] = []
        self.entry: Any = None
        self.rows = 0
        self._buffer: list[str] = []
        self._buffered = 0
        self.closed = False

    # --- sheets and rows ---------------------------------------------------------------------

    def add_sheet(self, title: str, headers: Iterable[Any]) -> None:
        self._end_sheet()
        name = (
            clean_text(str(title)).replace("/", " ").replace("\\", " ")[:31] or f"Sheet{len(self.titles) + 1}"
        )
        for char in "[]:*?":
            name = name.replace(char, " ")
        self.titles.append(name)
        self.entry = self.zip.open(f"xl/worksheets/sheet{len(self.titles)}.xml", "w", force_zip64=True)
        self.entry.write(
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        )
        self.rows = 0
        self._append(list(headers), header=True)

    def append(self, values: Iterable[Any]) -> None:
        self._append(values, header=False)

    def _append(self, values: Iterable[Any], *, header: bool) -> None:
        self.rows += 1
        if header:
            cells = "".join(
                f'<c t="inlineStr" s="{BOLD}"><is><t>{_text(str(v))}</t></is></c>' for v in values
            )
        else:
            cells = "".join(_cell(v) for v in values)
        line = f'<row r="{self.rows}">{cells}</row>'
        self._buffer.append(line)
        self._buffered += len(line)
        if self._buffered > _FLUSH_BYTES:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            self.entry.write("".join(self._buffer).encode())
            self._buffer, self._buffered = [], 0

    def _end_sheet(self) -> None:
        if self.entry is not None:
            self._flush()
            self.entry.write(b"</sheetData></worksheet>")
            self.entry.close()
            self.entry = None

    # --- the workbook ------------------------------------------------------------------------

    def close(self) -> None:
        """Write the workbook parts that name the sheets, and the zip directory."""
        if self.closed:
            return
        if not self.titles:
            self.add_sheet("Sheet1", [])
        self._end_sheet()
        sheets = "".join(
            f'<sheet name="{escape(t, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
            for i, t in enumerate(self.titles, 1)
        )
        relations = "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(self.titles) + 1)
        )
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(self.titles) + 1)
        )
        n = len(self.titles) + 1
        head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        ns = "http://schemas.openxmlformats.org"
        self.zip.writestr(
            "[Content_Types].xml",
            f'{head}<Types xmlns="{ns}/package/2006/content-types">'
            f'<Default Extension="rels" '
            f'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="application/'
            f'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="application/'
            f'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>{overrides}</Types>',
        )
        self.zip.writestr(
            "_rels/.rels",
            f'{head}<Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" '
            f'Target="xl/workbook.xml"/></Relationships>',
        )
        self.zip.writestr(
            "xl/workbook.xml",
            f'{head}<workbook xmlns="{ns}/spreadsheetml/2006/main" '
            f'xmlns:r="{ns}/officeDocument/2006/relationships"><sheets>{sheets}</sheets></workbook>',
        )
        self.zip.writestr(
            "xl/_rels/workbook.xml.rels",
            f'{head}<Relationships xmlns="{ns}/package/2006/relationships">{relations}'
            f'<Relationship Id="rId{n}" Type="{ns}/officeDocument/2006/relationships/styles" '
            f'Target="styles.xml"/></Relationships>',
        )
        self.zip.writestr("xl/styles.xml", STYLES)
        self.zip.close()
        self.closed = True

    def abandon(self) -> None:
        """Stop a workbook that will not be finished (its rows failed), releasing the zip."""
        if not self.closed:
            self.closed = True
            with contextlib.suppress(Exception):
                if self.entry is not None:
                    self.entry.close()
                self.zip.close()

    def save(self, out: IO[bytes] | HttpResponse) -> None:
        """Finish the workbook and copy it to `out` (for a writer made without its own `out`)."""
        self.close()
        out.write(self.out.getvalue())

    def response(self, filename: str) -> HttpResponse:
        response = HttpResponse(content_type=CONTENT_TYPE)
        response["Content-Disposition"] = attachment(filename)
        self.save(response)
        return response


def attachment(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def stream(title: str, headers: list[Any], rows: Iterable[Iterable[Any]]) -> Iterator[bytes]:
    """The workbook of one sheet as chunks, written while `rows` are read (bounded memory)."""
    chunks = _Chunks()
    writer = XlsxWriter(cast(IO[bytes], chunks))
    writer.add_sheet(title, headers)
    for row in rows:
        writer.append(row)
        if chunks.size > _FLUSH_BYTES:
            yield chunks.take()
    writer.close()
    yield chunks.take()


def streaming_response(
    filename: str, title: str, headers: list[Any], rows: Iterable
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(stream(title, headers, rows), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = attachment(filename)
    return response
