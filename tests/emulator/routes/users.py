"""Workspace members and user groups (docs/clockify.md, Endpoints)."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from ..routing import Request, declare, route

if TYPE_CHECKING:
    from ..dataset import Record
    from ..server import Emulator

MEMBERSHIP_STATUSES = ("PENDING", "ACTIVE", "DECLINED", "INACTIVE", "ALL")
ACCOUNT_STATUSES = (
    "ACTIVE",
    "PENDING_EMAIL_VERIFICATION",
    "DELETED",
    "NOT_REGISTERED",
    "LIMITED",
    "LIMITED_DELETED",
)
#: Without ``account-statuses`` only these accounts are listed, hiding LIMITED (kiosk)
#: users (docs/clockify.md, Endpoints).
DEFAULT_ACCOUNT_STATUSES = ("ACTIVE", "PENDING_EMAIL_VERIFICATION", "NOT_REGISTERED")
MEMBERSHIP_VIEWS = ("ALL", "NONE", "WORKSPACE", "PROJECT", "USERGROUP")
SORT_KEYS = {
    "ID": lambda u: u["id"],
    "EMAIL": lambda u: u["email"].casefold(),
    "NAME": lambda u: u["name"],
    "NAME_LOWERCASE": lambda u: u["name"].casefold(),
}


@route("GET", "/workspaces/{workspaceId}/users", paged=True)
def list_users(emu: Emulator, req: Request) -> list[Record]:
    """Members, filtered by membership status and account status, sorted by email."""
    ws = emu.data.ws[req.workspace_id]
    # Without ``status`` the emulator lists ACTIVE members only. Undocumented: it matches
    # the web UI's default and means a tap must ask for status=ALL to see deactivated
    # (INACTIVE) members, whose time entries are still listed.
    status = req.enum_arg("status", MEMBERSHIP_STATUSES) or "ACTIVE"
    accounts = req.enum_list_arg("account-statuses", ACCOUNT_STATUSES) or DEFAULT_ACCOUNT_STATUSES
    email = (req.arg("email") or "").casefold()
    name = (req.arg("name") or "").casefold()
    column = req.enum_arg("sort-column", (*SORT_KEYS, "ACCESS", "HOURLYRATE", "COSTRATE"))
    order = req.enum_arg("sort-order", ("ASCENDING", "DESCENDING"))
    view = req.enum_arg("memberships", MEMBERSHIP_VIEWS) or "NONE"
    req.bool_arg("include-roles")  # validated only; OFF marks it required, live does not

    users = [
        u
        for u in ws.users
        if (status == "ALL" or ws.membership_status(u["id"]) == status)
        and u["status"] in accounts
        and email in u["email"].casefold()
        and name in u["name"].casefold()
    ]
    users.sort(key=SORT_KEYS.get(column or "EMAIL", SORT_KEYS["EMAIL"]))
    if order == "DESCENDING":
        users.reverse()
    return [_with_memberships(u, view) for u in users]


def _with_memberships(user: Record, view: str) -> Record:
    """``memberships`` defaults to NONE: the list is empty unless asked for (spec)."""
    served = copy.copy(user)
    served["memberships"] = [
        m for m in user["memberships"] if view == "ALL" or m["membershipType"] == view
    ]
    return served


@route("GET", "/workspaces/{workspaceId}/user-groups", paged=True)
def list_user_groups(emu: Emulator, req: Request) -> list[Record]:
    """User groups, by name."""
    return emu.data.ws[req.workspace_id].user_groups


# Bound live for writes only, so a GET answers 405 rather than 404 (docs/clockify.md,
# Authentication and errors).
declare("/workspaces/{workspaceId}/users/{userId}", "PUT")
declare("/workspaces/{workspaceId}/user-groups/{groupId}", "PUT", "DELETE")
