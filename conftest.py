import pytest


@pytest.fixture
def org(db):
    from kefu.core.testing.factories import make_org

    return make_org()


@pytest.fixture
def staff_factory(db):
    from kefu.core.testing.factories import make_staff

    return make_staff


@pytest.fixture
def client(db):
    from django.test import Client

    return Client(HTTP_HOST="127.0.0.1")
