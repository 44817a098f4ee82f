"""Huey tasks of the channels app: deliver stored mail, and sweep failed or left-behind mail."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from kefu.channels import services


@db_task()
def deliver_mail_task(mail_id: int) -> None:
    services.deliver_mail(mail_id)


@db_periodic_task(crontab(minute="*"))
def retry_pending_mail_task() -> None:
    services.retry_pending_mail()
