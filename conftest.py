import pytest

# Shared fixtures of picker tests (customers in and out of a centre's scope).
pytest_plugins = ["kefu.core.testing.pickers"]


@pytest.fixture(autouse=True)
def _fresh_buffer():
    """Each test starts with an empty customizing buffer (rows of earlier tests were rolled back)."""
    from kefu.core import buffer

    buffer.clear()
    yield
    buffer.clear()


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


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on loopback; Django's SMTP backend sends to it.

    Yields the list of received messages (email.message.EmailMessage objects).
    """
    import email
    import email.policy
    import socket

    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            message = email.message_from_bytes(
                envelope.original_content or envelope.content, policy=email.policy.default
            )
            message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
            received.append(message)
            return "250 Message accepted for delivery"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield received
    finally:
        controller.stop()
