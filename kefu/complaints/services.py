"""Every write of complaints, accidents and carriers: views, API, tasks, demo and tests call these."""

from __future__ import annotations

import importlib
import logging
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.complaints import events, queries
from kefu.complaints.choices import AccidentSeverity, EscalationLevel, QualityFeedback
from kefu.complaints.errors import ComplaintClosed, NotAQualityComplaint
from kefu.complaints.flows import profile, start_step
from kefu.complaints.models import (
    ACCIDENT_PROFILE,
    COMPLAINT_PROFILE,
    Accident,
    AccidentAction,
    AccidentReport,
    AccidentThreshold,
    Carrier,
    CarrierAppraisal,
    CarrierTraining,
    Complaint,
    ComplaintFollowUp,
    Escalation,
)
from kefu.core import search
from kefu.core.concurrency import save_versioned
from kefu.core.errors import NotFound, PermissionDenied, ValidationFailed
from kefu.core.numbering import next_number
from kefu.core.validation import check_text, full_clean
from kefu.org.models import Department, SalesOffice, Staff
from kefu.org.queries import staff_with_role
from kefu.org.scope import check_usable
from kefu.timeline.services import diff, record, snapshot
from kefu.workflow import engine
from kefu.worktime import clock, escalation

log = logging.getLogger(__name__)

COMPLAINT_EDITABLE = [
    "subject",
    "received_via",
    "contact_name",
    "contact_phone",
    "sales_document",
    "shipment",
    "notification",
    "material",
    "description",
    "severity",
    "owner",
    "material_code",
    "material_name",
    "is_product_quality",
    "content_class",
    "cause_class",
]
ACCIDENT_EDITABLE = [
    "place",
    "shipment",
    "carrier",
    "customer",
    "description",
    "is_insured",
    "insurer",
    "estimated_loss",
    "final_loss",
    "responsibility",
    "initial_measures",
    "owner",
]
CARRIER_FIELDS = [
    "code",
    "name",
    "contact_name",
    "phone",
    "address",
    "license_number",
    "transport_modes",
    "service_regions",
    "fleet_size",
    "status",
    "cooperation_since",
    "contract_number",
    "contract_until",
    "insured",
    "notes",
]


# --- delivery: the one place that talks to channels (notices and mail) -------------------------
def _deliver(
    *,
    recipients: list[Staff],
    target,
    subject: str,
    body: str,
    url: str,
    actor=None,
    department: Department | None = None,
) -> None:
    """In-app notice to each recipient and one mail to them (or to the department's mailbox)."""
    from kefu.channels.services import alert_staff

    alert_staff(
        recipients=recipients,
        target=target,
        subject=subject,
        body=body,
        url=url,
        actor=actor,
        department=department,
    )


def unit_head(office: SalesOffice) -> Staff | None:
    """The head of the unit 本单位负责人: the department head of the centre, else its supervisor."""
    department = office.department
    if department is not None and department.head_id:
        return department.head
    supervisors = staff_with_role("supervisor", office=office)
    return supervisors[0] if supervisors else None


def _customers_hook(name: str):
    try:
        module = importlib.import_module("kefu.customers.services")
    except ModuleNotFoundError:
        return None
    return getattr(module, name, None)


