"""Every write of contacts and calls: first-contact records, handovers, the sweep, CTI events,
wrap-up and outbound call lists. Views, the API, the webhook and tasks all come here."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from kefu.contacts import cti, events
from kefu.contacts.choices import (
    FINAL_FAILURES,
    RETRY_OUTCOMES,
    CallEventKind,
    CallOutcome,
    Channel,
    Direction,
    ListPurpose,
    Resolution,
    TaskStatus,
)
from kefu.contacts.errors import CallTaken, ContactClosed, OutsideCallingHours
from kefu.contacts.models import (
    AgentPresence,
    AgentQueue,
    Call,
    CallAttempt,
    CallEvent,
    CallList,
    CallTask,
    Contact,
    ContactPolicy,
    CtiSource,
    Handover,
    ScreenPop,
)
from kefu.core.errors import ConcurrentUpdate, ValidationFailed
from kefu.core.scoping import require_perm
from kefu.timeline.services import record
from kefu.worktime import clock

# Channels without a person at the desk when the contact arrives.
UNATTENDED = (Channel.PORTAL, Channel.MAIL, Channel.WECHAT)


def check_version(contact: Contact, expected_version: int | None) -> None:
    """The row is locked by the caller; a different version means someone saved meanwhile (409)."""
    if expected_version is not None and contact.version != expected_version:
        raise ConcurrentUpdate()


def _staff(user):
    return getattr(user, "staff", None) if user is not None else None


def policy_for(channel: str) -> ContactPolicy:
    """The channel's policy, else the default row, else the built-in default (60 min, 7 days)."""
    rows = {p.channel: p for p in ContactPolicy.objects.filter(channel__in=[channel, ""])}
    return rows.get(channel) or rows.get("") or ContactPolicy(answer_minutes=60, repeat_days=7)


def _office_for(customer, staff):
    if customer is not None:
        return customer.sales_office
    if staff is not None:
        return staff.sales_offices.order_by("code").first()
    return None


def find_repeat(contact: Contact) -> Contact | None:
    """An earlier contact of the same customer on the same matter within the policy's window.

    Same matter: the same notification or complaint, or an earlier contact still open."""
    if contact.customer_id is None:
        return None
    window = policy_for(contact.channel).repeat_days
    since = contact.received_at - timedelta(days=window)
    same = Q(is_open=True)
    if contact.notification_id:
        same |= Q(notification_id=contact.notification_id)
    if contact.complaint_id:
        same |= Q(complaint_id=contact.complaint_id)
    earlier = Q(received_at__lt=contact.received_at) | Q(received_at=contact.received_at, pk__lt=contact.pk)
    return (
        Contact.objects.filter(customer_id=contact.customer_id, received_at__gte=since)
        .filter(earlier)
        .filter(same)
        .order_by("-received_at", "-id")
        .first()
    )


@transaction.atomic
def record_contact(
    *,
    actor,
    channel: str = Channel.PHONE,
    direction: str = Direction.INBOUND,
    customer=None,
    person=None,
    phone: str = "",
    subject: str = "",
    received_at: datetime | None = None,
    first_responsible=None,
    notification=None,
    complaint=None,
) -> Contact:
    """Record a contact; whoever takes it first is its first responsible 首问负责人 (seed 004).

    Channels without a person at the desk (mail, portal, WeChat, the PBX before answer) pass
    `first_responsible=None`: the contact waits unowned and the sweep flags it when late."""
    if channel not in Channel.values:
        raise ValidationFailed(fields={"channel": [_("Choose one of the allowed values.")]})
    if person is not None and customer is not None and person.customer_id != customer.pk:
        raise ValidationFailed(fields={"person": [_("This contact person belongs to another customer.")]})
    if (
        first_responsible is None
        and actor is not None
        and channel in (Channel.PHONE, Channel.STAFF, Channel.VISIT)
    ):
        first_responsible = _staff(actor)
    contact = Contact(
        channel=channel,
        direction=direction,
        received_at=received_at or clock.now(),
        customer=customer,
        person=person,
        phone=phone,
        subject=subject[:200],
        sales_office=_office_for(customer, first_responsible),
        first_responsible=first_responsible,
        owner=first_responsible,
        notification=notification,
        complaint=complaint,
    )
    contact.full_clean()
    contact.save()
    repeat = find_repeat(contact)
    if repeat is not None:
        contact.repeat_of = repeat
        contact.save(update_fields=["repeat_of"])
    record(
        contact,
        events.CREATED.code,
        actor=actor,
        data={
            "channel": channel,
            "direction": direction,
            "first_responsible": first_responsible.name if first_responsible else "",
            "repeat_of": repeat.pk if repeat else None,
        },
    )
    return contact


