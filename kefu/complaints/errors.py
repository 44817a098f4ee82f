"""Error codes of complaints and accidents (stable, published in the API)."""

from django.utils.translation import gettext_lazy as _

from kefu.core.errors import KefuError


class NotAQualityComplaint(KefuError):
    code = "not_a_quality_complaint"
    status = 400
    default_message = _("Only a product-quality complaint with a material can be passed to quality.")


class ComplaintClosed(KefuError):
    code = "complaint_closed"
    status = 409
    default_message = _("This record is closed; it can no longer be changed.")
