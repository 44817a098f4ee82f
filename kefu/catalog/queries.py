"""Read side of the code catalogues: the F4 pickers of the item codes (kefu.core.pickers)."""

from __future__ import annotations

from django.db.models import Q

from kefu.catalog.models import ColourCode, Material, ProductType, ReasonCode
from kefu.core import buffer, pickers


def _small_table(model, term: str, limit: int) -> list[dict]:
    def load() -> list[tuple]:
        rows = model.objects.filter(is_active=True).order_by("code").values_list("code", "name")
        return [(code, code, name, pickers.keys(code, name)) for code, name in rows]

    return pickers.filter_rows(buffer.get(f"catalog.picks:{model._meta.model_name}", load), term, limit)


def product_type_picks(user, term: str, limit: int) -> list[dict]:
    return _small_table(ProductType, term, limit)


def colour_picks(user, term: str, limit: int) -> list[dict]:
    return _small_table(ColourCode, term, limit)


def reason_picks(user, term: str, limit: int) -> list[dict]:
    return _small_table(ReasonCode, term, limit)


def material_picks(user, term: str, limit: int) -> list[dict]:
    """Materials can be many: code prefix or a name fragment in the database (no initials)."""
    qs = Material.objects.filter(is_active=True)
    if term:
        qs = qs.filter(Q(code__startswith=term) | Q(name__contains=term))
    rows = qs.order_by("code").values_list("code", "name")[:limit]
    return [pickers.row(code, code, name) for code, name in rows]


# --- read by the management reports (labels of the cockpit's top codes) --------------------------
def reason_code_names(ids) -> dict:
    """{pk: {"pk", "code", "name"}} of the reason codes `ids`."""
    return {c["pk"]: c for c in ReasonCode.objects.filter(pk__in=list(ids)).values("pk", "code", "name")}


def product_type_names(ids) -> dict:
    """{pk: {"pk", "code", "name"}} of the product types `ids`."""
    return {c["pk"]: c for c in ProductType.objects.filter(pk__in=list(ids)).values("pk", "code", "name")}
