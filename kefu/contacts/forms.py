"""Forms of the agent: handover slip, wrap-up along seed 003's call flows, outbound attempt."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.contacts.choices import AttemptOutcome, Classification, Direction, Resolution
from kefu.core.forms import Form

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

# Seed 003: 呼入 — 问候, 确认客户身份, 了解需求, 分类, 解决或转交, 结束; 呼出 — 准备, 拨打, 记录, 跟进.
INBOUND_STEPS = [
    ("greeted", _("Greeted the caller")),
    ("identified", _("Identified the customer")),
    ("understood", _("Understood the need")),
    ("classified", _("Classified the request")),
    ("resolved_or_handed", _("Resolved it or handed it over")),
    ("closed", _("Closed the call politely")),
]
OUTBOUND_STEPS = [
    ("prepared", _("Prepared (customer data, purpose, script)")),
    ("called", _("Called and introduced myself")),
    ("recorded", _("Recorded the answers")),
    ("followed_up", _("Follow-up arranged")),
]


def staff_choices(user):
    from kefu.org.models import Staff

    return Staff.objects.filter(is_active=True, user__is_active=True).order_by("personnel_number")


class HandoverForm(Form):
    to_staff = forms.ModelChoiceField(label=pgettext_lazy("contacts", "To"), queryset=None)
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea, max_length=1000)
    due_at = forms.DateTimeField(label=_("Answer by"), widget=DATETIME)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_staff"].queryset = staff_choices(user)


class WrapUpForm(Form):
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    classification = forms.ChoiceField(label=_("Classification"), choices=Classification.choices)
    resolution = forms.ChoiceField(label=_("Resolution"), choices=Resolution.choices)
    note = forms.CharField(label=_("Wrap-up note"), widget=forms.Textarea, required=False, max_length=4000)
    handover_to = forms.ModelChoiceField(label=_("Hand over to"), queryset=None, required=False)
    handover_reason = forms.CharField(label=_("Why"), required=False, max_length=1000)
    handover_due = forms.DateTimeField(label=_("Answer by"), widget=DATETIME, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, direction: str = Direction.INBOUND, **kwargs):
        super().__init__(*args, **kwargs)
        self.step_names = []
        steps = OUTBOUND_STEPS if direction == Direction.OUTBOUND else INBOUND_STEPS
        for name, label in steps:
            self.fields[f"step_{name}"] = forms.BooleanField(label=label, required=False)
            self.step_names.append(name)
        self.fields["handover_to"].queryset = staff_choices(user)
        from kefu.core.forms import bootstrap

        bootstrap(self)

    def step_fields(self):
        return [self[f"step_{name}"] for name in self.step_names]

    def clean(self):
        data = super().clean()
        if data.get("resolution") == Resolution.HANDED_OVER:
            for name in ("handover_to", "handover_reason", "handover_due"):
                if not data.get(name):
                    self.add_error(name, _("Needed to hand the contact over."))
        return data

    def steps(self) -> dict:
        return {name: bool(self.cleaned_data.get(f"step_{name}")) for name in self.step_names}


class AttemptForm(Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=AttemptOutcome.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea)
    retry_at = forms.DateTimeField(
        label=_("Call again at"),
        widget=DATETIME,
        required=False,
        help_text=_("Empty: after the list's retry time. Moved into the list's calling hours."),
    )


class SimulateForm(Form):
    number = forms.CharField(label=_("Caller number"), max_length=30)


class CallListForm(Form):
    """A new outbound call list 外呼任务 from a selection (the owning apps choose the customers)."""

    purpose = forms.ChoiceField(label=pgettext_lazy("contacts", "Purpose"), choices=[])
    sales_office = forms.ModelChoiceField(label=_("Responsibility centre"), queryset=None)
    agents = forms.ModelMultipleChoiceField(label=_("Agents"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    days = forms.IntegerField(
        label=_("Days"),
        min_value=0,
        max_value=366,
        initial=7,
        help_text=_(
            "Visits due within, services closed within, or quotations waiting longer than this many days."
        ),
    )
    calling_from = forms.TimeField(
        label=_("Call from"), initial="09:00", widget=forms.TimeInput(attrs={"type": "time"})
    )
    calling_until = forms.TimeField(
        label=_("Call until"), initial="18:00", widget=forms.TimeInput(attrs={"type": "time"})
    )
    working_days_only = forms.BooleanField(label=_("Working days only"), required=False, initial=True)
    retry_minutes = forms.IntegerField(
        label=_("Retry after (minutes)"), min_value=5, max_value=10080, initial=120
    )
    max_attempts = forms.IntegerField(label=_("Attempts at most"), min_value=1, max_value=20, initial=3)
    script = forms.CharField(label=_("Call script"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        from kefu.contacts.choices import ListPurpose
        from kefu.org.scope import assignable_staff, usable_offices

        self.fields["purpose"].choices = [c for c in ListPurpose.choices if c[0] != ListPurpose.OTHER]
        self.fields["sales_office"].queryset = usable_offices(user)
        staff_users = assignable_staff(user).values("user_id")
        self.fields["agents"].queryset = (
            get_user_model()
            .objects.filter(pk__in=staff_users)
            .filter(groups__permissions__codename="answer_call")
            .distinct()
            .order_by("username")
        )
        self.fields["agents"].label_from_instance = lambda u: (
            f"{getattr(getattr(u, 'staff', None), 'name', '')} {u.username}"
        )
        from kefu.core.forms import bootstrap

        bootstrap(self)

    def clean(self):
        data = super().clean()
        start, end = data.get("calling_from"), data.get("calling_until")
        if start and end and start >= end:
            self.add_error("calling_until", _("The end of the calling hours must come after their start."))
        return data
