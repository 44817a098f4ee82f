"""Read side of contacts and calls: scoped lists, the caller card 来电弹屏 and the pop cursor."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.contacts.choices import CallOutcome, Direction
from kefu.contacts.models import Call, CallList, CallTask, Contact, ScreenPop
from kefu.core.masking import mask_phone
from kefu.core.scoping import Owners, owners_of, scope_signature

POP_WINDOW = timedelta(minutes=10)  # a browser that reconnects later still gets these pops


def contacts_for(user) -> QuerySet[Contact]:
    return Contact.objects.visible_to(user).select_related(
        "customer", "person", "first_responsible", "owner", "sales_office"
    )


def calls_for(user) -> QuerySet[Call]:
    return Call.objects.visible_to(user).select_related(
        "contact__customer", "contact__first_responsible", "contact__owner", "agent"
    )


# What a row of the call log shows (`present_call`): the list page and the API list read only these
# columns, not the customer's and the contact's whole rows.
CALL_ROW_FIELDS = (
    "id", "external_id", "direction", "number", "national_number", "candidates", "ring_at",
    "answer_at", "end_at", "outcome", "wrapped_up", "contact__id", "contact__customer__id",
    "contact__customer__name", "contact__customer__key_account_manager", "agent__id", "agent__username",
)  # fmt: skip


def call_rows_for(user) -> QuerySet[Call]:
    """The call log as lists show it (scoped, newest first, narrow rows)."""
    return Call.objects.visible_to(user).select_related("contact__customer", "agent").only(*CALL_ROW_FIELDS)


def call_lists_for(user) -> QuerySet[CallList]:
    return CallList.objects.visible_to(user).select_related("sales_office", "created_by")


def my_queue(user) -> QuerySet[CallTask]:
    return (
        CallTask.objects.filter(agent=user, call_list__is_open=True, status__in=["pending", "retry"])
        .select_related("call_list", "customer")
        .order_by("next_attempt_at", "id")
    )


def unmasked_for(user, customer=None) -> bool:
    from kefu.customers.queries import can_see_personal_data

    return can_see_personal_data(user, customer)


def show_phone(user, value: str, customer=None) -> str:
    return value if unmasked_for(user, customer) else mask_phone(value)


def display_number(call: Call) -> str:
    """The caller's number as people dial it at home: 13812345678, 02158881234."""
    national = call.national_number
    if not national:
        return call.number
    return national if national.startswith("1") else "0" + national


def pops_after(user, after: int, *, live_only: bool = False) -> list[dict]:
    """The screen pops for `user` newer than the browser's cursor (and not older than the window);
    `live_only`: only calls still ringing or talking that nobody else took (a page's first ask)."""
    since = timezone.now() - POP_WINDOW
    qs = ScreenPop.objects.filter(user=user, id__gt=max(after, 0), created_at__gte=since)
    if live_only:
        qs = qs.filter(call__end_at__isnull=True).filter(Q(call__agent__isnull=True) | Q(call__agent=user))
    rows = qs.order_by("id").values("id", "call_id")[:10]
    return [
        {"id": r["id"], "call": r["call_id"], "card": reverse("contacts:call_card", args=[r["call_id"]])}
        for r in rows
    ]


def withdrawn_pops(user, shown: list[int] | None = None) -> list[int]:
    """Queue calls popped on this agent's screen that a colleague took meanwhile: the browser
    removes those cards (the first to take a queue call owns it). A browser that says which
    takeable cards it `shown` is asked about those only (none shown: no query at all)."""
    if shown is not None and not shown:
        return []
    since = timezone.now() - POP_WINDOW
    qs = ScreenPop.objects.filter(user=user, created_at__gte=since, call__queue__isnull=False)
    if shown is not None:
        qs = qs.filter(call_id__in=shown[:20])
    return list(
        qs.exclude(call__agent__isnull=True).exclude(call__agent=user).values_list("call_id", flat=True)[:20]
    )


