"""The customer picker 客户选择 of every form that takes a customer (notifications, complaints,
accidents): the one picker (kefu.core.pickers, source "customer") with the archive's search rule —
number, name fragment, pinyin initials or phone — in the user's scope; F4 opens its list."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kefu.core.pickers import PickerInput


class CustomerPicker(PickerInput):
    source = "customer"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"placeholder": _("Number, name or phone"), **(attrs or {})})
