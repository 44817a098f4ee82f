"""Read side of the customer archive: scoped lists, the one masked read model, autocomplete.

`present_customer` (list rows) and `present_customer_detail` (one customer with contacts,
addresses and partners) are the only way customer data leaves for a page, the API or an
export, so masking 脱敏 cannot be forgotten by a template or an endpoint.
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import get_language

from kefu.core import search
from kefu.core.masking import mask_address, mask_email, mask_id_number, mask_phone
from kefu.customers.choices import ANOMALY_BITS, AnomalyKind
from kefu.customers.models import Customer

if TYPE_CHECKING:  # numpy is for segmentation only: not loaded by every request that reads customers
    import numpy as np

SEARCH_INDEX = "customers"


def can_see_personal_data(user, customer: Customer | None = None) -> bool:
    """Unmasked for `view_personal_data`, and for a key-account manager on their own accounts."""
    if user.has_perm("customers.view_personal_data"):
        return True
    if customer is None:
        return False
    staff_id = _staff_id(user)
    return bool(staff_id and customer.key_account_manager_id == staff_id)


def _staff_id(user) -> int | None:
    from kefu.org.scope import scope_for

    return scope_for(user).staff_id


def customers_for(user) -> QuerySet[Customer]:
    """The customers `user` may see, with what a list row needs joined in."""
    return (
        Customer.objects.visible_to(user)
        .select_related("responsible", "key_account_manager")
        .with_code_tables("sales_office")
    )


def search_customers(qs: QuerySet[Customer], term: str, *, user=None) -> QuerySet[Customer]:
    """Number, name (Chinese substring), phone fragment or contact name/phone.

    A reader who sees phones masked searches a number only on what the mask shows: a customer
    number by its prefix, and a mobile by its last four digits (138****5678 → 5678). A substring
    of hidden digits ("a prefix plus one digit", a guessed full number) finds nothing, so no
    hidden digit can be rebuilt or confirmed by searching. Such searches go to the access log.
    """
    digits = "".join(term.split()).replace("-", "")
    if user is not None and digits.isdigit() and not can_see_personal_data(user):
        return _search_visible_digits(qs, digits, user)
    return search.substring_filter(qs, term, index=SEARCH_INDEX)


def _search_visible_digits(qs: QuerySet[Customer], digits: str, user) -> QuerySet[Customer]:
    from django.db import connections
    from django.db.models import Q

    from kefu.customers.choices import AccessAction
    from kefu.customers.models import MOBILE_TAIL
    from kefu.customers.services import log_access

    # The number prefix as a range on the unique index, never a LIKE (kefu.core.search.prefix_q);
    # the four digits a masked mobile shows through the index on them (an ends-with on fewer
    # digits would read every customer: 1–3 digits search the number only).
    q = search.prefix_q("number", digits, vendor=connections[qs.db].vendor)
    if len(digits) == MOBILE_TAIL:
        qs = qs.alias(mobile_tail=search.Tail("mobile", MOBILE_TAIL))
        q |= Q(mobile_tail=digits)
    log_access(user, action=AccessAction.SEARCH, detail={"digits": len(digits)})
    return qs.filter(q)


@dataclass
class CustomerRow:
    id: int
    number: str
    name: str
    nature: str
    nature_label: str
    phone: str
    mobile: str
    email: str
    address: str
    region: str
    channel: str
    channel_label: str
    relation: str
    maturity: str
    grade: str
    tier: str
    tier_label: str
    value_amount: str
    sales_office: str
    responsible: str
    is_key_account: bool
    key_account_manager: str
    anomalies: list[str]
    anomaly_labels: list[str]
    is_active: bool
    version: int
    masked: bool


@functools.lru_cache(maxsize=8)
def _labels(language: str) -> dict[str, dict[str, str]]:
    """The choice labels a row shows, per language: fixed codes, translated once, not per row."""
    fields = {
        name: getattr(Customer._meta.get_field(name), "choices", None) or []
        for name in ("nature", "channel", "tier")
    }
    labels = {name: {value: str(label) for value, label in choices} for name, choices in fields.items()}
    labels["anomaly"] = {value: str(label) for value, label in AnomalyKind.choices}
    return labels


def present_customer(customer: Customer, user, *, unmasked: bool | None = None) -> CustomerRow:
    """One list row / API item; personal data masked unless the user may see it."""
    labels = _labels(get_language() or "")
    if unmasked is None:
        unmasked = can_see_personal_data(user, customer)
    show_phone = (lambda v: v) if unmasked else mask_phone
    kinds = [kind for kind, bit in ANOMALY_BITS.items() if customer.anomaly_mask & bit]
    return CustomerRow(
        id=customer.pk,
        number=customer.number,
        name=customer.name,
        nature=customer.nature,
        nature_label=labels["nature"].get(customer.nature, customer.nature),
        phone=show_phone(customer.phone),
        mobile=show_phone(customer.mobile),
        email=customer.email if unmasked else mask_email(customer.email),
        address=customer.address if unmasked else mask_address(customer.address),
        region=customer.region,
        channel=customer.channel,
        channel_label=labels["channel"].get(customer.channel, customer.channel),
        relation=customer.relation,
        maturity=customer.maturity,
        grade=customer.grade,
        tier=customer.tier,
        tier_label=labels["tier"].get(customer.tier, customer.tier) if customer.tier else "",
        value_amount=str(customer.value_amount),
        sales_office=customer.sales_office.code if customer.sales_office_id else "",
        responsible=getattr(customer.responsible, "name", "") if customer.responsible_id else "",
        is_key_account=customer.is_key_account,
        key_account_manager=getattr(customer.key_account_manager, "name", "")
        if customer.key_account_manager_id
        else "",
        anomalies=kinds,
        anomaly_labels=[labels["anomaly"].get(k, k) for k in kinds],
        is_active=customer.is_active,
        version=customer.version,
        masked=not unmasked,
    )


def present_rows(customers, user) -> list[CustomerRow]:
    blanket = user.has_perm("customers.view_personal_data")
    return [present_customer(c, user, unmasked=True if blanket else None) for c in customers]


@dataclass
class CustomerDetail:
    row: CustomerRow
    fields: dict
    contacts: list[dict] = field(default_factory=list)
    addresses: list[dict] = field(default_factory=list)
    partners: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            **asdict(self.row),
            **self.fields,
            "contacts": self.contacts,
            "addresses": self.addresses,
            "partners": self.partners,
        }


def present_contact(contact, *, unmasked: bool) -> dict:
    show_phone = (lambda v: v) if unmasked else mask_phone
    return {
        "id": contact.pk,
        "name": contact.name,
        "position": contact.position,
        "phone": show_phone(contact.phone),
        "mobile": show_phone(contact.mobile),
        "email": contact.email if unmasked else mask_email(contact.email),
        "is_primary": contact.is_primary,
    }


def present_address(address, *, unmasked: bool) -> dict:
    return {
        "id": address.pk,
        "code": address.code,
        "name": address.name,
        "address": address.address if unmasked else mask_address(address.address),
        "postal_code": address.postal_code,
        "region": address.region,
        "contact_name": address.contact_name,
        "contact_phone": address.contact_phone if unmasked else mask_phone(address.contact_phone),
        "is_default": address.is_default,
    }


def detail_queryset(user) -> QuerySet[Customer]:
    return (
        customers_for(user)
        .select_related("grade_override_by")
        .prefetch_related("contacts", "service_addresses", "partners__partner")
    )


def present_customer_detail(customer: Customer, user, *, unmasked: bool | None = None) -> CustomerDetail:
    """Everything about one customer for its page or the API; masked like the list."""
    if unmasked is None:
        unmasked = can_see_personal_data(user, customer)
    row = present_customer(customer, user, unmasked=unmasked)
    override_by = customer.grade_override_by
    fields = {
        "fax": customer.fax if unmasked else mask_phone(customer.fax),
        "postal_code": customer.postal_code,
        "id_number": customer.id_number if unmasked else mask_id_number(customer.id_number),
        "business_scope": customer.business_scope,
        "registered_capital": str(customer.registered_capital)
        if customer.registered_capital is not None
        else None,
        "legal_representative": customer.legal_representative,
        "industry": customer.industry,
        "relation_label": str(customer.get_relation_display()),
        "maturity_label": str(customer.get_maturity_display()),
        "cooperation_since": customer.cooperation_since,
        "needs": customer.needs,
        "credit_rating": customer.credit_rating,
        "credit_limit": str(customer.credit_limit) if customer.credit_limit is not None else None,
        "payment_behaviour": customer.payment_behaviour,
        "payment_behaviour_label": str(customer.get_payment_behaviour_display())
        if customer.payment_behaviour
        else "",
        "credit_notes": customer.credit_notes,
        "volume": str(customer.volume),
        "satisfaction": customer.satisfaction,
        "loyalty": customer.loyalty,
        "grade_computed": customer.grade_computed,
        "grade_override": customer.grade_override,
        "grade_override_reason": customer.grade_override_reason,
        "grade_override_by": (override_by.get_full_name() or override_by.get_username())
        if override_by
        else "",
        "grade_override_at": customer.grade_override_at,
        "value_previous": str(customer.value_previous),
        "last_contact_at": customer.last_contact_at,
        "open_complaints": customer.open_complaints,
        "complaints_90d": customer.complaints_90d,
        "sales_office_name": customer.sales_office.name,
        "responsible_id": customer.responsible_id,
        "key_account_manager_id": customer.key_account_manager_id,
        "created_at": customer.created_at,
        "updated_at": customer.updated_at,
    }
    return CustomerDetail(
        row=row,
        fields=fields,
        contacts=[present_contact(c, unmasked=unmasked) for c in customer.contacts.all()],
        addresses=[present_address(a, unmasked=unmasked) for a in customer.service_addresses.all()],
        partners=[
            {
                "id": p.pk,
                "function": p.function,
                "function_label": str(p.get_function_display()),
                "partner_id": p.partner_id,
                "partner_number": p.partner.number,
                "partner_name": p.partner.name,
            }
            for p in customer.partners.all()
        ],
    )


def customer_choices(user, term: str = "", *, limit: int = 20) -> list[dict]:
    """Autocomplete for other apps (notifications, complaints …): scoped, by number/name/phone."""
    qs: QuerySet[Customer] = Customer.objects.visible_to(user).filter(is_active=True)
    if term:
        qs = search_customers(qs, term, user=user)
    rows = qs.order_by("number").values("id", "number", "name")[: max(1, min(limit, 50))]
    return [{**r, "label": f"{r['number']} {r['name']}"} for r in rows]


def _history_value(value) -> str:
    if isinstance(value, dict):
        return str(value.get("str", value.get("id", "")))
    if value is None or value == "":
        return "—"
    return str(value)


def present_history(customer: Customer, user, *, masked: bool, limit: int = 100) -> list[dict]:
    """The customer's timeline with old → new values per field, personal values masked when `masked`."""
    from kefu.timeline.queries import events_for, present

    rows = present(events_for(customer, limit=limit), masked=masked)
    for row in rows:
        changes = []
        for name, change in (row["data"].get("changes") or {}).items():
            try:
                label = str(getattr(Customer._meta.get_field(name), "verbose_name", name))
            except Exception:
                label = name
            old, new = _history_value(change.get("old")), _history_value(change.get("new"))
            changes.append({"field": name, "label": label, "old": old, "new": new})
        row["changes"] = changes
        row.pop("data", None)  # raw payloads may hold personal data
    return rows


