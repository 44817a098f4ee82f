"""Forms of the notification pages; they only parse — services validate and write."""

from __future__ import annotations

from functools import partial

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.core.forms import Form, ModelForm, bootstrap, look_up_with, scope_choices
from kefu.core.pickers import attach
from kefu.core.privacy import WriteOnlyPersonalData
from kefu.customers.widgets import CustomerPicker
from kefu.tickets.models import Notification

HEADER_FIELDS = [
    "type",
    "reference_notification",
    "description",
    "customer",
    "sold_to",
    "reporter",
    "reference_document",
    "reference_date",
    "notification_date",
    "required_start",
    "required_end",
    "work_centre",
    "responsible",
    "sales_organization",
    "distribution_channel",
    "division",
    "sales_office",
    "sales_group",
    "business_area",
    "functional_location",
    "object_address",
    "contact_name",
    "contact_phone",
    "priority",
    "urgent",
    "payment_status",
]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NotificationForm(WriteOnlyPersonalData, ModelForm):
    long_text = forms.CharField(
        label=_("Long text"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Notification
        fields = HEADER_FIELDS
        widgets = {
            "reference_date": DATE,
            "notification_date": DATE,
            "required_start": DATE,
            "required_end": DATE,
        }

    def clean_notification_date(self):
        from django.utils import timezone

        value = self.cleaned_data.get("notification_date")
        return value or self.instance.notification_date or timezone.localdate()

    def __init__(self, *args, user=None, editing: bool = False, masked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        from kefu.customers.models import Customer
        from kefu.org.scope import (
            assignable_staff,
            usable_offices,
            usable_sales_groups,
            usable_work_centres,
        )
        from kefu.tickets.queries import customer_by_number

        def customers():
            qs = Customer.objects.visible_to(user) if user is not None else Customer.objects.none()
            # The defaults of a new notification read these from the customer: one query, not five.
            return qs.select_related(
                "sales_office__sales_organization", "sales_office__business_area", "responsible"
            )

        if user is not None:  # a posted number is found by the same scoped lookup as the API's
            for name in ("customer", "sold_to"):
                look_up_with(self.fields[name], partial(customer_by_number, user))
        self.fields["customer"].widget = CustomerPicker()
        self.fields["customer"].to_field_name = "number"
        self.fields["customer"].label = _("Ship-to party (customer number)")
        self.fields["sold_to"].widget = forms.TextInput()
        self.fields["sold_to"].to_field_name = "number"
        self.fields["sold_to"].label = _("Sold-to party (customer number)")
        self.fields["reference_notification"].widget = forms.TextInput()
        self.fields["reference_notification"].to_field_name = "number"
        # Scoped choices, built only where needed: a post leaves most of them empty.
        scope_choices(
            self,
            {
                "customer": customers,
                "sold_to": customers,
                "reference_notification": lambda: Notification.objects.visible_to(user),
                "responsible": lambda: assignable_staff(user),
                "work_centre": lambda: usable_work_centres(user),
                "sales_office": lambda: usable_offices(user),
                "sales_group": lambda: usable_sales_groups(user),
            },
        )
        attach(self.fields["responsible"], "staff")  # F4: personnel number, name or pinyin initials
        attach(self.fields["work_centre"], "work_centre")
        self.fields["type"].required = False
        # 通知日期: today unless the call is entered later; left empty keeps the stored (or today's) date.
        self.fields["notification_date"].required = False
        self.fields["type"].help_text = _(
            "Left empty: proposed from the payment status (Z1 paid, Z2 not paid)."
        )
        for name in ("work_centre", "sales_organization", "distribution_channel", "division", "sales_office"):
            self.fields[name].required = False
            self.fields[name].help_text = _("Left empty: taken from the customer and your organisation.")
        if editing:
            for name in ("type", "long_text"):
                self.fields.pop(name)
            for name in self.fields:
                if name not in ("version",) and self.instance.pk and name in ("customer",):
                    self.initial[name] = self.instance.customer.number
            if self.instance.sold_to_id:
                self.initial["sold_to"] = self.instance.sold_to.number
            if self.instance.reference_notification_id:
                self.initial["reference_notification"] = self.instance.reference_notification.number
            self.initial["version"] = self.instance.version
            self.make_write_only(masked)
        bootstrap(self)

    def _post_clean(self):  # the service validates the model; the form only parses
        pass


class TextForm(Form):
    text = forms.CharField(label=_("Add to the long text"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ItemForm(Form):
    product_type = forms.CharField(label=_("Product type"), required=False)
    colour = forms.CharField(label=_("Colour code"), required=False)
    material = forms.CharField(label=_("Material"), required=False)
    quantity = forms.DecimalField(label=_("Quantity"), required=False, initial=1, min_value=0.01)
    reason = forms.CharField(label=_("Reason code"), required=False)
    reason_text = forms.CharField(label=_("Reason text"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, listname in (
            ("product_type", "dl-ptype"),
            ("colour", "dl-colour"),
            ("material", "dl-material"),
            ("reason", "dl-reason"),
        ):
            self.fields[name].widget.attrs["list"] = listname
            attach(self.fields[name], name)  # F4 on the code (the datalist stays the type-ahead)
        bootstrap(self)


class AttachmentForm(Form):
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class MailForm(Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=None, required=False)
    to = forms.CharField(label=_("Or e-mail addresses"), required=False, help_text=_("Separate with commas."))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from kefu.org.models import Department
        from kefu.org.scope import usable_departments

        departments = usable_departments(user) if user is not None else Department.objects.none()
        self.fields["department"].queryset = departments.exclude(mailbox="")
        bootstrap(self)


# --- 跨部门协作 cross-department disputes (seed 004) -------------------------------------------
def _active_departments():
    from kefu.org.models import Department

    return Department.objects.filter(is_active=True).order_by("code")


class DisputeForm(Form):
    """A disagreement between departments, submitted to the office 办公室."""

    notification = forms.CharField(label=_("Notification"), max_length=20)
    requesting_department = forms.ModelChoiceField(
        label=_("Requesting department"), queryset=None, to_field_name="code"
    )
    other_departments = forms.ModelMultipleChoiceField(
        label=_("Departments in disagreement"),
        queryset=None,
        to_field_name="code",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    issue = forms.CharField(label=_("Disagreement"), widget=forms.Textarea(attrs={"rows": 3}))
    positions = forms.CharField(
        label=_("Positions of the departments"), widget=forms.Textarea(attrs={"rows": 4})
    )
    supervising_department = forms.ModelChoiceField(
        label=_("Supervising department"), queryset=None, to_field_name="code", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("requesting_department", "other_departments", "supervising_department"):
            self.fields[name].queryset = _active_departments()  # type: ignore[attr-defined]
        bootstrap(self)


class DisputeRulingForm(Form):
    """The office's ruling: who is responsible, and what is decided."""

    ruling = forms.CharField(label=_("Ruling"), widget=forms.Textarea(attrs={"rows": 4}))
    responsible_department = forms.ModelChoiceField(
        label=_("Responsible department (ruled)"), queryset=None, to_field_name="code"
    )
    responsible = forms.ModelChoiceField(
        label=_("Person responsible (ruled)"), queryset=None, to_field_name="personnel_number"
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from kefu.org.models import Staff
        from kefu.org.scope import assignable_staff

        self.fields["responsible_department"].queryset = _active_departments()  # type: ignore[attr-defined]
        self.fields["responsible"].queryset = (  # type: ignore[attr-defined]
            assignable_staff(user) if user is not None else Staff.objects.none()
        )
        attach(self.fields["responsible"], "staff", value="code")  # the field takes the personnel number
        bootstrap(self)

    def inputs(self) -> dict:
        data = self.cleaned_data
        return {
            "ruling": data["ruling"],
            "responsible_department": data["responsible_department"].code,
            "responsible": data["responsible"].personnel_number,
        }


class DisputeWithdrawForm(Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def inputs(self) -> dict:
        return {"reason": self.cleaned_data["reason"]}
