from django.db import models
from django.utils.translation import gettext_lazy as _


class DataScope(models.TextChoices):
    """How far a role sees: the whole company, its responsibility/work centres, or its own records."""

    COMPANY = "company", _("Whole company")
    CENTRE = "centre", _("Own responsibility and work centres")
    OWN = "own", _("Own records only")


class DepartmentKind(models.TextChoices):
    CUSTOMER_SERVICE = "customer_service", _("Customer service")  # 客服部
    REGIONAL_LOGISTICS = "regional_logistics", _("Regional logistics")  # 区物流
    HEADQUARTERS = "headquarters", _("Headquarters")  # 总部
    MARKETING = "marketing", _("Marketing centre")  # 营销中心
    QUALITY = "quality", _("Quality")  # 品管
    ECOMMERCE = "ecommerce", _("E-commerce")  # 电商部
    PURCHASING = "purchasing", _("Purchasing")  # 采购
    AUDIT = "audit", _("Audit")  # 审计部
    OTHER = "other", _("Other")
