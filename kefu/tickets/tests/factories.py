"""Test setup for notifications: a responsibility centre's people and a seed-004 customer."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from kefu.tickets.models import Notification, NotificationType
from kefu.tickets.services import create_notification

_seq = itertools.count(1)


def make_customer(office, *, number: str | None = None, name: str = "申齐保健食品有限公司", responsible=None):
    from kefu.customers.models import Customer

    return Customer.objects.create(
        number=number or f"21100{next(_seq):05d}",
        name=name,
        phone="13812345678",
        address="北京市朝阳区建国路88号",
        postal_code="100022",
        sales_office=office,
        responsible=responsible,
    )


@dataclass
class Desk:
    org: object
    assistant: object
    technician: object
    supervisor: object
    complaints: object
    manager: object
    outsider: object
    outsider_tech: object
    customer: object

    def z1(self, **kw) -> Notification:
        return create_z(self, "Z1", **kw)

    def z2(self, **kw) -> Notification:
        return create_z(self, "Z2", **kw)


def make_desk(org, staff_factory) -> Desk:
    a, wc = [org.office_a], [org.wc_a]
    technician = staff_factory(roles=["technician"], offices=a, work_centres=wc, name="王敏", number="202")
    desk = Desk(
        org=org,
        assistant=staff_factory(roles=["assistant"], offices=a, work_centres=wc, name="陈静"),
        technician=technician,
        supervisor=staff_factory(roles=["supervisor"], offices=a, work_centres=wc, name="刘洋"),
        complaints=staff_factory(roles=["complaint_specialist"], offices=a, work_centres=wc, name="杨帆"),
        manager=staff_factory(roles=["manager"], name="李建国"),
        outsider=staff_factory(roles=["assistant"], offices=[org.office_b], work_centres=[org.wc_b]),
        outsider_tech=staff_factory(roles=["technician"], offices=[org.office_b], work_centres=[org.wc_b]),
        customer=make_customer(org.office_a, number="2110050007", responsible=technician),
    )
    return desk


def create_z(desk: Desk, code: str, **kw) -> Notification:
    fields = {
        "type": NotificationType.objects.get(code=code),
        "customer": desk.customer,
        "description": "活动柜锁",
        "reference_document": "30000075",
        "reference_date": dt.date(2001, 3, 1),
        "required_start": dt.date(2001, 3, 7),
        "required_end": dt.date(2001, 3, 8),
        "work_centre": desk.org.wc_a,
        "responsible": desk.technician,
        "sales_group": desk.org.group_a,
        "payment_status": "paid" if code == "Z1" else "unpaid",
    }
    fields.update(kw)
    actor = fields.pop("actor", desk.assistant.user)
    return create_notification(actor=actor, **fields)


def submit_dispute(desk: Desk, notification: Notification | None = None):
    """A 跨部门协作 dispute of 区物流 (LG011) against 品管部 (QA) on a new Z1, through the service."""
    from kefu.org.models import Department
    from kefu.tickets.services import submit_dispute as submit

    return submit(
        actor=desk.assistant.user,
        notification=notification or desk.z1(),
        requesting_department=Department.objects.get(code="LG011"),
        other_departments=[Department.objects.get(code="QA")],
        issue="抽屉锁损坏责任归属不清：物流认为是质量问题，品管认为是运输损坏。",
        positions="区物流：出厂即有缺陷。品管部：包装完好，运输中受损。",
        supervising_department=Department.objects.get(code="HQ"),
    )


def ruling_inputs(desk: Desk) -> dict:
    """The office's ruling on `submit_dispute`'s dispute: 区物流 answers, through the supervisor."""
    return {
        "ruling": "由区物流负责更换，品管部配合检验。",
        "responsible_department": "LG011",
        "responsible": desk.supervisor.personnel_number,
    }
