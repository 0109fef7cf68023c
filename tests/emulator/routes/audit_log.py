"""The audit log, on its own host (docs/clockify.md, Hosts, Paging and Endpoints).

``POST /workspaces/{ws}/audit-log`` with a JSON body: ``actions`` (closed enum, at least
one), ``authors``, ``start`` and ``end`` are required; ``page`` and ``page-size`` (max 50,
default 20) page it. The answer is a bare array, newest first, without Last-Page.

Only Enterprise workspaces have an audit log. What others get was never captured; the
emulator answers 403 with a feature message and no code, the shape of Clockify's
missing-permission 403, which a client must treat as "not available here".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import errors, rules
from ..dataset_more import has_audit_log
from ..routing import Request, Response, route
from ..seed_more import AUDIT_LOG_UNAVAILABLE
from ._paging import body_page, json_body

if TYPE_CHECKING:
    from ..server import Emulator

ACTIONS = (
    "CREATE_TIME_PERSONAL_TIMER", "CREATE_TIME_PERSONAL_MANUAL", "CREATE_TIME_IMPORT",
    "CREATE_TIME_KIOSK", "CREATE_TIME_FOR_OTHER", "RESTORE_TIME", "RESTORE_TIME_FOR_OTHER",
    "UPDATE_TIME_PERSONAL", "UPDATE_TIME_FOR_OTHER", "DELETE_TIME_PERSONAL",
    "DELETE_TIME_FOR_OTHER", "CREATE_PROJECT", "CREATE_PROJECT_IMPORT",
    "CREATE_PROJECT_QUICKBOOKS", "UPDATE_PROJECT", "DELETE_PROJECT", "CREATE_TASK",
    "CREATE_TASK_IMPORT", "UPDATE_TASK", "DELETE_TASK", "CREATE_CLIENT",
    "CREATE_CLIENT_IMPORT", "CREATE_CLIENT_QUICKBOOKS", "UPDATE_CLIENT", "DELETE_CLIENT",
    "CREATE_TAG", "CREATE_TAG_IMPORT", "UPDATE_TAG", "DELETE_TAG", "CREATE_EXPENSE",
    "CREATE_EXPENSE_FOR_OTHER", "RESTORE_EXPENSE", "RESTORE_EXPENSE_FOR_OTHER",
    "UPDATE_EXPENSE", "UPDATE_EXPENSE_FOR_OTHER", "DELETE_EXPENSE", "DELETE_EXPENSE_FOR_OTHER",
)  # fmt: skip
AUDIT_MAX_PAGE_SIZE = 50
AUDIT_DEFAULT_PAGE_SIZE = 20


@route("POST", "/workspaces/{workspaceId}/audit-log", host="auditlog")
def search_audit_log(emu: Emulator, req: Request) -> Response:
    """Entries whose action, author and timestamp match the body."""
    ws = emu.data.ws[req.workspace_id]
    if not has_audit_log(ws):
        return Response(403, {"message": AUDIT_LOG_UNAVAILABLE})
    body = json_body(req)
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions:
        raise errors.invalid_parameter("actions: must not be empty")
    unknown = sorted(set(map(str, actions)) - set(ACTIONS))
    if unknown:
        raise errors.invalid_parameter(f"actions: unknown action(s) {', '.join(unknown)}")
    include = _author_filter(body.get("authors"))
    start, end = _required_instant(body, "start"), _required_instant(body, "end")
    found = [
        e
        for e in ws.more.audit_log
        if e["action"] in actions and include(e["userId"]) and start <= _timestamp(e) <= end
    ]
    return body_page(
        emu,
        body,
        found,
        lambda rows: rows,
        size_key="page-size",
        default_size=AUDIT_DEFAULT_PAGE_SIZE,
        max_size=AUDIT_MAX_PAGE_SIZE,
    )


def _author_filter(authors: Any) -> Any:
    """CONTAINS keeps the listed authors; DOES_NOT_CONTAIN keeps everyone else."""
    if not isinstance(authors, dict):
        raise errors.invalid_parameter("authors: required")
    ids = set(authors.get("authorIds") or ())
    contains = authors.get("contains", "CONTAINS")
    if contains not in ("CONTAINS", "DOES_NOT_CONTAIN"):
        raise errors.invalid_parameter(f"authors.contains: unknown value {contains!r}")
    if contains == "CONTAINS":
        return lambda user_id: user_id in ids
    return lambda user_id: user_id not in ids


def _required_instant(body: dict[str, Any], key: str) -> Any:
    parsed = rules.parse_instant(str(body.get(key, "")))
    if parsed is None:
        raise errors.invalid_parameter(f"{key}: required, as an ISO 8601 date-time")
    return parsed


def _timestamp(entry: dict[str, Any]) -> Any:
    parsed = rules.parse_instant(entry["timestamp"])
    if parsed is None:
        raise ValueError(f"dataset audit entry has a malformed timestamp {entry['timestamp']}")
    return parsed
