from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.core.forms import Form


class TokenForm(Form):
    name = forms.CharField(
        label=_("Name"), max_length=60, help_text=_("What will use the token, e.g. 'ERP sync'.")
    )
    days_valid = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=3650,
        required=False,
        help_text=_("Empty: until revoked."),
    )
