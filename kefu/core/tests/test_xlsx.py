"""The one xlsx writer: odd text never breaks an export nor runs as a formula."""

import hashlib
import io

from openpyxl import load_workbook

from kefu.core.xlsx import XlsxWriter


def test_illegal_characters_are_dropped_and_formulas_stay_text():
    writer = XlsxWriter()
    writer.add_sheet("客户\x00", ["名称"])
    writer.append(["申齐\x00保健"])
    writer.append(['=HYPERLINK("http://evil.example","点我")'])
    writer.append(["+86 138 0000 0000"])
    writer.append([12, None, True])
    out = io.BytesIO()
    writer.save(out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert sheet.title == "客户"
    assert rows[1][0] == "申齐保健"
    formula = sheet.cell(row=3, column=1)
    assert formula.data_type == "s" and formula.value.startswith("=HYPERLINK") and formula.quotePrefix
    assert rows[3][0] == "+86 138 0000 0000" and sheet.cell(row=4, column=1).data_type == "s"
    assert rows[4][0] == 12 and rows[4][1] in ("", None) and rows[4][2] in ("是", "Yes")


def test_values_keep_their_types_and_formats_across_sheets():
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    writer = XlsxWriter()
    writer.add_sheet("投诉", ["编号", "金额", "日期", "时间"])
    moment = timezone.make_aware(dt.datetime(2026, 12, 4, 9, 30))
    writer.append(["C1", Decimal("13299.99"), dt.date(2026, 12, 1), moment])
    writer.add_sheet("事故", ["编号"])
    writer.append([" 前后空格 "])
    out = io.BytesIO()
    writer.save(out)
    book = load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames == ["投诉", "事故"]
    amount, day, at = (book["投诉"].cell(row=2, column=c) for c in (2, 3, 4))
    assert amount.value == 13299.99 and amount.number_format == "#,##0.00"
    assert day.value == dt.datetime(2026, 12, 1) and day.number_format == "yyyy-mm-dd"
    assert at.value == dt.datetime(2026, 12, 4, 9, 30) and at.number_format == "yyyy-mm-dd hh:mm"
    assert book["投诉"].cell(row=1, column=1).font.b
    assert book["事故"].cell(row=2, column=1).value == " 前后空格 "


def test_a_stream_is_written_while_rows_are_read():
    from kefu.core.xlsx import stream

    produced = []

    def rows():
        for i in range(30_000):
            produced.append(i)
            yield [i, f"客户{i}", hashlib.sha256(str(i).encode()).hexdigest()]

    chunks = []
    for chunk in stream("大表", ["序号", "名称", "备注"], rows()):
        chunks.append((len(produced), chunk))
    assert len(chunks) >= 2 and chunks[0][0] < 30_000  # the first bytes left before the last row was read
    sheet = load_workbook(io.BytesIO(b"".join(c for _n, c in chunks)), read_only=True).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert len(values) == 30_001 and values[-1] == (29_999, "客户29999", hashlib.sha256(b"29999").hexdigest())
