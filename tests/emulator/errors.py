"""The error bodies Clockify sends (docs/clockify.md, Authentication and errors).

Every error body is ``{"message": str, "code": int}``; ``code`` is a JSON number.
Routes raise :class:`ApiError` and the
server turns it into the response.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any


class ApiError(Exception):
    """An error response: HTTP status plus the JSON body Clockify would send."""

    def __init__(
        self,
        status: int,
        message: str,
        code: int | None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {message}")
        self.status = status
        self.message = message
        self.code = code
        self.headers = headers or {}

    @property
    def body(self) -> dict[str, Any]:
        """The JSON body; ``code`` is left out when the API sends none."""
        body: dict[str, Any] = {"message": self.message}
        if self.code is not None:
            body["code"] = self.code
        return body


# --- 401: authentication --------------------------------------------------------------


def auth_missing_or_multiple() -> ApiError:
    """No auth header, both headers, or only ``Authorization: Bearer``."""
    return ApiError(401, "Multiple or none auth tokens present", 1000)


def unknown_api_key() -> ApiError:
    """An ``X-Api-Key`` the server does not know."""
    return ApiError(401, "Api key does not exist", 4003)


def invalid_addon_token() -> ApiError:
    """An ``X-Addon-Token`` the server does not know."""
    return ApiError(401, "Token is not valid", 4017)


# --- 403 / 400: entities and workspaces ------------------------------------------------


def access_denied() -> ApiError:
    """A workspace id the credential cannot see (foreign or made up)."""
    return ApiError(403, "Access Denied", 501)


def not_in_workspace(entity: str) -> ApiError:
    """A missing or foreign entity id: 400, never 404."""
    return ApiError(400, f"{entity} doesn't belong to Workspace", 501)


# --- 404 / 405: routing ----------------------------------------------------------------


def no_static_resource(resource: str) -> ApiError:
    """An unbound route; Spring echoes the path after the context root, e.g. ``v1/...``."""
    return ApiError(404, f"No static resource {resource}.", 3000)


def method_not_supported(method: str) -> ApiError:
    """A bound route asked with a method it does not serve."""
    return ApiError(405, f"Request method '{method}' is not supported", 3000)


# --- 400: request parameters -----------------------------------------------------------


def conversion_failed(name: str, value: str, java_type: str, detail: str) -> ApiError:
    """A query parameter of the wrong type; the message echoes the submitted value."""
    return ApiError(
        400,
        f"Method parameter '{name}': Failed to convert value of type 'java.lang.String' "
        f"to required type '{java_type}'; {detail}",
        3000,
    )


def invalid_parameter(message: str) -> ApiError:
    """A parameter of the right type but an unacceptable value (e.g. page-size too big)."""
    return ApiError(400, message, 3000)


def missing_parameter(name: str) -> ApiError:
    """A required query parameter that was not sent."""
    return ApiError(
        400,
        f"Required request parameter '{name}' for method parameter type String is not present",
        3001,
    )


def not_emulated(method: str, template: str) -> ApiError:
    """A route the real API binds but the emulator does not implement (yet)."""
    return ApiError(501, f"Not implemented by the emulator: {method} {template}", 501)


def malformed_json() -> ApiError:
    """A request body that is not JSON."""
    return ApiError(400, "Malformed JSON request", 3000)


# --- Generic bodies used by injected faults --------------------------------------------

_FAULT_MESSAGES = {
    429: "Too many requests",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway timeout",
}


def fault_body(status: int) -> dict[str, Any]:
    """Body for an injected status; no live 429 body was ever captured (see Rate limits)."""
    try:
        fallback = HTTPStatus(status).phrase
    except ValueError:
        fallback = "Error"
    return {"message": _FAULT_MESSAGES.get(status, fallback), "code": status}
