"""Writes to the code catalogues: the .xlsx import (all rows or none)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.catalog.models import ColourCode, Material, ProductType, ReasonCode
from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.core.importing import iter_rows, upload_on_disk
from kefu.core.validation import full_clean
from kefu.timeline.registry import register

KINDS: dict[str, type[ProductType] | type[ColourCode] | type[ReasonCode] | type[Material]] = {
    "product_type": ProductType,
    "colour_code": ColourCode,
    "reason_code": ReasonCode,
    "material": Material,
}
CATALOG_IMPORTED = register(
    "catalog.imported",
    gettext_lazy("Imported from a spreadsheet"),
    describe=lambda d: f"{d.get('created', 0)} + / {d.get('updated', 0)} ~",
    icon="file-earmark-spreadsheet",
)


def read_rows(upload) -> list[list[str]]:
    """Rows of the first sheet of an .xlsx upload, or of a .csv (UTF-8 or GBK), header included."""
    with upload_on_disk(upload) as path:
        return list(iter_rows(path, upload.name))


def import_catalog(*, actor, kind: str, rows: list[list[str]]) -> dict:
    """Create or update entries from rows `code, name[, parent code | unit, price]` (first row: header).

    All rows or none: any bad row refuses the whole file with its row number, so a half-imported
    catalogue never breaks item entry.
    """
    model = KINDS.get(kind)
    if model is None:
        raise ValidationFailed(fields={"kind": [_("Unknown catalogue.")]})
    name = model._meta.model_name
    if not (actor.has_perm(f"catalog.add_{name}") and actor.has_perm(f"catalog.change_{name}")):
        raise PermissionDenied()
    errors: list[str] = []
    created = updated = 0
    body = [(number, r) for number, r in enumerate(rows[1:], start=2) if any(r)]
    with transaction.atomic():
        # Parents first, so a sub-type may name a category defined further down the sheet.
        if model in (ProductType, ColourCode):
            body.sort(key=lambda item: 1 if len(item[1]) > 2 and item[1][2] else 0)
        for index, row in body:
            code, name = [*row, "", ""][:2]
            if not code or not name:
                errors.append(_("Row %(row)d: code and name are required.") % {"row": index})
                continue
            obj = model.objects.filter(code=code).first() or model(code=code)
            was_new = obj.pk is None
            obj.name = name
            obj.is_active = True
            extra = [*row[2:], "", "", ""]
            if isinstance(obj, ProductType | ColourCode):
                parent_code = extra[0]
                obj.parent = type(obj).objects.filter(code=parent_code).first() if parent_code else None
                if parent_code and obj.parent is None:
                    errors.append(
                        _("Row %(row)d: parent %(code)s does not exist.")
                        % {"row": index, "code": parent_code}
                    )
                    continue
            if isinstance(obj, Material):
                obj.unit = extra[0] or obj.unit or "PC"
                try:
                    obj.price = Decimal(extra[1]) if extra[1] else obj.price
                except InvalidOperation:
                    errors.append(_("Row %(row)d: the price is not a number.") % {"row": index})
                    continue
            try:
                full_clean(obj, unique=True)
            except ValidationFailed as exc:
                msgs = "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.fields.items())
                errors.append(_("Row %(row)d: %(errors)s") % {"row": index, "errors": msgs})
                continue
            obj.save()
            created += was_new
            updated += not was_new
        if errors:
            transaction.set_rollback(True)
            raise ValidationFailed(errors[0], fields={"file": errors[:50]})
    return {"created": created, "updated": updated}
