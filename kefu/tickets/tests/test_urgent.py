"""The urgent path: the person responsible is told at once, in-app and by e-mail."""

from kefu.channels.models import Notice
from kefu.core.testing.scope import client_for
from kefu.tickets.services import update_notification


def test_marking_urgent_notifies_the_person_responsible(
    desk, smtp_server, django_capture_on_commit_callbacks
):
    n = desk.z1()
    assert not Notice.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        update_notification(
            actor=desk.assistant.user, notification=n, expected_version=n.version, urgent=True
        )
    notice = Notice.objects.get(recipient=desk.technician.user)
    assert notice.urgent and n.number in notice.message and notice.url == f"/notifications/{n.pk}/"
    assert [m["X-Envelope-To"] for m in smtp_server] == [desk.technician.email]
    assert n.number in smtp_server[0]["Subject"]
    bell = client_for(desk.technician).get("/channels/notices/badge/").content.decode()
    assert 'id="notice-unread">1<' in bell
    # Reassigning an urgent notification tells the new person too.
    other = (
        desk.technician.__class__.objects.exclude(pk=desk.technician.pk)
        .filter(user__groups__role__code="supervisor")
        .first()
    )
    with django_capture_on_commit_callbacks(execute=True):
        update_notification(
            actor=desk.assistant.user, notification=n, expected_version=n.version, responsible=other
        )
    assert Notice.objects.filter(recipient=other.user, urgent=True).exists()


def test_creating_urgent_notifies_at_once(desk, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        n = desk.z1(urgent=True)
    assert Notice.objects.filter(recipient=desk.technician.user, urgent=True).count() == 1
    assert len(smtp_server) == 1 and "完款状况" in smtp_server[0].get_content()
    page = client_for(desk.assistant).get(f"/notifications/{n.pk}/").content.decode()
    assert 'data-event="ticket.urgent"' in page
