"""Tags (docs/clockify.md, Endpoints)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..routing import Request, route
from ..rules import by_name, filter_archived

if TYPE_CHECKING:
    from ..dataset import Record
    from ..server import Emulator


@route("GET", "/workspaces/{workspaceId}/tags", paged=True)
def list_tags(emu: Emulator, req: Request) -> list[Record]:
    """Tags by name; ``archived`` absent returns both archived and active."""
    tags = filter_archived(emu.data.ws[req.workspace_id].tags, req.bool_arg("archived"))
    name = (req.arg("name") or "").casefold()
    excluded = set(req.list_arg("excluded-ids") or ())
    return by_name([t for t in tags if name in t["name"].casefold() and t["id"] not in excluded])
