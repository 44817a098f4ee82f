"""Writes to the customer archive 客户档案. Views, API, imports, tasks and other apps call these.

Other apps feed the classification inputs here: `note_contact` (any contact with the
customer), `note_complaint` / `note_complaint_closed` (complaints), `add_value` (revenue or
profit booked for the current period). Every change of a customer is in its timeline with old
and new values; the search index is kept current by the same service call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.expressions import CombinedExpression
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core import buffer, pinyin, search
from kefu.core.concurrency import save_versioned
from kefu.core.errors import ConcurrentUpdate, PermissionDenied, ValidationFailed
from kefu.core.numbering import next_number
from kefu.core.scoping import access
from kefu.core.validation import blank_nulls, check_text, text_errors
from kefu.customers import events
from kefu.customers.choices import (
    ANOMALY_BITS,
    KEY_TIERS,
    TIER_SHARES,
    AccessAction,
    AnomalyKind,
    Grade,
    WarningKind,
)
from kefu.customers.errors import DuplicateNumber, ReasonRequired
from kefu.customers.models import (
    AnomalyRule,
    Contact,
    Customer,
    CustomerPartner,
    CustomerWarning,
    GradeRule,
    MonthlySales,
    PersonalDataAccess,
    ServiceAddress,
    ValuePolicy,
)
from kefu.timeline.services import diff, record, snapshot
from kefu.worktime import clock

SEARCH_INDEX = "customers"
NUMBER_RANGE = "customer"
NUMBER_RANGE_DEFAULTS = {"name": "客户编号", "next_value": 2100000001, "last_value": 2199999999, "width": 10}


# Fields a user edits on the customer form / API; their changes are diffed into the timeline.
EDITABLE_FIELDS = [
    "name",
    "nature",
    "phone",
    "mobile",
    "fax",
    "email",
    "address",
    "postal_code",
    "id_number",
    "sales_office",
    "responsible",
    "business_scope",
    "registered_capital",
    "legal_representative",
    "industry",
    "region",
    "channel",
    "relation",
    "maturity",
    "cooperation_since",
    "needs",
    "credit_rating",
    "credit_limit",
    "payment_behaviour",
    "credit_notes",
    "is_key_account",
    "key_account_manager",
    "is_active",
    "volume",
    "satisfaction",
    "loyalty",
]
CONTACT_FIELDS = ["name", "position", "phone", "mobile", "email", "is_primary"]
ADDRESS_FIELDS = [
    "code",
    "name",
    "address",
    "postal_code",
    "region",
    "contact_name",
    "contact_phone",
    "is_default",
]


# --- helpers ----------------------------------------------------------------------------------


def _require(actor, perm: str) -> None:
    """Permission check for a human actor; `actor=None` is the system (tasks, other apps' hooks)."""
    if actor is not None and not actor.has_perm(perm):
        raise PermissionDenied()


def _labelled(model, exc: ValidationError) -> ValidationFailed:
    """A ValidationFailed whose messages name the field: '电话：手机号码为11位…'."""
    failed = ValidationFailed.from_django(exc)
    fields = {}
    for name, messages in failed.fields.items():
        try:
            label = str(model._meta.get_field(name).verbose_name)
        except Exception:
            label = ""
        fields[name] = [f"{label}：{m}" if label and not m.startswith(label) else m for m in messages]
    first = next(iter(fields.values()), [failed.message])[0]
    return ValidationFailed(first, fields=fields)


def _clean(obj, *, exclude: list[str] | None = None) -> None:
    blank_nulls(obj)
    bad_text = text_errors(obj)
    if bad_text:
        raise ValidationFailed(next(iter(bad_text.values()))[0], fields=bad_text)
    try:
        obj.full_clean(exclude=exclude, validate_unique=True)
    except ValidationError as exc:
        if "number" in getattr(exc, "message_dict", {}) and type(obj) is Customer:
            messages = exc.message_dict["number"]
            if any("already exists" in str(m) or "已存在" in str(m) for m in messages):
                raise DuplicateNumber(fields={"number": [str(DuplicateNumber.default_message)]}) from exc
        raise _labelled(type(obj), exc) from exc


def _check_office(actor, office) -> None:
    """A user may only put a customer in a responsibility centre they can see."""
    if actor is None or office is None:
        return
    from kefu.org.models import SalesOffice

    if not SalesOffice.objects.filter(pk=office.pk).exists():
        raise ValidationFailed(fields={"sales_office": [_("Unknown responsibility centre.")]})
    from kefu.org.scope import scope_for

    scope = scope_for(actor)
    if not scope.company_wide and office.pk not in scope.office_ids:
        raise ValidationFailed(
            _("You cannot file a customer in a responsibility centre outside your scope."),
            fields={
                "sales_office": [
                    _("You cannot file a customer in a responsibility centre outside your scope.")
                ]
            },
        )


def search_fields(customer: Customer, contacts: Iterable[Contact] | None = None) -> list[str]:
    """What the search box finds a customer by: number, name (and its pinyin initials), phones,
    contact names and phones."""
    fields = [customer.number, customer.name, customer.phone, customer.mobile, pinyin.initials(customer.name)]
    for contact in customer.contacts.all() if contacts is None else contacts:
        fields += [contact.name, contact.phone, contact.mobile]
    return [f for f in fields if f]


def reindex(customers: Iterable[Customer]) -> int:
    """Refresh the search index of these customers (contacts read in one query)."""
    customers = list(customers)
    by_customer: dict[int, list[Contact]] = {c.pk: [] for c in customers}
    for contact in Contact.objects.filter(customer__in=[c.pk for c in customers]).only(
        "customer_id", "name", "phone", "mobile"
    ):
        by_customer[contact.customer_id].append(contact)
    return search.index_documents(
        SEARCH_INDEX, [(c.pk, search_fields(c, by_customer[c.pk])) for c in customers]
    )


def _reindex_on_commit(customer: Customer) -> None:
    # Inside the transaction: the index table is in the same database, so it commits with the row.
    reindex([customer])


def new_number() -> str:
    """The next free system-assigned customer number (skips numbers users assigned by hand)."""
    while True:
        number = next_number(NUMBER_RANGE, defaults=NUMBER_RANGE_DEFAULTS)[0]
        if not Customer.objects.filter(number=number).exists():
            return number


# --- customers --------------------------------------------------------------------------------


def create_customer(
    *, actor, contacts: list[dict] | None = None, addresses: list[dict] | None = None, **values
) -> Customer:
    """Create a customer (number drawn from the range unless given) with its contacts and addresses."""
    _require(actor, "customers.add_customer")
    unknown = (
        set(values) - set(EDITABLE_FIELDS) - {"number", "value_amount", "value_previous", "last_contact_at"}
    )
    if unknown:
        raise ValidationFailed(fields={name: [_("Unknown field.")] for name in sorted(unknown)})
    _check_office(actor, values.get("sales_office"))
    with transaction.atomic():
        number = (values.pop("number", "") or "").strip()
        customer = Customer(number=number or "0000000000", **values)
        _clean(customer, exclude=["number"] if not number else None)
        if not number:
            customer.number = new_number()
        customer.save()
        for item in contacts or []:
            _add_contact(customer, item)
        for item in addresses or []:
            _add_address(customer, item)
        record(
            customer,
            events.CREATED.code,
            actor=actor,
            data={"number": customer.number, "name": customer.name},
        )
        _reindex_on_commit(customer)
        if customer.is_key_account or customer.value_amount:
            _refresh_key(customer)
    return customer


def _refresh_key(customer: Customer) -> None:
    """One customer's key flags now (a hand-set key account, a new value); tiers move nightly."""
    recompute_key_customers(customer_ids=[customer.pk])
    customer.refresh_from_db(fields=["is_key", "key_by_sales"])


def update_customer(
    customer: Customer, /, *, actor, expected_version: int | None, recorded_as=None, **changes
) -> Customer:
    """Change fields of a customer; refused if someone saved it since `expected_version`.
    `recorded_as`: who the history names when another service writes on a user's behalf."""
    _require(actor, "customers.change_customer")
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(
            fields={name: [_("This field cannot be changed here.")] for name in sorted(unknown)}
        )
    if "sales_office" in changes and changes["sales_office"] != customer.sales_office:
        _check_office(actor, changes["sales_office"])
    before = snapshot(customer, EDITABLE_FIELDS)
    with transaction.atomic():
        for name, value in changes.items():
            setattr(customer, name, value)
        _clean(customer)
        changed = diff(customer, before, EDITABLE_FIELDS)
        if not changed:
            return customer
        save_versioned(customer, expected_version=expected_version, update_fields=list(changed))
        record(customer, events.CHANGED.code, actor=recorded_as or actor, data={"changes": changed})
        if {"name", "phone", "mobile"} & set(changed):
            _reindex_on_commit(customer)
        if "name" in changed:
            _renamed_elsewhere(customer)
        if {"is_key_account", "is_active"} & set(changed):
            _refresh_key(customer)
    return customer


def _renamed_elsewhere(customer: Customer) -> None:
    """Apps whose search finds records by the customer's name (a `customer_renamed` hook in their
    services.py, e.g. complaints) refresh their entries; the archive names none of them."""
    from kefu.core.discovery import app_modules

    for module in app_modules("services"):
        hook = getattr(module, "customer_renamed", None)
        if hook is not None:
            hook(customer)


# --- contacts, addresses, partners ------------------------------------------------------------


def _bump(customer: Customer, expected_version: int | None = None) -> None:
    """A change of a sub-record is a change of the customer: its version and time move on.

    With `expected_version` (the customer's version the editor read) a change saved meanwhile by
    someone else is refused (409) instead of silently overwritten; call it inside the write's
    transaction so the refused change leaves nothing behind."""
    query = Customer.objects.filter(pk=customer.pk)
    if expected_version is not None:
        query = query.filter(version=expected_version)
    if not query.update(version=F("version") + 1, updated_at=clock.now()):
        raise ConcurrentUpdate()
    customer.version = (expected_version if expected_version is not None else customer.version) + 1


def _check_version(customer: Customer, expected_version: int | None) -> None:
    """Refuse (409) when the customer changed since the editor read `expected_version`."""
    if (
        expected_version is not None
        and not Customer.objects.filter(pk=customer.pk, version=expected_version).exists()
    ):
        raise ConcurrentUpdate()


def _add_contact(customer: Customer, values: dict) -> Contact:
    unknown = set(values) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationFailed(fields={name: [_("Unknown field.")] for name in sorted(unknown)})
    contact = Contact(customer=customer, **values)
    if not customer.contacts.exists():
        contact.is_primary = True
    _clean(contact, exclude=["customer"])
    if contact.is_primary:
        customer.contacts.filter(is_primary=True).update(is_primary=False)
    contact.save()
    return contact


def add_contact(customer: Customer, *, actor, recorded_as=None, **values) -> Contact:
    """Add a contact 联系人; the first contact, or one marked primary, becomes the primary contact."""
    _require(actor, "customers.add_contact")
    with transaction.atomic():
        contact = _add_contact(customer, values)
        _bump(customer)
        record(
            customer,
            events.CONTACT_ADDED.code,
            actor=recorded_as or actor,
            data={"id": contact.pk, "name": contact.name},
        )
        _reindex_on_commit(customer)
    return contact


def update_contact(
    contact: Contact, /, *, actor, expected_version: int | None = None, recorded_as=None, **changes
) -> Contact:
    """Change a contact; with `expected_version` (the customer's) a change saved since is a 409."""
    _require(actor, "customers.change_contact")
    unknown = set(changes) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationFailed(fields={name: [_("Unknown field.")] for name in sorted(unknown)})
    before = snapshot(contact, CONTACT_FIELDS)
    with transaction.atomic():
        for name, value in changes.items():
            setattr(contact, name, value)
        _clean(contact, exclude=["customer"])
        changed = diff(contact, before, CONTACT_FIELDS)
        if not changed:
            _check_version(contact.customer, expected_version)
            return contact
        _bump(contact.customer, expected_version)
        if contact.is_primary and "is_primary" in changed:
            contact.customer.contacts.exclude(pk=contact.pk).update(is_primary=False)
        contact.save(update_fields=[*changed, "updated_at"])
        record(
            contact.customer,
            events.CONTACT_CHANGED.code,
            actor=recorded_as or actor,
            data={"id": contact.pk, "name": contact.name, "changes": changed},
        )
        _reindex_on_commit(contact.customer)
    return contact


def remove_contact(contact: Contact, *, actor, expected_version: int | None = None) -> None:
    """Remove a contact; one still in use elsewhere (e.g. with a portal login) is refused."""
    from django.db.models import ProtectedError

    _require(actor, "customers.delete_contact")
    customer = contact.customer
    with transaction.atomic():
        data = {"id": contact.pk, "name": contact.name, "old": snapshot(contact, CONTACT_FIELDS)}
        was_primary = contact.is_primary
        try:
            with transaction.atomic():
                contact.delete()
        except ProtectedError:
            raise ValidationFailed(
                _("This contact is still in use (e.g. by a customer portal login) and cannot be removed."),
                code="in_use",
            ) from None
        if was_primary:
            nxt = customer.contacts.order_by("id").first()
            if nxt:
                Contact.objects.filter(pk=nxt.pk).update(is_primary=True)
        _bump(customer, expected_version)
        record(customer, events.CONTACT_REMOVED.code, actor=actor, data=data)
        _reindex_on_commit(customer)


def _add_address(customer: Customer, values: dict) -> ServiceAddress:
    unknown = set(values) - set(ADDRESS_FIELDS)
    if unknown:
        raise ValidationFailed(fields={name: [_("Unknown field.")] for name in sorted(unknown)})
    values = dict(values)
    explicit = values.pop("is_default", None)
    address = ServiceAddress(customer=customer, **values)
    if not address.code:
        address.code = f"FL-{customer.service_addresses.count() + 1:02d}"
    # What the user said counts; only when they said nothing is a first address the default.
    address.is_default = (not customer.service_addresses.exists()) if explicit is None else bool(explicit)
    _clean(address)
    if address.is_default:
        customer.service_addresses.filter(is_default=True).update(is_default=False)
    address.save()
    return address


def add_service_address(customer: Customer, *, actor, **values) -> ServiceAddress:
    """Add a service address 功能位置 (code like FL-01, drawn when not given)."""
    _require(actor, "customers.add_serviceaddress")
    with transaction.atomic():
        address = _add_address(customer, values)
        _bump(customer)
        record(
            customer, events.ADDRESS_ADDED.code, actor=actor, data={"id": address.pk, "code": address.code}
        )
    return address


def update_service_address(
    address: ServiceAddress, /, *, actor, expected_version: int | None = None, **changes
) -> ServiceAddress:
    """Change a service address; with `expected_version` (the customer's) a change saved since is a 409."""
    _require(actor, "customers.change_serviceaddress")
    unknown = set(changes) - set(ADDRESS_FIELDS)
    if unknown:
        raise ValidationFailed(fields={name: [_("Unknown field.")] for name in sorted(unknown)})
    before = snapshot(address, ADDRESS_FIELDS)
    with transaction.atomic():
        for name, value in changes.items():
            setattr(address, name, value)
        _clean(address)
        changed = diff(address, before, ADDRESS_FIELDS)
        if not changed:
            _check_version(address.customer, expected_version)
            return address
        _bump(address.customer, expected_version)
        if address.is_default and "is_default" in changed:
            address.customer.service_addresses.exclude(pk=address.pk).update(is_default=False)
        address.save(update_fields=[*changed, "updated_at"])
        record(
            address.customer,
            events.ADDRESS_CHANGED.code,
            actor=actor,
            data={"id": address.pk, "code": address.code, "changes": changed},
        )
    return address


def remove_service_address(address: ServiceAddress, *, actor, expected_version: int | None = None) -> None:
    _require(actor, "customers.delete_serviceaddress")
    customer = address.customer
    with transaction.atomic():
        data = {"id": address.pk, "code": address.code, "old": snapshot(address, ADDRESS_FIELDS)}
        address.delete()
        _bump(customer, expected_version)
        record(customer, events.ADDRESS_REMOVED.code, actor=actor, data=data)


def add_partner(customer: Customer, *, actor, function: str, partner: Customer) -> CustomerPartner:
    """Link a partner (SP/SH/PY/VW …); the partner must be a customer the actor can see."""
    _require(actor, "customers.add_customerpartner")
    link = CustomerPartner(customer=customer, function=function, partner=partner)
    with transaction.atomic():
        _clean(link)
        link.save()
        _bump(customer)
        record(
            customer,
            events.PARTNER_ADDED.code,
            actor=actor,
            data={"function": function, "partner": partner.number},
        )
    return link


def remove_partner(link: CustomerPartner, *, actor) -> None:
    _require(actor, "customers.delete_customerpartner")
    customer = link.customer
    with transaction.atomic():
        data = {"function": link.function, "partner": link.partner.number}
        link.delete()
        _bump(customer)
        record(customer, events.PARTNER_REMOVED.code, actor=actor, data=data)


# --- inputs other apps feed -------------------------------------------------------------------


def note_contact(customer: Customer, *, at: dt.datetime | None = None, actor=None) -> None:
    """Any contact with the customer (call, visit, notification, mail): resets the no-contact warning."""
    at = at or clock.now()
    Customer.objects.filter(pk=customer.pk).filter(
        Q(last_contact_at__isnull=True) | Q(last_contact_at__lt=at)
    ).update(last_contact_at=at)
    customer.last_contact_at = max(filter(None, [customer.last_contact_at, at]))


def note_complaint(customer: Customer, *, actor=None) -> None:
    """A complaint was raised: counts towards the complaints warning."""
    Customer.objects.filter(pk=customer.pk).update(
        open_complaints=F("open_complaints") + 1, complaints_90d=F("complaints_90d") + 1
    )
    customer.refresh_from_db(fields=["open_complaints", "complaints_90d"])


def note_complaint_closed(customer: Customer, *, actor=None) -> None:
    Customer.objects.filter(pk=customer.pk, open_complaints__gt=0).update(
        open_complaints=F("open_complaints") - 1
    )
    customer.refresh_from_db(fields=["open_complaints"])


def set_complaint_counts(counts: dict[int, int]) -> None:
    """Set complaints in the last 90 days per customer pk (the complaints app's nightly recount)."""
    # Customers whose complaints all aged out of the window go back to 0 (the warning lifts).
    Customer.objects.filter(complaints_90d__gt=0).exclude(pk__in=list(counts)).update(complaints_90d=0)
    for pk, count in counts.items():
        Customer.objects.filter(pk=pk).exclude(complaints_90d=count).update(complaints_90d=count)


def add_value(customer: Customer, amount: Decimal, *, actor=None) -> None:
    """Book revenue or profit (CNY) to the current period's value measure of the pyramid."""
    Customer.objects.filter(pk=customer.pk).update(value_amount=F("value_amount") + Decimal(amount))
    customer.refresh_from_db(fields=["value_amount"])


def close_value_period() -> int:
    """Start a new period: the current value becomes the previous one (for period-over-period drops)."""
    return Customer.objects.update(value_previous=F("value_amount"), value_amount=Decimal(0))


# --- classification ---------------------------------------------------------------------------


def set_grade_override(
    customer: Customer, *, actor, grade: str, reason: str, expected_version: int | None
) -> Customer:
    """Set (or with grade='' clear) a manual grade; who and why are kept and shown."""
    _require(actor, "customers.classify_customer")
    if grade and grade not in Grade.values:
        raise ValidationFailed(fields={"grade": [_("Choose A, B or C.")]})
    reason = (reason or "").strip()
    if grade and not reason:
        raise ValidationFailed(fields={"reason": [_("Give a reason for the manual grade.")]})
    old = customer.grade
    with transaction.atomic():
        customer.grade_override = grade
        customer.grade_override_reason = reason[:200]
        customer.grade_override_by = actor if grade else None
        customer.grade_override_at = clock.now() if grade else None
        customer.grade = grade or customer.grade_computed
        save_versioned(
            customer,
            expected_version=expected_version,
            update_fields=[
                "grade",
                "grade_override",
                "grade_override_reason",
                "grade_override_by",
                "grade_override_at",
            ],
        )
        record(
            customer,
            events.GRADE_OVERRIDDEN.code,
            actor=actor,
            data={"old": old, "new": customer.grade, "reason": reason},
        )
    return customer


def grade_condition(rule: GradeRule, today: dt.date) -> Q:
    q = Q()
    if rule.min_cooperation_years is not None:
        since = (
            today.replace(year=today.year - rule.min_cooperation_years)
            if not (today.month == 2 and today.day == 29)
            else today.replace(year=today.year - rule.min_cooperation_years, day=28)
        )
        q &= Q(cooperation_since__lte=since)
    if rule.min_volume is not None:
        q &= Q(volume__gte=rule.min_volume)
    if rule.min_satisfaction is not None:
        q &= Q(satisfaction__gte=rule.min_satisfaction)
    if rule.min_loyalty is not None:
        q &= Q(loyalty__gte=rule.min_loyalty)
    return q


def recompute_grades(*, actor=None, today: dt.date | None = None) -> int:
    """Grade every customer by the active rules (A before B, else C); manual grades stay. Set-based SQL;
    returns how many customers' rule grade changed."""
    _require(actor, "customers.classify_customer")
    today = today or timezone.localtime(clock.now()).date()
    rules = {r.grade: r for r in GradeRule.objects.filter(is_active=True)}
    whens = [When(grade_condition(rules[g], today), then=Value(g)) for g in ("A", "B") if g in rules]
    computed = Case(*whens, default=Value("C")) if whens else Value("C")
    with transaction.atomic():
        changed = Customer.objects.exclude(grade_computed=computed).update(grade_computed=computed)
        Customer.objects.filter(grade_override="").exclude(grade=F("grade_computed")).update(
            grade=F("grade_computed")
        )
        Customer.objects.exclude(grade_override="").exclude(grade=F("grade_override")).update(
            grade=F("grade_override")
        )
    return changed


def recompute_pyramid(*, actor=None) -> dict[str, int]:
    """Place every active customer in the value pyramid: top 1 % key, next 19 % major, next 30 %
    ordinary, last 50 % small, by value (ties broken by id, higher id first).

    Three index lookups find the last (value, id) of each upper tier; one UPDATE then sets every
    row whose tier differs, so a nightly run with few movers writes few rows."""
    _require(actor, "customers.classify_customer")
    base = Customer.objects.filter(is_active=True)
    total = base.count()
    ranked = base.order_by("-value_amount", "-id").values_list("value_amount", "id")
    counts: dict[str, int] = {}
    whens = []
    placed = 0
    for tier, share in TIER_SHARES[:-1]:
        end = round(total * share / 100)
        if tier == TIER_SHARES[0][0] and total:
            end = max(end, 1)  # at least one key customer
        end = min(max(end, placed), total)
        counts[tier] = end - placed
        if end > placed:
            value, pk = ranked[end - 1]
            whens.append(
                When(Q(value_amount__gt=value) | Q(value_amount=value, id__gte=pk), then=Value(tier))
            )
        placed = end
    counts[TIER_SHARES[-1][0]] = total - placed
    expr = Case(*whens, default=Value(TIER_SHARES[-1][0]))
    with transaction.atomic():
        Customer.objects.filter(is_active=False).exclude(tier="").update(tier="")
        base.exclude(tier=expr).update(tier=expr)
    return {str(k): v for k, v in counts.items()}


def anomaly_expression(rules: dict[str, AnomalyRule], now: dt.datetime):
    """SQL for the warning bit mask from the active rules (see choices.ANOMALY_BITS)."""
    parts = []
    rule = rules.get(AnomalyKind.NO_CONTACT)
    if rule:
        cutoff = now - dt.timedelta(days=int(rule.threshold))
        parts.append(
            Case(
                When(
                    Q(last_contact_at__lt=cutoff) | Q(last_contact_at__isnull=True, created_at__lt=cutoff),
                    then=1,
                ),
                default=0,
                output_field=IntegerField(),
            )
        )
    rule = rules.get(AnomalyKind.VALUE_DROP)
    if rule:
        keep = (Decimal(100) - rule.threshold) / Decimal(100)
        parts.append(
            Case(
                # The period's value against the previous period's, or (sales feed) the last
                # quarter's sales against the quarter before.
                When(
                    Q(value_previous__gt=0, value_amount__lte=F("value_previous") * keep)
                    | Q(sales_quarter_previous__gt=0, sales_quarter__lte=F("sales_quarter_previous") * keep),
                    then=2,
                ),
                default=0,
                output_field=IntegerField(),
            )
        )
    rule = rules.get(AnomalyKind.COMPLAINTS)
    if rule:
        parts.append(
            Case(
                When(complaints_90d__gte=int(rule.threshold), then=4), default=0, output_field=IntegerField()
            )
        )
    expr: Value | CombinedExpression = Value(0, output_field=IntegerField())
    for part in parts:
        expr = expr + part
    return expr


def recompute_anomalies(*, actor=None, now: dt.datetime | None = None) -> int:
    """Flag 异样客户 by the active warning rules; returns how many customers are flagged."""
    _require(actor, "customers.classify_customer")
    now = now or clock.now()
    rules = {r.kind: r for r in AnomalyRule.objects.filter(is_active=True)}
    with transaction.atomic():
        expr = anomaly_expression(rules, now)
        Customer.objects.filter(is_active=True).exclude(anomaly_mask=expr).update(anomaly_mask=expr)
        Customer.objects.filter(is_active=False).exclude(anomaly_mask=0).update(anomaly_mask=0)
        Customer.objects.filter(anomaly_mask__gt=0, anomaly_since__isnull=True).update(anomaly_since=now)
        Customer.objects.filter(anomaly_mask=0, anomaly_since__isnull=False).update(anomaly_since=None)
    return Customer.objects.filter(anomaly_mask__gt=0).count()


def anomaly_kinds(mask: int) -> list[str]:
    return [kind for kind, bit in ANOMALY_BITS.items() if mask & bit]


# --- privacy ----------------------------------------------------------------------------------


def reveal_personal_data(customer_pk: int, *, actor, reason: str) -> Customer:
    """Show one customer's personal data unmasked to a role allowed to reveal; logged with the reason."""
    if not (
        actor.has_perm("customers.reveal_personal_data") or actor.has_perm("customers.view_personal_data")
    ):
        raise PermissionDenied()
    customer = access(Customer, actor, customer_pk)
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ReasonRequired(fields={"reason": [str(ReasonRequired.default_message)]})
    with transaction.atomic():
        PersonalDataAccess.objects.create(
            user=actor, customer=customer, action=AccessAction.REVEAL, reason=reason[:200]
        )
        record(customer, events.REVEALED.code, actor=actor, data={"reason": reason[:200]})
    return customer


def log_access_many(user, entries: list[tuple[int | None, dict]], *, action: str, reason: str) -> None:
    """One access-log row per (customer id, detail) in one insert (a work plan reads many at once)."""
    PersonalDataAccess.objects.bulk_create(
        PersonalDataAccess(
            user=user, customer_id=customer_id, action=action, reason=reason[:200], detail=detail
        )
        for customer_id, detail in entries
    )


def log_access(
    user, *, action: str, customer: Customer | None = None, reason: str = "", detail: dict | None = None
):
    """Append to the personal-data access log (unmasked views, API reads and exports)."""
    return PersonalDataAccess.objects.create(
        user=user, customer=customer, action=action, reason=reason[:200], detail=detail or {}
    )


# --- the sales-value feed 销售额 ----------------------------------------------------------------
#
# A customer's sales per month (MonthlySales, one row per customer and month) drive its value:
# `recompute_values` sums the policy's window (12 months by default) into value_amount (the
# average monthly sales: the pyramid's measure and seed 004's key-account rule), value_previous
# (the same average one quarter earlier) and the last two quarters (the value-drop warning).


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def parse_month(value) -> dt.date:
    """A month from '2026-11', '2026/11', '202611', '2026-11-01', '2026年11月' or a date: its first day."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        if not 1900 <= value.year <= 2999:
            raise ValidationFailed(fields={"period": [_("Enter a month as YYYY-MM, e.g. 2026-11.")]})
        return value.replace(day=1)
    import re

    text = str(value or "").strip()
    match = re.fullmatch(r"(\d{4})\s*(?:[-/.年]\s*(\d{1,2})|(\d{2}))\s*(?:月|[-/.]\s*\d{1,2}\s*日?)?", text)
    month = int((match.group(2) or match.group(3)) if match else 0)
    # A year outside 1900–2999 (0000 would be a 500 here, 9999 one in the quarters' arithmetic)
    # is a typing error, not a sales month.
    if not match or not 1 <= month <= 12 or not 1900 <= int(match.group(1)) <= 2999:
        raise ValidationFailed(fields={"period": [_("Enter a month as YYYY-MM, e.g. 2026-11.")]})
    return dt.date(int(match.group(1)), month, 1)


def parse_amount(value) -> Decimal:
    """Sales in CNY (two decimals; '12,800.50' is read as 12800.50; negative for returns)."""
    from decimal import InvalidOperation

    try:
        amount = Decimal(str(value).replace(",", "").strip()) if value not in (None, "") else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationFailed(fields={"amount": [_("Enter an amount in yuan, e.g. 12800.50.")]})
    if abs(amount) >= Decimal(10) ** 14 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed(
            fields={"amount": [_("At most 14 digits before and 2 after the decimal point.")]}
        )
    return amount.quantize(Decimal("0.01"))


def record_sales(
    customer: Customer, *, actor, period, amount, source: str = "api"
) -> tuple[MonthlySales, bool]:
    """Set a customer's sales for one month: the same customer and month again updates that row
    (never a second one). Returns the row and whether it was created. The customer's value follows
    at once; the pyramid tiers follow with the next classification run (after imports, nightly)."""
    _require(actor, "customers.add_monthlysales")
    _require(actor, "customers.change_monthlysales")
    month = parse_month(period)
    amount = parse_amount(amount)
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        row = MonthlySales.objects.select_for_update().filter(customer=customer, period=month).first()
        old = row.amount if row else None
        created = row is None
        if row is None:
            try:
                with transaction.atomic():
                    row = MonthlySales.objects.create(
                        customer=customer, period=month, amount=amount, source=source, updated_by=user
                    )
            except IntegrityError:  # fed concurrently: the other write made the row, update it
                row = MonthlySales.objects.select_for_update().get(customer=customer, period=month)
                old, created = row.amount, False
        if not created and old == amount:
            return row, False
        if not created:
            row.amount, row.source, row.updated_by = amount, source, user
            row.save(update_fields=["amount", "source", "updated_by", "updated_at"])
        record(
            customer,
            events.SALES_RECORDED.code,
            actor=actor,
            data={"period": f"{month:%Y-%m}", "old": str(old) if old is not None else "", "new": str(amount)},
        )
        recompute_values(customer_ids=[customer.pk])
        _refresh_key(customer)
    return row, created


def value_window(today: dt.date | None = None, months: int | None = None) -> dict[str, dt.date]:
    """The months the value is computed over: through the last complete month before `today`
    (the project clock's today: a frozen clock moves it, kefu.worktime.clock)."""

    today = today or timezone.localtime(clock.now()).date()
    months = months or ValuePolicy.current().window_months
    end = add_months(today.replace(day=1), -1)
    return {
        "end": end,
        "start": add_months(end, -(months - 1)),
        "previous_end": add_months(end, -3),
        "previous_start": add_months(end, -(months - 1) - 3),
        "quarter_start": add_months(end, -2),
        "previous_quarter_start": add_months(end, -5),
    }


def recompute_values(
    *, actor=None, today: dt.date | None = None, customer_ids: list[int] | None = None
) -> int:
    """Sum the sales feed into every fed customer's value in one set-based UPDATE that writes only
    the rows that change; returns how many rows changed. Customers without sales rows keep the
    value they were given (import, `add_value`)."""
    from django.db import connection

    _require(actor, "customers.classify_customer")
    policy = ValuePolicy.current()
    w = value_window(today, policy.window_months)
    lo = min(w["previous_start"], w["previous_quarter_start"])
    customers, sales = Customer._meta.db_table, MonthlySales._meta.db_table
    only = ""
    params: list = [w["start"], policy.window_months, w["previous_start"], w["previous_end"]]
    params += [policy.window_months, w["quarter_start"], w["previous_quarter_start"], w["quarter_start"]]
    params += [lo, w["end"]]
    if customer_ids is not None:
        only = (
            f" AND customer_id IN ({', '.join(['%s'] * len(customer_ids))})" if customer_ids else " AND 1=0"
        )
        params += list(customer_ids)
    sql = f"""
        UPDATE {customers} SET value_amount = a.avg_value, value_previous = a.avg_previous,
            sales_quarter = a.q, sales_quarter_previous = a.pq, sales_through = %s
        FROM (
            SELECT customer_id,
                ROUND(SUM(CASE WHEN period >= %s THEN amount ELSE 0 END) * 1.0 / %s, 2) AS avg_value,
                ROUND(SUM(CASE WHEN period >= %s AND period <= %s THEN amount ELSE 0 END) * 1.0 / %s, 2)
                    AS avg_previous,
                ROUND(SUM(CASE WHEN period >= %s THEN amount ELSE 0 END), 2) AS q,
                ROUND(SUM(CASE WHEN period >= %s AND period < %s THEN amount ELSE 0 END), 2) AS pq
            FROM {sales} WHERE period >= %s AND period <= %s{only}
            GROUP BY customer_id
        ) AS a
        WHERE {customers}.id = a.customer_id AND (
            {customers}.value_amount <> a.avg_value OR {customers}.value_previous <> a.avg_previous
            OR {customers}.sales_quarter <> a.q OR {customers}.sales_quarter_previous <> a.pq
            OR {customers}.sales_through IS NULL OR {customers}.sales_through <> %s)
    """
    # "* 1.0": SQLite keeps whole amounts as integers, and integer division would drop the fen.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [w["end"], *params, w["end"]])
        changed = max(cursor.rowcount, 0)
        # Fed customers whose every month left the window: their value falls to zero.
        fed = MonthlySales.objects.values("customer_id")
        in_window = MonthlySales.objects.filter(period__gte=lo, period__lte=w["end"]).values("customer_id")
        stale = Customer.objects.filter(pk__in=fed).exclude(pk__in=in_window)
        if customer_ids is not None:
            stale = stale.filter(pk__in=customer_ids)
        changed += stale.exclude(
            value_amount=0,
            value_previous=0,
            sales_quarter=0,
            sales_quarter_previous=0,
            sales_through=w["end"],
        ).update(
            value_amount=0,
            value_previous=0,
            sales_quarter=0,
            sales_quarter_previous=0,
            sales_through=w["end"],
        )
    return changed


def recompute_key_customers(*, actor=None, customer_ids: list[int] | None = None) -> int:
    """Seed 004's key-account rule (average monthly sales ≥ the policy's minimum) and 关键客户 (seed
    003: tiers 重要 + 主要, or a key account by hand or by sales): set-based, writing only rows that
    change; open complaints and planned visits follow (apps' `key_customers_changed` hooks)."""
    _require(actor, "customers.classify_customer")
    policy = ValuePolicy.current()
    qs = Customer.objects.all() if customer_ids is None else Customer.objects.filter(pk__in=customer_ids)
    with transaction.atomic():
        if policy.key_account_rule_active:
            rich = Q(value_amount__gte=policy.key_account_min_average)
            changed = qs.filter(rich, key_by_sales=False).update(key_by_sales=True)
            changed += qs.filter(key_by_sales=True).exclude(rich).update(key_by_sales=False)
        else:
            changed = qs.filter(key_by_sales=True).update(key_by_sales=False)
        key = Q(is_active=True) & (Q(is_key_account=True) | Q(key_by_sales=True) | Q(tier__in=KEY_TIERS))
        changed += qs.filter(key, is_key=False).update(is_key=True)
        changed += qs.filter(is_key=True).exclude(key).update(is_key=False)
        _key_changed_elsewhere(customer_ids)
    return changed


def _key_changed_elsewhere(customer_ids: list[int] | None) -> None:
    """Worklists that order key customers first (complaints, visits) keep the flag on their own rows
    (an index-friendly ordering); each app's `key_customers_changed` hook resyncs its open ones."""
    from kefu.core.discovery import app_modules

    for module in app_modules("services"):
        hook = getattr(module, "key_customers_changed", None)
        if hook is not None:
            hook(customer_ids)


def recompute_value_classification(*, actor=None, today: dt.date | None = None) -> dict:
    """The whole value chain in one run (after an import, nightly): values from the feed, the
    pyramid, key customers, warnings, and value-drop warnings to who must act."""
    _require(actor, "customers.classify_customer")
    values = recompute_values(actor=actor, today=today)
    tiers = recompute_pyramid(actor=actor)
    key = recompute_key_customers(actor=actor)
    flagged = recompute_anomalies(actor=actor)
    warned = raise_value_drop_warnings(today=today)
    return {"values": values, "tiers": tiers, "key": key, "flagged": flagged, "warned": warned}


# --- warnings 异样客户预警: raised once, sent to who must act, acknowledged with a note ----------


def who_must_act(customer: Customer):
    """The key-account manager of a key account, else the responsible staff member."""
    return customer.key_account_manager or customer.responsible


def raise_warning(
    customer: Customer,
    *,
    kind: str,
    source_key: str,
    message: str,
    detail: dict | None = None,
    assignee=None,
    notify: bool = True,
    actor=None,
) -> CustomerWarning | None:
    """Raise a warning once per customer, kind and source (None if it was raised before); on the
    customer's timeline; after commit the person who must act gets an in-app notice and a mail."""
    assignee = assignee or who_must_act(customer)
    with transaction.atomic():
        try:
            with transaction.atomic():
                warning = CustomerWarning.objects.create(
                    customer=customer,
                    kind=kind,
                    source_key=source_key[:60],
                    message=message[:300],
                    detail=detail or {},
                    assignee=assignee,
                    raised_at=clock.now(),
                )
        except IntegrityError:
            return None
        record(
            customer, events.WARNING_RAISED.code, actor=actor, data={"kind": kind, "message": warning.message}
        )
        if notify and assignee is not None:
            transaction.on_commit(lambda: notify_warnings([warning.pk]))
    return warning


def notify_warnings(warning_ids: list[int]) -> int:
    """Tell each assignee about their new warnings: one in-app notice per warning when few, one
    summary notice otherwise, and one mail each (kefu.channels, sent after commit)."""
    from django.urls import reverse

    from kefu.channels.services import notify, send_mail

    by_staff: dict[int, list[CustomerWarning]] = {}
    for w in CustomerWarning.objects.filter(pk__in=warning_ids, is_open=True).select_related(
        "assignee", "assignee__user", "customer"
    ):
        if w.assignee_id:
            by_staff.setdefault(w.assignee_id, []).append(w)
    url = reverse("customers:warnings")
    sent = 0
    with transaction.atomic():
        for warnings in by_staff.values():
            staff = warnings[0].assignee
            lines = [f"{_customer_label(w.customer)}：{w.message}" for w in warnings[:50]]
            if len(warnings) <= 3:
                for w, line in zip(warnings, lines, strict=False):
                    notify(
                        recipient=staff,
                        target=w.customer,
                        message=line,
                        url=url,
                        urgent=True,
                    )
            else:
                notify(
                    recipient=staff,
                    target=None,
                    message=_("%(n)s new customer warnings to act on.") % {"n": len(warnings)},
                    url=url,
                    urgent=True,
                )
            if staff is not None and staff.email:
                subject = _("Customer warning: %(first)s") % {"first": lines[0]}
                if len(warnings) > 1:
                    subject = _("%(n)s new customer warnings to act on.") % {"n": len(warnings)}
                body = "\n".join([*lines, "", _("Acknowledge them with a note: %(url)s") % {"url": url}])
                send_mail(
                    actor=None,
                    target=warnings[0].customer,
                    to=[staff.email],
                    subject=subject[:200],
                    body=body,
                )
            sent += 1
    return sent


def _customer_label(customer: Customer) -> str:
    """Number and name; a private person's name is masked (personal data in mail)."""
    from kefu.core.masking import mask_text
    from kefu.customers.choices import Nature

    name = mask_text(customer.name) if customer.nature == Nature.INDIVIDUAL else customer.name
    return f"{customer.number} {name}"


def raise_value_drop_warnings(*, today: dt.date | None = None) -> int:
    """A value-drop warning for every flagged customer without one for this quarter (bulk, idempotent
    by the unique source key), then one notice and mail per person who must act."""
    w = value_window(today)
    key = f"value_drop:{w['end']:%Y-%m}"
    bit = ANOMALY_BITS[AnomalyKind.VALUE_DROP]
    rule = AnomalyRule.objects.filter(kind=AnomalyKind.VALUE_DROP, is_active=True).first()
    if rule is None:
        return 0
    already = CustomerWarning.objects.filter(kind=WarningKind.VALUE_DROP, source_key=key).values(
        "customer_id"
    )
    rows = (
        Customer.objects.filter(is_active=True)
        .alias(value_drop=F("anomaly_mask").bitand(bit))
        .filter(value_drop__gt=0)
        .exclude(pk__in=already)
        .values_list(
            "pk", "sales_quarter", "sales_quarter_previous", "key_account_manager_id", "responsible_id"
        )
    )
    now = clock.now()
    created_ids: list[int] = []
    batch: list[CustomerWarning] = []

    def flush() -> None:
        CustomerWarning.objects.bulk_create(batch, ignore_conflicts=True)
        created_ids.extend(
            CustomerWarning.objects.filter(
                kind=WarningKind.VALUE_DROP, source_key=key, customer_id__in=[b.customer_id for b in batch]
            ).values_list("pk", flat=True)
        )
        batch.clear()

    with transaction.atomic():
        for pk, q, pq, kam, responsible in rows.iterator(chunk_size=5000):
            message = _(
                "Sales dropped: last quarter %(q)s yuan, the quarter before %(pq)s yuan (threshold %(t)s %%)."
            ) % {
                "q": q,
                "pq": pq,
                "t": rule.threshold,
            }
            batch.append(
                CustomerWarning(
                    customer_id=pk,
                    kind=WarningKind.VALUE_DROP,
                    source_key=key,
                    message=message[:300],
                    detail={"quarter": str(q), "previous_quarter": str(pq), "through": f"{w['end']:%Y-%m}"},
                    assignee_id=kam or responsible,
                    raised_at=now,
                )
            )
            if len(batch) >= 2000:
                flush()
        if batch:
            flush()
        if created_ids:
            from django.contrib.contenttypes.models import ContentType

            from kefu.timeline.models import TimelineEvent

            content_type = ContentType.objects.get_for_model(Customer)
            TimelineEvent.objects.bulk_create(
                [
                    TimelineEvent(
                        content_type=content_type,
                        object_id=cw.customer_id,
                        event_type=events.WARNING_RAISED.code,
                        occurred_at=now,
                        data={"kind": cw.kind, "message": cw.message},
                    )
                    for cw in CustomerWarning.objects.filter(pk__in=created_ids).only(
                        "customer_id", "kind", "message"
                    )
                ],
                batch_size=2000,
            )
            ids = list(created_ids)
            transaction.on_commit(lambda: notify_warnings(ids))
    return len(created_ids)


def acknowledge_warning(warning: CustomerWarning, *, actor, note: str) -> CustomerWarning:
    """Acknowledge a warning with a note 处理说明: it leaves the open list; on the customer's timeline."""
    _require(actor, "customers.acknowledge_customerwarning")
    note = (note or "").strip()
    if len(note) < 2:
        raise ValidationFailed(fields={"note": [_("Say what was done about this warning (a note).")]})
    check_text(note=note)
    now = clock.now()
    with transaction.atomic():
        updated = CustomerWarning.objects.filter(pk=warning.pk, is_open=True).update(
            is_open=False, acknowledged_at=now, acknowledged_by=actor, note=note[:2000], updated_at=now
        )
        if not updated:
            raise ConcurrentUpdate(_("This warning was already acknowledged."), code="already_acknowledged")
        warning.refresh_from_db()
        record(
            warning.customer,
            events.WARNING_ACKNOWLEDGED.code,
            actor=actor,
            data={"kind": warning.kind, "message": warning.message, "note": note[:500]},
        )
    return warning


# --- the visit's customer data card 客户资料卡 ----------------------------------------------------


def _may(actor, perm: str):
    """The acting user when they hold `perm`, else the system: the data card of a visit is written
    back as part of recording the visit. Either way the history names the user (`recorded_as`)."""
    return actor if actor is None or actor.has_perm(perm) else None


def apply_data_card(
    customer: Customer, *, actor, card: dict, needs: str = "", at: dt.datetime | None = None
) -> dict:
    """Write a visit's data card into the archive: the contact (found by name, else added) with
    position and phone, and the needs / business / volume outlook as a dated entry at the top of
    the customer's needs information. Through the services above: validated (a bad phone is a 400
    naming the field), versioned and in the customer's history. Returns what changed."""
    card = {k: str(v or "").strip() for k, v in (card or {}).items()}
    changed: dict = {}
    name = card.get("contact_name", "")
    if name:
        values = {}
        if card.get("position"):
            values["position"] = card["position"][:50]
        phone = card.get("contact_phone", "")
        if phone:
            digits = "".join(ch for ch in phone if ch.isdigit())
            values["mobile" if len(digits) == 11 and digits.startswith("1") else "phone"] = phone[:30]
        contact = customer.contacts.filter(name=name[:50]).first()
        try:
            if contact is None:
                contact = add_contact(
                    customer,
                    actor=_may(actor, "customers.add_contact"),
                    recorded_as=actor,
                    name=name[:50],
                    **values,
                )
                changed["contact_added"] = contact.name
            elif values:
                before = snapshot(contact, CONTACT_FIELDS)
                update_contact(
                    contact, actor=_may(actor, "customers.change_contact"), recorded_as=actor, **values
                )
                if diff(contact, before, CONTACT_FIELDS):
                    changed["contact_changed"] = contact.name
        except ValidationFailed as exc:
            raise ValidationFailed(
                exc.message,
                fields={
                    f"card.contact_{k}" if k in ("phone", "mobile") else f"card.{k}": v
                    for k, v in exc.fields.items()
                },
            ) from exc
        customer.refresh_from_db(fields=["version"])
    day = timezone.localtime(at or clock.now()).date()
    parts = [
        (needs or "").strip(),
        _("Business: %(text)s") % {"text": card["business"]} if card.get("business") else "",
        _("Volume outlook: %(text)s") % {"text": card["volume_outlook"]}
        if card.get("volume_outlook")
        else "",
    ]
    entry = "；".join(p for p in parts if p)
    if entry:
        line = f"{day:%Y-%m-%d} {_('return visit')}：{entry}"
        if line not in customer.needs:
            text = f"{line}\n{customer.needs}".strip()[:4000]
            update_customer(
                customer,
                actor=_may(actor, "customers.change_customer"),
                recorded_as=actor,
                expected_version=customer.version,
                needs=text,
            )
            changed["needs"] = line
    return changed


# --- segmentation 客户分类 ---------------------------------------------------------------------
SEGMENT_RUNS_KEPT = 3  # older runs go, unless a visit rule still names one of their segments


def start_segmentation(*, actor, params: dict | None = None):
    """Record a segmentation run to be computed (by the Huey task or at once by the caller)."""
    from kefu.core.scoping import require_perm
    from kefu.customers.models import SegmentRun

    if actor is not None:
        require_perm(actor, "customers.classify_customer")
    clean = _segment_params(params or {})
    return SegmentRun.objects.create(created_by=actor if actor is not None else None, params=clean)


def _segment_params(params: dict) -> dict:
    """Validated run parameters; bad input names the field (400), nothing is recorded."""
    defaults = {"k_min": 2, "k_max": 8, "sample": 20000, "window_days": 365, "seed": 0}
    limits = {
        "k_min": (2, 20),
        "k_max": (2, 20),
        "sample": (100, 200000),
        "window_days": (30, 3650),
        "seed": (0, 10**6),
    }
    out = dict(defaults)
    errors: dict[str, list[str]] = {}
    for name, value in params.items():
        if name not in defaults:
            errors[name] = [_("Unknown field.")]
            continue
        if value in (None, ""):
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            errors[name] = [_("Enter a whole number.")]
            continue
        lo, hi = limits[name]
        if not lo <= number <= hi:
            errors[name] = [_("Enter a number from %(lo)s to %(hi)s.") % {"lo": lo, "hi": hi}]
            continue
        out[name] = number
    if not errors and out["k_max"] < out["k_min"]:
        errors["k_max"] = [_("The largest number of segments must not be below the smallest.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    return out


def run_segmentation(run, *, now: dt.datetime | None = None):
    """Compute a recorded run: features set-based, k-means with k by silhouette, each segment's
    centre and traits, every active customer's segment, and the decision tree (label: the A/B/C
    grade) with its held-out accuracy and a proposed grade for each ungraded customer.

    Memberships are bulk-inserted under the run; the run turns DONE only when all are written,
    so the filter and visit rules never read a half-written run. A failure is recorded on the run.
    """
    import time

    import numpy as np

    from kefu.customers import segmentation as seg
    from kefu.customers.choices import SegmentRunStatus
    from kefu.customers.models import CustomerSegment, Segment, SegmentRun
    from kefu.customers.queries import segment_features

    started = time.perf_counter()
    p = run.params or _segment_params({})
    try:
        features = segment_features(window_days=p["window_days"], now=now)
        ids, raw, grades = features.ids, features.raw, features.grades
        if len(ids) < 3:
            raise ValueError(_("At least three active customers are needed to form segments."))
        x, scaling = seg.transform(raw)
        result = seg.cluster(x, k_min=p["k_min"], k_max=p["k_max"], sample=p["sample"], seed=p["seed"])
        labelled = grades != ""
        tree = seg.classify(raw[labelled], grades[labelled], raw[~labelled], seed=p["seed"])
        proposals = np.full(len(ids), "", dtype="<U1")
        proposals[~labelled] = tree.proposals if len(tree.proposals) else ""
        sizes = np.bincount(result.labels, minlength=result.k)
        with transaction.atomic():
            segments = []
            for number in range(result.k):
                z = result.centres[number]
                centre = {
                    name: round(float(v), 2)
                    for name, v in zip(seg.FEATURES, seg.to_raw(z, scaling), strict=True)
                }
                centre.update(
                    {f"z_{name}": round(float(v), 3) for name, v in zip(seg.FEATURES, z, strict=True)}
                )
                segments.append(
                    Segment(
                        run=run,
                        number=number,
                        centre=centre,
                        traits=seg.traits_from_centre(z),
                        size=int(sizes[number]),
                    )
                )
            Segment.objects.bulk_create(segments)
            segment_ids = np.array(
                [s.pk for s in Segment.objects.filter(run=run).order_by("number")], dtype=np.int64
            )
            member_segment = segment_ids[result.labels]
            batch = 20000
            for lo in range(0, len(ids), batch):
                CustomerSegment.objects.bulk_create(
                    [
                        CustomerSegment(
                            run_id=run.pk, segment_id=int(s), customer_id=int(c), proposed_grade=str(g)
                        )
                        for c, s, g in zip(
                            ids[lo : lo + batch],
                            member_segment[lo : lo + batch],
                            proposals[lo : lo + batch],
                            strict=True,
                        )
                    ],
                    batch_size=batch,
                )
            SegmentRun.objects.filter(pk=run.pk).update(
                status=SegmentRunStatus.DONE,
                params=p,
                k=result.k,
                silhouette=round(result.silhouette, 4),
                silhouettes={str(k): round(v, 4) for k, v in result.silhouettes.items()},
                scaling=scaling.as_dict(),
                customer_count=len(ids),
                classifier_label="grade",
                classifier_accuracy=None if tree.accuracy is None else round(tree.accuracy, 4),
                classifier_test_size=tree.test_size,
                classifier_rules=tree.rules,
                proposed_count=int((proposals != "").sum()),
                seconds=round(time.perf_counter() - started, 2),
            )
            transaction.on_commit(buffer.invalidate)  # a new current run: the filters' segment choices
        _prune_segment_runs()
    except Exception as exc:
        SegmentRun.objects.filter(pk=run.pk).update(
            status=SegmentRunStatus.FAILED,
            error=str(exc)[:2000],
            seconds=round(time.perf_counter() - started, 2),
        )
        raise
    run.refresh_from_db()
    return run


def _prune_segment_runs() -> int:
    """Drop finished runs beyond the latest SEGMENT_RUNS_KEPT, except those a visit rule names."""
    from kefu.customers.models import CustomerSegment, SegmentRun

    keep = set(
        SegmentRun.objects.order_by("-created_at", "-id").values_list("pk", flat=True)[:SEGMENT_RUNS_KEPT]
    )
    # A rule's segment condition (VisitRule.segment, related name visit_rules) keeps its run.
    keep |= set(SegmentRun.objects.filter(segments__visit_rules__isnull=False).values_list("pk", flat=True))
    old = list(SegmentRun.objects.exclude(pk__in=keep).values_list("pk", flat=True))
    if old:
        CustomerSegment.objects.filter(run_id__in=old).delete()
        SegmentRun.objects.filter(pk__in=old).delete()
    return len(old)
