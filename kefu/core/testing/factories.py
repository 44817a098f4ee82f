"""Factories that build through the real services, so tests exercise the real paths."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from kefu.org.models import (
    BusinessArea,
    Department,
    DistributionChannel,
    Division,
    SalesGroup,
    SalesOffice,
    SalesOrganization,
    Staff,
    WorkCentre,
)
from kefu.org.services import create_staff

_seq = itertools.count(1000)
PASSWORD = "Test-pass-2026"


@dataclass
class Org:
    """A small company: one branch with two responsibility centres (A and B), one work centre each."""

    sales_org: SalesOrganization
    channel: DistributionChannel
    division: Division
    business_area: BusinessArea
    office_a: SalesOffice
    office_b: SalesOffice
    group_a: SalesGroup
    wc_a: WorkCentre
    wc_b: WorkCentre
    cs_department: Department
    logistics: Department
    quality: Department
    hq: Department
    extra: dict = field(default_factory=dict)


def make_org() -> Org:
    from kefu.org.choices import DepartmentKind

    sales_org, _ = SalesOrganization.objects.get_or_create(code="F011", defaults={"name": "华北分公司"})
    channel, _ = DistributionChannel.objects.get_or_create(code="10", defaults={"name": "直销"})
    division, _ = Division.objects.get_or_create(code="02", defaults={"name": "家具服务"})
    area, _ = BusinessArea.objects.get_or_create(code="1002", defaults={"name": "售后服务"})
    cs, _ = Department.objects.get_or_create(
        code="CS011",
        defaults={
            "name": "北京客服部",
            "kind": DepartmentKind.CUSTOMER_SERVICE,
            "mailbox": "kefu.bj@example.com",
            "sales_organization": sales_org,
        },
    )
    logistics, _ = Department.objects.get_or_create(
        code="LG011",
        defaults={
            "name": "北京区物流",
            "kind": DepartmentKind.REGIONAL_LOGISTICS,
            "mailbox": "logistics.bj@example.com",
            "sales_organization": sales_org,
        },
    )
    quality, _ = Department.objects.get_or_create(
        code="QA",
        defaults={"name": "品管部", "kind": DepartmentKind.QUALITY, "mailbox": "quality@example.com"},
    )
    hq, _ = Department.objects.get_or_create(
        code="HQ", defaults={"name": "总部", "kind": DepartmentKind.HEADQUARTERS, "mailbox": "hq@example.com"}
    )
    office_a, _ = SalesOffice.objects.get_or_create(
        code="4002",
        defaults={
            "name": "北京朝阳责任中心",
            "sales_organization": sales_org,
            "business_area": area,
            "department": cs,
        },
    )
    office_b, _ = SalesOffice.objects.get_or_create(
        code="4003",
        defaults={
            "name": "天津责任中心",
            "sales_organization": sales_org,
            "business_area": area,
            "department": cs,
        },
    )
    group_a, _ = SalesGroup.objects.get_or_create(
        code="002", defaults={"name": "朝阳联络处", "sales_office": office_a}
    )
    wc_a, _ = WorkCentre.objects.get_or_create(
        code="S4002", defaults={"name": "朝阳售后组", "sales_office": office_a, "department": cs}
    )
    wc_b, _ = WorkCentre.objects.get_or_create(
        code="S4003", defaults={"name": "天津售后组", "sales_office": office_b, "department": cs}
    )
    return Org(
        sales_org,
        channel,
        division,
        area,
        office_a,
        office_b,
        group_a,
        wc_a,
        wc_b,
        cs,
        logistics,
        quality,
        hq,
    )


def make_staff(
    *,
    roles: Sequence[str] = ("assistant",),
    offices: Sequence[SalesOffice] = (),
    work_centres: Sequence[WorkCentre] = (),
    name: str | None = None,
    number: str | None = None,
    username: str | None = None,
    superuser: bool = False,
    phone: str = "13812345678",
    email: str | None = None,
) -> Staff:
    n = next(_seq)
    username = username or f"user{n}"
    return create_staff(
        actor=None,
        username=username,
        personnel_number=number or str(n),
        name=name or f"测试员{n}",
        password=PASSWORD,
        roles=list(roles),
        sales_offices=list(offices),
        work_centres=list(work_centres),
        phone=phone,
        email=email if email is not None else f"{username}@example.com",
        is_superuser=superuser,
    )
