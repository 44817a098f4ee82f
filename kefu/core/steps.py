"""Workflow steps as pages: the step's form, then the record's one transition service.

Every status-bearing record (complaint, accident, dispute, reception …) moves the same way from a
page: the status named in the URL (404 when its profile has no such status), the form of that
step, the app's transition service with the form's inputs and version, and either a redirect with
"Status changed to …" or the form again with the service's refusal next to its fields. The
records differ only in their form, their service and their page, which the callers pass in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from kefu.core.errors import KefuError, ValidationFailed
from kefu.core.forms import apply_error
from kefu.workflow.engine import StatusRecord, available_transitions, resolve_status
from kefu.workflow.models import Status, Transition


class StepService(Protocol):
    """An app's transition service, as `transition_complaint(obj, to, *, actor, inputs, expected_version)`."""

    def __call__(self, obj: Any, to: str, *, actor: Any, inputs: dict, expected_version: int) -> Any: ...


def step_target(request: HttpRequest, obj: StatusRecord, to: str) -> tuple[Status, Transition | None]:
    """The status `to` names in `obj`'s profile (404 for a code the profile lacks), and the
    transition the user may make to it now (None: not available to them from this status)."""
    try:
        target = resolve_status(obj.workflow_profile(), to)
    except KefuError:
        raise Http404 from None
    choice = next((t for t in available_transitions(obj, request.user) if t.to_status_id == target.pk), None)
    return target, choice


def run_step(
    request: HttpRequest,
    obj: Any,
    to: str,
    form: forms.BaseForm,
    *,
    do: StepService,
    inputs: dict,
    back_url: str,
    done: str,
) -> tuple[HttpResponse | None, int]:
    """Run the step through the app's service with the valid `form`'s version and `inputs`.

    Returns (a redirect to `back_url` with the message `done`, 200), or (None, the status to
    answer with) with the service's refusal on the form: 200 for invalid input, which the form
    shows next to its fields, else the error's own status (409 for a stale version or a step no
    longer allowed, 403 for a missing role), so a client can tell a conflict from a typo.
    """
    try:
        do(obj, to, actor=request.user, inputs=inputs, expected_version=form.cleaned_data["version"])
    except KefuError as exc:
        apply_error(form, exc)
        return None, 200 if isinstance(exc, ValidationFailed) else exc.status
    messages.success(request, done)
    return HttpResponseRedirect(back_url), 200


def step_page(
    request: HttpRequest,
    obj: StatusRecord,
    to: str,
    *,
    form_for: Callable[[Status, Transition | None, Any], Any],
    do: StepService,
    back_url: str,
    heading: str,
    template: str = "complaints/form.html",
    context: dict | None = None,
) -> HttpResponse:
    """The page of one step of `obj` to the status `to`: GET shows the step's form (with a
    warning when the step is not available to the user now), POST runs it through `do`.

    `form_for(target, transition or None, POST data or None)` builds the step's form (a Django
    form with a `version` field and the step's `inputs()`); `heading`
    names the record in the title ("<heading> · <step>"); `context` adds what `template` shows
    besides the form.
    """
    target, choice = step_target(request, obj, to)
    form = form_for(target, choice, request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        done, status = run_step(
            request,
            obj,
            target.code,
            form,
            do=do,
            inputs=form.inputs(),
            back_url=back_url,
            done=_("Status changed to %(status)s.") % {"status": target.display_name},
        )
        if done is not None:
            return done
    action = choice.display_name if choice else target.display_name
    page = {
        **(context or {}),
        "form": form,
        "title": f"{heading} · {action}",
        "back_url": back_url,
        "submit": action,
        "step_not_available": choice is None,
    }
    return render(request, template, page, status=status)
