"""A local Clockify API emulator for tap-clockify's tests and README demo.

>>> with Emulator() as emu:  # doctest: +SKIP
...     requests.get(f"{emu.api_url}/workspaces", headers={"X-Api-Key": emu.api_key})

Modules: ``dataset`` (seeded data), ``routes/`` (one module per API domain),
``routing`` (the route registry), ``rules`` (auth, parameters, paging), ``errors``
(documented error bodies), ``faults`` (injected failures), ``server`` (the HTTP server).
"""

from .dataset import Dataset, WorkspaceData, build_dataset, iso_duration, time_entry_order
from .faults import FaultRule
from .server import DEFAULT_API_KEY, Emulator, RecordedRequest

__all__ = [
    "DEFAULT_API_KEY",
    "Dataset",
    "Emulator",
    "FaultRule",
    "RecordedRequest",
    "WorkspaceData",
    "build_dataset",
    "iso_duration",
    "time_entry_order",
]
