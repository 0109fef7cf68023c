"""Member profiles (docs/clockify.md, Endpoints): one object per user, not a list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import errors
from ..routing import Request, route

if TYPE_CHECKING:
    from ..dataset import Record
    from ..server import Emulator


@route("GET", "/workspaces/{workspaceId}/member-profile/{userId}")
def get_member_profile(emu: Emulator, req: Request) -> Record:
    """Work capacity, working days and user custom field values of one member."""
    profile = emu.data.ws[req.workspace_id].more.member_profiles.get(req.params["userId"])
    if profile is None:
        raise errors.not_in_workspace("User")
    return profile