# --- warnings 异样客户预警 (h-value) ----------------------------------------------------------------


def warnings_for(user, *, is_open: bool = True, kind: str = "", mine: bool = False) -> QuerySet:
    """Warnings in the user's scope, newest first: the open list by default ((is_open, -raised_at) index)."""
    from kefu.customers.models import CustomerWarning

    qs = CustomerWarning.objects.visible_to(user).filter(is_open=is_open)
    if kind:
        qs = qs.filter(kind=kind)
    if mine:
        qs = qs.filter(assignee_id=_staff_id(user) or 0)
    return qs.select_related("customer", "assignee", "acknowledged_by__staff").order_by("-raised_at", "-id")


def present_warnings(warnings, user) -> list[dict]:
    from kefu.customers.choices import WarningKind

    labels = dict(WarningKind.choices)
    out = []
    for w in warnings:
        by = w.acknowledged_by
        out.append(
            {
                "id": w.pk,
                "customer_id": w.customer_id,
                "customer_number": w.customer.number,
                "customer_name": w.customer.name,
                "kind": w.kind,
                "kind_label": str(labels.get(w.kind, w.kind)),
                "message": w.message,
                "assignee": w.assignee.name if w.assignee_id else "",
                "raised_at": w.raised_at,
                "is_open": w.is_open,
                "acknowledged_at": w.acknowledged_at,
                "acknowledged_by": (getattr(getattr(by, "staff", None), "name", "") or by.get_username())
                if by
                else "",
                "note": w.note,
            }
        )
    return out


