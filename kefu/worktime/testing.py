"""Test helpers for the one clock: a pytest fixture that freezes `kefu.worktime.clock.now()`."""

from __future__ import annotations

import pytest

from kefu.worktime import clock


@pytest.fixture
def frozen_clock():
    """Yields a FrozenClock (set/advance); time never moves unless the test moves it."""
    with clock.frozen() as handle:
        yield handle
