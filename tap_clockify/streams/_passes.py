"""Streams that read their endpoint several times per partition, once per set of filters."""

from __future__ import annotations

import typing as t

from typing_extensions import override

from tap_clockify.contexts import with_read_params
from tap_clockify.errors import PermissionDeniedError
from tap_clockify.streams.workspace import WorkspaceChildStream

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context


class MultiPassStream(WorkspaceChildStream):
    """A per-workspace list read once per pass: a status, a date window, an archived flag.

    Clockify has lists that a single request cannot cover: one state per request
    (approval requests), a required date window (scheduling), an `archived` filter that
    defaults to false (expense categories), a report's date windows. `passes` yields each
    pass's request parameters, which travel with that pass's requests (`read_records`); a
    record returned by two passes (an assignment spanning two windows, or a filter the
    server ignores) is emitted once. `pass_read` runs after each pass read in full; a 403
    ends the workspace's passes after its warning.
    """

    def passes(self, context: Context | None) -> t.Iterable[dict[str, t.Any]]:
        """Request parameters of each pass, in order."""
        raise NotImplementedError

    def record_key(self, record: dict[str, t.Any]) -> t.Hashable | None:
        """What makes a record the same across passes: its `identity` (None: unique)."""
        return self.identity(record)

    def pass_read(self, context: Context, params: dict[str, t.Any]) -> None:
        """Called after the pass of `params` was read in full (not after a 403); no-op."""

    @override
    def get_records(self, context: Context | None) -> t.Iterable[dict[str, t.Any]]:
        """Read every pass, skipping records an earlier pass already yielded."""
        assert context is not None  # read per workspace
        seen: set[t.Hashable] = set()
        try:
            for params in self.passes(context):
                for record in self.read_pass(context, params):
                    key = self.record_key(record)
                    if key is None or key not in seen:
                        seen.add(key)
                        yield record
                self.pass_read(context, params)
        except PermissionDeniedError as error:  # the other passes would be refused too
            self.skip_denied(error)

    def read_pass(self, context: Context, params: dict[str, t.Any]) -> t.Iterable[dict[str, t.Any]]:
        """The records of the pass of `params`; a 403 raises PermissionDeniedError."""
        return self.post_processed(context, self.checked_records(with_read_params(context, params)))
