"""Member profiles: work capacity, working days and user custom field values."""

from __future__ import annotations

from tap_clockify.streams._child import PerParentStream
from tap_clockify.streams.workspace import UsersStream


class MemberProfilesStream(PerParentStream):
    """One profile per member of each workspace: one call per member, hence opt-in.

    A profile names neither its user nor an id of its own: `user_id` is added.
    """

    name = "member_profiles"
    path = "/workspaces/{workspace_id}/member-profile/{user_id}"
    primary_keys = ("workspace_id", "user_id")
    records_jsonpath = "$"
    paged = False
    selected_by_default = False
    api_id_field = None  # keyed by its user
    parent_stream_type = UsersStream
    parent_key = "user_id"
