"""Test helpers for forms with F4 pickers: ask a picker source, read a field's picker, label and
error off a rendered page, and the two customers picker tests choose between."""

from __future__ import annotations

import re

import pytest


def pick(client, source: str, q: str) -> list[dict]:
    """The picker's results for `q` (each with value, code, name)."""
    response = client.get("/pick/", {"source": source, "q": q})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def pick_values(client, source: str, q: str) -> list[str]:
    return [row["value"] for row in pick(client, source, q)]


def picker_of(html: str, name: str) -> str:
    """The picker source of the field `name` on a rendered form ('' when it has none)."""
    tag = re.search(rf'<(?:input|select)[^>]*name="{name}"[^>]*>', html)
    assert tag, name
    found = re.search(r'data-picker="/pick/\?source=(\w+)"', tag.group(0))
    return found.group(1) if found else ""


def error_of(html: str, name: str) -> str:
    found = re.search(rf'data-field="{name}">([^<]*)<', html)
    return found.group(1) if found else ""


def label_of(html: str, name: str) -> str:
    found = re.search(rf'<label class="form-label" for="id_{name}">([^<]*)', html)
    assert found, name
    return found.group(1).strip()


@pytest.fixture
def theirs(org):
    """A customer of the other centre (4003): outside centre A's desks."""
    from kefu.customers.models import Customer

    return Customer.objects.create(number="2110060001", name="北方物流有限公司", sales_office=org.office_b)


@pytest.fixture
def indexed(customer):
    """The demo customer 申齐保健 in the search index (what the picker searches)."""
    from kefu.customers.services import reindex

    reindex([customer])
    return customer
