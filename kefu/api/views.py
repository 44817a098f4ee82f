from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.api.forms import TokenForm
from kefu.api.models import ApiToken
from kefu.api.services import create_token, revoke_token
from kefu.core.errors import KefuError, NotFound


@login_required
def tokens(request):
    new_key = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = create_token(
                actor=request.user, name=form.cleaned_data["name"], days_valid=form.cleaned_data["days_valid"]
            )
        except KefuError as exc:
            for field, errors in exc.fields.items():
                for error in errors:
                    form.add_error(None if field == "__all__" else field, error)
        else:
            form = TokenForm()
    rows = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(request, "api/tokens.html", {"form": form, "tokens": rows, "new_key": new_key})


@login_required
@require_POST
def revoke(request, pk: int):
    try:
        revoke_token(actor=request.user, token_id=pk)
    except NotFound:  # another user's token looks exactly like a missing one
        raise Http404 from None
    messages.success(request, _("The token was revoked."))
    return redirect("api_tokens")
