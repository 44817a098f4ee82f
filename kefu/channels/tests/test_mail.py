import socket

import pytest
from django.utils import timezone

from kefu.channels import services
from kefu.channels.choices import MailStatus
from kefu.channels.models import Notice, OutboundMail
from kefu.core.errors import ValidationFailed
from kefu.core.testing.scope import client_for
from kefu.timeline.queries import events_for


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def sender(org, staff_factory):
    return staff_factory(roles=["assistant"], offices=[org.office_a], work_centres=[org.wc_a])


def test_mail_is_stored_sent_after_commit_and_on_the_timeline(
    org, sender, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mail = services.send_mail(
            actor=sender.user,
            target=sender,
            to=["logistics.bj@example.com"],
            subject="服务通知单 1000021",
            body="活动柜锁 完款状况: 已完款",
            department=org.logistics,
        )
    mail.refresh_from_db()
    assert mail.status == MailStatus.SENT and mail.attempts == 1 and mail.sent_at
    assert len(smtp_server) == 1
    assert smtp_server[0]["Subject"] == "服务通知单 1000021"
    assert "完款状况" in smtp_server[0].get_content()
    codes = [e.event_type for e in events_for(sender)]
    assert "mail.queued" in codes and "mail.sent" in codes


def test_failed_send_is_kept_shown_and_retried(
    org, sender, smtp_server, settings, django_capture_on_commit_callbacks
):
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = _closed_port()  # the SMTP server is down
    with django_capture_on_commit_callbacks(execute=True):
        mail = services.send_mail(
            actor=sender.user, target=sender, to=[], subject="ZGPZ", body="b", department=org.logistics
        )
    mail.refresh_from_db()
    assert mail.status == MailStatus.FAILED and mail.attempts == 1 and mail.last_error
    assert mail.to == ["logistics.bj@example.com"]
    assert "mail.failed" in [e.event_type for e in events_for(sender)]
    assert smtp_server == []
    # Not yet due: the sweep leaves it alone.
    assert services.retry_pending_mail() == 0
    # The server is back; when the retry time has come the periodic sweep sends it.
    settings.EMAIL_PORT = working_port
    assert services.retry_pending_mail(now=timezone.now() + services.retry_delay(1)) == 1
    mail.refresh_from_db()
    assert mail.status == MailStatus.SENT and mail.attempts == 2
    assert len(smtp_server) == 1
    # A second sweep never sends it twice.
    services.retry_pending_mail(now=timezone.now() + services.retry_delay(5), force=True)
    assert len(smtp_server) == 1


def test_failed_mail_is_listed_in_the_outbox_and_can_be_sent_again(
    org, sender, smtp_server, settings, django_capture_on_commit_callbacks
):
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = _closed_port()
    with django_capture_on_commit_callbacks(execute=True):
        mail = services.send_mail(
            actor=sender.user, target=sender, to=["a@example.com"], subject="S", body="B"
        )
    client = client_for(sender)
    response = client.get("/channels/outbox/?status=failed")
    assert response.status_code == 200 and f'data-mail="{mail.pk}"' in response.content.decode()
    settings.EMAIL_PORT = working_port
    client.post(f"/channels/outbox/{mail.pk}/retry/")
    mail.refresh_from_db()
    assert mail.status == MailStatus.SENT and len(smtp_server) == 1


def test_bad_recipients_are_refused_and_nothing_is_stored(sender):
    with pytest.raises(ValidationFailed) as exc:
        services.send_mail(actor=sender.user, target=sender, to=["not-an-address"], subject="S", body="B")
    assert "to" in exc.value.fields
    with pytest.raises(ValidationFailed):
        services.send_mail(actor=sender.user, target=sender, to=[], subject="S", body="B")
    assert OutboundMail.objects.count() == 0


def test_notice_reaches_the_recipient_and_can_be_read(org, sender, staff_factory):
    tech = staff_factory(roles=["technician"], offices=[org.office_a], work_centres=[org.wc_a])
    services.notify(
        recipient=tech, target=sender, message="紧急:活动柜锁坏", url="/", actor=sender.user, urgent=True
    )
    assert Notice.objects.filter(recipient=tech.user, read_at__isnull=True).count() == 1
    client = client_for(tech)
    badge = client.get("/channels/notices/badge/")
    assert 'id="notice-unread">1<' in badge.content.decode()
    listing = client.get("/channels/notices/")
    assert "紧急:活动柜锁坏" in listing.content.decode()
    # Another user sees nothing of it.
    assert "紧急" not in client_for(sender).get("/channels/notices/").content.decode()
    notice = Notice.objects.get()
    assert client_for(sender).post(f"/channels/notices/{notice.pk}/open/").status_code == 404
    client.post(f"/channels/notices/{notice.pk}/open/")
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "notice.sent" in [e.event_type for e in events_for(sender)]


def test_repeated_failures_put_one_entry_on_the_timeline_and_count_attempts(
    org, sender, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_PORT = _closed_port()
    with django_capture_on_commit_callbacks(execute=True):
        mail = services.send_mail(
            actor=sender.user, target=sender, to=[], subject="S", body="B", department=org.logistics
        )
    for attempt in range(2, 5):
        services.retry_pending_mail(now=timezone.now() + services.retry_delay(attempt) * 2)
    mail.refresh_from_db()
    assert mail.status == MailStatus.FAILED and mail.attempts == 4
    codes = [e.event_type for e in events_for(sender)]
    assert codes.count("mail.failed") == 1
    assert all("Error" not in str(e.data) for e in events_for(sender))  # no raw exception text
