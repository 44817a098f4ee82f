from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kefu.tickets.tests.factories import Desk, make_desk

SH = ZoneInfo("Asia/Shanghai")


def sh(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=SH)


@pytest.fixture
def desk(org, staff_factory) -> Desk:
    return make_desk(org, staff_factory)
