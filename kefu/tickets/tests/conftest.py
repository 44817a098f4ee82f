import pytest

from kefu.tickets.tests.factories import Desk, make_desk
from kefu.worktime.testing import frozen_clock  # noqa: F401


@pytest.fixture
def desk(org, staff_factory) -> Desk:
    return make_desk(org, staff_factory)


@pytest.fixture
def office(org, staff_factory):
    """The office (办公室) that rules cross-department disputes."""
    return staff_factory(roles=["office"], name="周敏")


@pytest.fixture
def default_types():
    """The default types and profiles, again: a transactional test before this one may have
    flushed the database, data migrations included (installing is idempotent)."""
    from django.apps import apps

    from kefu.core import buffer
    from kefu.tickets.workflows import install

    install(apps)
    buffer.clear()
