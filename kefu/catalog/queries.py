"""Read side of the code catalogues: the F4 pickers of the item codes (kefu.core.pickers)."""

from __future__ import annotations

from django.db import connections
from django.db.models import Q

from kefu.catalog.models import ColourCode, Material, ProductType, ReasonCode
from kefu.core import buffer, pickers, search


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
    """The material picker 物料 (F4). Materials are many (100k+), so each step reads an index and
    stops at `limit`: the code's prefix (the exact code sorts first), then the prefix of the
    name's pinyin initials (hdgs → 活动柜锁, `Material.name_initials`), then a fragment of the
    name, each step only while the list is not full. Value: the material number."""
    qs = Material.objects.filter(is_active=True)
    if not term:
        rows = qs.order_by("code").values_list("code", "name")[:limit]
        return [pickers.row(code, code, name) for code, name in rows]
    vendor = connections[qs.db].vendor
    codes = Q()
    for prefix in dict.fromkeys((term, term.upper())):  # material numbers are kept in upper case
        codes |= search.prefix_q("code", prefix, vendor=vendor)
    steps: list[tuple[Q, tuple[str, ...]]] = [(codes, ("code",))]
    wanted = term.casefold()
    if wanted.isascii() and wanted.isalnum():
        steps.append((search.prefix_q("name_initials", wanted, vendor=vendor), ("name_initials", "code")))
    steps.append((Q(name__contains=term), ("code",)))
    found: dict[str, str] = {}
    for where, order in steps:
        # `limit` rows cover the ones still wanted plus those an earlier step already found
        for code, name in qs.filter(where).order_by(*order).values_list("code", "name")[:limit]:
            found.setdefault(code, name)
        if len(found) >= limit:
            break
    return [pickers.row(code, code, name) for code, name in list(found.items())[:limit]]


# --- read by the management reports (labels of the cockpit's top codes) --------------------------
def reason_code_names(ids) -> dict:
    """{pk: {"pk", "code", "name"}} of the reason codes `ids`."""
    return {c["pk"]: c for c in ReasonCode.objects.filter(pk__in=list(ids)).values("pk", "code", "name")}


def product_type_names(ids) -> dict:
    """{pk: {"pk", "code", "name"}} of the product types `ids`."""
    return {c["pk"]: c for c in ProductType.objects.filter(pk__in=list(ids)).values("pk", "code", "name")}
