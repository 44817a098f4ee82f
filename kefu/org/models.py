"""Company structure used to route and scope work (DOMAIN §1), staff and roles."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.models import TimeStampedModel
from kefu.core.scoping import ScopedQuerySet, ScopePaths
from kefu.org.choices import DataScope, DepartmentKind


class CodedModel(TimeStampedModel):
    """An org unit known by an SAP-style code (e.g. F011, 4002, S4002) and a name."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SalesOrganization(CodedModel):
    """Sales organisation 销售组织: a branch 分公司, e.g. F011."""

    class Meta(CodedModel.Meta):
        verbose_name = _("sales organisation")
        verbose_name_plural = _("sales organisations")


class DistributionChannel(CodedModel):
    """Distribution channel 分销渠道, e.g. 10 direct."""

    class Meta(CodedModel.Meta):
        verbose_name = _("distribution channel")
        verbose_name_plural = _("distribution channels")


class Division(CodedModel):
    """Division 产品组, e.g. 02 furniture service."""

    class Meta(CodedModel.Meta):
        verbose_name = _("division")
        verbose_name_plural = _("divisions")


class BusinessArea(CodedModel):
    """Business area 业务范围, e.g. 1001, 1002."""

    class Meta(CodedModel.Meta):
        verbose_name = _("business area")
        verbose_name_plural = _("business areas")


class Department(CodedModel):
    """A department 部门 that receives work by mail (客服部, 区物流, 总部, 品管 …)."""

    kind = models.CharField(
        _("kind"), max_length=32, choices=DepartmentKind.choices, default=DepartmentKind.OTHER
    )
    mailbox = models.EmailField(
        _("mailbox"), blank=True, help_text=_("Where work sent to this department goes.")
    )
    sales_organization = models.ForeignKey(
        SalesOrganization,
        verbose_name=_("sales organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    head = models.ForeignKey(
        "org.Staff",
        verbose_name=_("head"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta(CodedModel.Meta):
        verbose_name = _("department")
        verbose_name_plural = _("departments")


class SalesOffice(CodedModel):
    """Sales office 销售办事处 = responsibility centre 责任中心 (e.g. 4002): the unit of data scope."""

    sales_organization = models.ForeignKey(
        SalesOrganization,
        verbose_name=_("sales organisation"),
        on_delete=models.PROTECT,
        related_name="offices",
    )
    business_area = models.ForeignKey(
        BusinessArea, verbose_name=_("business area"), on_delete=models.PROTECT, null=True, blank=True
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("customer service department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )

    class Meta(CodedModel.Meta):
        verbose_name = _("responsibility centre")
        verbose_name_plural = _("responsibility centres")


class SalesGroup(CodedModel):
    """Sales group 销售组 / liaison office 联络处 within a sales office (e.g. 002)."""

    sales_office = models.ForeignKey(
        SalesOffice, verbose_name=_("responsibility centre"), on_delete=models.PROTECT, related_name="groups"
    )

    class Meta(CodedModel.Meta):
        verbose_name = _("sales group")
        verbose_name_plural = _("sales groups")


class WorkCentre(CodedModel):
    """Work centre 工作中心 (e.g. S4002): the unit that handles a notification."""

    sales_office = models.ForeignKey(
        SalesOffice,
        verbose_name=_("responsibility centre"),
        on_delete=models.PROTECT,
        related_name="work_centres",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta(CodedModel.Meta):
        verbose_name = _("work centre")
        verbose_name_plural = _("work centres")


class Role(models.Model):
    """A role 角色 is a Django group plus how far its members see (data scope)."""

    group = models.OneToOneField(
        Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="role"
    )
    code = models.CharField(_("code"), max_length=40, unique=True)
    data_scope = models.CharField(
        _("data scope"), max_length=16, choices=DataScope.choices, default=DataScope.CENTRE
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.group.name


class StaffQuerySet(ScopedQuerySet):
    scope_paths = ScopePaths(office="sales_offices", work_centre="work_centres", owner_user="user", many=True)


class Staff(TimeStampedModel):
    """A staff member 员工 with a personnel number (e.g. 202 王敏) and the centres they work for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("login"), on_delete=models.CASCADE, related_name="staff"
    )
    personnel_number = models.CharField(_("personnel number"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    title = models.CharField(_("job title"), max_length=60, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    sales_offices = models.ManyToManyField(
        SalesOffice, verbose_name=_("responsibility centres"), blank=True, related_name="staff"
    )
    work_centres = models.ManyToManyField(
        WorkCentre, verbose_name=_("work centres"), blank=True, related_name="staff"
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = StaffQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["personnel_number"]
        permissions = [("view_personal_data", _("Can see staff phone numbers and e-mail unmasked"))]

    def __str__(self) -> str:
        return f"{self.personnel_number} {self.name}"
