"""The base stream every Clockify stream inherits: hosts, auth, paging, errors, throttling."""

from __future__ import annotations

import re
import typing as t
from functools import cached_property
from http import HTTPStatus

from singer_sdk import RESTStream
from singer_sdk.authenticators import APIKeyAuthenticator
from singer_sdk.helpers.types import Context
from singer_sdk.schema.source import SchemaDirectory, StreamSchema

from tap_clockify import schemas
from tap_clockify.errors import (
    ApiKeyRejectedError,
    ClockifyRequestError,
    PermissionDeniedError,
    WorkspaceAccessError,
)
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
    def user_agent(self) -> str:
        """Identify the tap to Clockify."""
        from tap_clockify import __version__  # noqa: PLC0415

        return f"tap-clockify/{__version__}"

    @property
    def page_size(self) -> int:
        """The configured page size, capped at this endpoint's maximum."""
        return min(int(self.config.get("page_size", MAX_PAGE_SIZE)), self.max_page_size)

    def get_new_paginator(self) -> ClockifyPaginator | None:
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
        """Turn Clockify's errors into clear ones; refuse a page that repeats the last one.

        429 and 5xx stay retriable (the SDK's classification); 401 and 403 get messages
        that say what to fix; any other 4xx carries Clockify's own message.
        """
        status = response.status_code
        if status == HTTPStatus.UNAUTHORIZED:
            msg = (
                f"the API key was rejected by Clockify ({api_error_text(response)}); "
                "check the api_key setting (a subdomain workspace needs its own key)"
            )
            raise ApiKeyRejectedError(msg)
        if status == HTTPStatus.FORBIDDEN:
            workspace = workspace_in_path(response.request.path_url) or "?"
            if is_access_denied(response):
                msg = (
                    f"{self.name}: the API key cannot access workspace {workspace} "
                    f"({api_error_text(response)}); check workspace_ids"
                )
                raise WorkspaceAccessError(msg)
            msg = (
                f"{self.name}: the API key has no permission for {self.path} in workspace "
                f"{workspace} ({api_error_text(response)})"
            )
            raise PermissionDeniedError(msg)
        if HTTPStatus.BAD_REQUEST <= status < HTTPStatus.INTERNAL_SERVER_ERROR and (
            status not in self.extra_retry_statuses
        ):
            raise ClockifyRequestError(self.response_error_message(response))
        super().validate_response(response)
        paginator = getattr(self, "_paginator", None)
        if paginator is not None:
            paginator.check_new_page(response, where=f"{self.name} ({self.path})")

    def request_records(self, context: Context | None) -> t.Iterable[dict]:
        """Read the endpoint; a 403 for a missing permission skips it with one warning."""
        try:
            yield from super().request_records(context)
        except PermissionDeniedError as error:
            self.tap.warn_once(f"{error}: skipped; the rest of the sync goes on")

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


def workspace_in_path(path: str) -> str | None:
    """The workspace id in a request path, if any."""
    match = re.search(r"/workspaces/([^/?]+)", path)
    return match.group(1) if match else None


def is_access_denied(response: requests.Response) -> bool:
    """Whether a 403 says the workspace itself is off limits, not just this endpoint."""
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and (
        body.get("code") == 501 or str(body.get("message", "")).startswith("Access Denied")
    )


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
