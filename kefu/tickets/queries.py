"""Read side of notifications: the worklist (IW59), the detail page, the work plan (ZSMR006) and
the one masked read model used by the UI, the API and the export alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from kefu.core.filtering import filter_error
from kefu.core.masking import mask_address, mask_phone
from kefu.tickets import clocks
from kefu.tickets.choices import PaymentStatus, Priority
from kefu.tickets.clocks import Clock, clock_for, clock_of
from kefu.tickets.clocks import texts as clock_texts
from kefu.tickets.filtersets import NotificationFilter
from kefu.tickets.models import Attachment, Item, LongTextEntry, Notification
from kefu.workflow.choices import Stage
from kefu.worktime import clock

LIST_RELATED = ("type", "status", "customer", "work_centre", "responsible", "sales_office")
# Worklist columns a user may choose (and save in a named view); key → (label msgid, getter).
COLUMNS = [
    "number",
    "type",
    "status",
    "stage",
    "description",
    "customer",
    "object_address",
    "contact_phone",
    "work_centre",
    "responsible",
    "sales_office",
    "priority",
    "required_start",
    "required_end",
    "created_at",
    "reference_document",
    "payment_status",
    "clock",
]
DEFAULT_COLUMNS = [
    "number",
    "type",
    "status",
    "description",
    "customer",
    "work_centre",
    "responsible",
    "priority",
    "required_end",
    "clock",
    "created_at",
]


def keyword_filter(queryset: QuerySet, value: str, *, user=None) -> QuerySet:
    """Keyword: a notification number, or a (Chinese) substring of the description or long text.

    A reader who sees personal data masked (`user` without customers.view_personal_data, or no
    user) never searches the text by a run of more than four digits: a phone-like term (digits
    and phone punctuation only, 138-1234-5678) matches the record's own numbers (notification,
    reference document, customer number) exactly and nothing else, any other term with such a
    run matches nothing. So a phone number typed into a long text cannot be confirmed, nor
    grown digit by digit past the four digits a mask shows; each such search goes to the
    access log (AccessAction.SEARCH), as in the customer archive.
    """
    value = (value or "").strip()
    if not value:
        return queryset
    if (user is None or not can_see_personal_data(user)) and _long_digit_run(value):
        return _masked_digit_search(queryset, value, user)
    if value.isdigit() and len(value) >= 6:
        return _identifier_filter(queryset, value)
    from kefu.core.search import substring_filter_in_order

    return substring_filter_in_order(queryset, value, index=SEARCH_INDEX, common=COMMON_MATCHES)


# A term in more documents than this walks the worklist's order index (kefu.core.search).
COMMON_MATCHES = 3000
# A masked reader's text search may hold at most this many digits in a row (the mask's last four).
MASKED_DIGITS = 4
PHONE_PUNCTUATION = frozenset(" -+()./\u3000\uff0d")


def _identifier_filter(queryset: QuerySet, digits: str) -> QuerySet:
    return queryset.filter(Q(number=digits) | Q(reference_document=digits) | Q(customer__number=digits))


def _long_digit_run(value: str) -> bool:
    from kefu.core.search import normalize

    run = 0
    for ch in normalize(value):
        run = run + 1 if ch.isdigit() else 0
        if run > MASKED_DIGITS:
            return True
    return False


def _masked_digit_search(queryset: QuerySet, value: str, user) -> QuerySet:
    phone_like = all(ch.isdigit() or ch in PHONE_PUNCTUATION for ch in value)
    digits = "".join(ch for ch in value if ch.isdigit())
    if user is not None and getattr(user, "is_authenticated", False):
        from kefu.customers.choices import AccessAction
        from kefu.customers.services import log_access

        log_access(user, action=AccessAction.SEARCH, detail={"digits": len(digits), "where": "notifications"})
    return _identifier_filter(queryset, digits) if phone_like else queryset.none()


SEARCH_INDEX = "tickets"


def search_document(n: Notification) -> list[str]:
    """What the keyword search finds a notification by: its description and its long text."""
    return [n.description, n.long_text]


def can_see_personal_data(user) -> bool:
    return user.has_perm("customers.view_personal_data")


def assigned_work_ids(user, rows) -> set[int]:
    """Need-to-know 因工作需要: the notifications among `rows` assigned to `user` (as person
    responsible) whose object address and contact phone he may read unmasked to do the work."""
    from kefu.org.scope import scope_for

    staff_id = scope_for(user).staff_id
    if not staff_id:
        return set()
    return {n.pk for n in rows if n.responsible_id == staff_id}


def present_for_work(rows, user, *, where: str) -> list[Row]:
    """Rows for the notification page and the work plan: masked by the one rule, except the
    assignee's own work, whose unmasked reading is written to the personal-data access log."""
    unmasked = can_see_personal_data(user)
    own = set() if unmasked else assigned_work_ids(user, rows)
    if own:
        from kefu.customers.choices import AccessAction
        from kefu.customers.services import log_access_many

        log_access_many(
            user,
            [(n.customer_id, {"notification": n.number, "where": where}) for n in rows if n.pk in own],
            action=AccessAction.VIEW,
            reason="assigned work",
        )
    today = timezone.localdate()
    calendars: dict = {}  # each work calendar loaded once for the list
    return [present_row(n, unmasked=unmasked or n.pk in own, today=today, calendars=calendars) for n in rows]


