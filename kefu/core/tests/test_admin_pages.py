"""Every admin list and add page renders for a superuser (the admin's own widget templates come
from Django's engine while forms render with Jinja2: kefu.core.renderers)."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_admin_changelist_and_add_page_renders(org, staff_factory, client):
    root = staff_factory(roles=["administrator"], superuser=True)
    client.force_login(root.user)
    failures = []
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        for view in ("changelist", "add"):
            if view == "add" and not model_admin.has_add_permission(_request(root.user)):
                continue
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}")
            status = client.get(url).status_code
            if status != 200:
                failures.append((url, status))
    assert not failures


def test_an_admin_change_page_with_a_foreign_key_renders(org, staff_factory, client):
    from kefu.org.models import WorkCentre

    root = staff_factory(roles=["administrator"], superuser=True)
    client.force_login(root.user)
    response = client.get(reverse("admin:org_workcentre_change", args=[org.wc_a.pk]))
    assert response.status_code == 200 and 'class="related-widget-wrapper' in response.content.decode()
    assert WorkCentre.objects.filter(pk=org.wc_a.pk).exists()


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request
