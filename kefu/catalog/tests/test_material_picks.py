"""The material picker (F4): code prefix, the stored pinyin initials of the name, a fragment of the
name; the initials follow the name on every write path (import, admin, a plain save)."""

import pytest

from kefu.catalog.models import Material
from kefu.catalog.queries import material_picks
from kefu.catalog.services import import_catalog
from kefu.core.testing.scope import client_for

pytestmark = pytest.mark.django_db


def codes(term: str, limit: int = 20) -> list[str]:
    return [r["value"] for r in material_picks(None, term, limit)]


def test_the_default_materials_have_their_initials_from_the_data_migration():
    lock = Material.objects.get(code="100056")
    assert lock.name_initials == "hdgs"  # 活动柜锁
    assert codes("hdgs") == ["100056"]
    assert codes("HDG") == ["100056"]  # typed with caps lock on
    assert "100101" in codes("yzq")  # 椅子气压棒


def test_exact_code_first_then_initials_then_a_fragment_of_the_name_each_once():
    Material.objects.create(code="GS100", name="螺丝")
    Material.objects.create(code="GS1", name="合页")
    Material.objects.create(code="200001", name="固顺锁")  # initials gss
    Material.objects.create(code="100000", name="锁芯 gs 型")  # the fragment "gs"
    Material.objects.create(code="200002", name="钢丝", is_active=False)  # gs, but inactive
    assert codes("gs") == ["GS1", "GS100", "200001", "100000"]
    assert codes("GS1") == ["GS1", "GS100"]  # the exact code sorts first
    assert codes("gs", limit=3) == ["GS1", "GS100", "200001"]
    assert codes("锁芯") == ["100000"]
    assert codes("gss") == ["200001"]


def test_renaming_a_material_updates_its_initials_on_every_write_path(org, staff_factory):
    lock = Material.objects.get(code="100056")
    lock.name = "抽屉锁"
    lock.save(update_fields=["name"])
    lock.refresh_from_db()
    assert lock.name_initials == "cts"
    assert codes("cts") == ["100056"] and codes("hdgs") == []

    admin_user = staff_factory(roles=["administrator"], superuser=True)
    client = client_for(admin_user)
    response = client.post(
        f"/admin/catalog/material/{lock.pk}/change/",
        {"code": "100056", "name": "文件柜锁芯", "is_active": "on", "unit": "PC", "price": "85.00"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Material.objects.get(pk=lock.pk).name_initials == "wjgsx"

    rows = [["code", "name", "unit", "price"], ["100056", "沙发脚", "PC", "85"]]
    import_catalog(actor=admin_user.user, kind="material", rows=rows)
    assert Material.objects.get(pk=lock.pk).name_initials == "sfj"
    assert codes("sfj") == ["100056"] and codes("wjgsx") == []


def test_the_picker_endpoint_serves_materials_by_initials(org, staff_factory):
    client = client_for(staff_factory(roles=["assistant"], offices=[org.office_a]))
    rows = client.get("/pick/", {"source": "material", "q": "hdgs"}).json()["results"]
    assert [(r["value"], r["name"]) for r in rows] == [("100056", "活动柜锁")]