def worklist(user, params=None) -> QuerySet[Notification]:
    """The scoped, filtered worklist, urgent first then newest (matches the composite indexes).
    Pages read it with `read_rows` (plain values, code tables from the buffer)."""
    filterset = NotificationFilter(params or {}, queryset=Notification.objects.visible_to(user), user=user)
    if not filterset.is_valid():
        # A bad value is the user's to fix, never a reason to show (or export) everything.
        raise filter_error(filterset)
    if filterset.form.cleaned_data.get("clock") or (params or {}).get("sort") == "due":
        # Service clocks: the most overdue first, an index range of the running clocks (tk_clock_due).
        return filterset.qs.filter(clock_due__isnull=False).order_by("clock_due", "id")
    return filterset.qs.order_by("-urgent", "-created_at", "-id")


@dataclass
class Row:
    id: int
    number: str
    type: str
    status: str
    status_name: str
    stage: str
    stage_label: str
    description: str
    customer: str
    customer_number: str
    object_address: str
    contact_name: str
    contact_phone: str
    work_centre: str
    responsible: str
    sales_office: str
    priority: str
    urgent: bool
    overdue: bool
    required_start: dt.date | None
    required_end: dt.date | None
    created_at: dt.datetime
    reference_document: str
    payment_status: str
    payment_status_label: str
    priority_label: str
    version: int
    clock: Clock | None = None  # the running service clock (kefu.tickets.clocks)
    clock_calendar: int | None = None  # the work calendar it counts on (None: the default)
    clock_calendar_name: str = ""  # its code and name ("" for the default)
    response_due: dt.datetime | None = None
    responded_at: dt.datetime | None = None
    resolution_due: dt.datetime | None = None
    resolved_at: dt.datetime | None = None


def present_row(
    n: Notification, *, unmasked: bool, today: dt.date | None = None, calendars: dict | None = None
) -> Row:
    """The one read model of a notification row; phone and address masked unless `unmasked`.
    `calendars`: the work calendars a list loaded already (id → spec), filled as rows need them."""
    today = today or timezone.localdate()
    return Row(
        id=n.pk,
        number=n.number,
        type=n.type.code,
        status=n.status.code,
        status_name=n.status.display_name,
        stage=n.stage,
        stage_label=str(Stage(n.stage).label),
        description=n.description,
        customer=n.customer.name,
        customer_number=n.customer.number,
        object_address=n.object_address if unmasked else mask_address(n.object_address),
        contact_name=n.contact_name,
        contact_phone=n.contact_phone if unmasked else mask_phone(n.contact_phone),
        work_centre=n.work_centre.code,
        responsible=str(n.responsible) if n.responsible_id else "",
        sales_office=n.sales_office.code,
        priority=n.priority,
        urgent=n.urgent,
        overdue=bool(n.required_end and n.stage in Stage.open_values() and n.required_end < today),
        required_start=n.required_start,
        required_end=n.required_end,
        created_at=n.created_at,
        reference_document=n.reference_document,
        payment_status=n.payment_status,
        payment_status_label=n.get_payment_status_display(),
        priority_label=n.get_priority_display(),
        version=n.version,
        clock=clock_for(n, calendars=calendars),
        clock_calendar=n.clock_calendar_id,
        clock_calendar_name=clocks.calendar_of(n, calendars).name if n.clock_calendar_id else "",
        response_due=n.response_due,
        responded_at=n.responded_at,
        resolution_due=n.resolution_due,
        resolved_at=n.resolved_at,
    )


