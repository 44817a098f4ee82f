"""Find a named module in every Kefu app (e.g. `permissions`, `navigation`, `home`).

Apps contribute to shared screens and registries by defining such a module, so adding an
app never means editing a central list.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from django.apps import apps


def optional_module(dotted: str) -> ModuleType | None:
    """The module, or None when it does not exist (an import error inside it still raises)."""
    try:
        return importlib.import_module(dotted)
    except ModuleNotFoundError as exc:
        if exc.name != dotted:
            raise
        return None


def app_modules(name: str) -> list[ModuleType]:
    found = (
        optional_module(f"{c.name}.{name}") for c in apps.get_app_configs() if c.name.startswith("kefu.")
    )
    return [module for module in found if module is not None]
