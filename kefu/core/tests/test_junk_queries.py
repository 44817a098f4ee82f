"""List pages under junk query strings 垃圾参数: every page without a record that the matrix GETs
is called by a manager with its own filter fields (read from the page's GET forms) and the usual
probe parameters set to junk — bad and huge page numbers, unknown orderings, impossible dates,
ids past 64 bits, NUL bytes, emoji, very long strings. A bad value may be refused (400) or
ignored; it must never be a 5xx."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from kefu.core.tests.test_matrix import PAGES

LIST_PAGES = sorted(
    name
    for name, route in PAGES.items()
    if route.get and route.record is None and not route.public and not route.portal and not route.signed
)
PROBES = ["page", "ordering", "sort", "q", "status", "date_from", "date_to", "from", "to", "id", "office"]
JUNK = {
    "huge_page": "999999999",
    "negative": "-1",
    "superscript": "²",
    "bad_date": "2026-13-45",
    "year_zero": "0000-01-01",
    "big_int": "99999999999999999999",
    "long_digits": "9" * 5000,
    "nul": "a\x00b",
    "long_emoji": "😀" + "长" * 3000,
    "unknown_ordering": "-nonexistent__field",
}
FIELD_NAME = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", re.I)
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.I | re.S)


def _get_form_fields(html: str) -> set[str]:
    names: set[str] = set()
    for attrs, body in FORM.findall(html):
        if re.search(r"method=\"post\"", attrs, re.I):
            continue
        names.update(FIELD_NAME.findall(body))
    return names - {"csrfmiddlewaretoken"}


@pytest.fixture
def manager_client(org, staff_factory):
    manager = staff_factory(roles=["manager"], superuser=True, name="李建国")
    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    client.force_login(manager.user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("name", LIST_PAGES)
def test_list_pages_survive_junk_query_strings(manager_client, name):
    url = reverse(name)
    first = manager_client.get(url, PAGES[name].extra)
    assert first.status_code < 500, f"{url}: {first.status_code}"
    html = first.content.decode(errors="replace") if "html" in first.get("Content-Type", "") else ""
    fields = sorted(_get_form_fields(html) | set(PROBES))
    problems = []
    for kind, value in JUNK.items():
        params = {**PAGES[name].extra, **dict.fromkeys(fields, value)}
        response = manager_client.get(url, params)
        if response.status_code >= 500:
            problems.append(f"{kind}: {response.status_code}")
    assert not problems, f"{url} with fields {fields}: " + "; ".join(problems)


def test_control_characters_never_reach_a_view_through_the_query_string(rf):
    """PostgreSQL refuses NUL in text: a search term with one must not reach a query (on SQLite the
    pages above pass either way, so this pins the rule itself)."""
    from kefu.core.middleware import QueryStringMiddleware

    seen = {}

    def view(request):
        seen.update(request.GET.lists())
        return None

    QueryStringMiddleware(view)(rf.get("/customers/", {"q": "申齐\x00\x07", "p\x00age": ["2", "3\x1f"]}))
    assert seen == {"q": ["申齐"], "page": ["2", "3"]}