def _require(actor, perm: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied()


def _check_scope(actor, obj: Complaint | Accident) -> None:
    """A write reaches only a complaint or accident the actor may see (NotFound otherwise, like a
    read): pages and the API load it scoped, the service holds every other caller to the same rule."""
    if not type(obj).objects.visible_to(actor).filter(pk=obj.pk).exists():
        raise NotFound()


def _check_links(actor, changes: dict) -> None:
    """A customer or notification linked by an edit must be one the actor may see, naming the field."""
    from kefu.customers.models import Customer
    from kefu.tickets.models import Notification

    errors = {}
    for name, model in (("customer", Customer), ("notification", Notification)):
        value = changes.get(name)
        if value is not None and not model.objects.visible_to(actor).filter(pk=value.pk).exists():
            errors[name] = [_("You may not choose this: it is outside your responsibility centres.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)


def complaint_url(complaint: Complaint) -> str:
    return reverse("complaints:complaint_detail", args=[complaint.pk])


def accident_url(accident: Accident) -> str:
    return reverse("complaints:accident_detail", args=[accident.pk])


# --- keyword search index (kefu.core.search) -------------------------------------------------
# Written inside the caller's transaction: the index table is in the same database, so an entry
# commits (or rolls back) with its row.
COMPLAINT_SEARCHED = {"number", "subject", "customer"}
ACCIDENT_SEARCHED = {"number", "shipment", "place", "carrier"}
REINDEX_BATCH = 2000


def reindex_complaints(complaints) -> int:
    """Refresh the search entries of these complaints (their customer must be loaded or loadable)."""
    return search.index_documents(
        queries.COMPLAINT_INDEX, [(c.pk, queries.complaint_document(c)) for c in complaints]
    )


def reindex_accidents(accidents) -> int:
    return search.index_documents(
        queries.ACCIDENT_INDEX, [(a.pk, queries.accident_document(a)) for a in accidents]
    )


def _in_batches(queryset, reindex) -> int:
    done, batch = 0, []
    for row in queryset.order_by("pk").iterator(chunk_size=REINDEX_BATCH):
        batch.append(row)
        if len(batch) >= REINDEX_BATCH:
            done += reindex(batch)
            batch = []
    return done + reindex(batch)


def customer_renamed(customer) -> int:
    """The customers app calls this when a customer's name changed: its complaints are found by it."""
    rows = Complaint._base_manager.filter(customer_id=customer.pk).only("number", "subject", "customer_id")
    return _in_batches(rows, lambda batch: reindex_complaints([_with_customer(c, customer) for c in batch]))


def _with_customer(complaint: Complaint, customer) -> Complaint:
    complaint.customer = customer
    return complaint


def _reindex_carrier_accidents(carrier: Carrier) -> int:
    rows = Accident._base_manager.filter(carrier_id=carrier.pk).select_related("carrier")
    return _in_batches(rows.only("number", "shipment", "place", "carrier__name"), reindex_accidents)


# --- complaints ----------------------------------------------------------------------------
def create_complaint(
    *,
    actor,
    customer,
    subject: str,
    received_at: datetime | None = None,
    received_via: str = "hotline",
    sales_office: SalesOffice | None = None,
    owner: Staff | None = None,
    **fields,
) -> Complaint:
    """Receive a complaint 受理客诉: the 10-minute recording clock starts at `received_at`.

    The first staff member who takes it owns it (首问负责制) unless another handler is named.
    """
    _require(actor, "complaints.add_complaint")
    from kefu.customers.models import Customer

    now = clock.now()
    # The classification as stored now (the caller's instance may predate the nightly recompute).
    facts = (
        Customer.objects.visible_to(actor)
        .filter(pk=customer.pk)
        .values("is_key", "is_key_account", "tier", "grade")
        .first()
        if customer is not None
        else None
    )
    if facts is None:
        raise ValidationFailed(fields={"customer": [_("Choose a customer in your scope.")]})
    received_at = received_at or now
    if received_at > now + timedelta(minutes=5):
        raise ValidationFailed(fields={"received_at": [_("The time of receipt cannot be in the future.")]})
    unknown = set(fields) - set(COMPLAINT_EDITABLE)
    if unknown:
        raise ValidationFailed(fields={name: [_("Unknown field.")] for name in unknown})
    check_usable(actor, sales_office=sales_office, owner=owner)
    ks = profile(COMPLAINT_PROFILE)
    with transaction.atomic():
        complaint = Complaint(
            status=engine.initial_status(ks),
            stage="outstanding",
            customer=customer,
            subject=(subject or "").strip(),
            received_at=received_at,
            received_via=received_via,
            sales_office=sales_office or customer.sales_office,
            owner=owner or getattr(actor, "staff", None),
            created_by=actor,
            # 关键客户 first (seed 003): the tier's key flag as the archive keeps it, or the hand-set one.
            is_key_account=bool(facts["is_key"] or facts["is_key_account"]),
            customer_tier=facts["tier"] or "",
            customer_grade=facts["grade"] or "",
            number="-",
            **fields,
        )
        if not complaint.contact_phone and customer.phone:
            complaint.contact_phone = customer.phone
        _sync_material(complaint)
        full_clean(complaint, exclude=["number", "status"])
        complaint.number = next_number("complaint", defaults={"name": "客诉", "prefix": "KS", "width": 8})[0]
        start_step(complaint, started_at=received_at, first=True)
        complaint.stage = complaint.status.stage
        complaint.save()
        reindex_complaints([complaint])
        record(
            complaint,
            events.COMPLAINT_CREATED.code,
            actor=actor,
            data={"customer": str(customer), "subject": complaint.subject, "via": received_via},
        )
        note = _customers_hook("note_complaint")
        if note is not None:
            note(customer, actor=actor)
        transaction.on_commit(lambda: _announce_complaint(complaint.pk, actor))
    return complaint


def _sync_material(complaint: Complaint) -> None:
    """A catalogue material fills the material number and text used to group recurring complaints."""
    if complaint.material is not None:
        complaint.material_code = complaint.material.code
        complaint.material_name = complaint.material.name


def _announce_complaint(pk: int, actor) -> None:
    """Key-customer complaints go first: tell the key-account manager; major ones reach the manager."""
    complaint = Complaint.objects.select_related("customer").get(pk=pk)
    recipients = []
    manager = getattr(complaint.customer, "key_account_manager", None)
    if complaint.is_key_account and manager is not None:
        recipients.append(manager)
    if complaint.severity == "major":
        recipients += staff_with_role("manager")
    if recipients:
        subject = _("Complaint %(number)s of %(customer)s: %(subject)s") % {
            "number": complaint.number,
            "customer": complaint.customer.name,
            "subject": complaint.subject,
        }
        _deliver(
            recipients=recipients,
            target=complaint,
            subject=subject,
            body=complaint.description or subject,
            url=complaint_url(complaint),
            actor=actor,
        )


def update_complaint(complaint: Complaint, *, actor, expected_version: int | None, **changes) -> Complaint:
    """Correct the descriptive fields of an open complaint; old and new values go on the timeline."""
    _require(actor, "complaints.change_complaint")
    _check_scope(actor, complaint)
    if not complaint.is_open:
        raise ComplaintClosed()
    unknown = set(changes) - set(COMPLAINT_EDITABLE)
    if unknown:
        raise ValidationFailed(fields={name: [_("This field cannot be changed here.")] for name in unknown})
    check_usable(actor, **{k: v for k, v in changes.items() if k in ("owner", "sales_office") and v})
    _check_links(actor, changes)
    fields = list(changes)
    if "material" in changes:  # the code and name follow the material: their old values too
        fields += ["material_code", "material_name"]
    with transaction.atomic():
        before = snapshot(complaint, fields)
        for name, value in changes.items():
            setattr(complaint, name, value)
        if "material" in changes:
            _sync_material(complaint)
        full_clean(complaint)
        changed = diff(complaint, before, fields)
        if not changed:
            return complaint
        save_versioned(complaint, expected_version=expected_version, update_fields=list(changed))
        if COMPLAINT_SEARCHED & set(changed):
            reindex_complaints([complaint])
        record(complaint, events.COMPLAINT_UPDATED.code, actor=actor, data={"changes": changed})
    return complaint


def transition_complaint(
    complaint: Complaint, to: str, *, actor, inputs: dict | None = None, expected_version: int | None = None
) -> Complaint:
    """Move a complaint one step (checks, timeline and the next step's clock happen in the engine)."""
    _require(actor, "complaints.change_complaint")
    _check_scope(actor, complaint)
    check_usable(actor, handling_department=(inputs or {}).get("handling_department"))
    engine.transition(complaint, to, actor=actor, inputs=inputs or {}, expected_version=expected_version)
    return complaint


def add_follow_up(
    complaint: Complaint, *, actor, note: str, via: str = "phone", at: datetime | None = None
) -> ComplaintFollowUp:
    """A continuous follow-up record 连续性跟进记录 of the CS supervisor."""
    _require(actor, "complaints.change_complaint")
    _check_scope(actor, complaint)  # mail and WeChat intake call this too, not only scoped pages
    if not complaint.is_open:
        raise ComplaintClosed()
    follow_up = ComplaintFollowUp(
        complaint=complaint, at=at or clock.now(), by=actor, via=via, note=(note or "").strip()
    )
    full_clean(follow_up, exclude=["complaint", "by"])
    with transaction.atomic():
        follow_up.save()
        record(complaint, events.FOLLOW_UP.code, actor=actor, data={"note": follow_up.note, "via": via})
    return follow_up


def send_to_quality(complaint: Complaint, *, actor, note: str = "") -> Complaint:
    """Pass a product-quality complaint to quality 品管 (duty 9: until the problem stops recurring)."""
    _require(actor, "complaints.change_complaint")
    _check_scope(actor, complaint)
    if not (
        (complaint.is_product_quality or complaint.content_class == "quality") and complaint.material_code
    ):
        raise NotAQualityComplaint(fields={"material_code": [str(NotAQualityComplaint.default_message)]})
    from kefu.complaints.queries import material_history

    with transaction.atomic():
        complaint.quality_feedback, complaint.quality_feedback_at = QualityFeedback.SENT, clock.now()
        save_versioned(
            complaint, expected_version=None, update_fields=["quality_feedback", "quality_feedback_at"]
        )
        record(
            complaint,
            events.QUALITY_FEEDBACK.code,
            actor=actor,
            data={"material": f"{complaint.material_code} {complaint.material_name}", "note": note},
        )
        quality = Department.objects.filter(kind="quality", is_active=True).first()
        history = material_history(complaint.material_code)
        body = "\n".join(
            [
                _("Complaint %(number)s: %(subject)s")
                % {"number": complaint.number, "subject": complaint.subject},
                _("Material: %(code)s %(name)s")
                % {"code": complaint.material_code, "name": complaint.material_name},
                _("Complaints on this material: %(count)d, last on %(last)s")
                % {"count": history["count"], "last": history["last"]},
                complaint.description,
                note,
            ]
        )
        if quality is not None and quality.mailbox:
            transaction.on_commit(
                lambda: _deliver(
                    recipients=[],
                    target=complaint,
                    department=quality,
                    url=complaint_url(complaint),
                    actor=actor,
                    subject=_("Quality feedback: %(code)s %(name)s")
                    % {"code": complaint.material_code, "name": complaint.material_name},
                    body=body,
                )
            )
    return complaint


def mark_quality_resolved(*, actor, material_code: str) -> int:
    """Quality confirms the problem stopped: every complaint passed on for the material is marked."""
    _require(actor, "complaints.change_complaint")
    check_text(material=material_code)
    with transaction.atomic():
        # Only the complaints the actor may see: a desk marks its own centres' complaints, never
        # another centre's that happen to name the same material.
        rows = list(
            Complaint.objects.select_for_update().filter(
                pk__in=Complaint.objects.visible_to(actor).values("pk"),
                material_code=material_code,
                quality_feedback=QualityFeedback.SENT,
            )
        )
        for complaint in rows:
            complaint.quality_feedback = QualityFeedback.RESOLVED
            save_versioned(complaint, expected_version=None, update_fields=["quality_feedback"])
            record(complaint, events.QUALITY_RESOLVED.code, actor=actor, data={"material": material_code})
    return len(rows)


def recount_customer_complaints(now: datetime | None = None) -> int:
    """Complaints of the last 90 days per customer, handed to the customer archive (异样客户预警)."""
    from django.db.models import Count

    setter = _customers_hook("set_complaint_counts")
    if setter is None:
        return 0
    since = (now or clock.now()) - timedelta(days=90)
    counts = dict(
        Complaint.objects.filter(received_at__gte=since).values_list("customer").annotate(n=Count("pk"))
    )
    setter(counts)
    return len(counts)


# --- escalation of late steps (the one sweep: kefu.worktime.escalation) ---------------------
def escalation_recipients(obj, level: int) -> list[Staff]:
    return escalation.recipients(obj.sales_office, level)


def _escalate_one(model, pk: int, level: int, now: datetime) -> bool:
    def still_due(obj) -> bool:
        due = obj.step_deadline if level == EscalationLevel.SUPERVISOR else obj.step_manager_at
        return obj.is_open and obj.escalation_level < level and due is not None and due <= now

    def claim(obj) -> None:
        obj._recipients = escalation_recipients(obj, level)
        target = {"complaint": obj} if model is Complaint else {"accident": obj}
        Escalation.objects.create(
            **target,
            step_seq=obj.step_seq,
            status_code=obj.status.code,
            level=level,
            deadline=obj.step_deadline,
            escalated_at=now,
            recipients=[s.name for s in obj._recipients],
        )

    def then(obj) -> None:
        recipients = obj._recipients
        model._base_manager.filter(pk=obj.pk).update(escalation_level=level)
        record(
            obj,
            events.ESCALATED.code,
            actor=None,
            at=now,
            data={
                "level": level,
                "step": f"{obj.status.code} {obj.status.name}",
                "deadline": obj.step_deadline,
                "recipients": [s.name for s in recipients],
            },
        )
        url = complaint_url(obj) if model is Complaint else accident_url(obj)
        subject = _("Late: %(record)s, step %(step)s was due %(due)s") % {
            "record": str(obj),
            "step": obj.status.name,
            "due": obj.step_deadline.astimezone(clock.load_calendar().tz).strftime("%Y-%m-%d %H:%M"),
        }
        transaction.on_commit(
            lambda: _deliver(recipients=recipients, target=obj, subject=subject, body=subject, url=url)
        )

    return escalation.escalate_once(model, pk, still_due=still_due, claim=claim, then=then)


def escalate_late(now: datetime | None = None) -> int:
    """Escalate every late step: to the supervisor at the deadline, to the manager later.

    Idempotent (one Escalation row per step and level, unique in the database) and
    restart-safe: it compares stored deadlines with now, so a consumer that was down
    escalates everything that became late meanwhile, both levels at once if both are due.
    """
    now = now or clock.now()
    rungs = (
        escalation.Rung(EscalationLevel.SUPERVISOR, "step_deadline"),
        escalation.Rung(EscalationLevel.MANAGER, "step_manager_at"),
    )
    done = 0
    for model in (Complaint, Accident):
        done += escalation.sweep(
            model._base_manager.filter(is_open__in=[True]),
            rungs=rungs,
            level_field="escalation_level",
            escalate=partial(_escalate_one, model),
            now=now,
        )
    return done


# --- accidents -----------------------------------------------------------------------------
def severity_for(loss: Decimal) -> tuple[str, list[AccidentThreshold]]:
    """Severity of a loss and the thresholds it is over ("over" = strictly greater, per seed 003)."""
    crossed = [t for t in AccidentThreshold.objects.order_by("amount") if loss > t.amount]
    severity: str = AccidentSeverity.GENERAL
    for threshold in crossed:
        if AccidentSeverity.rank(threshold.severity) > AccidentSeverity.rank(severity):
            severity = threshold.severity
    return severity, crossed


def apply_loss_rules(accident: Accident, *, actor) -> list[str]:
    """Derive severity from the loss and report each threshold crossed, once, after commit."""
    severity, crossed = severity_for(accident.loss)
    changed = []
    if severity != accident.severity:
        accident.severity = severity
        changed.append("severity")
    now = clock.now()
    for threshold in crossed:
        if AccidentReport.objects.filter(accident=accident, severity=threshold.severity).exists():
            continue
        department = None
        if threshold.report_to_kind:
            department = Department.objects.filter(kind=threshold.report_to_kind, is_active=True).first()
        AccidentReport.objects.create(
            accident=accident,
            severity=threshold.severity,
            department=department,
            loss=accident.loss,
            reported_at=now,
        )
        record(
            accident,
            events.LOSS_REPORTED.code,
            actor=actor,
            data={
                "severity": threshold.get_severity_display(),
                "department": str(department or ""),
                "loss": accident.loss,
                "threshold": threshold.amount,
            },
        )
        recipients = staff_with_role(threshold.report_to_role) if threshold.report_to_role else []
        subject = _("Accident %(number)s: loss %(loss)s yuan is over %(amount)s yuan (%(severity)s)") % {
            "number": accident.number,
            "loss": accident.loss,
            "amount": threshold.amount,
            "severity": threshold.get_severity_display(),
        }
        body = f"{subject}\n{accident.place}\n{accident.description}"
        transaction.on_commit(
            partial(
                _deliver,
                recipients=recipients,
                target=accident,
                department=department,
                subject=subject,
                body=body,
                url=accident_url(accident),
                actor=actor,
            )
        )
    return changed


def create_accident(
    *,
    actor,
    kind: str,
    occurred_at: datetime,
    place: str,
    description: str,
    sales_office: SalesOffice,
    estimated_loss: Decimal = Decimal("0.00"),
    owner: Staff | None = None,
    **fields,
) -> Accident:
    """Register a service accident: the 30-minute report clock runs from the accident's time."""
    _require(actor, "complaints.add_accident")
    from kefu.org.scope import scope_for

    scope = scope_for(actor)
    if sales_office is None or not (scope.company_wide or sales_office.pk in scope.office_ids):
        raise ValidationFailed(fields={"sales_office": [_("Choose a responsibility centre in your scope.")]})
    check_usable(actor, owner=owner)
    now = clock.now()
    if occurred_at and occurred_at > now + timedelta(minutes=5):
        raise ValidationFailed(
            fields={"occurred_at": [_("The time of the accident cannot be in the future.")]}
        )
    sg = profile(ACCIDENT_PROFILE)
    with transaction.atomic():
        accident = Accident(
            status=engine.initial_status(sg),
            kind=kind,
            occurred_at=occurred_at,
            place=(place or "").strip(),
            description=(description or "").strip(),
            sales_office=sales_office,
            estimated_loss=estimated_loss,
            owner=owner or getattr(actor, "staff", None),
            created_by=actor,
            number="-",
            **fields,
        )
        full_clean(accident, exclude=["number", "status"])
        accident.number = next_number("accident", defaults={"name": "服务事故", "prefix": "SG", "width": 8})[
            0
        ]
        accident.stage = accident.status.stage
        accident.severity, _crossed = severity_for(accident.loss)
        start_step(accident, started_at=occurred_at, first=True)
        accident.report_due_at = accident.step_deadline
        accident.save()
        reindex_accidents([accident])
        record(
            accident,
            events.ACCIDENT_CREATED.code,
            actor=actor,
            data={
                "kind": accident.get_kind_display(),
                "place": accident.place,
                "loss": accident.estimated_loss,
            },
        )
        apply_loss_rules(accident, actor=actor)
        head = unit_head(sales_office)
        if head is not None:
            subject = _("Accident %(number)s (%(kind)s) at %(place)s: report within 30 minutes") % {
                "number": accident.number,
                "kind": accident.get_kind_display(),
                "place": accident.place,
            }
            transaction.on_commit(
                lambda: _deliver(
                    recipients=[head],
                    target=accident,
                    subject=subject,
                    body=accident.description,
                    url=accident_url(accident),
                    actor=actor,
                )
            )
    return accident


def update_accident(accident: Accident, *, actor, expected_version: int | None, **changes) -> Accident:
    """Correct an open accident; a changed loss re-derives the severity and makes the reports due."""
    _require(actor, "complaints.change_accident")
    _check_scope(actor, accident)
    if not accident.is_open:
        raise ComplaintClosed()
    unknown = set(changes) - set(ACCIDENT_EDITABLE)
    if unknown:
        raise ValidationFailed(fields={name: [_("This field cannot be changed here.")] for name in unknown})
    check_usable(actor, **{k: v for k, v in changes.items() if k in ("owner", "sales_office") and v})
    _check_links(actor, changes)
    fields = list(changes)
    with transaction.atomic():
        before = snapshot(accident, [*fields, "severity"])
        for name, value in changes.items():
            setattr(accident, name, value)
        full_clean(accident)
        extra = (
            apply_loss_rules(accident, actor=actor) if {"estimated_loss", "final_loss"} & set(changes) else []
        )
        changed = diff(accident, before, [*fields, *extra])
        if not changed:
            return accident
        save_versioned(accident, expected_version=expected_version, update_fields=list(changed))
        if ACCIDENT_SEARCHED & set(changed):
            reindex_accidents([accident])
        record(accident, events.ACCIDENT_UPDATED.code, actor=actor, data={"changes": changed})
    return accident


def transition_accident(
    accident: Accident, to: str, *, actor, inputs: dict | None = None, expected_version: int | None = None
) -> Accident:
    _require(actor, "complaints.change_accident")
    _check_scope(actor, accident)
    engine.transition(accident, to, actor=actor, inputs=inputs or {}, expected_version=expected_version)
    return accident


def add_accident_action(
    accident: Accident,
    *,
    actor,
    method: str,
    amount_claimed: Decimal = Decimal("0"),
    amount_recovered: Decimal = Decimal("0"),
    counterparty: str = "",
    note: str = "",
    at: datetime | None = None,
) -> AccidentAction:
    """Record a handling action (apology, claim, insurance, litigation …); totals follow on the accident."""
    _require(actor, "complaints.change_accident")
    _check_scope(actor, accident)
    if not accident.is_open:
        raise ComplaintClosed()
    action = AccidentAction(
        accident=accident,
        method=method,
        at=at or clock.now(),
        by=actor,
        counterparty=counterparty,
        amount_claimed=amount_claimed,
        amount_recovered=amount_recovered,
        note=note,
    )
    full_clean(action, exclude=["accident", "by"])
    if action.amount_recovered > action.amount_claimed and action.amount_claimed > 0:
        raise ValidationFailed(fields={"amount_recovered": [_("Cannot recover more than was claimed.")]})
    with transaction.atomic():
        action.save()
        locked = Accident._base_manager.select_for_update().get(pk=accident.pk)
        totals = locked.actions.all()
        locked.amount_claimed = sum((a.amount_claimed for a in totals), Decimal("0"))
        locked.amount_recovered = sum((a.amount_recovered for a in totals), Decimal("0"))
        if not locked.handling_method:
            locked.handling_method = method
        save_versioned(
            locked,
            expected_version=None,
            update_fields=["amount_claimed", "amount_recovered", "handling_method"],
        )
        accident.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
        record(
            accident,
            events.ACCIDENT_ACTION.code,
            actor=actor,
            data={
                "method": action.get_method_display(),
                "amount_claimed": action.amount_claimed,
                "amount_recovered": action.amount_recovered,
                "note": note,
            },
        )
    return action


# --- carriers ------------------------------------------------------------------------------
def save_carrier(
    *, actor, carrier: Carrier | None = None, expected_version: int | None = None, **values
) -> Carrier:
    """Create or change a carrier of the carrier archive 承运商档案."""
    _require(actor, "complaints.change_carrier" if carrier else "complaints.add_carrier")
    unknown = set(values) - set(CARRIER_FIELDS)
    if unknown:
        raise ValidationFailed(fields={name: [_("Unknown field.")] for name in unknown})
    with transaction.atomic():
        creating = carrier is None
        carrier = carrier or Carrier()
        before = snapshot(carrier, list(values)) if not creating else {}
        for name, value in values.items():
            setattr(carrier, name, value)
        full_clean(carrier, unique=True)
        if creating:
            carrier.save()
            changes = diff(carrier, {}, [k for k, v in values.items() if v not in ("", None)])
        else:
            changes = diff(carrier, before, list(values))
            if not changes:
                return carrier
            save_versioned(carrier, expected_version=expected_version, update_fields=list(changes))
            if "name" in changes:  # accidents are found by their carrier's name
                _reindex_carrier_accidents(carrier)
        record(
            carrier, events.CARRIER_SAVED.code, actor=actor, data={"changes": changes, "created": creating}
        )
    return carrier


def add_training(
    carrier: Carrier, *, actor, held_on, topic: str, participants: int = 0, result: str = ""
) -> CarrierTraining:
    _require(actor, "complaints.change_carrier")
    training = CarrierTraining(
        carrier=carrier, held_on=held_on, topic=topic, participants=participants, result=result
    )
    full_clean(training, exclude=["carrier"])
    with transaction.atomic():
        training.save()
        record(carrier, events.CARRIER_TRAINING.code, actor=actor, data={"topic": topic, "date": held_on})
    return training


def add_appraisal(
    carrier: Carrier,
    *,
    actor,
    period: str,
    score: int,
    on_time_rate=None,
    damage_rate=None,
    grade: str = "",
    comment: str = "",
) -> CarrierAppraisal:
    _require(actor, "complaints.change_carrier")
    appraisal = CarrierAppraisal(
        carrier=carrier,
        period=period,
        score=score,
        on_time_rate=on_time_rate,
        damage_rate=damage_rate,
        grade=grade,
        comment=comment,
    )
    full_clean(appraisal, exclude=["carrier"])
    with transaction.atomic():
        appraisal.save()
        record(carrier, events.CARRIER_APPRAISAL.code, actor=actor, data={"period": period, "score": score})
    return appraisal


def key_customers_changed(customer_ids: list[int] | None = None) -> int:
    """Open complaints follow their customer's 关键客户 flag (the customers' recompute calls this): the
    worklist's (is_open, -is_key_account, step_deadline) index keeps key customers first."""
    from kefu.customers.models import Customer

    open_ = Complaint.objects.filter(is_open=True)
    if customer_ids is not None:
        open_ = open_.filter(customer_id__in=customer_ids)
    key = Customer.objects.filter(is_key=True).values("pk")
    changed = open_.filter(is_key_account=False, customer_id__in=key).update(is_key_account=True)
    changed += open_.filter(is_key_account=True).exclude(customer_id__in=key).update(is_key_account=False)
    return changed