def popped_call(user, call_id: int | None = None, *, pop_id: int | None = None) -> Call | None:
    """A call that popped on `user`'s screen (by the call's id, or by the pop's for the card the push
    stream carries), for its card: the pop itself makes it visible to them
    (`CallQuerySet.visible_to`), so one prepared lookup serves every agent (kefu.core.prepared; the
    woken poll of fifty queue members in the same second compiled fifty querysets before). Another
    user's pop finds nothing."""
    from kefu.core import prepared

    by_pop = pop_id is not None
    rows = prepared.fetch(
        "contacts.popped_call:pop" if by_pop else "contacts.popped_call",
        lambda pk, user_id: Call.objects.select_related(
            "contact__customer", "contact__first_responsible", "contact__owner", "agent"
        ).filter(**{"pops__pk" if by_pop else "pk": pk}, pops__user_id=user_id),
        pk=pop_id if by_pop else call_id,
        user_id=user.pk,
    )
    return rows[0] if rows else None


def pop_events_after(cursor: int) -> list[tuple[int, int]]:
    """Every agent's pops newer than `cursor`, as (pop id, user id): what the push server tails
    (kefu.core.push; one primary-key range for all listening agents)."""
    return list(ScreenPop.objects.filter(id__gt=cursor).order_by("id").values_list("id", "user_id")[:500])


def newest_pop_id() -> int:
    return ScreenPop.objects.order_by("-id").values_list("id", flat=True).first() or 0


def latest_pop_id(user) -> int:
    row = ScreenPop.objects.filter(user=user).order_by("-id").values_list("id", flat=True).first()
    return row or 0


def present_contact(contact: Contact, user) -> dict:
    customer = contact.customer
    return {
        "id": contact.pk,
        "channel": contact.channel,
        "channel_label": str(contact.get_channel_display()),
        "direction": contact.direction,
        "direction_label": str(contact.get_direction_display()),
        "received_at": contact.received_at,
        "customer_id": contact.customer_id,
        "customer_number": customer.number if customer else "",
        "customer": customer.name if customer else "",
        "person": contact.person.name if contact.person else "",
        "phone": show_phone(user, contact.phone, customer),
        "subject": contact.subject,
        "first_responsible": contact.first_responsible.name if contact.first_responsible else "",
        "owner": contact.owner.name if contact.owner else "",
        "is_open": contact.is_open,
        "answered_at": contact.answered_at,
        "closed_at": contact.closed_at,
        "classification": contact.classification,
        "classification_label": str(contact.get_classification_display()) if contact.classification else "",
        "resolution": contact.resolution,
        "resolution_label": str(contact.get_resolution_display()) if contact.resolution else "",
        "note": contact.note,
        "flag_unowned": contact.flag_unowned,
        "flag_unanswered": contact.flag_unanswered,
        "repeat_of": contact.repeat_of_id,
        "notification_id": contact.notification_id,
        "complaint_id": contact.complaint_id,
        "version": contact.version,
    }


def present_calls(calls, user) -> list[dict]:
    """Rows of the call log; whether the reader sees whole numbers is asked once, not per row."""
    unmasked = unmasked_for(user)
    labels = _call_labels()  # translated once a page, not twice a row
    return [present_call(call, user, unmasked=unmasked, labels=labels) for call in calls]


def _call_labels() -> dict[str, dict[str, str]]:
    return {
        "direction": {value: str(label) for value, label in Direction.choices},
        "outcome": {value: str(label) for value, label in CallOutcome.choices},
    }


def present_call(call: Call, user, *, unmasked: bool | None = None, labels: dict | None = None) -> dict:
    contact = call.contact
    labels = labels or _call_labels()
    number = display_number(call)
    if not unmasked:  # the one rule; a key-account manager sees their own customers' numbers whole
        number = show_phone(user, number, contact.customer)
    return {
        "id": call.pk,
        "contact_id": contact.pk,
        "external_id": call.external_id or "",
        "direction": call.direction,
        "direction_label": labels["direction"].get(call.direction, call.direction),
        "number": number,
        "customer_id": contact.customer_id,
        "customer": contact.customer.name if contact.customer else "",
        "candidates": len(call.candidates),
        "agent": call.agent.get_username() if call.agent else "",
        "ring_at": call.ring_at,
        "answer_at": call.answer_at,
        "end_at": call.end_at,
        "talk_seconds": call.talk_seconds,
        "outcome": call.outcome,
        "outcome_label": labels["outcome"].get(call.outcome, call.outcome),
        "wrapped_up": call.wrapped_up,
    }


