"""Taking a quarantined or unmatched mail in again after a fix (service, page, API): the same
rules as a new mail, and never a second notification (real dovecot IMAP and SMTP sink)."""

import pytest
from django.test import Client
from django.urls import reverse

from kefu.channels.choices import InboundStatus
from kefu.channels.models import InboundMail
from kefu.channels.services import mailin
from kefu.channels.testing.mails import build
from kefu.core.errors import NotFound, PermissionDenied, ValidationFailed


@pytest.fixture
def imap_box(imap_server, make_mailbox):
    user, password = imap_server.add_user()
    box = make_mailbox(host=imap_server.host, port=imap_server.port, username=user, password=password)
    box.deliver = lambda *raw: imap_server.deliver(user, password, *raw)
    return box


def _notifications():
    from kefu.tickets.models import Notification

    return Notification.objects.order_by("id")


def test_a_mail_whose_intake_failed_is_taken_in_again_after_the_fix_once(
    imap_box, customer, desk, monkeypatch, smtp_server, django_capture_on_commit_callbacks
):
    imap_box.deliver(build(subject="出错的一封"))
    real = mailin._create_record

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the rules")

    monkeypatch.setattr(mailin, "_create_record", broken)
    mailin.poll_mailbox(imap_box)
    kept = InboundMail.objects.get()
    assert kept.status == InboundStatus.QUARANTINED and _notifications().count() == 0
    # Still broken: nothing half-saved, the reason on the mail, 409.
    with pytest.raises(mailin.RerunFailed):
        mailin.rerun(actor=desk["manager"].user, mail=kept)
    kept.refresh_from_db()
    assert kept.status == InboundStatus.QUARANTINED and "a bug in the rules" in kept.note
    assert _notifications().count() == 0
    monkeypatch.setattr(mailin, "_create_record", real)  # the fix is deployed
    with django_capture_on_commit_callbacks(execute=True):
        done = mailin.rerun(actor=desk["manager"].user, mail=kept)
    notification = _notifications().get()
    assert done.status == InboundStatus.CREATED and done.target == notification
    assert done.subject == "出错的一封" and notification.customer == customer
    assert "李建国" in done.note  # who took it in again
    assert len(smtp_server) == 1 and notification.number in smtp_server[0]["Subject"]
    # Again, by the page and the API: the same mail, no second notification, no second mail.
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(desk["manager"].user)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("channels:inbound_rerun", args=[kept.pk]))
        api = client.post(f"/api/v1/channels/inbound/{kept.pk}/rerun")
    assert page.status_code == 302 and api.status_code == 200
    assert api.json()["status"] == "created" and api.json()["record_id"] == notification.pk
    assert _notifications().count() == 1 and len(smtp_server) == 1
    assert imap_box.last_uid == 1 and mailin.poll_mailbox(imap_box).fetched == 0


def test_an_unmatched_mail_is_taken_in_after_the_sender_is_added_to_a_contact(mailbox, customer, desk):
    from kefu.customers.models import Contact

    mail, _ = mailin.ingest(mailbox, build(sender="张三 <zhangsan@shenqi.example.cn>"))
    assert mail.status == InboundStatus.UNMATCHED
    Contact.objects.create(customer=customer, name="张三", email="zhangsan@shenqi.example.cn")
    done = mailin.rerun(actor=desk["manager"].user, mail=mail)
    assert done.status == InboundStatus.CREATED and _notifications().get().customer == customer
    assert mailin.rerun(actor=desk["manager"].user, mail=done).pk == done.pk
    assert _notifications().count() == 1


def test_a_copy_that_arrived_again_meanwhile_is_not_taken_in_twice(mailbox, customer, desk, monkeypatch):
    raw = build(message_id="<twice-1@shenqi.example.cn>")
    monkeypatch.setattr(mailin, "_create_record", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("x")))
    first, _ = mailin.quarantine_failed(mailbox, raw, RuntimeError("x"), uid=None, uid_validity=None)
    monkeypatch.undo()
    second, _ = mailin.ingest(mailbox, raw)  # the customer sent it again; taken in normally
    assert second.status == InboundStatus.CREATED
    done = mailin.rerun(actor=desk["manager"].user, mail=first)
    assert done.status == InboundStatus.DISMISSED and done.object_id == second.object_id
    assert _notifications().count() == 1


def test_still_unreadable_stays_quarantined_and_rights_are_checked(
    mailbox, customer, desk, org, staff_factory
):
    garbage, _ = mailin.ingest(mailbox, b"\x00\x01 this is not a mail at all")
    done = mailin.rerun(actor=desk["manager"].user, mail=garbage)
    assert (
        done.status == InboundStatus.QUARANTINED and "still unreadable" in done.note.lower()
    ) or "仍无法" in done.note
    technician = staff_factory(roles=["technician"], offices=[org.office_a])
    with pytest.raises(PermissionDenied):
        mailin.rerun(actor=technician.user, mail=garbage)
    with pytest.raises(NotFound):  # another centre's staff: the mail does not exist for them
        mailin.rerun(actor=desk["outsider"].user, mail=garbage)
    created, _ = mailin.ingest(mailbox, build())
    with pytest.raises(ValidationFailed):  # not waiting: refused, nothing happens
        InboundMail.objects.filter(pk=created.pk).update(object_id=None)
        mailin.rerun(actor=desk["manager"].user, mail=created)
    assert _notifications().count() == 1
    # Another centre's staff cannot reach the mail at all (404 in page and API).
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(desk["outsider"].user)
    assert client.post(reverse("channels:inbound_rerun", args=[garbage.pk])).status_code == 404
    assert client.post(f"/api/v1/channels/inbound/{garbage.pk}/rerun").status_code == 404
