"""Forms of ratings and surveys."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.complaints.forms import CustomerNumberField
from kefu.core.forms import Form
from kefu.surveys.choices import AnswerKind, Collected

SCORES = [("", "—"), *[(str(i), str(i)) for i in range(1, 6)]]


class RatingForm(Form):
    stars = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=[(str(i), "★" * i) for i in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), widget=forms.Textarea, required=False, max_length=1000
    )


class ResponseForm(Form):
    """One survey's answers: a field (or an expected/perceived pair) per question of the template."""

    customer = CustomerNumberField()
    collected = forms.ChoiceField(label=_("Collected"), choices=Collected.choices)

    def __init__(self, *args, template, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        self.fields["customer"].user = user
        self.questions = list(template.questions.all())
        for q in self.questions:
            if q.kind == AnswerKind.GAP:
                self.fields[f"{q.code}_expected"] = forms.ChoiceField(
                    label=_("%(q)s — expected") % {"q": q.text}, choices=SCORES, required=False
                )
                self.fields[f"{q.code}_perceived"] = forms.ChoiceField(
                    label=_("%(q)s — perceived") % {"q": q.text}, choices=SCORES, required=False
                )
            elif q.kind == AnswerKind.SCALE:
                self.fields[f"{q.code}_value"] = forms.ChoiceField(
                    label=q.text, choices=SCORES, required=False
                )
            else:
                self.fields[f"{q.code}_text"] = forms.CharField(
                    label=q.text, required=False, widget=forms.Textarea
                )
        from kefu.core.forms import bootstrap, guard_text

        guard_text(self)
        bootstrap(self)

    def answers(self) -> dict[str, dict]:
        d = self.cleaned_data
        out: dict[str, dict] = {}
        for q in self.questions:
            if q.kind == AnswerKind.GAP:
                out[q.code] = {
                    "expected": d.get(f"{q.code}_expected"),
                    "perceived": d.get(f"{q.code}_perceived"),
                }
            elif q.kind == AnswerKind.SCALE:
                out[q.code] = {"value": d.get(f"{q.code}_value")}
            else:
                out[q.code] = {"text": d.get(f"{q.code}_text")}
        return out


class AnswerForm(ResponseForm):
    """The customer's own answers from a campaign link: the questions only (who and how are known)."""

    def __init__(self, *args, template, **kwargs):
        super().__init__(*args, template=template, **kwargs)
        del self.fields["customer"]
        del self.fields["collected"]
