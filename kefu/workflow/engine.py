"""The one workflow engine: every status change of every record goes through `transition()`.

A status-bearing model has a `status` FK to workflow.Status, a `version` (VersionedModel) and
a method `workflow_profile()`. Its app registers, in AppConfig.ready, what the engine should do
around a move (`register_record`), so models never import services:
- `apply(record, transition, inputs, actor)` returns the names of extra fields it changed (the
  system status, a closing date …);
- `check(record, transition, inputs, actor)` raises a KefuError to refuse a move for a reason the
  profile data cannot express (an accepted quote needs a service report before closing);
- `mail_content(record, transition, inputs)` gives (subject, body) of a hand-off mail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, cast

from django.db import models, transaction
from django.utils.translation import gettext as _

from kefu.core import buffer
from kefu.core.concurrency import save_versioned
from kefu.core.errors import ConcurrentUpdate, PermissionDenied, ValidationFailed
from kefu.core.models import VersionedModel
from kefu.core.validation import check_text
from kefu.org.scope import role_codes
from kefu.timeline.services import record
from kefu.workflow.errors import TransitionNotAllowed, UnknownStatus
from kefu.workflow.events import TRANSITION
from kefu.workflow.models import Status, StatusProfile, Transition


class StatusRecord(Protocol):
    """What the engine needs of a record (Notification, Complaint, Accident): see the module doc."""

    pk: Any
    status: Any  # the ForeignKey to Status (the stubs type its read and write sides apart)

    @property
    def version(self) -> int: ...

    def workflow_profile(self) -> StatusProfile: ...


@dataclass(frozen=True)
class RecordHooks:
    apply: Callable[[Any, Transition, dict, Any], list[str]] | None = None
    check: Callable[[Any, Transition, dict, Any], None] | None = None
    mail_content: Callable[[Any, Transition, dict], tuple[str, str]] | None = None


_hooks: dict[type, RecordHooks] = {}


def register_record(model: type[models.Model], **hooks: Callable) -> None:
    """What the engine does around a move of `model`'s records (see the module doc)."""
    _hooks[model] = RecordHooks(**hooks)


def hooks_for(record: object) -> RecordHooks:
    return _hooks.get(type(record), RecordHooks())


Followup = Callable[[models.Model, Transition, dict, object], None]
_followups: list[Followup] = []


def register_followup(func: Followup) -> Followup:
    """Run `func(record, transition, inputs, actor)` after every committed transition."""
    _followups.append(func)
    return func


@dataclass(frozen=True)
class Outcome:
    record: models.Model
    transition: Transition
    from_status: Status
    to_status: Status


def resolve_status(profile: StatusProfile, code: str) -> Status:
    """A status of `profile` by code or alias (KCWB is accepted for KCJS)."""
    code = (code or "").strip().upper()
    statuses = list(profile.statuses.all())
    for status in statuses:
        if status.code.upper() == code or code in [a.upper() for a in status.aliases or []]:
            return status
    raise UnknownStatus(
        _("Status %(code)s does not exist in profile %(profile)s.") % {"code": code, "profile": profile.code},
        fields={"to": [_("Unknown status.")]},
    )


def initial_status(profile: StatusProfile) -> Status:
    def load() -> Status | None:
        return profile.statuses.filter(is_initial=True).first() or profile.statuses.order_by("order").first()

    status = buffer.get(f"workflow.initial:{profile.pk}", load)
    if status is None:
        raise UnknownStatus(_("Profile %(profile)s has no statuses.") % {"profile": profile.code})
    return status


def _transitions(profile: StatusProfile) -> list[Transition]:
    """All transitions of a profile with what the engine checks (buffered customizing data)."""
    return buffer.get(
        f"workflow.transitions:{profile.pk}",
        lambda: list(
            Transition.objects.filter(profile=profile)
            .select_related("to_status", "notify_department")
            .prefetch_related("allowed_roles")
        ),
    )


def _candidates(profile: StatusProfile, current: Status) -> list[Transition]:
    return [
        t
        for t in _transitions(profile)
        if t.from_status_id in (current.pk, None) and t.to_status_id != current.pk
    ]


