import pytest

from kefu.customers import services


@pytest.fixture
def make_customer(org):
    """Create a customer through the service (system actor) in office A unless told otherwise."""

    def make(**values):
        values.setdefault("name", "申齐保健食品有限公司")
        values.setdefault("sales_office", org.office_a)
        return services.create_customer(actor=None, **values)

    return make


@pytest.fixture
def manager(org, staff_factory):
    return staff_factory(roles=["manager"])


@pytest.fixture
def assistant(org, staff_factory):
    return staff_factory(roles=["assistant"], offices=[org.office_a], work_centres=[org.wc_a])


@pytest.fixture
def outsider(org, staff_factory):
    return staff_factory(roles=["assistant"], offices=[org.office_b], work_centres=[org.wc_b])
