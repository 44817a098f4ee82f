from kefu.visits.testing import customer, frozen_clock, make_customer, people  # noqa: F401
