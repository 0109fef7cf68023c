"""Scheduling assignments (docs/clockify.md, Endpoints): ``start`` and ``end`` are required.

Without either, 400 code 3001. An assignment is listed
when its ``period`` overlaps the window, so one that spans two windows is in both.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from .. import errors
from ..routing import Request, route
from ..rules import parse_instant

if TYPE_CHECKING:
    from ..dataset import Record
    from ..server import Emulator

SORT_KEYS = {"PROJECT": "projectName", "USER": "userName", "ID": "id"}


@route("GET", "/workspaces/{workspaceId}/scheduling/assignments/all", paged=True)
def list_assignments(emu: Emulator, req: Request) -> list[Record]:
    """Assignments overlapping [start, end], by period start (then id)."""
    start = req.datetime_arg("start")
    end = req.datetime_arg("end")
    if start is None:
        raise errors.missing_parameter("start")
    if end is None:
        raise errors.missing_parameter("end")
    column = req.enum_arg("sort-column", tuple(SORT_KEYS))
    order = req.enum_arg("sort-order", ("ASCENDING", "DESCENDING"))
    name = (req.arg("name") or "").casefold()
    found = [
        a
        for a in emu.data.ws[req.workspace_id].more.scheduling_assignments
        if _bound(a, "start") <= end
        and _bound(a, "end") >= start
        and name in (a["note"] or "").casefold() + a["projectName"].casefold()
    ]
    if column:
        found.sort(key=lambda a: (a[SORT_KEYS[column]], a["id"]))
    else:
        found.sort(key=lambda a: (a["period"]["start"], a["id"]))
    if order == "DESCENDING":
        found.reverse()
    return found


def _bound(assignment: Record, which: str) -> datetime:
    parsed = parse_instant(assignment["period"][which])
    if parsed is None:
        raise ValueError(f"dataset assignment {assignment['id']} has a malformed period")
    return parsed
