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