def present_rows(rows, user) -> list[Row]:
    unmasked = can_see_personal_data(user)
    today = timezone.localdate()
    calendars: dict = {}  # each work calendar loaded once for the list, not once per row
    return [present_row(n, unmasked=unmasked, today=today, calendars=calendars) for n in rows]


CLOCK_ROW_FIELDS = (
    "clock_due",
    "clock_warn_at",
    "response_due",
    "responded_at",
    "resolution_due",
    "resolved_at",
    "clock_calendar_id",
)
# What a list row reads of the notification table itself; related names come from the buffer
# (types, statuses, centres: customizing data) or one IN query (customers, people).
ROW_FIELDS = (
    "id",
    "number",
    "type_id",
    "status_id",
    "stage",
    "description",
    "customer_id",
    "object_address",
    "contact_name",
    "contact_phone",
    "work_centre_id",
    "responsible_id",
    "sales_office_id",
    "priority",
    "urgent",
    "required_start",
    "required_end",
    "created_at",
    "reference_document",
    "payment_status",
    "version",
    *CLOCK_ROW_FIELDS,
)
_CALENDAR_AT = ROW_FIELDS.index("clock_calendar_id")


def _codes() -> dict[str, dict]:
    """Id → code (and names) of the code tables a row names, buffered per process."""
    from kefu.core import buffer
    from kefu.org.models import SalesOffice, WorkCentre
    from kefu.tickets.models import NotificationType
    from kefu.workflow.models import Status

    def load() -> dict[str, dict]:
        return {
            "type": dict(NotificationType.objects.values_list("pk", "code")),
            "status": {
                pk: (code, name, name_en)
                for pk, code, name, name_en in Status.objects.values_list("pk", "code", "name", "name_en")
            },
            "work_centre": dict(WorkCentre.objects.values_list("pk", "code")),
            "sales_office": dict(SalesOffice.objects.values_list("pk", "code")),
        }

    return buffer.get("tickets.row_codes", load)


def read_rows(
    qs: QuerySet, user, start: int = 0, stop: int | None = None, *, ids_first: bool = False
) -> list[Row]:
    """Rows `start:stop` of a worklist query as the masked read model, from plain values: no
    model instances, three queries whatever the page size. `ids_first` sorts and cuts on ids
    alone (tk_keyword_cover), then reads those rows: a keyword can match thousands."""
    if ids_first:
        ids = list(qs.values_list("pk", flat=True)[start:stop])
        found = {v[0]: v for v in Notification.objects.filter(pk__in=ids).order_by().values_list(*ROW_FIELDS)}
        values = [found[pk] for pk in ids if pk in found]
    else:
        values = list(qs.values_list(*ROW_FIELDS)[start:stop])
    return present_values(values, user)


def iter_rows(qs: QuerySet, user, *, batch: int = 2000) -> Iterator[Row]:
    """Every row of a worklist query, read in batches through one cursor (exports of any size)."""
    chunk: list[tuple] = []
    for values in qs.values_list(*ROW_FIELDS).iterator(chunk_size=batch):
        chunk.append(values)
        if len(chunk) == batch:
            yield from present_values(chunk, user)
            chunk = []
    if chunk:
        yield from present_values(chunk, user)


