"""Workspaces and the current user (docs/clockify.md, Endpoints)."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from ..routing import Request, route

if TYPE_CHECKING:
    from ..dataset import Record
    from ..server import Emulator

ROLES = ("WORKSPACE_ADMIN", "OWNER", "TEAM_MANAGER", "PROJECT_MANAGER")


@route("GET", "/workspaces")
def list_workspaces(emu: Emulator, req: Request) -> list[Record]:
    """Workspaces the credential can see. Not paged: page/page-size are ignored."""
    workspaces = [w for w in emu.data.workspaces if w["id"] in req.visible]
    roles = req.enum_list_arg("roles", ROLES)
    if roles:
        # Roles are the key owner's; owners are not counted as admins (spec note).
        held = emu.data.key_owner_roles
        workspaces = [w for w in workspaces if set(held.get(w["id"], ())) & set(roles)]
    return workspaces


@route("GET", "/user")
def current_user(emu: Emulator, req: Request) -> Record:
    """The key's owner; workspace memberships only with ``include-memberships=true``."""
    data = emu.data
    copies = [data.ws[wid].user(data.key_owner_id) for wid in req.visible]
    found = [u for u in copies if u is not None]
    if not found:
        return {}
    body = copy.deepcopy(found[0])
    body["memberships"] = []
    if req.bool_arg("include-memberships"):
        body["memberships"] = [
            copy.deepcopy(m)
            for u in found
            for m in u["memberships"]
            if m["membershipType"] == "WORKSPACE"
        ]
    return body
