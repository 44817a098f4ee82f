"""Code catalogues API: the active entries of each catalogue (for item entry in clients)."""

from __future__ import annotations

from decimal import Decimal

from ninja import Router, Schema

from kefu.catalog.services import KINDS
from kefu.core.errors import NotFound

router = Router(tags=["catalog"])


class EntryOut(Schema):
    code: str
    name: str
    parent: str | None = None
    price: Decimal | None = None


@router.get("/{kind}", response=list[EntryOut], summary="Entries of a catalogue")
def entries(request, kind: str):
    model = KINDS.get(kind.replace("-", "_"))
    if model is None:
        raise NotFound()
    rows = model.objects.filter(is_active=True).order_by("code")
    if hasattr(model, "parent"):
        rows = rows.select_related("parent")
    return [
        {
            "code": r.code,
            "name": r.name,
            "parent": getattr(getattr(r, "parent", None), "code", None),
            "price": getattr(r, "price", None),
        }
        for r in rows[:5000]
    ]
