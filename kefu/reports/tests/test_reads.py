"""Reports only read, and read other apps through their `queries`: the figures of the monthly
supervision report and the cockpit's top codes against values computed by hand, and a check
that no module of kefu/reports reaches into another app's models."""

from __future__ import annotations

import ast
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from kefu.reports import queries, services
from kefu.reports.tests.test_indicators import month  # noqa: F401 (the hand-computed November)

pytestmark = pytest.mark.django_db
REPORTS = Path(queries.__file__).parent
OWN = {"reports", "core", "workflow"}  # the shared engine's choices and events are not an app's data


def _imports_of_other_models(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kefu."):
            parts = node.module.split(".")
            if len(parts) >= 3 and parts[1] not in OWN and parts[2] == "models":
                found.append(f"{path.name}:{node.lineno} {node.module}")
    return found


def test_reports_read_other_apps_only_through_their_queries():
    offenders = [hit for path in sorted(REPORTS.glob("*.py")) for hit in _imports_of_other_models(path)]
    assert offenders == []


def test_supervision_figures_of_the_hand_computed_month(month, desk):  # noqa: F811
    figures = queries.supervision_figures(date(2026, 11, 1), date(2026, 11, 30))
    assert figures["received"] == 4  # n1, n2, n3, n5 (n4 was created in October)
    assert [(r["label"].split()[0], r["value"]) for r in figures["by_type"]] == [("Z1", 4)]
    assert figures["closed"] == Decimal("3")
    assert figures["on_time"] == Decimal("50.00")
    assert figures["first_response"] == Decimal("6.00")
    assert figures["reopen"] == Decimal("33.33")
    assert figures["backlog"] == 1  # n5
    assert figures["complaints"] == 3
    assert figures["complaint_hours"] == Decimal("30.00")
    assert figures["satisfaction"] == Decimal("100.00") and figures["evaluation"] == Decimal("50.00")
    assert sum(r["value"] for r in figures["by_class"]) == 3
    assert figures["accidents"] == 0 and figures["losses"] == Decimal("0.00") and figures["by_kind"] == []
    office = desk.org.office_a
    assert [
        (c["label"], c["received"], c["closed"], c["on_time"], c["late_open"]) for c in figures["centres"]
    ] == [
        (f"{office.code} {office.name}", 4, Decimal("3"), Decimal("50.00"), 1)  # n5 is past its end
    ]


def test_the_cockpits_top_codes_live_and_swept(desk):
    from kefu.catalog.models import ProductType, ReasonCode
    from kefu.tickets.services import add_item

    lock, drawer = ProductType.objects.filter(is_active=True).order_by("code")[:2]
    reason = ReasonCode.objects.filter(is_active=True).order_by("code").first()
    n1, n2, n3 = (desk.z1() for _ in range(3))
    for n, product in ((n1, lock), (n1, lock), (n2, lock), (n3, drawer)):
        add_item(actor=desk.assistant.user, notification=n, product_type=product.code, reason=reason.code)
    start, end = queries.default_period()
    expected_products = [
        {"label": f"{lock.code} {lock.name}", "value": 2},  # n1 (twice, counted once) and n2
        {"label": f"{drawer.code} {drawer.name}", "value": 1},
    ]
    expected_reasons = [{"label": f"{reason.code} {reason.name}", "value": 3}]
    for _round in ("live", "swept"):
        figures = queries.cockpit(desk.supervisor.user, start, end)["notifications"]
        assert figures["top_products"] == expected_products, _round
        assert figures["top_reasons"] == expected_reasons, _round
        if _round == "live":
            assert services.refresh_cockpit() > 0
    assert figures["snapshot_at"]