def customer_picks(user, term: str, limit: int) -> list[dict]:
    """The customer picker (F4, kefu.core.pickers): number, name fragment, pinyin initials, phone —
    the archive's own search rule and scope. Value: the customer number."""
    from kefu.core.pickers import row

    if len(term.strip()) == 1:  # one character matches a large part of the archive: wait for the second
        return []
    return [row(r["number"], r["number"], r["name"]) for r in customer_choices(user, term, limit=limit)]


# --- segmentation 客户分类 ---------------------------------------------------------------------
@dataclass
class SegmentFeatures:
    """The feature matrix of the active customers (rows in customer-id order, columns FEATURES)
    and each customer's grade ("" when ungraded)."""

    ids: np.ndarray  # int64, ascending
    raw: np.ndarray  # float32, one row per id
    grades: np.ndarray  # str


def segment_features(*, window_days: int = 365, now=None) -> SegmentFeatures:
    """Value, frequency, recency, complaints, satisfaction and service cost of every active
    customer, set-based: one read of the archive and one grouped query in each owning app
    (tickets, complaints, billing, through their `queries`), merged by customer id in numpy."""
    from datetime import timedelta

    import numpy as np

    from kefu.billing.queries import service_cost_by_customer
    from kefu.complaints.queries import complaints_by_customer
    from kefu.customers.segmentation import FEATURES
    from kefu.tickets.queries import activity_by_customer
    from kefu.worktime import clock

    now = now or clock.now()
    since = now - timedelta(days=window_days)
    col = {name: i for i, name in enumerate(FEATURES)}
    ids_l: list[int] = []
    value_l: list[float] = []
    satisfaction_l: list[float] = []
    grades_l: list[str] = []
    # One pass over the archive in primary-key order (plain values, no model instances).
    rows = Customer._base_manager.filter(is_active=True).order_by("pk")
    for pk, value, satisfaction, grade in rows.values_list(
        "pk", "value_amount", "satisfaction", "grade"
    ).iterator(chunk_size=50000):
        ids_l.append(pk)
        value_l.append(float(value or 0))
        satisfaction_l.append(np.nan if satisfaction is None else float(satisfaction))
        grades_l.append(grade or "")
    ids = np.asarray(ids_l, dtype=np.int64)
    raw = np.zeros((len(ids), len(FEATURES)), dtype=np.float32)
    raw[:, col["value"]] = np.asarray(value_l, dtype=np.float32)
    sat = np.asarray(satisfaction_l, dtype=np.float32)
    del ids_l, value_l, satisfaction_l
    # An unrated customer counts as the median rated one: silence is neither praise nor blame.
    rated = sat[~np.isnan(sat)]
    sat[np.isnan(sat)] = float(np.median(rated)) if len(rated) else 0.0
    raw[:, col["satisfaction"]] = sat
    grades = np.asarray(grades_l, dtype="<U1")
    raw[:, col["recency"]] = window_days + 1

    def put(pairs, column: str, convert) -> None:
        keys, values = [], []
        for key, value in pairs:
            keys.append(key)
            values.append(convert(value))
        if not keys:
            return
        keys_arr = np.asarray(keys, dtype=np.int64)
        at = np.searchsorted(ids, keys_arr)
        at_ok = at < len(ids)
        hit = np.zeros(len(keys_arr), dtype=bool)
        hit[at_ok] = ids[at[at_ok]] == keys_arr[at_ok]  # inactive customers are not in `ids`
        raw[at[hit], col[column]] = np.asarray(values, dtype=np.float32)[hit]

    activity = list(activity_by_customer(since))
    put(((c, n) for c, n, _last in activity), "frequency", float)
    put(
        ((c, last) for c, _n, last in activity),
        "recency",
        lambda last: max(0.0, (now - last).total_seconds() / 86400),
    )
    put(complaints_by_customer(since), "complaints", float)
    put(service_cost_by_customer(since), "cost", lambda total: float(total or 0))
    return SegmentFeatures(ids, raw, grades)


