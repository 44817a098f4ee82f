from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    INTERNAL = "internal", _("Internal (staff only)")  # 内部
    PUBLIC = "public", _("Public (customers too)")  # 公开
