"""Deleted records: one row per deletion the entity-change feed reported."""

from __future__ import annotations

import typing as t

from typing_extensions import override

from tap_clockify.changes import TYPE_STREAMS
from tap_clockify.streams.workspace import WorkspaceChildStream
from tap_clockify.timestamps import format_timestamp, parse_timestamp

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context


class DeletedRecordsStream(WorkspaceChildStream):
    """Every deletion the change feed reported, with the feed's document as it was sent.

    One row per deleted object (time entry, client, project, tag, task, group, user), so
    that what the loader nulled in the entity's own row is still at hand.
    """

    name = "deleted_records"
    path = "/workspaces/{workspace_id}/entities/deleted"
    primary_keys = ("workspace_id", "entity_type", "id")
    replication_key = "deleted_at"
    is_sorted = False

    @override
    def get_records(self, context: Context | None) -> t.Iterable[dict[str, t.Any]]:
        """The deletions the covered streams read for this workspace in this run."""
        assert context is not None
        for deletion in self.tap.change_tracker.deletions(context["workspace_id"]):
            yield {
                "id": deletion.entity_id,
                "entity_type": deletion.entity_type,
                "stream": TYPE_STREAMS[deletion.entity_type],
                "deleted_at": format_timestamp(parse_timestamp(deletion.deleted_at)),
                "deletion_id": deletion.item_id,
                "document": deletion.document,
            }
