"""Streams that read their endpoint several times per partition, once per set of filters."""

from __future__ import annotations

import typing as t

from typing_extensions import override

from tap_clockify.errors import PermissionDeniedError
from tap_clockify.streams.workspace import WorkspaceChildStream

if t.TYPE_CHECKING:
    import requests
    from singer_sdk.helpers.types import Context


class MultiPassStream(WorkspaceChildStream):
    """A per-workspace list read once per pass: a status, a date window, an archived flag.

    Clockify has lists that a single request cannot cover: one state per request
    (approval requests), a required date window (scheduling), an `archived` filter that
    defaults to false (expense categories), a report's date windows. `passes` yields each
    pass's query parameters; a record returned by two passes (an assignment spanning two
    windows, or a filter the server ignores) is emitted once. `pass_read` runs after each
    pass read in full; a 403 ends the workspace's passes after its warning.
    """

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        """Create the stream, between passes."""
        super().__init__(*args, **kwargs)
        #: The query parameters of the pass being read.
        self.current_pass: dict[str, t.Any] = {}
        self._denied = False

    def passes(self, context: Context | None) -> t.Iterable[dict[str, t.Any]]:
        """Query parameters of each pass, in order."""
        raise NotImplementedError

    def record_key(self, record: dict[str, t.Any]) -> t.Hashable | None:
        """What makes a record the same across passes: its `identity` (None: unique)."""
        return self.identity(record)

    def pass_read(self, context: Context | None) -> None:
        """Called after each pass read in full (not after a 403); nothing by default."""

    @override
    def extra_url_params(self, context: Context | None) -> dict[str, t.Any]:
        """The pass's parameters; subclasses add their fixed ones."""
        return dict(self.current_pass)

    @override
    def get_records(self, context: Context | None) -> t.Iterable[dict[str, t.Any]]:
        """Read every pass, skipping records an earlier pass already yielded."""
        seen: set[t.Hashable] = set()
        self._denied = False
        try:
            for params in self.passes(context):
                self.current_pass = params
                for record in self.read_pass(context):
                    key = self.record_key(record)
                    if key is None or key not in seen:
                        seen.add(key)
                        yield record
                if self._denied:  # warned once; the other passes would be refused too
                    return
                self.pass_read(context)
        finally:
            self.current_pass = {}

    def read_pass(self, context: Context | None) -> t.Iterable[dict[str, t.Any]]:
        """The records of the current pass."""
        return super().get_records(context)

    @override
    def validate_response(self, response: requests.Response) -> None:
        """Note a 403, so that the remaining passes are not sent."""
        try:
            super().validate_response(response)
        except PermissionDeniedError:
            self._denied = True
            raise
