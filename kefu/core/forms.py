"""The one form base 表单: Bootstrap classes and error marks in one place, control characters
refused in every text field, and service errors placed next to the fields they name."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kefu.core.errors import KefuError
from kefu.core.validation import no_control_characters


def bootstrap(form: forms.BaseForm) -> forms.BaseForm:
    """Give every widget its Bootstrap class, and mark the invalid ones (never validates)."""
    errors = getattr(form, "_errors", None) if form.is_bound else None  # never trigger validation
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        if errors and name in errors:
            css += " is-invalid"
        widget.attrs["class"] = css
        if isinstance(widget, forms.Textarea):
            widget.attrs.setdefault("rows", 3)
    return form


def guard_text(form: forms.BaseForm) -> None:
    """Refuse control characters (a NUL byte, a lone surrogate) in every text field of `form`."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and no_control_characters not in field.validators:
            field.validators.append(no_control_characters)


def apply_error(form: forms.BaseForm, error: KefuError) -> None:
    """Put a service error next to the fields it names; what names no field of the form (and the
    error's own message when no field got one) goes on top of the form."""
    on_fields = False
    for name, messages in error.fields.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
        on_fields = on_fields or target is not None
    if not on_fields and str(error.message) not in form.non_field_errors():
        form.add_error(None, str(error.message))


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of records whose ids outside a 64-bit integer are refused as invalid
    choices: Django's `pk__in` check sends them to the database, and SQLite raises OverflowError
    (a 500 where the field should say the choice is not valid)."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        model = self.queryset.model  # type: ignore[union-attr]
        field = model._meta.pk if key == "pk" else model._meta.get_field(key)
        if isinstance(field, models.IntegerField):  # AutoField and BigAutoField included
            for pk in value if isinstance(value, list | tuple) else []:
                text = str(pk).strip()
                if text.lstrip("-").isascii() and text.lstrip("-").isdigit() and abs(int(text)) >= 2**63:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)  # type: ignore[misc]


def bound_choices(form: forms.BaseForm) -> None:
    """Every multiple record choice of `form` refuses ids no database column can hold."""
    for field in form.fields.values():
        if type(field) is forms.ModelMultipleChoiceField:
            field.__class__ = BoundedModelMultipleChoiceField


class LookupChoiceField(forms.ModelChoiceField):
    """A record choice found by the field's `lookup(value)` (e.g. a prepared, scoped lookup by
    code, kefu.core.prepared) instead of a `queryset.get()` compiled on every post. `lookup` must
    answer exactly what the field's queryset would (None where it has no such record)."""

    lookup: Callable[[str], models.Model | None]

    def to_python(self, value):
        if value in self.empty_values or not isinstance(value, str):
            return super().to_python(value)
        self.validate_no_null_characters(value)
        found = self.lookup(value)
        if found is None:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return found


def look_up_with(field: forms.Field, lookup: Callable[[str], models.Model | None]) -> None:
    """Let a record choice of a form find posted values with `lookup` (see LookupChoiceField)."""
    if type(field) is not forms.ModelChoiceField:
        raise TypeError(f"look_up_with: {type(field).__name__} is not a ModelChoiceField")
    field.__class__ = LookupChoiceField
    field.lookup = lookup  # type: ignore[attr-defined]


_PENDING = "_kefu_pending_choices"


def scope_choices(form: forms.BaseForm, querysets: Mapping[str, Callable[[], QuerySet]]) -> None:
    """Give record choices their (scoped) querysets, built only where they are needed.

    Building a scoped queryset costs more than a create's SQL, and a posted form needs one only
    for a field posted with a value (or found by a `lookup`, which needs none): an empty choice is
    never looked up. The other fields of a bound form offer no choice (an empty queryset, never
    an unscoped one) until the form gets an error, i.e. is going to be shown again: then they get
    theirs (`KefuFormMixin.add_error`). An unbound form builds them all, to be shown."""
    pending: dict[str, Callable[[], QuerySet]] = {}
    for name, build in querysets.items():
        field = form.fields.get(name)
        if field is None:
            continue
        value = (
            field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
            if form.is_bound
            else None
        )
        if form.is_bound and (
            value in field.empty_values or (isinstance(field, LookupChoiceField) and isinstance(value, str))
        ):
            field.queryset = field.queryset.none()  # type: ignore[attr-defined]
            pending[name] = build
        else:
            field.queryset = build()  # type: ignore[attr-defined]
    setattr(form, _PENDING, pending)


def build_pending_choices(form: forms.BaseForm) -> None:
    """Give the fields whose querysets scope_choices left unbuilt their querysets now."""
    pending = getattr(form, _PENDING, None)
    if pending:
        setattr(form, _PENDING, {})
        for name, build in pending.items():
            form.fields[name].queryset = build()  # type: ignore[attr-defined]


class KefuFormMixin:
    """Mixed into every form of Kefu (`Form`, `ModelForm` below)."""

    fields: dict

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        guard_text(self)  # type: ignore[arg-type]
        bound_choices(self)  # type: ignore[arg-type]
        bootstrap(self)  # type: ignore[arg-type]

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        bootstrap(self)  # type: ignore[arg-type]

    def add_error(self, field, error) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        build_pending_choices(self)  # type: ignore[arg-type]  # the form will be shown again


class Form(KefuFormMixin, forms.Form):
    pass


class ModelForm(KefuFormMixin, forms.ModelForm):
    pass


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username"), max_length=150, widget=forms.TextInput(attrs={"autofocus": True})
    )
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)

    def confirm_login_allowed(self, user) -> None:
        """Staff log in here; a customer's portal account logs in at the customer portal only."""
        from kefu.org.scope import scope_for

        super().confirm_login_allowed(user)
        if scope_for(user).is_customer:
            raise forms.ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


def rendered_fields(
    key: str, forms_by_name: Mapping[str, forms.BaseForm | Callable[[], forms.BaseForm]]
) -> dict[str, dict[str, str]]:
    """Every field of `forms_by_name` rendered through `includes/field.html`, by form and field.

    An empty (unbound) form renders the same for every page of a user in a language, so it is
    kept in the buffer under `key` (which must name whatever the forms' choices depend on, e.g.
    the user); a bound form (errors, entered values) is rendered afresh. Give an unbound form as
    its factory (the class, or a `partial`): it is then only built when the buffer has no copy —
    building a form's fields and choice querysets costs more than the page's SQL."""
    from django.template.loader import render_to_string
    from django.utils.translation import get_language

    from kefu.core import buffer

    def render() -> dict[str, dict[str, str]]:
        built = {
            name: form if isinstance(form, forms.BaseForm) else form() for name, form in forms_by_name.items()
        }
        return {
            name: {
                field: render_to_string("includes/field.html", {"field": form[field]})
                for field in form.fields
            }
            for name, form in built.items()
        }

    if any(isinstance(form, forms.BaseForm) and form.is_bound for form in forms_by_name.values()):
        return render()
    return buffer.get(f"forms:{key}:{get_language()}", render)
