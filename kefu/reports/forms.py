"""Forms of management reports: period selections, the supervisor's rating, sign-off, weekly report."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core.forms import Form
from kefu.reports.queries import MAX_DAYS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(Form):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        for name, value in (("start", start), ("end", end)):
            if value and not (date(2000, 1, 1) <= value <= date(2100, 12, 31)):
                self.add_error(name, _("Enter a date between 2000 and 2100."))
                return data
        if start and end:
            if end < start:
                self.add_error("end", _("The end must not be before the start."))
            elif (end - start).days >= MAX_DAYS:
                self.add_error("end", _("Choose at most %(days)s days.") % {"days": MAX_DAYS})
        return data


class MonthField(forms.CharField):
    """A month as YYYY-MM; cleaned to its first day."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 7)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "month"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", value.strip())
        if not match or not (1 <= int(match.group(2)) <= 12) or not (2000 <= int(match.group(1)) <= 2100):
            raise forms.ValidationError(_("Enter a month as YYYY-MM, e.g. 2026-11."))
        return date(int(match.group(1)), int(match.group(2)), 1)


class MonthForm(Form):
    period = MonthField(label=_("Month"))


class RateForm(Form):
    """The supervisor's points for the attitude and ability items (table 2-7) of one card."""

    comment = forms.CharField(label=_("Supervisor's comment"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        for line in items:
            indicator = line.indicator
            self.fields[f"item_{indicator.code}"] = forms.DecimalField(
                label=f"{indicator.display_name} (0–{indicator.weight})",
                required=False,
                min_value=0,
                max_value=indicator.weight,
                decimal_places=2,
                max_digits=7,
                initial=line.value,
            )
        from kefu.core.forms import bootstrap

        bootstrap(self)

    def points(self) -> dict:
        return {
            name.removeprefix("item_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("item_")
        }


class SignForm(Form):
    comment = forms.CharField(label=_("Your comment"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class WeeklyForm(Form):
    done = forms.CharField(
        label=pgettext_lazy("reports", "Work done"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    problems = forms.CharField(
        label=_("Problems and customer feedback"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    plan = forms.CharField(
        label=_("Plan for next week"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
