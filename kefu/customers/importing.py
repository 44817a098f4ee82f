"""Import customers, contacts and service addresses from .xlsx (python-calamine) or .csv (UTF-8/GBK).

The file is read row by row (never all at once into Python objects); rows are checked with
the models' own field validation plus lookups of codes loaded once; valid rows are inserted
in batches with `bulk_create`, with their timeline event and search index entry. Modes:
- dry_run: check every row, report every error, change nothing;
- all_or_nothing: check the whole file first, then import only if it is clean;
- valid_only: import the valid rows, report the others.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.core.importing import ImportResult, header_map, iter_rows, upload_on_disk
from kefu.core.numbering import next_number
from kefu.core.validation import text_errors
from kefu.customers import events, services
from kefu.customers.choices import Channel, CreditRating, Maturity, Nature, PaymentBehaviour, Relation
from kefu.customers.models import Contact, Customer, MonthlySales, ServiceAddress
from kefu.timeline.models import TimelineEvent
from kefu.worktime import clock

BATCH = 2000
MAX_REPORTED_ERRORS = 1000

# Column headers accepted for each field: the English field name or the Chinese label users know.
CUSTOMER_COLUMNS = {
    "number": ["number", "客户编号", "客户号"],
    "name": ["name", "客户名称", "名称"],
    "nature": ["nature", "客户性质", "性质"],
    "sales_office": ["sales_office", "责任中心", "销售办事处"],
    "responsible": ["responsible", "负责人员", "负责人"],
    "phone": ["phone", "电话"],
    "mobile": ["mobile", "手机"],
    "fax": ["fax", "传真"],
    "email": ["email", "电子邮件", "邮箱"],
    "address": ["address", "地址"],
    "postal_code": ["postal_code", "邮编", "邮政编码"],
    "id_number": ["id_number", "证件号码", "统一社会信用代码"],
    "region": ["region", "地区"],
    "industry": ["industry", "行业"],
    "business_scope": ["business_scope", "经营范围"],
    "registered_capital": ["registered_capital", "注册资本"],
    "legal_representative": ["legal_representative", "法定代表人"],
    "channel": ["channel", "渠道"],
    "relation": ["relation", "业务关系"],
    "maturity": ["maturity", "成熟度"],
    "cooperation_since": ["cooperation_since", "合作开始", "合作起始日期"],
    "credit_rating": ["credit_rating", "资信等级"],
    "credit_limit": ["credit_limit", "信用额度"],
    "payment_behaviour": ["payment_behaviour", "付款情况"],
    "volume": ["volume", "通货量"],
    "value_amount": ["value_amount", "价值", "本期价值"],
}
CONTACT_COLUMNS = {
    "customer": ["customer", "客户编号"],
    "name": ["name", "姓名", "联系人"],
    "position": ["position", "职务"],
    "phone": ["phone", "电话"],
    "mobile": ["mobile", "手机"],
    "email": ["email", "电子邮件", "邮箱"],
    "is_primary": ["is_primary", "主要联系人"],
}
ADDRESS_COLUMNS = {
    "customer": ["customer", "客户编号"],
    "code": ["code", "功能位置", "编码"],
    "name": ["name", "名称"],
    "address": ["address", "地址"],
    "postal_code": ["postal_code", "邮编"],
    "region": ["region", "地区"],
    "contact_name": ["contact_name", "联系人"],
    "contact_phone": ["contact_phone", "联系电话"],
    "is_default": ["is_default", "默认"],
}
# The sales-value feed 销售额: one row per customer and month; a month fed again is updated.
SALES_COLUMNS = {
    "customer": ["customer", "客户编号"],
    "period": ["period", "month", "月份", "年月", "期间"],
    "amount": ["amount", "销售额", "金额", "月销售额"],
}
CHOICE_FIELDS = {
    "nature": Nature,
    "channel": Channel,
    "relation": Relation,
    "maturity": Maturity,
    "credit_rating": CreditRating,
    "payment_behaviour": PaymentBehaviour,
}
# Chinese labels of the seeds accepted in files, besides the codes and the translated labels.
CHOICE_ALIASES = {
    "nature": {
        "单位": "organisation",
        "单位客户": "organisation",
        "个人": "individual",
        "个人客户": "individual",
    },
    "channel": {
        "渠道客户": "dealer",
        "外埠客户": "out_of_town",
        "终端客户": "end_user",
        "网络客户": "online",
    },
    "relation": {"交易型": "transactional", "合同型": "contract", "联盟型": "alliance"},
    "maturity": {"现实客户": "actual", "潜在客户": "potential"},
}
TRUE_WORDS = {"1", "true", "yes", "y", "是", "√", "x"}


# --- reading ----------------------------------------------------------------------------------


# --- checking ---------------------------------------------------------------------------------


class _Lookups:
    """Codes resolved once per import: responsibility centres, staff, choice labels."""

    def __init__(self, actor):
        from kefu.org.models import SalesOffice, Staff
        from kefu.org.scope import scope_for

        scope = scope_for(actor) if actor is not None else None
        offices = SalesOffice.objects.all()
        self.offices = {o.code: o.pk for o in offices}
        self.allowed_offices = (
            set(self.offices.values()) if scope is None or scope.company_wide else set(scope.office_ids)
        )
        self.staff = dict(Staff.objects.values_list("personnel_number", "pk"))
        self.choices = {}
        for name, enum in CHOICE_FIELDS.items():
            table = {v.lower(): v for v in enum.values}
            table.update({str(label).lower(): v for v, label in enum.choices})
            table.update(CHOICE_ALIASES.get(name, {}))
            self.choices[name] = table


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name


def _validate(obj, model, result: ImportResult, row_no: int, exclude: list[str]) -> bool:
    errors = text_errors(obj)
    try:
        obj.clean_fields(exclude=exclude)
        obj.clean()
    except ValidationError as exc:
        errors = {**exc.message_dict, **errors}
    for name, messages in errors.items():
        for message in messages:
            result.add_error(row_no, _label(model, name), message)
    return not errors


def _decimal(value: str, name: str, model, errors: list) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(value.replace(",", ""))
    except InvalidOperation:
        errors.append((_label(model, name), _("Enter a number.")))
        return None


def _customer_from_row(values: dict[str, str], lookups: _Lookups, row_errors: list) -> Customer:
    kwargs: dict = {}
    for name in CUSTOMER_COLUMNS:
        raw = values.get(name, "")
        if name in ("sales_office", "responsible", "value_amount"):
            continue
        if name in CHOICE_FIELDS:
            if raw:
                code = lookups.choices[name].get(raw.lower())
                if code is None:
                    row_errors.append(
                        (_label(Customer, name), _("Unknown code “%(value)s”.") % {"value": raw})
                    )
                else:
                    kwargs[name] = code
            continue
        if name in ("registered_capital", "credit_limit", "volume"):
            number = _decimal(raw, name, Customer, row_errors)
            if number is not None:
                kwargs[name] = number
            continue
        if name == "cooperation_since":
            if raw:
                try:
                    parsed = parse_date(raw.replace("/", "-"))
                except ValueError:
                    parsed = None
                if parsed is None:
                    row_errors.append((_label(Customer, name), _("Enter a valid date (YYYY-MM-DD).")))
                kwargs[name] = parsed
            continue
        kwargs[name] = raw
    office_code = values.get("sales_office", "")
    office_id = lookups.offices.get(office_code)
    if not office_code:
        row_errors.append((_label(Customer, "sales_office"), _("This field is required.")))
    elif office_id is None:
        row_errors.append(
            (_label(Customer, "sales_office"), _("Unknown code “%(value)s”.") % {"value": office_code})
        )
    elif office_id not in lookups.allowed_offices:
        row_errors.append((_label(Customer, "sales_office"), _("Outside your responsibility centres.")))
    responsible = values.get("responsible", "")
    staff_id = lookups.staff.get(responsible) if responsible else None
    if responsible and staff_id is None:
        row_errors.append(
            (_label(Customer, "responsible"), _("Unknown code “%(value)s”.") % {"value": responsible})
        )
    value = _decimal(values.get("value_amount", ""), "value_amount", Customer, row_errors)
    customer = Customer(**kwargs, sales_office_id=office_id, responsible_id=staff_id)
    if value is not None:
        customer.value_amount = value
    return customer


def run_import(*, actor, kind: str, path: str, filename: str, mode: str) -> ImportResult:
    """Check and (unless dry run) import a file; see the module docstring for the modes."""
    if actor is not None and not actor.has_perm("customers.import_customer"):
        raise PermissionDenied()
    if kind not in ("customers", "contacts", "addresses", "sales"):
        raise ValidationFailed(
            fields={"kind": [_("Choose customers, contacts, service addresses or monthly sales.")]}
        )
    if kind == "sales" and actor is not None and not actor.has_perm("customers.change_monthlysales"):
        raise PermissionDenied()
    if mode not in ("dry_run", "all_or_nothing", "valid_only"):
        raise ValidationFailed(fields={"mode": [_("Choose a mode.")]})
    if mode == "all_or_nothing":
        checked = _run(actor, kind, path, filename, write=False)
        if checked.error_count or not checked.rows:
            checked.mode = mode
            return checked
        result = _run(actor, kind, path, filename, write=True)
    else:
        result = _run(actor, kind, path, filename, write=mode == "valid_only")
    result.mode = mode
    if kind == "sales" and result.created:
        from kefu.customers.tasks import recompute_values_after_feed

        # Values, tiers, key customers and warnings follow the whole file, once, after commit.
        transaction.on_commit(recompute_values_after_feed)
    return result


def import_upload(*, actor, kind: str, upload, mode: str) -> ImportResult:
    """Import a Django upload (spooled to disk first when it is small)."""
    with upload_on_disk(upload) as path:
        return run_import(actor=actor, kind=kind, path=path, filename=upload.name, mode=mode)


def _run(actor, kind: str, path: str, filename: str, *, write: bool) -> ImportResult:
    result = ImportResult(kind=kind, mode="")
    columns = {
        "customers": CUSTOMER_COLUMNS,
        "contacts": CONTACT_COLUMNS,
        "addresses": ADDRESS_COLUMNS,
        "sales": SALES_COLUMNS,
    }[kind]
    rows = iter_rows(path, filename)
    try:
        header = next(rows)
    except StopIteration:
        result.add_error(1, "", _("The file is empty."))
        return result
    except ValidationFailed as exc:
        result.add_error(1, "", str(exc.message))
        return result
    mapping, _unknown = header_map(header, columns)
    required = {
        "customers": ["name", "sales_office"],
        "contacts": ["customer", "name"],
        "addresses": ["customer", "name", "address"],
        "sales": ["customer", "period", "amount"],
    }[kind]
    missing = [c for c in required if c not in mapping]
    if missing:
        for name in missing:
            result.add_error(1, columns[name][1], _("Missing column."))
        return result
    lookups = _Lookups(actor)
    seen: set[str] = set()
    batch: list[tuple[int, dict]] = []
    handler = {
        "customers": _customer_batch,
        "contacts": _contact_batch,
        "addresses": _address_batch,
        "sales": _sales_batch,
    }[kind]
    try:
        for row_no, row in enumerate(rows, start=2):
            if not any(row):
                continue
            values = {name: (row[i] if i < len(row) else "") for name, i in mapping.items()}
            result.rows += 1
            batch.append((row_no, values))
            if len(batch) >= BATCH:
                handler(actor, batch, lookups, seen, result, write)
                batch = []
    except ValidationFailed as exc:  # a row the CSV reader cannot read ends the file there
        result.add_error(result.rows + 2, "", str(exc.message))
        return result
    if batch:
        handler(actor, batch, lookups, seen, result, write)
    return result


def _events(objs: list, code: str, actor, data_of, target_of=lambda o: o.pk) -> list[TimelineEvent]:
    content_type = ContentType.objects.get_for_model(Customer)
    now = clock.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    return [
        TimelineEvent(
            content_type=content_type,
            object_id=target_of(o),
            event_type=code,
            actor=user,
            occurred_at=now,
            data=data_of(o),
        )
        for o in objs
    ]


def _customer_batch(
    actor, batch, lookups: _Lookups, seen: set[str], result: ImportResult, write: bool
) -> None:
    numbers = [v.get("number", "") for _r, v in batch if v.get("number")]
    existing = set(Customer.objects.filter(number__in=numbers).values_list("number", flat=True))
    valid: list[Customer] = []
    for row_no, values in batch:
        row_errors: list = []
        customer = _customer_from_row(values, lookups, row_errors)
        number = customer.number
        if number:
            if number in existing or number in seen:
                row_errors.append((_label(Customer, "number"), _("This customer number is already used.")))
            seen.add(number)
        for label, message in row_errors:
            result.add_error(row_no, label, message)
        exclude = ["sales_office", "responsible", "key_account_manager", "grade_override_by"]
        if not number:
            exclude.append("number")
        ok = _validate(customer, Customer, result, row_no, exclude) and not row_errors
        if ok:
            valid.append(customer)
    result.valid += len(valid)
    if not write or not valid:
        return
    with transaction.atomic():
        unnumbered = [c for c in valid if not c.number]
        if unnumbered:
            drawn = next_number(
                services.NUMBER_RANGE, count=len(unnumbered), defaults=services.NUMBER_RANGE_DEFAULTS
            )
            taken = set(Customer.objects.filter(number__in=drawn).values_list("number", flat=True))
            for customer, number in zip(unnumbered, drawn, strict=True):
                customer.number = number if number not in taken else services.new_number()
        Customer.objects.bulk_create(valid, batch_size=500)
        if not all(c.pk for c in valid):  # databases that do not return ids from bulk inserts
            ids = dict(
                Customer.objects.filter(number__in=[c.number for c in valid]).values_list("number", "id")
            )
            for c in valid:
                c.pk = c.id = ids[c.number]
        TimelineEvent.objects.bulk_create(
            _events(
                valid,
                events.CREATED.code,
                actor,
                lambda c: {"number": c.number, "name": c.name, "source": "import"},
            ),
            batch_size=1000,
        )
        services.search.index_documents(
            services.SEARCH_INDEX, [(c.pk, services.search_fields(c, [])) for c in valid]
        )
    result.created += len(valid)


def _customers_by_number(actor, numbers) -> dict[str, int]:
    qs = Customer.objects.all() if actor is None else Customer.objects.visible_to(actor)
    return dict(qs.filter(number__in=set(numbers)).values_list("number", "id"))


def _bool(raw: str) -> bool:
    return raw.strip().lower() in TRUE_WORDS


def _contact_batch(actor, batch, lookups, seen, result: ImportResult, write: bool) -> None:
    ids = _customers_by_number(actor, [v.get("customer", "") for _r, v in batch])
    valid: list[Contact] = []
    for row_no, values in batch:
        customer_id = ids.get(values.get("customer", ""))
        errors = []
        if customer_id is None:
            errors.append(
                (_("customer"), _("Unknown code “%(value)s”.") % {"value": values.get("customer", "")})
            )
        contact = Contact(
            customer_id=customer_id,
            name=values.get("name", ""),
            position=values.get("position", ""),
            phone=values.get("phone", ""),
            mobile=values.get("mobile", ""),
            email=values.get("email", ""),
            is_primary=_bool(values.get("is_primary", "")),
        )
        for label, message in errors:
            result.add_error(row_no, label, message)
        if _validate(contact, Contact, result, row_no, ["customer"]) and not errors:
            valid.append(contact)
    result.valid += len(valid)
    if not write or not valid:
        return
    with transaction.atomic():
        Contact.objects.bulk_create(valid, batch_size=500)
        touched = {c.customer_id for c in valid}
        # One primary contact per customer: the last one marked in the file wins, else the first contact.
        winners = {c.customer_id: c.pk for c in valid if c.is_primary}
        if winners:
            Contact.objects.filter(customer_id__in=list(winners), is_primary=True).exclude(
                pk__in=list(winners.values())
            ).update(is_primary=False)
        with_primary = set(
            Contact.objects.filter(customer_id__in=touched, is_primary=True).values_list(
                "customer_id", flat=True
            )
        )
        firsts = (
            Contact.objects.filter(customer_id__in=touched - with_primary)
            .values("customer_id")
            .annotate(first=Min("id"))
            .values_list("first", flat=True)
        )
        Contact.objects.filter(pk__in=list(firsts)).update(is_primary=True)
        customers = list(
            Customer.objects.filter(pk__in=touched).only("id", "number", "name", "phone", "mobile")
        )
        services.reindex(customers)
        TimelineEvent.objects.bulk_create(
            _events(
                valid,
                events.CONTACT_ADDED.code,
                actor,
                lambda c: {"id": c.pk, "name": c.name, "source": "import"},
                target_of=lambda c: c.customer_id,
            ),
            batch_size=1000,
        )
    result.created += len(valid)


def _address_batch(actor, batch, lookups, seen, result: ImportResult, write: bool) -> None:
    ids = _customers_by_number(actor, [v.get("customer", "") for _r, v in batch])
    existing = set(
        ServiceAddress.objects.filter(customer_id__in=set(ids.values())).values_list("customer_id", "code")
    )
    valid: list[ServiceAddress] = []
    for row_no, values in batch:
        customer_id = ids.get(values.get("customer", ""))
        errors = []
        if customer_id is None:
            errors.append(
                (_("customer"), _("Unknown code “%(value)s”.") % {"value": values.get("customer", "")})
            )
        code = values.get("code", "") or "FL-01"
        key = (customer_id, code)
        if customer_id is not None and (key in existing or f"{customer_id}:{code}" in seen):
            errors.append((_label(ServiceAddress, "code"), _("This code is already used for the customer.")))
        seen.add(f"{customer_id}:{code}")
        address = ServiceAddress(
            customer_id=customer_id,
            code=code,
            name=values.get("name", ""),
            address=values.get("address", ""),
            postal_code=values.get("postal_code", ""),
            region=values.get("region", ""),
            contact_name=values.get("contact_name", ""),
            contact_phone=values.get("contact_phone", ""),
            is_default=_bool(values.get("is_default", "")),
        )
        for label, message in errors:
            result.add_error(row_no, label, message)
        if _validate(address, ServiceAddress, result, row_no, ["customer"]) and not errors:
            valid.append(address)
    result.valid += len(valid)
    if not write or not valid:
        return
    with transaction.atomic():
        ServiceAddress.objects.bulk_create(valid, batch_size=500)
        TimelineEvent.objects.bulk_create(
            _events(
                valid,
                events.ADDRESS_ADDED.code,
                actor,
                lambda a: {"id": a.pk, "code": a.code, "source": "import"},
                target_of=lambda a: a.customer_id,
            ),
            batch_size=1000,
        )
    result.created += len(valid)


def _sales_batch(actor, batch, lookups, seen, result: ImportResult, write: bool) -> None:
    """Monthly sales rows: customer number, month, amount. A customer and month already fed is
    updated (never duplicated); the same customer and month twice in one file is an error."""
    ids = _customers_by_number(actor, [v.get("customer", "") for _r, v in batch])
    customer_label, period_label, amount_label = (
        _label(MonthlySales, "customer"),
        _label(MonthlySales, "period"),
        _label(MonthlySales, "amount"),
    )
    valid: dict[tuple[int, object], Decimal] = {}
    for row_no, values in batch:
        errors = []
        customer_id = ids.get(values.get("customer", ""))
        if customer_id is None:
            errors.append(
                (customer_label, _("Unknown code “%(value)s”.") % {"value": values.get("customer", "")})
            )
        period = amount = None
        try:
            period = services.parse_month(values.get("period", ""))
        except ValidationFailed as exc:
            errors.append((period_label, exc.fields["period"][0]))
        try:
            amount = services.parse_amount(values.get("amount", ""))
        except ValidationFailed as exc:
            errors.append((amount_label, exc.fields["amount"][0]))
        if customer_id is not None and period is not None:
            key = f"{customer_id}:{period}"
            if key in seen:
                errors.append((period_label, _("This customer and month appear twice in the file.")))
            seen.add(key)
        for label, message in errors:
            result.add_error(row_no, label, message)
        if not errors:
            valid[(customer_id, period)] = amount  # type: ignore[assignment]
    result.valid += len(valid)
    if not write or not valid:
        return
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        existing = {
            (row.customer_id, row.period): row
            for row in MonthlySales.objects.select_for_update().filter(
                customer_id__in={c for c, _p in valid}, period__in={p for _c, p in valid}
            )
        }
        new, changed, logged = [], [], []
        for (customer_id, period), amount in valid.items():
            row = existing.get((customer_id, period))
            if row is None:
                new.append(
                    MonthlySales(
                        customer_id=customer_id,
                        period=period,
                        amount=amount,
                        source="import",
                        updated_by=user,
                    )
                )
                logged.append((customer_id, period, None, amount))
            elif row.amount != amount:
                logged.append((customer_id, period, row.amount, amount))
                row.amount, row.source, row.updated_by = amount, "import", user
                changed.append(row)
        MonthlySales.objects.bulk_create(new, batch_size=1000)
        MonthlySales.objects.bulk_update(changed, ["amount", "source", "updated_by"], batch_size=1000)
        TimelineEvent.objects.bulk_create(
            _events(
                logged,
                events.SALES_RECORDED.code,
                actor,
                lambda r: {
                    "period": f"{r[1]:%Y-%m}",
                    "old": "" if r[2] is None else str(r[2]),
                    "new": str(r[3]),
                    "source": "import",
                },
                target_of=lambda r: r[0],
            ),
            batch_size=1000,
        )
    result.created += len(valid)