@transaction.atomic
def take_contact(contact: Contact, *, actor) -> Contact:
    """An unowned contact (mail, portal, a queue call) is taken: the taker becomes first responsible."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    staff = _staff(actor)
    if staff is None or contact.first_responsible_id:
        return contact
    contact.first_responsible = contact.owner = staff
    contact.flag_unowned = False
    contact.version += 1
    contact.save(update_fields=["first_responsible", "owner", "flag_unowned", "version", "updated_at"])
    return contact


@transaction.atomic
def hand_over(
    contact: Contact, *, actor, to_staff, reason: str, due_at: datetime, expected_version: int | None = None
) -> Handover:
    """Hand a contact to the person whose duty it is, with a work liaison slip 工作联络单.

    The first responsible stays accountable and keeps seeing it until it is closed."""
    require_perm(actor, "contacts.handover_contact")
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    check_version(contact, expected_version)
    if not contact.is_open:
        raise ContactClosed()
    errors: dict[str, list[str]] = {}
    if to_staff is None or not to_staff.is_active:
        errors["to_staff"] = [_("Choose an active staff member.")]
    elif to_staff.pk == contact.owner_id:
        errors["to_staff"] = [_("This person already owns the contact.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Say why it is handed over.")]
    if due_at is not None and timezone.is_naive(due_at):
        due_at = timezone.make_aware(due_at)
    if due_at is None or due_at <= clock.now():
        errors["due_at"] = [_("Enter a time in the future.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    from_staff = contact.owner
    Handover.objects.filter(contact=contact, done_at__isnull=True).update(done_at=clock.now())
    slip = Handover.objects.create(
        contact=contact,
        from_staff=from_staff,
        to_staff=to_staff,
        reason=reason.strip(),
        due_at=due_at,
        created_by=actor,
    )
    if contact.first_responsible_id is None:
        contact.first_responsible = _staff(actor)
    contact.owner = to_staff
    contact.flag_unowned = False
    contact.version += 1
    contact.save(update_fields=["owner", "first_responsible", "flag_unowned", "version", "updated_at"])
    record(
        contact,
        events.HANDED_OVER.code,
        actor=actor,
        data={
            "to": to_staff.name,
            "from": from_staff.name if from_staff else "",
            "reason": slip.reason,
            "due_at": due_at,
        },
    )
    from kefu.channels.services import notify

    notify(
        recipient=to_staff,
        target=contact,
        message=_("Work liaison slip: %(reason)s") % {"reason": slip.reason[:120]},
        url=reverse("contacts:detail", args=[contact.pk]),
        actor=actor,
    )
    return slip


@transaction.atomic
def close_contact(contact: Contact, *, actor, expected_version: int | None = None, note: str = "") -> Contact:
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    check_version(contact, expected_version)
    if not contact.is_open:
        raise ContactClosed()
    now = clock.now()
    contact.is_open = False
    contact.closed_at = now
    contact.answered_at = contact.answered_at or now
    contact.flag_unowned = contact.flag_unanswered = False
    if note:
        contact.note = (contact.note + "\n" + note).strip()
    contact.version += 1
    contact.save()
    Handover.objects.filter(contact=contact, done_at__isnull=True).update(done_at=now)
    record(contact, events.CLOSED.code, actor=actor, data={"note": note})
    return contact


def sweep(now: datetime | None = None) -> int:
    """Flag open contacts with no owner or no answer after the policy's time, and repeats.

    Idempotent: a flag is set once (one timeline entry), and cleared by taking/answering."""
    now = now or clock.now()
    flagged = 0
    policies = {p.channel: p for p in ContactPolicy.objects.all()}
    default = policies.get("") or ContactPolicy(answer_minutes=60, repeat_days=7)
    for channel in Channel.values:
        policy = policies.get(channel, default)
        late = now - timedelta(minutes=policy.answer_minutes)
        base = Contact.objects.filter(channel=channel, is_open=True, received_at__lte=late)
        for reason, qs, field in (
            ("unowned", base.filter(owner__isnull=True, flag_unowned=False), "flag_unowned"),
            ("unanswered", base.filter(answered_at__isnull=True, flag_unanswered=False), "flag_unanswered"),
        ):
            for pk in list(qs.values_list("pk", flat=True)[:1000]):
                flagged += _flag(pk, field, [reason], now)
    # A repeat that came in by itself (mail, portal, WeChat) and is still unanswered is late at
    # once: the customer already had to come back (seed 004: never make a customer call twice).
    repeats = Contact.objects.filter(
        channel__in=UNATTENDED,
        is_open=True,
        repeat_of__isnull=False,
        answered_at__isnull=True,
        flag_unanswered=False,
    )
    for pk in list(repeats.values_list("pk", flat=True)[:1000]):
        flagged += _flag(pk, "flag_unanswered", ["repeat"], now)
    # Repeats found after the fact (a wrap-up linked the notification later).
    recent = Contact.objects.filter(repeat_of__isnull=True, received_at__gte=now - timedelta(days=31)).filter(
        Q(notification__isnull=False) | Q(complaint__isnull=False)
    )
    for contact in recent.iterator(chunk_size=500):
        repeat = find_repeat(contact)
        if repeat is not None:
            Contact.objects.filter(pk=contact.pk, repeat_of__isnull=True).update(repeat_of=repeat)
            flagged += 1
    return flagged


def _flag(pk: int, field: str, reasons: list[str], now: datetime) -> int:
    """Set one flag once (a concurrent sweep finds it set and records nothing)."""
    with transaction.atomic():
        changed = Contact.objects.filter(pk=pk, **{field: False}).update(**{field: True, "flagged_at": now})
        if changed:
            record(Contact.objects.get(pk=pk), events.FLAGGED.code, data={"reasons": reasons}, at=now)
    return changed


# --- the CTI webhook -------------------------------------------------------------------------
def _agent_user(code: str):
    if not code:
        return None
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(Q(username=code) | Q(staff__personnel_number=code))
        .select_related("staff")
        .first()
    )


def ingest_event(source: CtiSource, payload: dict[str, Any]) -> tuple[Call, bool]:
    """Store one PBX event and re-derive its call. Returns (call, new): a replayed event id
    changes nothing and answers new=False. Events may come in any order."""
    errors: dict[str, list[str]] = {}
    event_id = str(payload.get("event_id") or "").strip()[:80]
    call_id = str(payload.get("call_id") or "").strip()[:80]
    kind = payload.get("kind")
    at = payload.get("at")
    if isinstance(at, str):
        at = parse_datetime(at)
    direction = payload.get("direction") or Direction.INBOUND
    if not event_id:
        errors["event_id"] = [_("This field is required.")]
    if not call_id:
        errors["call_id"] = [_("This field is required.")]
    if kind not in CallEventKind.values:
        errors["kind"] = [_("Choose one of the allowed values.")]
    if not isinstance(at, datetime):
        errors["at"] = [_("Enter a valid date and time.")]
    elif timezone.is_naive(at):
        at = timezone.make_aware(at)
    if direction not in Direction.values:
        errors["direction"] = [_("Choose one of the allowed values.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    assert isinstance(at, datetime) and isinstance(kind, str)  # checked above
    existing = CallEvent.objects.filter(source=source, event_id=event_id).select_related("call").first()
    if existing is not None:
        return existing.call, False
    try:
        with transaction.atomic():
            call, _created = _call_for(source, call_id, payload, direction, at)
            CallEvent.objects.create(
                source=source,
                event_id=event_id,
                call=call,
                kind=kind,
                at=at,
                agent=str(payload.get("agent") or "")[:40],
            )
            _derive(call)
            record(
                call.contact,
                events.CALL_EVENT.code,
                data={"kind": kind, "agent": payload.get("agent") or ""},
                at=at,
            )
            if kind == CallEventKind.RING and call.end_at is None:
                if call.agent_id:
                    _pop(call, call.agent)
                else:
                    _route_to_queue(call, payload)
    except IntegrityError:  # the same event raced in on another worker: it is stored once
        existing = CallEvent.objects.select_related("call").get(source=source, event_id=event_id)
        return existing.call, False
    return call, True


def _call_for(source, call_id: str, payload: dict, direction: str, at: datetime) -> tuple[Call, bool]:
    call = Call.objects.select_for_update().filter(source=source, external_id=call_id).first()
    if call is not None:
        return call, False
    number = str(payload.get("number") or "")[:40]
    candidates = cti.match_customers(number)
    customer = person = None
    if len(candidates) == 1 or (candidates and len({c["customer"] for c in candidates}) == 1):
        from kefu.customers.models import Contact as Person
        from kefu.customers.models import Customer

        customer = Customer.objects.select_related("sales_office").get(pk=candidates[0]["customer"])
        person_id = candidates[0].get("person")
        person = Person.objects.filter(pk=person_id).first() if person_id else None
    contact = record_contact(
        actor=None,
        channel=Channel.PHONE,
        direction=direction,
        customer=customer,
        person=person,
        phone=number,
        received_at=at,
    )
    call = Call.objects.create(
        contact=contact,
        source=source,
        external_id=call_id,
        direction=direction,
        number=number,
        national_number=cti.national_number(number),
        candidates=candidates,
    )
    return call, True


def _derive(call: Call) -> None:
    """The call as its events say, whatever order they came in: first ring, first answer, last
    hang-up; the answering agent wins over the ringing one."""
    rows = list(CallEvent.objects.filter(call=call).order_by("at", "id"))
    rings = [e for e in rows if e.kind == CallEventKind.RING]
    answers = [e for e in rows if e.kind == CallEventKind.ANSWER]
    hangups = [e for e in rows if e.kind == CallEventKind.HANGUP]
    call.ring_at = rings[0].at if rings else rows[0].at
    call.answer_at = answers[0].at if answers else None
    call.end_at = hangups[-1].at if hangups else None
    if call.answer_at and call.end_at and call.end_at < call.answer_at:
        call.end_at = call.answer_at
    agent_code = next((e.agent for e in answers if e.agent), "") or next(
        (e.agent for e in rows if e.agent), ""
    )
    agent = _agent_user(agent_code)
    if agent is not None:
        call.agent = agent
    if call.answer_at:
        call.outcome = CallOutcome.ANSWERED if call.end_at else CallOutcome.TALKING
    else:
        call.outcome = CallOutcome.MISSED if call.end_at else CallOutcome.RINGING
    call.save()
    contact = call.contact
    changed = []
    if call.answer_at and contact.answered_at != call.answer_at:
        contact.answered_at = call.answer_at
        changed.append("answered_at")
    staff = _staff(call.agent) if call.answer_at else None
    if staff is not None and contact.first_responsible_id is None:
        # 首问负责制: the agent who picks up is the first responsible.
        contact.first_responsible = contact.owner = staff
        contact.flag_unowned = False
        changed += ["first_responsible", "owner", "flag_unowned"]
        if contact.sales_office_id is None:
            contact.sales_office = _office_for(None, staff)
            changed.append("sales_office")
    if changed:
        contact.save(update_fields=[*changed, "updated_at"])


def _pop(call: Call, user) -> None:
    if user is None or not user.has_perm("contacts.answer_call"):
        return
    ScreenPop.objects.get_or_create(user=user, call=call)


# --- queue routing -----------------------------------------------------------------------
PRESENCE_SECONDS = 15  # connected = the browser asked for pops this recently (it polls every 0.7 s)
PRESENCE_WRITE_SECONDS = 5  # a poll writes the presence row at most this often
TALK_HOURS = 4  # an answered call without a hang-up older than this no longer makes an agent busy


def touch_presence(user) -> None:
    """The agent's Kefu is open and listening (called by the pop poll); at most one write per 5 s."""
    from django.core.cache import cache

    key = f"contacts.presence:{user.pk}"
    if cache.get(key):
        return
    now = clock.now()
    if not AgentPresence.objects.filter(user=user).update(seen_at=now):
        AgentPresence.objects.get_or_create(user=user, defaults={"seen_at": now})
    cache.set(key, 1, PRESENCE_WRITE_SECONDS)