def present_values(values: list[tuple], user) -> list[Row]:
    """Rows of `ROW_FIELDS` values as the masked read model (names from the buffer or IN queries)."""
    from django.utils.translation import get_language

    from kefu.customers.models import Customer
    from kefu.org.models import Staff

    if not values:
        return []
    codes = _codes()
    customers = {
        pk: (number, name)
        for pk, number, name in Customer.objects.filter(pk__in={v[6] for v in values}).values_list(
            "pk", "number", "name"
        )
    }
    people = {
        pk: f"{number} {name}"
        for pk, number, name in Staff.objects.filter(pk__in={v[11] for v in values if v[11]}).values_list(
            "pk", "personnel_number", "name"
        )
    }
    english = (get_language() or "").startswith("en")
    unmasked = can_see_personal_data(user)
    today = timezone.localdate()
    now, words = clock.now(), clock_texts()
    # Each work calendar the page's clocks count on, loaded once (most rows: the default, None).
    calendars = {None: clock.load_calendar()}
    for calendar_id in {v[_CALENDAR_AT] for v in values} - {None}:
        calendars[calendar_id] = clock.load_calendar(calendar_id)
    open_stages = set(Stage.open_values())
    stage_labels = {value: str(label) for value, label in Stage.choices}
    priority_labels = {value: str(label) for value, label in Priority.choices}
    payment_labels = {value: str(label) for value, label in PaymentStatus.choices}
    rows = []
    for (
        pk, number, type_id, status_id, stage, description, customer_id, address, contact_name, phone,
        work_centre_id, responsible_id, sales_office_id, priority, urgent, required_start, required_end,
        created_at, reference_document, payment_status, version,
        clock_due, clock_warn_at, response_due, responded_at, resolution_due, resolved_at, calendar_id,
    ) in values:  # fmt: skip
        status_code, status_name, status_name_en = codes["status"].get(status_id, ("", "", ""))
        customer_number, customer_name = customers.get(customer_id, ("", ""))
        rows.append(
            Row(
                id=pk,
                number=number,
                type=codes["type"].get(type_id, ""),
                status=status_code,
                status_name=status_name_en if english and status_name_en else status_name,
                stage=stage,
                stage_label=stage_labels.get(stage, stage),
                description=description,
                customer=customer_name,
                customer_number=customer_number,
                object_address=address if unmasked else mask_address(address),
                contact_name=contact_name,
                contact_phone=phone if unmasked else mask_phone(phone),
                work_centre=codes["work_centre"].get(work_centre_id, ""),
                responsible=people.get(responsible_id, ""),
                sales_office=codes["sales_office"].get(sales_office_id, ""),
                priority=priority,
                urgent=urgent,
                overdue=bool(required_end and stage in open_stages and required_end < today),
                required_start=required_start,
                required_end=required_end,
                created_at=created_at,
                reference_document=reference_document,
                payment_status=payment_status,
                payment_status_label=payment_labels.get(payment_status, payment_status),
                priority_label=priority_labels.get(priority, priority),
                version=version,
                clock=clock_of(
                    clock_due=clock_due,
                    clock_warn_at=clock_warn_at,
                    response_due=response_due,
                    responded_at=responded_at,
                    resolution_due=resolution_due,
                    resolved_at=resolved_at,
                    now=now,
                    calendar=calendars[calendar_id],
                    calendar_id=calendar_id,
                    words=words,
                ),
                clock_calendar=calendar_id,
                clock_calendar_name=calendars[calendar_id].name if calendar_id else "",
                response_due=response_due,
                responded_at=responded_at,
                resolution_due=resolution_due,
                resolved_at=resolved_at,
            )
        )
    return rows


def row_fetch(params, user):
    """How the worklist (UI and API) reads a page for these selections, as `Row`s."""
    ids_first = bool((params.get("q") or "").strip())

    def fetch(qs: QuerySet, start: int, stop: int) -> list[Row]:
        return read_rows(qs, user, start, stop, ids_first=ids_first)

    return fetch


def work_plan(
    user,
    *,
    work_centre: str = "",
    technician: str = "",
    date_from=None,
    date_to=None,
    ids: list[int] | None = None,
) -> list[Notification]:
    """Work plan 工作计划表 (ZSMR006): open notifications to visit, by work centre or technician and dates."""
    qs = (
        Notification.objects.visible_to(user)
        .select_related(*LIST_RELATED)
        .filter(stage__in=Stage.open_values())
    )
    if ids:
        qs = qs.filter(pk__in=ids)
    if work_centre:
        qs = qs.filter(work_centre__code=work_centre)
    if technician:
        qs = qs.filter(responsible__personnel_number=technician)
    if date_from:
        qs = qs.filter(Q(required_end__gte=date_from) | Q(required_end__isnull=True))
    if date_to:
        qs = qs.filter(required_start__lte=date_to)
    return list(qs.order_by("-urgent", "required_start", "number")[:500])