def can_make(transition: Transition, user) -> bool:
    if user.is_superuser:
        return True
    allowed = {role.code for role in transition.allowed_roles.all()}
    return not allowed or bool(allowed & role_codes(user))


def available_transitions(obj: StatusRecord, user) -> list[Transition]:
    """The moves `user` may make on `obj` now (for buttons and the API's `allowed` list)."""
    return [t for t in _candidates(obj.workflow_profile(), obj.status) if can_make(t, user)]


def _missing_fields(transition: Transition, obj: StatusRecord, inputs: dict) -> dict[str, list[str]]:
    missing = {}
    for name in transition.required_fields or []:
        value = inputs.get(name)
        if value in (None, "", [], {}):
            value = getattr(obj, name, None)
        if value in (None, "", [], {}) or (isinstance(value, str) and not value.strip()):
            missing[name] = [
                _("This field is required for “%(action)s”.") % {"action": transition.display_name}
            ]
    return missing


def transition(
    obj: StatusRecord, to: str, *, actor, inputs: dict | None = None, expected_version: int | None = None
) -> Outcome:
    """Move `obj` to status `to`, checking the profile, the actor's role and the required inputs.

    Locks the row, refuses a stale `expected_version`, records the change on the timeline and
    runs follow-ups (mail to departments, notices) after commit. Nothing changes on refusal.
    """
    inputs = {k: v for k, v in (inputs or {}).items() if v not in (None, "")}
    check_text(**{k: v for k, v in inputs.items() if isinstance(v, str)})
    model = cast("type[VersionedModel]", type(obj))
    with transaction.atomic():
        # Lock the record's own row only, and read nothing joined under the lock: on PostgreSQL a
        # joined row is re-checked against the winner's new status after the wait, the join no
        # longer matches and the record "vanishes". A lost race is a 409, never a 500.
        row = model._base_manager.select_for_update(of=("self",)).filter(pk=obj.pk).first()
        if row is None:
            raise ConcurrentUpdate()
        locked = cast(StatusRecord, row)
        if expected_version is not None and locked.version != expected_version:
            raise ConcurrentUpdate()
        profile = locked.workflow_profile()
        target = resolve_status(profile, to)
        current = locked.status
        chosen = next((t for t in _candidates(profile, current) if t.to_status_id == target.pk), None)
        if chosen is None:
            raise TransitionNotAllowed(
                _("Cannot change the status from %(from)s to %(to)s.")
                % {
                    "from": f"{current.code} {current.display_name}",
                    "to": f"{target.code} {target.display_name}",
                },
                fields={"to": [_("Not allowed from the current status.")]},
            )
        if not can_make(chosen, actor):
            roles = "、".join(str(r) for r in chosen.allowed_roles.all())
            raise PermissionDenied(
                _("Only these roles may “%(action)s”: %(roles)s.")
                % {"action": chosen.display_name, "roles": roles}
            )
        missing = _missing_fields(chosen, locked, inputs)
        if missing:
            raise ValidationFailed(
                _("Fill in the required fields for “%(action)s”.") % {"action": chosen.display_name},
                fields=missing,
            )
        hooks = hooks_for(row)
        check = hooks.check
        if check is not None:
            # The record's own guards (e.g. no close without a service report); raise to refuse.
            check(row, chosen, inputs, actor)
        locked.status = target
        changed = ["status"]
        if hooks.apply is not None:
            changed += list(hooks.apply(row, chosen, inputs, actor) or [])
        save_versioned(row, expected_version=None, update_fields=changed)
        record(
            row,
            TRANSITION,
            actor=actor,
            data={
                "from": current.code,
                "to": target.code,
                "transition": chosen.pk,
                "approval": chosen.is_approval,
                "inputs": inputs,
            },
        )
        outcome = Outcome(row, chosen, current, target)
        transaction.on_commit(lambda: [f(row, chosen, inputs, actor) for f in list(_followups)])
    obj.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    obj.status = target
    return outcome
