from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "kefu.customers"
    label = "customers"
    verbose_name = _("Customer archive")

    def ready(self) -> None:
        from kefu.core import buffer
        from kefu.customers.models import Segment, SegmentRun

        buffer.watch(SegmentRun, Segment)  # the segment filter's choices, on every customer list
