import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from kefu.core.testing.scope import client_for
from kefu.customers.importing import run_import
from kefu.customers.models import Contact, Customer, ServiceAddress
from kefu.timeline.models import TimelineEvent

pytestmark = pytest.mark.django_db

HEADER = ["客户编号", "客户名称", "责任中心", "电话", "手机", "渠道", "邮编"]


def write_csv(tmp_path, rows, encoding="utf-8", name="customers.csv"):
    path = tmp_path / name
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return str(path)


def test_dry_run_reports_every_error_row_by_row_and_imports_nothing(tmp_path, org, make_customer):
    make_customer(number="2110050007")
    path = write_csv(
        tmp_path,
        [
            HEADER,
            [
                "2110050100",
                "北京华盛科技有限公司",
                org.office_a.code,
                "010-65881234",
                "13812345678",
                "渠道客户",
                "100020",
            ],
            ["", "", org.office_a.code, "", "", "", ""],  # missing name
            ["2110050101", "天津某公司", org.office_a.code, "", "12345", "", ""],  # bad mobile
            ["2110050007", "重复编号公司", org.office_a.code, "", "", "", ""],  # duplicate number
            ["2110050102", "未知中心公司", "9999", "", "", "火星客户", ""],  # unknown codes
            ["2110050100", "文件内重复", org.office_a.code, "", "", "", ""],  # duplicate within the file
        ],
        encoding="gbk",
    )
    result = run_import(actor=None, kind="customers", path=path, filename="customers.csv", mode="dry_run")
    assert result.rows == 6 and result.valid == 1 and result.created == 0
    by_row = {(e.row, e.field) for e in result.errors}
    assert (3, "名称") in by_row or (3, "name") in by_row
    assert (4, "手机") in by_row or (4, "mobile") in by_row
    assert any(row == 5 for row, _f in by_row)
    assert {row for row, _f in by_row if row == 6} and len([e for e in result.errors if e.row == 6]) == 2
    assert any(row == 7 for row, _f in by_row)
    assert Customer.objects.count() == 1


def test_all_or_nothing_refuses_a_dirty_file_and_valid_only_imports_the_rest(tmp_path, org):
    rows = [
        HEADER,
        ["2110050100", "北京华盛科技有限公司", org.office_a.code, "", "13812345678", "", ""],
        ["2110050101", "", org.office_a.code, "", "", "", ""],
    ]
    path = write_csv(tmp_path, rows)
    result = run_import(actor=None, kind="customers", path=path, filename="c.csv", mode="all_or_nothing")
    assert result.created == 0 and result.error_count == 1 and Customer.objects.count() == 0
    result = run_import(actor=None, kind="customers", path=path, filename="c.csv", mode="valid_only")
    assert result.created == 1
    customer = Customer.objects.get(number="2110050100")
    assert TimelineEvent.objects.filter(object_id=customer.pk, event_type="customer.created").exists()
    from kefu.customers.queries import search_customers

    assert list(search_customers(Customer.objects.all(), "5678")) == [customer]


def test_xlsx_customers_then_contacts_and_addresses(tmp_path, org):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["客户名称", "责任中心", "手机"])
    sheet.append(["上海鑫源贸易有限公司", org.office_a.code, "13812345678"])
    sheet.append(["杭州明达科技有限公司", org.office_a.code, 13900001111])
    path = tmp_path / "c.xlsx"
    workbook.save(path)
    result = run_import(
        actor=None, kind="customers", path=str(path), filename="c.xlsx", mode="all_or_nothing"
    )
    assert result.created == 2, result.errors
    number = Customer.objects.get(name="上海鑫源贸易有限公司").number
    contacts = write_csv(
        tmp_path,
        [["客户编号", "姓名", "手机"], [number, "张伟", "13700001111"], [number, "李娜", ""]],
        name="contacts.csv",
    )
    assert (
        run_import(actor=None, kind="contacts", path=contacts, filename="x.csv", mode="valid_only").created
        == 2
    )
    assert Contact.objects.filter(customer__number=number, is_primary=True).count() == 1
    addresses = write_csv(
        tmp_path,
        [
            ["客户编号", "功能位置", "名称", "地址"],
            [number, "FL-01", "仓库", "上海市浦东新区世纪大道1号"],
            ["0000000000", "FL-01", "x", "y"],
        ],
        name="addresses.csv",
    )
    result = run_import(actor=None, kind="addresses", path=addresses, filename="a.csv", mode="valid_only")
    assert result.created == 1 and result.error_count == 1
    assert ServiceAddress.objects.get().customer.number == number


def test_import_page_shows_row_errors(org, manager):
    content = "客户名称,责任中心\n,4002\n".encode("gbk")
    upload = SimpleUploadedFile("c.csv", content, content_type="text/csv")
    response = client_for(manager).post(
        "/customers/import/", {"kind": "customers", "mode": "dry_run", "file": upload}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "import-errors" in page and Customer.objects.count() == 0


def test_export_follows_the_list_filters(make_customer, manager):
    from openpyxl import load_workbook

    make_customer(name="甲渠道客户", channel="dealer")
    make_customer(name="乙网络客户", channel="online")
    response = client_for(manager).get("/customers/export.xlsx?channel=online")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["乙网络客户"]


def test_a_csv_cell_over_the_readers_limit_is_a_row_error_not_a_crash(tmp_path, org):
    rows = [HEADER, ["2110050100", "北京华盛科技有限公司", org.office_a.code, "", "", "", ""]]
    path = write_csv(tmp_path, rows)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write('2110050101,"' + "长" * 200_000 + '",' + org.office_a.code + ",,,,\n")
    for mode in ("dry_run", "all_or_nothing"):
        result = run_import(actor=None, kind="customers", path=path, filename="c.csv", mode=mode)
        assert result.error_count == 1 and result.created == 0
        assert "cannot be read" in result.errors[0].message or "无法读取" in result.errors[0].message
    assert Customer.objects.count() == 0


def test_control_characters_in_an_import_row_are_a_field_error(tmp_path, org):
    rows = [HEADER, ["2110050100", "北京华盛\x1b科技", org.office_a.code, "", "", "", ""]]
    path = write_csv(tmp_path, rows)
    result = run_import(actor=None, kind="customers", path=path, filename="c.csv", mode="valid_only")
    assert result.created == 0 and result.error_count == 1
    assert result.errors[0].row == 2 and result.errors[0].field in ("名称", "name")


def test_an_export_reads_its_rows_without_a_query_per_row(make_customer, manager, staff_factory):
    """Code tables from the buffer, narrow rows (ROW_FIELDS): 3 customers or 9 cost the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from openpyxl import load_workbook

    keeper = staff_factory(roles=["assistant"], name="赵大客")

    def export() -> tuple[int, list]:
        with CaptureQueriesContext(connection) as queries:
            response = client_for(manager).get("/customers/export.xlsx?channel=online")
            body = b"".join(response.streaming_content)
        rows = list(load_workbook(io.BytesIO(body)).active.iter_rows(min_row=2, values_only=True))
        return len(queries), rows

    def customers(first: int, count: int) -> None:
        for i in range(first, first + count):
            make_customer(name=f"网络客户{i}", channel="online", responsible=keeper)

    customers(0, 3)
    few, rows = export()
    assert len(rows) == 3 and rows[0][-2] == "赵大客"  # the responsible staff column
    customers(3, 6)
    many, rows = export()
    assert len(rows) == 9 and many == few
