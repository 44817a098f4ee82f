"""Every write of return visits and receptions: rules, the idempotent generator, recording, follow-ups.

The generator and the event sweep are idempotent: a visit is one row per customer and plan key
(`YYYY-MM` for a scheduled month, `complaint:<id>` / `rating:<id>` for an event), inserted with
ignore-conflicts, so running them twice, or concurrently, or after downtime makes no duplicates.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.core.concurrency import save_versioned
from kefu.core.errors import ValidationFailed
from kefu.core.numbering import next_number
from kefu.core.scoping import require_perm
from kefu.core.validation import check_text, full_clean
from kefu.timeline.services import diff, record, snapshot
from kefu.visits import events
from kefu.visits.choices import KEY_TIERS, FollowUpKind, Method, OwnerFrom, Trigger, VisitStatus
from kefu.visits.errors import QuestionAnswered, VisitNotPlanned
from kefu.visits.models import (
    RECEPTION_PROFILE,
    Reception,
    ReceptionQuestion,
    Visit,
    VisitFollowUp,
    VisitRule,
)
from kefu.worktime import clock
from kefu.worktime.choices import ClockMode

SH = ZoneInfo("Asia/Shanghai")
WORKDAY_MINUTES = 480  # 08:30–12:00 + 13:00–17:30 of the default work calendar
RULE_FIELDS = [
    "name",
    "trigger",
    "tier",
    "grade",
    "segment",
    "min_months",
    "max_months",
    "every_months",
    "method",
    "due_workdays",
    "owner_from",
    "order",
    "is_active",
]


# --- rules ----------------------------------------------------------------------------------
def save_rule(
    *, actor, rule: VisitRule | None = None, expected_version: int | None = None, **fields: Any
) -> VisitRule:
    """Create or change a return-visit rule (data the relationship supervisor edits). A change
    names the version the editor saw: of two supervisors editing one rule, the second is refused
    (ConcurrentUpdate) instead of silently undoing the first."""
    require_perm(actor, "visits.change_visitrule" if rule else "visits.add_visitrule")
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise ValidationFailed(fields={name: [_("Unknown field.")] for name in unknown})
    rule = rule or VisitRule()
    before = snapshot(rule, RULE_FIELDS) if rule.pk else {}
    for name, value in fields.items():
        setattr(rule, name, value)
    full_clean(rule)
    if rule.min_months is not None and rule.max_months is not None and rule.max_months <= rule.min_months:
        message = _("The upper bound must be above the lower bound.")
        raise ValidationFailed(message, fields={"max_months": [message]})
    with transaction.atomic():
        if before:
            save_versioned(rule, expected_version=expected_version, update_fields=list(fields))
        else:
            rule.save()
        record(rule, events.RULE_SAVED.code, actor=actor, data={"changes": diff(rule, before, RULE_FIELDS)})
    return rule


def _aware(value: datetime | None) -> datetime | None:
    """A time without an offset (an API client's local time) is read as Shanghai time."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=SH)
    return value


def _months_between(start: date, month: date) -> int:
    return (month.year - start.year) * 12 + month.month - start.month


def rule_matches(
    rule: VisitRule,
    *,
    tier: str,
    grade: str,
    since: date | None,
    month: date,
    segments: frozenset[int] | set[int] = frozenset(),
) -> bool:
    """Does a scheduled `rule` plan a visit for a customer (tier, grade, cooperation start, the
    segments it belongs to) in `month`?"""
    if rule.tier and rule.tier != tier:
        return False
    if rule.grade and rule.grade != grade:
        return False
    if rule.segment_id and rule.segment_id not in segments:
        return False
    if since is None:
        if rule.min_months is not None or rule.max_months is not None:
            return False
        return month.month % rule.every_months == 0
    age = _months_between(since, month)
    if age < 1:  # delivered this month: the first visit is next month
        return False
    if rule.min_months is not None and age < rule.min_months:
        return False
    if rule.max_months is not None and age >= rule.max_months:
        return False
    return age % rule.every_months == 0


def _owner_id(rule: VisitRule | None, kam_id: int | None, responsible_id: int | None) -> int | None:
    if rule is not None and rule.owner_from == OwnerFrom.RESPONSIBLE:
        return responsible_id or kam_id
    return kam_id or responsible_id


def segments_of_range(segment_ids: set[int], first_pk: int, last_pk: int) -> dict[int, set[int]]:
    """Which of `segment_ids` each customer with a key in [first_pk, last_pk] belongs to (one query)."""
    if not segment_ids:
        return {}
    from kefu.customers.queries import segment_members

    out: dict[int, set[int]] = {}
    for customer_id, segment_id in segment_members(segment_ids, first_pk, last_pk):
        out.setdefault(customer_id, set()).add(segment_id)
    return out


def due_for(start: datetime, workdays: int) -> datetime:
    """The due time `workdays` work days after `start`, on the one work calendar."""
    return clock.add_duration(start, workdays * WORKDAY_MINUTES, mode=ClockMode.BUSINESS)


def month_start(day: date) -> date:
    return day.replace(day=1)


@dataclass
class GenerationResult:
    period: str
    considered: int
    created: int


def generate_visits(period: date | None = None, *, batch: int = 5000) -> GenerationResult:
    """Plan the scheduled visits of one month (default: this month) from the active rules.

    One visit per customer and month (the first matching rule wins); running it again adds
    only what is missing. Customers are read in primary-key batches of plain values, so a
    million customers stream through in constant memory.
    """
    from kefu.customers.models import Customer

    month = month_start(period or clock.now().astimezone(SH).date())
    key = f"{month:%Y-%m}"
    rules = list(VisitRule.objects.filter(is_active=True, trigger=Trigger.SCHEDULE).order_by("order", "pk"))
    if not rules:
        return GenerationResult(key, 0, 0)
    start = datetime.combine(month, time(8, 30), tzinfo=SH)
    dues = {rule.pk: due_for(start, rule.due_workdays) for rule in rules}
    segment_ids = {rule.segment_id for rule in rules if rule.segment_id}
    before = Visit.objects.filter(plan_key=key).count()
    considered = 0
    last_pk = 0
    columns = (
        "pk",
        "tier",
        "grade",
        "cooperation_since",
        "is_key",
        "key_account_manager_id",
        "responsible_id",
        "sales_office_id",
    )
    while True:
        rows = list(
            Customer._base_manager.filter(pk__gt=last_pk, is_active=True)
            .order_by("pk")
            .values_list(*columns)[:batch]
        )
        if not rows:
            break
        first_pk, last_pk = rows[0][0], rows[-1][0]
        member_of = segments_of_range(segment_ids, first_pk, last_pk)
        visits = []
        for pk, tier, grade, since, customer_is_key, kam_id, responsible_id, office_id in rows:
            considered += 1
            segs: set[int] | frozenset[int] = member_of.get(pk, frozenset())
            rule = next(
                (
                    r
                    for r in rules
                    if rule_matches(r, tier=tier, grade=grade, since=since, month=month, segments=segs)
                ),
                None,
            )
            if rule is None:
                continue
            is_key = bool(customer_is_key) or tier in KEY_TIERS
            visits.append(
                Visit(
                    customer_id=pk,
                    sales_office_id=office_id,
                    owner_id=_owner_id(rule, kam_id, responsible_id),
                    rule=rule,
                    plan_key=key,
                    trigger=Trigger.SCHEDULE,
                    # Key customers are visited on site (seed 003), whatever the rule says.
                    method=Method.ON_SITE if is_key else rule.method,
                    is_key=is_key,
                    due_at=dues[rule.pk],
                    reason=rule.name,
                )
            )
        Visit.objects.bulk_create(visits, ignore_conflicts=True, batch_size=1000)
    created = Visit.objects.filter(plan_key=key).count() - before
    return GenerationResult(key, considered, created)


def plan_event_visit(
    *, customer, trigger: str, plan_key: str, reason: str, actor=None, at: datetime | None = None
) -> Visit | None:
    """Plan the visit an event calls for (a closed complaint, a low rating), once per event.

    The first active rule of that trigger matching the customer decides method, due time and
    owner; with no such rule nothing is planned.
    """
    rules = VisitRule.objects.filter(is_active=True, trigger=trigger).order_by("order", "pk")
    rule = next(
        (
            r
            for r in rules
            if (not r.tier or r.tier == customer.tier)
            and (not r.grade or r.grade == customer.grade)
            and (
                not r.segment_id
                or r.segment_id
                in segments_of_range({r.segment_id}, customer.pk, customer.pk).get(customer.pk, ())
            )
        ),
        None,
    )
    if rule is None:
        return None
    existing = Visit.objects.filter(customer=customer, plan_key=plan_key).first()
    if existing is not None:
        return existing
    is_key = is_key_customer(customer)
    with transaction.atomic():
        visit, created = Visit.objects.get_or_create(
            customer=customer,
            plan_key=plan_key,
            defaults={
                "sales_office_id": customer.sales_office_id,
                "owner_id": _owner_id(rule, customer.key_account_manager_id, customer.responsible_id),
                "rule": rule,
                "trigger": trigger,
                "method": Method.ON_SITE if is_key else rule.method,
                "is_key": is_key,
                "due_at": due_for(at or clock.now(), rule.due_workdays),
                "reason": reason[:200],
            },
        )
        if created:
            record(visit, events.VISIT_PLANNED.code, actor=actor, data={"reason": visit.reason})
    return visit


def plan_after_closed_complaints(now: datetime | None = None, *, days: int = 30) -> int:
    """Plan a visit after every complaint closed in the last `days` days (idempotent sweep)."""
    from kefu.complaints.models import Complaint

    now = now or clock.now()
    made = 0
    closed = (
        Complaint._base_manager.filter(is_open=False, closed_at__gte=now - timedelta(days=days))
        .select_related("customer")
        .only("pk", "number", "closed_at", "customer")
    )
    planned = set(Visit.objects.filter(plan_key__startswith="complaint:").values_list("plan_key", flat=True))
    for complaint in closed.iterator(chunk_size=500):
        key = f"complaint:{complaint.pk}"
        if key in planned:
            continue
        visit = plan_event_visit(
            customer=complaint.customer,
            trigger=Trigger.COMPLAINT_CLOSED,
            plan_key=key,
            reason=_("After complaint %(number)s was closed") % {"number": complaint.number},
            at=complaint.closed_at,
        )
        made += visit is not None
    return made


def plan_visit(
    *, actor, customer, due_at: datetime, method: str = Method.PHONE, owner=None, reason: str = ""
) -> Visit:
    """Plan one visit by hand (a quick action on the customer page)."""
    require_perm(actor, "visits.add_visit")
    from kefu.customers.models import Customer
    from kefu.org.scope import check_usable

    if customer is None or not Customer.objects.visible_to(actor).filter(pk=customer.pk).exists():
        raise ValidationFailed(fields={"customer": [_("Choose a customer in your scope.")]})
    if owner is not None:
        check_usable(actor, owner=owner)
    visit = Visit(
        customer=customer,
        sales_office_id=customer.sales_office_id,
        owner=owner or getattr(actor, "staff", None),
        plan_key=f"manual:{uuid.uuid4().hex[:20]}",
        trigger=Trigger.MANUAL,
        method=method,
        is_key=is_key_customer(customer),
        due_at=_aware(due_at) or clock.now(),
        reason=(reason or "").strip(),
        created_by=actor,
    )
    full_clean(visit)
    with transaction.atomic():
        visit.save()
        record(visit, events.VISIT_PLANNED.code, actor=actor, data={"reason": visit.reason})
    return visit


# --- recording ------------------------------------------------------------------------------
CARD_FIELDS = ("contact_name", "contact_phone", "position", "business", "volume_outlook", "next_contact")


def record_visit(
    visit: Visit,
    *,
    actor,
    expected_version: int | None,
    performed_at: datetime | None = None,
    method: str = "",
    contact_person: str = "",
    summary: str,
    needs: str = "",
    satisfaction: int | None = None,
    card: dict | None = None,
    follow_ups: Iterable[dict] = (),
) -> Visit:
    """Record a done visit and turn each problem found into a notification or complaint.

    Each follow-up {kind, description, owner} is created through the tickets or complaints
    service by the visitor and owned by the problem's owner; it links back to the visit. All or
    nothing: a follow-up refused (permission, bad input) leaves the visit planned.
    """
    require_perm(actor, "visits.change_visit")
    if visit.status != VisitStatus.PLANNED:
        raise VisitNotPlanned()
    summary = (summary or "").strip()
    if not summary:
        raise ValidationFailed(fields={"summary": [_("Write down what was said.")]})
    card = {k: str(v).strip() for k, v in (card or {}).items() if k in CARD_FIELDS and str(v or "").strip()}
    check_text(summary=summary, needs=needs, contact_person=contact_person, **card)
    now = clock.now()
    performed_at = _aware(performed_at) or now
    if performed_at > now + timedelta(minutes=5):
        raise ValidationFailed(fields={"performed_at": [_("The visit cannot be in the future.")]})
    rows = [dict(row) for row in follow_ups if (row.get("description") or "").strip()]
    for index, row in enumerate(rows):
        if row.get("kind") not in FollowUpKind.values:
            raise ValidationFailed(
                fields={f"follow_ups.{index}.kind": [_("Choose notification or complaint.")]}
            )
    with transaction.atomic():
        visit.status = VisitStatus.DONE
        visit.performed_at = performed_at
        visit.performed_by = actor
        visit.method = method or visit.method
        visit.contact_person = (contact_person or card.get("contact_name", "")).strip()
        visit.summary = summary
        visit.needs = (needs or "").strip()
        visit.satisfaction = satisfaction
        visit.card = card
        full_clean(visit)
        save_versioned(
            visit,
            expected_version=expected_version,
            update_fields=[
                "status",
                "performed_at",
                "performed_by",
                "method",
                "contact_person",
                "summary",
                "needs",
                "satisfaction",
                "card",
            ],
        )
        record(
            visit,
            events.VISIT_RECORDED.code,
            actor=actor,
            data={"summary": summary, "method": visit.method, "satisfaction": satisfaction, "card": card},
        )
        for row in rows:
            add_follow_up(
                visit, actor=actor, kind=row["kind"], description=row["description"], owner=row.get("owner")
            )
        from kefu.customers.models import Customer

        # The archive is kept current (动态管理): the last contact is this visit, and the data card
        # 客户资料卡 (contact, position, phone, needs, business, volume outlook) goes into the
        # customer's record through the archive's own services (validated, versioned, in its history).
        Customer._base_manager.filter(pk=visit.customer_id).update(last_contact_at=performed_at)
        from kefu.customers.services import apply_data_card

        apply_data_card(
            Customer.objects.select_for_update().get(pk=visit.customer_id),
            actor=actor,
            card=card,
            needs=visit.needs,
            at=performed_at,
        )
    return visit


def present_card(card: dict, user, customer=None) -> dict:
    """The data card for a page or the API, through the one personal-data rule (the customer's
    key-account manager and `view_personal_data` see it unmasked)."""
    from kefu.core.privacy import mask_payload
    from kefu.customers.queries import can_see_personal_data

    if not card or (user is not None and can_see_personal_data(user, customer)):
        return dict(card or {})
    return mask_payload(dict(card))


def add_follow_up(visit: Visit, *, actor, kind: str, description: str, owner=None) -> VisitFollowUp:
    """Create the notification or complaint a visit's problem calls for, owned by `owner`."""
    description = (description or "").strip()
    if not description:
        raise ValidationFailed(fields={"description": [_("Describe the problem.")]})
    customer = visit.customer
    notification = complaint = None
    with transaction.atomic():
        if kind == FollowUpKind.NOTIFICATION:
            from kefu.tickets.services import create_notification

            notification = create_notification(
                actor=actor,
                customer=customer,
                description=description[:40],
                long_text=_("From return visit of %(date)s: %(text)s")
                % {
                    "date": f"{(visit.performed_at or clock.now()).astimezone(SH):%Y-%m-%d}",
                    "text": description,
                },
                **({"responsible": owner} if owner is not None else {}),
            )
            number = notification.number
        elif kind == FollowUpKind.COMPLAINT:
            from kefu.complaints.services import create_complaint

            complaint = create_complaint(
                actor=actor,
                customer=customer,
                subject=description[:100],
                received_via="phone" if visit.method == Method.PHONE else "visit",
                owner=owner,
                description=description,
            )
            number = complaint.number
        else:
            raise ValidationFailed(fields={"kind": [_("Choose notification or complaint.")]})
        follow_up = VisitFollowUp.objects.create(
            visit=visit,
            kind=kind,
            description=description[:200],
            owner=owner,
            notification=notification,
            complaint=complaint,
        )
        record(
            visit,
            events.VISIT_FOLLOW_UP.code,
            actor=actor,
            data={"kind": kind, "number": number, "description": description},
        )
    return follow_up


def cancel_visit(visit: Visit, *, actor, expected_version: int | None, note: str) -> Visit:
    require_perm(actor, "visits.change_visit")
    if visit.status != VisitStatus.PLANNED:
        raise VisitNotPlanned()
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(fields={"note": [_("Say why the visit is cancelled.")]})
    check_text(note=note)
    with transaction.atomic():
        visit.status = VisitStatus.CANCELLED
        save_versioned(visit, expected_version=expected_version, update_fields=["status"])
        record(visit, events.VISIT_CANCELLED.code, actor=actor, data={"note": note})
    return visit


# --- receptions -----------------------------------------------------------------------------
def create_reception(*, actor, customer, questions: Iterable[dict] = (), **fields: Any) -> Reception:
    """Record a customer's visit to the company 客户接待记录表; open questions carry a deadline."""
    require_perm(actor, "visits.add_reception")
    from kefu.customers.models import Customer
    from kefu.workflow.engine import initial_status
    from kefu.workflow.models import StatusProfile

    if customer is None or not Customer.objects.visible_to(actor).filter(pk=customer.pk).exists():
        raise ValidationFailed(fields={"customer": [_("Choose a customer in your scope.")]})
    profile = StatusProfile.objects.get(code=RECEPTION_PROFILE)
    for name in ("started_at", "ended_at"):
        if name in fields:
            fields[name] = _aware(fields[name])
    reception = Reception(
        customer=customer,
        sales_office_id=customer.sales_office_id,
        status=initial_status(profile),
        created_by=actor,
        number="-",
        **fields,
    )
    full_clean(reception, exclude=["number"])
    if reception.ended_at and reception.ended_at < reception.started_at:
        raise ValidationFailed(fields={"ended_at": [_("The end must not be before the arrival.")]})
    items = []
    for index, row in enumerate(questions):
        if not (row.get("question") or "").strip():
            continue
        deadline = row.get("deadline")
        if deadline is None:
            raise ValidationFailed(
                fields={f"questions.{index}.deadline": [_("Give a deadline for the answer.")]}
            )
        item = ReceptionQuestion(question=row["question"].strip(), deadline=deadline)
        full_clean(item, exclude=["reception"])
        items.append(item)
    with transaction.atomic():
        reception.number = next_number(
            "reception", defaults={"name": "接待记录", "prefix": "JD", "width": 8}
        )[0]
        reception.save()
        for item in items:
            item.reception = reception
        ReceptionQuestion.objects.bulk_create(items)
        record(
            reception,
            events.RECEPTION_CREATED.code,
            actor=actor,
            data={"purpose": reception.get_purpose_display(), "questions": len(items)},
        )
        Customer._base_manager.filter(pk=customer.pk).update(last_contact_at=reception.started_at)
    return reception


def transition_reception(
    reception: Reception, to: str, *, actor, inputs: dict | None = None, expected_version: int | None = None
):
    """Submit, review or return a reception: a move of the one workflow engine (profile JD)."""
    require_perm(actor, "visits.change_reception")
    from kefu.workflow.engine import transition

    return transition(reception, to, actor=actor, inputs=inputs or {}, expected_version=expected_version)


def apply_reception_transition(reception: Reception, transition, inputs: dict, actor) -> list[str]:
    """The reviewer and review note go on the record when the supervisor reviews or returns it."""
    if not transition.is_approval and "review_note" not in inputs:
        return []
    reception.review_note = str(inputs.get("review_note", ""))[:300]
    reception.reviewed_by = actor
    reception.reviewed_at = clock.now()
    return ["review_note", "reviewed_by", "reviewed_at"]


def answer_question(question: ReceptionQuestion, *, actor, answer: str) -> ReceptionQuestion:
    require_perm(actor, "visits.change_reception")
    if question.answered_at is not None:
        raise QuestionAnswered()
    answer = (answer or "").strip()
    if not answer:
        raise ValidationFailed(fields={"answer": [_("Write the answer given to the customer.")]})
    check_text(answer=answer)
    with transaction.atomic():
        updated = ReceptionQuestion.objects.filter(pk=question.pk, answered_at__isnull=True).update(
            answer=answer, answered_at=clock.now()
        )
        if not updated:
            raise QuestionAnswered()
        question.refresh_from_db()
        record(
            question.reception,
            events.QUESTION_ANSWERED.code,
            actor=actor,
            data={"question": question.question},
        )
    return question


def is_key_customer(customer) -> bool:
    """关键客户 as the customer archive keeps it (tier 重要/主要, key account by hand or by sales)."""
    return bool(customer.is_key or customer.is_key_account) or customer.tier in KEY_TIERS


def key_customers_changed(customer_ids: list[int] | None = None) -> int:
    """Planned visits follow their customer's 关键客户 flag (the customers' recompute calls this), so
    "my visits due" keeps key customers first from its (owner, status, -is_key, due_at) index."""
    from kefu.customers.models import Customer

    planned = Visit.objects.filter(status=VisitStatus.PLANNED)
    if customer_ids is not None:
        planned = planned.filter(customer_id__in=customer_ids)
    key = Customer.objects.filter(is_key=True).values("pk")
    changed = planned.filter(is_key=False, customer_id__in=key).update(is_key=True)
    changed += planned.filter(is_key=True).exclude(customer_id__in=key).update(is_key=False)
    return changed
