"""Errors tap-clockify reports as one clear line (never with the API key, never a traceback)."""

from __future__ import annotations

from singer_sdk.exceptions import FatalAPIError


class ClockifyError(FatalAPIError):
    """A failure the user can act on; its message is the whole story."""


class ApiKeyRejectedError(ClockifyError):
    """Clockify does not know the API key (401)."""


class WorkspaceAccessError(ClockifyError):
    """The key's user cannot see a workspace (403 "Access Denied")."""


class PermissionDeniedError(ClockifyError):
    """The key's user lacks a permission for one endpoint (403); the stream is skipped."""


class ClockifyRequestError(ClockifyError):
    """Clockify refused a request (another 4xx); the message carries Clockify's own."""


class UnexpectedResponseError(ClockifyError):
    """A response whose shape the tap cannot read (not JSON, a wrong type, a missing id)."""


class NetworkError(ClockifyError):
    """A request failed on the network (timeout, refused connection) after every retry."""


class RepeatedPageError(ClockifyError):
    """The server answered the next page with the same body as the previous one."""


class RateLimitCeilingError(ClockifyError):
    """Clockify asked for a longer wait than `max_rate_limit_wait_seconds` allows."""


class RedirectRefusedError(ClockifyError):
    """Clockify's host answered with a redirect, which would carry the API key elsewhere."""


class InputError(Exception):
    """A catalog or state the tap cannot use; the message names the file, stream and key."""


class CatalogError(InputError):
    """The catalog asks for something a stream cannot do."""


class StateError(InputError):
    """The state holds a value the tap cannot resume from."""
