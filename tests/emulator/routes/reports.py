"""Reports host (clockify-api.md section 5 "Reports"): empty but correctly shaped bodies.

Every report is ``POST /workspaces/{ws}/reports/...`` on the reports host; a GET is 405.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..routing import Request, route

if TYPE_CHECKING:
    from ..dataset import Record
    from ..server import Emulator


@route("POST", "/workspaces/{workspaceId}/reports/detailed", host="reports")
def detailed_report(emu: Emulator, req: Request) -> Record:
    """Rows in lowercase ``timeentries``; ``totals`` is a list."""
    _ = req.body  # a malformed JSON body is a 400
    return {"totals": [], "timeentries": []}


@route("POST", "/workspaces/{workspaceId}/reports/summary", host="reports")
def summary_report(emu: Emulator, req: Request) -> Record:
    """Groups in ``groupOne``; ``totals`` is a list."""
    _ = req.body  # a malformed JSON body is a 400
    return {"totals": [], "groupOne": []}


@route("POST", "/workspaces/{workspaceId}/reports/attendance", host="reports")
def attendance_report(emu: Emulator, req: Request) -> Record:
    """Rows in ``entities``; ``totals`` is an object."""
    _ = req.body  # a malformed JSON body is a 400
    return {"totals": {}, "entities": []}


@route("POST", "/workspaces/{workspaceId}/reports/expenses/detailed", host="reports")
def expenses_report(emu: Emulator, req: Request) -> Record:
    """Rows in ``expenses``; ``totals`` is an object."""
    _ = req.body  # a malformed JSON body is a 400
    return {"expenses": [], "totals": {}}