def current_segment_run():
    """The latest finished segmentation run, or None."""
    from kefu.customers.choices import SegmentRunStatus
    from kefu.customers.models import SegmentRun

    return SegmentRun.objects.filter(status=SegmentRunStatus.DONE).order_by("-created_at", "-id").first()


def segment_choices(run=None) -> list[tuple[int, str]]:
    """(segment id, words) of a run's segments (default: the current run), for filters and rules."""
    from kefu.customers.models import Segment

    if run is None:  # the current run's: on every customer list, so kept in the buffer per language
        from django.utils.translation import get_language

        from kefu.core import buffer

        key = f"customers.segment_choices:{get_language()}"
        return buffer.get(key, lambda: segment_choices(current_segment_run() or 0))
    if not run:
        return []
    return [(s.pk, str(s)) for s in Segment.objects.filter(run=run).order_by("number")]


def segment_overview(run) -> dict:
    """A run's segments with their words, sizes and centres in the features' own units, and the
    chart data (one bar group per feature, centre relative to the mean of all customers)."""
    from kefu.customers.segmentation import FEATURE_LABELS, FEATURES, describe

    segments = list(run.segments.order_by("number"))
    rows = []
    for s in segments:
        rows.append(
            {
                "id": s.pk,
                "number": s.number + 1,
                "words": describe(s.traits),
                "size": s.size,
                "share": round(100 * s.size / run.customer_count, 1) if run.customer_count else 0,
                "centre": [s.centre.get(f) for f in FEATURES],
                "z": [s.centre.get(f"z_{f}") for f in FEATURES],
            }
        )
    return {
        "features": [str(FEATURE_LABELS[f]) for f in FEATURES],
        "segments": rows,
        "chart": {
            "indicators": [str(FEATURE_LABELS[f]) for f in FEATURES],
            "series": [
                {"name": f"{r['number']}. {r['words']}", "z": r["z"], "size": r["size"]} for r in rows
            ],
        },
    }


def segment_members(segment_ids, first_pk: int, last_pk: int):
    """(customer id, segment id) of the members of `segment_ids` with customer keys in [first, last]."""
    from kefu.customers.models import CustomerSegment

    return CustomerSegment.objects.filter(
        segment_id__in=list(segment_ids), customer_id__gte=first_pk, customer_id__lte=last_pk
    ).values_list("customer_id", "segment_id")