def page_cards(n: Notification) -> dict[str, bool]:
    """Which of the page's mostly empty cards have rows (attachments, paid service, appointment,
    messages with the customer, solutions used), in one query instead of seven."""
    from kefu.billing.models import Invoice, Quotation, ServiceReport
    from kefu.core import prepared
    from kefu.field.models import Appointment
    from kefu.knowledge.models import SolutionLink
    from kefu.portal.models import Message

    cards = {
        "attachments": (Attachment, "notification"),
        "quotations": (Quotation, "notification"),
        "reports": (ServiceReport, "notification"),
        "invoices": (Invoice, "notification"),
        "appointment": (Appointment, "notification"),
        "portal_messages": (Message, "notification"),
        "solutions": (SolutionLink, "notification"),
    }
    return dict(zip(cards, prepared.which_exist(tuple(cards.values()), n.pk), strict=True))


def page_parts(n: Notification, cards: dict[str, bool] | None = None) -> dict:
    """Items, long text and attachments of `n`, each by a query prepared once (kefu.core.prepared);
    none for attachments when `cards` (page_cards) says there are none."""
    from kefu.core import prepared

    parts = {
        "items": prepared.fetch(
            "tickets.page_items",
            lambda pk: (
                Item.objects.filter(notification_id=pk)
                .order_by("position", "id")
                .select_related("product_type", "colour", "material", "reason")
            ),
            pk=n.pk,
        ),
        "entries": prepared.fetch(
            "tickets.page_entries",
            lambda pk: LongTextEntry.objects.filter(notification_id=pk).order_by("created_at", "id"),
            pk=n.pk,
        ),
        "attachments": prepared.fetch(
            "tickets.page_attachments",
            lambda pk: Attachment.objects.filter(notification_id=pk).order_by("created_at", "id"),
            pk=n.pk,
        )
        if cards is None or cards["attachments"]
        else [],
    }
    for row in (*parts["items"], *parts["entries"], *parts["attachments"]):
        row.notification = n  # as the related managers would have set it
    return parts


def signature_attachment_ids(n: Notification) -> set[int]:
    """The attachments of `n` that are a customer's drawn signature (the technician app's
    acceptance step): personal data, shown only to readers who see the notification unmasked."""
    from django.apps import apps

    if not apps.is_installed("kefu.field"):
        return set()
    step = apps.get_model("field", "FieldStep")
    return set(
        step.objects.filter(notification_id=n.pk, kind="sign", attachment__isnull=False).values_list(
            "attachment_id", flat=True
        )
    )


def sees_unmasked(n: Notification, user) -> bool:
    """Whether `user` reads `n` unmasked: the blanket permission, or it is his assigned work."""
    return can_see_personal_data(user) or n.pk in assigned_work_ids(user, [n])


def detail_context(n: Notification, user, *, full: bool = True) -> dict:
    from kefu.billing.choices import LineKind
    from kefu.billing.queries import billing_for
    from kefu.timeline.queries import events_for, present
    from kefu.workflow.engine import available_transitions

    unmasked = can_see_personal_data(user)
    cards = page_cards(n) if full else None
    known = getattr(n, "just_written", None)  # set by create_notification on what it wrote
    if known is None:
        known = page_parts(n, cards)
    if known.get("attachments") and not sees_unmasked(n, user):
        hidden = signature_attachment_ids(n)
        if hidden:
            known = {**known, "attachments": [a for a in known["attachments"] if a.pk not in hidden]}
    return {
        "n": n,
        "row": present_for_work([n], user, where="page")[0] if full else present_row(n, unmasked=unmasked),
        **known,
        "transitions": available_transitions(n, user),
        "events": present(events_for(n), masked=not unmasked) if full else [],
        "billing": billing_for(n, cards) if full else {},
        "line_kinds": LineKind.choices,
        "cards": cards,
    }


