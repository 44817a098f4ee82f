"""The CTI integration point 呼叫中心接口: signature check, number normalising, caller matching.

A PBX (FreeSWITCH / Asterisk dial plan, a cloud call centre) posts one JSON event per ring,
answer and hang-up to ``POST /api/v1/contacts/cti/events`` with three headers:

    X-Kefu-Key:        the CtiSource key id
    X-Kefu-Timestamp:  Unix seconds when it was signed (refused when more than 5 minutes off)
    X-Kefu-Signature:  sha256=<hex HMAC-SHA256(secret, "<timestamp>." + raw body)>

Body: {"event_id", "call_id", "kind": "ring"|"answer"|"hangup", "at": ISO time,
"number": caller (inbound) or callee (outbound), "direction": "in"|"out", "agent": the
agent's login name or personnel number}. ``scripts/pbx_post.py`` is a reference sender.
"""

from __future__ import annotations

import hashlib
import hmac
import time

import phonenumbers
from django.db.models import QuerySet

from kefu.contacts.errors import BadSignature
from kefu.contacts.models import CtiSource

MAX_SKEW_SECONDS = 300


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header value a sender computes (also used by the reference script)."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(key: str, timestamp: str, signature: str, body: bytes, *, now: float | None = None) -> CtiSource:
    """The active source whose secret signed `body`; BadSignature otherwise (nothing is stored)."""
    source = CtiSource.objects.filter(key=key or "", is_active=True).first()
    try:
        skew = abs((now if now is not None else time.time()) - int(timestamp))
    except (TypeError, ValueError):
        raise BadSignature() from None
    if source is None or skew > MAX_SKEW_SECONDS:
        raise BadSignature()
    if not hmac.compare_digest(sign(source.secret, timestamp, body), signature or ""):
        raise BadSignature()
    return source


def national_number(raw: str | None) -> str:
    """The national significant number: '+86 138-1234-5678' and '013812345678' → '13812345678',
    '021-5888 1234' → '2158881234'. Empty when nothing dialable is left."""
    if not raw:
        return ""
    digits = "".join(ch for ch in str(raw) if ch.isdigit() or ch == "+")
    if not digits.strip("+"):
        return ""
    try:
        number = phonenumbers.parse(digits, "CN")
    except phonenumbers.NumberParseException:
        return digits.lstrip("+0")
    return str(number.national_number)


def match_customers(raw: str | None, *, customers: QuerySet | None = None, limit: int = 10) -> list[dict]:
    """Customers (and their contact persons) whose phone, mobile or contact's phone is this number.

    The n-gram index narrows to rows holding the digits; each candidate is then compared on its
    normalised numbers, so '021-58881234' matches '+862158881234' but not '0215888123'.
    """
    from kefu.core import search
    from kefu.customers.models import Contact, Customer

    wanted = national_number(raw)
    if len(wanted) < 7:
        return []
    qs = customers if customers is not None else Customer.objects.all()
    found = search.substring_filter(qs, wanted, index="customers").only("id", "phone", "mobile", "fax")
    rows: list[dict] = []
    ids = []
    for customer in found[:200]:
        ids.append(customer.pk)
        if wanted in (national_number(customer.phone), national_number(customer.mobile)):
            rows.append({"customer": customer.pk, "person": None})
    persons = Contact.objects.filter(customer_id__in=ids).only("id", "customer_id", "phone", "mobile")
    for person in persons:
        if wanted in (national_number(person.phone), national_number(person.mobile)):
            rows = [r for r in rows if r["customer"] != person.customer_id or r["person"]]
            rows.append({"customer": person.customer_id, "person": person.pk})
    return rows[:limit]
