"""Streams read once per record of a parent stream (per policy, per invoice, per member)."""

from __future__ import annotations

import typing as t

from typing_extensions import override

from tap_clockify.client import ClockifyStream
from tap_clockify.streams.workspace import WorkspaceChildStream

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context


class ParentStream(WorkspaceChildStream):
    """A per-workspace list whose child stream is read once per record."""

    #: The child context's key for the record's id, e.g. `invoice_id`.
    child_context_key: t.ClassVar[str]

    @override
    def get_child_context(self, record: dict, context: Context | None) -> dict:
        """The workspace and the record's id."""
        assert context is not None
        return {"workspace_id": context["workspace_id"], self.child_context_key: record["id"]}


class PerParentStream(ClockifyStream):
    """Read once per parent record, as a full table (no state per parent).

    Where the API's records do not name their parent, `parent_key` names the context key
    copied onto each record (e.g. an invoice payment gets `invoice_id`).
    """

    parent_key: t.ClassVar[str | None] = None
    state_partitioning_keys: t.ClassVar[list[str]] = []

    @override
    def post_process(
        self,
        row: dict[str, t.Any],
        context: Context | None = None,
    ) -> dict[str, t.Any] | None:
        """Add the parent's id when the record lacks it."""
        row = super().post_process(row, context) or row
        if self.parent_key and context:
            row[self.parent_key] = context[self.parent_key]
        return row
