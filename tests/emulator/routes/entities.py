"""Entity changes: ``GET /workspaces/{ws}/entities/created|updated|deleted``.

Served from the dataset's change log (``tests/emulator/changes.py``) with the documented
rules and params (docs/clockify.md, Entity changes):
``type`` required and repeatable; ``start``/``end`` optional, the window defaulting to the
30 days before now; ``page`` (default 0) and ``limit`` (default 50). The forms the sources
disagree on are switches in ``emu.data.changes.options`` (bare array or ``{response}``,
``documentCode`` or ``documentType``, ``limit`` honoured or not, first page 0 or 1).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from .. import errors, rules
from ..routing import Request, Response, route

if TYPE_CHECKING:
    from ..server import Emulator

DEFAULT_WINDOW = timedelta(days=30)
DEFAULT_LIMIT = 50


def _feed(emu: Emulator, req: Request, kind: str) -> Response:
    log = emu.data.changes
    options = log.options
    types = req.list_arg("type")
    if not types:
        raise errors.missing_parameter("type")
    for value in types:
        rules.parse_enum("type", value, options.types)
    start = req.datetime_arg("start")
    end = req.datetime_arg("end")
    if end is None:
        end = log.clock.now() if start is None else max(log.clock.now(), start)
    if start is None:
        start = end - DEFAULT_WINDOW
    page = rules.parse_int("page", req.arg("page", "0") or "0")
    limit = rules.parse_int("limit", req.arg("limit", str(DEFAULT_LIMIT)) or "")
    if limit < 1 or page < 0:
        raise errors.invalid_parameter(f"page must be >= 0 and limit >= 1, got {page}, {limit}")
    items: list[Any] = log.feed(kind, req.workspace_id, set(types), start, end)  # type: ignore[arg-type]
    if not options.ignore_limit:
        offset = max(page - options.first_page, 0) * limit
        items = items[offset : offset + limit]
    return Response(200, {"response": items} if options.envelope else items)


@route("GET", "/workspaces/{workspaceId}/entities/created")
def entities_created(emu: Emulator, req: Request) -> Response:
    """Entities created in the window (with their latest document)."""
    return _feed(emu, req, "created")


@route("GET", "/workspaces/{workspaceId}/entities/updated")
def entities_updated(emu: Emulator, req: Request) -> Response:
    """Entities updated, but not created or deleted, in the window."""
    return _feed(emu, req, "updated")


@route("GET", "/workspaces/{workspaceId}/entities/deleted")
def entities_deleted(emu: Emulator, req: Request) -> Response:
    """Entities deleted, but not created, in the window; visible after the delay."""
    return _feed(emu, req, "deleted")
