import pytest

from kefu.tickets.tests.factories import Desk, make_desk


@pytest.fixture
def desk(org, staff_factory) -> Desk:
    return make_desk(org, staff_factory)