def status_picks(user, term: str, limit: int) -> list[dict]:
    """The user-status picker 用户状态 (F4) of the worklist: the statuses of the notification types'
    profiles, by code, name or pinyin initials (zgpz → ZGPZ 主管批准). Value: the code."""
    from kefu.core import buffer, pickers
    from kefu.tickets.models import NotificationType
    from kefu.workflow.models import Status

    def load() -> list[tuple]:
        profiles = NotificationType.objects.values("profile_id")
        seen: dict[str, tuple] = {}
        for code, name in (
            Status.objects.filter(profile_id__in=profiles)
            .order_by("order", "code")
            .values_list("code", "name")
        ):
            seen.setdefault(code, (code, code, name, pickers.keys(code, name)))
        return list(seen.values())

    return pickers.filter_rows(buffer.get("tickets.status_picks", load), term, limit)


def activity_by_customer(since: dt.datetime):
    """Per customer with notifications created since `since`: (customer id, count, latest creation),
    one grouped query (the customer segmentation reads it; index tk_customer serves it)."""
    return (
        Notification.objects.order_by()
        .filter(created_at__gte=since)
        .values("customer_id")
        .annotate(n=Count("id"), last=Max("created_at"))
        .values_list("customer_id", "n", "last")
        .iterator(chunk_size=20000)
    )


# --- figures for the scorecards and reports (grouped: one query for every person or centre) -------
# `by` names the grouping column: "responsible_id" (person), "sales_office_id" (centre) or None
# (the whole company, one row with key None). `keys` limits the groups (None: all).
def _grouped(qs, by: str | None, keys):
    if by is not None and keys is not None:
        qs = qs.filter(**{f"{by}__in": list(keys)})
    return qs


def completion_figures(by: str | None, lo: dt.datetime, hi: dt.datetime, keys=None) -> dict:
    """Per group: notifications completed in [lo, hi), those with a required end, and of those
    the ones completed by that local day — {key: (closed, due, on_time)}."""
    from django.db.models import F
    from django.db.models.functions import TruncDate

    from kefu.workflow.choices import Stage as _Stage

    qs = _grouped(
        Notification.objects.order_by().filter(
            stage=_Stage.COMPLETED, completed_at__gte=lo, completed_at__lt=hi
        ),
        by,
        keys,
    ).annotate(done_day=TruncDate("completed_at", tzinfo=timezone.get_current_timezone()))
    aggregates = {
        "closed": Count("id"),
        "due": Count("id", filter=Q(required_end__isnull=False)),
        "on_time": Count("id", filter=Q(required_end__isnull=False, done_day__lte=F("required_end"))),
    }
    if by is None:
        row = qs.aggregate(**aggregates)
        return {None: (row["closed"], row["due"], row["on_time"])}
    return {
        row[by]: (row["closed"], row["due"], row["on_time"])
        for row in qs.values(by).annotate(**aggregates).values(by, *aggregates)
    }


def first_response_rows(by: str | None, lo: dt.datetime, hi: dt.datetime, keys=None):
    """(group key, created_at, first status change) of the notifications created in [lo, hi) that
    have had one — one query with a correlated subquery on the timeline index."""
    from kefu.timeline.queries import first_event_at
    from kefu.workflow.events import TRANSITION

    qs = _grouped(Notification.objects.order_by().filter(created_at__gte=lo, created_at__lt=hi), by, keys)
    qs = qs.annotate(first=first_event_at(Notification, TRANSITION)).filter(first__isnull=False)
    if by is None:
        return ((None, c, f) for c, f in qs.values_list("created_at", "first"))
    return qs.values_list(by, "created_at", "first")


def reopened_counts(by: str | None, lo: dt.datetime, hi: dt.datetime, keys=None) -> dict:
    """Per group: notifications reopened in [lo, hi) (a status change from a completed status back
    to an open one), {key: count} — two queries for all groups."""
    from kefu.timeline.queries import transitioned_ids
    from kefu.workflow.events import TRANSITION
    from kefu.workflow.queries import status_codes

    among = _grouped(Notification.objects.order_by(), by, keys).values("pk")
    ids = transitioned_ids(
        Notification,
        TRANSITION,
        lo,
        hi,
        from_codes=status_codes([Stage.COMPLETED]),
        to_codes=status_codes(Stage.open_values()),
        among=among,
    )
    reopened = Notification.objects.order_by().filter(pk__in=ids)
    if by is None:
        return {None: reopened.count()}
    return dict(reopened.values(by).annotate(n=Count("id")).values_list(by, "n"))


