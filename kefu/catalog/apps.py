from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "kefu.catalog"
    label = "catalog"
    verbose_name = _("Code catalogues")

    def ready(self) -> None:
        from kefu.catalog.models import ColourCode, Material, ProductType, ReasonCode
        from kefu.core import buffer

        buffer.watch(ProductType, ColourCode, Material, ReasonCode)  # codes are looked up by every item