def queue_for(payload: dict[str, Any]) -> AgentQueue | None:
    """The queue a ring is for: the `queue` the PBX names (code or number), the dialled number, or
    a hunt-group number sent as the agent; a ring naming nobody goes to the default queue."""
    queues = list(AgentQueue.objects.filter(is_active=True))
    for field in ("queue", "dialled", "agent"):
        wanted = str(payload.get(field) or "").strip()
        if not wanted:
            continue
        digits = cti.national_number(wanted) if any(ch.isdigit() for ch in wanted) else ""
        for queue in queues:
            numbers = queue.number_list()
            if wanted == queue.code or wanted in numbers:
                return queue
            if digits and digits in {cti.national_number(n) for n in numbers}:
                return queue
    if not str(payload.get("agent") or "").strip():
        return next((q for q in queues if q.is_default), None)
    return None


def available_agents(queue: AgentQueue, now: datetime | None = None) -> list:
    """Members of the queue who are connected (their Kefu polled lately) and not on a call."""
    now = now or clock.now()
    connected = AgentPresence.objects.filter(seen_at__gte=now - timedelta(seconds=PRESENCE_SECONDS))
    busy = Call.objects.filter(
        agent__isnull=False,
        answer_at__isnull=False,
        end_at__isnull=True,
        answer_at__gte=now - timedelta(hours=TALK_HOURS),
    )
    return list(
        queue.members.filter(is_active=True)
        .filter(pk__in=connected.values("user_id"))
        .exclude(pk__in=busy.values("agent_id"))
        .order_by("pk")
    )


