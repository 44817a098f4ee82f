"""History reads like the page: field labels and status names, never field names or bare codes."""

import pytest
from django.utils import translation

from kefu.tickets.services import update_notification
from kefu.timeline.queries import events_for, present
from kefu.workflow.engine import available_transitions, transition

pytestmark = pytest.mark.django_db


def test_a_change_shows_the_field_label_and_a_step_shows_the_status_names(desk):
    n = desk.z1()
    update_notification(
        actor=desk.manager.user, notification=n, expected_version=n.version, description="柜门合页松动"
    )
    step = available_transitions(n, desk.manager.user)[0]
    inputs = {name: "现场勘察完毕" for name in step.required_fields or []}
    transition(n, step.to_status.code, actor=desk.manager.user, inputs=inputs)
    with translation.override("zh-hans"):
        label = str(type(n)._meta.get_field("description").verbose_name)
        lines = [f"{e['label']} · {e['description']}" for e in present(events_for(n), masked=False)]
    changed = next(line for line in lines if "柜门合页松动" in line)
    assert f"{label}: 活动柜锁 → 柜门合页松动" in changed and "description" not in changed
    moved = next(line for line in lines if "→" in line and step.to_status.code in line)
    assert f"{step.to_status.code} {step.to_status.name}" in moved


def test_coded_values_and_yes_no_show_their_labels(desk):
    from kefu.timeline.registry import describe_changes

    data = {
        "changes": {"status": {"old": None, "new": "active"}, "insured": {"old": False, "new": True}},
        "labels": {"status": "合作状态", "insured": "已投保货运险"},
        "choices": {"status": {"active": "合作中"}},
    }
    with translation.override("zh-hans"):
        assert describe_changes(data) == "合作状态: — → 合作中; 已投保货运险: 否 → 是"
