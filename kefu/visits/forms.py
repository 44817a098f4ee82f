"""Forms of visits and receptions: the one Form base, scoped pickers, errors next to the fields."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.complaints.forms import CustomerNumberField
from kefu.core.forms import Form, ModelForm
from kefu.core.pickers import attach
from kefu.visits.choices import FollowUpKind, Method, Purpose
from kefu.visits.models import VisitRule

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FOLLOW_UP_ROWS = 2


class UserForm(Form):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field, CustomerNumberField):
                field.user = user


def _owners(user):
    from kefu.org.scope import assignable_staff

    return assignable_staff(user)


class RecordVisitForm(UserForm):
    """The visit record and customer data card 客户资料卡, and the problems found."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    performed_at = forms.DateTimeField(label=_("Visited at"), required=False, widget=DATETIME)
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    contact_person = forms.CharField(label=_("Spoke with"), max_length=50, required=False)
    summary = forms.CharField(label=_("What was said"), widget=forms.Textarea)
    needs = forms.CharField(label=_("Needs and plans"), widget=forms.Textarea, required=False)
    satisfaction = forms.TypedChoiceField(
        label=_("Satisfaction"),
        choices=[("", "—"), *[(i, "★" * i) for i in range(5, 0, -1)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    card_position = forms.CharField(label=_("Contact's position"), max_length=50, required=False)
    card_contact_phone = forms.CharField(label=_("Contact's phone"), max_length=30, required=False)
    card_business = forms.CharField(label=_("Business situation"), max_length=200, required=False)
    card_volume_outlook = forms.CharField(label=_("Volume outlook"), max_length=200, required=False)
    card_next_contact = forms.CharField(label=_("Next contact"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        owners = _owners(self.user)
        for i in range(1, FOLLOW_UP_ROWS + 1):
            self.fields[f"fu{i}_kind"] = forms.ChoiceField(
                label=_("Problem %(n)s becomes") % {"n": i}, choices=FollowUpKind.choices, required=False
            )
            self.fields[f"fu{i}_description"] = forms.CharField(
                label=_("Problem %(n)s") % {"n": i}, max_length=200, required=False
            )
            self.fields[f"fu{i}_owner"] = attach(
                forms.ModelChoiceField(
                    label=_("Owner of problem %(n)s") % {"n": i}, queryset=owners, required=False
                ),
                "staff",
            )
        from kefu.core.forms import bootstrap, guard_text

        guard_text(self)
        bootstrap(self)

    def card(self) -> dict:
        d = self.cleaned_data
        card = {k[5:]: d.get(k) or "" for k in d if k.startswith("card_")}
        card["contact_name"] = d.get("contact_person") or ""
        return card

    def follow_ups(self) -> list[dict]:
        d = self.cleaned_data
        rows = []
        for i in range(1, FOLLOW_UP_ROWS + 1):
            if (d.get(f"fu{i}_description") or "").strip():
                rows.append(
                    {
                        "kind": d.get(f"fu{i}_kind") or FollowUpKind.NOTIFICATION,
                        "description": d[f"fu{i}_description"],
                        "owner": d.get(f"fu{i}_owner"),
                    }
                )
        return rows


class PlanVisitForm(UserForm):
    customer = CustomerNumberField()
    due_at = forms.DateTimeField(label=_("Due"), widget=DATETIME)
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _owners(self.user)
        attach(self.fields["owner"], "staff")  # F4: personnel number, name or pinyin initials


class RuleForm(ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # a change names the version it was made on
            self.initial["version"] = self.instance.version
            self.fields["version"].required = True
        from kefu.customers.queries import current_segment_run

        # The current run's segments, and the one the rule already names (possibly older).
        run = current_segment_run()
        segment = self.fields["segment"]
        qs = segment.queryset.filter(run=run) if run is not None else segment.queryset.none()
        if self.instance.segment_id:
            qs = segment.queryset.filter(pk=self.instance.segment_id) | qs
        segment.queryset = qs.order_by("run", "number")

    class Meta:
        model = VisitRule
        fields = [
            "name",
            "trigger",
            "tier",
            "grade",
            "segment",
            "min_months",
            "max_months",
            "every_months",
            "method",
            "due_workdays",
            "owner_from",
            "order",
            "is_active",
        ]


class PeriodForm(Form):
    start = forms.DateField(label=_("From"), widget=DATE, required=False)
    end = forms.DateField(label=_("To"), widget=DATE, required=False)

    def period(self, today: date) -> tuple[date, date]:
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("start") or today.replace(day=1)
        end = data.get("end") or today
        if end < start:
            start, end = end, start
        if (end - start).days > 731:
            start = end - timedelta(days=731)
        return start, end


class ReceptionForm(UserForm):
    customer = CustomerNumberField()
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    started_at = forms.DateTimeField(label=_("Arrived at"), widget=DATETIME)
    ended_at = forms.DateTimeField(label=_("Left at"), widget=DATETIME, required=False)
    visitors = forms.CharField(label=_("Visitors"), max_length=200)
    attendees = forms.CharField(label=_("Our attendees"), max_length=200, required=False)
    conversation = forms.CharField(label=_("Conversation"), widget=forms.Textarea)
    answers = forms.CharField(label=_("Answers given"), widget=forms.Textarea, required=False)
    contacts_confirmed = forms.BooleanField(
        label=_("Contact details confirmed with the customer"), required=False
    )
    cost = forms.DecimalField(
        label=_("Reception cost (CNY)"), min_value=0, max_digits=12, decimal_places=2, initial=0
    )
    question1 = forms.CharField(label=_("Open question 1"), max_length=200, required=False)
    deadline1 = forms.DateField(label=_("Answer by"), widget=DATE, required=False)
    question2 = forms.CharField(label=_("Open question 2"), max_length=200, required=False)
    deadline2 = forms.DateField(label=_("Answer by"), widget=DATE, required=False)

    def questions(self) -> list[dict]:
        d = self.cleaned_data
        return [
            {"question": d.get(f"question{i}"), "deadline": d.get(f"deadline{i}")}
            for i in (1, 2)
            if (d.get(f"question{i}") or "").strip()
        ]

    def fields_for_service(self) -> dict:
        d = dict(self.cleaned_data)
        for name in ("customer", "question1", "deadline1", "question2", "deadline2"):
            d.pop(name, None)
        if d.get("cost") is None:
            d["cost"] = 0
        return d


class StepForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    review_note = forms.CharField(
        label=_("Review note"), max_length=300, required=False, widget=forms.Textarea
    )


class AnswerForm(Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea)
