"""Prepared querysets give exactly what the queryset gives, compiled once per key."""

import pytest
from django.contrib.auth.models import AnonymousUser

from kefu.core import prepared
from kefu.org.scope import scope_for
from kefu.tickets.models import Notification
from kefu.tickets.services import NotFound, access_notification, notification_with_relations
from kefu.tickets.tests.factories import make_desk

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_shapes():
    prepared.clear()
    yield
    prepared.clear()


@pytest.fixture
def desk(org, staff_factory):
    return make_desk(org, staff_factory)


def _lookup(user):
    return lambda pk: notification_with_relations().visible_to(user).filter(pk=pk)


def test_rows_equal_the_querysets_and_compile_once(desk):
    user = desk.assistant.user
    first, second = desk.z1(), desk.z2()
    builds = []

    def build(pk):
        builds.append(pk)
        return _lookup(user)(pk)

    for n in (first, second, first):
        [row] = prepared.fetch(("t", scope_for(user)), build, pk=n.pk)
        expected = notification_with_relations().get(pk=n.pk)
        assert {f.attname: getattr(row, f.attname) for f in Notification._meta.concrete_fields} == {
            f.attname: getattr(expected, f.attname) for f in Notification._meta.concrete_fields
        }
        assert row._state.adding is False and row._state.db == "default"
        # select_related and buffered code tables are there without another query
        assert Notification.customer.is_cached(row) and Notification.status.is_cached(row)
        assert row.customer.name == desk.customer.name and row.type.code == n.type.code
    assert len(builds) == 1 and builds[0] != first.pk  # built once, with a placeholder


def test_another_scope_is_another_shape(desk):
    n = desk.z1()
    inside = prepared.fetch(("t", scope_for(desk.assistant.user)), _lookup(desk.assistant.user), pk=n.pk)
    outside = prepared.fetch(("t", scope_for(desk.outsider.user)), _lookup(desk.outsider.user), pk=n.pk)
    assert [r.pk for r in inside] == [n.pk] and outside == []


def test_who_may_see_nothing_runs_no_query(desk, django_assert_num_queries):
    n = desk.z1()
    anonymous = AnonymousUser()
    with django_assert_num_queries(0):
        assert prepared.fetch(("t", "anonymous"), _lookup(anonymous), pk=n.pk) == []


def test_values_list_rows_and_out_of_range_ids(desk):
    desk.z1(), desk.z2()

    def numbers(pk):
        return Notification.objects.filter(customer_id=pk).order_by("number").values_list("number", "id")

    rows = prepared.fetch("v", numbers, pk=desk.customer.pk)
    assert len(rows) == 2
    assert rows == list(Notification.objects.order_by("number").values_list("number", "id"))
    assert prepared.fetch("v", numbers, pk=2**70) == []


def test_slots_must_reach_the_sql_and_be_int_or_str(desk):
    with pytest.raises(ValueError):
        prepared.fetch("bad", lambda pk: Notification.objects.all(), pk=1)
    with pytest.raises(TypeError):
        prepared.fetch("bad-type", lambda when: Notification.objects.filter(created_at=when), when=1.5)
    with pytest.raises(ValueError):
        prepared.fetch("pre", lambda pk: Notification.objects.filter(pk=pk).prefetch_related("items"), pk=1)


def test_access_notification_refuses_missing_foreign_and_absurd_ids(desk):
    n = desk.z1()
    assert access_notification(desk.assistant.user, n.pk).pk == n.pk
    assert access_notification(desk.assistant.user, str(n.pk)).number == n.number
    for user, pk in ((desk.outsider.user, n.pk), (desk.assistant.user, 10**30), (desk.assistant.user, "x")):
        with pytest.raises(NotFound):
            access_notification(user, pk)


def test_sessions_load_by_the_prepared_lookup_and_expire_as_djangos(settings):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from kefu.core.sessions import SessionStore

    assert settings.SESSION_ENGINE == "kefu.core.sessions"
    store = SessionStore()
    store["who"] = "陈静"
    store.save()
    assert SessionStore(store.session_key).load() == {"who": "陈静"}
    Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(store.session_key)
    assert expired.load() == {} and expired.session_key is None
    store.delete()
    assert SessionStore(store.session_key).load() == {}
    assert SessionStore("no-such-session-key").load() == {}


def test_the_signed_in_user_is_loaded_by_the_prepared_lookup(desk):
    from kefu.org.backends import BufferedModelBackend

    backend = BufferedModelBackend()
    user = desk.assistant.user
    assert backend.get_user(user.pk) == user and backend.get_user(str(user.pk)) == user
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    assert backend.get_user(user.pk) is None  # a deactivated user is signed out at once
    assert backend.get_user("x") is None and backend.get_user(10**30) is None


def test_column_converters_are_looked_up_once_per_shape(desk, monkeypatch):
    """Datetimes and decimals still arrive converted, from the converters the first run found."""
    from django.db.models.sql.compiler import SQLCompiler

    user = desk.assistant.user
    first, second = desk.z1(), desk.z2()
    lookups = []
    real = SQLCompiler.get_converters

    def counting(self, expressions):
        if self.query.model is Notification:  # the page lookup, not the buffered code tables
            lookups.append(len(expressions))
        return real(self, expressions)

    monkeypatch.setattr(SQLCompiler, "get_converters", counting)
    rows = [prepared.fetch(("t", scope_for(user)), _lookup(user), pk=n.pk)[0] for n in (first, second, first)]
    assert len(lookups) == 1
    assert [r.created_at for r in rows] == [first.created_at, second.created_at, first.created_at]
    assert rows[0].created_at.tzinfo is not None


def test_which_exist_answers_per_relation_in_one_query(desk, django_assert_num_queries):
    from kefu.tickets.models import Attachment, Item, LongTextEntry
    from kefu.tickets.services import add_text

    n = desk.z1()
    add_text(actor=desk.assistant.user, notification=n, text="客户补充说明。")
    relations = ((Item, "notification"), (Attachment, "notification"), (LongTextEntry, "notification"))
    expected = [
        Item.objects.filter(notification=n).exists(),
        Attachment.objects.filter(notification=n).exists(),
        LongTextEntry.objects.filter(notification=n).exists(),
    ]
    with django_assert_num_queries(1):
        assert prepared.which_exist(relations, n.pk) == expected
    assert expected[1] is False and expected[2] is True  # both answers occur
    assert prepared.which_exist(relations, 987_654_321) == [False, False, False]
