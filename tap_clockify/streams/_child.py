"""Streams read once per record of a parent stream (per policy, per invoice, per member)."""

from __future__ import annotations

import typing as t

from typing_extensions import override

from tap_clockify.client import ClockifyStream, Record

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context


class PerParentStream(ClockifyStream):
    """Read once per parent record, as a full table (no state per parent).

    Where the API's records do not name their parent, `parent_key` names the context key
    copied onto each record (e.g. an invoice payment gets `invoice_id`).
    """

    parent_key: t.ClassVar[str | None] = None
    state_partitioning_keys: t.ClassVar[list[str]] = []

    @override
    def post_process(self, row: Record, context: Context | None = None) -> Record | None:
        """Add the parent's id when the record lacks it."""
        row = super().post_process(row, context) or row
        if self.parent_key and context:
            row[self.parent_key] = context[self.parent_key]
        return row
