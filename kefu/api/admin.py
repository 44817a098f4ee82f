from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.api.models import ApiToken
from kefu.api.services import create_token


class TokenAddForm(forms.ModelForm):
    days_valid = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"), min_value=1, max_value=3650, required=False
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Admins may issue a token for a user (the key is shown once, in a message) and revoke tokens."""

    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "name", "prefix"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = TokenAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return ["user", "name", "days_valid"] if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = get_user_model().objects.filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        token, key = create_token(
            actor=request.user,
            user=form.cleaned_data["user"],
            name=form.cleaned_data["name"],
            days_valid=form.cleaned_data.get("days_valid"),
        )
        obj.pk = token.pk
        messages.warning(
            request,
            _("Token for %(user)s: %(key)s — copy it now, it is shown only once.")
            % {"user": token.user, "key": key},
        )
