"""How complaints and accidents move through the one engine: inputs per step and the step clocks.

The engine (`kefu.workflow.engine.transition`) checks roles and required inputs, locks the row
and records the event; the engine's `apply` hook (registered in apps.py) lands here to copy the step's inputs
onto the record and start the next step's clock.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kefu.core import buffer
from kefu.core.errors import ValidationFailed
from kefu.workflow.choices import Stage
from kefu.workflow.models import Status, StatusProfile
from kefu.worktime import clock
from kefu.worktime.choices import ClockMode

# Inputs accepted by a move into each status (the required ones are the transition's data).
COMPLAINT_INPUTS: dict[str, list[str]] = {
    "KSJL": [
        "content_class",
        "cause_class",
        "is_product_quality",
        "description",
        "severity",
        "contact_name",
        "contact_phone",
        "material",
        "material_code",
        "material_name",
    ],
    "KSCL": ["validity_reason"],
    "KSBC": ["validity_reason"],
    "KSBM": ["handling_department", "director_decision"],
    "KSFA": ["cause_analysis", "proposed_plan"],
    "KSPS": ["director_decision"],
    "KSCZ": ["handling_actions", "handled_via"],
    "KSJA": ["closing_summary", "evaluation", "satisfaction"],
}
ACCIDENT_INPUTS: dict[str, list[str]] = {
    "SGBG": ["reported_to", "initial_measures"],
    "SGCL": ["handling_method", "responsibility"],
    "SGJA": ["final_loss", "closing_note", "handling_method", "responsibility"],
}


def profile(code: str) -> StatusProfile:
    return buffer.get(f"complaints.profile:{code}", lambda: StatusProfile.objects.get(code=code))


def limit_for(status: Status, *, severity: str = "", tier: str = "", grade: str = ""):
    """The most specific StepTimeLimit for the step, or None when the step has no clock."""
    from kefu.complaints.models import StepTimeLimit

    rows = buffer.get(
        f"complaints.limits:{status.pk}",
        lambda: list(StepTimeLimit.objects.filter(status=status).select_related("calendar")),
    )
    best, best_score = None, -1
    for row in rows:
        if (
            (row.severity and row.severity != severity)
            or (row.customer_tier and row.customer_tier != tier)
            or (row.customer_grade and row.customer_grade != grade)
        ):
            continue
        score = 4 * bool(row.severity) + 2 * bool(row.customer_tier) + bool(row.customer_grade)
        if score > best_score:
            best, best_score = row, score
    return best


def start_step(obj, *, started_at: datetime, first: bool = False) -> list[str]:
    """Start the clock of the record's current status; the deadline is stored, never recomputed."""
    if not first:
        obj.step_seq += 1
    obj.step_started_at = started_at
    obj.escalation_level = 0
    limit = limit_for(
        obj.status,
        severity=obj.severity,
        tier=getattr(obj, "customer_tier", ""),
        grade=getattr(obj, "customer_grade", ""),
    )
    if limit is None:
        obj.step_deadline = obj.step_manager_at = None
        obj.step_clock_mode, obj.step_calendar = ClockMode.REAL, None
    else:
        calendar = limit.calendar_id
        obj.step_deadline = clock.add_duration(started_at, limit.minutes, mode=limit.mode, calendar=calendar)
        obj.step_manager_at = clock.add_duration(
            obj.step_deadline, limit.manager_after_minutes, mode=limit.mode, calendar=calendar
        )
        obj.step_clock_mode, obj.step_calendar_id = limit.mode, calendar
    return [
        "step_seq",
        "step_started_at",
        "step_deadline",
        "step_manager_at",
        "step_clock_mode",
        "step_calendar",
        "escalation_level",
    ]


def _close_or_restart(obj, to_status: Status, now: datetime) -> list[str]:
    obj.stage = to_status.stage
    changed = ["stage", "is_open", "closed_at"]
    if to_status.stage in (Stage.COMPLETED, Stage.CANCELLED):
        obj.is_open, obj.closed_at = False, now
        obj.step_deadline = obj.step_manager_at = None
        return [*changed, "step_deadline", "step_manager_at"]
    obj.is_open, obj.closed_at = True, None
    return changed + start_step(obj, started_at=now)


def _copy_inputs(obj, names: list[str], inputs: dict) -> list[str]:
    changed = [name for name in names if name in inputs]
    for name in changed:
        setattr(obj, name, inputs[name])
    if changed:
        exclude = [f.name for f in obj._meta.concrete_fields if f.name not in changed]
        try:
            obj.clean_fields(exclude=exclude)
        except ValidationError as exc:
            raise ValidationFailed.from_django(exc) from exc
    return changed


def apply_complaint_transition(complaint, transition, inputs: dict, actor) -> list[str]:
    now = clock.now()
    code = transition.to_status.code
    changed = _copy_inputs(complaint, COMPLAINT_INPUTS.get(code, []), inputs)
    if code == "KSJL":
        if "material" in changed and complaint.material_id:
            complaint.material_code, complaint.material_name = (
                complaint.material.code,
                complaint.material.name,
            )
            changed += ["material_code", "material_name"]
        complaint.recorded_at = now
        changed.append("recorded_at")
    elif code in ("KSCL", "KSBC"):
        complaint.is_valid = code == "KSCL"
        changed.append("is_valid")
    if transition.is_approval:
        complaint.decided_by, complaint.decided_at = actor, now
        changed += ["decided_by", "decided_at"]
    if transition.to_status.stage in (Stage.COMPLETED, Stage.CANCELLED) and complaint.is_open:
        from kefu.complaints.services import _customers_hook

        closed = _customers_hook("note_complaint_closed")  # the customer archive's open-complaint count
        if closed is not None:
            closed(complaint.customer, actor=actor)
    return changed + _close_or_restart(complaint, transition.to_status, now)


def apply_accident_transition(accident, transition, inputs: dict, actor) -> list[str]:
    from kefu.complaints.services import apply_loss_rules, unit_head

    now = clock.now()
    code = transition.to_status.code
    changed = _copy_inputs(accident, ACCIDENT_INPUTS.get(code, []), inputs)
    if code == "SGBG":
        accident.reported_at = now
        if accident.reported_to_id is None:
            accident.reported_to = unit_head(accident.sales_office)
        if accident.reported_to is None:  # nobody heads the unit: the reporter must say to whom
            raise ValidationFailed(fields={"reported_to": [str(_("Who was the accident reported to?"))]})
        changed += ["reported_at", "reported_to"]
    if "final_loss" in changed:
        changed += apply_loss_rules(accident, actor=actor)
    return changed + _close_or_restart(accident, transition.to_status, now)
