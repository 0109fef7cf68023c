"""Approval requests: incremental on `status.updatedAt`, read newest change first."""

from __future__ import annotations

import itertools
import typing as t

from typing_extensions import override

from tap_clockify.streams._passes import MultiPassStream
from tap_clockify.streams._schema import SettingsAwareSchema
from tap_clockify.timestamps import parse_timestamp

if t.TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from datetime import datetime

    from singer_sdk.helpers.types import Context

    from tap_clockify.client import Record

#: The states the list can filter on; one request per state (REJECTED and
#: WITHDRAWN_SUBMISSION cannot be listed).
APPROVAL_STATES = ("PENDING", "APPROVED", "WITHDRAWN_APPROVAL")


def updated_at(record: dict[str, t.Any]) -> datetime:
    """When an approval request last changed state."""
    return parse_timestamp(record["approvalRequest"]["status"]["updatedAt"])


def pages_of(records: Iterable[dict], size: int) -> Iterator[list[dict]]:
    """`records` cut into the pages they came in (every page but the last is full)."""
    iterator = iter(records)
    while page := list(itertools.islice(iterator, size)):
        yield page


class ApprovalRequestsStream(MultiPassStream):
    """Approval requests of every listable state, with their totals.

    Each change of state (submit, approve, withdraw) sets `status.updatedAt`, the
    replication key (copied to `updated_at`). Clockify ignores the list's date parameters,
    so the bookmark cannot be sent; instead each state is listed by `UPDATED_AT`,
    newest first, and reading stops after the page that reaches past the bookmark: the
    rest of the list is older still.
    """

    name = "approval_requests"
    path = "/workspaces/{workspace_id}/approval-requests"
    primary_keys = ("id",)
    replication_key = "updated_at"
    is_sorted = False  # newest first; the bookmark is final once the partition is read
    api_id_field = "approvalRequest.id"
    required_timestamps = ("approvalRequest.status.updatedAt",)
    schema = SettingsAwareSchema()

    @property
    def include_entries(self) -> bool:
        """The `approval_requests_include_entries` setting."""
        return bool(self.config.get("approval_requests_include_entries", False))

    def left_out_properties(self, names: set[str]) -> set[str]:  # noqa: ARG002
        """`entries`, unless asked for."""
        return set() if self.include_entries else {"entries"}

    @override
    def warn_undeclared(self, dropped: list[str]) -> None:
        """Warn of undeclared fields, but not of `entries`, left out on purpose."""
        if unexpected := [path for path in dropped if path not in self.left_out_properties(set())]:
            super().warn_undeclared(unexpected)

    @override
    def passes(self, context: Context | None) -> t.Iterable[dict[str, t.Any]]:
        """One pass per state."""
        for state in APPROVAL_STATES:
            yield {"status": state}

    @override
    def extra_url_params(self, context: Context | None) -> dict[str, t.Any]:
        """Newest change first (the pass adds the state)."""
        return {
            **super().extra_url_params(context),
            "sort-column": "UPDATED_AT",
            "sort-order": "DESCENDING",
        }

    @override
    def identity(self, record: dict[str, t.Any]) -> t.Hashable:
        """The id inside `approvalRequest`."""
        return record["approvalRequest"]["id"]

    @override
    def read_pass(self, context: Context, params: dict[str, t.Any]) -> t.Iterable[dict[str, t.Any]]:
        """The state's requests changed since the bookmark (all of them without one).

        Records arrive page by page; once a page is in newest-first order and ends before
        the bookmark, the pages after it are older still and are not requested. A page
        out of order (a server ignoring the sort) means reading on to the last page.
        """
        start = self.get_starting_timestamp(context)
        records = super().read_pass(context, params)
        if start is None:
            yield from records
            return
        for page in pages_of(records, self.page_size):
            updated = [updated_at(r) for r in page]
            yield from (r for r, when in zip(page, updated, strict=True) if when >= start)
            newest_first = all(a >= b for a, b in itertools.pairwise(updated))
            if newest_first and updated[-1] < start:
                return

    @override
    def post_process(self, row: Record, context: Context | None = None) -> Record | None:
        """Top-level `id` and `updated_at`; embedded entries only when asked for."""
        row = super().post_process(row, context) or row
        request = row["approvalRequest"]
        row["id"] = request["id"]
        row["updated_at"] = request["status"]["updatedAt"]
        if not self.include_entries:
            # The week's full time entries, already in `time_entries`: the bulk of a row.
            row.pop("entries", None)
        return row
