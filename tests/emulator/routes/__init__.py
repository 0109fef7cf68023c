"""Route modules, one per API domain; importing this package registers them all.

To add routes, drop a module here that uses :func:`tests.emulator.routing.route`;
:func:`load_all` (called by the server) imports every module of this package.
"""

from __future__ import annotations

import importlib
import pkgutil


def load_all() -> None:
    """Import every route module (idempotent: modules register once, on first import)."""
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")
