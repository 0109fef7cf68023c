"""Workspace entities: workspaces, their members, groups, clients, projects, tasks, tags, fields."""

from __future__ import annotations

import typing as t

from singer_sdk.exceptions import ConfigValidationError
from typing_extensions import override

from tap_clockify.client import ClockifyStream, Record
from tap_clockify.streams.changes import ChangeTrackedStream

if t.TYPE_CHECKING:
    import requests
    from singer_sdk.helpers.types import Context

#: Every account status, so that limited (kiosk) and deleted accounts keep their rows:
#: without `account-statuses` Clockify returns only ACTIVE, PENDING_EMAIL_VERIFICATION and
#: NOT_REGISTERED accounts.
ALL_ACCOUNT_STATUSES = (
    "ACTIVE",
    "PENDING_EMAIL_VERIFICATION",
    "NOT_REGISTERED",
    "LIMITED",
    "DELETED",
    "LIMITED_DELETED",
)


class WorkspacesStream(ClockifyStream):
    """Workspaces the API key can see, narrowed to `workspace_ids` when set."""

    name = "workspaces"
    path = "/workspaces"
    primary_keys = ("id",)
    paged = False  # GET /workspaces ignores paging and returns every workspace.
    #: The list is filtered first; `get_records` announces what is left.
    announces_while_reading = False

    @override
    def get_records(self, context: Context | None) -> t.Iterable[dict[str, t.Any]]:
        """Yield the visible workspaces that the configuration selects.

        Every other stream is read under a workspace, so once the last one is yielded and
        the SDK asks for the next, the whole run has been read: that is when the table
        versions are activated (tap_clockify/table_versions.py).
        """
        wanted = self.config.get("workspace_ids") or None
        workspaces = list(super().get_records(context))
        if not workspaces:
            self.tap.warn_once(
                "The API key sees no workspace: nothing to sync (is the key's user a "
                "member of a workspace? A subdomain workspace needs a key of its own)"
            )
        if wanted:
            unknown = sorted(set(wanted) - {ws["id"] for ws in workspaces})
            if unknown:
                msg = (
                    f"workspace_ids: the API key cannot see workspace(s) {', '.join(unknown)}; "
                    "expected ids of workspaces the key's user belongs to"
                )
                raise ConfigValidationError(msg)
            left_out = len(workspaces) - len(set(wanted))
            if left_out:
                self.tap.table_versions.limit_scope(
                    f"workspace_ids leaves out {left_out} workspace(s) the API key can see"
                )
            workspaces = [ws for ws in workspaces if ws["id"] in wanted]
        for workspace in workspaces:
            self.tap.progress.workspace_names[workspace["id"]] = workspace.get("name") or ""
        # Listed at once: the selected workspaces are announced here, after the filter.
        self.announce_page(context, workspaces)
        try:
            for workspace in workspaces:
                yield workspace  # the workspace's child streams are read before this returns
                self.tap.change_tracker.commit(workspace["id"])
        finally:
            for prefetcher in self.child_prefetchers():
                prefetcher.close(context)
        self.tap.table_versions.activate()

    @override
    def parse_response(self, response: requests.Response) -> t.Iterable[dict]:
        """The workspaces; Clockify's clock (the `Date` header) dates the run's windows."""
        self.tap.change_tracker.observe_server_time(response)
        return super().parse_response(response)

    @override
    def post_process(self, row: Record, context: Context | None = None) -> Record | None:
        """A workspace's `workspace_id` is its own id."""
        row["workspace_id"] = row["id"]
        return row

    @override
    def get_child_context(self, record: dict, context: Context | None) -> dict:
        """Children are read per workspace."""
        return {"workspace_id": record["id"]}


class WorkspaceChildStream(ClockifyStream):
    """A list under `/workspaces/{workspace_id}`, read once per workspace."""

    parent_stream_type = WorkspacesStream


class ParentStream(WorkspaceChildStream):
    """A per-workspace list whose child streams are read once per record."""

    #: The child context's key for the record's id, e.g. `user_id`.
    child_context_key: t.ClassVar[str]

    @override
    def get_child_context(self, record: dict, context: Context | None) -> dict:
        """The workspace and the record's id."""
        assert context is not None
        return {"workspace_id": context["workspace_id"], self.child_context_key: record["id"]}


class UsersStream(ChangeTrackedStream, ParentStream):
    """Members of a workspace, whatever their membership or account status.

    Always read in full (time entries are read per member); the change feed adds only
    its deletions.
    """

    feed_replaces_full_read = False

    name = "users"
    path = "/workspaces/{workspace_id}/users"
    # One person can belong to several workspaces: the row is the membership.
    primary_keys = ("workspace_id", "id")
    child_context_key = "user_id"  # time entries are read per (workspace, user)

    @override
    def extra_url_params(self, context: Context | None) -> dict[str, t.Any]:
        """Ask for deactivated, pending and limited members too, and their memberships."""
        return {
            "status": "ALL",
            "account-statuses": ",".join(ALL_ACCOUNT_STATUSES),
            "memberships": "ALL",
        }


class UserGroupsStream(ChangeTrackedStream, WorkspaceChildStream):
    """User groups (teams)."""

    name = "user_groups"
    path = "/workspaces/{workspace_id}/user-groups"
    primary_keys = ("id",)


class ClientsStream(ChangeTrackedStream, WorkspaceChildStream):
    """Clients; leaving out `archived` returns archived and active ones alike."""

    name = "clients"
    path = "/workspaces/{workspace_id}/clients"
    primary_keys = ("id",)


class ProjectsStream(ChangeTrackedStream, ParentStream):
    """Projects, archived ones included (no `archived` filter sent).

    Always read in full (tasks are read per project); the change feed adds only its
    deletions.
    """

    feed_replaces_full_read = False

    name = "projects"
    path = "/workspaces/{workspace_id}/projects"
    primary_keys = ("id",)
    child_context_key = "project_id"  # tasks are read per project
    # Read as soon as the workspace is listed, so that its tasks (one request per project)
    # are read while the members' time entries are emitted.
    prefetch_partitions = True
    prefetch_ahead = 1


class TasksStream(ChangeTrackedStream):
    """Tasks of every project, active and done."""

    name = "tasks"
    path = "/workspaces/{workspace_id}/projects/{project_id}/tasks"
    primary_keys = ("id",)
    parent_stream_type = ProjectsStream
    state_partitioning_keys: t.ClassVar[list[str]] = []  # full table: no per-project state
    prefetch_partitions = True
    prefetch_ahead = 1000  # a page of tasks each: small


class TagsStream(ChangeTrackedStream, WorkspaceChildStream):
    """Tags, archived ones included."""

    name = "tags"
    path = "/workspaces/{workspace_id}/tags"
    primary_keys = ("id",)


class CustomFieldsStream(WorkspaceChildStream):
    """Custom field definitions of every status and entity type."""

    name = "custom_fields"
    path = "/workspaces/{workspace_id}/custom-fields"
    primary_keys = ("id",)
    paged = False  # the endpoint ignores paging and sends no Last-Page header.
