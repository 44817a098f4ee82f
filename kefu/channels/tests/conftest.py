import os

import pytest

from kefu.channels.testing import dovecot


@pytest.fixture(scope="session")
def imap_server():
    """Debian's dovecot-imapd on loopback for the whole session (`.ci/run` installs it)."""
    if not dovecot.available():
        if os.environ.get("CI"):
            pytest.fail("dovecot-imapd is not installed (apt-get install dovecot-imapd)")
        pytest.skip("dovecot-imapd is not installed (apt-get install dovecot-imapd)")
    server = dovecot.start()
    yield server
    server.stop()


@pytest.fixture
def desk(org, staff_factory):
    """The desk of centre A: the mailbox's intake account and a colleague who reads its mail."""
    return {
        "intake": staff_factory(
            roles=["assistant", "complaint_specialist"], offices=[org.office_a], name="邮件受理"
        ),
        "agent": staff_factory(roles=["assistant"], offices=[org.office_a], name="陈静"),
        "outsider": staff_factory(roles=["assistant"], offices=[org.office_b], name="吴倩"),
        "manager": staff_factory(roles=["manager"], name="李建国"),
    }


@pytest.fixture
def customer(org):
    from kefu.customers.models import Contact, Customer

    customer = Customer.objects.create(
        number="2110050007",
        name="申齐保健食品有限公司",
        phone="13812345678",
        email="office@shenqi.example.cn",
        sales_office=org.office_a,
    )
    Contact.objects.create(customer=customer, name="王丽", email="wangli@shenqi.example.cn", is_primary=True)
    return customer


@pytest.fixture
def make_mailbox(org, desk):
    from kefu.channels.models import Mailbox

    def make(**kwargs):
        values = {
            "name": "北京客服邮箱",
            "address": "kefu.bj@example.com",
            "host": "127.0.0.1",
            "port": 143,
            "use_ssl": False,
            "username": "kefu",
            "password": "x",
            "department": org.cs_department,
            "sales_office": org.office_a,
            "intake_user": desk["intake"].user,
            "signature": "北京客服部\n客服热线 400-800-0000",
        }
        values.update(kwargs)
        return Mailbox.objects.create(**values)

    return make


@pytest.fixture
def mailbox(make_mailbox):
    return make_mailbox()
