"""The one picker 选择帮助 (F4) of every field where a code or a person is entered: customer,
person responsible, work centre, catalogue codes and user status.

A *source* answers a typed term with at most `limit` rows ``{"value", "code", "name", "label"}``
in the user's scope; `value` is what the field posts (a customer number, a status code, or the
primary key of a select's option). Every source finds a row by its code, a Chinese fragment of its
name and the name's pinyin initials (``sqbj`` → 申齐保健): customers through the archive's n-gram
index (the initials are indexed), small code tables in memory from the buffer.

The widget side is `PickerInput` / `PickerSelect` (a ``data-picker`` URL on the field); kefu.js
suggests while typing and opens the F4 list on any such field. Sources are named here, by dotted
path, so the registry is one visible table and no app import order matters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module

from django import forms
from django.urls import reverse

from kefu.core import pinyin
from kefu.core.search import normalize


@dataclass(frozen=True)
class Source:
    path: str  # "module:function(user, term, limit) -> list[dict]"
    perm: str | None = None  # the permission the reader needs (scope is the source's business)

    def load(self) -> Callable[..., list[dict]]:
        module, _sep, name = self.path.partition(":")
        return getattr(import_module(module), name)


SOURCES: dict[str, Source] = {
    "customer": Source("kefu.customers.queries:customer_picks", "customers.view_customer"),
    "staff": Source("kefu.org.queries:staff_picks", None),
    "work_centre": Source("kefu.org.queries:work_centre_picks", None),
    "status": Source("kefu.tickets.queries:status_picks", "tickets.view_notification"),
    "complaint_status": Source("kefu.complaints.queries:complaint_status_picks", "complaints.view_complaint"),
    "accident_status": Source("kefu.complaints.queries:accident_status_picks", "complaints.view_accident"),
    "product_type": Source("kefu.catalog.queries:product_type_picks", None),
    "colour": Source("kefu.catalog.queries:colour_picks", None),
    "material": Source("kefu.catalog.queries:material_picks", None),
    "reason": Source("kefu.catalog.queries:reason_picks", None),
}
MAX_LIMIT = 50


def source(name: str) -> Source | None:
    return SOURCES.get(name)


def picks(name: str, user, term: str, *, limit: int = 20) -> list[dict]:
    """Rows of source `name` for `term` (empty term: the first rows), at most `limit` (≤ 50)."""
    found = SOURCES.get(name)
    if found is None:
        return []
    return found.load()(user, (term or "").strip()[:50], max(1, min(limit, MAX_LIMIT)))


def row(value, code: str, name: str) -> dict:
    return {"value": str(value), "code": code, "name": name, "label": f"{code} {name}".strip()}


def keys(code: str, name: str) -> tuple[str, str, str]:
    """What a small-table row is matched on: normalised code, normalised name, pinyin initials."""
    return normalize(code), normalize(name), pinyin.initials(name)


def filter_rows(rows: Iterable[tuple], term: str, limit: int) -> list[dict]:
    """Match `(value, code, name, keys)` rows of a small table: code prefix first, then any
    fragment of the code, the name or its pinyin initials."""
    wanted = normalize(term)
    if not wanted:
        return [row(v, c, n) for v, c, n, _k in list(rows)[:limit]]
    first, rest = [], []
    for value, code, name, (ncode, nname, initials) in rows:
        if ncode.startswith(wanted):
            first.append(row(value, code, name))
        elif wanted in ncode or wanted in nname or wanted in initials:
            rest.append(row(value, code, name))
        if len(first) >= limit:
            break
    return (first + rest)[:limit]


def pick_url(name: str) -> str:
    return reverse("pick") + f"?source={name}"


def attach(field: forms.Field, name: str, *, value: str = "") -> forms.Field:
    """Give an existing field (a select or a text input) the picker of source `name`.

    `value="code"` when the field takes the row's code (a personnel number) rather than its value
    (the primary key). The field's queryset stays what decides: a picked value outside it (another
    centre's person, an inactive one, a forged id) is refused next to the field, naming it."""
    field.widget.attrs["data-picker"] = pick_url(name)
    field.widget.attrs.setdefault("title", "F4")
    if value:
        field.widget.attrs["data-picker-value"] = value
    if isinstance(field, forms.ModelChoiceField):
        field.error_messages = {**field.error_messages, "invalid_choice": not_yours(field)}
    return field


def not_yours(field: forms.Field):
    """The message of a choice the user may not make in `field`, naming the field; built when
    shown, in the reader's language, with the field's label as it is then."""
    from django.utils.functional import lazy
    from django.utils.translation import gettext

    def message() -> str:
        if not field.label:
            return gettext("This is not one you may choose here (outside your scope, inactive or unknown).")
        # Django formats the message with the posted value (`% {"value": …}`): keep a label's % literal.
        return gettext(
            "{field}: not one you may choose here (outside your scope, inactive or unknown). "
            "Press F4 to pick one."
        ).format(field=str(field.label).replace("%", "%%"))

    return lazy(message, str)()


class PickerInput(forms.TextInput):
    """A code field with type-ahead suggestions and the F4 list of source `source`."""

    source = ""

    def __init__(self, attrs: dict | None = None, *, source: str | None = None) -> None:
        self.source = source or self.source
        super().__init__({"autocomplete": "off", "inputmode": "search", **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        from django.utils.html import format_html

        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or 'id_' + name}-choices"
        attrs["list"] = list_id
        attrs["data-picker"] = pick_url(self.source)
        attrs.setdefault("title", "F4")
        field = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}"></datalist>', field, list_id)