def caller_card(call: Call, user) -> dict:
    """Everything the agent needs while the phone rings, within the agent's scope and masking."""
    from kefu.complaints.models import Complaint
    from kefu.customers.choices import ANOMALY_BITS, AnomalyKind
    from kefu.customers.models import Customer
    from kefu.tickets.models import Notification
    from kefu.workflow.choices import Stage

    contact = call.contact
    customer = contact.customer
    visible = Customer.objects.visible_to(user)
    if customer is not None and not visible.filter(pk=customer.pk).exists():
        customer = None
    candidate_ids = [c["customer"] for c in call.candidates]
    candidates = list(visible.filter(pk__in=candidate_ids).only("id", "number", "name", "grade", "tier"))
    card: dict = {
        "call": call,
        "contact": contact,
        "number": show_phone(user, display_number(call), customer),
        "customer": customer,
        "candidates": candidates if customer is None else [],
        "to_take": call.queue_id is not None and call.agent_id is None and call.end_at is None,
        "queue": call.queue,
        "warnings": [],
        "notifications": [],
        "complaints": [],
        "last_contacts": [],
    }
    if customer is None:
        return card
    params = {"customer": customer.number, "call": call.pk}
    if contact.person:
        params["contact_name"] = contact.person.name
    if unmasked_for(user, customer) and call.number:
        params["contact_phone"] = display_number(call)
    card["new_notification"] = reverse("tickets:create") + "?" + urlencode(params)
    card["new_complaint"] = reverse("complaints:complaint_create") + "?" + urlencode(params)
    card["notifications"] = list(
        Notification.objects.visible_to(user)
        .filter(customer=customer)
        .exclude(stage=Stage.COMPLETED)
        .order_by("-id")
        .only("id", "number", "description")[:5]
    )
    card["complaints"] = list(
        Complaint.objects.visible_to(user)
        .filter(customer=customer, is_open=True)
        .order_by("-id")
        .only("id", "number", "subject")[:5]
    )
    card["last_contacts"] = list(
        contacts_for(user).filter(customer=customer).exclude(pk=contact.pk).order_by("-received_at")[:5]
    )
    warnings = [str(AnomalyKind(k).label) for k, bit in ANOMALY_BITS.items() if customer.anomaly_mask & bit]
    if customer.is_key_account:
        warnings.insert(0, _("Key account: priority handling"))
    if contact.repeat_of_id:
        warnings.append(_("Repeat contact on an open matter: do not make the customer explain twice"))
    if card["complaints"]:
        warnings.append(_("%(n)d open complaint(s)") % {"n": len(card["complaints"])})
    card["warnings"] = warnings
    return card


# --- the card, built once per call and per what its viewer may see ---------------------------
CARD_SECONDS = 20  # a queue ring pops on every member's next poll, all within a second
_CARD_TEMPLATE = "contacts/partials/call_card.html"
_CSRF_SLOT = "kefu-card-csrf-slot"  # the viewer's own CSRF token goes here, never a shared one
_card_locks = [threading.Lock() for _ in range(16)]  # one builder per card and process


def card_owners(call: Call) -> Owners:
    """Who sees more on this call's card through ownership than their centres give them: the
    responsible of the customer (and of each candidate) and the owners of its listed records."""
    from kefu.complaints.models import Complaint
    from kefu.customers.models import Customer
    from kefu.tickets.models import Notification
    from kefu.workflow.choices import Stage

    customer_ids = [c["customer"] for c in call.candidates]
    customer_id = call.contact.customer_id
    if customer_id is not None:
        customer_ids.append(customer_id)
    sources: list[QuerySet] = [Customer.objects.filter(pk__in=customer_ids)]
    if customer_id is not None:
        sources += [
            Notification.objects.filter(customer_id=customer_id).exclude(stage=Stage.COMPLETED),
            Complaint.objects.filter(customer_id=customer_id, is_open=True),
            Contact.objects.filter(customer_id=customer_id),
        ]
    return owners_of(*sources)


