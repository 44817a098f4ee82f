"""The one personal-data rule 个人信息保护: which fields are personal, and how a reader sees them.

Every path that lets personal data leave the service layer asks here: read models (lists, detail
pages, API, exports), edit forms (write-only fields for masked readers), timeline history (old and
new values of a change) and mail bodies. Whether a reader may see a record unmasked is decided by
`can_see_personal_data` in `kefu.customers.queries` (blanket permission, key-account manager of the
customer) plus the need-to-know exception of assigned work in `kefu.tickets.queries`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from kefu.core.masking import mask_address, mask_email, mask_id_number, mask_phone

# Field name → mask. The same names are used on customers, contacts, addresses, notifications,
# complaints and accidents, so one table serves every model.
PERSONAL_FIELDS: dict[str, Callable[[str | None], str]] = {
    "phone": mask_phone,
    "mobile": mask_phone,
    "fax": mask_phone,
    "email": mask_email,
    "address": mask_address,
    "id_number": mask_id_number,
    "contact_phone": mask_phone,
    "object_address": mask_address,
}


def mask_value(name: str, value: Any) -> Any:
    """The masked form of `value` if `name` is a personal field; other values pass unchanged."""
    mask = PERSONAL_FIELDS.get(name)
    if mask is None or value in (None, "", "—"):
        return value
    if isinstance(value, dict):  # a change payload may carry {"pk": .., "str": ..}
        return {**value, "str": mask(str(value.get("str") or ""))}
    return mask(str(value))


def _mask_if_address(value: str | None) -> str:
    """An e-mail address masked; any other value (a status code, a staff name) unchanged."""
    return mask_email(value) if value and "@" in value else (value or "")


# Keys of timeline payloads that carry a mail's sender and recipients (mail events), and elsewhere
# status codes or staff names (transitions, handovers): only what is an e-mail address is masked.
# They are not form fields, so they are masked in history only.
PAYLOAD_FIELDS: dict[str, Callable[[str | None], str]] = {
    **PERSONAL_FIELDS,
    "from": _mask_if_address,
    "to": _mask_if_address,
    "cc": _mask_if_address,
}


def _mask_tree(value: Any, field: str | None) -> Any:
    """`value` with every personal value masked: a value under a personal key (or inside one, like
    the old/new of a change or a list of recipients) is masked; nested records are walked."""
    if isinstance(value, dict):
        if field is not None and "str" in value:  # a foreign key's {"pk": .., "str": ..}
            return {**value, "str": PAYLOAD_FIELDS[field](str(value.get("str") or ""))}
        return {key: _mask_tree(item, key if key in PAYLOAD_FIELDS else field) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_mask_tree(item, field) for item in value]
    if field is None or value in (None, "", "—") or isinstance(value, bool):
        return value
    return PAYLOAD_FIELDS[field](str(value))


def mask_payload(data: dict) -> dict:
    """A timeline payload with every personal value masked, at any depth: top-level keys, the
    old/new values of `changes`, and snapshots of removed records (`{"old": {"mobile": ..}}`)."""
    if not isinstance(data, dict):
        return data
    return _mask_tree(data, None)


class WriteOnlyPersonalData:
    """For a reader who sees personal data masked: the form never carries the stored value (only
    its mask, as a placeholder) and an empty field keeps what is stored."""

    write_only: list[str] = []
    # Provided by the ModelForm this mixes into.
    fields: dict[str, Any]
    initial: dict[str, Any]
    instance: Any
    cleaned_data: dict[str, Any]

    def make_write_only(self, masked: bool) -> None:
        self.write_only = [name for name in PERSONAL_FIELDS if masked and name in self.fields]
        for name in self.write_only:
            current = getattr(self.instance, name, "")
            self.initial[name] = ""
            self.fields[name].required = False
            self.fields[name].widget.attrs["placeholder"] = PERSONAL_FIELDS[name](current) if current else ""
            self.fields[name].help_text = _("Masked. Leave empty to keep the current value.")

    def changes(self, *, skip: tuple[str, ...] = ()) -> dict:
        """Cleaned data without the fields a masked reader left empty (they keep their value)."""
        return {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in skip and not (k in self.write_only and v in ("", None))
        }
