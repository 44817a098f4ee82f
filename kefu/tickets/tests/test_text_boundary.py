"""The one text boundary: control characters are refused, naming the field, on every way in
(an HTML form, a service call from the API or a task, a workflow step's inputs), and nothing is saved."""

import pytest

from kefu.core.errors import ValidationFailed
from kefu.core.testing.scope import client_for
from kefu.tickets.models import LongTextEntry
from kefu.tickets.services import add_text, update_notification
from kefu.workflow.engine import available_transitions, transition

pytestmark = pytest.mark.django_db


def test_a_nul_byte_in_an_html_form_is_a_field_error_and_nothing_is_saved(desk):
    n = desk.z1()
    client = client_for(desk.manager)
    page = client.get(f"/notifications/{n.pk}/edit/")
    assert page.status_code == 200
    response = client.post(
        f"/notifications/{n.pk}/edit/",
        {
            "customer": "2110050007",
            "description": "锁坏了\x00",
            "priority": "3",
            "payment_status": "paid",
            "work_centre": n.work_centre_id,
            "responsible": n.responsible_id or "",
            "sales_group": n.sales_group_id or "",
            "sales_organization": n.sales_organization_id,
            "distribution_channel": n.distribution_channel_id,
            "division": n.division_id,
            "sales_office": n.sales_office_id,
            "business_area": n.business_area_id or "",
            "version": n.version,
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "不允许使用控制字符" in body and "is-invalid" in body
    n.refresh_from_db()
    assert "\x00" not in n.description


@pytest.mark.parametrize("bad", ["\x00", "\x1b[31m", "\ud800", "\x7f"])
def test_services_refuse_control_characters_naming_the_field(desk, bad):
    n = desk.z1()
    with pytest.raises(ValidationFailed) as caught:
        update_notification(
            actor=desk.manager.user, notification=n, expected_version=n.version, description=f"坏{bad}"
        )
    assert set(caught.value.fields) == {"description"}
    with pytest.raises(ValidationFailed) as caught:
        add_text(actor=desk.manager.user, notification=n, text=f"备注{bad}")
    assert "text" in caught.value.fields
    assert not LongTextEntry.objects.filter(notification=n, text__contains="备注").exists()


def test_a_workflow_steps_text_input_is_checked_too(desk):
    n = desk.z1()
    status = n.status_id
    step = available_transitions(n, desk.manager.user)[0]  # a move the manager may really make
    inputs = {name: "现场勘察完毕" for name in step.required_fields or []}
    with pytest.raises(ValidationFailed) as caught:
        transition(n, step.to_status.code, actor=desk.manager.user, inputs={**inputs, "note": "ok\x00"})
    assert set(caught.value.fields) == {"note"}
    n.refresh_from_db()
    assert n.status_id == status


def test_tabs_and_line_breaks_are_text_not_control_characters(desk):
    n = desk.z1()
    entry = add_text(actor=desk.manager.user, notification=n, text="第一行\n第二行\t完")
    assert "第二行\t完" in entry.text