def card_key(call: Call, user) -> str:
    """The cache key of `call`'s card as `user` sees it: the call, its contact and customer as
    saved now, what the user may see (scope), whether personal data is masked for them (the one
    rule: for this customer, and for a caller they cannot see), the buttons their permissions
    show, their language and time zone. Two viewers share a card only if all of these agree."""
    from django.core.cache import cache
    from django.utils import translation

    contact = call.contact
    customer = contact.customer
    saved = [call.pk, call.updated_at, contact.pk, contact.version, contact.updated_at]
    if customer is not None:
        saved += [customer.pk, customer.version, customer.updated_at]
    version = ".".join(str(v.timestamp() if isinstance(v, datetime) else v) for v in saved)
    owners_key = f"contacts.card-owners:{version}"
    owners = cache.get(owners_key)
    if owners is None:
        owners = card_owners(call)
        cache.set(owners_key, owners, CARD_SECONDS)
    viewer = (
        scope_signature(user, owners),
        int(unmasked_for(user, customer)),
        int(unmasked_for(user, None)),
        int(user.has_perm("tickets.add_notification")),
        int(user.has_perm("complaints.add_complaint")),
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )
    return "contacts.card:v1:" + version + ":" + ":".join(str(part) for part in viewer)


def caller_card_html(call: Call, request) -> str:
    """The caller's card for the screen pop, rendered once per `card_key` (fifty members of a
    hotline queue polling in the same second share a few renders, not fifty) and given the
    viewer's own CSRF token."""
    from django.contrib.auth.context_processors import PermWrapper
    from django.core.cache import cache
    from django.middleware.csrf import get_token
    from django.template.loader import render_to_string

    user = request.user
    key = card_key(call, user)
    html = cache.get(key)
    if html is None:
        with _card_locks[hash(key) % len(_card_locks)]:  # the others wait for the first render
            html = cache.get(key)
            if html is None:
                context = {**caller_card(call, user), "perms": PermWrapper(user), "csrf_token": _CSRF_SLOT}
                html = render_to_string(_CARD_TEMPLATE, context)
                cache.set(key, html, CARD_SECONDS)
    return html.replace(_CSRF_SLOT, get_token(request))


SIMILAR_DAYS = 30


def same_address(a: str, b: str) -> bool | None:
    """Do two object addresses name the same place? None when either is unknown. Spaces, case and
    punctuation are ignored; one written inside the other (with or without the city) is the same."""
    from difflib import SequenceMatcher

    from kefu.core.search import normalize

    x, y = normalize(a), normalize(b)
    if not x or not y:
        return None
    if x == y or (min(len(x), len(y)) >= 6 and (x in y or y in x)):
        return True
    return SequenceMatcher(None, x, y).ratio() >= 0.85


def similar_notifications(
    user, *, customer_number: str, description: str, object_address: str = "", days: int = SIMILAR_DAYS
) -> list:
    """Notifications of the same customer and object in the last `days` whose description is like
    this one: the hint 相似通知单 that lets the desk link instead of creating a duplicate. The same
    description at another object address is another object and is left out; the same address
    ranks first. Reads the customer's recent rows through the (customer, created_at) index."""
    from difflib import SequenceMatcher

    from kefu.tickets.models import Notification

    text = "".join((description or "").split())
    if not customer_number or len(text) < 2:
        return []
    since = timezone.now() - timedelta(days=days)
    rows = list(
        Notification.objects.visible_to(user)
        .filter(customer__number=customer_number.strip(), created_at__gte=since)
        .order_by("-created_at")
        .only("id", "number", "description", "created_at", "stage", "object_address")[:200]
    )
    scored = []
    for row in rows:
        place = same_address(object_address, row.object_address)
        if place is False:
            continue
        other = "".join(row.description.split())
        ratio = SequenceMatcher(None, text, other).ratio()
        if ratio >= 0.5 or (len(text) >= 3 and (text in other or other in text)):
            row.same_address = bool(place)
            scored.append((place is True, ratio, row))
    scored.sort(key=lambda triple: (not triple[0], -triple[1]))
    return [row for _place, _ratio, row in scored[:5]]


