"""Time entries (docs/clockify.md, Endpoints and Quirks)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from .. import errors
from ..dataset import time_entry_order
from ..routing import Request, declare, route
from ..rules import parse_instant

if TYPE_CHECKING:
    from ..dataset import Record
    from ..server import Emulator


@route("GET", "/workspaces/{workspaceId}/user/{userId}/time-entries", paged=True)
def list_user_time_entries(emu: Emulator, req: Request) -> list[Record]:
    """One user's entries, newest ``timeInterval.start`` first.

    ``start`` is inclusive and ``end`` exclusive, both on ``timeInterval.start`` (``start``
    filters correctly live). ``hydrated`` is accepted but the flat shape is served.
    """
    ws = emu.data.ws[req.workspace_id]
    user_id = req.params["userId"]
    if ws.user(user_id) is None:
        raise errors.not_in_workspace("User")
    start = req.datetime_arg("start")
    end = req.datetime_arg("end")
    req.datetime_arg("get-week-before")
    req.bool_arg("hydrated")
    in_progress = req.bool_arg("in-progress")
    project = req.arg("project")
    task = req.arg("task")
    description = req.arg("description")
    tags = req.list_arg("tags")

    def keep(entry: Record) -> bool:
        began = _start_of(entry)
        interval = entry["timeInterval"]
        return (
            (start is None or began >= start)
            and (end is None or began < end)
            and (not in_progress or interval["end"] is None)
            and (project is None or entry["projectId"] == project)
            and (task is None or entry["taskId"] == task)
            and (description is None or description.casefold() in entry["description"].casefold())
            and (not tags or bool(set(tags) & set(entry["tagIds"] or ())))
        )

    return time_entry_order(e for e in ws.time_entries.get(user_id, []) if keep(e))


def _start_of(entry: Record) -> datetime:
    parsed = parse_instant(entry["timeInterval"]["start"])
    if parsed is None:
        raise ValueError(f"dataset entry {entry['id']} has a malformed start")
    return parsed


# There is no workspace-wide list: only POST (create) is bound, so GET is 405.
declare("/workspaces/{workspaceId}/time-entries", "POST")
