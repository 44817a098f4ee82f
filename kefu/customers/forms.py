"""Forms of the customer archive. They parse input; the services validate and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.core.forms import Form, ModelForm, bootstrap
from kefu.core.privacy import WriteOnlyPersonalData
from kefu.customers.choices import Grade
from kefu.customers.models import Contact, Customer, CustomerPartner, ServiceAddress

CUSTOMER_FORM_FIELDS = [
    "number",
    "name",
    "nature",
    "sales_office",
    "responsible",
    "phone",
    "mobile",
    "fax",
    "email",
    "address",
    "postal_code",
    "id_number",
    "region",
    "industry",
    "business_scope",
    "registered_capital",
    "legal_representative",
    "channel",
    "relation",
    "maturity",
    "cooperation_since",
    "needs",
    "credit_rating",
    "credit_limit",
    "payment_behaviour",
    "credit_notes",
    "is_key_account",
    "key_account_manager",
    "volume",
    "satisfaction",
    "loyalty",
    "is_active",
]


class CustomerForm(WriteOnlyPersonalData, ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Customer
        fields = CUSTOMER_FORM_FIELDS
        widgets = {
            "cooperation_since": forms.DateInput(attrs={"type": "date"}),
            "business_scope": forms.Textarea(attrs={"rows": 2}),
            "needs": forms.Textarea(attrs={"rows": 2}),
            "credit_notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, masked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        from kefu.org.models import SalesOffice, Staff

        self.make_write_only(masked)

        self.fields["number"].required = False
        self.fields["number"].help_text = _("Leave empty to have the system assign the next number.")
        if self.instance.pk:
            self.fields["number"].disabled = True
            self.fields["version"].initial = self.instance.version
            # Without the version read, a save could overwrite a colleague's change unseen.
            self.fields["version"].required = True
            self.fields["version"].error_messages["required"] = _(
                "The form is out of date: reload the page and enter your change again."
            )
        offices = SalesOffice.objects.filter(is_active=True)
        staff = Staff.objects.filter(is_active=True)
        if user is not None:
            from kefu.org.scope import scope_for

            scope = scope_for(user)
            if not scope.company_wide:
                offices = offices.filter(pk__in=scope.office_ids)
            staff = Staff.objects.visible_to(user).filter(is_active=True)
        self.fields["sales_office"].queryset = offices
        self.fields["responsible"].queryset = staff
        self.fields["key_account_manager"].queryset = staff
        bootstrap(self)

    def _post_clean(self):
        # Model validation happens in the service, which names every field; skip the ModelForm's.
        pass

    def changes(self, *, skip: tuple[str, ...] = ("version", "number")) -> dict:
        return super().changes(skip=skip)


class ContactForm(WriteOnlyPersonalData, ModelForm):
    # The customer's version when the form was opened: a change saved meanwhile is refused (409).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Contact
        fields = ["name", "position", "phone", "mobile", "email", "is_primary"]

    def __init__(self, *args, masked: bool = False, customer: Customer | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.make_write_only(masked)
        _versioned(self, customer)
        bootstrap(self)

    def _post_clean(self):
        pass


def _versioned(form: forms.ModelForm, customer: Customer | None) -> None:
    """An edit of a sub-record carries the customer's version; a form posted without it is refused."""
    if customer is not None:
        form.fields["version"].initial = customer.version
    form.fields["version"].required = form.instance.pk is not None
    form.fields["version"].error_messages["required"] = _(
        "The form is out of date: reload the page and enter your change again."
    )


class ServiceAddressForm(WriteOnlyPersonalData, ModelForm):
    # The customer's version when the form was opened: a change saved meanwhile is refused (409).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ServiceAddress
        fields = [
            "code",
            "name",
            "address",
            "postal_code",
            "region",
            "contact_name",
            "contact_phone",
            "is_default",
        ]

    def __init__(self, *args, masked: bool = False, customer: Customer | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.make_write_only(masked)
        _versioned(self, customer)
        bootstrap(self)

    def _post_clean(self):
        pass


class PartnerForm(Form):
    function = forms.ChoiceField(
        label=_("Partner function"), choices=CustomerPartner._meta.get_field("function").choices
    )
    partner_number = forms.CharField(label=_("Partner customer number"), max_length=10)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class RevealForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, min_length=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class GradeOverrideForm(Form):
    grade = forms.ChoiceField(
        label=_("Grade"), choices=[("", _("By the rules")), *Grade.choices], required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ImportForm(Form):
    KINDS = [
        ("customers", _("Customers")),
        ("contacts", _("Contacts")),
        ("addresses", _("Service addresses")),
        ("sales", _("Monthly sales (sales-value feed)")),
    ]
    kind = forms.ChoiceField(label=_("What the file holds"), choices=KINDS)
    file = forms.FileField(label=_("File (.xlsx or .csv, UTF-8 or GBK)"))
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=[
            ("dry_run", _("Check only (dry run)")),
            ("all_or_nothing", _("Import if the whole file is valid")),
            ("valid_only", _("Import the valid rows only")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not (name.endswith(".xlsx") or name.endswith(".csv")):
            raise forms.ValidationError(_("Upload an .xlsx or a .csv file."))
        return upload
