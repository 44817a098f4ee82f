"""Forms of the complaint desk. They parse and validate input; services do the writing."""

from __future__ import annotations

from django import forms
from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _

from kefu.complaints.flows import ACCIDENT_INPUTS, COMPLAINT_INPUTS
from kefu.complaints.models import (
    Accident,
    AccidentAction,
    Carrier,
    CarrierAppraisal,
    CarrierTraining,
    Complaint,
    ComplaintFollowUp,
)
from kefu.core.forms import Form, ModelForm, bootstrap
from kefu.core.pickers import PickerInput, attach
from kefu.core.privacy import WriteOnlyPersonalData
from kefu.core.scoping import ScopedQuerySet
from kefu.customers.widgets import CustomerPicker
from kefu.org.models import Department, SalesOffice, Staff
from kefu.worktime import clock

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CustomerNumberField(forms.CharField):
    """A customer by number 客户编号, looked up inside the user's scope (no list of a million)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("label", _("Customer number"))
        kwargs.setdefault("widget", CustomerPicker())
        super().__init__(*args, **kwargs)
        self.user = None

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        from kefu.customers.models import Customer

        customer = Customer.objects.visible_to(self.user).filter(number=value.strip()).first()
        if customer is None:  # unknown or another centre's: the same answer, naming the field
            raise forms.ValidationError(
                _("%(field)s: no customer with number %(number)s in your scope."),
                code="out_of_scope",
                params={"field": self.label, "number": value.strip()},
            )
        return customer


class ScopedForm(WriteOnlyPersonalData, ModelForm):
    """A model form that knows its user, so lookups stay inside the user's data scope and a
    masked reader edits personal fields write-only (the stored value never reaches the page)."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            from kefu.complaints.queries import can_see_personal_data

            self.make_write_only(user is None or not can_see_personal_data(user))
        for field in self.fields.values():
            if isinstance(field, CustomerNumberField):
                field.user = user
        if "sales_office" in self.fields:
            self.fields["sales_office"].queryset = offices_for(user)
        if "owner" in self.fields:
            self.fields["owner"].queryset = Staff.objects.visible_to(user).filter(is_active=True)
            attach(self.fields["owner"], "staff")  # F4: personnel number, name or pinyin initials
        if "reported_to" in self.fields:
            attach(self.fields["reported_to"], "staff")
        if "handling_department" in self.fields:
            from kefu.org.scope import usable_departments

            self.fields["handling_department"].queryset = (
                usable_departments(user) if user is not None else Department.objects.none()
            )
        if "carrier" in self.fields:
            self.fields["carrier"].queryset = Carrier.objects.exclude(status="suspended")
        if "material" in self.fields:
            # typed by material number (e.g. 100056): the catalogue is too long for a drop-down
            self.fields["material"].to_field_name = "code"
            self.fields["material"].widget = PickerInput(source="material")
            attach(self.fields["material"], "material")  # the refusal names the field
        if "notification" in self.fields:
            qs = self.fields["notification"].queryset
            if isinstance(qs, ScopedQuerySet):
                self.fields["notification"].queryset = qs.visible_to(user)
            self.fields["notification"].widget = forms.NumberInput()
            self.fields["notification"].help_text = _("Internal id of the related service notification.")
        bootstrap(self)


def offices_for(user):
    from kefu.org.scope import scope_for

    scope = scope_for(user)
    qs = SalesOffice.objects.filter(is_active=True)
    return qs if scope.company_wide else qs.filter(pk__in=scope.office_ids)


class ComplaintCreateForm(Form):
    """Receipt of a complaint 受理; a plain form, the service builds and validates the record."""

    FIELDS = [
        "received_at",
        "received_via",
        "subject",
        "contact_name",
        "contact_phone",
        "severity",
        "sales_document",
        "shipment",
        "description",
    ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        customer = CustomerNumberField()
        customer.user = user
        model_fields = forms.fields_for_model(
            Complaint, fields=self.FIELDS, widgets={"received_at": DATETIME, "description": forms.Textarea}
        )
        self.fields = {"customer": customer, **model_fields}
        self.fields["received_at"].required = False
        self.fields["received_at"].help_text = _(
            "Leave empty for now. The 10-minute recording clock starts here."
        )
        if not self.is_bound:
            self.initial.setdefault("received_at", clock.now().astimezone(clock.load_calendar().tz))
        bootstrap(self)


class ComplaintEditForm(ScopedForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Complaint
        fields = [
            "subject",
            "received_via",
            "contact_name",
            "contact_phone",
            "severity",
            "owner",
            "sales_document",
            "shipment",
            "notification",
            "material",
            "material_code",
            "material_name",
            "description",
        ]
        widgets = {"description": forms.Textarea}


def transition_form_class(model, to_code: str, required: list[str]):
    """A form for the inputs of one step; required ones are the transition's, shown with a star."""
    names = (COMPLAINT_INPUTS if model is Complaint else ACCIDENT_INPUTS).get(to_code, [])
    widgets = {
        n: forms.Textarea for n in names if model._meta.get_field(n).get_internal_type() == "TextField"
    }
    base = modelform_factory(model, form=ScopedForm, fields=names, widgets=widgets)

    class StepForm(base):
        version = forms.IntegerField(widget=forms.HiddenInput)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for name, field in self.fields.items():
                if name != "version":
                    field.required = name in required and not isinstance(field.widget, forms.CheckboxInput)
            bootstrap(self)

        def inputs(self) -> dict:
            return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    return StepForm


class FollowUpForm(ModelForm):
    class Meta:
        model = ComplaintFollowUp
        fields = ["via", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class AccidentCreateForm(ScopedForm):
    customer = CustomerNumberField(required=False)

    class Meta:
        model = Accident
        fields = [
            "kind",
            "occurred_at",
            "place",
            "sales_office",
            "shipment",
            "carrier",
            "customer",
            "is_insured",
            "insurer",
            "estimated_loss",
            "responsibility",
            "description",
        ]
        widgets = {"occurred_at": DATETIME, "description": forms.Textarea}


class AccidentEditForm(ScopedForm):
    customer = CustomerNumberField(required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Accident
        fields = [
            "place",
            "shipment",
            "carrier",
            "customer",
            "is_insured",
            "insurer",
            "estimated_loss",
            "final_loss",
            "responsibility",
            "initial_measures",
            "owner",
            "description",
        ]
        widgets = {"description": forms.Textarea, "initial_measures": forms.Textarea}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.customer_id and not self.is_bound:
            self.initial["customer"] = self.instance.customer.number


class AccidentActionForm(ModelForm):
    class Meta:
        model = AccidentAction
        fields = ["method", "counterparty", "amount_claimed", "amount_recovered", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class CarrierForm(ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Carrier
        fields = [
            "code",
            "name",
            "contact_name",
            "phone",
            "address",
            "license_number",
            "transport_modes",
            "service_regions",
            "fleet_size",
            "status",
            "cooperation_since",
            "contract_number",
            "contract_until",
            "insured",
            "notes",
        ]
        widgets = {"cooperation_since": DATE, "contract_until": DATE, "notes": forms.Textarea}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class TrainingForm(ModelForm):
    class Meta:
        model = CarrierTraining
        fields = ["held_on", "topic", "participants", "result"]
        widgets = {"held_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class AppraisalForm(ModelForm):
    class Meta:
        model = CarrierAppraisal
        fields = ["period", "on_time_rate", "damage_rate", "score", "grade", "comment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class PeriodForm(Form):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end must not be before the start."))
        return data
