"""The one xlsx writer: odd text never breaks an export nor runs as a formula."""

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