# --- outbound call lists -----------------------------------------------------------------------
def select_for_list(user, purpose: str, *, days: int = 7, year: int | None = None) -> list[dict]:
    """The customers a call list of `purpose` calls, each with why: read through the owning apps'
    queries in the user's scope ({"customer": id, "reference": text}), most urgent first."""
    from kefu.billing.queries import overdue_acceptances
    from kefu.contacts.choices import ListPurpose
    from kefu.surveys.queries import needs_survey_missing, unrated_services
    from kefu.visits.queries import phone_visits_due
    from kefu.worktime import clock

    now = clock.now()
    if purpose == ListPurpose.RETURN_VISIT:
        return phone_visits_due(user, now + timedelta(days=days))
    if purpose == ListPurpose.SATISFACTION:
        return unrated_services(user, now - timedelta(days=max(days, 1)))
    if purpose == ListPurpose.NEEDS_SURVEY:
        return needs_survey_missing(user, year or timezone.localdate().year)
    if purpose == ListPurpose.ACCEPTANCE:
        return overdue_acceptances(user, days)
    return []


def list_progress(call_list: CallList) -> dict:
    """Progress of a list 外呼进度: tasks per status, attempts per outcome, per agent, % finished."""
    from django.db.models import Count

    from kefu.contacts.choices import AttemptOutcome, TaskStatus
    from kefu.contacts.models import CallAttempt

    by_status = dict(
        CallTask.objects.filter(call_list=call_list).values_list("status").annotate(n=Count("id")).order_by()
    )
    total = sum(by_status.values())
    finished = by_status.get(TaskStatus.DONE, 0) + by_status.get(TaskStatus.FAILED, 0)
    outcomes = dict(
        CallAttempt.objects.filter(task__call_list=call_list)
        .values_list("outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    agents = (
        CallTask.objects.filter(call_list=call_list)
        .values("agent__username", "agent__staff__name")
        .annotate(
            total=Count("id"),
            finished=Count("id", filter=models.Q(status__in=[TaskStatus.DONE, TaskStatus.FAILED])),
        )
        .order_by("agent__username")
    )
    return {
        "total": total,
        "finished": finished,
        "percent": round(100 * finished / total) if total else 0,
        "statuses": [
            {"code": code, "label": str(label), "count": by_status.get(code, 0)}
            for code, label in TaskStatus.choices
        ],
        "outcomes": [
            {"code": code, "label": str(label), "count": outcomes.get(code, 0)}
            for code, label in AttemptOutcome.choices
        ],
        "agents": [
            {
                "agent": row["agent__staff__name"] or row["agent__username"] or "—",
                "total": row["total"],
                "finished": row["finished"],
            }
            for row in agents
        ],
    }


def list_tasks(call_list: CallList, user, *, limit: int = 200) -> list[dict]:
    """The list's tasks for its progress page (customer, agent, status, attempts, next time)."""
    rows = (
        CallTask.objects.filter(call_list=call_list)
        .select_related("customer", "agent__staff")
        .order_by("status", "next_attempt_at", "id")[:limit]
    )
    return [
        {
            "id": t.pk,
            "customer_number": t.customer.number,
            "customer": t.customer.name,
            "reference": t.reference,
            "agent": getattr(getattr(t.agent, "staff", None), "name", "")
            or (t.agent.get_username() if t.agent else ""),
            "status": t.status,
            "status_label": str(t.get_status_display()),
            "attempts": t.attempts,
            "last_outcome": str(t.get_last_outcome_display()) if t.last_outcome else "",
            "next_attempt_at": t.next_attempt_at,
        }
        for t in rows
    ]
