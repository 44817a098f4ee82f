"""Huey tasks of the channels app: deliver stored mail, and sweep failed or left-behind mail."""

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from kefu.channels import services


@db_task()
def deliver_mail_task(mail_id: int) -> None:
    services.deliver_mail(mail_id)


@db_periodic_task(crontab(minute="*"))
def retry_pending_mail_task() -> None:
    services.retry_pending_mail()


@db_task()
def send_status_template_task(follower_id: int, content_type_id: int, object_id: int) -> None:
    from kefu.channels.services.wechat import send_status_template

    send_status_template(follower_id, content_type_id, object_id)


@db_periodic_task(crontab(minute="*"))
@HUEY.lock_task("channels.poll_mailboxes")
def poll_mailboxes_task() -> None:
    """Read the department mailboxes every minute; one poll at a time (a lock, not a queue)."""
    from kefu.channels.services.mailin import poll_all

    poll_all()
