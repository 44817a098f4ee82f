"""The one customer picker 客户选择 of every form that takes a customer (notifications, complaints,
accidents): a number field that suggests customers in the user's scope as they type a number,
a name or a phone fragment (`customers:autocomplete`, the archive's own search rule)."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


class CustomerPicker(forms.TextInput):
    def __init__(self, attrs: dict | None = None) -> None:
        defaults = {
            "autocomplete": "off",
            "placeholder": _("Number, name or phone"),
            "inputmode": "search",
        }
        super().__init__({**defaults, **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or 'id_' + name}-choices"
        attrs["list"] = list_id
        attrs["data-customer-picker"] = reverse("customers:autocomplete")
        field = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}"></datalist>', field, list_id)
