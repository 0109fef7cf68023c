"""Streams listed by a POST search whose page travels in the JSON body, not the query."""

from __future__ import annotations

import typing as t

from typing_extensions import override

from tap_clockify.contexts import read_params
from tap_clockify.streams.workspace import WorkspaceChildStream

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context


class ClockifyPostStream(WorkspaceChildStream):
    """A per-workspace POST search: filters from `request_body`, the page in the body.

    Clockify names the body's page-size field differently per endpoint (`pageSize` for
    time-off requests, `page-size` for the audit log), hence `page_size_field`. Paging ends
    as for GET lists: on `Last-Page` where sent, else on a short or empty page.
    """

    payload_as_json = True
    #: The body field that carries the page size.
    page_size_field: t.ClassVar[str] = "pageSize"

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        """Create the stream; the search is a POST."""
        super().__init__(*args, **kwargs)
        self.http_method = "POST"

    @override
    def get_url_params(
        self,
        context: Context | None,
        next_page_token: int | None,
    ) -> dict[str, t.Any]:
        """Only `extra_url_params`: the page and the read's own parameters go in the body."""
        return dict(self.extra_url_params(context))

    @override
    def prepare_request_payload(
        self,
        context: Context | None,
        next_page_token: int | None,
    ) -> dict[str, t.Any]:
        """`request_body`, the read's own parameters, and the page when the search is paged."""
        return {
            **self.request_body(context),
            **read_params(context),
            **self.page_fields(next_page_token, self.page_size_field),
        }

    def request_body(self, context: Context | None) -> dict[str, t.Any]:  # noqa: ARG002
        """The search's filters; none by default."""
        return {}
