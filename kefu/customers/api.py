"""Customer archive API (/api/v1/customers/): same filters, scope and masking as the pages.

Lists take the list page's filters as query parameters (one FilterSet); items are built by the
masked read model; writes go through the services (PATCH needs the `version` you read).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from kefu.api.pagination import LIMIT, OFFSET, Page, page
from kefu.api.schemas import InputSchema, choice_query
from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.core.scoping import access
from kefu.customers import services
from kefu.customers.choices import AccessAction, Channel, Grade, Maturity, Nature, Relation, Tier
from kefu.customers.filtersets import ORDERING_LABELS, filtered_customers
from kefu.customers.models import Contact, Customer, ServiceAddress
from kefu.customers.queries import (
    can_see_personal_data,
    customer_choices,
    detail_queryset,
    present_address,
    present_contact,
    present_customer_detail,
    present_rows,
)

router = Router(tags=["customers"])


class CustomerOut(Schema):
    id: int
    number: str
    name: str
    nature: str
    phone: str
    mobile: str
    email: str
    address: str
    region: str
    channel: str
    relation: str
    maturity: str
    grade: str
    tier: str
    value_amount: str
    sales_office: str
    responsible: str
    is_key_account: bool
    key_account_manager: str
    anomalies: list[str]
    is_active: bool
    version: int
    masked: bool


class CustomerContactOut(Schema):
    id: int
    name: str
    position: str
    phone: str
    mobile: str
    email: str
    is_primary: bool


class AddressOut(Schema):
    id: int
    code: str
    name: str
    address: str
    postal_code: str
    region: str
    contact_name: str
    contact_phone: str
    is_default: bool


class PartnerOut(Schema):
    id: int
    function: str
    partner_id: int
    partner_number: str
    partner_name: str


class CustomerDetailOut(CustomerOut):
    fax: str
    postal_code: str
    id_number: str
    business_scope: str
    registered_capital: str | None
    legal_representative: str
    industry: str
    cooperation_since: dt.date | None
    needs: str
    credit_rating: str
    credit_limit: str | None
    payment_behaviour: str
    credit_notes: str
    volume: str
    satisfaction: int | None
    loyalty: int | None
    grade_computed: str
    grade_override: str
    grade_override_reason: str
    value_previous: str
    last_contact_at: dt.datetime | None
    open_complaints: int
    complaints_90d: int
    contacts: list[CustomerContactOut]
    addresses: list[AddressOut]
    partners: list[PartnerOut]


class CustomerFields(InputSchema):
    name: str | None = None
    nature: str | None = None
    phone: str | None = None
    mobile: str | None = None
    fax: str | None = None
    email: str | None = None
    address: str | None = None
    postal_code: str | None = None
    id_number: str | None = None
    sales_office: str | None = None
    responsible: str | None = None
    business_scope: str | None = None
    registered_capital: Decimal | None = None
    legal_representative: str | None = None
    industry: str | None = None
    region: str | None = None
    channel: str | None = None
    relation: str | None = None
    maturity: str | None = None
    cooperation_since: dt.date | None = None
    needs: str | None = None
    credit_rating: str | None = None
    credit_limit: Decimal | None = None
    payment_behaviour: str | None = None
    credit_notes: str | None = None
    is_key_account: bool | None = None
    key_account_manager: str | None = None
    is_active: bool | None = None
    volume: Decimal | None = None
    satisfaction: int | None = None
    loyalty: int | None = None


class ContactIn(InputSchema):
    name: str
    position: str = ""
    phone: str = ""
    mobile: str = ""
    email: str = ""
    is_primary: bool = False


class ContactPatch(InputSchema):
    version: int | None = Field(
        None, description="The customer's version you read; a change saved since answers 409"
    )
    name: str | None = None
    position: str | None = None
    phone: str | None = None
    mobile: str | None = None
    email: str | None = None
    is_primary: bool | None = None


class AddressIn(InputSchema):
    code: str = ""
    name: str
    address: str
    postal_code: str = ""
    region: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    is_default: bool | None = None  # left out: the first address becomes the default


class AddressPatch(InputSchema):
    version: int | None = Field(
        None, description="The customer's version you read; a change saved since answers 409"
    )
    code: str | None = None
    name: str | None = None
    address: str | None = None
    postal_code: str | None = None
    region: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    is_default: bool | None = None


class CustomerIn(CustomerFields):
    number: str = ""
    name: str
    sales_office: str
    contacts: list[ContactIn] = []
    addresses: list[AddressIn] = []


class CustomerPatch(CustomerFields):
    version: int


class RevealIn(InputSchema):
    reason: str


class ChoiceOut(Schema):
    id: int
    number: str
    name: str
    label: str


def _resolve(values: dict, user) -> dict:
    """Codes in the API (centre code, personnel numbers) → the records the services take."""
    from kefu.org.models import SalesOffice, Staff

    out = dict(values)
    if "sales_office" in out:
        code = out["sales_office"]
        office = SalesOffice.objects.filter(code=code).first() if code else None
        if office is None:
            raise ValidationFailed(fields={"sales_office": [_("Unknown responsibility centre.")]})
        out["sales_office"] = office
    for name in ("responsible", "key_account_manager"):
        if name in out:
            number = out[name]
            if not number:
                out[name] = None
                continue
            staff = Staff.objects.filter(personnel_number=number).first()
            if staff is None:
                raise ValidationFailed(fields={name: [_("Unknown personnel number.")]})
            out[name] = staff
    for name, value in list(out.items()):
        if value is None and name not in (
            "responsible",
            "key_account_manager",
            "cooperation_since",
            "registered_capital",
            "credit_limit",
            "satisfaction",
            "loyalty",
        ):
            out.pop(name)  # null for a text field means "not given"
    return out


def _detail(customer_id: int, user, *, unmasked: bool | None = None) -> dict:
    customer = access(detail_queryset(user), user, customer_id)
    detail = present_customer_detail(customer, user, unmasked=unmasked)
    if not detail.row.masked and unmasked is None:
        services.log_access(user, action=AccessAction.API, customer=customer)
    return detail.as_dict()


@router.get("/", response=Page[CustomerOut], summary="List customers (filters as on the list page)")
def list_customers(
    request,
    q: str = "",
    number: str = "",
    nature: str = choice_query(Nature.values),
    channel: str = choice_query(Channel.values),
    relation: str = choice_query(Relation.values),
    maturity: str = choice_query(Maturity.values),
    grade: str = choice_query(Grade.values),
    tier: str = choice_query(Tier.values),
    segment: int | None = None,
    region: str = "",
    office: str = "",
    responsible: str = "",
    key_account: bool | None = None,
    flagged: bool | None = None,
    active: bool | None = None,
    ordering: str = choice_query(ORDERING_LABELS),
    limit: int = LIMIT,
    offset: int = OFFSET,
):
    if not request.user.has_perm("customers.view_customer"):
        raise PermissionDenied()
    params = {
        k: v for k, v in locals().items() if k not in ("request", "limit", "offset") and v not in ("", None)
    }
    params = {k: (("true" if v else "false") if isinstance(v, bool) else v) for k, v in params.items()}
    filterset, qs = filtered_customers(request.user, params)
    if filterset.is_bound and not filterset.is_valid():
        raise ValidationFailed(fields={k: list(v) for k, v in filterset.errors.items()})
    result = page(qs, limit=limit, offset=offset, present=lambda rows: present_rows(rows, request.user))
    if can_see_personal_data(request.user) and result["items"]:
        services.log_access(
            request.user, action=AccessAction.API, detail={"rows": len(result["items"]), "filters": params}
        )
    return result


@router.get("/choices", response=list[ChoiceOut], summary="Autocomplete: number, name or phone fragment")
def choices(request, q: str = "", limit: int = 20):
    if not request.user.has_perm("customers.view_customer"):
        raise PermissionDenied()
    return customer_choices(request.user, q, limit=limit)


# --- the sales-value feed 销售额 and warnings 异样客户预警 (h-value) -----------------------------


class SalesIn(InputSchema):
    amount: Decimal


class SalesRowIn(InputSchema):
    customer: str
    period: str
    amount: Decimal


class SalesOut(Schema):
    customer_id: int
    customer_number: str
    period: str
    amount: str
    source: str
    created: bool
    value_amount: str
    is_key: bool


class SalesMonthOut(Schema):
    period: str
    amount: str
    source: str
    updated_at: dt.datetime


def _sales_out(customer: Customer, row, created: bool) -> dict:
    customer.refresh_from_db(fields=["value_amount", "is_key"])
    return {
        "customer_id": customer.pk,
        "customer_number": customer.number,
        "period": f"{row.period:%Y-%m}",
        "amount": str(row.amount),
        "source": row.source,
        "created": created,
        "value_amount": str(customer.value_amount),
        "is_key": customer.is_key,
    }


@router.get(
    "/{customer_id}/sales", response=list[SalesMonthOut], summary="Monthly sales of a customer (newest first)"
)
def list_sales(request, customer_id: int, limit: int = 36):
    if not request.user.has_perm("customers.view_monthlysales"):
        raise PermissionDenied()
    customer = access(Customer, request.user, customer_id)
    rows = customer.monthly_sales.order_by("-period")[: max(1, min(limit, 120))]
    return [
        {
            "period": f"{r.period:%Y-%m}",
            "amount": str(r.amount),
            "source": r.source,
            "updated_at": r.updated_at,
        }
        for r in rows
    ]


@router.put(
    "/{customer_id}/sales/{period}",
    response={200: SalesOut, 201: SalesOut},
    summary="Set a customer's sales for a month (YYYY-MM); the same month again updates it",
)
def put_sales(request, customer_id: int, period: str, payload: SalesIn):
    customer = access(Customer, request.user, customer_id)
    row, created = services.record_sales(
        customer, actor=request.user, period=period, amount=payload.amount, source="api"
    )
    return Status(201 if created else 200, _sales_out(customer, row, created))


@router.post(
    "/sales",
    response={200: SalesOut, 201: SalesOut},
    summary="Feed one month of sales by customer number (201 new, 200 updated: never a duplicate)",
)
def post_sales(request, payload: SalesRowIn):
    from kefu.core.errors import NotFound

    customer = Customer.objects.visible_to(request.user).filter(number=payload.customer.strip()).first()
    if customer is None:
        raise NotFound()
    row, created = services.record_sales(
        customer, actor=request.user, period=payload.period, amount=payload.amount, source="api"
    )
    return Status(201 if created else 200, _sales_out(customer, row, created))


# Before "/{customer_id}": ninja tries routes in order (h-value).
class WarningOut(Schema):
    id: int
    customer_id: int
    customer_number: str
    customer_name: str
    kind: str
    kind_label: str
    message: str
    assignee: str
    raised_at: dt.datetime
    is_open: bool
    acknowledged_at: dt.datetime | None
    acknowledged_by: str
    note: str


class AcknowledgeIn(InputSchema):
    note: str


@router.get(
    "/warnings", response=Page[WarningOut], summary="Customer warnings 异样客户预警 (open ones by default)"
)
def list_warnings(
    request, open: bool = True, kind: str = "", mine: bool = False, limit: int = LIMIT, offset: int = OFFSET
):
    from kefu.customers.queries import present_warnings, warnings_for

    if not request.user.has_perm("customers.view_customerwarning"):
        raise PermissionDenied()
    qs = warnings_for(request.user, is_open=open, kind=kind, mine=mine)
    return page(qs, limit=limit, offset=offset, present=lambda rows: present_warnings(rows, request.user))


@router.post(
    "/warnings/{warning_id}/acknowledge",
    response=WarningOut,
    summary="Acknowledge a warning with a note (it leaves the open list)",
)
def acknowledge_warning(request, warning_id: int, payload: AcknowledgeIn):
    from kefu.customers.models import CustomerWarning
    from kefu.customers.queries import present_warnings

    if not request.user.has_perm("customers.view_customerwarning"):
        raise PermissionDenied()
    warning = access(CustomerWarning.objects.select_related("customer"), request.user, warning_id)
    warning = services.acknowledge_warning(warning, actor=request.user, note=payload.note)
    return present_warnings([warning], request.user)[0]


@router.get("/{customer_id}", response=CustomerDetailOut, summary="One customer with contacts and addresses")
def get_customer(request, customer_id: int):
    if not request.user.has_perm("customers.view_customer"):
        raise PermissionDenied()
    return _detail(customer_id, request.user)


@router.post("/", response={201: CustomerDetailOut}, summary="Create a customer")
def create_customer(request, payload: CustomerIn):
    values = payload.dict(exclude_unset=True)
    contacts = values.pop("contacts", [])
    addresses = values.pop("addresses", [])
    number = values.pop("number", "")
    customer = services.create_customer(
        actor=request.user,
        number=number,
        contacts=contacts,
        addresses=addresses,
        **_resolve(values, request.user),
    )
    return Status(
        201, _detail(customer.pk, request.user, unmasked=can_see_personal_data(request.user, customer))
    )


@router.patch(
    "/{customer_id}", response=CustomerDetailOut, summary="Change fields (send the version you read)"
)
def update_customer(request, customer_id: int, payload: CustomerPatch):
    customer = access(Customer, request.user, customer_id)
    values = payload.dict(exclude_unset=True)
    version = values.pop("version")
    services.update_customer(
        customer, actor=request.user, expected_version=version, **_resolve(values, request.user)
    )
    return _detail(customer.pk, request.user, unmasked=can_see_personal_data(request.user, customer))


@router.post(
    "/{customer_id}/reveal", response=CustomerDetailOut, summary="Reveal personal data (reason logged)"
)
def reveal(request, customer_id: int, payload: RevealIn):
    customer = services.reveal_personal_data(customer_id, actor=request.user, reason=payload.reason)
    return _detail(customer.pk, request.user, unmasked=True)


@router.get("/{customer_id}/contacts", response=list[CustomerContactOut], summary="Contacts of a customer")
def list_contacts(request, customer_id: int):
    customer = access(Customer, request.user, customer_id)
    unmasked = can_see_personal_data(request.user, customer)
    return [present_contact(c, unmasked=unmasked) for c in customer.contacts.all()]


@router.post("/{customer_id}/contacts", response={201: CustomerContactOut}, summary="Add a contact")
def add_contact(request, customer_id: int, payload: ContactIn):
    customer = access(Customer, request.user, customer_id)
    contact = services.add_contact(customer, actor=request.user, **payload.dict())
    return Status(201, present_contact(contact, unmasked=can_see_personal_data(request.user, customer)))


def _sub(model, customer, pk):
    from kefu.core.errors import NotFound

    obj = model.objects.filter(customer=customer, pk=pk).select_related("customer").first()
    if obj is None:
        raise NotFound()
    return obj


@router.patch("/{customer_id}/contacts/{contact_id}", response=CustomerContactOut, summary="Change a contact")
def update_contact(request, customer_id: int, contact_id: int, payload: ContactPatch):
    customer = access(Customer, request.user, customer_id)
    contact = _sub(Contact, customer, contact_id)
    values = payload.dict(exclude_unset=True)
    version = values.pop("version", None)
    contact = services.update_contact(contact, actor=request.user, expected_version=version, **values)
    return present_contact(contact, unmasked=can_see_personal_data(request.user, customer))


@router.delete("/{customer_id}/contacts/{contact_id}", response={204: None}, summary="Remove a contact")
def delete_contact(request, customer_id: int, contact_id: int):
    customer = access(Customer, request.user, customer_id)
    services.remove_contact(_sub(Contact, customer, contact_id), actor=request.user)
    return Status(204, None)


@router.get("/{customer_id}/addresses", response=list[AddressOut], summary="Service addresses 功能位置")
def list_addresses(request, customer_id: int):
    customer = access(Customer, request.user, customer_id)
    unmasked = can_see_personal_data(request.user, customer)
    return [present_address(a, unmasked=unmasked) for a in customer.service_addresses.all()]


@router.post("/{customer_id}/addresses", response={201: AddressOut}, summary="Add a service address")
def add_address(request, customer_id: int, payload: AddressIn):
    customer = access(Customer, request.user, customer_id)
    address = services.add_service_address(customer, actor=request.user, **payload.dict())
    return Status(201, present_address(address, unmasked=can_see_personal_data(request.user, customer)))


@router.patch(
    "/{customer_id}/addresses/{address_id}", response=AddressOut, summary="Change a service address"
)
def update_address(request, customer_id: int, address_id: int, payload: AddressPatch):
    customer = access(Customer, request.user, customer_id)
    values = payload.dict(exclude_unset=True)
    version = values.pop("version", None)
    address = services.update_service_address(
        _sub(ServiceAddress, customer, address_id), actor=request.user, expected_version=version, **values
    )
    return present_address(address, unmasked=can_see_personal_data(request.user, customer))


@router.delete(
    "/{customer_id}/addresses/{address_id}", response={204: None}, summary="Remove a service address"
)
def delete_address(request, customer_id: int, address_id: int):
    customer = access(Customer, request.user, customer_id)
    services.remove_service_address(_sub(ServiceAddress, customer, address_id), actor=request.user)
    return Status(204, None)


# --- segmentation 客户分类 ---------------------------------------------------------------------
class SegmentOut(Schema):
    id: int
    number: int
    words: str
    size: int
    share: float
    centre: dict[str, float | None]


class SegmentRunOut(Schema):
    id: int
    status: str
    created_at: dt.datetime
    params: dict
    k: int | None
    silhouette: float | None
    silhouettes: dict[str, float]
    customer_count: int
    classifier_target: str  # what the decision tree learned: the A/B/C grade
    classifier_accuracy: float | None
    classifier_test_size: int
    proposed_count: int
    seconds: float | None
    error: str
    segments: list[SegmentOut]


class SegmentRunIn(InputSchema):
    k_min: int | None = None
    k_max: int | None = None
    sample: int | None = None
    window_days: int | None = None


def _run_out(run) -> dict:
    from kefu.customers.queries import segment_overview
    from kefu.customers.segmentation import FEATURES

    overview = segment_overview(run)
    fields = [
        "id",
        "status",
        "created_at",
        "params",
        "k",
        "silhouette",
        "silhouettes",
        "customer_count",
        "classifier_accuracy",
        "classifier_test_size",
        "proposed_count",
        "seconds",
        "error",
    ]
    out = {name: getattr(run, name) for name in fields}
    out["classifier_target"] = run.classifier_label
    out["segments"] = [
        {
            "id": s["id"],
            "number": s["number"],
            "words": s["words"],
            "size": s["size"],
            "share": s["share"],
            "centre": dict(zip(FEATURES, s["centre"], strict=True)),
        }
        for s in overview["segments"]
    ]
    return out


@router.get(
    "/segments/current",
    response={200: SegmentRunOut, 404: dict},
    summary="The latest finished customer segmentation 客户分类 with its segments",
)
def current_segments(request):
    from kefu.core.errors import NotFound
    from kefu.customers.queries import current_segment_run

    if not request.user.has_perm("customers.view_segmentrun"):
        raise PermissionDenied()
    run = current_segment_run()
    if run is None:
        raise NotFound()
    return _run_out(run)


@router.get("/segments/runs/{run_id}", response=SegmentRunOut, summary="One segmentation run")
def segment_run(request, run_id: int):
    from kefu.core.errors import NotFound
    from kefu.customers.models import SegmentRun

    if not request.user.has_perm("customers.view_segmentrun"):
        raise PermissionDenied()
    run = SegmentRun.objects.filter(pk=run_id).first()
    if run is None:
        raise NotFound()
    return _run_out(run)


@router.post("/segments/runs", response={202: SegmentRunOut}, summary="Start a segmentation run (Huey task)")
def start_segment_run(request, payload: SegmentRunIn):
    from kefu.customers.models import SegmentRun
    from kefu.customers.tasks import segment_customers

    run = services.start_segmentation(actor=request.user, params=payload.dict(exclude_none=True))
    segment_customers(run.pk)
    return Status(202, _run_out(SegmentRun.objects.get(pk=run.pk)))
