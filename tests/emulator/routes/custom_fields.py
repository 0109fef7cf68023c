"""Custom fields (docs/clockify.md, Endpoints)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..routing import Request, route

if TYPE_CHECKING:
    from ..dataset import Record
    from ..server import Emulator

STATUSES = ("INACTIVE", "VISIBLE", "INVISIBLE")
ENTITY_TYPES = ("TIMEENTRY", "USER")


@route("GET", "/workspaces/{workspaceId}/custom-fields")
def list_custom_fields(emu: Emulator, req: Request) -> list[Record]:
    """Every custom field at once: the spec declares page/page-size, live ignores them."""
    fields = emu.data.ws[req.workspace_id].custom_fields
    status = req.enum_arg("status", STATUSES)
    entity_types = req.enum_list_arg("entity-type", ENTITY_TYPES)
    name = (req.arg("name") or "").casefold()
    return [
        f
        for f in fields
        if (status is None or f["status"] == status)
        and (entity_types is None or f["entityType"] in entity_types)
        and name in f["name"].casefold()
    ]
