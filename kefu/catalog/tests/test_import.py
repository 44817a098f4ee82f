import io

import pytest
from openpyxl import Workbook

from kefu.catalog.models import ColourCode, Material, ProductType, ReasonCode
from kefu.catalog.services import import_catalog
from kefu.core.errors import PermissionDenied
from kefu.core.testing.scope import client_for


def xlsx(rows) -> io.BytesIO:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    data.name = "catalog.xlsx"
    return data


def test_defaults_from_seed_004_are_there(db):
    assert ProductType.objects.get(code="0601").parent.code == "06"
    assert ColourCode.objects.filter(code="A").exists()
    assert Material.objects.get(code="100056").name == "活动柜锁"


def test_import_two_levels_and_materials(org, staff_factory):
    admin = client_for(staff_factory(roles=["administrator"]))
    sheet = xlsx([["代码", "名称", "上级"], ["0903", "折叠会议桌", "09"], ["09", "会议家具", None]])
    response = admin.post("/catalog/import/", {"kind": "product_type", "file": sheet})
    assert response.status_code == 302
    assert ProductType.objects.get(code="0903").parent.code == "09"
    sheet = xlsx([["code", "name", "unit", "price"], [100999, "抽屉锁芯", "PC", "45.5"]])
    admin.post("/catalog/import/", {"kind": "material", "file": sheet})
    assert str(Material.objects.get(code="100999").price) == "45.50"
    page = admin.get("/catalog/?kind=material").content.decode()
    assert "抽屉锁芯" in page


def test_a_bad_row_refuses_the_whole_file(org, staff_factory):
    admin = client_for(staff_factory(roles=["administrator"]))
    before = ProductType.objects.count()
    sheet = xlsx(
        [["code", "name", "parent"], ["1001", "新类", None], ["1002", "", None], ["1003", "x", "NOPE"]]
    )
    admin.post("/catalog/import/", {"kind": "product_type", "file": sheet})
    assert ProductType.objects.count() == before
    page = admin.get("/catalog/?kind=product_type").content.decode()
    assert "3" in page and "NOPE" in page
    # Not an xlsx at all.
    junk = io.BytesIO(b"not a spreadsheet")
    junk.name = "x.xlsx"
    admin.post("/catalog/import/", {"kind": "product_type", "file": junk})
    assert ProductType.objects.count() == before


def test_only_administrators_import(org, staff_factory):
    assistant = client_for(staff_factory(roles=["assistant"], offices=[org.office_a]))
    sheet = xlsx([["code", "name"], ["77", "x"]])
    assert assistant.post("/catalog/import/", {"kind": "reason_code", "file": sheet}).status_code == 403


def test_import_service_refuses_a_role_without_the_right(org, staff_factory):
    """The check is in the service, not only on the page: an assistant's rows are not imported."""
    assistant = staff_factory(roles=["assistant"], offices=[org.office_a]).user
    before = ReasonCode.objects.count()
    with pytest.raises(PermissionDenied):
        import_catalog(actor=assistant, kind="reason_code", rows=[["code", "name"], ["99", "测试原因"]])
    assert ReasonCode.objects.count() == before


def test_a_gbk_csv_imports_through_the_same_reader_as_customers(org, staff_factory):
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin = client_for(staff_factory(roles=["administrator"]))
    data = "代码,名称,上级\n0904,折叠培训桌,09\n09,会议家具,\n".encode("gbk")
    upload = SimpleUploadedFile("types.csv", data, content_type="text/csv")
    response = admin.post("/catalog/import/", {"kind": "product_type", "file": upload})
    assert response.status_code == 302
    assert ProductType.objects.get(code="0904").name == "折叠培训桌"


def test_an_unreadable_upload_is_a_message_not_a_500(org, staff_factory):
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin = client_for(staff_factory(roles=["administrator"]))
    upload = SimpleUploadedFile("types.xlsx", b"not a workbook", content_type="application/octet-stream")
    response = admin.post("/catalog/import/", {"kind": "product_type", "file": upload}, follow=True)
    assert response.status_code == 200
    assert not ProductType.objects.filter(name="not a workbook").exists()
