"""Find a named module in every Kefu app (e.g. `permissions`, `navigation`, `home`).

Apps contribute to shared screens and registries by defining such a module, so adding an
app never means editing a central list.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from django.apps import apps


def app_modules(name: str) -> list[ModuleType]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("kefu."):
            continue
        dotted = f"{config.name}.{name}"
        try:
            found.append(importlib.import_module(dotted))
        except ModuleNotFoundError as exc:
            if exc.name != dotted:
                raise
    return found
