"""Approval requests (docs/clockify.md, Endpoints).

Paged with Last-Page. ``status`` filters on the state; ``sort-column``/``sort-order``
order the list; the user and date parameters are accepted and ignored, as live.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..routing import Request, route

if TYPE_CHECKING:
    from ..dataset import Record
    from ..server import Emulator

FILTER_STATES = ("PENDING", "APPROVED", "WITHDRAWN_APPROVAL")
TYPES = ("TIMESHEET", "EXPENSE", "TIMESHEET_AND_EXPENSE")
SORT_KEYS: dict[str, Callable[[Record], Any]] = {
    "ID": lambda a: a["approvalRequest"]["id"],
    "USER_ID": lambda a: a["approvalRequest"]["owner"]["userId"],
    "START": lambda a: a["approvalRequest"]["dateRange"]["start"],
    "UPDATED_AT": lambda a: a["approvalRequest"]["status"]["updatedAt"],
}


@route("GET", "/workspaces/{workspaceId}/approval-requests", paged=True)
def list_approval_requests(emu: Emulator, req: Request) -> list[Record]:
    """Approvals in one state (absent: all three; unverified), sorted as asked.

    Default order: START, ascending. Ties fall back to the id, so paging is stable.
    """
    state = req.enum_arg("status", FILTER_STATES)
    types = req.enum_list_arg("types", TYPES) or TYPES
    column = req.enum_arg("sort-column", tuple(SORT_KEYS)) or "START"
    order = req.enum_arg("sort-order", ("ASCENDING", "DESCENDING")) or "ASCENDING"
    for ignored in ("start", "end"):
        req.datetime_arg(ignored)  # validated, then ignored
    found = [
        a
        for a in emu.data.ws[req.workspace_id].more.approval_requests
        if (state is None or a["approvalRequest"]["status"]["state"] == state)
        and a["approvalRequest"]["type"] in types
    ]
    key = SORT_KEYS[column]
    return sorted(
        found,
        key=lambda a: (key(a), a["approvalRequest"]["id"]),
        reverse=order == "DESCENDING",
    )
