from kefu.worktime.testing import frozen_clock  # noqa: F401