def _route_to_queue(call: Call, payload: dict[str, Any]) -> None:
    queue = queue_for(payload)
    if queue is None:
        return
    if call.queue_id != queue.pk:
        call.queue = queue
        call.save(update_fields=["queue", "updated_at"])
    contact = call.contact
    if contact.sales_office_id is None and queue.sales_office_id:  # an unknown caller: the queue's centre
        contact.sales_office = queue.sales_office
        contact.save(update_fields=["sales_office", "updated_at"])
    # One insert for every connected member (a hotline queue may have fifty): the webhook answers
    # sooner and its transaction holds the write lock for less time.
    ScreenPop.objects.bulk_create(
        [
            ScreenPop(user=user, call=call)
            for user in available_agents(queue)
            if user.has_perm("contacts.answer_call")
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def take_call(call: Call, *, actor) -> Call:
    """An agent takes a queue call from the screen pop: the first one owns it (and becomes the
    contact's first responsible); a later taker gets 409 with who has it."""
    require_perm(actor, "contacts.answer_call")
    taken = Call.objects.filter(pk=call.pk, agent__isnull=True).update(agent=actor, updated_at=timezone.now())
    call = Call.objects.select_related("contact", "agent", "queue").get(pk=call.pk)
    if not taken:
        if call.agent_id == actor.pk:
            return call
        agent = call.agent
        who = getattr(getattr(agent, "staff", None), "name", "") or (agent.get_username() if agent else "")
        raise CallTaken(_("%(name)s has already taken this call.") % {"name": who})
    take_contact(call.contact, actor=actor)
    record(
        call.contact,
        events.TAKEN.code,
        actor=actor,
        data={"queue": call.queue.code if call.queue is not None else "", "agent": actor.get_username()},
    )
    return call


def simulate_ring(*, actor, number: str) -> Call:
    """A test call 模拟来电 to the actor's own screen, through the same path as the PBX."""
    require_perm(actor, "contacts.answer_call")
    source, _created = CtiSource.objects.get_or_create(
        key="simulator", defaults={"name": _("Simulator"), "secret": "", "is_active": False}
    )
    stamp = timezone.now()
    call_id = f"sim-{actor.pk}-{stamp.timestamp():.6f}"
    call, _new = ingest_event(
        source,
        {
            "event_id": call_id + "-ring",
            "call_id": call_id,
            "kind": "ring",
            "at": stamp,
            "number": number,
            "agent": actor.get_username(),
        },
    )
    return call


# --- the agent's side ------------------------------------------------------------------------
@transaction.atomic
def pick_customer(call: Call, *, actor, customer, person=None) -> Call:
    """The agent says which of several matching customers is calling (or names another)."""
    require_perm(actor, "contacts.answer_call")
    contact = Contact.objects.select_for_update().get(pk=call.contact_id)
    if person is not None and person.customer_id != customer.pk:
        raise ValidationFailed(fields={"person": [_("This contact person belongs to another customer.")]})
    contact.customer = customer
    contact.person = person
    contact.sales_office = customer.sales_office
    contact.version += 1
    contact.save(update_fields=["customer", "person", "sales_office", "version", "updated_at"])
    repeat = find_repeat(contact)
    if repeat is not None and contact.repeat_of_id is None:
        contact.repeat_of = repeat
        contact.save(update_fields=["repeat_of"])
    record(
        contact,
        events.CUSTOMER_PICKED.code,
        actor=actor,
        data={"customer": f"{customer.number} {customer.name}"},
    )
    call.contact = contact
    return call


def touched_records(contact: Contact, user) -> dict:
    """Notifications and complaints of the caller created by this agent since the call began:
    the records the call created, linked at wrap-up without the agent having to name them."""
    from kefu.complaints.models import Complaint
    from kefu.tickets.models import Notification

    if contact.customer_id is None:
        return {"notification": None, "complaint": None}
    since = contact.received_at - timedelta(minutes=1)
    notification = (
        Notification.objects.filter(customer_id=contact.customer_id, created_by=user, created_at__gte=since)
        .order_by("-created_at")
        .first()
    )
    complaint = (
        Complaint.objects.filter(customer_id=contact.customer_id, created_by=user, created_at__gte=since)
        .order_by("-created_at")
        .first()
    )
    return {"notification": notification, "complaint": complaint}


@transaction.atomic
def wrap_up(
    contact: Contact,
    *,
    actor,
    classification: str,
    resolution: str,
    steps: dict,
    subject: str = "",
    note: str = "",
    handover_to=None,
    handover_reason: str = "",
    handover_due=None,
    expected_version: int | None = None,
) -> Contact:
    """The agent's wrap-up 话后处理 along seed 003's flow: resolved closes the contact, handed
    over writes a work liaison slip, follow-up keeps it open with the agent."""
    require_perm(actor, "contacts.answer_call")
    locked = Contact.objects.select_for_update().get(pk=contact.pk)
    check_version(locked, expected_version)
    if not locked.is_open:
        raise ContactClosed()
    if resolution == Resolution.HANDED_OVER and handover_to is None:
        raise ValidationFailed(fields={"handover_to": [_("Choose who takes it over.")]})
    linked = touched_records(locked, actor)
    locked.classification = classification
    locked.resolution = resolution
    locked.steps = {k: bool(v) if isinstance(v, bool) else v for k, v in (steps or {}).items()}
    locked.subject = (subject or locked.subject)[:200]
    locked.note = note
    locked.notification = locked.notification or linked["notification"]
    locked.complaint = locked.complaint or linked["complaint"]
    if locked.first_responsible_id is None:
        locked.first_responsible = locked.owner = _staff(actor)
    locked.answered_at = locked.answered_at or clock.now()
    locked.version += 1
    locked.full_clean()
    locked.save()
    Call.objects.filter(contact=locked).update(wrapped_up=True)
    record(
        locked,
        events.WRAPPED_UP.code,
        actor=actor,
        data={"classification": classification, "resolution": resolution, "note": note[:200]},
    )
    if resolution == Resolution.HANDED_OVER:
        hand_over(locked, actor=actor, to_staff=handover_to, reason=handover_reason, due_at=handover_due)
    elif resolution == Resolution.RESOLVED:
        close_contact(locked, actor=actor)
    return Contact.objects.get(pk=locked.pk)


# --- outbound call lists ---------------------------------------------------------------------
@transaction.atomic
def create_call_list(
    *, actor, name: str, purpose: str, sales_office, customers, agents, references=None, **options
) -> CallList:
    """A list 外呼任务 of customers shared round-robin over the agents' queues; each task is first
    offered at the list's next calling time (never outside its calling hours)."""
    require_perm(actor, "contacts.add_calllist")
    from kefu.org.scope import check_usable

    check_usable(actor, sales_office=sales_office)
    if not agents:
        raise ValidationFailed(fields={"agents": [_("Choose at least one agent.")]})
    not_agents = [
        a.get_username() for a in agents if not a.is_active or not a.has_perm("contacts.answer_call")
    ]
    if not_agents:
        raise ValidationFailed(
            fields={"agents": [_("Not an agent: %(names)s") % {"names": ", ".join(not_agents)}]}
        )
    call_list = CallList(name=name, purpose=purpose, sales_office=sales_office, created_by=actor, **options)
    call_list.full_clean()
    call_list.save()
    first = next_calling_time(call_list, clock.now())
    references = references or {}
    tasks = [
        CallTask(
            call_list=call_list,
            customer=customer,
            agent=agents[i % len(agents)],
            next_attempt_at=first,
            reference=str(references.get(getattr(customer, "pk", customer), ""))[:120],
        )
        for i, customer in enumerate(customers)
    ]
    CallTask.objects.bulk_create(tasks, ignore_conflicts=True, batch_size=1000)
    record(
        call_list,
        events.CALL_LIST_CREATED.code,
        actor=actor,
        data={"name": call_list.name, "purpose": purpose, "tasks": len(tasks)},
    )
    return call_list


@transaction.atomic
def build_call_list(
    *,
    actor,
    purpose: str,
    sales_office,
    agents,
    name: str = "",
    days: int = 7,
    year: int | None = None,
    **options,
) -> CallList:
    """A call list from a selection the owning apps make (return visits due, unrated services,
    the December needs survey, overdue acceptance confirmations), limited to the centre's customers."""
    from kefu.contacts.queries import select_for_list
    from kefu.customers.models import Customer

    rows = select_for_list(actor, purpose, days=days, year=year)
    references = {r["customer"]: r["reference"] for r in rows}
    order = {pk: i for i, pk in enumerate(references)}
    customers = sorted(
        Customer.objects.filter(pk__in=list(references), sales_office=sales_office).only("id"),
        key=lambda c: order[c.pk],
    )
    if not customers:
        raise ValidationFailed(fields={"purpose": [_("The selection found no customer of this centre.")]})
    label = str(ListPurpose(purpose).label)
    return create_call_list(
        actor=actor,
        name=(name or f"{label} {timezone.localdate():%Y-%m-%d}")[:100],
        purpose=purpose,
        sales_office=sales_office,
        customers=customers,
        agents=agents,
        references=references,
        **options,
    )


def calling_allowed(call_list: CallList, at: datetime) -> bool:
    """Inside the list's calling hours, on a day the work calendar says people work (if it asks)."""
    local = timezone.localtime(at)
    if not call_list.calling_from <= local.time() <= call_list.calling_until:
        return False
    return not call_list.working_days_only or clock.load_calendar().is_working_day(local.date())


within_hours = calling_allowed


def next_calling_time(call_list: CallList, at: datetime) -> datetime:
    """`at` when calls are allowed then, else the start of the list's next calling window."""
    local = timezone.localtime(at)
    spec = clock.load_calendar()
    for offset in range(0, 60):
        day = local.date() + timedelta(days=offset)
        if call_list.working_days_only and not spec.is_working_day(day):
            continue
        start = datetime.combine(day, call_list.calling_from, tzinfo=local.tzinfo)
        end = datetime.combine(day, call_list.calling_until, tzinfo=local.tzinfo)
        if local <= end:
            return max(local, start)
    return at


def next_task(agent, now: datetime | None = None) -> CallTask | None:
    """The agent's next call: due, on an open list, inside the list's calling hours and days."""
    now = now or clock.now()
    local = timezone.localtime(now)
    qs = CallTask.objects.filter(
        agent=agent,
        status__in=[TaskStatus.PENDING, TaskStatus.RETRY],
        next_attempt_at__lte=now,
        call_list__is_open=True,
        call_list__calling_from__lte=local.time(),
        call_list__calling_until__gte=local.time(),
    )
    if not clock.load_calendar().is_working_day(local.date()):
        qs = qs.filter(call_list__working_days_only=False)
    return qs.select_related("call_list", "customer").order_by("next_attempt_at", "id").first()


@transaction.atomic
def record_attempt(
    task: CallTask,
    *,
    actor,
    outcome: str,
    note: str = "",
    at: datetime | None = None,
    retry_at: datetime | None = None,
) -> CallAttempt:
    """One attempt (seed 003 outbound flow: prepare, call, record, follow up). No answer, busy or
    "call back" puts the task back at `retry_at` (or after the list's retry time), moved into the
    next calling window; the last allowed attempt gives it up."""
    require_perm(actor, "contacts.answer_call")
    task = CallTask.objects.select_for_update().select_related("call_list", "customer").get(pk=task.pk)
    at = at or clock.now()
    if task.status in (TaskStatus.DONE, TaskStatus.FAILED):
        raise ContactClosed()
    if not within_hours(task.call_list, at):
        raise OutsideCallingHours()
    from kefu.contacts.choices import AttemptOutcome

    if outcome not in AttemptOutcome.values:
        raise ValidationFailed(fields={"outcome": [_("Choose one of the allowed values.")]})
    contact = record_contact(
        actor=actor,
        channel=Channel.PHONE,
        direction=Direction.OUTBOUND,
        customer=task.customer,
        phone=task.customer.phone or task.customer.mobile,
        subject=task.call_list.name,
        received_at=at,
    )
    attempt = CallAttempt.objects.create(
        task=task, at=at, by=actor, outcome=outcome, note=note, contact=contact
    )
    task.attempts += 1
    task.last_outcome = outcome
    if retry_at is not None and timezone.is_naive(retry_at):
        retry_at = timezone.make_aware(retry_at)
    if retry_at is not None and retry_at <= at:
        raise ValidationFailed(fields={"retry_at": [_("Enter a time in the future.")]})
    if outcome in RETRY_OUTCOMES and task.attempts < task.call_list.max_attempts:
        task.status = TaskStatus.RETRY
        wanted = retry_at or at + timedelta(minutes=task.call_list.retry_minutes)
        task.next_attempt_at = next_calling_time(task.call_list, wanted)
    elif outcome in RETRY_OUTCOMES or outcome in FINAL_FAILURES:
        task.status = TaskStatus.FAILED
        task.next_attempt_at = None
    else:
        task.status = TaskStatus.DONE
        task.next_attempt_at = None
    task.save()
    contact.answered_at = at if outcome != "no_answer" else None
    contact.note = note
    contact.save(update_fields=["answered_at", "note"])
    close_contact(contact, actor=actor)
    record(contact, events.ATTEMPT.code, actor=actor, data={"outcome": outcome, "note": note})
    return attempt


def record_inbound(*, channel: str, actor, created, customer=None, person=None, subject: str = "") -> Contact:
    """The first-contact record of a request that came in by itself (portal, mail, WeChat) and
    became `created` (a notification or a complaint): unowned until someone at the desk takes it,
    so the sweep flags it when nobody answers in time (首问负责制, every inbound channel)."""
    from kefu.complaints.models import Complaint

    is_complaint = isinstance(created, Complaint)
    return record_contact(
        actor=actor,
        channel=channel,
        customer=customer,
        person=person,
        subject=subject,
        first_responsible=None,
        notification=None if is_complaint else created,
        complaint=created if is_complaint else None,
    )


@transaction.atomic
def record_again(*, channel: str, actor, target, customer=None, person=None, subject: str = "") -> Contact:
    """The customer comes back on a record that exists: a mail reply threaded onto it, a portal
    message, a WeChat message about it. A new inbound contact on the same matter; within the
    policy's window it is a repeat 重复联系 of the earlier contact, goes straight to that contact's
    first responsible (who stays accountable, seed 004) and tells them, and the sweep flags it
    while it is unanswered. Outside the window it waits unowned like any new inbound contact."""
    from kefu.complaints.models import Complaint

    is_complaint = isinstance(target, Complaint)
    contact = record_contact(
        actor=actor,
        channel=channel,
        customer=customer if customer is not None else getattr(target, "customer", None),
        person=person,
        subject=subject or getattr(target, "subject", "") or getattr(target, "description", ""),
        first_responsible=None,
        notification=None if is_complaint else target,
        complaint=target if is_complaint else None,
    )
    earlier = contact.repeat_of
    if earlier is None:
        return contact
    responsible = earlier.first_responsible or earlier.owner
    if responsible is not None and responsible.is_active:
        contact.first_responsible = responsible
        owner = earlier.owner
        contact.owner = owner if owner is not None and owner.is_active else responsible
        contact.version += 1
        contact.save(update_fields=["first_responsible", "owner", "version", "updated_at"])
    from kefu.channels.services import notify

    number = getattr(target, "number", "")
    message = _("%(customer)s came back about %(number)s (repeat contact, %(channel)s): %(subject)s") % {
        "customer": contact.customer.name if contact.customer is not None else "",
        "number": number,
        "channel": Channel(channel).label,
        "subject": contact.subject[:80],
    }
    url = reverse("contacts:detail", args=[contact.pk])
    told = set()
    for staff in (contact.first_responsible, contact.owner):
        if staff is not None and staff.user_id and staff.pk not in told:
            told.add(staff.pk)
            notify(recipient=staff, target=contact, message=message, url=url, actor=actor)
    return contact
