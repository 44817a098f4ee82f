"""Forms of the customer portal (Chinese first; every message names its field)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from kefu.core.forms import Form, bootstrap
from kefu.portal.choices import RequestKind


class PortalLoginForm(AuthenticationForm):
    """A customer contact logs in with the e-mail address they were invited with."""

    username = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True}))
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean(self):
        from kefu.portal.services import USERNAME_PREFIX

        email = (self.cleaned_data.get("username") or "").strip().lower()
        if email:
            self.cleaned_data["username"] = f"{USERNAME_PREFIX}{email}"
        return super().clean()

    def confirm_login_allowed(self, user) -> None:
        """Only customer users log in here; staff use the staff login."""
        from kefu.org.scope import scope_for

        super().confirm_login_allowed(user)
        if not scope_for(user).is_customer:
            raise forms.ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": _("e-mail")},
            )


class SetPasswordForm(Form):
    password = forms.CharField(label=_("New password"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Repeat the password"), strip=False, widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        return data


class CodeRequestForm(Form):
    """Step one of the login by mailed code: the address the code goes to."""

    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True}))


class CodeLoginForm(Form):
    """Step two: the six digits from the mail."""

    email = forms.EmailField(label=_("E-mail"))
    code = forms.CharField(
        label=_("Login code"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9]{6}",
            }
        ),
    )


class ChangePasswordForm(SetPasswordForm):
    """A new portal password; the current one is asked unless the session began with a code."""

    current_password = forms.CharField(label=_("Current password"), strip=False, widget=forms.PasswordInput)
    field_order = ["current_password", "password", "password2"]

    def __init__(self, *args, ask_current: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not ask_current:
            del self.fields["current_password"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class RequestForm(Form):
    kind = forms.ChoiceField(label=_("What do you need?"), choices=RequestKind.choices)
    address = forms.TypedChoiceField(label=_("Service address"), coerce=int, required=False, empty_value=None)
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        widget=forms.Textarea(
            attrs={"rows": 5, "placeholder": _("What happened? Which product? Since when?")}
        ),
    )
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        help_text=_("Up to 6 photos, at most 10 MB each."),
    )

    def __init__(self, *args, addresses=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["address"].choices = [(a.pk, f"{a.name} · {a.address}") for a in addresses]
        self.fields["address"].required = bool(addresses)
        from django.urls import reverse

        # Suggested articles while the customer types (kefu.knowledge, public articles only).
        self.fields["description"].widget.attrs.update(
            {
                "hx-get": reverse("portal:kb_suggest"),
                "hx-trigger": "input changed delay:400ms",
                "hx-sync": "this:replace",  # a newer keystroke cancels the request in flight
                "hx-target": "#suggestions",
            }
        )


class MessageForm(Form):
    body = forms.CharField(label=_("Message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class InviteForm(Form):
    email = forms.EmailField(label=_("E-mail"))