def person_workload(staff_id: int, lo: dt.datetime, hi: dt.datetime, late_before: dt.date) -> dict:
    """A person's notifications (person responsible) for the 周报: received in [lo, hi), open now,
    and of those late (required end before `late_before`) — one query."""
    open_stages = Stage.open_values()
    return (
        Notification.objects.order_by()
        .filter(responsible_id=staff_id)
        .aggregate(
            received=Count("id", filter=Q(created_at__gte=lo, created_at__lt=hi)),
            open=Count("id", filter=Q(stage__in=open_stages)),
            late=Count("id", filter=Q(stage__in=open_stages, required_end__lt=late_before)),
        )
    )


def disputes_for(user, *, open_only: bool = False):
    """Cross-department disputes the user may see (the office: all), newest first."""
    from kefu.tickets.models import Dispute

    qs = (
        Dispute.objects.visible_to(user)
        .select_related(
            "notification", "status", "requesting_department", "responsible_department", "responsible"
        )
        .prefetch_related("other_departments")
        .order_by("-created_at", "-pk")
    )
    if open_only:
        qs = qs.filter(status__stage__in=Stage.open_values())
    return qs


def dispute_for(user, pk: int):
    """One dispute the user may see (404 otherwise), with what its page shows."""
    from kefu.core.scoping import access

    related = disputes_for(user).select_related(
        "raised_by", "ruled_by", "supervising_department", "notification__customer"
    )
    return access(related, user, pk)


def dispute_history(dispute, *, masked: bool = True) -> list[dict]:
    """The dispute's timeline: its own status changes, and the events it caused on its
    notification (submitted, the ruling enforced), newest first.

    The caused events are picked from the notification's history as its own page reads it
    (`events_for`, SQL prepared once), not by a query on the JSON payload of its own."""
    from kefu.timeline.queries import events_for, present

    own = events_for(dispute)
    caused = [
        e
        for e in events_for(dispute.notification)
        if isinstance(e.data, dict) and e.data.get("dispute") == dispute.pk
    ]
    merged = sorted(own + caused, key=lambda e: (e.occurred_at, e.pk), reverse=True)
    return present(merged, masked=masked)


def notification_by_number(user, number: str) -> Notification | None:
    """The notification with this number, if the user may see it (else None)."""
    number = (number or "").strip()
    if not number.isdigit():
        return None
    return Notification.objects.visible_to(user).filter(number=number).first()


# --- read by the management reports (kefu.reports reads tickets only through these) -------------
def top_item_codes(notifications: QuerySet, limit: int = 10) -> tuple[list[dict], list[dict]]:
    """The reason codes and the product types most often on the items of `notifications` (the
    caller's scoped selection), each counted once per notification:
    ([{"code", "name", "n"}] of reasons, the same of product types), most first."""
    items = Item.objects.filter(notification__in=notifications.values("pk"))
    reasons = [
        {"code": r["reason__code"], "name": r["reason__name"], "n": r["n"]}
        for r in items.exclude(reason=None)
        .values("reason__code", "reason__name")
        .annotate(n=Count("notification_id", distinct=True))
        .order_by("-n")[:limit]
    ]
    products = [
        {"code": r["product_type__code"], "name": r["product_type__name"], "n": r["n"]}
        for r in items.exclude(product_type=None)
        .values("product_type__code", "product_type__name")
        .annotate(n=Count("notification_id", distinct=True))
        .order_by("-n")[:limit]
    ]
    return reasons, products


def received_figures(lo: dt.datetime, hi: dt.datetime) -> dict:
    """Company-wide: the notifications received in [lo, hi) — their number, per type
    ([{"type__code", "type__name", "n"}], most first) and per responsibility centre ({pk: n})."""
    created = Notification.objects.order_by().filter(created_at__gte=lo, created_at__lt=hi)
    return {
        "total": created.count(),
        "by_type": list(created.values("type__code", "type__name").annotate(n=Count("pk")).order_by("-n")),
        "by_office": dict(
            created.values("sales_office").annotate(n=Count("pk")).values_list("sales_office", "n")
        ),
    }


