import pytest

from kefu.timeline.queries import events_for, present
from kefu.timeline.registry import register
from kefu.timeline.services import diff, record, snapshot

register("test.renamed", "Renamed", describe=lambda d: f"{d['name']['old']} → {d['name']['new']}")


@pytest.mark.django_db
def test_events_are_recorded_with_actor_and_rendered_newest_first(org, staff_factory):
    actor = staff_factory(name="王敏").user
    before = snapshot(org.office_a, ["name"])
    org.office_a.name = "朝阳中心"
    record(org.office_a, "test.renamed", actor=actor, data=diff(org.office_a, before, ["name"]))
    record(org.office_a, "unknown.code", actor=None)
    rows = present(events_for(org.office_a))
    assert [r["code"] for r in rows] == ["unknown.code", "test.renamed"]
    assert rows[1]["description"] == "北京朝阳责任中心 → 朝阳中心"
    assert rows[1]["actor"] == "王敏"
    assert rows[0]["label"] == "unknown.code"


@pytest.mark.django_db
def test_events_of_other_records_are_not_mixed_in(org):
    record(org.office_b, "test.renamed", data={"name": {"old": "a", "new": "b"}})
    assert list(events_for(org.office_a)) == []
