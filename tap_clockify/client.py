"""The base stream every Clockify stream inherits: hosts, auth, paging, errors, throttling."""

from __future__ import annotations

import typing as t
from functools import cached_property

from singer_sdk import RESTStream
from singer_sdk.authenticators import APIKeyAuthenticator
from singer_sdk.exceptions import FatalAPIError, RetriableAPIError
from singer_sdk.helpers.types import Context
from singer_sdk.schema.source import SchemaDirectory, StreamSchema

from tap_clockify import schemas
from tap_clockify.pagination import ClockifyPaginator
from tap_clockify.settings import MAX_PAGE_SIZE, resolve_endpoints

if t.TYPE_CHECKING:
    import requests
    from singer_sdk.streams.rest import RequestFunc

    from tap_clockify.tap import TapClockify

Host = t.Literal["api", "reports", "auditlog"]


class ClockifyStream(RESTStream[int]):
    """A Clockify list endpoint under one of the three hosts.

    Subclasses declare `name`, `path` (with `{workspace_id}`-style placeholders filled from
    the context), `primary_keys`, and where they differ from the defaults: `host`, `paged`,
    `max_page_size` and `records_jsonpath`.
    """

    schema = StreamSchema(SchemaDirectory(schemas))

    #: Which Clockify host serves the stream.
    host: t.ClassVar[Host] = "api"
    #: False for endpoints that ignore `page`/`page-size` and return everything at once.
    paged: t.ClassVar[bool] = True
    #: The endpoint's own cap on `page-size`, where lower than the general one.
    max_page_size: t.ClassVar[int] = MAX_PAGE_SIZE

    @property
    def tap(self) -> TapClockify:
        """The tap this stream belongs to."""
        return t.cast("TapClockify", self._tap)

    @property
    def url_base(self) -> str:
        """Base URL of this stream's host."""
        endpoints = resolve_endpoints(self.config)
        return {
            "api": endpoints.api_url,
            "reports": endpoints.reports_url,
            "auditlog": endpoints.auditlog_url,
        }[self.host]

    @cached_property
    def authenticator(self) -> APIKeyAuthenticator:
        """Send the API key as `X-Api-Key` (never as a query parameter, so URLs stay clean)."""
        return APIKeyAuthenticator(key="X-Api-Key", value=self.config["api_key"])

    @property
    def http_headers(self) -> dict[str, str]:
        """Headers sent with every request."""
        return {"Accept": "application/json", "User-Agent": self.user_agent}

    @property
    def user_agent(self) -> str:  # type: ignore[override]
        """Identify the tap to Clockify."""
        from tap_clockify import __version__  # noqa: PLC0415

        return f"tap-clockify/{__version__}"

    @property
    def page_size(self) -> int:
        """The configured page size, capped at this endpoint's maximum."""
        return min(int(self.config.get("page_size", MAX_PAGE_SIZE)), self.max_page_size)

    def get_new_paginator(self) -> ClockifyPaginator | None:  # type: ignore[override]
        """Page through paged endpoints; read the others once."""
        self._paginator = (
            ClockifyPaginator(self.page_size, self._count_records) if self.paged else None
        )
        return self._paginator

    def _count_records(self, response: requests.Response) -> int:
        return sum(1 for _ in self.parse_response(response))

    def get_url_params(
        self,
        context: Context | None,
        next_page_token: int | None,
    ) -> dict[str, t.Any]:
        """Query parameters: the page for paged endpoints, plus `extra_url_params`."""
        params = dict(self.extra_url_params(context))
        if self.paged:
            params["page"] = next_page_token or 1
            params["page-size"] = self.page_size
        return params

    def extra_url_params(self, context: Context | None) -> dict[str, t.Any]:  # noqa: ARG002
        """Endpoint-specific query parameters (filters); none by default."""
        return {}

    def request_decorator(self, func: RequestFunc) -> RequestFunc:
        """Retry as the SDK does, and pass every attempt through the shared throttle."""
        throttle = self.tap.throttle

        def throttled(*args: t.Any, **kwargs: t.Any) -> requests.Response:
            throttle.wait()
            return func(*args, **kwargs)

        return super().request_decorator(throttled)

    def validate_response(self, response: requests.Response) -> None:
        """Classify errors, and refuse a page that repeats the previous one."""
        super().validate_response(response)
        paginator = getattr(self, "_paginator", None)
        if paginator is not None:
            paginator.check_new_page(response, where=f"{self.name} ({self.path})")

    def response_error_message(self, response: requests.Response) -> str:
        """One line naming the stream, the endpoint and Clockify's own message.

        Unlike the SDK's default, it never includes headers or the full URL.
        """
        return (
            f"{self.name}: Clockify answered {response.status_code} to "
            f"{response.request.method} {self.path}: {api_error_text(response)}"
        )

    def post_process(
        self,
        row: dict[str, t.Any],
        context: Context | None = None,
    ) -> dict[str, t.Any] | None:
        """Stamp each record with the workspace it was read from."""
        if context and "workspace_id" in context:
            row["workspace_id"] = context["workspace_id"]
        return row


def api_error_text(response: requests.Response) -> str:
    """Clockify's `{"message", "code"}` error body as text, or the HTTP reason."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and body.get("message"):
        code = body.get("code")
        return f"{body['message']} (code {code})" if code is not None else str(body["message"])
    return response.reason or "no message"


__all__ = ["ClockifyStream", "FatalAPIError", "RetriableAPIError", "api_error_text"]
