"""Clients (docs/clockify.md, Endpoints)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..routing import Request, route
from ..rules import by_name, filter_archived

if TYPE_CHECKING:
    from ..dataset import Record
    from ..server import Emulator


@route("GET", "/workspaces/{workspaceId}/clients", paged=True)
def list_clients(emu: Emulator, req: Request) -> list[Record]:
    """Clients by name; ``archived`` absent returns both archived and active."""
    clients = filter_archived(emu.data.ws[req.workspace_id].clients, req.bool_arg("archived"))
    name = (req.arg("name") or "").casefold()
    return by_name([c for c in clients if name in c["name"].casefold()])
