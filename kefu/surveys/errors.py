"""Error codes of ratings and surveys (stable, published in the API)."""

from django.utils.translation import gettext_lazy as _

from kefu.core.errors import KefuError


class RatingLinkInvalid(KefuError):
    code = "rating_link_invalid"
    status = 404
    default_message = _("This rating link is not valid. Please use the link from our mail.")


class RatingLinkExpired(KefuError):
    code = "rating_link_expired"
    status = 410
    default_message = _("This rating link has expired.")


class RatingLinkUsed(KefuError):
    code = "rating_link_used"
    status = 409
    default_message = _("This service has already been rated. Thank you!")