def late_open_by_office(late_before: dt.date) -> dict[int, int]:
    """Company-wide: open notifications whose required end is before `late_before`, per centre."""
    return dict(
        Notification.objects.order_by()
        .filter(stage__in=Stage.open_values(), required_end__lt=late_before)
        .values("sales_office")
        .annotate(n=Count("pk"))
        .values_list("sales_office", "n")
    )


def open_count(created_before: dt.datetime) -> int:
    """Company-wide: notifications still open that were created before `created_before`."""
    return (
        Notification.objects.order_by()
        .filter(stage__in=Stage.open_values(), created_at__lt=created_before)
        .count()
    )


def open_by_age(keys: tuple[str, ...], conditions: list[Q]):
    """Company-wide open notifications per `keys` and status, counted under each of `conditions`
    (age buckets on `created_at`) as a0, a1, …: one grouped query."""
    ages = {f"a{i}": Count("pk", filter=q) for i, q in enumerate(conditions)}
    return (
        Notification.objects.order_by()
        .filter(stage__in=Stage.open_values())
        .values(*keys, "status_id")
        .annotate(**ages)
    )


def daily_flow(keys: tuple[str, ...], lo: dt.datetime, hi: dt.datetime, *, completed: bool):
    """Company-wide notifications received (or, `completed`, completed) in [lo, hi), per `keys`
    and local day: rows with `local_day` and `n`; completed rows also count those with a
    required end (`due`) and those done by that day (`on_time`)."""
    from django.db.models import F
    from django.db.models.functions import TruncDate

    field = "completed_at" if completed else "created_at"
    qs = Notification.objects.order_by()
    extra = {}
    if completed:
        qs = qs.filter(stage=Stage.COMPLETED)
        extra = {
            "due": Count("pk", filter=Q(required_end__isnull=False)),
            "on_time": Count("pk", filter=Q(required_end__isnull=False, local_day__lte=F("required_end"))),
        }
    return (
        qs.filter(**{f"{field}__gte": lo, f"{field}__lt": hi})
        .annotate(local_day=TruncDate(field, tzinfo=timezone.get_current_timezone()))
        .values(*keys, "local_day")
        .annotate(n=Count("pk"), **extra)
    )


def received_by_day(lo: dt.datetime, hi: dt.datetime) -> QuerySet[Notification]:
    """Company-wide notifications received in [lo, hi), each with its local day (`local_day`)."""
    from django.db.models.functions import TruncDate

    return (
        Notification.objects.order_by()
        .filter(created_at__gte=lo, created_at__lt=hi)
        .annotate(local_day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
    )


def item_codes_by_day(received: QuerySet, keys: tuple[str, ...], column: str):
    """For the notifications `received` (from `received_by_day`): per the notification's `keys`,
    its local day and the item's `column` (reason_id, product_type_id), how many notifications
    have such an item (`n`); the keys come back as notification__<key>."""
    from django.db.models.functions import TruncDate

    items = Item.objects.filter(notification__in=received.values("pk")).annotate(
        local_day=TruncDate("notification__created_at", tzinfo=timezone.get_current_timezone())
    )
    return (
        items.exclude(**{column: None})
        .values(*(f"notification__{k}" for k in keys), "local_day", column)
        .annotate(n=Count("notification_id", distinct=True))
    )


def customer_by_number(user, number: str):
    """The customer numbered `number` if `user` may see it, with what a new notification's defaults
    read (its responsibility centre, that centre's branch and business area, the person
    responsible); None otherwise. The staff form and the API look one up on every create, so the
    scoped lookup is compiled once per scope (kefu.core.prepared), not per request."""
    from kefu.core import prepared
    from kefu.customers.models import Customer
    from kefu.org.scope import scope_for

    rows = prepared.fetch(
        ("tickets.customer_by_number", scope_for(user)),
        lambda number: (
            Customer.objects.visible_to(user)
            .select_related("sales_office__sales_organization", "sales_office__business_area", "responsible")
            .filter(number=number)
            .order_by("pk")[:1]
        ),
        number=str(number),
    )
    return rows[0] if rows else None
