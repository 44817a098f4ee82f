from django.db import models
from django.utils.translation import gettext_lazy as _


class Nature(models.TextChoices):
    """客户性质"""

    ORGANISATION = "organisation", _("Organisation")  # 单位客户
    INDIVIDUAL = "individual", _("Individual")  # 个人客户
